import test from 'ava';
import { CallRecords } from '../../calls/call-records.ts';
import { newCall } from '../../calls/call-machine.ts';
import type { CallState, TrailEntry } from '../../calls/call-types.ts';
import { MemoryStore } from '../../store/memory-store.ts';
import { Hono } from 'hono';
import { analyticsFor, type CallSource, type KnowledgeAnalyticsResponse, type KnowledgeAnalyticsRoutesDeps } from './analytics-routes.ts';

/** analyticsFor behind a route, as the admin API serves it (there with auth and the error shape). */
function knowledgeAnalyticsRoutes(deps: KnowledgeAnalyticsRoutesDeps) {
  return new Hono().get('/knowledge/analytics', async (c) => {
    const result = await analyticsFor(deps, c.req.query());
    return result.ok ? c.json(result.body) : c.json({ error: { code: 'BAD_REQUEST', message: result.message } }, 400);
  });
}
import { answered, call, DAY, done, feedback, handoff, lowConfidence, queued, T0 } from './testing-trails.ts';

const NOW = T0 + 10 * DAY + 12 * 3600_000; // 12 March 2026, 12:00 UTC

async function recordsWith(calls: { callId: string; startedAt: number; trail: TrailEntry[] }[]): Promise<CallRecords> {
  const records = new CallRecords(new MemoryStore());
  for (const c of calls) {
    const state: CallState = { ...newCall({ channelId: c.callId, channelName: `PJSIP/${c.callId}`, caller: { number: '5550100', name: '' }, dialed: '4000', at: c.startedAt }), trailLength: c.trail.length };
    await records.save(undefined, state, c.trail);
  }
  return records;
}

async function get(app: ReturnType<typeof knowledgeAnalyticsRoutes>, query = '') {
  const response = await app.request(`/knowledge/analytics${query}`);
  return { status: response.status, body: (await response.json()) as KnowledgeAnalyticsResponse & { error?: { code: string; message: string } } };
}

test('given no range, when analytics are asked, then the last 7 days up to now are analysed', async (t) => {
  const records = await recordsWith([
    call('recent', NOW - DAY, answered('How do I reset my password?', 'pw-reset'), feedback('pw-reset', true)),
    call('edge', NOW - 7 * DAY, lowConfidence('话费余额怎么查'), handoff('low-confidence'), queued()),
    call('old', NOW - 7 * DAY - 1, answered('q', 'a'), done()),
    call('future', NOW, answered('q', 'a'), done()),
  ]);
  const { status, body } = await get(knowledgeAnalyticsRoutes({ records, now: () => NOW }));
  t.is(status, 200);
  t.deepEqual(body.range, { from: NOW - 7 * DAY, to: NOW, timeZone: 'UTC' });
  t.like(body.bot, { calls: 2, contained: 1, handedOff: 1, containmentRate: 0.5, matchRate: 0.5 });
  t.is(body.unmatched.groups[0]!.representative, '话费余额怎么查');
  t.is(body.days.length, 8, 'seven days from a noon touch eight calendar days');
  t.false(body.truncated);
});

test('given from and to as ISO dates and date-times, when asked, then exactly that range is analysed in the site time zone', async (t) => {
  const records = await recordsWith([
    call('a', Date.parse('2026-03-03T23:30:00Z'), answered('q', 'a'), done()),
    call('b', Date.parse('2026-03-04T16:30:00Z'), answered('q', 'a'), done()),
  ]);
  const app = knowledgeAnalyticsRoutes({ records, now: () => NOW, timeZone: 'Asia/Shanghai' });
  const { body } = await get(app, '?from=2026-03-04T00:00%2B08:00&to=2026-03-05T00:00%2B08:00');
  t.is(body.bot.calls, 1);
  t.deepEqual(body.days.map((d) => [d.day, d.botCalls]), [['2026-03-04', 1]]);
  const utc = await get(app, '?from=2026-03-03&to=2026-03-05');
  t.is(utc.body.bot.calls, 2);
  t.is(utc.body.range.from, Date.parse('2026-03-03T00:00:00Z'));
});

