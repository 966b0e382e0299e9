// Outbound campaigns over the API: campaigns (If-Match on changes), their contacts (JSON rows or a
// CSV file, every bad row named), start/pause/resume/stop, live progress, results as CSV, and the
// do-not-call list. The service audits each change.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { CampaignService } from '../../campaigns/campaign-service.ts';
import type { ApiEnv } from './api-env.ts';
import { ApiError } from './api-error.ts';
import { json, jsonBody, notFound } from './schemas.ts';
import { secured } from './secured.ts';

const Campaign = z.record(z.string(), z.unknown()).openapi('Campaign', { description: 'id, name, type (automated | progressive), flowId, queueId?, dial ("PJSIP/{number}@carrier"), callerId, timezone?, schedule {windows {mon: [{from, to}] …}, holidays}, pacing, retry, state, revision' });
const CampaignInput = z.record(z.string(), z.unknown()).openapi('CampaignInput', { description: 'Campaign fields without id, state and revision; bad fields are named in error.details' });
const Progress = z.record(z.string(), z.unknown()).openapi('CampaignProgress', { description: 'contacts by state, attempts by outcome, dialingNow' });
const Contact = z.record(z.string(), z.unknown()).openapi('CampaignContact');
const IdParam = z.object({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' } }) });
const Action = z.object({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' } }), action: z.enum(['start', 'pause', 'resume', 'stop']).openapi({ param: { name: 'action', in: 'path' } }) });
const IfMatch = z.object({ 'if-match': z.string().optional().openapi({ description: 'The revision you read (409 when it moved on)' }) });
const NumberParam = z.object({ number: z.string().max(24).openapi({ param: { name: 'number', in: 'path' } }) });

export function campaignRoutes(deps: { campaigns: () => CampaignService }) {
  const app = new OpenAPIHono<ApiEnv>();
  const who = (c: { get(k: 'principal'): { username: string } }) => c.get('principal').username;
  const tags = ['campaigns'];
  const revisionOf = (header: string | undefined) => {
    if (header === undefined) return undefined;
    const n = Number(header.replace(/"/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new ApiError(400, 'BAD_REQUEST', 'If-Match holds the revision number you read');
    return n;
  };

  app.openapi(secured('campaigns.read', createRoute({ method: 'get', path: '/campaigns', tags, summary: 'Campaigns with their progress', responses: { 200: json(z.object({ campaigns: z.array(z.object({ campaign: Campaign, progress: Progress })) }), 'Campaigns') } })),
    (c) => c.json({ campaigns: deps.campaigns().list().map((campaign) => ({ campaign, progress: deps.campaigns().progress(campaign.id) })) }, 200));
  app.openapi(secured('campaigns.write', createRoute({ method: 'post', path: '/campaigns', tags, summary: 'Create a campaign (state draft)', request: jsonBody(CampaignInput), responses: { 201: json(z.object({ campaign: Campaign }), 'Created') } })),
    async (c) => c.json({ campaign: await deps.campaigns().create(c.req.valid('json'), who(c)) }, 201));
  app.openapi(secured('campaigns.read', createRoute({ method: 'get', path: '/campaigns/{id}', tags, summary: 'One campaign and its progress', request: { params: IdParam }, responses: { 200: json(z.object({ campaign: Campaign, progress: Progress }), 'The campaign'), ...notFound } })), (c) => {
    const { id } = c.req.valid('param');
    return c.json({ campaign: deps.campaigns().get(id), progress: deps.campaigns().progress(id) }, 200);
  });
  app.openapi(secured('campaigns.write', createRoute({ method: 'put', path: '/campaigns/{id}', tags, summary: 'Change a campaign that is not running', request: { params: IdParam, headers: IfMatch, ...jsonBody(CampaignInput) }, responses: { 200: json(z.object({ campaign: Campaign }), 'Changed'), ...notFound } })),
    async (c) => c.json({ campaign: await deps.campaigns().update(c.req.valid('param').id, c.req.valid('json'), revisionOf(c.req.valid('header')['if-match']), who(c)) }, 200));
  app.openapi(secured('campaigns.write', createRoute({ method: 'delete', path: '/campaigns/{id}', tags, summary: 'Delete a campaign that is not running, with its contacts', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...notFound } })), async (c) => {
    await deps.campaigns().remove(c.req.valid('param').id, who(c));
    return c.body(null, 204);
  });
  app.openapi(secured('campaigns.read', createRoute({ method: 'get', path: '/campaigns/{id}/contacts', tags, summary: 'Contacts with their attempts and results', request: { params: IdParam }, responses: { 200: json(z.object({ contacts: z.array(Contact) }), 'Contacts'), ...notFound } })),
    (c) => c.json({ contacts: deps.campaigns().contacts(c.req.valid('param').id) as unknown as Record<string, unknown>[] }, 200));
  app.openapi(secured('campaigns.write', createRoute({
    method: 'post', path: '/campaigns/{id}/contacts', tags,
    summary: 'Add contacts: JSON {contacts: [{number, name?, timezone?, id?, fields?}]} or a CSV file (header: number, name, timezone, id, then any fields); any bad row and nothing is added',
    request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.unknown().openapi({ description: '{"contacts": [{number, name?, timezone?, id?, fields?}]}; validated by the service, row by row' }) }, 'text/csv': { schema: z.string() } } } },
    responses: { 200: json(z.object({ added: z.number().int() }), 'Added'), ...notFound },
  })), async (c) => {
    const { id } = c.req.valid('param');
    const type = c.req.header('content-type') ?? '';
    if (type.startsWith('text/csv')) {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new ApiError(400, 'BAD_REQUEST', 'the CSV is not UTF-8 text');
      }
      return c.json(await deps.campaigns().importCsv(id, text, who(c)), 200);
    }
    const body = await c.req.json().catch(() => undefined) as { contacts?: unknown } | undefined;
    if (!body || !Array.isArray(body.contacts)) throw new ApiError(400, 'BAD_REQUEST', 'send {"contacts": [{"number": "…"}, …]} as JSON, or a CSV file as text/csv');
    return c.json(await deps.campaigns().addContacts(id, body.contacts, who(c)), 200);
  });
  // After /contacts: Hono matches in order, and {action} would take 'contacts'.
  app.openapi(secured('campaigns.write', createRoute({ method: 'post', path: '/campaigns/{id}/{action}', tags, summary: 'Start, pause, resume or stop (state is kept; a restart resumes a running campaign)', request: { params: Action }, responses: { 200: json(z.object({ campaign: Campaign }), 'New state'), ...notFound } })), async (c) => {
    const { id, action } = c.req.valid('param');
    return c.json({ campaign: await deps.campaigns().setState(id, action, who(c)) }, 200);
  });
  app.openapi(secured('campaigns.read', createRoute({ method: 'get', path: '/campaigns/{id}/results.csv', tags, summary: 'Results per contact as CSV', request: { params: IdParam }, responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...notFound } })), (c) => {
    const { id } = c.req.valid('param');
    return c.body(deps.campaigns().resultsCsv(id), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="campaign-${id}.csv"` }) as never;
  });

  app.openapi(secured('campaigns.read', createRoute({ method: 'get', path: '/do-not-call', tags, summary: 'The do-not-call list (checked before every campaign dial)', responses: { 200: json(z.object({ numbers: z.array(z.object({ number: z.string(), addedAt: z.number(), by: z.string(), reason: z.string().optional() })) }), 'Numbers') } })),
    async (c) => c.json({ numbers: await deps.campaigns().dncList() }, 200));
  app.openapi(secured('campaigns.write', createRoute({ method: 'post', path: '/do-not-call', tags, summary: 'Add numbers to the do-not-call list', request: jsonBody(z.object({ numbers: z.array(z.object({ number: z.string(), reason: z.string().max(200).optional() })).min(1).max(100_000) })), responses: { 200: json(z.object({ added: z.number().int() }), 'Added') } })),
    async (c) => c.json(await deps.campaigns().addDnc(c.req.valid('json').numbers, who(c)), 200));
  app.openapi(secured('campaigns.write', createRoute({ method: 'delete', path: '/do-not-call/{number}', tags, summary: 'Take a number off the do-not-call list', request: { params: NumberParam }, responses: { 204: { description: 'Removed' } } })), async (c) => {
    await deps.campaigns().removeDnc(c.req.valid('param').number, who(c));
    return c.body(null, 204);
  });
  return app;
}
