// Recording a queued conversation: a bridge recording started with the connection (policy
// 'all') or on demand, paused and resumed by API or by the agent's keys (card numbers), and
// handed to the recording store once Asterisk has finished the file. The recordings disk guard
// (src/recordings/disk-guard.ts) holds new recordings back and stops running ones when the disk
// is nearly full; the conversations themselves go on.
import { describeReading, type RecordingSpace, type SpaceReading } from '../recordings/disk-guard.ts';
import { RecordingError } from '../recordings/errors.ts';
import type { QueueHost } from './queue-host.ts';
import { bridgeIdOf, findChannel, type FinishedRecording, type QueueLeg } from './queue-legs.ts';
import { QueueError } from './queue-errors.ts';

export class QueueRecording {
  /** The last digits keyed on each agent leg (pause/resume codes). */
  private readonly agentKeys = new Map<string, string>();
  /** The guard we listen to: subscribed on first use, whenever the deps got it. */
  private watched: RecordingSpace | undefined;

  constructor(private readonly host: QueueHost) {}

  private space(): RecordingSpace | undefined {
    // Absent (a site without the guard wired, unit tests): recordings are never held back.
    const space = this.host.deps.recordingSpace;
    if (space && this.watched !== space) {
      this.watched = space;
      space.onChange((reading) => {
        if (reading.low) void this.host.serial(() => this.stopAll(reading)).catch((e) => this.host.warn(e, 'stopping recordings on a full disk'));
      });
    }
    return space;
  }

  startRecording(callId: string): Promise<string> {
    return this.host.serial(async () => {
      const leg = this.host.state.legs[callId];
      if (!leg?.connected?.bridgedAt) throw new QueueError('NOT_CONNECTED', `call ${callId} is not connected to an agent`);
      if (leg.recording) throw new QueueError('ALREADY_RECORDING', `call ${callId} is already being recorded`);
      const low = await this.diskLow(leg);
      if (low) {
        const { freeGb, minFreeGb, dir } = describeReading(low);
        throw new RecordingError('DESKLINE_RECORDING_DISK_LOW', `not recording call ${callId}: ${freeGb} GB free on the recordings disk (${dir}), below recordings.minFreeGb ${minFreeGb}`);
      }
      return this.recordNow(leg);
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

  /** Starts recording a connected call (policy 'all'); a nearly full disk skips it (noted on the call's trail). */
  async record(leg: QueueLeg): Promise<string | undefined> {
    if (await this.diskLow(leg)) return undefined;
    return this.recordNow(leg);
  }

  /** The disk guard's verdict before a recording starts: when low, the call's trail says so and why. */
  private async diskLow(leg: QueueLeg): Promise<SpaceReading | undefined> {
    const reading = await this.space()?.check();
    if (!reading?.low) return undefined;
    const detail = describeReading(reading);
    this.host.calls.note(leg.callId, { type: 'recording-skipped', reason: 'disk-low', freeGb: detail.freeGb, minFreeGb: detail.minFreeGb });
    return reading;
  }

  private async recordNow(leg: QueueLeg): Promise<string> {
    const name = `${leg.callId}-rec${leg.legCount + 1}`.replace(/[^A-Za-z0-9_.-]/g, '_');
    await this.host.deps.telephony.recordBridge(leg.connected!.bridgeId, name, { maxSeconds: 4 * 3600 });
    this.host.putLeg({ ...leg, legCount: leg.legCount + 1, recording: { name, startedAt: this.host.deps.clock.now(), pauses: [] } });
    await this.host.persist([]);
    this.host.calls.note(leg.callId, { type: 'recording-started', name });
    return name;
  }

  /**
   * The disk is nearly full: every running recording is stopped now. What was recorded is kept
   * (Asterisk finishes the file; RecordingFinished hands it to the store as usual) while the
   * caller and agent stay bridged.
   */
  private async stopAll(reading: SpaceReading): Promise<void> {
    const detail = describeReading(reading);
    const now = this.host.deps.clock.now();
    for (const leg of Object.values(this.host.state.legs)) {
      const open = leg.recording;
      if (!open || !leg.connected) continue;
      await this.host.deps.telephony.stopRecording(open.name).catch((e) => this.host.warn(e, 'stopping a recording on a full disk'));
      const recording = open.pausedAt === undefined ? open : { ...open, pausedAt: undefined, pauses: [...open.pauses, { at: open.pausedAt, seconds: (now - open.pausedAt) / 1000 }] };
      const finished: FinishedRecording = { ...recording, callId: leg.callId, queueId: leg.queueId, agentId: leg.connected.agentId, caller: leg.caller };
      this.host.state = { ...this.host.state, recordings: { ...this.host.state.recordings, [open.name]: finished } };
      this.host.putLeg({ ...leg, recording: undefined });
      await this.host.persist([]);
      this.host.calls.note(leg.callId, { type: 'recording-stopped', name: open.name, reason: 'disk-low', freeGb: detail.freeGb, minFreeGb: detail.minFreeGb });
    }
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
    // A recording stopped mid-call (disk nearly full) finishes while the conversation still uses the bridge.
    if (!this.host.state.legs[finished.callId]?.connected) await this.host.deps.telephony.destroyBridge(bridgeIdOf(finished.callId)).catch(() => undefined);
    if (failed) return this.host.deps.logger.error({ name, callId: finished.callId }, 'call recording failed in Asterisk');
    await this.host.deps.recordingFinished({ ...finished, durationSeconds }).catch((error: Error) => this.host.deps.logger.error({ err: error, name }, 'recording could not be stored'));
  }
}
