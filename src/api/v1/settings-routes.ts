// The site's settings (technicians and admins): what the site file, the environment and the
// changes made here make of every setting, secrets redacted. A few settings may be changed here
// (EDITABLE_SETTINGS: names, time-outs, service level, retention, log level…); where Asterisk is,
// ports and paths are provisioning's (a new site file). Each change says whether it applied at
// once or needs a restart, and is audited.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { DesklineConfig } from '../../config/schema.ts';
import { EDITABLE_SETTINGS, type EditableSetting, type SettingsOverrides } from '../../config/settings-overrides.ts';
import type { ApiEnv } from './api-env.ts';
import { ifMatchRevision } from './etag.ts';
import { json, jsonBody } from './schemas.ts';
import { secured } from './secured.ts';
import type { Audit } from './user-routes.ts';

export interface SettingsEditDeps {
  overrides: SettingsOverrides;
  /** The settings the running process started with (restart-only changes are pending until then). */
  running: DesklineConfig;
  /** Applies changes that take effect at once (log level, call time-outs, …). */
  applyNow(config: DesklineConfig, changed: EditableSetting[]): void;
  audit: Audit;
}

const setting = (config: unknown, key: string) => key.split('.').reduce<unknown>((n, part) => (n && typeof n === 'object' ? (n as Record<string, unknown>)[part] : undefined), config);
const Editable = z.object({
  editable: z.record(z.string(), z.enum(['now', 'restart'])), overrides: z.record(z.string(), z.unknown()), revision: z.number().int(), updatedAt: z.number(), updatedBy: z.string(),
  restartRequired: z.array(z.string()).openapi({ description: 'Changed settings that take effect at the next start' }),
}).openapi('EditableSettings');
const Change = z.object({ changes: z.record(z.string(), z.unknown()).openapi({ description: '{"calls.idleTimeoutSeconds": 20, "log.level": null} — null: back to the site file\'s value' }) }).strict();
const IfMatch = z.object({ 'if-match': z.string().max(40).optional().openapi({ description: 'The revision you read ("3"); without it the current revision is assumed' }) });

/** Settings whose value must never leave the box, by name (any depth). */
const SECRET = /password|secret|token|key$/i;

/** A copy with every secret-looking setting's value replaced (empty ones stay empty: "not set" is useful). */
export function redacted(value: unknown, name = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => redacted(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v, k)]));
  if (SECRET.test(name) && !/file$/i.test(name) && typeof value === 'string' && value !== '') return '(set, not shown)';
  return value;
}

function editableView(edit: SettingsEditDeps) {
  const { config, stored } = edit.overrides.current();
  const restartRequired = (Object.keys(EDITABLE_SETTINGS) as EditableSetting[]).filter((k) => EDITABLE_SETTINGS[k] === 'restart' && JSON.stringify(setting(config, k)) !== JSON.stringify(setting(edit.running, k)));
  return { editable: EDITABLE_SETTINGS, overrides: stored.values as Record<string, unknown>, revision: stored.revision, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy, restartRequired };
}

export function settingsRoutes(deps: { settings: () => unknown; edit?: SettingsEditDeps }) {
  const app = new OpenAPIHono<ApiEnv>();
  const { edit } = deps;
  if (edit) {
    app.openapi(secured('settings.read', createRoute({ method: 'get', path: '/settings/editable', tags: ['system'], summary: 'Which settings may be changed here, when each takes effect, the changes made, and those waiting for a restart', responses: { 200: json(Editable, 'Editable settings') } })), (c) => {
      const view = editableView(edit);
      c.header('etag', `"${view.revision}"`);
      return c.json(view, 200);
    });
    app.openapi(secured('settings.write', createRoute({
      method: 'patch', path: '/settings', tags: ['system'], summary: 'Change settings (EDITABLE_SETTINGS only; each named if refused); answers which applied at once and which need a restart',
      request: { headers: IfMatch, ...jsonBody(Change) }, responses: { 200: json(Editable.extend({ appliedNow: z.array(z.string()) }), 'Changed') },
    })), async (c) => {
      const before = edit.overrides.current().stored;
      const who = c.get('principal').username;
      const change = await edit.overrides.change(c.req.valid('json').changes, ifMatchRevision(c.req.valid('header')['if-match']) ?? before.revision, who);
      edit.applyNow(change.config, change.now);
      await edit.audit({ actor: who, action: 'settings.update', target: 'settings', detail: { before: redacted(before.values), after: redacted(change.stored.values), appliedNow: change.now, atRestart: change.restart } });
      const view = editableView(edit);
      c.header('etag', `"${view.revision}"`);
      return c.json({ ...view, appliedNow: change.now }, 200);
    });
  }
  app.openapi(secured('settings.read', createRoute({ method: 'get', path: '/settings', tags: ['system'], summary: 'The site\'s settings (secrets redacted; a few may be changed with PATCH /settings, the rest with a new site file)', responses: { 200: json(z.record(z.string(), z.unknown()).openapi('Settings'), 'Settings') } })),
    (c) => c.json(redacted(deps.settings()) as Record<string, unknown>, 200));
  return app;
}
