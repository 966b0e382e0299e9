// IVR flows over the API (the visual editor's backend): drafts with revisions (saving on a stale
// revision is 409 FLOW_CONFLICT), validation with every problem's path, simulation, publishing a
// draft as a new immutable version, rollback, and the published versions. Every change is audited.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { memoryLookup } from '../../ivr/flow-files.ts';
import type { FlowStore } from '../../ivr/flow-store.ts';
import { simulateFlow } from '../../ivr/simulate.ts';
import { validateFlow, type ValidationOptions } from '../../ivr/validator.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { ifMatchRevision } from './etag.ts';
import { json, jsonBody, notFound } from './schemas.ts';
import { secured } from './secured.ts';
import type { Audit } from './user-routes.ts';

const IdParam = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a flow id: a-z, 0-9, "-", "_"').openapi({ param: { name: 'id', in: 'path' } }) });
const VersionParam = IdParam.extend({ version: z.coerce.number().int().min(1).openapi({ param: { name: 'version', in: 'path' } }) });
const Doc = z.record(z.string(), z.unknown()).openapi('FlowDocument', { description: 'A flow: id, name, languages, defaultLanguage, start, nodes (see `deskline flows schema`)' });
const Problem = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string(), severity: z.enum(['error', 'warning']) }).passthrough();
const Conflict = { 409: { description: 'The draft was saved by someone else since the revision you read (FLOW_CONFLICT)', content: { 'application/json': { schema: z.object({ error: z.object({ code: z.string(), message: z.string() }) }) } } } };
const IfMatch = z.object({ 'if-match': z.string().max(40).optional().openapi({ description: 'The draft revision you read ("3"); "0" for a new flow; without it the current revision is assumed' }) });
const Simulation = z.object({
  digits: z.array(z.string().max(40)).max(100).default([]), say: z.array(z.string().max(1000)).max(50).default([]),
  at: z.number().int().min(0).optional().openapi({ description: 'The call\'s time (epoch ms; default now): business hours depend on it' }),
  timezone: z.string().max(64).default('UTC'), callerNumber: z.string().max(40).optional(), vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  queue: z.enum(['answered', 'overflow', 'wait', 'unavailable']).default('answered'),
  http: z.object({ status: z.number().int().min(100).max(599), body: z.unknown().optional() }).optional().openapi({ description: 'How http nodes are answered (fixed; the API never calls out)' }),
}).strict().openapi('FlowSimulation');

/** Validator problems as the documented JSON (paths of strings and indexes). */
const asJson = (problems: readonly unknown[]) => problems as { path: (string | number)[]; message: string; severity: 'error' | 'warning' }[];

