// Routes only the local control socket has (<store>/deskline.sock, mode 0600: only root and the
// service user reach it): health for `deskline doctor`, and test calls. Everything else the CLI
// asks goes to the admin API (/api/v1) on the same socket, as the local admin.
import { Hono } from 'hono';
import { z } from 'zod';
import { TestCallError, type TestCallRequest } from '../calls/test-call.ts';
import type { CallSummary } from '../calls/call-summary.ts';
import type { Health } from './health-routes.ts';


const testCallBody = z.object({
  to: z.string().min(1).max(40),
  script: z.string().min(1).max(10_000),
  callerNumber: z.string().max(40).optional(),
  callerName: z.string().max(80).optional(),
  timeoutSeconds: z.number().int().min(1).max(3600).optional(),
});

export interface ControlDeps {
  health(): Health;
  testCall(request: TestCallRequest): Promise<CallSummary>;
}

const badRequest = (message: string, details?: unknown) => ({ error: { code: 'BAD_REQUEST', message, details } });

export function controlRoutes(deps: ControlDeps): Hono {
  return new Hono()
    .get('/control/health', (c) => c.json(deps.health()))
    .post('/control/test-call', async (c) => {
      const body = testCallBody.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) return c.json(badRequest('bad test-call request', body.error.issues), 400);
      try {
        return c.json(await deps.testCall(body.data));
      } catch (error) {
        if (error instanceof TestCallError) {
          const status = error.code === 'BAD_REQUEST' || error.code === 'MEDIA' ? 400 : error.code === 'TIMEOUT' ? 504 : 503;
          return c.json({ error: { code: error.code, message: error.message } }, status);
        }
        throw error;
      }
    });
}
