// Calls over the API: records with filters and pages, one call's summary, its event trail and
// transcript; recordings (metadata, and audio with Range, every listen audited); and agent
// assist on a live call (what the agent sees, what they did with it). Supervisors see every
// call; an agent sees assist only for the call they are on.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { Principal } from '../../auth/auth-service.ts';
import type { CallRecords } from '../../calls/call-records.ts';
import { summarizeCall } from '../../calls/call-summary.ts';
import type { AssistService } from '../../knowledge/assist/assist-service.ts';
import { serveRecordingAudio } from '../../recordings/recording-routes.ts';
import type { RecordingStore } from '../../recordings/recording-store.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { paginate } from './paging.ts';
import { json, jsonBody, notFound, PageQuery, pageOf } from './schemas.ts';
import { secured } from './secured.ts';

const Outcome = z.enum(['completed', 'abandoned', 'dropped', 'failed', 'transferred']);
const CallRow = z.object({
  callId: z.string(), phase: z.string(), caller: z.object({ number: z.string(), name: z.string().optional() }).passthrough(), dialed: z.string(),
  startedAt: z.number(), answeredAt: z.number().optional(), endedAt: z.number().optional(), outcome: Outcome.optional(), endedBy: z.string().optional(),
  flow: z.object({ flowId: z.string(), version: z.number() }).optional(), digits: z.string().openapi({ description: 'Keys the caller pressed' }),
}).openapi('CallRecord');
const CallList = PageQuery.extend({
  from: z.coerce.number().int().min(0).optional().openapi({ description: 'Started at or after (epoch ms)' }),
  to: z.coerce.number().int().min(0).optional().openapi({ description: 'Started at or before (epoch ms)' }),
  caller: z.string().max(64).optional(), outcome: Outcome.optional(),
  agent: z.string().max(256).optional().openapi({ description: 'Calls connected to this agent (id)' }),
  queue: z.string().max(256).optional().openapi({ description: 'Calls that joined this queue (id)' }),
  text: z.string().max(200).optional().openapi({ description: 'Words that must all appear in the transcript' }),
});
const IdParam = z.object({ id: z.string().max(256).openapi({ param: { name: 'id', in: 'path' } }) });
const Entry = z.record(z.string(), z.unknown()).openapi('TrailEntry');
const Suggestion = z.object({ articleId: z.string(), title: z.string(), score: z.number(), confidence: z.number(), matchedTerms: z.array(z.string()) }).openapi('Suggestion');
const AssistAction = z.object({ articleId: z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'an article id (slug)').max(128), action: z.enum(['opened', 'helpful']) }).strict().openapi('AssistAction');
const Recording = z.record(z.string(), z.unknown()).openapi('Recording');
const RecordingList = z.object({ callId: z.string().max(256).optional(), from: z.coerce.number().int().min(0).optional(), to: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) });

export interface CallRouteDeps {
  records: CallRecords;
  recordings: Pick<RecordingStore, 'get' | 'list' | 'open'>;
  audit: Pick<AuditLog, 'append'>;
  assist: AssistService;
  isLive: (callId: string) => boolean;
  /** The agent on a live call (from the queue), for an agent's own-call access. */
  agentOn: (callId: string) => string | undefined;
}

