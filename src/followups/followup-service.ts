// Follow-ups: the one executor of the follow-up machine. It parses what people send, runs the
// pure transitions, writes each change in one batch, keeps the reminder timers in step, and tells
// listeners (live events, webhooks, MQTT later) what happened. Changes to one follow-up run one
// at a time, so a revision check and the write it guards cannot interleave with another change.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { CallState, TrailEntry } from '../calls/call-types.ts';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { FollowupError } from './errors.ts';
import { stepTo, transition, transitionAll, type FollowupInput, type FollowupNotice } from './followup-machine.ts';
import { nextReminder, ReminderTimers } from './followup-reminders.ts';
import { CommentInput, CreateInput, parse, PatchInput, StatusInput } from './followup-schemas.ts';
import type { FollowupSettings } from './followup-settings.ts';
import { FollowupStore } from './followup-store.ts';
import { ACTIVE_STATUSES, isActive, SYSTEM_ACTOR, type Followup, type FollowupDraft, type FollowupQuery, type Reminder, type ReminderKind } from './followup-types.ts';
import { followupsFromCall } from './followups-from-call.ts';

/** Finished calls, for creating follow-ups from them (CallRecords fits). */
export interface CallSource {
  get(callId: string): Promise<CallState | undefined>;
  trail(callId: string): Promise<TrailEntry[]>;
}

export interface FollowupServiceDeps {
  store: Store;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  settings: FollowupSettings;
  calls?: CallSource;
}

export interface ChangeOptions {
  /** The revision from If-Match: stale → FOLLOWUP_PRECONDITION_FAILED (412). */
  ifMatch?: number;
  /** Runs on the current follow-up before the change, inside its turn (access checks). */
  guard?: (current: Followup) => void;
}

export interface Change {
  before: Followup;
  after: Followup;
}

export interface FollowupEvents {
  created: [followup: Followup];
  /** Every saved change of an existing follow-up, with the fields it changed. */
  updated: [followup: Followup, before: Followup, changed: string[]];
  /** Done or cancelled (after its 'updated'). */
  closed: [followup: Followup];
  reminder: [reminder: Reminder];
}

const newId = () => `manual-${randomBytes(12).toString('hex')}`;

export class FollowupService extends EventEmitter<FollowupEvents> {
  readonly records: FollowupStore;
  private readonly timers: ReminderTimers;
  private readonly turns = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  private constructor(private readonly deps: FollowupServiceDeps) {
    super();
    this.records = new FollowupStore(deps.store);
    this.timers = new ReminderTimers(deps.clock);
  }

  /** Opens the service and arms the reminders of every follow-up still to do (after a restart too). */
  static async open(deps: FollowupServiceDeps): Promise<FollowupService> {
    const service = new FollowupService(deps);
    let armed = 0;
    for await (const followup of service.records.inStatus(ACTIVE_STATUSES)) {
      await service.arm(followup);
      armed++;
    }
    if (armed) deps.logger.info({ followups: armed }, 'follow-up reminders armed');
    return service;
  }

  async get(id: string): Promise<Followup> {
    const found = await this.records.get(id);
    if (!found) throw new FollowupError('FOLLOWUP_NOT_FOUND', `no follow-up ${id}`);
    return found;
  }

  list(query: FollowupQuery = {}): Promise<Followup[]> {
    return this.records.list(query);
  }

  /** An agent's own follow-up (kind manual); `input` is checked here (FOLLOWUP_INVALID names each bad field). */
  async create(input: unknown, by: string): Promise<Followup> {
    const body = parse(CreateInput, input);
    const now = this.deps.clock.now();
    const defaults = this.deps.settings.manual;
    const call = body.callId !== undefined ? await this.callLinks(body.callId) : undefined;
    const draft: FollowupDraft = {
      id: newId(), kind: 'manual', title: body.title.trim(), note: body.note ?? '',
      assignee: body.assignee !== undefined ? body.assignee : defaults.skill ? { skill: defaults.skill } : null,
      priority: body.priority ?? defaults.priority, dueAt: body.dueAt ?? now + defaults.dueInMs,
      links: call?.links ?? { recordingIds: [], transcript: false },
      callerNumber: body.callerNumber ?? call?.callerNumber ?? '',
    };
    return this.createDraft(draft, by);
  }

