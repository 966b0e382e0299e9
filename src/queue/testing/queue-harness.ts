// A loaded QueueService with fakes around it (in-memory store, manual clock, fake telephony and a
// recording calls port), for the executor's tests.
import { pino } from 'pino';
import { ManualClock } from '../../core/clock.ts';
import type { PromptRef } from '../../ivr/flow-types.ts';
import { MemoryStore } from '../../store/memory-store.ts';
import type { OriginateLeg } from '../../telephony/telephony.ts';
import { acdSchema, agentSchema, queueSchema } from '../queue-config.ts';
import type { FinishedRecording, QueuesState } from '../queue-legs.ts';
import { QueueService, type QueueCalls, type QueueStatus } from '../queue-service.ts';
import type { TrailEntry } from '../queue-types.ts';
import { FakeTelephony } from './fake-telephony.ts';

export const T0 = Date.parse('2026-11-24T10:00:00+08:00');
export const logger = pino({ level: 'silent' });

/** The calls capability as the queue sees it: records what it is told. */
export class FakeCalls implements QueueCalls {
  readonly statuses: { callId: string; requestId: string; status: QueueStatus }[] = [];
  readonly ends: { callId: string; reason: string }[] = [];
  readonly transfers: { callId: string; target: string }[] = [];
  readonly notes: { callId: string; entry: { type: string; [field: string]: unknown } }[] = [];
  /** Calls whose channel is gone (isLive answers false). */
  readonly gone = new Set<string>();

  status(callId: string, requestId: string, status: QueueStatus): void {
    this.statuses.push({ callId, requestId, status });
  }
  end(callId: string, reason: string): void {
    this.ends.push({ callId, reason });
  }
  note(callId: string, entry: { type: string; [field: string]: unknown }): void {
    this.notes.push({ callId, entry });
  }
  transferring(callId: string, target: string): void {
    this.transfers.push({ callId, target });
  }
  isLive(callId: string): boolean {
    return !this.gone.has(callId);
  }
  statusesOf(callId: string): QueueStatus[] {
    return this.statuses.filter((s) => s.callId === callId).map((s) => s.status);
  }
  notesOf(callId: string, type: string) {
    return this.notes.filter((n) => n.callId === callId && n.entry.type === type).map((n) => n.entry);
  }
}

export interface Site {
  queues?: Record<string, unknown>[];
  agents?: Record<string, unknown>[];
  acd?: Record<string, unknown>;
}

export const promptText = (ref: PromptRef) => ('tts' in ref ? `tts:${ref.tts}` : JSON.stringify(ref));

/** A loaded QueueService with fakes around it; pass `over` to restart over another's store and clock. */
export async function start(site: Site = {}, over?: { store: MemoryStore; clock: ManualClock }) {
  const store = over?.store ?? new MemoryStore();
  const clock = over?.clock ?? new ManualClock(T0);
  const telephony = new FakeTelephony(() => clock.now());
  const calls = new FakeCalls();
  const finished: (FinishedRecording & { durationSeconds: number })[] = [];
  const repeat = new Map<string, number>();
  const trail: TrailEntry[] = [];
  const service = new QueueService({
    store, telephony, clock, logger,
    queues: (site.queues ?? [{ id: 'support', name: 'Support' }]).map((q) => queueSchema.parse(q)),
    agents: (site.agents ?? [{ id: 'a', endpoint: 'PJSIP/a' }, { id: 'b', endpoint: 'PJSIP/b' }]).map((a) => agentSchema.parse(a)),
    acd: acdSchema.parse(site.acd ?? {}),
    resolvePrompts: async (refs) => refs.map(promptText),
    repeatCalls: async (number) => Array.from({ length: repeat.get(number) ?? 0 }, (_, i) => ({ callId: `earlier-${i}`, startedAt: T0 - (i + 1) * 3_600_000, outcome: 'completed' })),
    recordingFinished: async (recording) => void finished.push(recording),
  });
  service.on('trail', (entry) => trail.push(entry));
  await service.load(calls);

  /** Lets the serial work queue drain, including jobs queued by fire-and-forget promises. */
  const settle = async () => {
    for (let i = 0; i < 8; i++) await service.idle();
  };
  const h = {
    service, telephony, calls, clock, store, finished, repeat, trail, settle,
    snapshot: (): QueuesState => service.snapshot(),
    async login(...agentIds: string[]) {
      for (const id of agentIds) await service.agentAction(id, 'login');
    },
    async join(callId: string, options: { queue?: string; number?: string; priority?: number } = {}) {
      service.join({ callId, channelId: callId, caller: { number: options.number ?? `55501${callId.slice(1).padStart(2, '0')}`, name: `Caller ${callId}` }, language: 'en' }, { id: `req-${callId}`, queue: options.queue ?? 'support', priority: options.priority ?? 0 });
      await settle();
    },
    /** The agent's phone answers the leg ringing for `callId`. */
    async answer(callId: string, agentId: string) {
      const channelId = service.snapshot().legs[callId]?.ringing[agentId];
      if (!channelId) throw new Error(`agent ${agentId} is not ringing for ${callId}`);
      telephony.emit({ type: 'leg-entered', channelId, role: 'agent', args: [callId, agentId] });
      await settle();
      return channelId;
    },
    async emit(event: Parameters<FakeTelephony['emit']>[0]) {
      telephony.emit(event);
      await settle();
    },
    async advance(ms: number) {
      clock.advance(ms);
      await settle();
    },
    /** The caller hangs up: the call is gone and the calls capability says so. */
    async hangUpCaller(callId: string) {
      calls.gone.add(callId);
      service.callEnded(callId);
      await settle();
    },
    agent: (agentId: string) => service.snapshot().acd.agents[agentId]!,
    entry: (callId: string) => service.snapshot().acd.waiting.find((e) => e.callId === callId),
    originates: (role?: string): OriginateLeg[] => telephony.callsOf('originate').map(([leg]) => leg).filter((leg) => role === undefined || leg.role === role),
    /** A caller connected to an agent (whisper off in the queue, or the whisper finished). */
    async connect(callId: string, agentId: string) {
      await h.join(callId);
      const channelId = await h.answer(callId, agentId);
      if (!service.snapshot().legs[callId]?.connected?.bridgedAt) await h.emit({ type: 'playback-finished', channelId, playbackId: `${channelId}-whisper`, failed: false });
      return channelId;
    },
  };
  return h;
}

export const noWhisper = (patch: Record<string, unknown> = {}) => ({ id: 'support', name: 'Support', whisper: false, ...patch });

export async function callbackSetup(site: Site = {}, afterLogin?: (h: Awaited<ReturnType<typeof start>>) => Promise<void>) {
  const h = await start({ queues: [noWhisper({ wrapUpSeconds: 0 })], agents: [{ id: 'a', endpoint: 'PJSIP/a' }], acd: { callbackDial: 'PJSIP/{number}@trunk', callbackCallerId: '4000' }, ...site });
  await h.login('a');
  await afterLogin?.(h);
  await h.connect('c1', 'a');
  await h.advance(1_000);
  await h.join('c2', { number: '555-0102' });
  h.service.keepPlaceForCallback('c2');
  await h.settle();
  await h.hangUpCaller('c2');
  await h.advance(1_000);
  await h.join('c3');
  return h;
}
