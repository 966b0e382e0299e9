// Routes for the local control socket (<store>/deskline.sock, mode 0600: only root and the
// service user reach it). The CLI uses them to talk to the running service; they are never
// served on the TCP port.
import { Hono } from 'hono';
import { z } from 'zod';
import type { CallRecords } from '../calls/call-records.ts';
import { summarizeCall } from '../calls/call-summary.ts';
import { TestCallError, type TestCallRequest } from '../calls/test-call.ts';
import type { CallSummary } from '../calls/call-summary.ts';
import type { Health } from './health-routes.ts';

const callQuery = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  caller: z.string().max(64).optional(),
  outcome: z.enum(['completed', 'abandoned', 'dropped', 'failed', 'transferred']).optional(),
  text: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

const testCallBody = z.object({
  to: z.string().min(1).max(40),
  script: z.string().min(1).max(10_000),
  callerNumber: z.string().max(40).optional(),
  callerName: z.string().max(80).optional(),
  timeoutSeconds: z.number().int().min(1).max(3600).optional(),
});

export interface ControlDeps {
  records: CallRecords;
  health(): Health;
  testCall(request: TestCallRequest): Promise<CallSummary>;
}

const badRequest = (message: string, details?: unknown) => ({ error: { code: 'BAD_REQUEST', message, details } });

export function controlRoutes(deps: ControlDeps): Hono {
  return new Hono()
    .get('/control/health', (c) => c.json(deps.health()))
    .get('/control/calls', async (c) => {
      const query = callQuery.safeParse(c.req.query());
      if (!query.success) return c.json(badRequest('bad call query', query.error.issues), 400);
      return c.json({ calls: await deps.records.list(query.data) });
    })
    .get('/control/calls/:id', async (c) => {
      const state = await deps.records.get(c.req.param('id'));
      if (!state) return c.json({ error: { code: 'NOT_FOUND', message: `no call ${c.req.param('id')}` } }, 404);
      return c.json(summarizeCall(state, await deps.records.trail(state.callId)));
    })
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
