// Control-socket routes for queues and agents: the CLI (and tests) log agents in and out, read
// the wallboard, and start or pause recordings. The admin API (with RBAC) mounts the same
// service calls for browsers.
import { Hono } from 'hono';
import { z } from 'zod';
import { agentAction, monitorBody, recordingAction, transferBody } from './queue-requests.ts';
import { QueueError, type QueueService } from '../queue/queue-service.ts';
import { MonitorError, type MonitorService } from '../supervisor/monitor-service.ts';

export interface QueueControlDeps {
  queues: QueueService;
  monitors: MonitorService;
  /** Wallboard figures now. */
  figures(): unknown;
}

function failure(error: unknown) {
  if (!(error instanceof QueueError) && !(error instanceof MonitorError)) throw error;
  const status = error.code === 'AGENT_UNKNOWN' || error.code === 'QUEUE_UNKNOWN' || error.code === 'UNKNOWN_MONITOR' ? 404 : 409;
  return { body: { error: { code: error.code, message: error.message } }, status: status as 404 | 409 };
}

export function queueControlRoutes(deps: QueueControlDeps): Hono {
  return new Hono()
    .get('/control/queues', (c) => c.json({ queues: deps.figures() }))
    .get('/control/queues/trail', async (c) => {
      const query = z.object({ from: z.coerce.number().int().nonnegative().optional(), limit: z.coerce.number().int().min(1).max(100_000).optional() }).strict().safeParse(c.req.query());
      if (!query.success) return c.json({ error: { code: 'BAD_REQUEST', message: 'expected ?from=<ms>&limit=<n>', details: query.error.issues } }, 400);
      return c.json({ trail: await deps.queues.trail(query.data) });
    })
    .get('/control/agents', (c) => c.json({ agents: Object.values(deps.queues.snapshot().acd.agents) }))
    .post('/control/agents/:id', async (c) => {
      const body = agentAction.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) return c.json({ error: { code: 'BAD_REQUEST', message: 'expected {"action": "login" | "logout" | "pause" | "unpause", "reason"?}', details: body.error.issues } }, 400);
      try {
        return c.json({ agent: await deps.queues.agentAction(c.req.param('id'), body.data.action, body.data.reason) });
      } catch (error) {
        const { body: failed, status } = failure(error);
        return c.json(failed, status);
      }
    })
    .post('/control/calls/:id/monitor', async (c) => {
      const body = monitorBody.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) return c.json({ error: { code: 'BAD_REQUEST', message: 'expected {"mode": "listen" | "whisper" | "barge", "supervisor", "sink": {"kind": "phone", "endpoint"} | {"kind": "rtp", "host", "port"}}', details: body.error.issues } }, 400);
      try {
        return c.json({ monitoring: await deps.monitors.start(c.req.param('id'), body.data.mode, body.data.sink, body.data.supervisor) });
      } catch (error) {
        const { body: failed, status } = failure(error);
        return c.json(failed, status);
      }
    })
    .delete('/control/monitors/:id', async (c) => {
      try {
        await deps.monitors.stop(c.req.param('id'), c.req.query('by') ?? 'local-admin');
        return c.json({ ok: true });
      } catch (error) {
        const { body: failed, status } = failure(error);
        return c.json(failed, status);
      }
    })
    .post('/control/calls/:id/transfer', async (c) => {
      const body = transferBody.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) return c.json({ error: { code: 'BAD_REQUEST', message: 'expected {"mode": "blind" | "consult" | "complete" | "cancel", "to"?: {"kind": "queue" | "agent" | "number", …}, "by"}', details: body.error.issues } }, 400);
      const callId = c.req.param('id');
      const request = body.data;
      try {
        if (request.mode === 'blind') await deps.queues.blindTransfer(callId, request.to, request.by);
        else if (request.mode === 'consult') return c.json({ consultChannelId: await deps.queues.consult(callId, request.to, request.by) });
        else if (request.mode === 'complete') await deps.queues.completeTransfer(callId, request.by);
        else await deps.queues.cancelTransfer(callId, request.by);
        return c.json({ ok: true });
      } catch (error) {
        const { body: failed, status } = failure(error);
        return c.json(failed, status);
      }
    })
    .post('/control/calls/:id/recording', async (c) => {
      const body = recordingAction.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) return c.json({ error: { code: 'BAD_REQUEST', message: 'expected {"action": "start" | "pause" | "resume"}', details: body.error.issues } }, 400);
      try {
        const callId = c.req.param('id');
        if (body.data.action === 'start') return c.json({ recording: await deps.queues.startRecording(callId) });
        await deps.queues.pauseRecording(callId, body.data.action === 'pause');
        return c.json({ ok: true });
      } catch (error) {
        const { body: failed, status } = failure(error);
        return c.json(failed, status);
      }
    });
}
