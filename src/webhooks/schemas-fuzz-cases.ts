// Random JSON at the webhook input parsers: they either accept (and what they accept is sound) or
// throw the service's validation error; never anything else. Shared by the CI fuzz
// (schemas-fuzz.test.ts: 4000 + 3000 + 3000 inputs) and `npm run bench -- fuzz` (100× that).
// Seeded, so a failure can be replayed.
import { WebhookError } from './errors.ts';
import { checkPublishInput, parseCreateSubscription, parseUpdateSubscription, urlProblem } from './schemas.ts';
import { WEBHOOK_EVENT_TYPES } from './webhook-types.ts';
import { mulberry32 as prng } from '../core/seeded-random.ts';

export const WEBHOOK_FUZZ_CI_CASES = { create: 4_000, update: 3_000, publish: 3_000 } as const;


const KEYS = ['url', 'events', 'description', 'enabled', 'type', 'data', 'occurredAt', '__proto__', 'constructor', 'toString', 'secret', '', '0', 'événement'];
const STRINGS = [
  'https://crm.example.com/hooks', 'http://10.0.0.1:8080/x', 'https://u:p@h/', 'ftp://h/', 'javascript:alert(1)', 'http://', 'https://[::1]:9/x',
  'http://h/#f', 'data:text/plain,hi', 'file:///etc/passwd', 'https://xn--bcher-kva.example/', 'http://h:99999/', '//h/x', 'h/x',
  ...WEBHOOK_EVENT_TYPES, '*', 'call.*', '', ' ', '\u0000', '\ud800', '中文', 'a'.repeat(3_000), 'https://h/' + 'é'.repeat(1_500),
];

function randomValue(random: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const kind = Math.floor(random() * (depth > 3 ? 6 : 8));
  switch (kind) {
    case 0: return null;
    case 1: return random() < 0.5;
    case 2: return pick([0, -1, 1.5, 1e308, -0, 2 ** 53, Math.floor(random() * 1e13)]);
    case 3:
    case 4: return random() < 0.8 ? pick(STRINGS) : String.fromCharCode(...Array.from({ length: Math.floor(random() * 12) }, () => Math.floor(random() * 0xffff)));
    case 5: return pick([[], {}, [pick(STRINGS)]]);
    case 6: return Array.from({ length: Math.floor(random() * 6) }, () => randomValue(random, depth + 1));
    default: {
      // JSON.parse, as a request body would be: "__proto__" becomes an own key, not a prototype.
      const entries = Array.from({ length: Math.floor(random() * 6) }, () => [random() < 0.85 ? pick(KEYS) : pick(STRINGS).slice(0, 20), randomValue(random, depth + 1)]);
      return JSON.parse(JSON.stringify(Object.fromEntries(entries)) ?? 'null');
    }
  }
}

/** Mostly-valid bodies with one or two fields replaced: these get past the first checks. */
function nearlyValid(random: () => number): unknown {
  const body: Record<string, unknown> = { url: 'https://crm.example.com/hooks', events: ['call.ended'], description: 'x', enabled: true };
  const fields = Object.keys(body);
  for (let i = 0; i < 1 + Math.floor(random() * 2); i++) {
    const field = fields[Math.floor(random() * fields.length)]!;
    if (random() < 0.2) delete body[field];
    else body[field] = randomValue(random, 1);
  }
  return JSON.parse(JSON.stringify(body));
}

export function onlyValidationErrors(parse: (raw: unknown) => unknown, inputs: unknown[]): { accepted: unknown[]; refused: number; other: string[] } {
  const accepted: unknown[] = [];
  const other: string[] = [];
  let refused = 0;
  for (const input of inputs) {
    try {
      accepted.push(parse(input));
    } catch (error) {
      if (error instanceof WebhookError && (error.code === 'WEBHOOK_INVALID_SUBSCRIPTION' || error.code === 'WEBHOOK_INVALID_EVENT') && error.issues.length > 0) refused++;
      else other.push(`${String(error)} for ${JSON.stringify(input)?.slice(0, 200)}`);
    }
  }
  return { accepted, refused, other };
}

/** New subscriptions: only validation errors; everything accepted has a sound URL and known events. */
export function fuzzCreateSubscription(cases: number = WEBHOOK_FUZZ_CI_CASES.create, seed = 7) {
  const random = prng(seed);
  const inputs = Array.from({ length: cases }, (_, i) => (i % 2 ? randomValue(random, 0) : nearlyValid(random)));
  const { accepted, refused, other } = onlyValidationErrors(parseCreateSubscription, inputs);
  const unsound = (accepted as { url: string; events: string[] }[]).filter((body) =>
    urlProblem(body.url) !== undefined || !(body.events.length > 0 && body.events.every((e) => e === '*' || (WEBHOOK_EVENT_TYPES as readonly string[]).includes(e))));
  return { cases, failures: [...other, ...unsound.map((b) => `accepted an unsound subscription: ${JSON.stringify(b).slice(0, 200)}`)], outcomes: { accepted: accepted.length, refused } };
}

export function fuzzUpdateSubscription(cases: number = WEBHOOK_FUZZ_CI_CASES.update, seed = 11) {
  const random = prng(seed);
  const inputs = Array.from({ length: cases }, (_, i) => (i % 2 ? randomValue(random, 0) : nearlyValid(random)));
  const { accepted, refused, other } = onlyValidationErrors(parseUpdateSubscription, inputs);
  return { cases, failures: other, outcomes: { accepted: accepted.length, refused } };
}

export function fuzzPublishInput(cases: number = WEBHOOK_FUZZ_CI_CASES.publish, seed = 13) {
  const random = prng(seed);
  const inputs = Array.from({ length: cases }, (_, i) => (i % 3 ? randomValue(random, 0) : { type: WEBHOOK_EVENT_TYPES[i % 5], data: randomValue(random, 0) }));
  const { accepted, refused, other } = onlyValidationErrors(checkPublishInput, inputs);
  return { cases, failures: other, outcomes: { accepted: accepted.length, refused } };
}
