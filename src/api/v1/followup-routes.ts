// Follow-ups over the API: the work-order list (filters, sorting, pages), one follow-up (ETag: its
// revision), agent-written ones, changes with If-Match or `revision`, comments and status steps.
// Supervisors and admins (calls.read) see every follow-up; an agent sees and changes the ones
// assigned to them, to a skill they hold, to nobody, or written by them — others answer 404, as
// if absent. Every change is audited with before/after (without the comment thread).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { FollowupError } from '../../followups/errors.ts';
import { assignedTo, visibleTo, type Viewer } from '../../followups/followup-access.ts';
import { CommentInput, CreateInput, PatchInput, StatusInput } from '../../followups/followup-schemas.ts';
import type { FollowupService } from '../../followups/followup-service.ts';
import { FOLLOWUP_KINDS, FOLLOWUP_STATUSES, NAME_PATTERN, PRIORITIES, priorityRank, type Followup, type FollowupQuery } from '../../followups/followup-types.ts';
import type { ApiEnv } from './api-env.ts';
import { ifMatchRevision } from './etag.ts';
import { paginate } from './paging.ts';
import { conflict, json, jsonBody, notFound, PageQuery, pageOf, preconditionFailed } from './schemas.ts';
import { secured } from './secured.ts';
import type { Audit } from './user-routes.ts';

export interface FollowupRouteDeps {
  followups: FollowupService;
  audit: Audit;
  /** The skills an agent holds (from the ACD's agent settings); none when unknown. */
  skillsOf?: (agentId: string) => readonly string[];
}

const Assignee = z.union([z.object({ agent: z.string() }), z.object({ skill: z.string() }), z.null()]);
const FollowupView = z.object({
  id: z.string(), kind: z.enum(FOLLOWUP_KINDS), title: z.string(), note: z.string(), assignee: Assignee, priority: z.enum(PRIORITIES), dueAt: z.number(),
  status: z.enum(FOLLOWUP_STATUSES),
  statusTrail: z.array(z.object({ at: z.number(), by: z.string(), from: z.enum(FOLLOWUP_STATUSES).nullable(), to: z.enum(FOLLOWUP_STATUSES), reason: z.string().optional() })),
  comments: z.array(z.object({ at: z.number(), by: z.string(), text: z.string() })),
  links: z.object({ callId: z.string().optional(), recordingIds: z.array(z.string()), voicemail: z.object({ recording: z.string(), durationSeconds: z.number() }).optional(), transcript: z.boolean() }),
  callerNumber: z.string(), queue: z.string().optional(), createdAt: z.number(), createdBy: z.string(), updatedAt: z.number(), updatedBy: z.string(), revision: z.number().int(),
}).openapi('Followup');
const One = z.object({ followup: FollowupView });
const csvOf = <T extends string>(values: readonly T[], what: string) => z.string().max(200).optional()
  .refine((s) => s === undefined || s.split(',').every((v) => (values as readonly string[]).includes(v)), `comma-separated ${what}: ${values.join(', ')}`)
  .transform((s) => (s === undefined ? undefined : ([...new Set(s.split(','))] as T[])));
const SORTS = ['dueAt', '-dueAt', 'priority', '-priority', 'createdAt', '-createdAt'] as const;
const ListQuery = PageQuery.extend({
  status: csvOf(FOLLOWUP_STATUSES, 'statuses').openapi({ type: 'string', description: 'e.g. open,in-progress,waiting' }),
  kind: csvOf(FOLLOWUP_KINDS, 'kinds').openapi({ type: 'string', description: 'e.g. voicemail,callback' }),
  assignee: z.string().max(80).regex(new RegExp(`^(none|agent:${NAME_PATTERN.source.slice(1, -1)}|skill:${NAME_PATTERN.source.slice(1, -1)})$`), 'agent:ID, skill:NAME or none').optional(),
  mine: z.enum(['true', 'false']).optional().openapi({ description: 'true: assigned to me or to a skill I hold' }),
  dueBefore: z.coerce.number().int().min(0).max(9_999_999_999_999).optional().openapi({ description: 'due before (epoch ms, exclusive)' }),
  dueAfter: z.coerce.number().int().min(0).max(9_999_999_999_999).optional().openapi({ description: 'due at or after (epoch ms)' }),
  callId: z.string().min(1).max(256).optional(),
  sort: z.enum(SORTS).default('dueAt').openapi({ description: 'dueAt (default: soonest first), priority (-priority: urgent first), createdAt; "-" for descending' }),
});
const IdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a follow-up id').openapi({ param: { name: 'id', in: 'path' } }) });
const IfMatch = z.object({ 'if-match': z.string().max(40).optional().openapi({ description: 'The ETag you read ("3"): a stale one is 412' }) });
const Stale = { ...conflict, ...preconditionFailed, 428: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), 'A change without If-Match or revision (FOLLOWUP_REVISION_REQUIRED)') };

/** The audit log keeps what changed, not the comment thread (up to 500 × 4000 characters). */
const audited = ({ comments, statusTrail, ...rest }: Followup) => ({ ...rest, comments: comments.length });

function sortRows(rows: Followup[], sort: (typeof SORTS)[number]): Followup[] {
  const descending = sort.startsWith('-');
  const field = (descending ? sort.slice(1) : sort) as 'dueAt' | 'priority' | 'createdAt';
  const value = (f: Followup) => (field === 'priority' ? priorityRank(f.priority) : f[field]);
  // Ties: soonest due first, then id, so pages never shuffle between requests.
  return rows.sort((a, b) => (value(a) - value(b)) * (descending ? -1 : 1) || a.dueAt - b.dueAt || a.id.localeCompare(b.id));
}

