// Queues, agents and live calls over the API: wallboard figures, agent states (an agent changes
// only their own), transfers and recording control (an agent only on their own call), and
// supervisor listen / whisper / barge (audited by the monitor service). Present on sites with queues.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Principal } from '../../auth/auth-service.ts';
import { QueueError } from '../../queue/queue-errors.ts';
import { RecordingError } from '../../recordings/errors.ts';
import type { QueueService } from '../../queue/queue-service.ts';
import { MonitorError, type MonitorService } from '../../supervisor/monitor-service.ts';
import { agentAction, monitorRequest, recordingAction, transferRequest } from './queue-requests.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { json, jsonBody, notFound } from './schemas.ts';
import { secured } from './secured.ts';

export interface QueueRouteDeps {
  queues: QueueService;
  monitors: MonitorService;
  figures: () => unknown[];
  /** The agent on a live call, for an agent's own-call rights. */
  agentOn: (callId: string) => string | undefined;
}

const IdParam = z.object({ id: z.string().max(256).openapi({ param: { name: 'id', in: 'path' } }) });
const Conflict = { 409: { description: 'Not possible in the current state (the code says why)', content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } } } };

/** Queue and monitor errors as API errors: unknown things are 404, the rest are state conflicts (409). */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // The recordings disk is nearly full: asking to record is refused like any other conflict.
    if (error instanceof RecordingError && error.code === 'DESKLINE_RECORDING_DISK_LOW') throw new ApiError(409, error.code, error.message);
    if (!(error instanceof QueueError) && !(error instanceof MonitorError)) throw error;
    const missing = error.code === 'AGENT_UNKNOWN' || error.code === 'QUEUE_UNKNOWN' || error.code === 'UNKNOWN_MONITOR';
    throw new ApiError(missing ? 404 : 409, error.code, error.message);
  }
}