export function flowRoutes(deps: { flows: FlowStore; audit: Audit; now: () => number; validation: () => ValidationOptions }) {
  const { flows } = deps;
  const app = new OpenAPIHono<ApiEnv>();
  const tags = ['flows'];
  const who = (c: { get(k: 'principal'): { username: string } }) => c.get('principal').username;
  const revisionFrom = async (id: string, header: string | undefined) => ifMatchRevision(header) ?? (await flows.draft(id))?.revision ?? 0;

  app.openapi(secured('flows.read', createRoute({ method: 'get', path: '/flows', tags, summary: 'Flows: draft revision, published version, number of versions', responses: { 200: json(z.object({ flows: z.array(z.object({ id: z.string(), draftRevision: z.number(), publishedVersion: z.number().optional(), versions: z.number() })) }), 'Flows') } })),
    async (c) => c.json({ flows: await flows.list() }, 200));

  app.openapi(secured('flows.read', createRoute({
    method: 'get', path: '/flows/{id}', tags, summary: 'A flow\'s draft (ETag: its revision) and published version', request: { params: IdParam },
    responses: { 200: json(z.object({ id: z.string(), draft: z.object({ doc: z.unknown(), revision: z.number(), savedAt: z.number(), savedBy: z.string() }).nullable(), publishedVersion: z.number().nullable() }), 'The flow'), ...notFound },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const draft = await flows.draft(id);
    const publishedVersion = flows.current(id) ?? null;
    if (!draft && publishedVersion === null) throw new ApiError(404, 'FLOW_NOT_FOUND', `no flow ${id}`);
    if (draft) c.header('etag', `"${draft.revision}"`);
    return c.json({ id, draft: draft ?? null, publishedVersion }, 200);
  });

  app.openapi(secured('flows.read', createRoute({ method: 'get', path: '/flows/{id}/versions/{version}', tags, summary: 'A published version (immutable)', request: { params: VersionParam }, responses: { 200: json(z.object({ doc: Doc }), 'The version'), ...notFound } })), (c) => {
    const { id, version } = c.req.valid('param');
    const doc = flows.get(id, version);
    if (!doc) throw new ApiError(404, 'FLOW_NOT_FOUND', `flow ${id} has no version ${version}`);
    return c.json({ doc: doc as unknown as Record<string, unknown> }, 200);
  });

  app.openapi(secured('flows.write', createRoute({
    method: 'put', path: '/flows/{id}', tags, summary: 'Save the draft (may be invalid: validate before publishing)',
    request: { params: IdParam, headers: IfMatch, ...jsonBody(Doc) }, responses: { 200: json(z.object({ revision: z.number(), problems: z.array(Problem) }), 'Saved, with the validator\'s findings'), ...Conflict },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const doc = c.req.valid('json');
    if (doc.id !== undefined && doc.id !== id) throw new ApiError(400, 'FLOW_INVALID', `the document's id is ${JSON.stringify(doc.id)}, not ${id}`, [{ path: ['id'], message: 'must match the id in the path', severity: 'error' }]);
    const revision = await flows.saveDraft(id, { ...doc, id }, await revisionFrom(id, c.req.valid('header')['if-match']), who(c));
    await deps.audit({ actor: who(c), action: 'flows.save-draft', target: id, detail: { revision } });
    c.header('etag', `"${revision}"`);
    return c.json({ revision, problems: asJson(validateFlow({ ...doc, id }, { hasFlow: (f) => f === id || flows.current(f) !== undefined, ...deps.validation() }).problems) }, 200);
  });

  app.openapi(secured('flows.read', createRoute({
    method: 'post', path: '/flows/{id}/validate', tags, summary: 'Validate a document (or the saved draft when the body is {})',
    request: { params: IdParam, ...jsonBody(Doc) }, responses: { 200: json(z.object({ ok: z.boolean(), errors: z.array(Problem), warnings: z.array(Problem) }), 'Findings') },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const doc = Object.keys(body).length ? body : (await flows.draft(id))?.doc;
    if (doc === undefined) throw new ApiError(404, 'FLOW_NOT_FOUND', `no draft of flow ${id}`);
    const checked = validateFlow(doc, { hasFlow: (f) => f === id || flows.current(f) !== undefined, ...deps.validation() });
    return c.json({ ok: checked.errors.length === 0, errors: asJson(checked.errors), warnings: asJson(checked.warnings) }, 200);
  });

  app.openapi(secured('flows.read', createRoute({
    method: 'post', path: '/flows/{id}/simulate', tags, summary: 'Run the draft (or published version) as a simulated call: path, prompts, variables, outcome',
    request: { params: IdParam, ...jsonBody(Simulation) }, responses: { 200: json(z.record(z.string(), z.unknown()).openapi('SimulationResult'), 'What the call did'), ...notFound },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const s = c.req.valid('json');
    const draft = await flows.draft(id);
    const version = flows.current(id);
    const source = draft?.doc ?? (version !== undefined ? flows.get(id, version) : undefined);
    if (source === undefined) throw new ApiError(404, 'FLOW_NOT_FOUND', `no flow ${id}`);
    const checked = validateFlow(source, { hasFlow: (f) => f === id || flows.current(f) !== undefined });
    if (!checked.flow) throw new ApiError(400, 'FLOW_INVALID', `flow ${id} has ${checked.errors.length} error(s): validate it first`, checked.errors);
    // Sub-flows run their published versions, as on a call.
    const others = (await flows.list()).flatMap((f) => (f.id !== id && f.publishedVersion !== undefined ? [flows.get(f.id, f.publishedVersion)!] : []));
    const result = await simulateFlow(memoryLookup([checked.flow, ...others]), checked.flow, 1, {
      digits: s.digits, say: s.say, at: s.at ?? deps.now(), timezone: s.timezone, queue: s.queue,
      ...(s.callerNumber ? { callerNumber: s.callerNumber } : {}), ...(s.vars ? { vars: s.vars } : {}),
      http: { mode: 'fixed', status: s.http?.status ?? 200, body: s.http?.body ?? {} },
    });
    return c.json(result as unknown as Record<string, unknown>, 200);
  });

  app.openapi(secured('flows.write', createRoute({
    method: 'post', path: '/flows/{id}/publish', tags, summary: 'Publish the draft as the next version: new calls get it, calls in progress keep theirs',
    request: { params: IdParam, headers: IfMatch }, responses: { 200: json(z.object({ version: z.number() }), 'Published'), ...notFound, ...Conflict },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const version = await flows.publish(id, await revisionFrom(id, c.req.valid('header')['if-match']), who(c), deps.validation());
    await deps.audit({ actor: who(c), action: 'flows.publish', target: id, detail: { version } });
    return c.json({ version }, 200);
  });

  app.openapi(secured('flows.write', createRoute({
    method: 'post', path: '/flows/{id}/rollback', tags, summary: 'New calls get an earlier version again',
    request: { params: IdParam, ...jsonBody(z.object({ version: z.number().int().min(1) }).strict()) }, responses: { 200: json(z.object({ version: z.number() }), 'Rolled back'), ...notFound },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const { version } = c.req.valid('json');
    const before = flows.current(id);
    await flows.rollback(id, version, who(c));
    await deps.audit({ actor: who(c), action: 'flows.rollback', target: id, detail: { before, after: version } });
    return c.json({ version }, 200);
  });

  return app;
}