test('given only from, when asked, then the range runs from it to now', async (t) => {
  const records = await recordsWith([call('a', NOW - 20 * DAY, done()), call('b', NOW - DAY, done())]);
  const { body } = await get(knowledgeAnalyticsRoutes({ records, now: () => NOW }), `?from=${new Date(NOW - 30 * DAY).toISOString()}`);
  t.is(body.bot.calls, 2);
  t.is(body.range.to, NOW);
});

for (const [query, named] of [
  ['?from=yesterday', /from: "yesterday" is not an ISO 8601 date/],
  ['?to=2026-13-45', /to: "2026-13-45" is not an ISO 8601/],
  ['?from=1', /from: "1"/],
  ['?from=2026-03-01T08:00:00%2B08:00&to=', /to: "" is not/],
  ['?from=2026-03-05&to=2026-03-01', /from \(2026-03-05T00:00:00.000Z\) must be before to/],
  ['?from=2026-03-01&to=2026-03-01', /must be before/],
  ['?from=2025-01-01&to=2026-03-01', /at most 366 days/],
  ['?unmatched=lots', /unmatched: "lots"/],
  ['?unmatched=5000', /from 0 to 1000/],
] as const) {
  test(`given ${query}, when analytics are asked, then 400 naming what is wrong`, async (t) => {
    const { status, body } = await get(knowledgeAnalyticsRoutes({ records: await recordsWith([]), now: () => NOW }), query);
    t.is(status, 400);
    t.is(body.error?.code, 'BAD_REQUEST');
    t.regex(body.error!.message, named);
  });
}

test('given a range of exactly 366 days, when asked, then it is accepted', async (t) => {
  const { status } = await get(knowledgeAnalyticsRoutes({ records: await recordsWith([]), now: () => NOW }), '?from=2025-03-01&to=2026-03-02');
  t.is(status, 200);
});

test('given more calls than a page, some in the same millisecond, when asked, then every call is read once', async (t) => {
  const calls = Array.from({ length: 25 }, (_, i) => call(`c${String(i).padStart(2, '0')}`, NOW - DAY + Math.floor(i / 4) * 1000, answered('q', 'a'), done()));
  const records = await recordsWith(calls);
  const app = knowledgeAnalyticsRoutes({ records, now: () => NOW, pageSize: 3 });
  const { body } = await get(app);
  t.is(body.calls, 25);
  t.is(body.bot.contained, 25);
  t.false(body.truncated);
});

test('given more calls than one request reads, when asked, then the newest are analysed and the answer says truncated', async (t) => {
  const calls = Array.from({ length: 12 }, (_, i) => call(`c${i}`, NOW - DAY + i * 1000, i < 4 ? lowConfidence('old question') : answered('q', 'a')));
  const { body } = await get(knowledgeAnalyticsRoutes({ records: await recordsWith(calls), now: () => NOW, maxCalls: 8, pageSize: 5 }));
  t.is(body.calls, 8);
  t.is(body.bot.answered, 8);
  t.true(body.truncated);
});

test('given a records store that answers with calls outside the range and odd trails, when asked, then they are left out without failing', async (t) => {
  const inRange = { ...newCall({ channelId: 'in', channelName: 'x', caller: { number: '1', name: '' }, dialed: '1', at: NOW - DAY }) };
  const outside = { ...inRange, callId: 'out', startedAt: NOW + DAY };
  const records: CallSource = {
    list: async () => [outside, inRange],
    trail: async (id) => (id === 'in' ? ([null, { type: 'faq-turn', outcome: 'answered', text: 'hi', articleId: 'greet', matches: [] }, { type: 'faq-done' }] as unknown as TrailEntry[]) : []),
  };
  const { status, body } = await get(knowledgeAnalyticsRoutes({ records, now: () => NOW, lexicon: () => undefined }));
  t.is(status, 200);
  t.is(body.calls, 1);
  t.is(body.bot.contained, 1);
});

test('given an unmatched limit, when asked, then at most that many groups come back', async (t) => {
  const records = await recordsWith([call('a', NOW - DAY, lowConfidence('parcel tracking'), lowConfidence('gift cards'), lowConfidence('store hours'))]);
  const { body } = await get(knowledgeAnalyticsRoutes({ records, now: () => NOW }), '?unmatched=1');
  t.is(body.unmatched.groups.length, 1);
  t.is(body.unmatched.groupCount, 3);
});