export function queueRoutes(deps: QueueRouteDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const ownCall = (p: Principal, callId: string) => p.permissions.has('calls.read') || (p.agentId !== undefined && deps.agentOn(callId) === p.agentId);

  app.openapi(secured('queues.read', createRoute({ method: 'get', path: '/queues', tags: ['queues'], summary: 'Wallboard: per queue waiting, agents, service level, ASA, AHT today', responses: { 200: json(z.object({ queues: z.array(z.record(z.string(), z.unknown())) }), 'Figures') } })),
    (c) => c.json({ queues: deps.figures() as Record<string, unknown>[] }, 200));

  app.openapi(secured('queues.read', createRoute({
    method: 'get', path: '/queues/trail', tags: ['queues'], summary: 'The ACD\'s decisions and agents\' state changes, oldest first (from: epoch ms)',
    request: { query: z.object({ from: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(100_000).optional() }) },
    responses: { 200: json(z.object({ trail: z.array(z.record(z.string(), z.unknown())) }), 'Trail') },
  })), async (c) => {
    const { from, limit } = c.req.valid('query');
    return c.json({ trail: await deps.queues.trail({ ...(from !== undefined && { from }), ...(limit !== undefined && { limit }) }) as unknown as Record<string, unknown>[] }, 200);
  });

  app.openapi(secured('agents.read', createRoute({ method: 'get', path: '/agents', tags: ['agents'], summary: 'Agents and their states', responses: { 200: json(z.object({ agents: z.array(z.record(z.string(), z.unknown())) }), 'Agents') } })),
    (c) => c.json({ agents: Object.values(deps.queues.snapshot().acd.agents) as unknown as Record<string, unknown>[] }, 200));

  app.openapi(secured('agents.state', createRoute({
    method: 'post', path: '/agents/{id}/state', tags: ['agents'], summary: 'Log in, log out, pause or unpause an agent (agents: only themselves)',
    request: { params: IdParam, ...jsonBody(agentAction) }, responses: { 200: json(z.object({ agent: z.record(z.string(), z.unknown()) }), 'The agent'), ...notFound, ...Conflict },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const p = c.get('principal');
    if (!p.permissions.has('agents.read') && p.agentId !== id) throw new ApiError(403, 'FORBIDDEN', `you can change only your own state (agent ${p.agentId ?? 'none'})`);
    const body = c.req.valid('json');
    const agent = await guarded(() => deps.queues.agentAction(id, body.action, body.reason));
    return c.json({ agent: agent as unknown as Record<string, unknown> }, 200);
  });

  app.openapi(secured('calls.control', createRoute({
    method: 'post', path: '/calls/{id}/transfer', tags: ['calls'], summary: 'Blind or consultative transfer of a live call (agents: their own call)',
    request: { params: IdParam, ...jsonBody(transferRequest) }, responses: { 200: json(z.object({ ok: z.literal(true), consultChannelId: z.string().optional() }), 'Done'), ...notFound, ...Conflict },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const p = c.get('principal');
    if (!ownCall(p, id)) throw new ApiError(403, 'FORBIDDEN', `you are not the agent on call ${id}`);
    const request = c.req.valid('json');
    if (request.mode === 'consult') {
      const to = request.to;
      const consultChannelId = await guarded(() => deps.queues.consult(id, to, p.username));
      return c.json({ ok: true as const, consultChannelId }, 200);
    }
    if (request.mode === 'blind') {
      const to = request.to;
      await guarded(() => deps.queues.blindTransfer(id, to, p.username));
    } else if (request.mode === 'complete') await guarded(() => deps.queues.completeTransfer(id, p.username));
    else await guarded(() => deps.queues.cancelTransfer(id, p.username));
    return c.json({ ok: true as const }, 200);
  });

  app.openapi(secured('calls.control', createRoute({
    method: 'post', path: '/calls/{id}/recording', tags: ['calls'], summary: 'Start, pause or resume recording a live call (agents: their own call)',
    request: { params: IdParam, ...jsonBody(recordingAction) }, responses: { 200: json(z.object({ ok: z.literal(true), recording: z.record(z.string(), z.unknown()).optional() }), 'Done'), ...notFound, ...Conflict },
  })), async (c) => {
    const { id } = c.req.valid('param');
    if (!ownCall(c.get('principal'), id)) throw new ApiError(403, 'FORBIDDEN', `you are not the agent on call ${id}`);
    const { action } = c.req.valid('json');
    if (action === 'start') {
      const recording = await guarded(() => deps.queues.startRecording(id));
      return c.json({ ok: true as const, recording: recording as unknown as Record<string, unknown> }, 200);
    }
    await guarded(() => deps.queues.pauseRecording(id, action === 'pause'));
    return c.json({ ok: true as const }, 200);
  });

  app.openapi(secured('live.monitor', createRoute({
    method: 'post', path: '/calls/{id}/monitor', tags: ['calls'], summary: 'Listen to, whisper to or barge into a live call, on a phone or an RTP address (audited)',
    request: { params: IdParam, ...jsonBody(monitorRequest) }, responses: { 200: json(z.object({ monitoring: z.record(z.string(), z.unknown()) }), 'Started'), ...notFound, ...Conflict },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const monitoring = await guarded(() => deps.monitors.start(id, body.mode, body.sink, c.get('principal').username));
    return c.json({ monitoring: monitoring as unknown as Record<string, unknown> }, 200);
  });

  app.openapi(secured('live.monitor', createRoute({ method: 'delete', path: '/monitors/{id}', tags: ['calls'], summary: 'Stop listening / whispering / barging', request: { params: IdParam }, responses: { 200: json(z.object({ ok: z.literal(true) }), 'Stopped'), ...notFound } })), async (c) => {
    await guarded(() => deps.monitors.stop(c.req.valid('param').id, c.get('principal').username));
    return c.json({ ok: true as const }, 200);
  });

  return app;
}
