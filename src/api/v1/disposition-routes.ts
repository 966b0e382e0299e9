// Call classification over the API. Admins (queues.write: there are no dispositions.*
// permissions) keep the category tree and each queue's wrap-up policy, as documents with
// revisions (If-Match; "0" creates; stale: 409 DISPOSITION_CONFLICT). An agent classifies their
// own call (calls.control; "own" as in call-routes: the agent on the live call — and, since
// wrap-up comes after the hangup, any agent the call's trail says it was connected to);
// supervisors and admins (calls.read) any call. Reports by category and the repeat-call analysis
// need reports.read. Every change is audited with before/after.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Principal } from '../../auth/auth-service.ts';
import { DISPOSITION_ERROR_STATUS, DispositionError } from '../../dispositions/disposition-errors.ts';
import type { DispositionService } from '../../dispositions/disposition-service.ts';
import { POLICIES } from '../../dispositions/disposition-types.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { ifMatchRevision } from './etag.ts';
import { json, jsonBody, notFound } from './schemas.ts';
import { secured } from './secured.ts';
import type { Audit } from './user-routes.ts';

export interface DispositionRouteDeps {
  dispositions: DispositionService;
  audit: Audit;
  /** The agent on a live call (from the queue), as call-routes uses it. */
  agentOn: (callId: string) => string | undefined;
}

const Stored = (value: z.ZodType) => z.object({ value, revision: z.number().int(), updatedAt: z.number(), updatedBy: z.string() });
const Category = z.object({
  id: z.string(), names: z.object({ en: z.string(), 'zh-CN': z.string() }), parentId: z.string().optional(), active: z.boolean(),
  match: z.object({ flows: z.array(z.string()).optional(), menuKeys: z.array(z.string()).optional(), articles: z.array(z.string()).optional(), campaigns: z.array(z.string()).optional() }).optional(),
}).openapi('DispositionCategory');
const StoredCategory = Stored(Category).openapi('StoredDispositionCategory');
const CategoryInput = z.record(z.string(), z.unknown()).openapi('DispositionCategoryInput', {
  description: '{"names": {"en", "zh-CN"}, "parentId"?, "active"? (false retires it: old calls keep it, new ones cannot choose it), "match"?: {"flows"?, "menuKeys"? (keys pressed in IVR menus in order, e.g. "21"), "articles"?, "campaigns"?}}',
});
const Policy = z.enum(POLICIES);
const StoredPolicy = z.object({ queueId: z.string(), policy: Policy, revision: z.number().int(), updatedAt: z.number(), updatedBy: z.string() }).openapi('DispositionPolicy');
const Entry = z.object({ categoryId: z.string(), by: z.string(), at: z.number(), note: z.string().optional() });
const CallDisposition = z.object({ callId: z.string(), startedAt: z.number(), caller: z.string(), queues: z.array(z.string()), categoryId: z.string(), history: z.array(Entry) }).openapi('CallDisposition');
const Suggested = z.object({ categoryId: z.string(), score: z.number(), reasons: z.array(z.record(z.string(), z.unknown())) }).openapi('SuggestedDisposition');
const WrapUp = z.object({ callId: z.string(), queue: z.string().optional(), policy: Policy, agents: z.array(z.string()), suggestions: z.array(Suggested), current: CallDisposition.optional() }).openapi('DispositionWrapUp');
const SetDisposition = z.object({
  categoryId: z.string().min(1).max(64).openapi({ description: 'An active category' }),
  note: z.string().max(2000).optional(),
}).strict().openapi('SetDisposition');
const CategoryId = z.object({ id: z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'an id: lower-case letters, digits, - and _').max(64).openapi({ param: { name: 'id', in: 'path' } }) });
const QueueId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a queue id: A-Z a-z 0-9 _ -').openapi({ param: { name: 'id', in: 'path' } }) });
const CallId = z.object({ id: z.string().max(256).openapi({ param: { name: 'id', in: 'path' } }) });
const IfMatch = z.object({ 'if-match': z.string().max(40).optional().openapi({ description: 'The revision you read ("3"); "0" creates; without it the current revision is assumed' }) });
const Instant = z.string().max(40).openapi({ description: 'Epoch ms, or ISO 8601 (2026-03-01 or 2026-03-01T08:00+08:00)' });
const ReportQuery = z.object({ from: Instant, to: Instant, queue: z.string().max(64).optional().openapi({ description: 'Only calls that joined this queue' }) });
const Count = z.object({ categoryId: z.string(), calls: z.number().int(), share: z.number() });
const RepeatRow = z.object({ categoryId: z.string(), calls: z.number().int(), repeated: z.number().int(), rate: z.number().nullable(), anonymous: z.number().int() });
const Report = z.object({
  query: z.object({ from: z.number(), to: z.number(), queue: z.string().optional(), windowHours: z.number() }),
  classified: z.number().int(), byCategory: z.array(Count), byTopLevel: z.array(Count),
  repeat: z.object({ byCategory: z.array(RepeatRow), byTopLevel: z.array(RepeatRow) }),
}).openapi('DispositionReport');
const Conflict = { 409: { description: 'Stale revision (DISPOSITION_CONFLICT), retired category (DISPOSITION_RETIRED), or in use (DISPOSITION_IN_USE)', content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } } } } as const;

