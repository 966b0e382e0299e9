import test from 'ava';
import { ManualClock } from '../core/clock.ts';
import { nextReminder, ReminderTimers } from './followup-reminders.ts';
import { HOUR, MIN, T0 } from './testing-followups.ts';

const open = { status: 'open' as const, dueAt: T0 + HOUR };
const soon = 15 * MIN;

test('given an open follow-up due in 1 h, when nothing was sent, then due-soon 15 min before; after it, overdue at the due time', (t) => {
  t.deepEqual(nextReminder(open, undefined, T0, soon), { kind: 'due-soon', at: T0 + 45 * MIN });
  t.deepEqual(nextReminder(open, { dueAt: open.dueAt, sent: ['due-soon'] }, T0, soon), { kind: 'overdue', at: T0 + HOUR });
  t.is(nextReminder(open, { dueAt: open.dueAt, sent: ['due-soon', 'overdue'] }, T0, soon), undefined);
});

test('given marks for an earlier due time, when planned, then they do not count (rescheduling re-arms)', (t) => {
  t.deepEqual(nextReminder(open, { dueAt: T0, sent: ['due-soon', 'overdue'] }, T0, soon), { kind: 'due-soon', at: T0 + 45 * MIN });
});

test('given the due-soon window already begun, or the due time passed, when planned, then due-soon at once, or overdue only', (t) => {
  t.deepEqual(nextReminder(open, undefined, T0 + 50 * MIN, soon), { kind: 'due-soon', at: T0 + 50 * MIN });
  t.deepEqual(nextReminder(open, undefined, T0 + 2 * HOUR, soon), { kind: 'overdue', at: T0 + HOUR });
  t.deepEqual(nextReminder(open, undefined, T0, 0), { kind: 'overdue', at: T0 + HOUR }, 'due-soon switched off');
});

test('given done, cancelled, waiting or in-progress, when planned, then none for the closed ones and reminders for the rest', (t) => {
  t.is(nextReminder({ ...open, status: 'done' }, undefined, T0, soon), undefined);
  t.is(nextReminder({ ...open, status: 'cancelled' }, undefined, T0, soon), undefined);
  t.truthy(nextReminder({ ...open, status: 'waiting' }, undefined, T0, soon));
  t.truthy(nextReminder({ ...open, status: 'in-progress' }, undefined, T0, soon));
});

test('given timers, when one follow-up is armed twice, then only the later arming fires', (t) => {
  const clock = new ManualClock(T0);
  const timers = new ReminderTimers(clock);
  const fired: string[] = [];
  timers.set('f', T0 + MIN, () => fired.push('first'));
  timers.set('f', T0 + 2 * MIN, () => fired.push('second'));
  t.is(timers.armed, 1);
  clock.advance(3 * MIN);
  t.deepEqual(fired, ['second']);
  t.is(timers.armed, 0);
});
