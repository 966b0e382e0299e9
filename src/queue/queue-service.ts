// Runs the ACD against real calls: feeds it inputs (callers from queue nodes, agent phones
// answering or not, hang-ups, timers, agent logins), persists every transition before acting on
// it, and carries out its commands through the telephony port (originate agent legs, music on
// hold, whisper, mixing bridges, callbacks, recordings). One writer, in input order.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Section, Store } from '../store/store.ts';
import type { Party, Telephony, TelephonyEvent } from '../telephony/telephony.ts';
import type { PromptRef } from '../ivr/flow-types.ts';
import { newAcd, transition } from './queue-machine.ts';
import { meets, mostRelaxed } from './queue-step.ts';
import { nextDeadline } from './queue-deadline.ts';
import type { AcdCommand, AcdInput, AcdState, Agent, TrailEntry } from './queue-types.ts';
import { agentPhone, toQueueConfig, type AcdSettings, type AgentSettings, type QueueSettings } from './queue-config.ts';
import { agentChannelId, bridgeIdOf, callbackChannelId, draw, findChannel, type CallLanguage, type FinishedRecording, type QueueLeg, type QueuesState } from './queue-legs.ts';
import { agentWhisper, callbackGreeting, positionAnnouncement } from './queue-prompts.ts';
import { QueueError } from './queue-errors.ts';
import type { AcdRequest, EndReason, QueueHost } from './queue-host.ts';
import { QueueRecording } from './queue-recording.ts';
import type { RecordingSpace } from '../recordings/disk-guard.ts';
import { personalQueue, personalSkill, QueueTransfers, type TransferTarget } from './queue-transfers.ts';

/** What the queue service needs from the calls capability (implemented by CallService). */
export interface QueueCalls {
  /** Tells the call's queue node what happened (connected, overflow, callback kept). */
  status(callId: string, requestId: string, status: QueueStatus): void;
  /** Ends the call from Deskline's side (the agent hung up). */
  end(callId: string, reason: string): void;
  /** The caller is being handed to the dialplan (a blind transfer to a number): the call ends as transferred. */
  transferring(callId: string, target: string): void;
  note(callId: string, entry: { type: string; [field: string]: unknown }): void;
  isLive(callId: string): boolean;
  /** A call placed for an agent is over on the queue's side (agent missed it, dial refused, conversation ended). */
  closePlaced?(callId: string, reason: string): void;
}

export type QueueStatus =
  | { status: 'waiting'; position?: number }
  | { status: 'connected'; agentId: string; waitSeconds: number }
  | { status: 'overflow'; reason: string; target: string }
  | { status: 'callback-kept'; number: string };

export interface QueueServiceDeps {
  store: Store;
  telephony: Telephony;
  clock: Clock;
  logger: Logger;
  queues: QueueSettings[];
  agents: AgentSettings[];
  acd: AcdSettings;
  /** Prompt references → media URIs (TTS for text). */
  resolvePrompts(refs: PromptRef[], language: string): Promise<string[]>;
  /** How many calls this number made within the repeat-caller window before `at`. */
  /** This number's earlier calls within the repeat-caller window before `at`, newest first. */
  repeatCalls(number: string, at: number, excludeCallId: string): Promise<{ callId: string; startedAt: number; outcome?: string }[]>;
  /** A bridge recording is complete on disk in Asterisk's recording folder. */
  recordingFinished(recording: FinishedRecording & { durationSeconds: number }): Promise<void>;
  /** The recordings disk guard: no recording starts, and running ones stop, while the disk is nearly full. */
  recordingSpace?: RecordingSpace;
}

export { QueueError } from './queue-errors.ts';
export type { TransferTarget } from './queue-transfers.ts';



export class QueueService extends EventEmitter<{ trail: [TrailEntry]; changed: [QueuesState] }> implements QueueHost {
  // Public for the helpers in this folder (QueueHost); nothing outside src/queue uses them.
  state!: QueuesState;
  private readonly section: Section;
  private work: Promise<unknown> = Promise.resolve();
  private timer: TimerHandle | undefined;
  private trailSeq = 0;
  calls!: QueueCalls;
  readonly settings: Map<string, QueueSettings>;
  readonly agentSettings: Map<string, AgentSettings>;
  private readonly transfers = new QueueTransfers(this);
  private readonly recording = new QueueRecording(this);
  /** Announcement playbacks on callers' channels: playback id → channel (music resumes after). */
  private readonly announcing = new Map<string, string>();

  constructor(readonly deps: QueueServiceDeps) {
    super();
    this.section = deps.store.section('queues');
    // Every agent has a personal queue (transfers to that agent wait there, in order).
    this.settings = new Map([...deps.queues, ...deps.agents.map(personalQueue)].map((q) => [q.id, q]));
    this.agentSettings = new Map(deps.agents.map((a) => [a.id, a]));
    deps.telephony.onEvent((event) => this.onTelephony(event));
  }

