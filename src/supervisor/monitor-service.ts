// Supervisor monitoring of live calls through ARI snoop channels:
//   listen   hears caller and agent; nobody hears the supervisor (whisper: none)
//   whisper  coaches the agent: snoops the agent's leg and speaks into what the agent hears only
//   barge    joins the conversation: speaks into the caller's leg both ways, so both hear
// The supervisor is reached on a phone (dial string, answered like an agent leg) or, for the web
// console and tests, as an RTP stream (External Media). Every start and stop is audit-logged.
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { SnoopDirection, Telephony, TelephonyEvent } from '../telephony/telephony.ts';

export type MonitorMode = 'listen' | 'whisper' | 'barge';

export type MonitorSink =
  | { kind: 'phone'; endpoint: string }
  | { kind: 'rtp'; host: string; port: number; format: 'ulaw' | 'slin16' };

/** A conversation a supervisor may join: the customer's channel and the agent's. */
export interface LiveConversation {
  callId: string;
  customerChannelId: string;
  agentChannelId: string;
}

export interface Monitoring {
  id: string;
  callId: string;
  mode: MonitorMode;
  supervisor: string;
  startedAt: number;
  snoopId: string;
  sinkId: string;
  bridgeId: string;
  /** For RTP sinks: where to send the supervisor's voice back (whisper and barge). */
  rtpReturn?: { host: string; port: number };
}

export class MonitorError extends Error {
  constructor(readonly code: 'NOT_CONNECTED' | 'UNKNOWN_MONITOR' | 'MONITOR_FAILED', message: string) {
    super(message);
  }
}

export interface MonitorDeps {
  telephony: Telephony;
  clock: Clock;
  logger: Logger;
  /** The live conversation of a call, if it is connected to an agent. */
  conversation(callId: string): LiveConversation | undefined;
  audit(entry: { actor: string; action: string; target: string; detail?: Record<string, unknown> }): Promise<void>;
}

/** Which leg is snooped and where the supervisor's audio goes, per mode. */
export function snoopPlan(mode: MonitorMode): { leg: 'customer' | 'agent'; spy: 'both'; whisper: SnoopDirection } {
  if (mode === 'listen') return { leg: 'customer', spy: 'both', whisper: 'none' };
  if (mode === 'whisper') return { leg: 'agent', spy: 'both', whisper: 'out' };
  return { leg: 'customer', spy: 'both', whisper: 'both' };
}

export class MonitorService {
  private readonly active = new Map<string, Monitoring>();
  private count = 0;

  constructor(private readonly deps: MonitorDeps) {
    deps.telephony.onEvent((event) => this.onEvent(event));
  }

  list(): Monitoring[] {
    return [...this.active.values()];
  }

  async start(callId: string, mode: MonitorMode, sink: MonitorSink, supervisor: string): Promise<Monitoring> {
    const { telephony, clock } = this.deps;
    const conversation = this.deps.conversation(callId);
    if (!conversation) throw new MonitorError('NOT_CONNECTED', `call ${callId} is not connected to an agent`);
    const plan = snoopPlan(mode);
    const id = `${callId}-mon${++this.count}`;
    const monitoring: Monitoring = { id, callId, mode, supervisor, startedAt: clock.now(), snoopId: `${id}-snoop`, sinkId: `${id}-sink`, bridgeId: `${id}-bridge` };
    const target = plan.leg === 'customer' ? conversation.customerChannelId : conversation.agentChannelId;
    try {
      await telephony.snoop(target, monitoring.snoopId, plan.spy, { whisper: plan.whisper, role: 'monitor', args: [callId] });
      if (sink.kind === 'rtp') {
        const local = await telephony.externalMedia(monitoring.sinkId, sink.host, sink.port, sink.format);
        if (local.localPort) monitoring.rtpReturn = { host: local.localHost ?? '127.0.0.1', port: local.localPort };
        await telephony.bridge(monitoring.bridgeId, [monitoring.snoopId, monitoring.sinkId]);
      } else {
        // The supervisor's phone is bridged when it answers (leg-entered 'supervisor').
        await telephony.bridge(monitoring.bridgeId, [monitoring.snoopId]);
        await telephony.originate({ channelId: monitoring.sinkId, endpoint: sink.endpoint, role: 'supervisor', args: [id], callerId: { number: '', name: `${mode} ${callId}` }, timeoutSeconds: 30 });
      }
    } catch (error) {
      await this.teardown(monitoring);
      throw new MonitorError('MONITOR_FAILED', `could not ${mode} on call ${callId}: ${(error as Error).message}`);
    }
    this.active.set(id, monitoring);
    await this.deps.audit({ actor: supervisor, action: `call.${mode}`, target: callId, detail: { monitorId: id, sink: sink.kind } });
    this.deps.logger.info({ callId, mode, supervisor, monitorId: id }, 'supervisor monitoring started');
    return monitoring;
  }

  async stop(id: string, by: string): Promise<void> {
    const monitoring = this.active.get(id);
    if (!monitoring) throw new MonitorError('UNKNOWN_MONITOR', `no monitoring ${id}`);
    await this.teardown(monitoring);
    await this.deps.audit({ actor: by, action: 'call.monitor-stop', target: monitoring.callId, detail: { monitorId: id } });
  }

  private async teardown(monitoring: Monitoring): Promise<void> {
    this.active.delete(monitoring.id);
    const { telephony } = this.deps;
    await telephony.hangup(monitoring.sinkId).catch(() => undefined);
    await telephony.hangup(monitoring.snoopId).catch(() => undefined);
    await telephony.destroyBridge(monitoring.bridgeId).catch(() => undefined);
  }

  private onEvent(event: TelephonyEvent): void {
    if (event.type === 'leg-entered' && event.role === 'supervisor') {
      const monitoring = this.active.get(event.args[0] ?? '');
      if (monitoring) void this.deps.telephony.addToBridge(monitoring.bridgeId, [event.channelId]).catch((error) => this.deps.logger.warn({ err: error }, 'supervisor phone could not join'));
      return;
    }
    // The monitored call ended (its snoop went away) or the supervisor hung up: clean up.
    if (event.type === 'left' || event.type === 'destroyed') {
      for (const monitoring of this.active.values()) {
        if (event.channelId === monitoring.snoopId || event.channelId === monitoring.sinkId) void this.teardown(monitoring);
      }
    }
  }
}
