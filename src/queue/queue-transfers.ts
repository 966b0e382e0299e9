// Transfers of a call connected to an agent: blind (to a queue, an agent's personal queue, or a
// number through the dialplan) and attended (consult while the caller holds; complete or cancel).
import { agentPhone, type AgentSettings, type QueueSettings } from './queue-config.ts';
import type { QueueHost } from './queue-host.ts';
import type { QueueLeg } from './queue-legs.ts';
import { QueueError } from './queue-errors.ts';

export type TransferTarget = { kind: 'queue'; queueId: string } | { kind: 'agent'; agentId: string } | { kind: 'number'; number: string };

/** The hidden queue of one agent: callers transferred to them wait here. */
export const personalQueueId = (agentId: string) => `@agent:${agentId}`;
export const personalSkill = personalQueueId;

export function personalQueue(agent: AgentSettings): QueueSettings {
  return {
    id: personalQueueId(agent.id), name: agent.name ?? agent.id, strategy: 'ring-all',
    requiredSkills: [{ skill: personalSkill(agent.id), minLevel: 1 }], relaxation: [],
    ringTimeoutSeconds: 20, maxWaitSeconds: 180, maxLength: 50, wrapUpSeconds: 0, autoPauseAfterMisses: 0,
    overflow: { kind: 'flow' }, musicOnHold: 'default', recording: 'none', whisper: true, callbackMode: 'customer-first', transcription: 'off',
  };
}

export class QueueTransfers {
  constructor(private readonly host: QueueHost) {}

  /**
   * Blind transfer of a connected call: the agent is released (wrap-up) and the caller goes to
   * another queue, another agent (their personal queue: rung when free, in order) or a number.
   */
  blindTransfer(callId: string, to: TransferTarget, by: string): Promise<void> {
    return this.host.serial(async () => {
      const leg = this.connectedLeg(callId);
      this.checkTarget(to);
      this.host.calls.note(callId, { type: 'transfer', mode: 'blind', to, by, from: leg.connected!.agentId });
      if (to.kind === 'number') {
        this.host.calls.transferring(callId, to.number);
        await this.host.deps.telephony.continueInDialplan(leg.channelId, 'deskline-transfer', to.number).catch((error: Error) => {
          throw new QueueError('TRANSFER_FAILED', `transfer of ${callId} to ${to.number}: ${error.message}`);
        });
        await this.host.endConnected(leg, 'transferred');
        return;
      }
      const queueId = to.kind === 'queue' ? to.queueId : personalQueueId(to.agentId);
      await this.leaveBridge(leg);
      await this.host.endConnected(leg, 'transferred');
      // endConnected dropped the leg (nothing left of the conversation): it starts again in the new queue.
      this.host.putLeg({ ...leg, connected: undefined, recording: undefined, ringing: {}, queueId, transferredFrom: leg.queueId });
      await this.host.apply({ type: 'caller-joined', callId, queueId, priority: 0 });
      if (this.host.entry(callId)) await this.host.deps.telephony.startMoh(leg.channelId, this.host.settings.get(queueId)!.musicOnHold).catch(() => undefined);
    });
  }

  /** Attended transfer, step 1: the caller holds (music) while the agent talks to the target. */
  consult(callId: string, to: Exclude<TransferTarget, { kind: 'queue' }>, by: string): Promise<string> {
    return this.host.serial(async () => {
      const leg = this.connectedLeg(callId);
      this.checkTarget(to);
      if (leg.consult) throw new QueueError('BAD_TARGET', `call ${callId} is already consulting ${leg.consult.target}`);
      const endpoint = to.kind === 'agent' ? agentPhone(this.host.agentSettings.get(to.agentId)!).endpoint : this.host.deps.acd.transferDial.replace('{number}', to.number);
      const target = to.kind === 'agent' ? `agent:${to.agentId}` : to.number;
      const channelId = `${callId}-consult${leg.legCount + 1}`;
      await this.host.deps.telephony.removeFromBridge(leg.connected!.bridgeId, [leg.channelId]).catch(() => undefined);
      await this.host.deps.telephony.startMoh(leg.channelId, this.host.settings.get(leg.queueId)!.musicOnHold).catch(() => undefined);
      this.host.putLeg({ ...leg, legCount: leg.legCount + 1, consult: { channelId, target, agentId: to.kind === 'agent' ? to.agentId : undefined } });
      await this.host.persist([]);
      this.host.calls.note(callId, { type: 'transfer', mode: 'consult', to, by, from: leg.connected!.agentId });
      await this.host.deps.telephony.originate({ channelId, endpoint, role: 'consult', args: [callId], callerId: leg.caller, timeoutSeconds: 30 }).catch(async (error: Error) => {
        await this.cancelConsult(callId, `the target could not be called: ${error.message}`);
        throw new QueueError('TRANSFER_FAILED', `consulting ${target}: ${error.message}`);
      });
      return channelId;
    });
  }

