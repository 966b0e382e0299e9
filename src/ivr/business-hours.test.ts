import test from 'ava';
import { BusinessHoursError, localTime, openState, validateBusinessHours, type BusinessHoursSpec, type Weekday } from './business-hours.ts';

const at = (iso: string) => Date.parse(iso);

const shanghai: BusinessHoursSpec = {
  timezone: 'Asia/Shanghai',
  weekly: {
    mon: ['09:00-12:00', '13:00-18:00'], tue: ['09:00-12:00', '13:00-18:00'], wed: ['09:00-12:00', '13:00-18:00'],
    thu: ['09:00-12:00', '13:00-18:00'], fri: ['09:00-12:00', '13:00-18:00'], sat: ['10:00-14:00'],
  },
  holidays: [
    { date: '2026-10-01', name: '国庆节' },
    { date: '2026-10-08', name: 'Make-up day', hours: ['10:00-16:00'] },
  ],
};

test('given Shanghai weekday hours, when the clock crosses 09:00, then 08:59 is closed and 09:00 is open', (t) => {
  t.deepEqual(openState(shanghai, at('2026-03-02T08:59:59+08:00')), { open: false, reason: 'closed', nextChangeMs: at('2026-03-02T09:00:00+08:00') });
  t.deepEqual(openState(shanghai, at('2026-03-02T09:00:00+08:00')), { open: true, reason: 'weekly-hours', nextChangeMs: at('2026-03-02T12:00:00+08:00') });
});

test('given a lunch break, when judged around it, then range ends are exclusive and the break closes the line', (t) => {
  t.true(openState(shanghai, at('2026-03-02T11:59:59+08:00')).open);
  t.deepEqual(openState(shanghai, at('2026-03-02T12:00:00+08:00')), { open: false, reason: 'closed', nextChangeMs: at('2026-03-02T13:00:00+08:00') });
  t.deepEqual(openState(shanghai, at('2026-03-02T18:00:00+08:00')), { open: false, reason: 'closed', nextChangeMs: at('2026-03-03T09:00:00+08:00') });
});

test('given a Friday evening, when the next change is asked, then it skips to Saturday hours and then to Monday', (t) => {
  t.is(openState(shanghai, at('2026-03-06T18:30:00+08:00')).nextChangeMs, at('2026-03-07T10:00:00+08:00'));
  t.is(openState(shanghai, at('2026-03-07T14:00:00+08:00')).nextChangeMs, at('2026-03-09T09:00:00+08:00'));
});

test('given a closed holiday on a working Thursday, when judged at 10:00, then it is closed by the holiday until the next open day', (t) => {
  t.deepEqual(openState(shanghai, at('2026-10-01T10:00:00+08:00')), {
    open: false, reason: 'holiday', holiday: '国庆节', nextChangeMs: at('2026-10-02T09:00:00+08:00'),
  });
});

test('given a holiday with special hours, when judged inside and outside them, then the special hours replace the weekly ones', (t) => {
  t.deepEqual(openState(shanghai, at('2026-10-08T09:30:00+08:00')), {
    open: false, reason: 'holiday', holiday: 'Make-up day', nextChangeMs: at('2026-10-08T10:00:00+08:00'),
  });
  t.deepEqual(openState(shanghai, at('2026-10-08T12:30:00+08:00')), {
    open: true, reason: 'holiday-hours', holiday: 'Make-up day', nextChangeMs: at('2026-10-08T16:00:00+08:00'),
  });
});

test('given hours that run through midnight, when open late, then no change is reported at midnight', (t) => {
  const spec: BusinessHoursSpec = { timezone: 'Asia/Shanghai', weekly: { mon: ['18:00-24:00'], tue: ['00:00-06:00'] } };
  t.deepEqual(openState(spec, at('2026-03-02T20:00:00+08:00')), { open: true, reason: 'weekly-hours', nextChangeMs: at('2026-03-03T06:00:00+08:00') });
});

test('given a half-hour zone, when judged, then local minutes follow the +05:30 offset', (t) => {
  const spec: BusinessHoursSpec = { timezone: 'Asia/Kolkata', weekly: { mon: ['09:30-17:30'] } };
  t.false(openState(spec, at('2026-03-02T03:59:00Z')).open);
  t.deepEqual(openState(spec, at('2026-03-02T04:00:00Z')), { open: true, reason: 'weekly-hours', nextChangeMs: at('2026-03-02T12:00:00Z') });
});