/** ISO or epoch ms → ms; anything else NaN (refused with the field named). */
const instant = (text: string) => (/^\d{1,15}$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN);

/** The capability's errors in the API's error shape (until api-error.ts maps DispositionError itself). */
async function guarded<T>(job: () => Promise<T>): Promise<T> {
  try {
    return await job();
  } catch (error) {
    if (error instanceof DispositionError) throw new ApiError(DISPOSITION_ERROR_STATUS[error.code], error.code, error.message, error.issues.length ? error.issues : undefined);
    throw error;
  }
}

export function dispositionRoutes(deps: DispositionRouteDeps) {
  const { dispositions } = deps;
  const app = new OpenAPIHono<ApiEnv>();
  const tags = ['dispositions'];
  const who = (c: { get(k: 'principal'): Principal }) => c.get('principal').username;
  const ownCall = async (p: Principal, callId: string) =>
    p.permissions.has('calls.read') || (p.agentId !== undefined && (deps.agentOn(callId) === p.agentId || (await dispositions.agentsOn(callId)).includes(p.agentId)));
  const mustOwn = async (p: Principal, callId: string) => {
    if (!(await ownCall(p, callId))) throw new ApiError(403, 'FORBIDDEN', `you are not the agent on call ${callId}`);
  };

  app.openapi(secured('queues.read', createRoute({ method: 'get', path: '/dispositions/categories', tags, summary: 'Every disposition category (retired ones too: old calls show them), with revisions', responses: { 200: json(z.object({ categories: z.array(StoredCategory) }), 'Categories') } })), async (c) =>
    c.json({ categories: await dispositions.store.categories() } as never, 200));

  app.openapi(secured('queues.write', createRoute({
    method: 'put', path: '/dispositions/categories/{id}', tags, summary: 'Create ("If-Match: \\"0\\"") or replace a category; active: false retires it',
    request: { params: CategoryId, headers: IfMatch, ...jsonBody(CategoryInput) }, responses: { 200: json(StoredCategory, 'Saved'), ...Conflict },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const revision = ifMatchRevision(c.req.valid('header')['if-match']) ?? (await dispositions.store.category(id))?.revision ?? 0;
    const { before, after } = await guarded(() => dispositions.store.putCategory(id, c.req.valid('json'), revision, who(c)));
    await deps.audit({ actor: who(c), action: `disposition.category.${before ? 'update' : 'create'}`, target: id, detail: { ...(before && { before: before.value }), after: after.value } });
    c.header('etag', `"${after.revision}"`);
    return c.json(after as never, 200);
  });

  app.openapi(secured('queues.write', createRoute({
    method: 'delete', path: '/dispositions/categories/{id}', tags, summary: 'Delete a category no call and no sub-category uses (otherwise retire it)',
    request: { params: CategoryId, headers: IfMatch }, responses: { 204: { description: 'Deleted' }, ...notFound, ...Conflict },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const before = await guarded(() => dispositions.store.deleteCategory(id, ifMatchRevision(c.req.valid('header')['if-match'])));
    await deps.audit({ actor: who(c), action: 'disposition.category.delete', target: id, detail: { before: before.value } });
    return c.body(null, 204);
  });

  app.openapi(secured('queues.read', createRoute({ method: 'get', path: '/dispositions/queues', tags, summary: `Each queue's wrap-up policy (${POLICIES.join(' | ')}); queues not listed are optional`, responses: { 200: json(z.object({ policies: z.array(StoredPolicy) }), 'Policies') } })), async (c) => {
    const policies = (await dispositions.store.policies()).map(({ queueId, stored }) => ({ queueId, policy: stored.value, revision: stored.revision, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy }));
    return c.json({ policies }, 200);
  });

  app.openapi(secured('queues.write', createRoute({
    method: 'put', path: '/dispositions/queues/{id}', tags, summary: 'Set a queue\'s wrap-up policy: required (the agent must classify), optional, off',
    request: { params: QueueId, headers: IfMatch, ...jsonBody(z.object({ policy: Policy }).strict().openapi('SetDispositionPolicy')) }, responses: { 200: json(StoredPolicy, 'Saved'), ...Conflict },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const revision = ifMatchRevision(c.req.valid('header')['if-match']) ?? (await dispositions.store.policy(id))?.revision ?? 0;
    const { before, after } = await guarded(() => dispositions.store.putPolicy(id, c.req.valid('json').policy, revision, who(c)));
    await deps.audit({ actor: who(c), action: 'disposition.policy.set', target: id, detail: { ...(before && { before: before.value }), after: after.value } });
    c.header('etag', `"${after.revision}"`);
    return c.json({ queueId: id, policy: after.value, revision: after.revision, updatedAt: after.updatedAt, updatedBy: after.updatedBy }, 200);
  });

  app.openapi(secured('calls.control', createRoute({
    method: 'get', path: '/calls/{id}/disposition/suggestions', tags, summary: 'Wrap-up: ranked category suggestions from the call (knowledge articles, IVR path, campaign), the queue\'s policy and the current classification (agents: their own call)',
    request: { params: CallId }, responses: { 200: json(WrapUp, 'Suggestions'), ...notFound },
  })), async (c) => {
    const { id } = c.req.valid('param');
    await mustOwn(c.get('principal'), id);
    return c.json((await guarded(() => dispositions.wrapUp(id))) as never, 200);
  });

  app.openapi(secured('calls.control', createRoute({
    method: 'get', path: '/calls/{id}/disposition', tags, summary: 'A call\'s classification and its history (agents: their own call)',
    request: { params: CallId }, responses: { 200: json(z.object({ disposition: CallDisposition.nullable() }), 'The classification (null: none yet)'), ...notFound },
  })), async (c) => {
    const { id } = c.req.valid('param');
    await mustOwn(c.get('principal'), id);
    return c.json({ disposition: (await dispositions.current(id)) ?? null } as never, 200);
  });

  app.openapi(secured('calls.control', createRoute({
    method: 'put', path: '/calls/{id}/disposition', tags, summary: 'Classify a call (again: the last wins, the history keeps every entry) (agents: their own call)',
    request: { params: CallId, ...jsonBody(SetDisposition) }, responses: { 200: json(z.object({ disposition: CallDisposition }), 'Classified'), ...notFound, ...Conflict },
  })), async (c) => {
    const { id } = c.req.valid('param');
    await mustOwn(c.get('principal'), id);
    const body = c.req.valid('json');
    const { before, after } = await guarded(() => dispositions.classify(id, body.categoryId, who(c), body.note));
    await deps.audit({ actor: who(c), action: 'disposition.set', target: id, detail: { ...(before && { before: before.history.at(-1) }), after: after.history.at(-1) } });
    return c.json({ disposition: after } as never, 200);
  });

  app.openapi(secured('reports.read', createRoute({
    method: 'get', path: '/reports/dispositions', tags: ['reports', ...tags], summary: 'Classified calls by category and by top-level category, and which categories drive repeat calls (same number again within acd.repeatCallerWindowHours)',
    request: { query: ReportQuery }, responses: { 200: json(Report, 'The report') },
  })), async (c) => {
    const q = c.req.valid('query');
    const from = instant(q.from), to = instant(q.to);
    for (const [field, value] of [['from', from], ['to', to]] as const) {
      if (!Number.isFinite(value)) throw new ApiError(400, 'DISPOSITION_INVALID', `${field} must be epoch ms or an ISO date`, [{ path: [field], message: 'epoch ms or ISO 8601' }]);
    }
    const report = await guarded(() => dispositions.report({ from, to, ...(q.queue !== undefined ? { queue: q.queue } : {}) }));
    return c.json(report as never, 200);
  });

  return app;
}
