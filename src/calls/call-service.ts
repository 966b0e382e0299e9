// Runs every live call: routes telephony events to the call's machine, persists each transition
// before acting on it, carries out the commands, and reconciles after (re)connects and restarts
// (the idea of wazo-calld's process_lost_hangups): a call is never orphaned and no record is lost.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Telephony, TelephonyEvent } from '../telephony/telephony.ts';
import { TelephonyError } from '../telephony/telephony.ts';
import { newCall, transition } from './call-machine.ts';
import type { CallRecords } from './call-records.ts';
import type { CallCommand, CallEnv, CallInput, CallState, TrailEntry } from './call-types.ts';
import type { PromptResolver } from '../prompts/prompt-resolver.ts';
import { performHttp, performOutside, type OutsideDeps } from './outside-effects.ts';
import type { QueueStatus } from '../queue/queue-service.ts';

/** What calls ask of the queue capability (QueueService implements it). */
export interface CallQueue {
  join(call: { callId: string; channelId: string; caller: { number: string; name: string }; language: 'en' | 'zh-CN' }, request: { id: string; queue: string; priority: number }): void;
  keepPlaceForCallback(callId: string): void;
  leave(callId: string): void;
  /** Whether the queue holds this call's legs (a placed call is then the queue's to close). */
  holds?(callId: string): boolean;
}

interface LiveCall {
  state: CallState;
  queue: Promise<void>;
  timers: Map<string, TimerHandle>;
  log: Logger;
  /** Loaded from the store after a restart and not yet matched to a live channel. */
  awaitingReconcile: boolean;
  /** The last state the store accepted (undefined: never saved, its indexes are still to write). */
  persisted: CallState | undefined;
  /** Trail entries of steps the store refused (disk full, I/O error): written with the next save. */
  unsavedTrail: TrailEntry[];
}

export interface CallServiceDeps {
  telephony: Telephony;
  records: CallRecords;
  clock: Clock;
  logger: Logger;
  env: CallEnv;
  /** The flow (published version) a new call to this number runs now, if any. */
  route(dialed: string, at: number): { flowId: string; version: number } | undefined;
  prompts: PromptResolver;
  outside: Omit<OutsideDeps, 'telephony'>;
  /** Whether a dialled number is a feature code (agents' *50 …), and carrying one out. */
  features?: {
    recognises(dialed: string): boolean;
    perform(code: string, caller: { number: string; name: string }): Promise<{ ok: boolean; detail: string; media: string[] }>;
  };
}

export class CallService extends EventEmitter<{ trail: [CallState, TrailEntry]; ended: [CallState]; reconciled: [Set<string>]; transcribe: [CallState, 'caller' | 'both']; 'late-note': [CallState, TrailEntry] }> {
  private readonly calls = new Map<string, LiveCall>();
  private readonly endWaiters = new Map<string, ((state: CallState) => void)[]>();
  private readonly lateNotes = new Map<string, Promise<void>>();
  /** Ended calls whose last save the store refused: saved again once a write succeeds. */
  private readonly unsavedEnded = new Map<string, LiveCall>();

  constructor(private readonly deps: CallServiceDeps) {
    super();
    deps.telephony.onEvent((event) => this.onTelephonyEvent(event));
    deps.telephony.onConnected(({ reconnect, asteriskRestarted }) => {
      if (reconnect || this.calls.size > 0) void this.reconcile(asteriskRestarted);
    });
  }

  isLive(callId: string): boolean {
    return this.calls.has(callId);
  }

  /** The live state of a call (undefined once it ended). */
  state(callId: string): CallState | undefined {
    return this.calls.get(callId)?.state;
  }

  activeCount(): number {
    return this.calls.size;
  }

  /** After a Deskline restart: take back the calls the store says were live. */
  async loadActive(): Promise<number> {
    const active = await this.deps.records.active();
    for (const state of active) this.calls.set(state.callId, this.live(state, true));
    if (active.length) this.deps.logger.info({ calls: active.length }, 'resuming calls that were live before the restart');
    return active.length;
  }

  waitForEnd(callId: string, timeoutMs: number): Promise<CallState | undefined> {
    return new Promise((resolve) => {
      const waiters = this.endWaiters.get(callId) ?? [];
      const timer = setTimeout(() => {
        const left = (this.endWaiters.get(callId) ?? []).filter((w) => w !== waiter);
        if (left.length) this.endWaiters.set(callId, left);
        else this.endWaiters.delete(callId);
        resolve(undefined);
      }, timeoutMs);
      const waiter = (state: CallState) => {
        clearTimeout(timer);
        resolve(state);
      };
      waiters.push(waiter);
      this.endWaiters.set(callId, waiters);
    });
  }

