// The administration page's pure parts: which tabs a role sees, how the API's several error
// detail shapes become field → message, and business hours between the form and the API.
import test from 'ava';
import { ApiError } from '../../api.ts';
import { draftOfHours, specOfDraft } from './hours-model.ts';
import { errorsUnder, fieldErrors, isConflict } from './request.ts';
import { adminTabsFor, canOpenAdmin, tabOfPath } from './tabs.ts';

// The roles' permissions as src/auth/roles.ts grants them (the parts these tabs look at).
const ADMIN = ['settings.read', 'settings.write', 'users.read', 'users.write', 'tokens.read', 'audit.read', 'flows.read', 'flows.write', 'queues.read', 'queues.write', 'agents.read', 'webhooks.read', 'webhooks.write'];
const SUPERVISOR = ['system.read', 'flows.read', 'queues.read', 'agents.read', 'agents.state', 'calls.read', 'recordings.read', 'knowledge.read', 'reports.read'];
const AGENT = ['queues.read', 'agents.state', 'calls.control', 'knowledge.read', 'assist.use', 'followups.read', 'followups.write', 'events.subscribe'];
const TECHNICIAN = ['system.read', 'settings.read', 'settings.write', 'events.subscribe'];

test('given each role, when the tabs are chosen, then admins see all, technicians only settings, supervisors read-only queue and IVR tabs, agents none', (t) => {
  const tabs = (permissions: string[]) => adminTabsFor(permissions).map((e) => e.tab);
  t.deepEqual(tabs(ADMIN), ['queues', 'agents', 'skills', 'users', 'hours', 'prompts', 'webhooks', 'settings', 'audit', 'dispositions']);
  t.deepEqual(tabs(TECHNICIAN), ['settings']);
  t.deepEqual(tabs(SUPERVISOR), ['queues', 'agents', 'skills', 'hours', 'prompts', 'dispositions']);
  t.deepEqual(tabs(AGENT), [], 'queues.read alone (the wallboard) opens no administration tab');
  t.false(canOpenAdmin(AGENT));
  t.true(canOpenAdmin(TECHNICIAN));
});

test('given a path, when its tab is asked, then known tabs are named and anything else is none', (t) => {
  t.is(tabOfPath('/admin/users'), 'users');
  t.is(tabOfPath('/admin/hours/extra'), 'hours');
  t.is(tabOfPath('/admin'), undefined);
  t.is(tabOfPath('/admin/nope'), undefined);
});

test('given the API\'s error detail shapes, when turned into field errors, then each message is keyed by its dotted path', (t) => {
  t.deepEqual(fieldErrors(new ApiError(400, 'QUEUE_SETTINGS_INVALID', 'bad', [{ path: ['requiredSkills', 0, 'minLevel'], message: 'too big' }, { path: ['strategy'], message: 'no such' }])),
    { 'requiredSkills.0.minLevel': 'too big', strategy: 'no such' });
  t.deepEqual(fieldErrors(new ApiError(400, 'BAD_REQUEST', 'bad', [{ path: 'username', message: 'pattern' }])), { username: 'pattern' });
  t.deepEqual(fieldErrors(new ApiError(400, 'WEBHOOK_INVALID_SUBSCRIPTION', 'bad', [{ field: 'events.0', message: 'unknown' }])), { 'events.0': 'unknown' });
  t.deepEqual(fieldErrors(new ApiError(400, 'BAD_INPUT', 'password must have at least 12 characters', { field: 'password' })), { password: 'password must have at least 12 characters' });
  t.deepEqual(fieldErrors(new ApiError(412, 'REVISION_MISMATCH', 'stale', { revision: 2 })), {});
  t.deepEqual(fieldErrors(new Error('network')), {});
});

test('given field errors, when a field asks for its own, then it gets its messages and those of its parts', (t) => {
  const errors = { '0.hours.weekly.mon.1': 'impossible', '0.hours.timezone': 'unknown zone', '1.hours.weekly.mon.0': 'other route' };
  t.is(errorsUnder(errors, '0.hours.weekly.mon'), '1: impossible');
  t.is(errorsUnder(errors, '0.hours.timezone'), 'unknown zone');
  t.is(errorsUnder(errors, '0.hours.weekly.tue'), undefined);
});

test('given the stale-revision codes of each API, when checked, then they are conflicts and a busy queue is not', (t) => {
  for (const code of ['QUEUE_SETTINGS_CONFLICT', 'REVISION_MISMATCH', 'SETTINGS_CONFLICT', 'FLOW_CONFLICT']) t.true(isConflict(new ApiError(409, code, 'stale')), code);
  t.false(isConflict(new ApiError(409, 'QUEUE_BUSY', 'callers wait')));
});

test('given business hours, when edited in the form and sent back, then ranges, closed days and holidays survive; a new schedule starts on weekdays 9 to 6', (t) => {
  const spec = { timezone: 'Asia/Shanghai', weekly: { mon: ['09:00-12:00', '13:00-18:00'], sat: ['10:00-14:00'] }, holidays: [{ date: '2026-10-01', name: 'National Day' }, { date: '2026-12-24', hours: ['09:00-12:00'] }] };
  const draft = draftOfHours(spec, 'UTC');
  t.is(draft.weekly.mon, '09:00-12:00, 13:00-18:00');
  t.is(draft.weekly.sun, '');
  t.deepEqual(specOfDraft(draft), spec);
  t.deepEqual(specOfDraft({ ...draft, weekly: { ...draft.weekly, mon: '08:00-09:00，10:00-11:00' } }).weekly.mon, ['08:00-09:00', '10:00-11:00'], 'a Chinese comma separates too');
  const fresh = specOfDraft(draftOfHours(undefined, 'Europe/Berlin'));
  t.deepEqual(fresh, { timezone: 'Europe/Berlin', weekly: { mon: ['09:00-18:00'], tue: ['09:00-18:00'], wed: ['09:00-18:00'], thu: ['09:00-18:00'], fri: ['09:00-18:00'] } });
});