export function callRoutes(deps: CallRouteDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const tags = ['calls'];
  const mayAssist = (p: Principal, callId: string) => p.permissions.has('calls.read') || (p.agentId !== undefined && deps.agentOn(callId) === p.agentId);

  app.openapi(secured('calls.read', createRoute({ method: 'get', path: '/calls', tags, summary: 'Call records, newest first', request: { query: CallList }, responses: { 200: json(pageOf(CallRow), 'Calls') } })), async (c) => {
    const q = c.req.valid('query');
    const calls = await deps.records.list({ ...(q.from !== undefined ? { from: q.from } : {}), ...(q.to !== undefined ? { to: q.to } : {}), ...(q.caller ? { caller: q.caller } : {}), ...(q.outcome ? { outcome: q.outcome } : {}), ...(q.agent ? { agent: q.agent } : {}), ...(q.queue ? { queue: q.queue } : {}), ...(q.text ? { text: q.text } : {}), limit: 10_000 });
    const rows = calls.map((s) => ({ callId: s.callId, phase: s.phase, caller: s.caller, dialed: s.dialed, startedAt: s.startedAt, answeredAt: s.answeredAt, endedAt: s.endedAt, outcome: s.outcome, endedBy: s.endedBy, flow: s.flow, digits: s.digits }));
    return c.json(paginate(rows, q) as never, 200);
  });

  app.openapi(secured('calls.read', createRoute({ method: 'get', path: '/calls/{id}', tags, summary: 'One call: outcome, times, prompts heard, transcript', request: { params: IdParam }, responses: { 200: json(z.record(z.string(), z.unknown()).openapi('CallSummary'), 'The call'), ...notFound } })), async (c) => {
    const { id } = c.req.valid('param');
    const state = await deps.records.get(id);
    if (!state) throw new ApiError(404, 'NOT_FOUND', `no call ${id}`);
    return c.json(summarizeCall(state, await deps.records.trail(id)) as unknown as Record<string, unknown>, 200);
  });

  app.openapi(secured('calls.read', createRoute({ method: 'get', path: '/calls/{id}/trail', tags, summary: 'Every event of a call, in order', request: { params: IdParam }, responses: { 200: json(z.object({ trail: z.array(Entry) }), 'The trail'), ...notFound } })), async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.records.get(id))) throw new ApiError(404, 'NOT_FOUND', `no call ${id}`);
    return c.json({ trail: (await deps.records.trail(id)) as Record<string, unknown>[] }, 200);
  });

  app.openapi(secured('calls.read', createRoute({ method: 'get', path: '/calls/{id}/transcript', tags, summary: 'What caller and agent said (finals; startMs and endMs count from audioStartedAt, the leg\'s first audio, ms since the epoch)', request: { params: IdParam }, responses: { 200: json(z.object({ transcript: z.array(z.object({ leg: z.string(), text: z.string(), startMs: z.number(), endMs: z.number(), audioStartedAt: z.number().optional() }).passthrough()) }), 'The transcript'), ...notFound } })), async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deps.records.get(id))) throw new ApiError(404, 'NOT_FOUND', `no call ${id}`);
    const transcript = (await deps.records.trail(id)).filter((e) => e.type === 'transcript').map(({ leg, text, startMs, endMs, confidence, audioStartedAt }) => ({ leg: String(leg), text: String(text), startMs: Number(startMs), endMs: Number(endMs), confidence, ...(typeof audioStartedAt === 'number' ? { audioStartedAt } : {}) }));
    return c.json({ transcript }, 200);
  });

  app.openapi(secured('assist.use', createRoute({ method: 'get', path: '/calls/{id}/assist', tags, summary: 'The suggestions on the agent\'s screen for a live call', request: { params: IdParam }, responses: { 200: json(z.object({ callId: z.string(), suggestions: z.array(Suggestion) }), 'Suggestions') } })), (c) => {
    const { id } = c.req.valid('param');
    if (!mayAssist(c.get('principal'), id)) throw new ApiError(403, 'FORBIDDEN', `you are not the agent on call ${id}`);
    return c.json({ callId: id, suggestions: deps.assist.current(id) }, 200);
  });

  app.openapi(secured('assist.use', createRoute({ method: 'post', path: '/calls/{id}/assist', tags, summary: 'Record that the agent opened a suggestion or found it helpful', request: { params: IdParam, ...jsonBody(AssistAction) }, responses: { 200: json(z.object({ ok: z.literal(true) }), 'Recorded'), ...notFound } })), (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    if (!mayAssist(principal, id)) throw new ApiError(403, 'FORBIDDEN', `you are not the agent on call ${id}`);
    if (!deps.isLive(id)) throw new ApiError(404, 'CALL_NOT_LIVE', `call ${id} is not live`);
    const body = c.req.valid('json');
    if (body.action === 'opened') deps.assist.opened(id, body.articleId, principal.username);
    else deps.assist.helpful(id, body.articleId, principal.username);
    return c.json({ ok: true as const }, 200);
  });

  app.openapi(secured('recordings.read', createRoute({ method: 'get', path: '/recordings', tags: ['recordings'], summary: 'Recordings, newest first', request: { query: RecordingList }, responses: { 200: json(z.object({ recordings: z.array(Recording) }), 'Recordings') } })), async (c) => {
    const q = c.req.valid('query');
    return c.json({ recordings: (await deps.recordings.list(q)) as unknown as Record<string, unknown>[] }, 200);
  });

  app.openapi(secured('recordings.read', createRoute({ method: 'get', path: '/recordings/{id}', tags: ['recordings'], summary: 'One recording\'s metadata (sha256, duration, call)', request: { params: IdParam }, responses: { 200: json(Recording, 'The recording'), ...notFound } })), async (c) => {
    const { id } = c.req.valid('param');
    const recording = await deps.recordings.get(id);
    if (!recording) throw new ApiError(404, 'RECORDING_NOT_FOUND', `no recording ${JSON.stringify(id)}`);
    return c.json(recording as unknown as Record<string, unknown>, 200);
  });

  app.openapi(secured('recordings.listen', createRoute({
    method: 'get', path: '/recordings/{id}/audio', tags: ['recordings'], summary: 'The audio (audio/wav, Range supported); every request is audited as a listen',
    request: { params: IdParam, headers: z.object({ range: z.string().max(200).optional(), 'if-range': z.string().max(200).optional() }) },
    responses: { 200: { description: 'The whole file', content: { 'audio/wav': { schema: z.string().openapi({ format: 'binary' }) } } }, 206: { description: 'The requested range', content: { 'audio/wav': { schema: z.string().openapi({ format: 'binary' }) } } }, 416: { description: 'Range not satisfiable' }, ...notFound },
  })), (c) => serveRecordingAudio(c as unknown as Context, { recordings: deps.recordings, audit: deps.audit, actor: () => c.get('principal').username }, c.req.valid('param').id) as never);

  return app;
}