  /**
   * On shutdown: live calls keep their state in the store (the next start resumes them), but their
   * timers must not keep this process alive for up to the maximum call length.
   */
  releaseTimers(): void {
    for (const call of this.calls.values()) for (const timer of call.timers.values()) timer.cancel();
  }

  /** Resolves when every queued transition of every call has been persisted and acted on. */
  async idle(): Promise<void> {
    await Promise.all([...this.calls.values()].map((call) => call.queue));
    await Promise.all(this.lateNotes.values());
  }

  private live(state: CallState, awaitingReconcile: boolean): LiveCall {
    return {
      state,
      queue: Promise.resolve(),
      timers: new Map(),
      log: this.deps.logger.child({ callId: state.callId, channelId: state.channelId }),
      awaitingReconcile,
      persisted: state.trailLength === 0 ? undefined : state,
      unsavedTrail: [],
    };
  }

  private onTelephonyEvent(received: TelephonyEvent): void {
    // Decisions and timers run on Deskline's (injectable) clock, so inputs are stamped on receipt
    // rather than with Asterisk's own timestamps.
    const event = { ...received, at: this.deps.clock.now() };
    if (event.type === 'call-entered') {
      if (this.calls.has(event.channelId)) return;
      const state = newCall(event);
      const call = this.live(state, false);
      this.calls.set(state.callId, call);
      // The first save (with indexes) happens inside dispatch, with the 'entered' transition.
      const feature = this.deps.features?.recognises(event.dialed) ? event.dialed : undefined;
      this.enqueue(call, { type: 'entered', at: event.at, ...(feature ? { feature } : { flow: this.deps.route(event.dialed, event.at) }) });
      return;
    }
    // Legs Deskline originated (agents, callbacks, snoops) belong to other services.
    if (event.type === 'leg-entered' || event.type === 'bridge-recording-finished') return;
    const call = this.calls.get(event.channelId);
    if (!call) return;
    const { channelId: _channel, ...input } = event;
    this.dispatch(call.state.callId, input as CallInput);
  }

  /**
   * A call Deskline placed (an outbound campaign's) was answered and entered the app: it becomes a
   * call like an inbound one, running the campaign's flow, with the contact as the other party.
   */
  adoptOutbound(input: { channelId: string; channelName: string; caller: { number: string; name: string }; dialed: string; flow: { flowId: string; version: number }; campaign: NonNullable<CallState['campaign']> }): void {
    if (this.calls.has(input.channelId)) return;
    const at = this.deps.clock.now();
    const state = { ...newCall({ channelId: input.channelId, channelName: input.channelName, caller: input.caller, dialed: input.dialed, at }), campaign: input.campaign };
    const call = this.live(state, false);
    this.calls.set(state.callId, call);
    // 'entered' asks Asterisk to answer: a no-op for a channel that is up, and the flow starts on its reply.
    this.enqueue(call, { type: 'entered', at, flow: input.flow });
  }

  /**
   * A call Deskline places for one agent (a preview campaign's): recorded from the moment it is
   * placed; the queue (placeForAgent) rings the agent, then dials the customer on `callId`.
   */
  placeForAgent(input: { callId: string; channelName: string; caller: { number: string; name: string }; dialed: string; agentId: string; queueId: string; campaign: NonNullable<CallState['campaign']> }): void {
    if (this.calls.has(input.callId)) return;
    const at = this.deps.clock.now();
    const state: CallState = { ...newCall({ channelId: input.callId, channelName: input.channelName, caller: input.caller, dialed: input.dialed, at }), campaign: input.campaign, placed: { agentId: input.agentId, queueId: input.queueId } };
    this.calls.set(state.callId, this.live(state, false));
    this.enqueue(this.calls.get(state.callId)!, { type: 'note', entry: { type: 'placed', for: input.agentId, queue: input.queueId, caller: input.caller, dialed: input.dialed, channel: input.channelName }, at });
  }

  /** The queue is done with a placed call: end it (a no-op once its customer's hang-up ended it). */
  closePlaced(callId: string, reason: string): void {
    this.dispatch(callId, { type: 'placed-over', reason, at: this.deps.clock.now() });
  }

