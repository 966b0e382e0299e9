import { z } from 'zod';
import type { Value } from '../expression/index.ts';
import type { NodeKind } from '../runtime.ts';
import { base, checkTemplate, edges, nodeId, seconds } from './common.ts';
import { variableName } from './gather.ts';

interface HttpNode {
  kind: 'http'; method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; headers?: Record<string, string>; body?: string;
  timeoutSeconds: number; retries: number; responseVariables?: Record<string, string>; next: string; onError: string;
}

/** `status`, `body`, `body.a.b`, `body.items.0.id` → the value at that path of the response, else null. */
export function pick(response: { status: number; body: unknown }, path: string): Value {
  let value: unknown = response;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return null;
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined) return null;
  return typeof value === 'object' && value !== null ? (JSON.parse(JSON.stringify(value)) as Value) : (value as Value);
}

/** Calls a business system (account lookup, VIP check…); response fields become variables. */
export const http: NodeKind<HttpNode & Record<string, unknown>> = {
  kind: 'http',
  schema: z.object({
    kind: z.literal('http'), ...base,
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    url: z.string().regex(/^(https?:\/\/|\$\{)/, 'url must start with http://, https:// or a ${…} that gives one').max(2000),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'header names: letters, digits, -'), z.string().max(2000)).optional(),
    body: z.string().max(20_000).optional(),
    timeoutSeconds: seconds(30).default(5),
    retries: z.number().int().min(0).max(3).default(0),
    responseVariables: z.record(variableName, z.string().regex(/^(status|body)(\.[A-Za-z0-9_-]+)*$/, 'paths start with status or body, e.g. body.account.tier')).optional(),
    next: nodeId,
    onError: nodeId,
  }).strict(),
  edges: (n) => edges([[['next'], n.next], [['onError'], n.onError]]),
  waits: () => true,
  check: (n, _ctx, path) => [
    ...checkTemplate(n.url, [...path, 'url']),
    ...(n.body === undefined ? [] : checkTemplate(n.body, [...path, 'body'])),
    ...Object.entries(n.headers ?? {}).flatMap(([name, value]) => checkTemplate(value, [...path, 'headers', name])),
  ],
  enter(n, rt) {
    const attempt = rt.local('attempt', 1);
    const url = rt.render(n.url);
    if (!/^https?:\/\/[^/\s]/.test(url)) return rt.fail('IVR_HTTP_BAD_URL', `url ${JSON.stringify(url.slice(0, 100))} is not http(s)`);
    rt.request({
      type: 'http', id: rt.requestId(`http${attempt}`), method: n.method, url,
      headers: Object.fromEntries(Object.entries(n.headers ?? {}).map(([k, v]) => [k, rt.render(v)])),
      body: n.body === undefined ? undefined : rt.render(n.body),
      timeoutMs: n.timeoutSeconds * 1000,
    });
  },
  on(n, rt, event) {
    if (event.type !== 'http-result') return;
    const ok = !event.error && event.status >= 200 && event.status < 300;
    rt.note('http', { status: event.status, ms: Math.round(event.ms), error: event.error });
    if (ok) {
      for (const [name, path] of Object.entries(n.responseVariables ?? {})) rt.setVar(name, pick({ status: event.status, body: event.body ?? null }, path));
      return rt.goto(n.next);
    }
    const attempt = rt.local('attempt', 1);
    if (attempt <= n.retries) {
      rt.setLocal('attempt', attempt + 1);
      return http.enter(n, rt);
    }
    rt.fail('IVR_HTTP_FAILED', event.error ?? `HTTP ${event.status}`);
  },
};
