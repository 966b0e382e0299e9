// Recording a queued conversation: a bridge recording started with the connection (policy
// 'all') or on demand, paused and resumed by API or by the agent's keys (card numbers), and
// handed to the recording store once Asterisk has finished the file.
import type { QueueHost } from './queue-host.ts';
import { bridgeIdOf, findChannel, type QueueLeg } from './queue-legs.ts';
import { QueueError } from './queue-errors.ts';

export class QueueRecording {
  /** The last digits keyed on each agent leg (pause/resume codes). */
  private readonly agentKeys = new Map<string, string>();

  constructor(private readonly host: QueueHost) {}

  startRecording(callId: string): Promise<string> {
    return this.host.serial(async () => {
      const leg = this.host.state.legs[callId];
      if (!leg?.connected?.bridgedAt) throw new QueueError('NOT_CONNECTED', `call ${callId} is not connected to an agent`);
      if (leg.recording) throw new QueueError('ALREADY_RECORDING', `call ${callId} is already being recorded`);
      return this.record(leg);
    });
  }

  pauseRecording(callId: string, pause: boolean): Promise<void> {
    return this.host.serial(async () => {
      const leg = this.host.state.legs[callId];
      if (!leg?.recording) throw new QueueError('NOT_RECORDING', `call ${callId} is not being recorded`);
      await this.setPaused(leg, pause, 'api', true);
    });
  }

  /** Pauses or resumes; the paused span is kept (at, seconds) for the recording's metadata. */
  private async setPaused(leg: QueueLeg, pause: boolean, by: 'api' | 'agent', strict: boolean): Promise<void> {
    const recording = leg.recording!;
    if (pause === (recording.pausedAt !== undefined)) return;
    const at = this.host.deps.clock.now();
    const { telephony } = this.host.deps;
    const asked = pause ? telephony.pauseRecording(recording.name) : telephony.resumeRecording(recording.name);
    // The API reports a refusal to its caller; a key pressed by the agent is only logged.
    if (strict) await asked;
    else await asked.catch((e) => this.host.warn(e, pause ? 'pausing the recording' : 'resuming the recording'));
    const next = pause
      ? { ...recording, pausedAt: at }
      : { ...recording, pausedAt: undefined, pauses: [...recording.pauses, { at: recording.pausedAt!, seconds: (at - recording.pausedAt!) / 1000 }] };
    this.host.putLeg({ ...leg, recording: next });
    await this.host.persist([]);
    this.host.calls.note(leg.callId, { type: pause ? 'recording-paused' : 'recording-resumed', name: recording.name, ...(by === 'agent' ? { by } : {}) });
  }

  async record(leg: QueueLeg): Promise<string> {
    const name = `${leg.callId}-rec${leg.legCount + 1}`.replace(/[^A-Za-z0-9_.-]/g, '_');
    await this.host.deps.telephony.recordBridge(leg.connected!.bridgeId, name, { maxSeconds: 4 * 3600 });
    this.host.putLeg({ ...leg, legCount: leg.legCount + 1, recording: { name, startedAt: this.host.deps.clock.now(), pauses: [] } });
    await this.host.persist([]);
    this.host.calls.note(leg.callId, { type: 'recording-started', name });
    return name;
  }

  /** A digit keyed on an agent leg: the pause and resume codes act on that call's recording. */
  async agentKey(channelId: string, digit: string): Promise<void> {
    const found = findChannel(this.host.state.legs, channelId);
    if (found?.role !== 'agent' || !found.leg.recording) return;
    const keys = ((this.agentKeys.get(channelId) ?? '') + digit).slice(-8);
    this.agentKeys.set(channelId, keys);
    const codes = this.host.deps.acd.featureCodes;
    const pause = keys.endsWith(codes.recordingPause);
    const resume = keys.endsWith(codes.recordingResume);
    if (!pause && !resume) return;
    this.agentKeys.delete(channelId);
    await this.setPaused(found.leg, pause, 'agent', false);
  }

  async recordingDone(name: string, durationSeconds: number, failed: boolean): Promise<void> {
    const finished = this.host.state.recordings[name];
    if (!finished) return;
    const { [name]: _done, ...recordings } = this.host.state.recordings;
    this.host.state = { ...this.host.state, recordings };
    await this.host.persist([]);
    await this.host.deps.telephony.destroyBridge(bridgeIdOf(finished.callId)).catch(() => undefined);
    if (failed) return this.host.deps.logger.error({ name, callId: finished.callId }, 'call recording failed in Asterisk');
    await this.host.deps.recordingFinished({ ...finished, durationSeconds }).catch((error: Error) => this.host.deps.logger.error({ err: error, name }, 'recording could not be stored'));
  }
}
