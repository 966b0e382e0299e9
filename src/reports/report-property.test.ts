// The rollup answer equals a brute-force answer over the same calls: for a few hundred random
// calls (recorded in random order, some twice, some first without their last entries and then
// corrected), every figure of every interval and group, in several zones and intervals, is
// recomputed from the calls' facts directly — own interval keys from Intl, own grouping, waits
// compared to T and S one by one (no histogram) — and must match.
import test from 'ava';
import { MemoryStore } from '../store/memory-store.ts';
import { rollupOf, type CallFacts } from './call-facts.ts';
import type { Figures } from './report-figures.ts';
import type { ReportQuery, ReportResult } from './report-query.ts';
import { ReportStore } from './report-store.ts';
import { demoSite, lcg, randomCall, siteContext } from './testing/random-calls.ts';

const site = demoSite({ queues: 5, agents: 12 });
const context = siteContext(site);
const START = Date.parse('2026-03-03T00:00:00Z');
const SPAN = 10 * 86_400_000; // over the New York DST change (8 March)

function randomCalls(count: number, seed: number) {
  const rnd = lcg(seed);
  return Array.from({ length: count }, (_, i) => {
    // One call in five starts next to a local midnight of the zones below (Shanghai, Kathmandu,
    // Kolkata, New York before and after DST), where off-by-one errors live.
    const day = START + Math.floor(rnd() * 10) * 86_400_000;
    const midnight = day + [16 * 60, 18 * 60 + 15, 18 * 60 + 30, 4 * 60, 5 * 60][i % 5]! * 60_000;
    const startedAt = i % 5 === 0 ? midnight + [-900_000, -1, 0, 1, 899_999][Math.floor(rnd() * 5)]! : START + Math.floor(rnd() * SPAN);
    const scripted = randomCall(rnd, `c${i}`, startedAt, site);
    return { ...scripted, repeat: rnd() < 0.1 };
  });
}

// ---- brute force -----------------------------------------------------------------------------

function keyOf(at: number, query: ReportQuery): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: query.timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZoneName: 'longOffset' }).formatToParts(at).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).slice(3);
  switch (query.interval) {
    case '15m': return String(Math.floor(at / 900_000) * 900_000);
    case 'hour': return `${date}T${parts.hour}:00${offset}`;
    case 'day': return date;
    case 'week': {
      const civil = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
      const weekday = (new Date(civil).getUTCDay() + 6) % 7;
      return new Date(civil - weekday * 86_400_000).toISOString().slice(0, 10);
    }
    case 'month': return date.slice(0, 7);
    case 'total': return '';
  }
}

function keyOfPoint(point: { start: number; label: string }, query: ReportQuery): string {
  return query.interval === '15m' || query.interval === 'week' || query.interval === 'total' ? keyOf(point.start, query) : query.interval === 'hour' ? point.label : point.label.slice(0, query.interval === 'day' ? 10 : 7);
}

