// Reports benchmark (`npm run bench -- reports [--calls 1000000] [--scan-days 3] [--queries 40]`):
//  1. one month (March 2026) of generated calls of the demo site (8 queues, 60 agents, 4 flows,
//     a FAQ bot; src/reports/testing/random-calls.ts) is written to a LevelStore as the appliance
//     writes it: each call's record and trail through CallRecords.save, then its rollups through
//     ReportStore.recordCall, as if each call had just ended (busy hours heavier, Shanghai time);
//  2. the store is closed and opened again (no rollup row in memory), and the month report — per
//     local day, per queue, service level at 20 s, in Asia/Shanghai — is asked repeatedly: p50/p99;
//     a few other reports beside it;
//  3. the reference in the same run: the same figures computed by scanning the stored call records
//     and trails in key order (the cheapest full scan: one sequential pass, no index lookups) over
//     the first `scan-days` local days, checked equal to the rollup answer for those days, and its
//     time extrapolated linearly to the whole month.
import { mkdtemp, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CallRecords } from '../../src/calls/call-records.ts';
import type { CallState, TrailEntry } from '../../src/calls/call-types.ts';
import { rollupOf } from '../../src/reports/call-facts.ts';
import { figuresOf, type Figures } from '../../src/reports/report-figures.ts';
import { intervalsOf } from '../../src/reports/report-intervals.ts';
import type { ReportQuery, ReportResult } from '../../src/reports/report-query.ts';
import { ReportStore } from '../../src/reports/report-store.ts';
import { addRow, contributionsOf, emptyRow, type RollupRow } from '../../src/reports/rollup-row.ts';
import { demoSite, lcg, randomCall, siteContext } from '../../src/reports/testing/random-calls.ts';
import { LevelStore } from '../../src/store/level-store.ts';
import { percentile, round } from './stats.ts';

const TIMEZONE = 'Asia/Shanghai';
/** 1 March 2026 00:00 in Shanghai. */
const MONTH_START = Date.parse('2026-02-28T16:00:00Z');
const MONTH_END = Date.parse('2026-03-31T16:00:00Z');
const HOUR = 3_600_000;
/** Relative call volume by local hour: quiet nights, busy office hours. */
const HOURLY_WEIGHT = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.5, 2, 2, 2, 1.6, 1.8, 2, 2, 1.8, 1.5, 1.1, 0.9, 0.8, 0.6, 0.4, 0.3];

