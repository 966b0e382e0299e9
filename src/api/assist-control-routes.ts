// Control-socket routes for agent assist: what the agent's screen shows for a call, and what the
// agent did with a suggestion (opened, marked helpful) — recorded in the call for analytics.
// The admin API (with RBAC) mounts the same calls for the agent console.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AssistService } from '../knowledge/assist/assist-service.ts';

const action = z.object({
  articleId: z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'an article id (slug)').max(128),
  action: z.enum(['opened', 'helpful']),
  by: z.string().min(1).max(64),
}).strict();

export function assistControlRoutes(deps: { assist: AssistService; isLive: (callId: string) => boolean }): Hono {
  return new Hono()
    .get('/calls/:id/assist', (c) => c.json({ callId: c.req.param('id'), suggestions: deps.assist.current(c.req.param('id')) }))
    .post('/calls/:id/assist', async (c) => {
      const callId = c.req.param('id');
      const body = action.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) return c.json({ error: { code: 'BAD_REQUEST', message: body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } }, 400);
      if (!deps.isLive(callId)) return c.json({ error: { code: 'CALL_NOT_LIVE', message: `call ${callId} is not live` } }, 404);
      if (body.data.action === 'opened') deps.assist.opened(callId, body.data.articleId, body.data.by);
      else deps.assist.helpful(callId, body.data.articleId, body.data.by);
      return c.json({ ok: true });
    });
}
