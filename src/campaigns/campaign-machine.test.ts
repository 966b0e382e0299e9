import test from 'ava';
import { campaignInputSchema } from './campaign-schemas.ts';
import { afterAttempt, dialsAllowed, outcomeOfCause, pickContacts } from './campaign-machine.ts';
import type { Campaign, Contact } from './campaign-types.ts';
import { inWindow } from './schedule.ts';

const weekdays = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '09:00', to: '20:00' }]]));
const campaign = (extra: Record<string, unknown> = {}): Campaign => ({
  ...campaignInputSchema.parse({ name: 'c', type: 'automated', flowId: 'f', dial: 'PJSIP/{number}@carrier', callerId: { number: '4000' }, schedule: { windows: weekdays, holidays: ['2026-12-25'] }, ...extra }),
  id: 'c1', state: 'running', revision: 1, createdAt: 0, updatedAt: 0,
});
const contact = (id: string, extra: Partial<Contact> = {}): Contact => ({ campaignId: 'c1', id, number: `70${id}`, fields: {}, state: 'pending', attempts: [], ...extra });
const tuesday10am = Date.parse('2026-12-01T02:00:00Z'); // 10:00 in Shanghai

test('given windows in the contact\'s zone and holidays, when checked, then only inside a window on a working day', (t) => {
  const schedule = campaign().schedule;
  t.true(inWindow(schedule, 'Asia/Shanghai', tuesday10am));
  t.false(inWindow(schedule, 'America/New_York', tuesday10am), '21:00 on Monday in New York');
  t.false(inWindow(schedule, 'Asia/Shanghai', Date.parse('2026-12-25T02:00:00Z')), 'a holiday (a Friday)');
  t.false(inWindow(schedule, 'Asia/Shanghai', Date.parse('2026-12-05T02:00:00Z')), 'a Saturday');
  t.false(inWindow(schedule, 'Asia/Shanghai', Date.parse('2026-12-01T12:00:00Z')), '20:00 is the end');
});

test('given pacing limits, when dials are counted, then concurrency, rate and (progressive) available agents all bound them', (t) => {
  t.is(dialsAllowed(campaign({ pacing: { maxConcurrent: 5, callsPerMinute: 60 } }), { active: 3, startedLastMinute: 0 }), 2);
  t.is(dialsAllowed(campaign({ pacing: { maxConcurrent: 5, callsPerMinute: 4 } }), { active: 0, startedLastMinute: 3 }), 1);
  const progressive = campaign({ type: 'progressive', queueId: 'q', pacing: { maxConcurrent: 50, callsPerMinute: 600, overdialRatio: 0.5 } });
  t.is(dialsAllowed(progressive, { active: 0, startedLastMinute: 0, ringing: 0, availableAgents: 2 }), 3, '2 agents + 50 %');
  t.is(dialsAllowed(progressive, { active: 3, startedLastMinute: 3, ringing: 3, availableAgents: 2 }), 0);
  t.is(dialsAllowed(progressive, { active: 0, startedLastMinute: 0, ringing: 0, availableAgents: 0 }), 0, 'no agent, no dial');
});

test('given due retries and new contacts, when picked, then due retries come first and nothing outside the window or not yet due', (t) => {
  const c = campaign();
  const picked = pickContacts(c, [
    contact('01'), contact('02', { state: 'retry-wait', nextAt: tuesday10am - 1000 }), contact('03', { state: 'retry-wait', nextAt: tuesday10am + 1000 }),
    contact('04', { timezone: 'America/New_York' }), contact('05', { state: 'completed' }),
  ], tuesday10am, 10, 'Asia/Shanghai');
  t.deepEqual(picked.map((p) => p.id), ['02', '01']);
  t.deepEqual(pickContacts({ ...c, state: 'paused' }, [contact('01')], tuesday10am, 10, 'Asia/Shanghai'), [], 'a paused campaign dials nobody');
});

test('given outcomes, when an attempt ends, then busy and no answer wait their minutes until max attempts, answered completes', (t) => {
  const c = campaign({ retry: { busy: { afterMinutes: 10, maxAttempts: 2 } } });
  const dialing = (n: number) => contact('01', { state: 'dialing', attempts: Array.from({ length: n }, (_, i) => ({ n: i + 1, channelId: `x${i}`, startedAt: 0 })) });
  t.like(afterAttempt(c, dialing(1), 'busy', 1000), { state: 'retry-wait', nextAt: 1000 + 600_000 });
  t.like(afterAttempt(c, dialing(2), 'busy', 1000), { state: 'exhausted' });
  t.like(afterAttempt(c, dialing(1), 'answered', 1000), { state: 'completed' });
  t.like(afterAttempt(c, dialing(1), 'no-answer', 1000, { cause: 19 }).attempts[0], { outcome: 'no-answer', cause: 19, endedAt: 1000 });
  t.deepEqual([17, 19, 18, 0, 21, 34].map(outcomeOfCause), ['busy', 'no-answer', 'no-answer', 'no-answer', 'failed', 'failed']);
});

test('given bad campaign input, when parsed, then each bad field is named', (t) => {
  const result = campaignInputSchema.safeParse({ name: 'x', type: 'progressive', flowId: 'f', dial: 'PJSIP/7000;Dial(x)', callerId: { number: 'abc' }, schedule: { windows: { mon: [{ from: '20:00', to: '09:00' }] } } });
  t.false(result.success);
  const paths = result.error!.issues.map((i) => i.path.join('.')).sort();
  t.deepEqual(paths, ['callerId.number', 'dial', 'queueId', 'schedule.windows.mon.0.to']);
  const noQueue = campaignInputSchema.safeParse({ name: 'x', type: 'progressive', flowId: 'f', dial: 'PJSIP/{number}', callerId: { number: '4000' }, schedule: { windows: {} } });
  t.deepEqual(noQueue.error!.issues.map((i) => i.path.join('.')), ['queueId']);
});
