// Live transcription of calls: when a call enters, its caller leg (and, with policy "both",
// what the caller hears) is snooped, bridged to an External Media channel, and streamed as RTP to
// a speech engine on this box. Final results join the call record; partials are live events only.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Telephony } from '../telephony/telephony.ts';
import type { CallService } from './call-service.ts';
import type { CallState } from './call-types.ts';
// Types only: the event shape is the speech layer's; nothing native is loaded by this import.
import type { Leg, TranscriptEvent } from '../speech/transcriber.ts';

export type { Leg, TranscriptEvent };

/** One leg's audio sink: an RTP port on loopback feeding a transcriber. */
export interface MediaLeg {
  readonly port: number;
  readonly format: 'ulaw' | 'slin16';
  /** Wall-clock ms of the first audio received, when the engine knows it. */
  readonly firstAudioAt?: number | undefined;
  close(): Promise<void>;
}

export interface TranscriptionEngine {
  openLeg(callId: string, leg: Leg, onEvent: (event: TranscriptEvent) => void, language: string): Promise<MediaLeg>;
}

export type TranscriptionPolicy = 'off' | 'caller' | 'both';

interface Active {
  legs: { leg: Leg; media: MediaLeg; snoopId: string; mediaId: string; bridgeId: string }[];
  /** Settles when every leg is open (or failed); a call may end before that. */
  started: Promise<void>;
  closing?: Promise<void>;
}

/** When the leg's audio clock started (wall ms): event times are relative to it. */
export interface TranscriptTiming {
  openedAt: number;
}

export class CallTranscription extends EventEmitter<{ transcript: [CallState, TranscriptEvent, TranscriptTiming] }> {
  private readonly active = new Map<string, Active>();
  private readonly closed = new Set<Promise<void>>();

  constructor(
    private readonly deps: { calls: CallService; telephony: Telephony; engine: TranscriptionEngine; policy: (state: CallState) => TranscriptionPolicy; language: (state: CallState) => string; logger: Logger; now?: () => number },
  ) {
    super();
    deps.calls.on('trail', (state, entry) => {
      // Set up at entry, not at answer: the media path takes a few ARI round trips, and under
      // load those would cut off the caller's first words.
      if (entry.type !== 'entered') return;
      const policy = deps.policy(state);
      if (policy !== 'off') void this.start(state, policy);
    });
    deps.calls.on('ended', (state) => void this.stop(state.callId));
    deps.calls.on('reconciled', (live) => void this.removeOrphans(live));
  }

  /**
   * After a reconnect or a restart: helper channels and bridges of calls that are no longer live
   * would otherwise stay in Asterisk forever (External Media channels outlive their peers).
   */
  private async removeOrphans(live: Set<string>): Promise<void> {
    const { telephony, logger } = this.deps;
    const callOf = (id: string) => /^(.+)-(snoop|media|tx)-(in|out)$/.exec(id)?.[1];
    const orphan = (id: string) => {
      const callId = callOf(id);
      return callId !== undefined && !live.has(callId) && !this.active.has(callId);
    };
    try {
      const bridges = (await telephony.listBridges()).filter((b) => orphan(b.id));
      const channels = (await telephony.listChannels()).filter((c) => orphan(c.id));
      for (const c of channels) await telephony.hangup(c.id).catch(() => undefined);
      for (const b of bridges) await telephony.destroyBridge(b.id).catch(() => undefined);
      if (bridges.length || channels.length) logger.info({ channels: channels.length, bridges: bridges.length }, 'removed transcription channels and bridges left by ended calls');
    } catch (error) {
      logger.warn({ err: error }, 'could not list channels and bridges to remove orphans');
    }
  }

  /** Starts transcribing a live call that is not yet (a queue with its own policy took it). */
  ensure(state: CallState, policy: TranscriptionPolicy): void {
    if (policy === 'off' || this.active.has(state.callId) || state.phase === 'ended') return;
    void this.start(state, policy);
  }