  /**
   * Appends an entry to a call's trail: through the machine while the call is live, straight to
   * the record once it has ended (a transcriber's last words arrive after the hang-up).
   */
  note(callId: string, entry: { type: string; [field: string]: unknown }): void {
    const at = this.deps.clock.now();
    if (this.calls.has(callId)) return this.dispatch(callId, { type: 'note', entry, at });
    const previous = this.lateNotes.get(callId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const state = await this.deps.records.get(callId);
      if (!state) return;
      await this.deps.records.save(state, { ...state, trailLength: state.trailLength + 1 }, [{ ...entry, at }]);
      this.emit('late-note', state, { ...entry, at });
    }).catch((error: Error) => this.deps.logger.warn({ err: error, callId }, 'late note not saved'));
    this.lateNotes.set(callId, next);
    void next.finally(() => this.lateNotes.get(callId) === next && this.lateNotes.delete(callId));
  }

  dispatch(callId: string, input: CallInput): void {
    const call = this.calls.get(callId);
    if (call) this.enqueue(call, input);
  }

  private enqueue(call: LiveCall, input: CallInput): void {
    call.queue = call.queue.then(() => this.step(call, input)).catch((error: Error) => {
      call.log.error({ err: error, input: input.type }, 'call step failed');
    });
  }

  private async step(call: LiveCall, input: CallInput): Promise<void> {
    const before = call.state;
    const { next, commands, trail } = transition(before, input, this.deps.env);
    if (trail.length === 0 && commands.length === 0 && JSON.stringify(next) === JSON.stringify(before)) return;
    // Durable before the call moves on: if we crash after this line, a restart resumes from `next`.
    // When the store refuses the write (disk full, I/O error) the call still moves on — a caller
    // must not hang in silence, nor a call stay "live" forever, because a disk is full — and the
    // refused trail goes out with the next save that succeeds.
    await this.persist(call, next, trail);
    call.state = next;
    const arrow = `${before.phase} -[${input.type}]-> ${next.phase}`;
    if (before.phase !== next.phase) call.log.info(arrow);
    else call.log.debug(arrow);
    for (const entry of trail) this.emit('trail', next, entry);
    for (const command of commands) this.execute(call, command);
    if (next.phase === 'ended') {
      if (call.persisted !== next) this.unsavedEnded.set(next.callId, call);
      for (const timer of call.timers.values()) timer.cancel();
      this.calls.delete(next.callId);
      this.emit('ended', next);
      for (const waiter of this.endWaiters.get(next.callId) ?? []) waiter(next);
      this.endWaiters.delete(next.callId);
    }
  }

  private async persist(call: LiveCall, next: CallState, trail: TrailEntry[]): Promise<void> {
    const pending = [...call.unsavedTrail, ...trail];
    try {
      await this.deps.records.save(call.persisted, next, pending);
    } catch (error) {
      call.unsavedTrail = pending;
      call.log.error({ err: error, unsavedEntries: pending.length }, 'call state not saved: the call goes on, saved with its next step once the store accepts writes');
      return;
    }
    call.persisted = next;
    call.unsavedTrail = [];
    if (this.unsavedEnded.size && !this.unsavedEnded.has(next.callId)) void this.saveEnded();
  }

  /** The store accepts writes again: ended calls it refused are saved now (their endings feed included). */
  private async saveEnded(): Promise<void> {
    for (const [callId, call] of [...this.unsavedEnded]) {
      this.unsavedEnded.delete(callId);
      try {
        await this.deps.records.save(call.persisted, call.state, call.unsavedTrail);
        call.persisted = call.state;
        call.unsavedTrail = [];
        call.log.info('ended call saved after the store recovered');
      } catch {
        this.unsavedEnded.set(callId, call);
        return;
      }
    }
  }

  private execute(call: LiveCall, command: CallCommand): void {
    const { telephony, clock } = this.deps;
    const { callId, channelId } = call.state;
    const failed = (error: unknown) => {
      const code = error instanceof TelephonyError ? error.code : 'FAILED';
      this.dispatch(callId, { type: 'command-failed', command: command.type, code, message: (error as Error).message, at: clock.now() });
    };
    switch (command.type) {
      case 'answer':
        telephony.answer(channelId).then(() => this.dispatch(callId, { type: 'answered', at: clock.now() }), failed);
        break;
      case 'transcribe':
        this.emit('transcribe', call.state, command.policy);
        break;
      case 'feature': {
        const features = this.deps.features;
        if (!features) break;
        features.perform(command.code, call.state.caller).then(
          (done) => this.dispatch(callId, { type: 'feature-done', ...done, at: clock.now() }),
          (error: Error) => this.dispatch(callId, { type: 'feature-done', ok: false, detail: error.message, media: ['sound:beeperr'], at: clock.now() }),
        );
        break;
      }
      case 'play': {
        const media = command.media ? Promise.resolve(command.media) : this.deps.prompts.resolve(command.prompts ?? [], command.language ?? 'en');
        media.then((uris) => telephony.play(channelId, command.playbackId, uris)).catch(failed);
        break;
      }
      case 'http':
        void performHttp(command.request).then((event) => this.dispatch(callId, { type: 'ivr', event, at: clock.now() }));
        break;
      case 'record':
        telephony.record(channelId, command.name, command).catch(failed);
        break;
      case 'outside':
        if (command.effect.type === 'queue' || command.effect.type === 'queue-action') {
          this.toQueue(call, command.effect);
          break;
        }
        performOutside(callId, channelId, command.effect, { ...this.deps.outside, telephony }).then(
          (event) => this.dispatch(callId, { type: 'ivr', event, at: clock.now() }),
          (error: Error) => this.dispatch(callId, { type: 'ivr', event: { type: 'effect-failed', id: command.effect.id, code: 'FAILED', message: error.message }, at: clock.now() }),
        );
        break;
      case 'stop-playback':
        telephony.stopPlayback(command.playbackId).catch(failed);
        break;
      case 'hangup':
        telephony.hangup(channelId, command.reason).catch(failed);
        break;
      case 'set-timer':
        call.timers.get(command.name)?.cancel();
        call.timers.set(command.name, clock.at(command.deadline, () => this.dispatch(callId, { type: 'timer', name: command.name, at: clock.now() })));
        break;
      case 'clear-timer':
        call.timers.get(command.name)?.cancel();
        call.timers.delete(command.name);
        break;
    }
  }

  /** The queue capability, once attached (queues are optional on a site). */
  private queue: CallQueue | undefined;

  attachQueue(queue: CallQueue): void {
    this.queue = queue;
  }

  private toQueue(call: LiveCall, effect: Extract<CallCommand, { type: 'outside' }>['effect'] & { type: 'queue' | 'queue-action' }): void {
    const { callId, channelId, caller } = call.state;
    if (effect.type === 'queue-action') {
      if (effect.action === 'callback') this.queue?.keepPlaceForCallback(callId);
      else this.queue?.leave(callId);
      return;
    }
    if (!this.queue) {
      this.dispatch(callId, { type: 'ivr', event: { type: 'effect-failed', id: effect.id, code: 'QUEUE_NOT_AVAILABLE', message: `queue ${effect.queue}: this site has no queues configured` }, at: this.deps.clock.now() });
      return;
    }
    this.queue.join({ callId, channelId, caller, language: call.state.ivr?.language ?? 'en' }, effect);
  }

  /** QueueCalls: news from the queue for the caller's queue node. */
  status(callId: string, requestId: string, news: QueueStatus): void {
    const { status, ...detail } = news;
    this.dispatch(callId, { type: 'ivr', event: { type: 'queue-status', id: requestId, status, detail: detail as Record<string, string | number> }, at: this.deps.clock.now() });
  }

  end(callId: string, reason: string): void {
    this.dispatch(callId, { type: 'end', reason, at: this.deps.clock.now() });
  }

  transferring(callId: string, target: string): void {
    this.dispatch(callId, { type: 'transferring', target, at: this.deps.clock.now() });
  }

  /** Match what we believe is live with what Asterisk has; resume or close out each call. */
  async reconcile(asteriskRestarted: boolean): Promise<void> {
    const { telephony, clock, logger } = this.deps;
    let channels: Set<string>;
    try {
      channels = new Set((await telephony.listChannels()).map((c) => c.id));
    } catch (error) {
      logger.warn({ err: error }, 'reconcile: cannot list channels; will retry on next connect');
      return;
    }
    let resumed = 0;
    let closed = 0;
    for (const call of [...this.calls.values()]) {
      const { callId } = call.state;
      if (!channels.has(call.state.channelId)) {
        // A placed call's customer may not be dialled yet: the queue holding it decides.
        if (call.state.placed && this.queue?.holds?.(callId)) continue;
        closed++;
        this.dispatch(callId, { type: 'channel-missing', reason: asteriskRestarted ? 'asterisk-restarted' : 'ended-while-disconnected', at: clock.now() });
        continue;
      }
      resumed++;
      const wasLoaded = call.awaitingReconcile;
      call.awaitingReconcile = false;
      this.dispatch(callId, { type: 'resumed', at: clock.now() });
      if (wasLoaded) {
        for (const [name, deadline] of Object.entries(call.state.timers)) this.execute(call, { type: 'set-timer', name, deadline });
        if (call.state.phase === 'answering') this.execute(call, { type: 'answer' });
      }
      const playback = call.state.playback;
      if (playback) {
        // A PlaybackFinished sent while we were away is lost: ask whether it still plays.
        const state = await telephony.playbackState(playback.id).catch(() => 'unknown');
        if (state === undefined) this.dispatch(callId, { type: 'playback-finished', playbackId: playback.id, failed: false, at: clock.now() });
      }
    }
    logger.info({ resumed, closed, asteriskRestarted }, 'calls reconciled with Asterisk');
    this.emit('reconciled', new Set(this.calls.keys()));
  }
}
