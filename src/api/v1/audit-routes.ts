// The audit log, read-only (nothing in the API can change or delete an entry).
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuditLog } from '../../audit/audit-log.ts';
import { ApiError } from './api-error.ts';
import type { ApiEnv } from './api-env.ts';
import { json } from './schemas.ts';
import { secured } from './secured.ts';

const Entry = z.object({ id: z.string(), at: z.number(), actor: z.string(), action: z.string(), target: z.string().optional(), detail: z.record(z.string(), z.unknown()).optional() }).openapi('AuditEntry');
const Query = z.object({
  from: z.coerce.number().int().min(0).optional().openapi({ description: 'at ≥ from (epoch ms)' }),
  to: z.coerce.number().int().min(0).optional().openapi({ description: 'at < to (epoch ms)' }),
  actor: z.string().max(256).optional(), action: z.string().max(256).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(40).optional().openapi({ description: 'nextCursor of the previous page (entries are newest first)' }),
});

export function auditRoutes(deps: { audit: AuditLog }) {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(secured('audit.read', createRoute({
    method: 'get', path: '/audit', tags: ['audit'], summary: 'Audit log, newest first',
    request: { query: Query }, responses: { 200: json(z.object({ items: z.array(Entry), nextCursor: z.string().nullable() }), 'Entries') },
  })), async (c) => {
    const q = c.req.valid('query');
    if (q.cursor !== undefined && !/^\d{13}-\d{12}$/.test(q.cursor)) throw new ApiError(400, 'BAD_CURSOR', 'cursor is not one this API gave out', { field: 'cursor' });
    // One more than the page tells whether there is a next page.
    const rows = await deps.audit.list({
      ...(q.from !== undefined ? { from: q.from } : {}), ...(q.to !== undefined ? { to: q.to } : {}), ...(q.actor ? { actor: q.actor } : {}), ...(q.action ? { action: q.action } : {}),
      ...(q.cursor ? { before: q.cursor } : {}), limit: q.limit + 1,
    });
    const items = rows.slice(0, q.limit);
    return c.json({ items, nextCursor: rows.length > q.limit ? items.at(-1)!.id : null }, 200);
  });
  return app;
}