  /** Loads the persisted ACD (agents' states, waiting callers, kept callback places). */
  async load(calls: QueueCalls): Promise<void> {
    this.calls = calls;
    const saved = await this.section.get<QueuesState>('state');
    const queues = [...this.settings.values()].map(toQueueConfig);
    const fresh = newAcd(queues);
    if (!saved) {
      this.state = { acd: fresh, legs: {}, recordings: {}, seed: 0x5eed };
    } else {
      // The site file may have changed queues since: take its settings, keep agents and places.
      const known = new Set(queues.map((q) => q.id));
      const dropped = saved.acd.waiting.filter((e) => !known.has(e.queueId));
      for (const entry of dropped) this.deps.logger.warn({ callId: entry.callId, queueId: entry.queueId }, 'queue no longer configured: its waiting entry is dropped');
      const acd: AcdState = { ...saved.acd, queues: fresh.queues, memory: { ...fresh.memory, ...saved.acd.memory }, waiting: saved.acd.waiting.filter((e) => known.has(e.queueId)) };
      this.state = { ...saved, acd };
      this.deps.logger.info({ waiting: acd.waiting.length, callbacks: acd.waiting.filter((e) => e.kind === 'callback').length }, 'queues loaded');
    }
    this.trailSeq = this.state.acd.trailLength;
    this.arm();
  }

  /** Agents free now who can take this queue's calls (preview campaigns show them contacts). */
  availableAgentIds(queueId: string): string[] {
    const queue = this.state.acd.queues[queueId];
    if (!queue) return [];
    const loosest = mostRelaxed(queue);
    return Object.values(this.state.acd.agents).filter((a) => a.status.kind === 'available' && meets(a, loosest)).map((a) => a.id);
  }

  /** Whether the queue holds this call's legs (a placed call is then the queue's to close). */
  holds(callId: string): boolean {
    return this.state.legs[callId] !== undefined;
  }

  snapshot(): QueuesState {
    return this.state;
  }

  /** The caller's and the agent's channels of a call connected to an agent (for supervisors). */
  conversation(callId: string): { callId: string; customerChannelId: string; agentChannelId: string } | undefined {
    const leg = this.state.legs[callId];
    if (!leg?.connected?.bridgedAt) return undefined;
    return { callId, customerChannelId: leg.channelId, agentChannelId: leg.connected.channelId };
  }

  settingsOf(queueId: string): QueueSettings | undefined {
    return this.settings.get(queueId);
  }

  /** The ACD's decisions and agents' state changes, in order, for reports (newest last). */
  async trail(query: { from?: number; limit?: number } = {}): Promise<TrailEntry[]> {
    const entries: TrailEntry[] = [];
    for await (const [, entry] of this.section.entries<TrailEntry>({ gte: 'trail!', lt: 'trail!\uffff' })) {
      if (query.from !== undefined && entry.at < query.from) continue;
      entries.push(entry);
    }
    return query.limit ? entries.slice(-query.limit) : entries;
  }

  /** Resolves once every input so far has been persisted and acted on. */
  idle(): Promise<void> {
    return this.work.then(() => undefined);
  }

  stop(): void {
    this.timer?.cancel();
  }

  // ---- inputs -------------------------------------------------------------------------------

  /** A flow's queue node hands its caller over. */
  join(call: { callId: string; channelId: string; caller: Party; language: CallLanguage }, request: { id: string; queue: string; priority: number }): void {
    this.serial(async () => {
      const settings = this.settings.get(request.queue);
      if (!settings) throw new QueueError('QUEUE_UNKNOWN', `queue ${request.queue} is not configured on this site`);
      const at = this.deps.clock.now();
      const recent = this.deps.acd.repeatCallerWindowHours > 0 ? await this.deps.repeatCalls(call.caller.number, at, call.callId).catch(() => []) : [];
      const repeatCalls = recent.length;
      // On the call record (and so the agent's screen pop): how many, and which calls, to look into.
      if (repeatCalls > 0) this.calls.note(call.callId, { type: 'repeat-caller', recentCalls: repeatCalls, windowHours: this.deps.acd.repeatCallerWindowHours, calls: recent.slice(0, 5) });
      const leg: QueueLeg = { callId: call.callId, channelId: call.channelId, kind: 'caller', caller: call.caller, queueId: settings.id, language: call.language, requestId: request.id, ringing: {}, repeatCalls, legCount: 0, joinedAt: at };
      this.state = { ...this.state, legs: { ...this.state.legs, [call.callId]: leg } };
      await this.apply({ type: 'caller-joined', callId: call.callId, queueId: settings.id, priority: request.priority });
      if (this.state.legs[call.callId] && this.entry(call.callId)) void this.deps.telephony.startMoh(call.channelId, settings.musicOnHold).catch((e) => this.warn(e, 'music on hold'));
    }).catch((error: Error) => {
      const code = error instanceof QueueError ? error.code : 'QUEUE_FAILED';
      this.deps.logger.warn({ err: error, callId: call.callId }, 'queue join failed');
      this.calls.status(call.callId, request.id, { status: 'overflow', reason: code, target: 'flow' });
    });
  }