  /** Changes assignee, priority, due time, title or note. Needs the revision read (If-Match or `revision`). */
  async patch(id: string, input: unknown, by: string, options: ChangeOptions = {}): Promise<Change> {
    const body = parse(PatchInput, input);
    if (options.ifMatch === undefined && body.revision === undefined) {
      throw new FollowupError('FOLLOWUP_REVISION_REQUIRED', `changing follow-up ${id} needs the revision you read: send If-Match (its ETag) or "revision"`);
    }
    const at = this.deps.clock.now();
    const inputs: FollowupInput[] = [];
    if (body.assignee !== undefined) inputs.push({ type: 'assign', assignee: body.assignee, at, by });
    if (body.dueAt !== undefined) inputs.push({ type: 'reschedule', dueAt: body.dueAt, at, by });
    if (body.title !== undefined || body.note !== undefined || body.priority !== undefined) {
      inputs.push({ type: 'edit', ...(body.title !== undefined ? { title: body.title.trim() } : {}), ...(body.note !== undefined ? { note: body.note } : {}), ...(body.priority ? { priority: body.priority } : {}), at, by });
    }
    return this.change(id, (current) => transitionAll(current, inputs), { ...options, ...(body.revision !== undefined ? { revision: body.revision } : {}) });
  }

  async comment(id: string, input: unknown, by: string, options: ChangeOptions = {}): Promise<Change> {
    const { text } = parse(CommentInput, input);
    return this.change(id, (current) => transition(current, { type: 'comment', text, at: this.deps.clock.now(), by }), options);
  }

  /** Moves to `status` (open, in-progress, waiting, done, cancelled). `claim`: the agent who starts it takes it over. */
  async setStatus(id: string, input: unknown, by: string, options: ChangeOptions & { claim?: string } = {}): Promise<Change> {
    const body = parse(StatusInput, input);
    const step = stepTo(body.status);
    const reason = body.reason?.trim() ? { reason: body.reason.trim() } : {};
    const claim = step === 'start' && options.claim !== undefined ? { claim: options.claim } : {};
    return this.change(id, (current) => transition(current, { type: step, ...reason, ...claim, at: this.deps.clock.now(), by } as FollowupInput), { ...options, ...(body.revision !== undefined ? { revision: body.revision } : {}) });
  }

  /**
   * Creates the follow-ups a finished call leaves (followupsFromCall) that do not exist yet.
   * Idempotent: the ids come from the call, so a replay creates nothing twice.
   */
  async fromCall(call: CallState, trail: readonly TrailEntry[], extra: readonly TrailEntry[] = []): Promise<Followup[]> {
    const created: Followup[] = [];
    for (const draft of followupsFromCall(call, trail, this.deps.settings, extra)) {
      const made = await this.createDraft(draft, SYSTEM_ACTOR, true);
      if (made) created.push(made);
    }
    return created;
  }

  /** fromCall for a call id (the call-endings consumer; the queue's late 'callback-failed' as `extra`). */
  async fromEndedCall(callId: string, extra: readonly TrailEntry[] = []): Promise<Followup[]> {
    if (!this.deps.calls) throw new Error('FollowupService: no call source to read ended calls from');
    const call = await this.deps.calls.get(callId);
    if (!call) return [];
    return this.fromCall(call, await this.deps.calls.trail(callId), extra);
  }

  stop(): void {
    this.stopped = true;
    this.timers.clearAll();
  }

