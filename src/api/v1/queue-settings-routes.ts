// Queue and agent settings over the API (admins): each queue and agent is a document with its own
// revision (ETag; a stale If-Match is 409 QUEUE_SETTINGS_CONFLICT, "0" creates). A change is
// checked whole (overflow targets, unique extensions) and applied to the running ACD before it is
// written: removing a queue callers wait in, or an agent who is logged in, is 409 QUEUE_BUSY /
// AGENT_BUSY. Skills are read from agents (levels) and queues (requirements). Everything audited.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { QueueError } from '../../queue/queue-errors.ts';
import type { ApplySettings, QueueSettingsStore, SettingsKind } from '../../queue/queue-settings-store.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { ifMatchRevision } from './etag.ts';
import { json, jsonBody, notFound } from './schemas.ts';
import { secured } from './secured.ts';
import type { Audit } from './user-routes.ts';

export interface QueueSettingsDeps {
  settings: QueueSettingsStore;
  /** The running ACD takes the new set (QueueService.reconfigure). */
  apply: ApplySettings;
}

const Settings = z.record(z.string(), z.unknown());
const Stored = z.object({ value: Settings, revision: z.number().int(), updatedAt: z.number(), updatedBy: z.string() }).openapi('StoredSettings');
const IdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id: A-Z a-z 0-9 _ -').openapi({ param: { name: 'id', in: 'path' } }) });
const IfMatch = z.object({ 'if-match': z.string().max(40).optional().openapi({ description: 'The revision you read ("3"); "0" creates; without it the current revision is assumed' }) });
const Skill = z.object({ skill: z.string(), agents: z.array(z.object({ agentId: z.string(), level: z.number() })), queues: z.array(z.object({ queueId: z.string(), minLevel: z.number() })) }).openapi('Skill');

export function queueSettingsRoutes(deps: { queueSettings: QueueSettingsDeps | undefined; audit: Audit }) {
  const app = new OpenAPIHono<ApiEnv>();
  const configured = (): QueueSettingsDeps => {
    if (!deps.queueSettings) throw new ApiError(404, 'QUEUES_NOT_CONFIGURED', 'this site has no queues configured');
    return deps.queueSettings;
  };
  // The ACD's refusals are state conflicts.
  const apply: ApplySettings = async (queues, agents) => {
    try {
      await configured().apply(queues, agents);
    } catch (error) {
      if (error instanceof QueueError) throw new ApiError(409, error.code, error.message);
      throw error;
    }
  };

  app.openapi(secured('queues.read', createRoute({ method: 'get', path: '/queue-settings', tags: ['queues'], summary: 'Every queue\'s and agent\'s settings with their revisions', responses: { 200: json(z.object({ queues: z.array(Stored), agents: z.array(Stored) }), 'Settings') } })), (c) => {
    const { settings } = configured();
    return c.json({ queues: settings.list('queue'), agents: settings.list('agent') } as never, 200);
  });

  app.openapi(secured('queues.read', createRoute({ method: 'get', path: '/skills', tags: ['queues'], summary: 'Skills: which agents have them (level 1–5) and which queues require them', responses: { 200: json(z.object({ skills: z.array(Skill) }), 'Skills') } })), (c) => {
    const { settings } = configured();
    const skills = new Map<string, z.infer<typeof Skill>>();
    const of = (skill: string) => skills.get(skill) ?? skills.set(skill, { skill, agents: [], queues: [] }).get(skill)!;
    for (const agent of settings.agents()) for (const [skill, level] of Object.entries(agent.skills)) of(skill).agents.push({ agentId: agent.id, level });
    for (const queue of settings.queues()) for (const r of queue.requiredSkills) of(r.skill).queues.push({ queueId: queue.id, minLevel: r.minLevel });
    return c.json({ skills: [...skills.values()].sort((a, b) => a.skill.localeCompare(b.skill)) }, 200);
  });

  for (const [kind, base, readPermission] of [['queue', '/queues', 'queues.read'], ['agent', '/agents', 'agents.read']] as const) {
    const path = `${base}/{id}/settings`;
    const tags = [`${kind}s`];
    const current = (id: string) => configured().settings.get(kind as SettingsKind, id);
    const revisionOf = (id: string, header: string | undefined) => ifMatchRevision(header) ?? current(id)?.revision ?? 0;

    app.openapi(secured(readPermission, createRoute({ method: 'get', path, tags, summary: `A ${kind}'s settings (ETag: its revision)`, request: { params: IdParam }, responses: { 200: json(Stored, 'Settings'), ...notFound } })), (c) => {
      const { id } = c.req.valid('param');
      const stored = current(id);
      if (!stored) throw new ApiError(404, 'QUEUE_SETTINGS_NOT_FOUND', `no ${kind} ${id}`);
      c.header('etag', `"${stored.revision}"`);
      return c.json(stored as never, 200);
    });

    app.openapi(secured('queues.write', createRoute({
      method: 'put', path, tags, summary: `Create ("If-Match: \\"0\\"") or replace a ${kind}: applied to the running ACD at once`,
      request: { params: IdParam, headers: IfMatch, ...jsonBody(Settings) }, responses: { 200: json(Stored, 'Saved'), ...notFound },
    })), async (c) => {
      const { id } = c.req.valid('param');
      const before = current(id);
      const who = c.get('principal').username;
      const saved = await configured().settings.put(kind, id, c.req.valid('json'), revisionOf(id, c.req.valid('header')['if-match']), who, apply);
      await deps.audit({ actor: who, action: `${kind}.${before ? 'update' : 'create'}`, target: id, detail: { ...(before && { before: before.value }), after: saved.value } });
      c.header('etag', `"${saved.revision}"`);
      return c.json(saved as never, 200);
    });

    app.openapi(secured('queues.write', createRoute({
      method: 'delete', path, tags, summary: `Remove a ${kind} (409 while callers wait in the queue / the agent is logged in)`,
      request: { params: IdParam, headers: IfMatch }, responses: { 204: { description: 'Removed' }, ...notFound },
    })), async (c) => {
      const { id } = c.req.valid('param');
      const before = current(id);
      await configured().settings.remove(kind, id, revisionOf(id, c.req.valid('header')['if-match']), apply);
      await deps.audit({ actor: c.get('principal').username, action: `${kind}.delete`, target: id, detail: { before: before?.value } });
      return c.body(null, 204);
    });
  }
  return app;
}
