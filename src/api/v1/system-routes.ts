// System: health (as /healthz, with detail) and version, for admins, supervisors and technicians.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Health } from '../health-routes.ts';
import type { ApiEnv } from './api-env.ts';
import { json } from './schemas.ts';
import { secured } from './secured.ts';

const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']), site: z.string(), uptimeSeconds: z.number(),
  ari: z.object({ connected: z.boolean(), status: z.string(), detail: z.string() }), asterisk: z.object({ version: z.string().nullable() }),
  calls: z.object({ active: z.number() }), speech: z.string(),
  // Hostile or broken input at the RTP ports: dropped and counted (src/speech/rtp-census.ts).
  rtp: z.object({
    legs: z.number(), closedLegs: z.number(), datagrams: z.number(), droppedMalformed: z.number(), droppedOversize: z.number(), droppedPayloadType: z.number(),
    droppedForeignSource: z.number(), droppedRateLimited: z.number(), droppedLate: z.number(), droppedDuplicate: z.number(), consumerErrors: z.number(),
  }).optional(),
}).openapi('Health');
const Version = z.object({ deskline: z.string(), node: z.string(), asterisk: z.string().nullable(), api: z.literal('v1') }).openapi('Version');

export function systemRoutes(deps: { health: () => Health; version: string }) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(secured('system.read', createRoute({ method: 'get', path: '/system/health', tags: ['system'], summary: 'Health of the appliance and its link to Asterisk', responses: { 200: json(HealthSchema, 'Health') } })),
    (c) => c.json(deps.health(), 200));
  app.openapi(secured('system.read', createRoute({ method: 'get', path: '/system/version', tags: ['system'], summary: 'Versions', responses: { 200: json(Version, 'Versions') } })),
    (c) => c.json({ deskline: deps.version, node: process.version, asterisk: deps.health().asterisk.version, api: 'v1' as const }, 200));
  return app;
}
