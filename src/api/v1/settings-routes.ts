// The running site's settings, read-only (technicians and admins): what the site file and the
// environment made of every setting, secrets redacted. Changing them is provisioning's job (a new
// site file), not a live edit. Also the prompt catalog, for the flow editor.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiEnv } from './api-env.ts';
import { json } from './schemas.ts';
import { secured } from './secured.ts';

/** Settings whose value must never leave the box, by name (any depth). */
const SECRET = /password|secret|token|key$/i;

/** A copy with every secret-looking setting's value replaced (empty ones stay empty: "not set" is useful). */
export function redacted(value: unknown, name = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => redacted(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v, k)]));
  if (SECRET.test(name) && !/file$/i.test(name) && typeof value === 'string' && value !== '') return '(set, not shown)';
  return value;
}

export function settingsRoutes(deps: { settings: () => unknown; prompts: () => Map<string, Map<string, string>> }) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(secured('settings.read', createRoute({ method: 'get', path: '/settings', tags: ['system'], summary: 'The running site\'s settings (secrets redacted; change them with a new site file)', responses: { 200: json(z.record(z.string(), z.unknown()).openapi('Settings'), 'Settings') } })),
    (c) => c.json(redacted(deps.settings()) as Record<string, unknown>, 200));
  app.openapi(secured('flows.read', createRoute({ method: 'get', path: '/prompts', tags: ['flows'], summary: 'The prompt catalog: ids and texts per language (what flows may name)', responses: { 200: json(z.object({ prompts: z.record(z.string(), z.record(z.string(), z.string())) }), 'Prompts') } })),
    (c) => c.json({ prompts: Object.fromEntries([...deps.prompts()].map(([language, texts]) => [language, Object.fromEntries(texts)])) }, 200));
  return app;
}
