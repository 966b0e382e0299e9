// Input checks: subscription bodies (zod) and published events (plain JSON, bounded). Every
// failure is a WebhookError naming the field; nothing else escapes these functions.
import { z } from 'zod';
import { invalid, WebhookError, type FieldIssue } from './errors.ts';
import { WEBHOOK_EVENT_TYPES, type PublishInput, type WebhookEventFilter, type WebhookEventType } from './webhook-types.ts';

export const MAX_URL_LENGTH = 2_048;
export const MAX_DESCRIPTION_LENGTH = 200;
/** Largest JSON body one delivery may carry; receivers behind proxies often refuse bigger ones. */
export const MAX_EVENT_BODY_BYTES = 256 * 1024;
const MAX_DATA_DEPTH = 32;

/**
 * Why a URL cannot receive webhooks, or undefined when it can. Only http(s): other schemes make
 * no sense for a POST. Credentials in the URL would be shown in every list and log; the HMAC
 * signature is how a receiver authenticates us. There is no allow-list of hosts (SSRF): only an
 * admin can create subscriptions, and an admin may point them at the LAN on purpose.
 */
export function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL such as https://crm.example.com/hooks/deskline';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must use http or https, not ${url.protocol.replace(/:$/, '')}`;
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password (the receiver checks the signature instead)';
  if (url.hostname === '') return 'must name a host';
  if (url.hash !== '') return 'must not contain a #fragment (it is never sent)';
  return undefined;
}

const webhookUrl = z
  .string({ message: 'must be a string' })
  .max(MAX_URL_LENGTH, { message: `must be at most ${MAX_URL_LENGTH} characters` })
  .superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const FILTERS = [...WEBHOOK_EVENT_TYPES, '*'] as const;
const eventFilters = z
  .array(z.enum(FILTERS, { message: `must be one of ${FILTERS.join(', ')}` }), { message: 'must be a list of event types' })
  .min(1, { message: 'must name at least one event type (or "*")' })
  .max(FILTERS.length, { message: `must have at most ${FILTERS.length} entries` })
  .refine((list) => new Set(list).size === list.length, { message: 'must not repeat an event type' });

const fields = {
  url: webhookUrl,
  events: eventFilters,
  description: z.string({ message: 'must be a string' }).max(MAX_DESCRIPTION_LENGTH, { message: `must be at most ${MAX_DESCRIPTION_LENGTH} characters` }),
  enabled: z.boolean({ message: 'must be true or false' }),
};

/** Exported for API documentation (OpenAPI); validate with parseCreateSubscription, whose errors name fields. */
export const subscriptionCreateSchema = z.strictObject({ url: fields.url, events: fields.events, description: fields.description.optional(), enabled: fields.enabled.optional() }, { message: 'must be an object' });
export const subscriptionUpdateSchema = z
  .strictObject({ url: fields.url.optional(), events: fields.events.optional(), description: fields.description.optional(), enabled: fields.enabled.optional() }, { message: 'must be an object' })
  .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one of url, events, description, enabled' });

export type CreateSubscriptionInput = z.infer<typeof subscriptionCreateSchema>;
export type UpdateSubscriptionInput = z.infer<typeof subscriptionUpdateSchema>;

/** One issue per field, the first: zod may add a follow-on issue (a length check after a type error). */
function issuesOf(error: z.ZodError): FieldIssue[] {
  const all = error.issues.flatMap((issue) => {
    const field = issue.path.map(String).join('.') || '(body)';
    // An unknown key is a problem of that key, so name it as the field.
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: [field === '(body)' ? '' : `${field}.`, key].join(''), message: 'is not a subscription field' }));
    return [{ field, message: issue.message }];
  });
  return all.filter((issue, index) => all.findIndex((other) => other.field === issue.field) === index);
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw invalid('WEBHOOK_INVALID_SUBSCRIPTION', 'bad webhook subscription', issuesOf(result.error));
}

export const parseCreateSubscription = (raw: unknown): CreateSubscriptionInput => parseWith(subscriptionCreateSchema, raw);
export const parseUpdateSubscription = (raw: unknown): UpdateSubscriptionInput => parseWith(subscriptionUpdateSchema, raw);

export function matches(filters: readonly WebhookEventFilter[], type: WebhookEventType): boolean {
  return filters.includes('*') || filters.includes(type);
}

/** The first place where `value` is not plain JSON (functions, NaN, Dates, cycles, …), or undefined. */
function jsonProblem(value: unknown, path: string, depth: number, seen: Set<object>): FieldIssue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { field: path, message: `must be a finite number, not ${value}` };
  if (typeof value !== 'object') return { field: path, message: `must be JSON, not a ${typeof value}` };
  if (depth > MAX_DATA_DEPTH) return { field: path, message: `nests deeper than ${MAX_DATA_DEPTH} levels` };
  if (seen.has(value)) return { field: path, message: 'refers back to itself (a cycle)' };
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const problem = jsonProblem(value[i], `${path}[${i}]`, depth + 1, seen);
        if (problem) return problem;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return { field: path, message: `must be a plain object, not a ${(proto as { constructor?: { name?: string } }).constructor?.name ?? 'class instance'}` };
    for (const [key, item] of Object.entries(value)) {
      const problem = jsonProblem(item, `${path}.${key}`, depth + 1, seen);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}

/** Checks an event to publish; throws WEBHOOK_INVALID_EVENT naming the field. */
export function checkPublishInput(raw: unknown): PublishInput {
  const bad = (field: string, message: string) => invalid('WEBHOOK_INVALID_EVENT', 'bad webhook event', [{ field, message }]);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('(event)', 'must be an object {type, data}');
  const { type, data, occurredAt, once } = raw as Record<string, unknown>;
  if (typeof type !== 'string' || !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) {
    throw bad('type', `unknown event type ${JSON.stringify(type)}; one of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad('data', 'must be a JSON object');
  const problem = jsonProblem(data, 'data', 0, new Set());
  if (problem) throw invalid('WEBHOOK_INVALID_EVENT', 'bad webhook event', [problem]);
  if (occurredAt !== undefined && (typeof occurredAt !== 'number' || !Number.isSafeInteger(occurredAt) || occurredAt < 0)) throw bad('occurredAt', 'must be epoch milliseconds');
  if (once !== undefined && (typeof once !== 'string' || once.length === 0 || once.length > 200)) throw bad('once', 'must be a string of 1–200 characters');
  return { type: type as WebhookEventType, data: data as Record<string, unknown>, ...(occurredAt !== undefined && { occurredAt }), ...(once !== undefined && { once: once as string }) };
}

/** Refuses a body over the limit: a huge event is a bug upstream, not something to retry for a day. */
export function checkBodySize(body: string): void {
  const bytes = Buffer.byteLength(body);
  if (bytes > MAX_EVENT_BODY_BYTES) {
    throw new WebhookError('WEBHOOK_EVENT_TOO_LARGE', `webhook event body is ${bytes} bytes; at most ${MAX_EVENT_BODY_BYTES}`, [{ field: 'data', message: `makes the body ${bytes} bytes; at most ${MAX_EVENT_BODY_BYTES}` }]);
  }
}
