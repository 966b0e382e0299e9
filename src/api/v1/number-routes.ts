// Number routes over the API: which flow a dialed number (DID) runs, as one document with a
// revision (ETag; a stale If-Match is 409 FLOW_CONFLICT, like flows). Saving names every bad field;
// routes to flows with no published version are saved with a warning (publish the flow next).
// "Test a number" answers which flow a call would run at a given time (business hours apply).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { FlowStore } from '../../ivr/flow-store.ts';
import type { RouteStore, RouteTable } from '../../ivr/route-store.ts';
import type { Problem } from '../../ivr/flow-types.ts';
import type { ApiEnv } from './api-env.ts';
import { ifMatchRevision } from './etag.ts';
import { json, jsonBody } from './schemas.ts';
import { secured } from './secured.ts';
import type { Audit } from './user-routes.ts';

const Route = z.object({ number: z.string(), flow: z.string(), hours: z.record(z.string(), z.unknown()).optional(), closedFlow: z.string().optional() }).openapi('NumberRoute', {
  description: 'number: exact, a prefix ending in * ("400*"), or * for all; flow: the flow id; hours (business hours) and closedFlow: the flow outside them',
});
const Warning = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string(), severity: z.enum(['error', 'warning']) });
const Table = z.object({ routes: z.array(Route), revision: z.number().int(), updatedAt: z.number(), updatedBy: z.string(), warnings: z.array(Warning) }).openapi('NumberRoutes');
const Save = z.object({ routes: z.array(z.unknown()).max(1000) }).strict().openapi('NumberRoutesInput');
const IfMatch = z.object({ 'if-match': z.string().max(40).optional().openapi({ description: 'The revision you read ("3"); without it the current revision is assumed' }) });
const Resolve = z.object({ number: z.string().min(1).max(40), at: z.number().int().min(0).optional().openapi({ description: 'The call\'s time (epoch ms; default now)' }) }).strict();

export interface NumberRouteDeps {
  routes: RouteStore;
  flows: Pick<FlowStore, 'current'>;
  audit: Audit;
  now: () => number;
}

/** Routes to flows new calls cannot run yet: saved, but worth a warning. */
function warningsOf(table: RouteTable, flows: NumberRouteDeps['flows']): Problem[] {
  return table.routes.flatMap((route, i) => (['flow', 'closedFlow'] as const)
    .filter((field) => route[field] !== undefined && flows.current(route[field]!) === undefined)
    .map((field) => ({ path: [i, field], message: `flow ${route[field]} has no published version: calls to ${route.number} get the greeting until it is published`, severity: 'warning' as const })));
}

export function numberRoutes(deps: NumberRouteDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const tags = ['flows'];
  const view = (table: RouteTable) => ({ routes: table.routes, revision: table.revision, updatedAt: table.updatedAt, updatedBy: table.updatedBy, warnings: warningsOf(table, deps.flows) });

  app.openapi(secured('flows.read', createRoute({ method: 'get', path: '/number-routes', tags, summary: 'Number routes: dialed number → flow (ETag: the revision)', responses: { 200: json(Table, 'The routes') } })), (c) => {
    const table = deps.routes.current();
    c.header('etag', `"${table.revision}"`);
    return c.json(view(table), 200);
  });

  app.openapi(secured('flows.write', createRoute({
    method: 'put', path: '/number-routes', tags, summary: 'Replace the number routes (a stale revision is 409 FLOW_CONFLICT; bad routes 400 with every problem)',
    request: { headers: IfMatch, ...jsonBody(Save) }, responses: { 200: json(Table, 'Saved') },
  })), async (c) => {
    const before = deps.routes.current();
    const revision = ifMatchRevision(c.req.valid('header')['if-match']) ?? before.revision;
    const who = c.get('principal').username;
    const saved = await deps.routes.save(c.req.valid('json').routes, revision, who);
    await deps.audit({ actor: who, action: 'routes.update', target: 'number-routes', detail: { before: before.routes, after: saved.routes, revision: saved.revision } });
    c.header('etag', `"${saved.revision}"`);
    return c.json(view(saved), 200);
  });

  app.openapi(secured('flows.read', createRoute({
    method: 'post', path: '/number-routes/resolve', tags, summary: 'Test a number: the flow (and its published version) a call to it would run',
    request: jsonBody(Resolve), responses: { 200: json(z.object({ number: z.string(), at: z.number(), flow: z.string().nullable(), publishedVersion: z.number().nullable() }), 'Where the call goes (flow null: the greeting)') },
  })), (c) => {
    const { number, at = deps.now() } = c.req.valid('json');
    const flow = deps.routes.resolve(number, at) ?? null;
    return c.json({ number, at, flow, publishedVersion: flow === null ? null : deps.flows.current(flow) ?? null }, 200);
  });
  return app;
}