  /**
   * A preview campaign places a call for `agentId` (agent-first): the agent's phone rings first;
   * once they answer, the customer is dialled on the call's own channel id and bridged on answer.
   */
  placeForAgent(call: { callId: string; caller: Party; language: CallLanguage; queueId: string; agentId: string; number: string; dial: { endpoint: string; callerId: Party; ringSeconds: number } }): Promise<void> {
    return this.serial(async () => {
      if (!this.settings.has(call.queueId)) throw new QueueError('QUEUE_UNKNOWN', `queue ${call.queueId} is not configured on this site`);
      const at = this.deps.clock.now();
      this.putLeg({
        callId: call.callId, channelId: call.callId, kind: 'caller', caller: call.caller, queueId: call.queueId, language: call.language, requestId: '',
        ringing: {}, repeatCalls: 0, legCount: 0, joinedAt: at, callbackNumber: call.number, placed: { agentId: call.agentId, ...call.dial },
      });
      await this.apply({ type: 'preview-placed', callId: call.callId, queueId: call.queueId, agentId: call.agentId, number: call.number });
      if (!this.entry(call.callId)) this.dropLegIfDone(call.callId, 'not placed: the agent is logged out');
    });
  }

  /** The caller pressed the queue node's callback key: keep the place, hang up, call back. */
  keepPlaceForCallback(callId: string): void {
    this.serial(async () => {
      const leg = this.state.legs[callId];
      if (!leg || !this.entry(callId)) return;
      if (!/^\+?[0-9]{3,}$/.test(leg.caller.number.replace(/[\s().-]/g, ''))) {
        // A withheld or unusable number cannot be called back: the caller keeps waiting on the line.
        this.calls.note(callId, { type: 'callback-refused', reason: 'no-diallable-number', number: leg.caller.number });
        return;
      }
      this.putLeg({ ...leg, callbackNumber: leg.caller.number });
      await this.apply({ type: 'callback-requested', callId, number: leg.caller.number });
      if (this.entry(callId)?.kind === 'callback') this.calls.status(callId, leg.requestId, { status: 'callback-kept', number: leg.caller.number });
    });
  }

  /** The caller pressed the queue node's exit key (to voicemail, say): leave the queue. */
  leave(callId: string): void {
    this.serial(async () => {
      const leg = this.state.legs[callId];
      if (!leg) return;
      await this.deps.telephony.stopMoh(leg.channelId).catch(() => undefined);
      await this.apply({ type: 'caller-left', callId });
      this.dropLegIfDone(callId);
    });
  }

  /** The call ended (caller hung up, or Deskline ended it). */
  callEnded(callId: string): void {
    this.serial(async () => {
      const leg = this.state.legs[callId];
      if (!leg || leg.kind !== 'caller') return;
      const waiting = this.entry(callId);
      if (leg.connected) await this.endConnected(leg, 'caller-hung-up');
      else await this.apply({ type: 'caller-left', callId });
      // Abandoned in the queue: the call record says where and after how long.
      if (waiting && !this.entry(callId)) this.calls.note(callId, { type: 'queue-abandoned', queue: waiting.queueId, waitSeconds: (this.deps.clock.now() - waiting.enteredAt) / 1000 });
      this.dropLegIfDone(callId);
    });
  }

  agentAction(agentId: string, action: 'login' | 'logout' | 'pause' | 'unpause', reason = 'break'): Promise<Agent> {
    return this.serial(async () => {
      const settings = this.agentSettings.get(agentId);
      if (!settings) throw new QueueError('AGENT_UNKNOWN', `agent ${agentId} is not configured on this site`);
      if (action === 'login') await this.apply({ type: 'agent-login', agentId, skills: { ...settings.skills, [personalSkill(agentId)]: 1 } });
      else if (!this.state.acd.agents[agentId]) throw new QueueError('AGENT_UNKNOWN', `agent ${agentId} has never logged in`);
      else if (action === 'logout') await this.apply({ type: 'agent-logout', agentId });
      else if (action === 'pause') await this.apply({ type: 'agent-pause', agentId, reason });
      else await this.apply({ type: 'agent-unpause', agentId });
      return this.state.acd.agents[agentId]!;
    });
  }

  /** An agent's phone dialled a feature code: the agent is found by the phone's number. */
  agentByExtension(number: string): AgentSettings | undefined {
    return [...this.agentSettings.values()].find((a) => a.extension === number);
  }

