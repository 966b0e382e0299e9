// GET /events: the live event stream (Server-Sent Events), filtered to what the caller may see.
// Browsers reconnect on their own and send Last-Event-ID; the stream resumes from there. The
// caller's login is checked again every heartbeat: a logout or a revoked token ends the stream.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Principal } from '../../auth/auth-service.ts';
import { LIVE_EVENT_TYPES, type LiveEvent, type LiveEvents } from '../../events/live-events.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { secured } from './secured.ts';

const Query = z.object({
  types: z.string().max(500).optional().openapi({ description: `Comma-separated event types (default all): ${LIVE_EVENT_TYPES.join(', ')}` }),
});

/** Events queued for one slow subscriber beyond this are dropped, and it is told so. */
const MAX_QUEUED = 2000;

export function eventRoutes(deps: { events: LiveEvents; heartbeatMs?: number; recheck: (c: Context<ApiEnv>) => Promise<Principal | undefined> }) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(secured('events.subscribe', createRoute({
    method: 'get', path: '/events', tags: ['events'], summary: 'Live events (text/event-stream); resumes from Last-Event-ID',
    request: { query: Query, headers: z.object({ 'last-event-id': z.string().max(20).optional() }) },
    responses: { 200: { description: 'An SSE stream: each event has id, event (its type) and data (JSON: at, data)', content: { 'text/event-stream': { schema: z.string() } } } },
  })), (c) => {
    const { types } = c.req.valid('query');
    const wanted = new Set(types ? types.split(',').map((t) => t.trim()).filter(Boolean) : LIVE_EVENT_TYPES);
    const unknown = [...wanted].filter((t) => !(LIVE_EVENT_TYPES as readonly string[]).includes(t));
    if (unknown.length) throw new ApiError(400, 'BAD_REQUEST', `unknown event types: ${unknown.join(', ')}`, { field: 'types' });
    const last = c.req.header('last-event-id');
    const lastId = last !== undefined && /^\d{1,15}$/.test(last) ? Number(last) : undefined;
    let principal = c.get('principal');
    return streamSSE(c, async (stream) => {
      const queue: (LiveEvent | 'overflow')[] = [];
      let closed = false;
      let wake: (() => void) | undefined;
      const stop = deps.events.subscribe((e) => {
        if (!wanted.has(e.type) || !deps.events.visibleTo(e, principal)) return;
        if (queue.length >= MAX_QUEUED) {
          queue.splice(0, queue.length, 'overflow');
        }
        queue.push(e);
        wake?.();
      }, lastId);
      const end = () => {
        closed = true;
        wake?.();
      };
      stream.onAbort(end);
      const heartbeat = setInterval(() => {
        void deps.recheck(c as unknown as Context<ApiEnv>).then((p) => {
          if (!p) return end();
          principal = p;
          void stream.write(': keep-alive\n\n').catch(end);
        }, end);
      }, deps.heartbeatMs ?? 15_000);
      try {
        await stream.write(': connected\n\n');
        while (!closed) {
          while (queue.length && !closed) {
            const e = queue.shift()!;
            if (e === 'overflow') await stream.writeSSE({ event: 'overflow', data: JSON.stringify({ message: 'events were dropped for this slow connection: reload the state' }) });
            else await stream.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify({ at: e.at, ...(e.callId ? { callId: e.callId } : {}), data: e.data }) });
          }
          if (!closed) await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        clearInterval(heartbeat);
        stop();
      }
    });
  });
  return app;
}