/** The parts of one call that count for one group (undefined: the call does not touch it). */
function partOf(facts: CallFacts, groupBy: ReportQuery['groupBy'], group: string) {
  if (groupBy === 'all' || (groupBy === 'flow' && facts.flow?.flowId === group)) return { legs: facts.legs, conversations: facts.conversations };
  if (groupBy === 'flow') return undefined;
  const legs = facts.legs.filter((l) => (groupBy === 'queue' ? l.queue === group : groupBy === 'skill' ? l.skills.includes(group) : l.result === 'answered' && l.agentId === group));
  const conversations = facts.conversations.filter((c) => (groupBy === 'queue' ? c.queue === group : groupBy === 'skill' ? c.skills.includes(group) : c.agentId === group));
  return legs.length || conversations.length ? { legs, conversations } : undefined;
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const avg = (ms: number, n: number) => (n > 0 ? Math.round(ms / n) / 1000 : null);

function bruteFigures(calls: { facts: CallFacts; legs: CallFacts['legs']; conversations: CallFacts['conversations'] }[], tMs: number, sMs: number): Figures {
  const legs = calls.flatMap((c) => c.legs);
  const conversations = calls.flatMap((c) => c.conversations);
  const answered = legs.filter((l) => l.result === 'answered');
  const abandoned = legs.filter((l) => l.result === 'abandoned');
  const short = abandoned.filter((l) => l.waitMs <= sMs).length;
  const within = answered.filter((l) => l.waitMs <= tMs).length;
  const bots = calls.map((c) => c.facts.bot).filter((b) => b !== undefined);
  const scores = [1, 2, 3, 4, 5].map((s) => calls.filter((c) => c.facts.csat === s).length);
  const responses = scores.reduce((a, b) => a + b, 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    calls: calls.length, offered: legs.length, answered: answered.length, abandoned: abandoned.length, abandonedShort: short,
    overflowed: legs.filter((l) => l.result === 'overflowed').length, callbacks: legs.filter((l) => l.result === 'callback').length, dropped: legs.filter((l) => l.result === 'dropped').length,
    answeredWithinThreshold: within, serviceLevel: rate(within, answered.length + abandoned.length - short),
    asaSeconds: avg(sum(answered.map((l) => l.waitMs)), answered.length), averageAbandonWaitSeconds: avg(sum(abandoned.map((l) => l.waitMs)), abandoned.length),
    longestWaitSeconds: Math.max(0, ...legs.map((l) => l.waitMs)) / 1000,
    handled: conversations.length, ahtSeconds: avg(sum(conversations.map((c) => c.talkMs + c.wrapMs)), conversations.length),
    averageTalkSeconds: avg(sum(conversations.map((c) => c.talkMs)), conversations.length), averageWrapSeconds: avg(sum(conversations.map((c) => c.wrapMs)), conversations.length),
    transfersOut: conversations.filter((c) => c.transferred).length,
    repeatCalls: calls.filter((c) => c.facts.repeatCaller).length, repeatCallerRate: rate(calls.filter((c) => c.facts.repeatCaller).length, calls.length),
    bot: {
      calls: bots.length, contained: bots.filter((b) => b.outcome === 'contained').length, handedOff: bots.filter((b) => b.outcome === 'handed-off').length,
      unresolved: bots.filter((b) => b.outcome === 'unresolved').length, containmentRate: rate(bots.filter((b) => b.outcome === 'contained').length, bots.length),
      questions: sum(bots.map((b) => b.questions)), answered: sum(bots.map((b) => b.answered)), unmatched: sum(bots.map((b) => b.unmatched.length)),
      matchRate: rate(sum(bots.map((b) => b.answered)), sum(bots.map((b) => b.questions))),
    },
    csat: { responses, average: responses > 0 ? Math.round((sum(scores.map((n, i) => n * (i + 1))) / responses) * 100) / 100 : null, satisfiedRate: rate(scores[3]! + scores[4]!, responses), scores },
  };
}

function bruteForce(all: CallFacts[], query: ReportQuery, result: ReportResult) {
  const tMs = result.query.serviceLevelSeconds * 1000;
  const sMs = result.query.shortAbandonSeconds * 1000;
  const inRange = all.filter((f) => f.startedAt >= result.query.from && f.startedAt < result.query.to);
  const groupBy = result.query.groupBy;
  const series = new Map<string, Figures>();
  for (const group of result.groups) {
    const byKey = new Map<string, { facts: CallFacts; legs: CallFacts['legs']; conversations: CallFacts['conversations'] }[]>();
    for (const facts of inRange) {
      const part = partOf(facts, groupBy, group);
      if (!part) continue;
      const key = keyOf(facts.startedAt, query);
      byKey.set(key, [...(byKey.get(key) ?? []), { facts, ...part }]);
    }
    for (const [key, calls] of byKey) series.set(`${group}|${key}`, bruteFigures(calls, tMs, sMs));
  }
  return series;
}

// ---- the test ----------------------------------------------------------------------------------

const QUERIES: ReportQuery[] = [
  { from: START, to: START + SPAN, interval: 'day', timezone: 'Asia/Shanghai', groupBy: 'queue', serviceLevelSeconds: 20, shortAbandonSeconds: 5 },
  { from: Date.parse('2026-03-07T05:00:00Z'), to: Date.parse('2026-03-10T04:00:00Z'), interval: 'hour', timezone: 'America/New_York', groupBy: 'all', serviceLevelSeconds: 30 },
  { from: Date.parse('2026-03-07T05:00:00Z'), to: Date.parse('2026-03-12T04:00:00Z'), interval: 'day', timezone: 'America/New_York', groupBy: 'agent', serviceLevelSeconds: 22 },
  { from: START - 86_400_000, to: START + SPAN, interval: 'week', timezone: 'Asia/Kathmandu', groupBy: 'skill', shortAbandonSeconds: 10 },
  { from: START, to: START + SPAN, interval: 'month', timezone: 'UTC', groupBy: 'flow', serviceLevelSeconds: 700 },
  { from: Date.parse('2026-03-05T12:00:00Z'), to: Date.parse('2026-03-05T20:00:00Z'), interval: '15m', timezone: 'UTC', groupBy: 'all' },
  { from: START, to: START + SPAN, interval: 'total', timezone: 'Asia/Kolkata', queue: 'billing' },
];

test('given a few hundred random calls, when reported from rollups, then every figure equals the brute-force answer over the calls', async (t) => {
  const calls = randomCalls(600, 3);
  const rnd = lcg(99);
  const reports = new ReportStore(new MemoryStore(), { cachedRows: 50 });
  const facts: CallFacts[] = [];
  // Random order, some recorded twice, some first with a shortened trail and then corrected.
  const order = calls.map((c, i) => ({ c, i, r: rnd() })).sort((a, b) => a.r - b.r);
  for (const { c } of order) {
    const ctx = { ...context, repeatCaller: c.repeat };
    if (rnd() < 0.1) await reports.recordCall(c.call, c.trail.slice(0, -3), ctx);
    const recorded = reports.recordCall(c.call, c.trail, ctx);
    if (rnd() < 0.1) await reports.recordCall(c.call, c.trail, ctx);
    await recorded;
    facts.push(rollupOf(c.call, c.trail, ctx));
  }
  t.true(facts.some((f) => f.legs.some((l) => l.result === 'answered')) && facts.some((f) => f.bot) && facts.some((f) => f.csat !== undefined));
  // The longest wait is a maximum, which a correction cannot lower: compare on calls recorded once.
  for (const query of QUERIES) {
    const result = await reports.query(query);
    const expected = bruteForce(facts, query, result);
    let compared = 0;
    for (const point of result.series) {
      const brute = expected.get(`${point.group}|${keyOfPoint(point, query)}`);
      const figures = brute ?? bruteFigures([], result.query.serviceLevelSeconds * 1000, result.query.shortAbandonSeconds * 1000);
      const { longestWaitSeconds: got, ...rest } = point.figures;
      const { longestWaitSeconds: want, ...wanted } = figures;
      t.deepEqual(rest, wanted, `${query.interval} ${query.timezone} ${point.group} ${point.label}`);
      t.true(got >= want, 'the longest wait is at least the brute-force one');
      if (brute) compared++;
    }
    t.is(compared, expected.size, `every brute-force interval and group appears in the ${query.interval} report`);
  }
});