  /**
   * New queue and agent settings (an admin's edit, a re-provisioned site file), applied to the
   * next offers. Refused, with nothing changed, when it would remove a queue somebody waits in
   * (QUEUE_BUSY) or an agent who is logged in (AGENT_BUSY: log them out first).
   */
  reconfigure(queues: QueueSettings[], agents: AgentSettings[]): Promise<void> {
    return this.serial(async () => {
      const queueIds = new Set(queues.map((q) => q.id));
      const agentIds = new Set(agents.map((a) => a.id));
      const waitingIn = this.state.acd.waiting.find((e) => !e.queueId.startsWith('@') && !queueIds.has(e.queueId));
      if (waitingIn) throw new QueueError('QUEUE_BUSY', `queue ${waitingIn.queueId} has callers waiting: it can be removed once they are served`);
      const loggedIn = Object.values(this.state.acd.agents).find((a) => !agentIds.has(a.id) && a.status.kind !== 'logged-out');
      if (loggedIn) throw new QueueError('AGENT_BUSY', `agent ${loggedIn.id} is logged in: log them out before removing them`);
      this.settings.clear();
      for (const q of [...queues, ...agents.map(personalQueue)]) this.settings.set(q.id, q);
      this.agentSettings.clear();
      for (const a of agents) this.agentSettings.set(a.id, a);
      const skills = Object.fromEntries(agents.filter((a) => this.state.acd.agents[a.id]).map((a) => [a.id, { ...a.skills, [personalSkill(a.id)]: 1 }]));
      await this.apply({ type: 'reconfigured', queues: [...this.settings.values()].map(toQueueConfig), skills });
    });
  }

  startRecording(callId: string): Promise<string> {
    return this.recording.startRecording(callId);
  }

  pauseRecording(callId: string, pause: boolean): Promise<void> {
    return this.recording.pauseRecording(callId, pause);
  }

  blindTransfer(callId: string, to: TransferTarget, by: string): Promise<void> {
    return this.transfers.blindTransfer(callId, to, by);
  }

  consult(callId: string, to: Exclude<TransferTarget, { kind: 'queue' }>, by: string): Promise<string> {
    return this.transfers.consult(callId, to, by);
  }

  completeTransfer(callId: string, by: string): Promise<void> {
    return this.transfers.completeTransfer(callId, by);
  }

  cancelTransfer(callId: string, by: string): Promise<void> {
    return this.transfers.cancelTransfer(callId, by);
  }

  // ---- the one writer -----------------------------------------------------------------------

  serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.work.then(job);
    this.work = run.catch((error: Error) => this.deps.logger.error({ err: error }, 'queue step failed'));
    return run;
  }

  entry(callId: string) {
    return this.state.acd.waiting.find((e) => e.callId === callId);
  }

  putLeg(leg: QueueLeg): void {
    this.state = { ...this.state, legs: { ...this.state.legs, [leg.callId]: leg } };
  }

  async persist(trail: TrailEntry[]): Promise<void> {
    const first = this.trailSeq;
    this.trailSeq += trail.length;
    await this.section.batch([
      { type: 'put', key: 'state', value: this.state },
      ...trail.map((entry, i) => ({ type: 'put' as const, key: `trail!${String(first + i).padStart(12, '0')}`, value: entry })),
    ]);
  }

  /** One ACD transition: plan channel ids, persist, then act. */
  async apply(input: AcdRequest): Promise<void> {
    const at = this.deps.clock.now();
    const random = draw(this.state.seed);
    const { next, commands, trail } = transition(this.state.acd, { ...input, at, random: random.value } as AcdInput);
    this.state = { ...this.state, acd: next, seed: random.seed };
    const planned = commands.map((command) => this.plan(command));
    await this.persist(trail);
    for (const entry of trail) this.emit('trail', entry);
    this.emit('changed', this.state);
    for (const command of planned) await this.act(command, at);
    this.arm();
  }

  /** Channel ids are fixed in the state before it is saved. */
  private plan(command: AcdCommand): AcdCommand & { channelId?: string } {
    const leg = this.state.legs[command.type === 'ring-agent' || command.type === 'stop-ringing' || command.type === 'connect' ? command.callId : 'callId' in command ? command.callId : ''];
    if (!leg) return command;
    if (command.type === 'ring-agent') {
      const channelId = agentChannelId(leg, command.agentId);
      this.putLeg({ ...leg, ringing: { ...leg.ringing, [command.agentId]: channelId }, legCount: leg.legCount + 1 });
      return { ...command, channelId };
    }
    if (command.type === 'stop-ringing') {
      const { [command.agentId]: channelId, ...rest } = leg.ringing;
      this.putLeg({ ...leg, ringing: rest });
      return { ...command, channelId };
    }
    if (command.type === 'connect') {
      const { [command.agentId]: channelId, ...rest } = leg.ringing;
      const connected = { agentId: command.agentId, channelId: channelId!, bridgeId: bridgeIdOf(leg.callId), at: this.deps.clock.now() };
      if (leg.kind === 'caller' && leg.callbackNumber !== undefined) {
        // Agent-first callback: the customer's leg is decided (and saved) before it is dialled, once.
        // (A placed call's customer channel is the call's own id, fixed when it was placed.)
        this.putLeg({ ...leg, ringing: rest, connected, kind: 'callback', channelId: leg.placed ? leg.channelId : callbackChannelId(leg.callId), awaitingCustomer: true });
        return { ...command, channelId, dialCustomer: true } as AcdCommand & { channelId?: string };
      }
      this.putLeg({ ...leg, ringing: rest, connected });
      return { ...command, channelId };
    }
    if (command.type === 'dial-callback') {
      const channelId = callbackChannelId(leg.callId);
      this.putLeg({ ...leg, kind: 'callback', channelId });
      return { ...command, channelId };
    }
    return command;
  }

  private arm(): void {
    this.timer?.cancel();
    const deadline = nextDeadline(this.state.acd, this.deps.clock.now());
    if (deadline === undefined) return;
    // Never spin: a deadline in the past ticks once, a little later.
    const at = Math.max(deadline, this.deps.clock.now() + 20);
    this.timer = this.deps.clock.at(at, () => void this.serial(() => this.apply({ type: 'tick' })));
  }

  warn(error: unknown, what: string): void {
    this.deps.logger.warn({ err: error }, `queue: ${what} failed`);
  }

  // ---- commands ----------------------------------------------------------------------------

  private async act(command: AcdCommand & { channelId?: string }, at: number): Promise<void> {
    const { telephony } = this.deps;
    const leg = 'callId' in command ? this.state.legs[command.callId] : undefined;
    switch (command.type) {
      case 'ring-agent': {
        const agent = this.agentSettings.get(command.agentId);
        if (!leg || !agent || !command.channelId) return;
        const channelId = command.channelId;
        // The ACD owns the ring timeout; Asterisk's originate timeout is only a backstop.
        telephony
          .originate({ channelId, ...agentPhone(agent), role: 'agent', args: [leg.callId, agent.id], callerId: leg.caller, timeoutSeconds: command.timeoutSeconds + 5 })
          .catch((error: Error) => {
            this.deps.logger.warn({ err: error, agentId: agent.id, endpoint: agent.endpoint }, 'agent phone could not be rung');
            void this.serial(() => this.legGone(channelId));
          });
        return;
      }
      case 'stop-ringing':
        if (command.channelId) await telephony.hangup(command.channelId).catch((e) => this.warn(e, 'stop ringing'));
        return;
      case 'connect':
        if (leg?.connected && (command as { dialCustomer?: boolean }).dialCustomer) await this.dialCustomerForAgent(leg);
        else if (leg?.connected) await this.connect(leg);
        return;
      case 'overflow':
        return this.overflow(command, leg);
      case 'dial-callback': {
        if (!leg || !command.channelId) return;
        this.dialCustomer(leg, command.number, (error) =>
          void this.serial(async () => {
            await this.apply({ type: 'callback-failed', callId: leg.callId, reason: error.message });
            this.dropLegIfDone(leg.callId);
          }),
        );
        this.deps.logger.info({ callId: leg.callId, number: command.number, at }, 'dialling queue callback');
        return;
      }
      case 'announce-position': {
        if (!leg) return;
        const playbackId = `${leg.callId}-qa${at}`;
        const media = await this.deps.resolvePrompts(positionAnnouncement(command.position, command.ewt, leg.language), leg.language).catch(() => undefined);
        if (!media) return;
        this.announcing.set(playbackId, leg.channelId);
        this.calls.note(leg.callId, { type: 'queue-announcement', position: command.position, ewt: command.ewt });
        await telephony.stopMoh(leg.channelId).catch(() => undefined);
        await telephony.play(leg.channelId, playbackId, media).catch(() => this.announcing.delete(playbackId));
        return;
      }
    }
  }

  private async overflow(command: Extract<AcdCommand, { type: 'overflow' }>, leg: QueueLeg | undefined): Promise<void> {
    if (!leg) return;
    const target = command.target;
    if (target.kind === 'queue' && this.settings.has(target.queueId)) {
      this.calls.note(leg.callId, { type: 'queue-overflow', queue: command.queueId, reason: command.reason, to: `queue:${target.queueId}` });
      this.putLeg({ ...leg, queueId: target.queueId });
      return this.apply({ type: 'caller-joined', callId: leg.callId, queueId: target.queueId, priority: 0 });
    }
    await this.deps.telephony.stopMoh(leg.channelId).catch(() => undefined);
    if (leg.transferredFrom && leg.transferredFrom !== command.queueId && this.settings.has(leg.transferredFrom)) {
      // A transfer nobody took: back to the queue the caller came from, rather than lost.
      this.calls.note(leg.callId, { type: 'transfer-returned', from: command.queueId, to: leg.transferredFrom, reason: command.reason });
      this.putLeg({ ...leg, queueId: leg.transferredFrom, transferredFrom: undefined });
      return this.apply({ type: 'caller-joined', callId: leg.callId, queueId: leg.transferredFrom, priority: 0 });
    }
    this.dropLegIfDone(leg.callId);
    // After a transfer the flow has moved on: nothing there can take an overflow, so end politely.
    if (leg.transferredFrom !== undefined) return this.calls.end(leg.callId, `queue-overflow: ${command.reason}`);
    this.calls.status(leg.callId, leg.requestId, { status: 'overflow', reason: command.reason, target: target.kind });
  }

  /** Agent-first callback: the agent hears who is being called back while the customer's phone rings. */
  private async dialCustomerForAgent(leg: QueueLeg): Promise<void> {
    const settings = this.settings.get(leg.queueId)!;
    this.calls.note(leg.callId, { type: 'callback-dialling', mode: 'agent-first', agentId: leg.connected!.agentId });
    const whisper = agentWhisper({ queueName: settings.name ?? settings.id, callerNumber: leg.callbackNumber ?? leg.caller.number, repeatCalls: leg.repeatCalls }, leg.language);
    const media = await this.deps.resolvePrompts(whisper, leg.language).catch(() => undefined);
    if (media) await this.deps.telephony.play(leg.connected!.channelId, `${leg.connected!.channelId}-whisper`, media).catch(() => undefined);
    this.dialCustomer(leg, leg.callbackNumber ?? '', (error) => void this.serial(async () => {
      if (leg.placed) this.calls.closePlaced?.(leg.callId, `dial refused: ${error.message}`);
      await this.legGone(leg.channelId);
    }));
  }

  /** Calls a kept callback's customer on the leg's (planned, saved) channel; `failed` if Asterisk refuses. */
  private dialCustomer(leg: QueueLeg, number: string, failed: (error: Error) => void): void {
    const settings = this.settings.get(leg.queueId);
    const dial = leg.placed ?? {
      endpoint: this.deps.acd.callbackDial.replace('{number}', number.replace(/[^0-9A-Za-z+*#]/g, '')),
      callerId: { number: this.deps.acd.callbackCallerId, name: settings?.name ?? leg.queueId }, ringSeconds: 40,
    };
    this.deps.telephony
      .originate({ channelId: leg.channelId, endpoint: dial.endpoint, role: 'callback', args: [leg.callId], callerId: dial.callerId, timeoutSeconds: dial.ringSeconds })
      .catch((error: Error) => {
        this.deps.logger.warn({ err: error, callId: leg.callId }, 'callback could not be dialled');
        failed(error);
      });
  }

  /** Whisper to the agent, then join caller and agent in a mixing bridge. */
  private async connect(leg: QueueLeg): Promise<void> {
    const settings = this.settings.get(leg.queueId)!;
    const connected = leg.connected!;
    await this.deps.telephony.stopMoh(leg.channelId).catch(() => undefined);
    if (settings.whisper) {
      const whisper = agentWhisper({ queueName: settings.name ?? settings.id, callerNumber: leg.caller.number, repeatCalls: leg.repeatCalls }, leg.language);
      const media = await this.deps.resolvePrompts(whisper, leg.language).catch(() => undefined);
      if (media) {
        const played = await this.deps.telephony.play(connected.channelId, `${connected.channelId}-whisper`, media).then(() => true, () => false);
        if (played) return; // bridged when the whisper's PlaybackFinished arrives
      }
    }
    await this.bridge(leg.callId);
  }

  private async bridge(callId: string): Promise<void> {
    const leg = this.state.legs[callId];
    if (!leg?.connected || leg.connected.bridgedAt !== undefined) return;
    const { bridgeId, channelId, agentId } = leg.connected;
    try {
      await this.deps.telephony.bridge(bridgeId, [leg.channelId, channelId]);
    } catch (error) {
      this.warn(error, 'bridging caller and agent');
      return this.endConnected(leg, 'bridge-failed');
    }
    const at = this.deps.clock.now();
    this.putLeg({ ...leg, connected: { ...leg.connected, bridgedAt: at } });
    await this.persist([]);
    const waitSeconds = (leg.connected.at - leg.joinedAt) / 1000;
    if (leg.kind === 'caller') this.calls.status(callId, leg.requestId, { status: 'connected', agentId, waitSeconds });
    this.calls.note(callId, { type: 'agent-connected', agentId, queue: leg.queueId, bridgeId, repeatCaller: leg.repeatCalls > 0 });
    if (this.settings.get(leg.queueId)?.recording === 'all') await this.recording.record(this.state.legs[callId]!).catch((e) => this.warn(e, 'starting the recording'));
  }

  /** A connected call is over (either side hung up): the agent goes to wrap-up, the other side is hung up. */
  async endConnected(leg: QueueLeg, reason: EndReason): Promise<void> {
    const connected = leg.connected!;
    if (leg.recording) {
      const open = leg.recording;
      const now = this.deps.clock.now();
      // A pause still open when the call ends runs to the end: keep it in the spans.
      const recording = open.pausedAt === undefined ? open : { ...open, pausedAt: undefined, pauses: [...open.pauses, { at: open.pausedAt, seconds: (now - open.pausedAt) / 1000 }] };
      const finished: FinishedRecording = { ...recording, callId: leg.callId, queueId: leg.queueId, agentId: connected.agentId, caller: leg.caller };
      this.state = { ...this.state, recordings: { ...this.state.recordings, [recording.name]: finished } };
    }
    this.putLeg({ ...leg, connected: undefined, recording: undefined });
    await this.apply({ type: 'call-ended', agentId: connected.agentId, callId: leg.callId });
    if (reason !== 'agent-hung-up') await this.deps.telephony.hangup(connected.channelId).catch((e) => this.warn(e, 'hanging up the agent'));
    if (reason !== 'caller-hung-up' && reason !== 'transferred') {
      if (leg.kind === 'caller' && this.calls.isLive(leg.callId)) this.calls.end(leg.callId, reason === 'agent-hung-up' ? 'agent-hung-up' : 'bridge-failed');
      else await this.deps.telephony.hangup(leg.channelId).catch(() => undefined);
    }
    // Without a recording nothing waits for the bridge; with one, RecordingFinished removes it.
    if (!leg.recording) await this.deps.telephony.destroyBridge(connected.bridgeId).catch(() => undefined);
    this.dropLegIfDone(leg.callId);
  }

  private dropLegIfDone(callId: string, why = 'the agent did not take it'): void {
    const leg = this.state.legs[callId];
    if (!leg || this.entry(callId) || leg.connected || Object.keys(leg.ringing).length > 0) return;
    // A placed call is the queue's to end: whatever became of its customer leg, its call is over
    // (a no-op when the customer's hang-up ended it already).
    if (leg.placed) this.calls.closePlaced?.(callId, leg.kind === 'caller' ? `not dialled: ${why}` : 'conversation over');
    const { [callId]: _gone, ...legs } = this.state.legs;
    this.state = { ...this.state, legs };
    void this.persist([]);
  }

  private async ifRinging(agentId: string, callId: string, channelId: string, then: () => Promise<void>): Promise<void> {
    if (this.state.legs[callId]?.ringing[agentId] === channelId) await then();
  }

  // ---- telephony events --------------------------------------------------------------------

  private onTelephony(event: TelephonyEvent): void {
    if (event.type === 'bridge-recording-finished') return void this.serial(() => this.recording.recordingDone(event.name, event.durationSeconds, event.failed));
    if (event.type === 'playback-finished') {
      const channel = this.announcing.get(event.playbackId);
      if (channel) {
        this.announcing.delete(event.playbackId);
        void this.serial(async () => {
          const found = findChannel(this.state.legs, channel);
          if (found && !found.leg.connected && this.entry(found.leg.callId)) await this.deps.telephony.startMoh(channel, this.settings.get(found.leg.queueId)!.musicOnHold).catch(() => undefined);
        });
        return;
      }
      if (event.playbackId.endsWith('-whisper')) {
        void this.serial(async () => {
          const found = findChannel(this.state.legs, event.channelId);
          if (found?.role === 'agent' && !found.leg.awaitingCustomer) await this.bridge(found.leg.callId);
        });
      }
      return;
    }
    if (event.type === 'leg-entered' && event.role === 'consult') {
      void this.serial(() => this.transfers.consultAnswered(event.channelId, event.args[0] ?? ''));
      return;
    }
    if (event.type === 'leg-entered' && (event.role === 'agent' || event.role === 'callback')) {
      void this.serial(() => this.legAnswered(event.channelId, event.role));
      return;
    }
    if (event.type === 'dtmf') {
      void this.serial(() => this.recording.agentKey(event.channelId, event.digit));
      return;
    }
    if (event.type === 'left' || event.type === 'destroyed') void this.serial(() => this.legGone(event.channelId));
  }

  private async legAnswered(channelId: string, role: string): Promise<void> {
    const found = findChannel(this.state.legs, channelId);
    if (!found) {
      // Answered after we stopped wanting it (caller left, another agent took the call).
      await this.deps.telephony.hangup(channelId).catch(() => undefined);
      return;
    }
    const { leg } = found;
    if (role === 'agent' && found.role === 'ringing') {
      const entry = this.entry(leg.callId);
      await this.apply({ type: 'agent-answered', agentId: found.agentId!, callId: leg.callId });
      const connected = this.state.legs[leg.callId]?.connected;
      if (connected?.channelId === channelId && entry) this.putLeg({ ...this.state.legs[leg.callId]!, connected: { ...connected, entry } });
      if (this.state.legs[leg.callId]?.connected?.channelId !== channelId) await this.deps.telephony.hangup(channelId).catch(() => undefined);
      return;
    }
    if (role === 'callback' && found.role === 'customer' && leg.awaitingCustomer && leg.connected) {
      this.putLeg({ ...leg, awaitingCustomer: false });
      this.calls.note(leg.callId, { type: 'callback-answered', channelId });
      return this.bridge(leg.callId);
    }
    if (role === 'callback' && found.role === 'customer') {
      // Answered although we gave up on it (its dial was reported failed): nobody waits for it.
      if (this.entry(leg.callId)?.callback?.state !== 'dialling') return void (await this.deps.telephony.hangup(channelId).catch(() => undefined));
      const settings = this.settings.get(leg.queueId)!;
      await this.apply({ type: 'callback-answered', callId: leg.callId });
      this.calls.note(leg.callId, { type: 'callback-answered', channelId });
      const media = await this.deps.resolvePrompts(callbackGreeting(settings.name ?? settings.id, leg.language), leg.language).catch(() => undefined);
      if (media) await this.deps.telephony.play(channelId, `${channelId}-greeting`, media).catch(() => undefined);
      await this.deps.telephony.startMoh(channelId, settings.musicOnHold).catch(() => undefined);
    }
  }

  private async legGone(channelId: string): Promise<void> {
    const consulting = this.transfers.consulting(channelId);
    if (consulting) return this.transfers.cancelConsult(consulting, 'the target hung up');
    const found = findChannel(this.state.legs, channelId);
    if (!found) return;
    const { leg } = found;
    if (found.role === 'ringing') {
      await this.ifRinging(found.agentId!, leg.callId, channelId, async () => {
        const { [found.agentId!]: _gone, ...ringing } = leg.ringing;
        this.putLeg({ ...leg, ringing });
        await this.apply({ type: 'agent-no-answer', agentId: found.agentId!, callId: leg.callId });
      });
    } else if (found.role === 'agent') {
      const connected = leg.connected!;
      if (connected.bridgedAt === undefined && connected.entry && leg.kind === 'caller') {
        this.putLeg({ ...leg, connected: undefined });
        await this.apply({ type: 'agent-dropped', agentId: connected.agentId, callId: leg.callId, entry: connected.entry });
        this.calls.note(leg.callId, { type: 'agent-dropped', agentId: connected.agentId });
        if (this.entry(leg.callId)) await this.deps.telephony.startMoh(leg.channelId, this.settings.get(leg.queueId)!.musicOnHold).catch(() => undefined);
      } else {
        await this.endConnected(leg, 'agent-hung-up');
      }
    } else if (leg.kind === 'callback') {
      // The customer we called back: not answered (failed), or gone while waiting or talking.
      const entry = this.entry(leg.callId);
      if (leg.connected && leg.awaitingCustomer) this.calls.note(leg.callId, { type: 'callback-failed', reason: 'not answered', mode: 'agent-first' });
      if (leg.connected) await this.endConnected({ ...leg, awaitingCustomer: false }, 'caller-hung-up');
      else if (entry?.callback?.state === 'dialling') await this.apply({ type: 'callback-failed', callId: leg.callId, reason: 'not answered' });
      else if (entry) await this.apply({ type: 'caller-left', callId: leg.callId });
    }
    this.dropLegIfDone(leg.callId);
  }

  /** After a (re)connect or a restart: channels that went away while we could not hear. */
  async reconcile(liveChannels: Set<string>): Promise<void> {
    await this.serial(async () => {
      for (const leg of Object.values(this.state.legs)) {
        for (const [agentId, channelId] of Object.entries(leg.ringing)) if (!liveChannels.has(channelId)) await this.legGone(channelId).then(() => this.deps.logger.info({ agentId, callId: leg.callId }, 'ringing agent leg gone while away'));
        const current = this.state.legs[leg.callId];
        if (current?.connected && !liveChannels.has(current.connected.channelId)) await this.endConnected(current, 'agent-hung-up');
        const after = this.state.legs[leg.callId];
        if (!after) continue;
        const entry = this.entry(after.callId);
        const customerGone = !liveChannels.has(after.channelId);
        if (after.kind === 'callback' && customerGone && (entry?.callback?.state === 'dialling' || entry?.callback?.state === 'connected' || after.connected)) await this.legGone(after.channelId);
        else if (after.kind === 'caller' && customerGone && !this.calls.isLive(after.callId)) {
          if (after.connected) await this.endConnected(after, 'caller-hung-up');
          else if (entry) await this.apply({ type: 'caller-left', callId: after.callId });
          this.dropLegIfDone(after.callId);
        }
      }
      this.arm();
    });
  }
}