  /** Attended transfer, step 2: the caller joins the target and the agent leaves. */
  completeTransfer(callId: string, by: string): Promise<void> {
    return this.host.serial(async () => {
      const leg = this.connectedLeg(callId);
      const consult = leg.consult;
      if (!consult?.answered) throw new QueueError('NO_CONSULTATION', `call ${callId} has no answered consultation to complete`);
      const connected = leg.connected!;
      await this.host.deps.telephony.stopMoh(leg.channelId).catch(() => undefined);
      await this.host.deps.telephony.addToBridge(connected.bridgeId, [leg.channelId]);
      await this.host.deps.telephony.removeFromBridge(connected.bridgeId, [connected.channelId]).catch(() => undefined);
      // The agent's part is over (wrap-up); the call goes on between the caller and the target.
      await this.host.apply({ type: 'call-ended', agentId: connected.agentId, callId });
      await this.host.deps.telephony.hangup(connected.channelId).catch(() => undefined);
      this.host.putLeg({ ...this.host.state.legs[callId]!, consult: undefined, connected: { agentId: consult.agentId ?? `external:${consult.target}`, channelId: consult.channelId, bridgeId: connected.bridgeId, at: this.host.deps.clock.now(), bridgedAt: this.host.deps.clock.now() } });
      await this.host.persist([]);
      this.host.calls.note(callId, { type: 'transfer-completed', to: consult.target, by });
    });
  }

  /** Attended transfer abandoned: the target is hung up and the caller is back with the agent. */
  cancelTransfer(callId: string, by: string): Promise<void> {
    return this.host.serial(() => this.cancelConsult(callId, `cancelled by ${by}`));
  }

  async cancelConsult(callId: string, reason: string): Promise<void> {
    const leg = this.host.state.legs[callId];
    if (!leg?.consult || !leg.connected) throw new QueueError('NO_CONSULTATION', `call ${callId} is not consulting anyone`);
    const { consult } = leg;
    this.host.putLeg({ ...leg, consult: undefined });
    await this.host.persist([]);
    await this.host.deps.telephony.hangup(consult.channelId).catch(() => undefined);
    await this.host.deps.telephony.stopMoh(leg.channelId).catch(() => undefined);
    await this.host.deps.telephony.addToBridge(leg.connected.bridgeId, [leg.channelId]).catch((e) => this.host.warn(e, 'taking the caller back'));
    this.host.calls.note(callId, { type: 'transfer-cancelled', to: consult.target, reason });
  }

  private connectedLeg(callId: string): QueueLeg {
    const leg = this.host.state.legs[callId];
    if (!leg?.connected?.bridgedAt) throw new QueueError('NOT_CONNECTED', `call ${callId} is not connected to an agent`);
    return leg;
  }

  private checkTarget(to: TransferTarget): void {
    if (to.kind === 'queue' && (!this.host.settings.has(to.queueId) || to.queueId.startsWith('@'))) throw new QueueError('QUEUE_UNKNOWN', `queue ${to.queueId} is not configured on this site`);
    if (to.kind === 'agent' && !this.host.agentSettings.has(to.agentId)) throw new QueueError('AGENT_UNKNOWN', `agent ${to.agentId} is not configured on this site`);
    if (to.kind === 'number' && !/^[0-9A-Za-z+*#]{1,40}$/.test(to.number)) throw new QueueError('BAD_TARGET', `${JSON.stringify(to.number)} is not a dialable number`);
  }

  /** Takes the caller out of the conversation's bridge (the recording, if any, is stopped first). */
  private async leaveBridge(leg: QueueLeg): Promise<void> {
    if (leg.recording) await this.host.deps.telephony.stopRecording(leg.recording.name).catch((e) => this.host.warn(e, 'stopping the recording'));
    await this.host.deps.telephony.removeFromBridge(leg.connected!.bridgeId, [leg.channelId]).catch(() => undefined);
  }

  /** The consulted party answered: agent and target talk while the caller holds. */
  async consultAnswered(channelId: string, callId: string): Promise<void> {
    const leg = this.host.state.legs[callId];
    if (!leg?.consult || leg.consult.channelId !== channelId || !leg.connected) return void (await this.host.deps.telephony.hangup(channelId).catch(() => undefined));
    await this.host.deps.telephony.addToBridge(leg.connected.bridgeId, [channelId]);
    this.host.putLeg({ ...leg, consult: { ...leg.consult, answered: true } });
    await this.host.persist([]);
    this.host.calls.note(callId, { type: 'transfer-consulting', to: leg.consult.target });
  }

  /** The call whose consultation leg this channel is, if any. */
  consulting(channelId: string): string | undefined {
    return Object.values(this.host.state.legs).find((l) => l.consult?.channelId === channelId)?.callId;
  }
}