  /** Resolves when every change and reminder started so far has settled. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async callLinks(callId: string) {
    if (!this.deps.calls) return { links: { callId, recordingIds: [], transcript: false } };
    const [call, trail] = [await this.deps.calls.get(callId), await this.deps.calls.trail(callId)];
    if (!call) throw new FollowupError('FOLLOWUP_INVALID', `bad follow-up: callId: no call ${callId}`, [{ field: 'callId', message: 'no such call' }]);
    const recordingIds = [...new Set(trail.flatMap((e) => (e.type === 'recording-stored' && typeof e.recordingId === 'string' ? [e.recordingId] : [])))];
    return { links: { callId, recordingIds, transcript: trail.some((e) => e.type === 'transcript') }, callerNumber: call.caller.number };
  }

  /** `once`: an existing follow-up of that id is kept as it is (undefined), not an error. */
  private createDraft(draft: FollowupDraft, by: string, once: true): Promise<Followup | undefined>;
  private createDraft(draft: FollowupDraft, by: string): Promise<Followup>;
  private createDraft(draft: FollowupDraft, by: string, once = false): Promise<Followup | undefined> {
    return this.turn(draft.id, async () => {
      const existing = await this.records.get(draft.id);
      if (existing && once) return undefined;
      const { next, notices } = transition(existing, { type: 'create', draft, at: this.deps.clock.now(), by });
      await this.records.save(undefined, next);
      await this.arm(next);
      this.tell(next, undefined, notices);
      return next;
    });
  }

  private change(id: string, step: (current: Followup) => { next: Followup; notices: FollowupNotice[] }, options: ChangeOptions & { revision?: number }): Promise<Change> {
    return this.turn(id, async () => {
      const before = await this.get(id);
      options.guard?.(before);
      if (options.ifMatch !== undefined && options.ifMatch !== before.revision) {
        throw new FollowupError('FOLLOWUP_PRECONDITION_FAILED', `follow-up ${id} is at revision ${before.revision}, not ${options.ifMatch}: someone changed it; reload`, { revision: before.revision });
      }
      if (options.revision !== undefined && options.revision !== before.revision) {
        throw new FollowupError('FOLLOWUP_CONFLICT', `follow-up ${id} is at revision ${before.revision}, not ${options.revision}: someone changed it; reload`, { revision: before.revision });
      }
      const { next, notices } = step(before);
      if (!notices.length) return { before, after: before };
      await this.records.save(before, next);
      await this.arm(next);
      this.tell(next, before, notices);
      return { before, after: next };
    });
  }

  private tell(followup: Followup, before: Followup | undefined, notices: readonly FollowupNotice[]): void {
    for (const notice of notices) {
      if (notice.type === 'created') this.emit('created', followup);
      else if (notice.type === 'updated') this.emit('updated', followup, before!, notice.changed);
      else this.emit('closed', followup);
    }
  }

  /** Sets (or clears) the follow-up's reminder timer for what it is owed now. */
  private async arm(followup: Followup): Promise<void> {
    const plan = nextReminder(followup, await this.records.reminderMarks(followup.id), this.deps.clock.now(), this.deps.settings.dueSoonMs);
    if (!plan || this.stopped) return this.timers.clear(followup.id);
    this.timers.set(followup.id, plan.at, () => void this.remind(followup.id, plan.kind, followup.dueAt).catch((error: Error) => this.deps.logger.error({ err: error, followupId: followup.id }, 'follow-up reminder failed')));
  }

  private remind(id: string, kind: ReminderKind, dueAt: number): Promise<void> {
    return this.turn(id, async () => {
      const current = await this.records.get(id);
      // Changed since the timer was set (closed, rescheduled): its own arming decides.
      if (!current || current.dueAt !== dueAt || !isActive(current.status)) return;
      const marks = await this.records.reminderMarks(id);
      const sent = marks?.dueAt === dueAt ? marks.sent : [];
      if (sent.includes(kind)) return;
      await this.records.markReminder(id, { dueAt, sent: [...sent, kind] });
      this.emit('reminder', { kind, at: this.deps.clock.now(), followup: current });
      await this.arm(current);
    });
  }

  /** Runs `work` after every earlier turn of the same follow-up. */
  private turn<T>(id: string, work: () => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(new FollowupError('FOLLOWUP_STOPPED', 'follow-ups are stopping; try again'));
    const previous = this.turns.get(id) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(work);
    this.turns.set(id, run);
    this.inFlight.add(run);
    void run.catch(() => undefined).finally(() => {
      this.inFlight.delete(run);
      if (this.turns.get(id) === run) this.turns.delete(id);
    });
    return run;
  }
}