const everyDay = (ranges: string[]) =>
  Object.fromEntries((['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => [day, ranges]));

test('given New York hours, when the spring switch shortens the night, then the next opening is 09:00 EDT, 14 wall hours but 13 real hours later', (t) => {
  const spec: BusinessHoursSpec = { timezone: 'America/New_York', weekly: everyDay(['09:00-17:00']) };
  const state = openState(spec, at('2026-03-07T19:00:00-05:00'));
  t.is(state.nextChangeMs, at('2026-03-08T09:00:00-04:00'));
  t.is(state.nextChangeMs! - at('2026-03-07T19:00:00-05:00'), 13 * 3_600_000);
});

test('given New York hours, when the autumn switch lengthens the night, then the next opening is 09:00 EST', (t) => {
  const spec: BusinessHoursSpec = { timezone: 'America/New_York', weekly: everyDay(['09:00-17:00']) };
  t.is(openState(spec, at('2026-10-31T17:00:00-04:00')).nextChangeMs, at('2026-11-01T09:00:00-05:00'));
});

test('given hours starting inside the spring DST gap, when asked before it, then the line opens when the clock jumps to 03:00', (t) => {
  const spec: BusinessHoursSpec = { timezone: 'America/New_York', weekly: { sun: ['02:30-05:00'] } };
  t.deepEqual(openState(spec, at('2026-03-08T01:45:00-05:00')), { open: false, reason: 'closed', nextChangeMs: at('2026-03-08T03:00:00-04:00') });
});

test('given hours ending inside the repeated autumn hour, when the clock falls back, then the line reopens for the repeat', (t) => {
  const spec: BusinessHoursSpec = { timezone: 'America/New_York', weekly: { sun: ['00:00-01:30'] } };
  t.is(openState(spec, at('2026-11-01T00:30:00-04:00')).nextChangeMs, at('2026-11-01T01:30:00-04:00'));
  t.deepEqual(openState(spec, at('2026-11-01T01:45:00-04:00')), { open: false, reason: 'closed', nextChangeMs: at('2026-11-01T01:00:00-05:00') });
  t.is(openState(spec, at('2026-11-01T01:00:00-05:00')).nextChangeMs, at('2026-11-01T01:30:00-05:00'));
});

test('given instants around the New York switches, when converted, then the wall clock jumps and repeats as the tz database says', (t) => {
  t.like(localTime(at('2026-03-08T06:59:00Z'), 'America/New_York'), { hour: 1, minute: 59, date: '2026-03-08', weekday: 'sun' });
  t.like(localTime(at('2026-03-08T07:00:00Z'), 'America/New_York'), { hour: 3, minute: 0 });
  t.like(localTime(at('2026-11-01T05:30:00Z'), 'America/New_York'), { hour: 1, minute: 30 });
  t.like(localTime(at('2026-11-01T06:30:00Z'), 'America/New_York'), { hour: 1, minute: 30 });
  t.deepEqual(localTime(at('2026-12-31T16:30:00Z'), 'Asia/Shanghai'), { year: 2027, month: 1, day: 1, weekday: 'fri', hour: 0, minute: 30, date: '2027-01-01' });
});

test('given a schedule that never opens, when asked, then there is no next change', (t) => {
  t.deepEqual(openState({ timezone: 'Asia/Shanghai', weekly: {} }, at('2026-03-02T10:00:00+08:00')), { open: false, reason: 'closed' });
  t.deepEqual(openState({ timezone: 'Asia/Shanghai', weekly: everyDay(['00:00-24:00']) }, at('2026-03-02T10:00:00+08:00')), { open: true, reason: 'weekly-hours' });
});

test('given the only opening is a holiday months away, when asked, then the next change is found beyond the first week', (t) => {
  const spec: BusinessHoursSpec = { timezone: 'Asia/Shanghai', weekly: {}, holidays: [{ date: '2027-01-20', hours: ['10:00-11:00'] }] };
  t.deepEqual(openState(spec, at('2026-03-02T10:00:00+08:00')), { open: false, reason: 'closed', nextChangeMs: at('2027-01-20T10:00:00+08:00') });
  t.like(openState(spec, at('2027-01-20T10:00:00+08:00')), { open: true, reason: 'holiday-hours', holiday: '2027-01-20' });
});

/** A deliberately naive reference: scan minute by minute with localTime only. */
function bruteNextChange(spec: BusinessHoursSpec, from: number, limitMinutes: number): number | undefined {
  const isOpen = (instant: number) => {
    const local = localTime(instant, spec.timezone);
    const minute = local.hour * 60 + local.minute;
    const holiday = spec.holidays?.find((h) => h.date === local.date);
    const ranges = holiday ? (holiday.hours ?? []) : (spec.weekly[local.weekday as Weekday] ?? []);
    return ranges.some((range) => {
      const [start, end] = range.split('-').map((hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
      return start! <= minute && minute < end!;
    });
  };
  const initial = isOpen(from);
  for (let m = Math.floor(from / 60_000) + 1; m <= Math.floor(from / 60_000) + limitMinutes; m++) {
    if (isOpen(m * 60_000) !== initial) return m * 60_000;
  }
  return undefined;
}

test('given seeded random instants around both New York switches, when asked, then nextChangeMs equals a minute-by-minute scan', (t) => {
  const spec: BusinessHoursSpec = {
    timezone: 'America/New_York',
    weekly: { sat: ['22:00-24:00'], sun: ['00:00-01:15', '01:45-02:15', '02:45-04:00', '09:00-17:00'], mon: ['08:00-12:00'] },
    holidays: [{ date: '2026-11-02', name: 'Test day', hours: ['00:30-00:45'] }],
  };
  let seed = 20260308;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (const centre of [at('2026-03-08T07:00:00Z'), at('2026-11-01T06:00:00Z')]) {
    for (let i = 0; i < 25; i++) {
      const instant = Math.floor(centre + (random() - 0.6) * 2 * 86_400_000);
      t.is(openState(spec, instant).nextChangeMs, bruteNextChange(spec, instant, 3 * 1440), new Date(instant).toISOString());
    }
  }
});

test('given a valid spec with touching ranges and a 24:00 end, when validated, then there are no problems', (t) => {
  t.deepEqual(validateBusinessHours({ ...shanghai, weekly: { mon: ['09:00-12:00', '12:00-24:00'], sun: ['00:00-24:00'] } }), []);
});

test('given bad ranges, when validated, then each problem points at its day and index', (t) => {
  const problems = validateBusinessHours({
    timezone: 'Asia/Shanghai',
    weekly: { mon: ['09:00-12:00', '11:00-13:00'], tue: ['9:00-12:00'], wed: ['18:00-09:00'], thu: ['24:00-24:00', '10:00-24:30'], fri: 'all day', funday: [] },
  });
  t.deepEqual(problems.map((p) => p.path), [['weekly', 'mon', 1], ['weekly', 'tue', 0], ['weekly', 'wed', 0], ['weekly', 'thu', 0], ['weekly', 'thu', 1], ['weekly', 'fri'], ['weekly', 'funday']]);
  t.regex(problems[0]!.message, /"11:00-13:00" overlaps "09:00-12:00"/);
  t.regex(problems[2]!.message, /ends before it starts/);
  t.regex(problems[6]!.message, /unknown day "funday"/);
});

test('given a bad zone and bad holidays, when validated, then the zone, dates and duplicates are reported with paths', (t) => {
  const problems = validateBusinessHours({
    timezone: 'Mars/Olympus_Mons',
    weekly: {},
    holidays: [{ date: '2026-10-01' }, { date: '2026-02-30' }, { date: '2026-10-01', hours: ['10:00-09:00'] }, { date: '01/10/2026', colour: 'red' }],
  });
  t.deepEqual(problems.map((p) => p.path), [['timezone'], ['holidays', 1, 'date'], ['holidays', 2, 'date'], ['holidays', 2, 'hours', 0], ['holidays', 3, 'colour'], ['holidays', 3, 'date']]);
  t.regex(problems[0]!.message, /Mars\/Olympus_Mons/);
  t.regex(problems[2]!.message, /already listed at holidays\[0\]/);
  t.deepEqual(validateBusinessHours('09:00-18:00').map((p) => p.path), [[]]);
});

test('given an invalid spec, when openState is asked, then it refuses with a coded error naming the path', (t) => {
  const error = t.throws(() => openState({ timezone: 'Asia/Shanghai', weekly: { mon: ['9-5'] } }, 0), { instanceOf: BusinessHoursError });
  t.is(error?.code, 'BUSINESS_HOURS_INVALID');
  t.regex(error?.message ?? '', /\["weekly","mon",0\]/);
});