  activeLegs(): number {
    return [...this.active.values()].reduce((n, a) => n + a.legs.length, 0);
  }

  private async start(state: CallState, policy: TranscriptionPolicy): Promise<void> {
    let startedAll!: () => void;
    const active: Active = { legs: [], started: new Promise((resolve) => (startedAll = resolve)) };
    this.active.set(state.callId, active);
    try {
      await this.startLegs(state, policy, active);
    } finally {
      startedAll();
    }
  }

  private async startLegs(state: CallState, policy: TranscriptionPolicy, active: Active): Promise<void> {
    const { telephony, engine, calls, logger } = this.deps;
    const legs: { leg: Leg; spy: 'in' | 'out' }[] = [{ leg: 'caller', spy: 'in' }];
    if (policy === 'both') legs.push({ leg: 'agent', spy: 'out' });
    for (const { leg, spy } of legs) {
      const ids = { snoopId: `${state.callId}-snoop-${spy}`, mediaId: `${state.callId}-media-${spy}`, bridgeId: `${state.callId}-tx-${spy}` };
      try {
        // Transcript times count audio from its first sample: anchor them at the first audio's
        // arrival (until it is known, at the leg's opening, which can only be earlier).
        const openedAt = (this.deps.now ?? Date.now)();
        let media: MediaLeg | undefined;
        const timing = { get openedAt() { return media?.firstAudioAt ?? openedAt; } };
        media = await engine.openLeg(state.callId, leg, (event) => {
          this.emit('transcript', state, event, timing);
          if (event.type === 'final' && event.text.trim()) {
            // audioStartedAt: what startMs counts from, so a recording player can place the line exactly.
            calls.note(state.callId, { type: 'transcript', leg, text: event.text, startMs: event.startMs, endMs: event.endMs, confidence: event.confidence, audioStartedAt: timing.openedAt });
          }
        }, this.deps.language(state));
        active.legs.push({ leg, media, ...ids });
        if (active.closing) return;
        await Promise.all([telephony.snoop(state.channelId, ids.snoopId, spy), telephony.externalMedia(ids.mediaId, '127.0.0.1', media.port, media.format)]);
        await telephony.bridge(ids.bridgeId, [ids.snoopId, ids.mediaId]);
        logger.debug({ callId: state.callId, leg, port: media.port }, 'transcription leg started');
      } catch (error) {
        logger.warn({ callId: state.callId, leg, err: error }, 'transcription could not start for this leg; the call goes on without it');
        calls.note(state.callId, { type: 'error', code: 'TRANSCRIPTION_FAILED', leg, message: (error as Error).message });
      }
    }
  }

  /** Hangs up the helper channels (they outlive the call otherwise), then flushes the transcriber. */
  private async stop(callId: string): Promise<void> {
    const active = this.active.get(callId);
    if (!active || active.closing) return active?.closing;
    active.closing = (async () => {
      // A call can end while its legs are still opening (a loaded box, a short call): wait for
      // them, or a leg opened after this point would never be closed and its words never flushed.
      await active.started;
      for (const leg of active.legs) {
        await this.deps.telephony.hangup(leg.mediaId).catch(() => undefined);
        await this.deps.telephony.hangup(leg.snoopId).catch(() => undefined);
        await this.deps.telephony.destroyBridge(leg.bridgeId).catch(() => undefined);
        await leg.media.close().catch((error) => this.deps.logger.warn({ err: error, callId }, 'closing a transcription leg failed'));
      }
      this.active.delete(callId);
    })();
    const closing = active.closing;
    this.closed.add(closing);
    void closing.finally(() => this.closed.delete(closing));
    return closing;
  }

  /** Resolves when every leg being closed has flushed its last words into the record. */
  async idle(): Promise<void> {
    await Promise.all([...this.closed]);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id)));
  }
}