export async function run(argv: string[], progress: (line: string) => void) {
  const { values } = parseArgs({ args: argv, options: { calls: { type: 'string', default: '1000000' }, 'scan-days': { type: 'string', default: '3' }, queries: { type: 'string', default: '40' }, chunk: { type: 'string', default: '2000' } } });
  const total = Number(values.calls);
  const scanDays = Number(values['scan-days']);
  const queryRuns = Number(values.queries);
  const chunk = Number(values.chunk);
  const site = demoSite();
  const context = siteContext(site);
  const dir = await mkdtemp(join(tmpdir(), 'deskline-bench-reports-'));
  try {
    // ---- 1. a month of calls, recorded as they end -----------------------------------------
    let store = await LevelStore.open(join(dir, 'db'));
    let records = new CallRecords(store);
    let reports = new ReportStore(store);
    const rnd = lcg(20260301);
    const hours = (MONTH_END - MONTH_START) / HOUR;
    const weightSum = Array.from({ length: hours }, (_, h) => HOURLY_WEIGHT[h % 24]!).reduce((a, b) => a + b, 0);
    let made = 0;
    let carry = 0;
    let saveMs = 0;
    let rollupMs = 0;
    const started = performance.now();
    let batch: { call: CallState; trail: TrailEntry[] }[] = [];
    const flush = async () => {
      const t0 = performance.now();
      await Promise.all(batch.map(({ call, trail }) => records.save(undefined, call, trail)));
      const t1 = performance.now();
      await Promise.all(batch.map(({ call, trail }) => reports.recordCall(call, trail, context)));
      rollupMs += performance.now() - t1;
      saveMs += t1 - t0;
      batch = [];
    };
    for (let h = 0; h < hours && made < total; h++) {
      carry += (total * HOURLY_WEIGHT[h % 24]!) / weightSum;
      const count = h === hours - 1 ? total - made : Math.min(Math.floor(carry), total - made);
      carry -= count;
      const starts = Array.from({ length: count }, () => MONTH_START + h * HOUR + Math.floor(rnd() * HOUR)).sort((a, b) => a - b);
      for (const at of starts) {
        // Asterisk-like ids (epoch seconds . sequence): the records' keys sort by start time.
        const id = `${Math.floor(at / 1000)}.${String(made).padStart(7, '0')}`;
        batch.push(randomCall(rnd, id, at, site));
        made++;
        if (batch.length >= chunk) await flush();
        if (made % 100_000 === 0) progress(`${made}/${total} calls stored and rolled up (${round((performance.now() - started) / 1000, 1)} s; save ${round(saveMs / 1000, 1)} s, rollups ${round(rollupMs / 1000, 1)} s)`);
      }
    }
    await flush();
    await reports.idle();
    const generationSeconds = (performance.now() - started) / 1000;
    await store.close();
    const diskMiB = Number(execFileSync('du', ['-sm', join(dir, 'db')]).toString().split('\t')[0]);
    progress(`${made} calls in ${round(generationSeconds, 1)} s; store ${diskMiB} MiB`);

    // ---- 2. reports from rollups, on a store opened afresh ------------------------------------
    store = await LevelStore.open(join(dir, 'db'));
    records = new CallRecords(store);
    reports = new ReportStore(store);
    const month: ReportQuery = { from: MONTH_START, to: MONTH_END, interval: 'day', timezone: TIMEZONE, groupBy: 'queue', serviceLevelSeconds: 20 };
    const timeQuery = async (query: ReportQuery, runs: number) => {
      const times: number[] = [];
      let result: ReportResult | undefined;
      for (let i = 0; i < runs + 3; i++) {
        const t0 = performance.now();
        result = await reports.query(query);
        if (i >= 3) times.push(performance.now() - t0);
      }
      return { runs, p50Ms: round(percentile(times, 50), 1), p99Ms: round(percentile(times, 99), 1), maxMs: round(Math.max(...times), 1), rowsRead: result!.rowsRead, result: result! };
    };
    const main = await timeQuery(month, queryRuns);
    progress(`month report per day per queue: p50 ${main.p50Ms} ms, p99 ${main.p99Ms} ms, ${main.rowsRead} rows`);
    const others: Record<string, unknown> = {};
    for (const [name, query] of [
      ['perHourAll', { ...month, interval: 'hour', groupBy: 'all' }],
      ['perDayPerAgent', { ...month, groupBy: 'agent' }],
      ['perWeekPerSkill', { ...month, interval: 'week', groupBy: 'skill' }],
      ['perDayFlowFunnel', { ...month, groupBy: 'flow' }],
      ['perDayKolkata', { ...month, from: MONTH_START + 2.5 * HOUR, to: MONTH_END + 2.5 * HOUR, timezone: 'Asia/Kolkata' }],
      ['monthTopUnmatched', { ...month, interval: 'month', groupBy: 'all', unmatched: 20 }],
    ] as [string, ReportQuery][]) {
      const timed = await timeQuery(query, 10);
      others[name] = { runs: timed.runs, p50Ms: timed.p50Ms, p99Ms: timed.p99Ms, rowsRead: timed.rowsRead };
      progress(`${name}: p50 ${timed.p50Ms} ms, ${timed.rowsRead} rows`);
    }

    // Calls ending one at a time, as on a live site (each its own round and batch): April's first
    // calls, outside the month reported on.
    const single: number[] = [];
    for (let i = 0; i < 300; i++) {
      const { call, trail } = randomCall(rnd, `april-${i}`, MONTH_END + i * 3_000, site);
      await records.save(undefined, call, trail);
      const t0 = performance.now();
      await reports.recordCall(call, trail, context);
      single.push(performance.now() - t0);
    }
    progress(`one call ending alone: rollups p50 ${round(percentile(single, 50), 2)} ms`);

    // ---- 3. the reference: a sequential scan of the stored calls --------------------------------
    const scanTo = MONTH_START + scanDays * 24 * HOUR;
    const days = intervalsOf(MONTH_START, scanTo, 'day', TIMEZONE);
    const dayIndex = (at: number) => days.findIndex((d) => at >= d.start && at < d.end);
    const section = store.section('calls');
    const lastId = `${Math.floor(scanTo / 1000)}.`;
    const scanStarted = performance.now();
    const sums = new Map<string, RollupRow>();
    let scanned = 0;
    const trails = section.entries<TrailEntry>({ gte: 'trail!', lt: `trail!${lastId}` })[Symbol.asyncIterator]();
    let pendingTrail = await trails.next();
    for await (const [key, call] of section.entries<CallState>({ gte: 'rec!', lt: `rec!${lastId}` })) {
      const id = key.slice('rec!'.length);
      const trail: TrailEntry[] = [];
      while (!pendingTrail.done && pendingTrail.value[0].startsWith(`trail!${id}!`)) {
        trail.push(pendingTrail.value[1]);
        pendingTrail = await trails.next();
      }
      const index = dayIndex(call.startedAt);
      if (index < 0) continue;
      scanned++;
      for (const [dimension, delta] of contributionsOf(rollupOf(call, trail, context))) {
        if (dimension !== 'all' && !dimension.startsWith('queue:')) continue;
        const sumKey = `${dimension}|${index}`;
        addRow(sums.get(sumKey) ?? sums.set(sumKey, emptyRow()).get(sumKey)!, delta);
      }
    }
    const scanSeconds = (performance.now() - scanStarted) / 1000;
    const thresholds = { serviceLevelMs: 20_000, shortAbandonMs: 5_000 };
    const scanFigures = (dimension: string, index: number): Figures => figuresOf(sums.get(`${dimension}|${index}`) ?? emptyRow(), thresholds);
    // The rollup answer for the same days, compared figure by figure.
    const sameDays = (await reports.query({ ...month, to: scanTo })) as ReportResult;
    let mismatches = 0;
    for (const point of sameDays.series) {
      const index = days.findIndex((d) => d.start === point.start);
      if (JSON.stringify(point.figures) !== JSON.stringify(scanFigures(`queue:${point.group}`, index))) mismatches++;
    }
    if (JSON.stringify(sameDays.total) !== JSON.stringify(figuresOf(days.reduce((sum, _, i) => addRow(sum, sums.get(`all|${i}`) ?? emptyRow()), emptyRow()), thresholds))) mismatches++;
    const extrapolatedSeconds = scanSeconds * (made / scanned);
    progress(`scan of ${scanned} calls (${scanDays} days): ${round(scanSeconds, 1)} s → ${round(extrapolatedSeconds, 1)} s for ${made}; ${mismatches} mismatches with the rollups`);
    await store.close();

    const summary = main.result.total;
    return {
      setup: {
        calls: made, month: '2026-03', timezone: TIMEZONE, queues: site.queues.length, agents: site.agents.length, flows: site.flows.map((f) => f.id),
        storeMiB: diskMiB, note: 'records and trails written through CallRecords.save, rollups through ReportStore.recordCall, per call, in chunks of concurrent calls (LevelStore coalesces each tick into one batch)',
      },
      generation: {
        seconds: round(generationSeconds, 1),
        callRecordsSeconds: round(saveMs / 1000, 1),
        rollupSeconds: round(rollupMs / 1000, 1),
        rollupMsPerCall: round(rollupMs / made, 4),
        oneCallAlone: { what: 'recordCall awaited for one call at a time (its own marker read, rows, batch), as calls end on a live site', calls: single.length, p50Ms: round(percentile(single, 50), 2), p99Ms: round(percentile(single, 99), 2) },
      },
      monthReport: {
        what: 'March 2026 per local day per queue in Asia/Shanghai, service level at 20 s (8 queues × 31 days + totals), from rollups only, store reopened (no row cached)',
        runs: main.runs, p50Ms: main.p50Ms, p99Ms: main.p99Ms, maxMs: main.maxMs, rowsRead: main.rowsRead, budgetMs: 500,
        answer: { calls: summary.calls, offered: summary.offered, answered: summary.answered, abandoned: summary.abandoned, serviceLevel: summary.serviceLevel, asaSeconds: summary.asaSeconds, ahtSeconds: summary.ahtSeconds, botContainment: summary.bot.containmentRate },
      },
      otherReports: others,
      reference: {
        what: 'the same figures from a full scan of the stored records and trails in key order (one sequential pass: the cheapest scan), over the first days of the month, extrapolated linearly to the month',
        scannedCalls: scanned, scanDays, scanSeconds: round(scanSeconds, 2), extrapolatedMonthSeconds: round(extrapolatedSeconds, 1),
        mismatchesWithRollups: mismatches,
        ratioScanToReportP50: round((extrapolatedSeconds * 1000) / main.p50Ms, 0),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
