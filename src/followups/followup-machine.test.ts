import test from 'ava';
import { FollowupError } from './errors.ts';
import { stepTo, transition, transitionAll, type FollowupInput } from './followup-machine.ts';
import { FOLLOWUP_STATUSES, MAX_COMMENTS, type Followup, type FollowupStatus } from './followup-types.ts';
import { created, draft, HOUR, T0 } from './testing-followups.ts';

const at = T0 + 1000;
const by = 'sup';
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof FollowupError ? error.code : `not a FollowupError: ${String(error)}`;
  }
  return 'no error';
};
const inStatus = (status: FollowupStatus): Followup => ({ ...created(), status });

test('given a draft, when created, then it is open with a one-step trail, revision 1 and a created notice', (t) => {
  const { next, notices } = transition(undefined, { type: 'create', draft: draft(), at: T0, by: 'agent' });
  t.like(next, { id: 'manual-1', status: 'open', revision: 1, createdBy: 'agent', createdAt: T0, comments: [] });
  t.deepEqual(next.statusTrail, [{ at: T0, by: 'agent', from: null, to: 'open' }]);
  t.deepEqual(notices, [{ type: 'created' }]);
  t.is(code(() => transition(next, { type: 'create', draft: draft(), at, by })), 'FOLLOWUP_BAD_TRANSITION');
});

test('given an open follow-up, when started, waited, closed and reopened, then the trail says who, when, from, to and why', (t) => {
  let f = created();
  for (const [type, reason] of [['start', undefined], ['wait', 'customer sends the invoice'], ['start', undefined], ['close', 'refunded']] as const) {
    f = transition(f, { type, at, by, ...(reason ? { reason } : {}) } as FollowupInput).next;
  }
  t.is(f.status, 'done');
  t.is(f.revision, 5);
  t.deepEqual(f.statusTrail.slice(1).map((s) => [s.from, s.to, s.reason]), [['open', 'in-progress', undefined], ['in-progress', 'waiting', 'customer sends the invoice'], ['waiting', 'in-progress', undefined], ['in-progress', 'done', 'refunded']]);
  const reopened = transition(f, { type: 'reopen', at, by, reason: 'caller rang again' });
  t.like(reopened.next, { status: 'open' });
  t.deepEqual(reopened.notices, [{ type: 'updated', changed: ['status'] }]);
});

test('given each status, when each status step is tried, then exactly the documented ones pass and the rest are FOLLOWUP_BAD_TRANSITION', (t) => {
  const allowed: Record<FollowupStatus, FollowupStatus[]> = {
    open: ['in-progress', 'waiting', 'done', 'cancelled'],
    'in-progress': ['open', 'waiting', 'done', 'cancelled'],
    waiting: ['open', 'in-progress', 'done', 'cancelled'],
    done: ['open'],
    cancelled: ['open'],
  };
  for (const from of FOLLOWUP_STATUSES) {
    for (const to of FOLLOWUP_STATUSES) {
      const result = code(() => transition(inStatus(from), { type: stepTo(to), at, by } as FollowupInput));
      t.is(result, allowed[from].includes(to) ? 'no error' : 'FOLLOWUP_BAD_TRANSITION', `${from} → ${to}`);
    }
  }
});

test('given a cancelled follow-up, when closed, then refused with a message that says to reopen it first', (t) => {
  const error = t.throws(() => transition(inStatus('cancelled'), { type: 'close', at, by }), { instanceOf: FollowupError });
  t.is(error?.code, 'FOLLOWUP_BAD_TRANSITION');
  t.regex(error?.message ?? '', /cannot close follow-up manual-1: it is cancelled \(reopen it first\)/);
});

test('given closing or cancelling, when it passes, then an updated and a closed notice go out', (t) => {
  t.deepEqual(transition(created(), { type: 'close', at, by }).notices, [{ type: 'updated', changed: ['status'] }, { type: 'closed', status: 'done' }]);
  t.deepEqual(transition(created(), { type: 'cancel', at, by }).notices, [{ type: 'updated', changed: ['status'] }, { type: 'closed', status: 'cancelled' }]);
});

test('given an unassigned follow-up, when an agent starts it with a claim, then it becomes theirs', (t) => {
  const { next, notices } = transition(created({ assignee: { skill: 'billing' } }), { type: 'start', claim: 'a7', at, by: 'agent7' });
  t.deepEqual(next.assignee, { agent: 'a7' });
  t.deepEqual(notices, [{ type: 'updated', changed: ['status', 'assignee'] }]);
});

test('given edits, when assign, reschedule and edit change nothing, then no notice and the same state; when they change, updated fields are listed', (t) => {
  const f = created({ assignee: { agent: 'a1' } });
  t.deepEqual(transition(f, { type: 'assign', assignee: { agent: 'a1' }, at, by }), { next: f, notices: [] });
  t.deepEqual(transition(f, { type: 'reschedule', dueAt: f.dueAt, at, by }), { next: f, notices: [] });
  t.deepEqual(transition(f, { type: 'edit', title: f.title, at, by }), { next: f, notices: [] });
  const edited = transition(f, { type: 'edit', title: 'New', priority: 'urgent', at, by });
  t.like(edited.next, { title: 'New', priority: 'urgent', note: '', revision: 2, updatedBy: by, updatedAt: at });
  t.deepEqual(edited.notices, [{ type: 'updated', changed: ['title', 'priority'] }]);
});

test('given a done follow-up, when assigned, rescheduled or edited, then FOLLOWUP_CLOSED; a comment is still welcome', (t) => {
  const done = inStatus('done');
  t.is(code(() => transition(done, { type: 'assign', assignee: null, at, by })), 'FOLLOWUP_CLOSED');
  t.is(code(() => transition(done, { type: 'reschedule', dueAt: at, at, by })), 'FOLLOWUP_CLOSED');
  t.is(code(() => transition(done, { type: 'edit', note: 'x', at, by })), 'FOLLOWUP_CLOSED');
  t.deepEqual(transition(done, { type: 'comment', text: 'customer confirmed', at, by }).next.comments, [{ at, by, text: 'customer confirmed' }]);
});

test('given the most comments a follow-up keeps, when one more comes, then FOLLOWUP_TOO_MANY_COMMENTS', (t) => {
  const full = { ...created(), comments: Array.from({ length: MAX_COMMENTS }, () => ({ at, by, text: 'x' })) };
  t.is(code(() => transition(full, { type: 'comment', text: 'one more', at, by })), 'FOLLOWUP_TOO_MANY_COMMENTS');
});

test('given several inputs, when applied together, then one revision, one updated notice, and a refusal changes nothing', (t) => {
  const f = created();
  const { next, notices } = transitionAll(f, [{ type: 'assign', assignee: { skill: 'billing' }, at, by }, { type: 'reschedule', dueAt: T0 + HOUR, at, by }, { type: 'edit', note: 'n', at, by }]);
  t.is(next.revision, 2);
  t.deepEqual(notices, [{ type: 'updated', changed: ['assignee', 'dueAt', 'note'] }]);
  t.deepEqual(transitionAll(f, []), { next: f, notices: [] });
  t.is(code(() => transitionAll(inStatus('done'), [{ type: 'edit', note: 'n', at, by }])), 'FOLLOWUP_CLOSED');
});

test('given no follow-up, when anything but create is asked, then FOLLOWUP_NOT_FOUND', (t) => {
  t.is(code(() => transition(undefined, { type: 'close', at, by })), 'FOLLOWUP_NOT_FOUND');
});
