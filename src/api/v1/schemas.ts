// Shared request/response schemas of the API (zod, with OpenAPI metadata).
import { z } from '@hono/zod-openapi';

export const ErrorResponse = z.object({
  error: z.object({
    code: z.string().openapi({ example: 'BAD_REQUEST' }),
    message: z.string(),
    details: z.unknown().optional(),
  }),
}).openapi('Error');

const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorResponse } } });

/** The error responses every secured route can give. */
export const securedErrors = {
  400: error('The request is malformed (the details name each bad field)'),
  401: error('Not logged in, or the session or token is no longer valid'),
  403: error('Logged in, but the role or token scope does not allow this, or the CSRF token is missing'),
  500: error('Internal error'),
} as const;

export const notFound = { 404: error('No such resource') } as const;
export const conflict = { 409: error('It exists already') } as const;
export const preconditionFailed = { 412: error('If-Match does not match the current revision: someone else changed it; reload') } as const;
export const tooLarge = { 413: error('The body is too large') } as const;

/** `?limit=&cursor=` on every list; the cursor is opaque. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ description: 'Items per page (1–1000, default 100)' }),
  cursor: z.string().max(200).optional().openapi({ description: 'nextCursor of the previous page' }),
});

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int(), nextCursor: z.string().nullable() });

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
