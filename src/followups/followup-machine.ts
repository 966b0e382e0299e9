// A follow-up's lifecycle as a pure state machine: transitions named after what happened, each
// returning the next state and the notices the service sends on ('created', 'updated', 'closed').
// No IO, no clock: `at` and `by` arrive on the input. Refusals throw FollowupError with a message
// that says what to do instead.
//
//            start            close / cancel
//   open ──────────▶ in-progress ───────────▶ done | cancelled
//    ▲  ◀── wait ──▶ waiting ──────────────────▲         │
//    └─────────────────── reopen ◀─────────────┴─────────┘
import { FollowupError } from './errors.ts';
import { isActive, MAX_COMMENTS, type Assignee, type Followup, type FollowupDraft, type FollowupStatus, type Priority } from './followup-types.ts';

interface Base {
  at: number;
  by: string;
}

export type FollowupInput = Base &
  (
    | { type: 'create'; draft: FollowupDraft }
    | { type: 'assign'; assignee: Assignee }
    | { type: 'reschedule'; dueAt: number }
    | { type: 'edit'; title?: string; note?: string; priority?: Priority }
    /** `claim`: the agent who starts it takes it over (an unassigned or skill item becomes theirs). */
    | { type: 'start'; reason?: string; claim?: string }
    | { type: 'wait'; reason?: string }
    | { type: 'close'; reason?: string }
    | { type: 'cancel'; reason?: string }
    | { type: 'reopen'; reason?: string }
    | { type: 'comment'; text: string }
  );

export type FollowupNotice = { type: 'created' } | { type: 'updated'; changed: string[] } | { type: 'closed'; status: 'done' | 'cancelled' };

export interface FollowupTransition {
  next: Followup;
  notices: FollowupNotice[];
}

type StatusInput = Extract<FollowupInput, { type: 'start' | 'wait' | 'close' | 'cancel' | 'reopen' }>['type'];

/** Where each status step may start from, and where it leads. */
const STEPS: Record<StatusInput, { from: readonly FollowupStatus[]; to: FollowupStatus }> = {
  start: { from: ['open', 'waiting'], to: 'in-progress' },
  wait: { from: ['open', 'in-progress'], to: 'waiting' },
  close: { from: ['open', 'in-progress', 'waiting'], to: 'done' },
  cancel: { from: ['open', 'in-progress', 'waiting'], to: 'cancelled' },
  reopen: { from: ['in-progress', 'waiting', 'done', 'cancelled'], to: 'open' },
};

/** The status step that leads to `status` (POST /followups/{id}/status names the target). */
export function stepTo(status: FollowupStatus): StatusInput {
  return (Object.keys(STEPS) as StatusInput[]).find((step) => STEPS[step].to === status)!;
}

const sameAssignee = (a: Assignee, b: Assignee) => JSON.stringify(a) === JSON.stringify(b);

function refuseStep(state: Followup, step: StatusInput): never {
  const hint = state.status === 'done' || state.status === 'cancelled' ? ' (reopen it first)' : '';
  throw new FollowupError('FOLLOWUP_BAD_TRANSITION', `cannot ${step} follow-up ${state.id}: it is ${state.status}${hint}`, { status: state.status, step });
}

function refuseClosed(state: Followup, what: string): never {
  throw new FollowupError('FOLLOWUP_CLOSED', `cannot ${what} follow-up ${state.id}: it is ${state.status} (reopen it to change it)`, { status: state.status });
}

const touched = (state: Followup, input: Base): Followup => ({ ...state, updatedAt: input.at, updatedBy: input.by, revision: state.revision + 1 });

export function transition(state: Followup | undefined, input: FollowupInput): FollowupTransition {
  if (input.type === 'create') {
    if (state) throw new FollowupError('FOLLOWUP_BAD_TRANSITION', `follow-up ${state.id} exists already`, { status: state.status, step: 'create' });
    const { draft } = input;
    return {
      next: {
        ...draft, status: 'open', statusTrail: [{ at: input.at, by: input.by, from: null, to: 'open' }], comments: [],
        createdAt: input.at, createdBy: input.by, updatedAt: input.at, updatedBy: input.by, revision: 1,
      },
      notices: [{ type: 'created' }],
    };
  }
  if (!state) throw new FollowupError('FOLLOWUP_NOT_FOUND', `no such follow-up (cannot ${input.type} it)`);
  const unchanged = { next: state, notices: [] };
  const updated = (next: Followup, changed: string[]): FollowupTransition => ({ next: touched(next, input), notices: [{ type: 'updated', changed }] });

  switch (input.type) {
    case 'assign':
      if (!isActive(state.status)) refuseClosed(state, 'assign');
      return sameAssignee(state.assignee, input.assignee) ? unchanged : updated({ ...state, assignee: input.assignee }, ['assignee']);
    case 'reschedule':
      if (!isActive(state.status)) refuseClosed(state, 'reschedule');
      return state.dueAt === input.dueAt ? unchanged : updated({ ...state, dueAt: input.dueAt }, ['dueAt']);
    case 'edit': {
      if (!isActive(state.status)) refuseClosed(state, 'edit');
      const fields = (['title', 'note', 'priority'] as const).filter((f) => input[f] !== undefined && input[f] !== state[f]);
      if (!fields.length) return unchanged;
      return updated({ ...state, ...Object.fromEntries(fields.map((f) => [f, input[f]])) }, [...fields]);
    }
    case 'comment':
      if (state.comments.length >= MAX_COMMENTS) {
        throw new FollowupError('FOLLOWUP_TOO_MANY_COMMENTS', `follow-up ${state.id} has ${MAX_COMMENTS} comments, the most it keeps: write a new follow-up`);
      }
      return updated({ ...state, comments: [...state.comments, { at: input.at, by: input.by, text: input.text }] }, ['comments']);
    default: {
      const step = STEPS[input.type];
      if (!step.from.includes(state.status)) refuseStep(state, input.type);
      const change = { at: input.at, by: input.by, from: state.status, to: step.to, ...(input.reason ? { reason: input.reason } : {}) };
      const claim = input.type === 'start' && input.claim !== undefined && !sameAssignee(state.assignee, { agent: input.claim }) ? { agent: input.claim } : undefined;
      const next = { ...state, status: step.to, statusTrail: [...state.statusTrail, change], ...(claim ? { assignee: claim } : {}) };
      const result = updated(next, claim ? ['status', 'assignee'] : ['status']);
      if (step.to === 'done' || step.to === 'cancelled') result.notices.push({ type: 'closed', status: step.to });
      return result;
    }
  }
}

/**
 * Several inputs as one change (a PATCH of assignee, due time and title): one revision, one
 * 'updated' notice listing every changed field. All or nothing: a refusal leaves the state as it was.
 */
export function transitionAll(state: Followup, inputs: readonly FollowupInput[]): FollowupTransition {
  let next = state;
  const changed = new Set<string>();
  const closing: FollowupNotice[] = [];
  for (const input of inputs) {
    const step = transition(next, input);
    next = step.next;
    for (const notice of step.notices) {
      if (notice.type === 'updated') notice.changed.forEach((f) => changed.add(f));
      else closing.push(notice);
    }
  }
  if (!changed.size) return { next: state, notices: [] };
  return { next: { ...next, revision: state.revision + 1 }, notices: [{ type: 'updated', changed: [...changed] }, ...closing] };
}