export function followupRoutes(deps: FollowupRouteDeps) {
  const { followups } = deps;
  const app = new OpenAPIHono<ApiEnv>();
  const tags = ['followups'];
  const viewerOf = (c: Context<ApiEnv>): Viewer => {
    const p = c.get('principal');
    return { username: p.username, all: p.permissions.has('calls.read'), ...(p.agentId ? { agentId: p.agentId } : {}), skills: p.agentId ? (deps.skillsOf?.(p.agentId) ?? []) : [] };
  };
  /** Someone else's follow-up reads as absent: its caller's number is none of this agent's business. */
  const guardFor = (viewer: Viewer) => (f: Followup) => {
    if (!visibleTo(f, viewer)) throw new FollowupError('FOLLOWUP_NOT_FOUND', `no follow-up ${f.id}`);
  };
  const answer = <S extends 200 | 201>(c: Context<ApiEnv>, followup: Followup, status: S) => {
    c.header('etag', `"${followup.revision}"`);
    return c.json({ followup }, status);
  };
  const audit = (c: Context<ApiEnv>, action: string, id: string, detail: Record<string, unknown>) => deps.audit({ actor: c.get('principal').username, action, target: id, detail });

  app.openapi(secured('followups.read', createRoute({
    method: 'get', path: '/followups', tags, summary: 'Follow-ups (work orders): filters, sort, pages; an agent sees their own, their skills\', unassigned and the ones they wrote',
    request: { query: ListQuery }, responses: { 200: json(pageOf(FollowupView), 'Follow-ups') },
  })), async (c) => {
    const q = c.req.valid('query');
    const viewer = viewerOf(c);
    const query: FollowupQuery = {
      ...(q.status ? { status: q.status } : {}), ...(q.kind ? { kind: q.kind } : {}), ...(q.callId !== undefined ? { callId: q.callId } : {}),
      ...(q.dueBefore !== undefined ? { dueBefore: q.dueBefore } : {}), ...(q.dueAfter !== undefined ? { dueAfter: q.dueAfter } : {}),
      ...(q.assignee === 'none' ? { assignee: 'none' as const } : q.assignee ? { assignee: q.assignee.startsWith('agent:') ? { agent: q.assignee.slice(6) } : { skill: q.assignee.slice(6) } } : {}),
    };
    const rows = (await followups.list(query)).filter((f) => visibleTo(f, viewer) && (q.mine !== 'true' || assignedTo(f, viewer)));
    return c.json(paginate(sortRows(rows, q.sort), { limit: q.limit, cursor: q.cursor }) as never, 200);
  });

  app.openapi(secured('followups.write', createRoute({
    method: 'post', path: '/followups', tags, summary: 'Write a follow-up by hand (kind manual)', request: jsonBody(CreateInput), responses: { 201: json(One, 'Created (ETag: its revision)') },
  })), async (c) => {
    const created = await followups.create(c.req.valid('json'), c.get('principal').username);
    await audit(c, 'followup.create', created.id, { after: audited(created) });
    return answer(c, created, 201);
  });

  app.openapi(secured('followups.read', createRoute({
    method: 'get', path: '/followups/{id}', tags, summary: 'One follow-up with its status trail and comments (ETag: its revision)', request: { params: IdParam }, responses: { 200: json(One, 'The follow-up'), ...notFound },
  })), async (c) => {
    const followup = await followups.get(c.req.valid('param').id);
    guardFor(viewerOf(c))(followup);
    return answer(c, followup, 200);
  });

  app.openapi(secured('followups.write', createRoute({
    method: 'patch', path: '/followups/{id}', tags, summary: 'Change assignee, priority, due time, title or note: send If-Match (or revision)',
    request: { params: IdParam, headers: IfMatch, ...jsonBody(PatchInput) }, responses: { 200: json(One, 'Changed'), ...notFound, ...Stale },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const ifMatch = ifMatchRevision(c.req.valid('header')['if-match']);
    const { before, after } = await followups.patch(id, c.req.valid('json'), c.get('principal').username, { guard: guardFor(viewerOf(c)), ...(ifMatch !== undefined ? { ifMatch } : {}) });
    if (after !== before) await audit(c, 'followup.update', id, { before: audited(before), after: audited(after) });
    return answer(c, after, 200);
  });

  app.openapi(secured('followups.write', createRoute({
    method: 'post', path: '/followups/{id}/comments', tags, summary: 'Add a comment (at most 4000 characters)', request: { params: IdParam, ...jsonBody(CommentInput) },
    responses: { 201: json(One, 'Added'), ...notFound, ...conflict },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const { after } = await followups.comment(id, c.req.valid('json'), c.get('principal').username, { guard: guardFor(viewerOf(c)) });
    await audit(c, 'followup.comment', id, { comment: after.comments.at(-1) });
    return answer(c, after, 201);
  });

  app.openapi(secured('followups.write', createRoute({
    method: 'post', path: '/followups/{id}/status', tags, summary: 'Move to open, in-progress, waiting, done or cancelled, with a reason; an agent who starts one takes it over',
    request: { params: IdParam, headers: IfMatch, ...jsonBody(StatusInput) }, responses: { 200: json(One, 'Moved'), ...notFound, ...Stale },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    const ifMatch = ifMatchRevision(c.req.valid('header')['if-match']);
    const { before, after } = await followups.setStatus(id, c.req.valid('json'), principal.username, {
      guard: guardFor(viewerOf(c)), ...(ifMatch !== undefined ? { ifMatch } : {}), ...(principal.agentId ? { claim: principal.agentId } : {}),
    });
    await audit(c, 'followup.status', id, { before: audited(before), after: audited(after) });
    return answer(c, after, 200);
  });

  return app;
}
