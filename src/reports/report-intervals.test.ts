import test from 'ava';
import { intervalsOf } from './report-intervals.ts';
import { ReportError } from './report-errors.ts';

const hours = (spans: { start: number; end: number }[]) => spans.map((s) => (s.end - s.start) / 3_600_000);

test('given New York days across the March DST change, when listed, then that Sunday has 23 hours and labels carry the new offset', (t) => {
  const days = intervalsOf(Date.parse('2026-03-07T05:00Z'), Date.parse('2026-03-10T04:00Z'), 'day', 'America/New_York');
  t.deepEqual(days.map((d) => d.label), ['2026-03-07T00:00-05:00', '2026-03-08T00:00-05:00', '2026-03-09T00:00-04:00']);
  t.deepEqual(hours(days), [24, 23, 24]);
});

test('given New York hours in the November fall-back, when listed, then the repeated 1 am hour is two intervals', (t) => {
  const spans = intervalsOf(Date.parse('2026-11-01T04:00Z'), Date.parse('2026-11-01T08:00Z'), 'hour', 'America/New_York');
  t.deepEqual(spans.map((s) => s.label), ['2026-11-01T00:00-04:00', '2026-11-01T01:00-04:00', '2026-11-01T01:00-05:00', '2026-11-01T02:00-05:00']);
});

test('given Asia/Shanghai weeks, when listed, then they start on Mondays at local midnight (16:00 UTC)', (t) => {
  const weeks = intervalsOf(Date.parse('2026-03-01T16:00Z'), Date.parse('2026-03-15T16:00Z'), 'week', 'Asia/Shanghai');
  t.deepEqual(weeks.map((w) => new Date(w.start).toISOString()), ['2026-03-01T16:00:00.000Z', '2026-03-08T16:00:00.000Z']);
  t.deepEqual(weeks.map((w) => w.label), ['2026-03-02T00:00+08:00', '2026-03-09T00:00+08:00']);
});

test('given zones offset by 30 and 45 minutes, when listed, then boundaries still fall on quarters', (t) => {
  const kolkata = intervalsOf(Date.parse('2026-03-01T00:00Z'), Date.parse('2026-03-01T03:00Z'), 'hour', 'Asia/Kolkata');
  t.deepEqual(kolkata.map((s) => s.label), ['2026-03-01T05:30+05:30', '2026-03-01T06:00+05:30', '2026-03-01T07:00+05:30', '2026-03-01T08:00+05:30']);
  t.deepEqual(hours(kolkata), [0.5, 1, 1, 0.5], 'the range is clipped at both ends');
  const months = intervalsOf(Date.parse('2026-01-31T18:15Z'), Date.parse('2026-03-31T18:15Z'), 'month', 'Asia/Kathmandu');
  t.deepEqual(months.map((m) => m.label), ['2026-02-01T00:00+05:45', '2026-03-01T00:00+05:45']);
  t.deepEqual(months.map((m) => new Date(m.start).toISOString()), ['2026-01-31T18:15:00.000Z', '2026-02-28T18:15:00.000Z']);
});

test('given a bad zone or a year of 15-minute intervals, when listed, then a ReportError names the problem', (t) => {
  t.is(t.throws(() => intervalsOf(0, 3_600_000, 'day', 'Mars/Olympus'), { instanceOf: ReportError })?.code, 'REPORT_BAD_TIMEZONE');
  t.is(t.throws(() => intervalsOf(0, 366 * 86_400_000, '15m', 'UTC'), { instanceOf: ReportError })?.code, 'REPORT_RANGE_TOO_LARGE');
});

test('given total, when listed, then the whole range is one interval', (t) => {
  t.deepEqual(hours(intervalsOf(Date.parse('2026-03-01T00:00Z'), Date.parse('2026-03-03T00:00Z'), 'total', 'Europe/Paris')), [48]);
});
