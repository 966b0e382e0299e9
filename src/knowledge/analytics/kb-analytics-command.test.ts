// `deskline kb analytics` (src/cli/commands/kb-analytics.ts): its text charts, its date options,
// and one run against the analytics routes served on a real control socket in a temp directory.
import test from 'ava';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatKnowledgeAnalytics, kbAnalyticsCommand, parseDateOption } from '../../cli/commands/kb-analytics.ts';
import type { TrailEntry } from '../../calls/call-types.ts';
import { newCall } from '../../calls/call-machine.ts';
import { analyzeKnowledge } from './knowledge-analytics.ts';
import { analyticsFor, type CallSource, type KnowledgeAnalyticsResponse } from './analytics-routes.ts';
import { agentConnected, answered, assist, call, DAY, done, escalation, feedback, handoff, lowConfidence, queued, T0 } from './testing-trails.ts';

const week = { from: T0, to: T0 + 7 * DAY };

function sample() {
  return [
    call('a', T0 + 3600_000, answered('How do I reset my password?', 'pw-reset'), feedback('pw-reset', true), done()),
    call('b', T0 + DAY, lowConfidence('话费余额怎么查', [{ id: 'bill-balance', confidence: 0.41 }]), lowConfidence('我想查询话费余额'), handoff('low-confidence'), queued(), agentConnected()),
    call('c', T0 + 2 * DAY, answered('opening hours', 'hours'), feedback('hours', false), handoff('not-helped'), escalation('complaint')),
    call('d', T0 + 2 * DAY, queued(), agentConnected(), assist('shown', 'pw-reset'), assist('opened', 'pw-reset')),
  ];
}

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
  const log = console.log;
  let out = '';
  console.log = (...args: unknown[]) => (out += `${args.join(' ')}\n`);
  try {
    return { code: await fn(), out };
  } finally {
    console.log = log;
  }
}

test('given analytics in zh and en, when formatted, then rates, reasons, days, articles and unmatched groups are drawn as bars', (t) => {
  const text = formatKnowledgeAnalytics({ ...analyzeKnowledge(sample(), week), truncated: false });
  t.regex(text, /match rate +█{10}·{10} +50 % +2 of 4 questions answered/);
  t.regex(text, /contained +█{7}·{13} +33 % +1 calls ended without an agent/);
  t.regex(text, /handed off .* 2 to a queue or a message, 1 reached an agent/);
  t.regex(text, /low-confidence +█{20} 1\n +not-helped +█{20} 1\n/);
  t.regex(text, /Bot calls per day/);
  t.regex(text, /03-04 +█{20} +1 +0 % +100 %\n +03-05 +·{20} +0 +– +–/);
  t.regex(text, /pw-reset +█{20} 1 answers \(1 helped, 0 not\) · assist 1 shown, 1 opened, 0 helpful/);
  t.regex(text, /answers that did not help most: hours \(1\)/);
  t.regex(text, /complaint +█{20} 1 +\(caller 1, agent 0\)/);
  t.regex(text, /Unmatched questions: 2 in 1 groups/);
  t.regex(text, /2× +我想查询话费余额\n +also: "话费余额怎么查"\n +nearest articles: bill-balance \(0\.41\)/);
});

test('given no calls, when formatted, then it says so instead of drawing empty charts', (t) => {
  const text = formatKnowledgeAnalytics({ ...analyzeKnowledge([], week), truncated: false });
  t.regex(text, /no calls reached the bot in this range/);
  t.regex(text, /Unmatched questions: 0 in 0 groups\n +none/);
  t.notRegex(text, /NaN|undefined|Infinity/);
});

test('given a range of months, when formatted, then the series is weekly', (t) => {
  const calls = Array.from({ length: 90 }, (_, i) => call(`c${i}`, T0 + i * DAY, answered('q', 'a'), done()));
  const text = formatKnowledgeAnalytics({ ...analyzeKnowledge(calls, { from: T0, to: T0 + 90 * DAY }), truncated: true });
  t.regex(text, /Bot calls per week/);
  t.is(text.match(/^ {2}wk /gm)?.length, 13);
  t.regex(text, /the oldest calls were left out/);
});

test('given bare dates, when parsed as options, then --from is the start and --to the end of that local day', (t) => {
  t.is(parseDateOption('--from', '2026-03-01'), new Date(2026, 2, 1).toISOString());
  t.is(parseDateOption('--to', '2026-03-31'), new Date(2026, 3, 1).toISOString());
  t.is(parseDateOption('--from', '2026-03-01T08:00+08:00'), '2026-03-01T00:00:00.000Z');
  t.is(parseDateOption('--to', undefined), undefined);
  for (const bad of ['2026-02-30', '2026-13-01', 'soon']) t.throws(() => parseDateOption('--from', bad), { message: /--from ".*": not a date/ });
});

test('given a running service, when "kb analytics" runs, then it asks the control socket for the range and prints charts or JSON', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kb-analytics-'));
  const socket = join(dir, 'deskline.sock');
  const asked: string[] = [];
  const calls = sample();
  const records: CallSource = {
    list: async ({ from = 0, to = Infinity }) => calls.filter((c) => c.startedAt >= from && c.startedAt <= to).map((c) => ({ ...newCall({ channelId: c.callId, channelName: c.callId, caller: { number: '1', name: '' }, dialed: '1', at: c.startedAt }) })),
    trail: async (id) => calls.find((c) => c.callId === id)?.trail ?? ([] as TrailEntry[]),
  };
  const control = new Hono();
  control.use('*', async (c, next) => { asked.push(c.req.url); await next(); });
  // What the admin API's GET /knowledge/analytics answers (src/api/v1/knowledge-routes.ts).
  control.get('/api/v1/knowledge/analytics', async (c) => {
    const result = await analyticsFor({ records, now: () => T0 + 7 * DAY }, c.req.query());
    return result.ok ? c.json(result.body) : c.json({ error: { code: 'BAD_REQUEST', message: result.message } }, 400);
  });
  const server = createAdaptorServer({ fetch: control.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  t.teardown(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const text = await capture(() => kbAnalyticsCommand.run(['--socket', socket, '--from', '2026-03-02T00:00Z', '--to', '2026-03-09T00:00Z']));
  t.is(text.code, 0);
  t.regex(text.out, /Voice FAQ bot: 3 calls/);
  t.regex(asked[0]!, /\/api\/v1\/knowledge\/analytics\?from=2026-03-02T00%3A00%3A00.000Z&to=2026-03-09T00%3A00%3A00.000Z&unmatched=10$/);

  const json = await capture(() => kbAnalyticsCommand.run(['--socket', socket, '--json']));
  const body = JSON.parse(json.out) as KnowledgeAnalyticsResponse;
  t.is(body.bot.calls, 3);
  t.deepEqual(body.unmatched.groups[0]!.examples.map((e) => e.text), ['我想查询话费余额', '话费余额怎么查']);

  await t.throwsAsync(kbAnalyticsCommand.run(['--socket', socket, '--from', '2025-01-01T00:00Z', '--to', '2026-03-01T00:00Z']), { message: /at most 366 days/ });
  await t.throwsAsync(kbAnalyticsCommand.run(['--socket', join(dir, 'nobody.sock')]), { message: /Deskline is not running/ });
  await t.throwsAsync(kbAnalyticsCommand.run(['--socket', socket, '--top', '0']), { message: /--top takes a whole number/ });
});
