// Knowledge analytics for a query as HTTP gives it (?from=ISO&to=ISO&unmatched=N): reads the calls
// that started in the range and their trails, and hands them to analyzeKnowledge (pure). The admin
// API's GET /knowledge/analytics serves it (and the CLI's `deskline kb analytics` over the socket).
import type { CallQuery } from '../../calls/call-records.ts';
import type { CallState, TrailEntry } from '../../calls/call-types.ts';
import type { Lexicon } from '../matcher/lexicon.ts';
import { analyzeKnowledge, type CallTrail, type KnowledgeAnalytics } from './knowledge-analytics.ts';

/** What the routes need of the call records (CallRecords has it). */
export interface CallSource {
  /** Newest first; `from` and `to` both inclusive; at most `limit` (≤ 10,000) calls. */
  list(query: Pick<CallQuery, 'from' | 'to' | 'limit'>): Promise<CallState[]>;
  trail(callId: string): Promise<TrailEntry[]>;
}

export interface KnowledgeAnalyticsRoutesDeps {
  records: CallSource;
  now: () => number;
  /** IANA time zone of the per-day series (the site's; default UTC). */
  timeZone?: string;
  /** The knowledge base's synonyms and stop words, so unmatched questions group as the matcher reads them. */
  lexicon?: () => Lexicon | undefined | Promise<Lexicon | undefined>;
  /** Most calls read per request (default 50,000); beyond it the answer says `truncated`. */
  maxCalls?: number;
  /** Calls asked of the records at a time (default 10,000, CallRecords' own maximum). */
  pageSize?: number;
}

export type KnowledgeAnalyticsResponse = KnowledgeAnalytics & {
  /** The range held more calls than one request reads: the oldest were left out. */
  truncated: boolean;
};

const DAY = 24 * 3600_000;
export const DEFAULT_RANGE_DAYS = 7;
export const MAX_RANGE_DAYS = 366;
const DEFAULT_MAX_CALLS = 50_000;
const MAX_PAGE = 10_000;
const TRAIL_CONCURRENCY = 8;
// ISO 8601 as people type it: a date, or a date and time with an optional offset. Without an
// offset a date is UTC midnight and a date-time is the server's local time (ECMAScript's rules).
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;


function parseInstant(name: string, text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const ms = ISO.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isFinite(ms) ? ms : `${name}: ${JSON.stringify(text.slice(0, 64))} is not an ISO 8601 date or date-time (e.g. 2026-03-01 or 2026-03-01T08:00+08:00)`;
}

/** Every call that started in [from, to), newest first, paging through the records. */
async function callsInRange(records: CallSource, from: number, to: number, max: number, pageSize: number): Promise<{ calls: CallState[]; truncated: boolean }> {
  const seen = new Set<string>();
  const calls: CallState[] = [];
  let upper = to - 1;
  let limit = pageSize;
  while (upper >= from) {
    const page = await records.list({ from, to: upper, limit });
    let fresh = 0;
    for (const call of page) {
      if (seen.has(call.callId) || call.startedAt < from || call.startedAt >= to) continue;
      if (calls.length >= max) return { calls, truncated: true };
      seen.add(call.callId);
      calls.push(call);
      fresh++;
    }
    if (page.length < limit) break;
    // The next page starts at the oldest call seen: calls in the same millisecond may straddle
    // pages. A page with nothing new was all one millisecond: ask for more at once, and only when
    // that cannot grow step past it.
    const oldest = Math.min(...page.map((c) => c.startedAt));
    if (fresh > 0) upper = oldest;
    else if (limit < MAX_PAGE) limit = Math.min(limit * 2, MAX_PAGE);
    else upper = oldest - 1;
  }
  return { calls, truncated: false };
}

async function withTrails(records: CallSource, calls: CallState[]): Promise<CallTrail[]> {
  const out: CallTrail[] = new Array(calls.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < calls.length; i = next++) {
      const call = calls[i]!;
      out[i] = { callId: call.callId, startedAt: call.startedAt, trail: await records.trail(call.callId) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(TRAIL_CONCURRENCY, calls.length) }, worker));
  return out;
}

/** The analytics for a query as the HTTP routes take it (ISO from/to, unmatched groups); a bad query gives its message. */
export async function analyticsFor(deps: KnowledgeAnalyticsRoutesDeps, query: { from?: string | undefined; to?: string | undefined; unmatched?: string | undefined }): Promise<{ ok: true; body: KnowledgeAnalyticsResponse } | { ok: false; message: string }> {
  const toAsked = parseInstant('to', query.to);
  const fromAsked = parseInstant('from', query.from);
  for (const parsed of [fromAsked, toAsked]) if (typeof parsed === 'string') return { ok: false, message: parsed };
  const to = (toAsked as number | undefined) ?? deps.now();
  const from = (fromAsked as number | undefined) ?? to - DEFAULT_RANGE_DAYS * DAY;
  if (from >= to) return { ok: false, message: `from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})` };
  if (to - from > MAX_RANGE_DAYS * DAY) return { ok: false, message: `the range is ${Math.ceil((to - from) / DAY)} days; at most ${MAX_RANGE_DAYS} days at a time` };
  let unmatchedLimit: number | undefined;
  if (query.unmatched !== undefined) {
    unmatchedLimit = /^\d{1,4}$/.test(query.unmatched) ? Number(query.unmatched) : Number.NaN;
    if (!(unmatchedLimit <= 1000)) return { ok: false, message: `unmatched: ${JSON.stringify(query.unmatched.slice(0, 16))} is not a number of groups from 0 to 1000` };
  }
  const { calls, truncated } = await callsInRange(deps.records, from, to, deps.maxCalls ?? DEFAULT_MAX_CALLS, Math.min(deps.pageSize ?? MAX_PAGE, MAX_PAGE));
  const analytics = analyzeKnowledge(await withTrails(deps.records, calls), {
    from, to, unmatchedLimit, timeZone: deps.timeZone, lexicon: await deps.lexicon?.(),
  });
  return { ok: true, body: { ...analytics, truncated } };
}
