// Requests generated from the API's own OpenAPI document: for every operation, parameters and
// bodies drawn from the documented schemas (valid, mutated and hostile). Shared by the CI fuzz
// (api-fuzz.test.ts, app.request), the hostile-input fault scenario (test/faults/api-hostile.ts,
// a running Deskline's real HTTP server) and `npm run bench -- fuzz`. Deterministic per seed, so
// a failure can be replayed.
import { mulberry32 as prng } from '../../core/seeded-random.ts';

export type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; $ref?: string; anyOf?: Schema[]; oneOf?: Schema[]; required?: string[] };
export interface OpenApiDoc { paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema?: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>; components?: { schemas?: Record<string, Schema> } }

/** One generated request: `url` is relative to the API's base (/api/v1) and carries the query. */
export interface FuzzRequest {
  method: string;
  /** The documented path template, for grouping failures. */
  operation: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}


const HOSTILE_STRINGS = ['', ' ', 'a'.repeat(5000), '../../etc/passwd', '%2e%2e%2f', '<script>alert(1)</script>', "'; DROP TABLE x; --", '(a+)+$'.repeat(50), '😀🙈🇨🇳', '投诉 lawyer 人工', '\u0000\u0001\u001f', '\uFFFF\uD800', 'null', '{}', '-1', '1e309', 'NaN'];
const HOSTILE_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, [], {}, [[[[]]]], { __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } }];

export function generate(schema: Schema | undefined, doc: OpenApiDoc, r: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  if (!schema || depth > 5) return pick(HOSTILE_VALUES);
  if (schema.$ref) return generate(doc.components?.schemas?.[schema.$ref.split('/').at(-1)!], doc, r, depth + 1);
  const roll = r();
  if (roll < 0.15) return pick(HOSTILE_VALUES);
  if (roll < 0.25) return pick(HOSTILE_STRINGS);
  const options = schema.anyOf ?? schema.oneOf;
  if (options?.length) return generate(pick(options), doc, r, depth + 1);
  if (schema.enum?.length) return pick(schema.enum);
  const type = Array.isArray(schema.type) ? pick(schema.type) : schema.type;
  switch (type) {
    case 'string': return r() < 0.5 ? pick(HOSTILE_STRINGS) : r().toString(36).slice(2, 2 + Math.floor(r() * 12));
    case 'integer': return Math.floor((r() - 0.2) * 3000);
    case 'number': return (r() - 0.5) * 1e6;
    case 'boolean': return r() < 0.5;
    case 'array': return Array.from({ length: Math.floor(r() * 4) }, () => generate(schema.items, doc, r, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) if (r() < 0.8 || schema.required?.includes(k)) out[k] = generate(v, doc, r, depth + 1);
      if (r() < 0.2) out[pick(['extra', '__proto__', 'constructor', '😀'])] = pick(HOSTILE_VALUES);
      return out;
    }
    default: return pick(HOSTILE_VALUES);
  }
}

// Lone surrogates cannot be URL-encoded (no client can send them): replaced as a browser would.
const asParam = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '').replace(/[\uD800-\uDFFF]/g, '\uFFFD');

/** The operations worth fuzzing: the live stream never ends; logging out is covered by the auth tests. */
export function fuzzOperations(doc: OpenApiDoc) {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })))
    .filter((o) => o.path !== '/events' && o.path !== '/auth/logout');
}

/** `rounds` passes over every operation, one generated request each. */
export function* fuzzRequests(doc: OpenApiDoc, seed: number, rounds: number): Generator<FuzzRequest> {
  const r = prng(seed);
  const operations = fuzzOperations(doc);
  for (let round = 0; round < rounds; round++) {
    for (const { path, method, op } of operations) {
      const url = path.replace(/\{([^}]+)\}/g, () => encodeURIComponent(asParam(r() < 0.5 ? 'fuzz' : generate({ type: 'string' }, doc, r))));
      const query = new URLSearchParams();
      for (const p of op.parameters ?? []) if (p.in === 'query' && r() < 0.6) query.set(p.name, asParam(generate(p.schema, doc, r)));
      const headers: Record<string, string> = {};
      for (const p of op.parameters ?? []) if (p.in === 'header' && r() < 0.3) headers[p.name] = asParam(generate(p.schema, doc, r)).replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
      const content = op.requestBody?.content ?? {};
      let body: string | undefined;
      if (Object.keys(content).length) {
        const type = Object.keys(content)[0]!;
        const roll = r();
        body = roll < 0.1 ? '{"unterminated": ' : roll < 0.15 ? '\u0000\u00ff binary' : JSON.stringify(generate(content[type]!.schema, doc, r));
        headers['content-type'] = r() < 0.9 ? (type === 'application/octet-stream' ? 'application/json' : type) : 'text/plain';
      }
      yield { method, operation: `${method} ${path}`, url: `${url}${query.size ? `?${query}` : ''}`, headers, ...(body !== undefined ? { body } : {}) };
    }
  }
}

/** What is wrong with an answer, or undefined: never a 5xx, every 4xx in the error shape. */
export function fuzzAnswerProblem(request: FuzzRequest, status: number, text: string): string | undefined {
  if (status >= 500) return `${request.method} ${request.url} → ${status} ${text.slice(0, 300)} (body ${request.body?.slice(0, 200)})`;
  if (status < 400) return undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string') return undefined;
  } catch {
    // not JSON: reported below
  }
  return `${request.method} ${request.url} → ${status} not in the error shape: ${text.slice(0, 200)}`;
}
