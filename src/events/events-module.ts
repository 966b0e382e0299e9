// Wiring only: what the running capabilities report becomes live events for browsers (the admin
// API's GET /events). Queue figures are sent at most once a second: the queue state changes on
// every call and agent event, and a wallboard needs no more.
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { CallState } from '../calls/call-types.ts';
import type { CallService } from '../calls/call-service.ts';
import type { CallTranscription } from '../calls/call-transcription.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { AssistService } from '../knowledge/assist/assist-service.ts';
import type { FollowupService } from '../followups/followup-service.ts';
import { liveSignal } from '../followups/followup-events.ts';
import { LiveEvents } from './live-events.ts';
import { watchLink, type LinkSource } from './link-alarms.ts';

export interface LiveSources {
  calls: Pick<CallService, 'on'>;
  queues?: Pick<QueueService, 'on'>;
  queueFigures?: () => unknown[];
  transcription?: Pick<CallTranscription, 'on'>;
  assist: Pick<AssistService, 'on'>;
  followups?: Pick<FollowupService, 'on'>;
  /** The link to Asterisk: lost, back, Asterisk restarted (alerts, for holders of alerts.read). */
  link?: LinkSource;
}

export function startLiveEvents(sources: LiveSources, clock: Clock): LiveEvents {
  const hub = new LiveEvents({ now: () => clock.now() });
  const call = (s: CallState) => ({ callId: s.callId, caller: s.caller.number, callerName: s.caller.name, dialed: s.dialed, startedAt: s.startedAt, flowId: s.flow?.flowId ?? null });
  sources.calls.on('trail', (state, entry) => {
    if (entry.type === 'entered') hub.publish('call.started', 'calls.read', call(state), state.callId);
    if (entry.type === 'agent-connected') hub.publish('call.agent-connected', 'calls.read', { agentId: entry.agentId, queue: entry.queue }, state.callId);
  });
  sources.calls.on('ended', (state) => hub.publish('call.ended', 'calls.read', { ...call(state), endedAt: state.endedAt, outcome: state.outcome ?? null }, state.callId));
  if (sources.queues) {
    let pending: TimerHandle | undefined;
    sources.queues.on('changed', () => {
      if (pending || !sources.queueFigures) return;
      pending = clock.at(clock.now() + 1000, () => {
        pending = undefined;
        hub.publish('queue.stats', 'queues.read', { queues: sources.queueFigures!() });
      });
    });
    sources.queues.on('trail', (entry) => {
      // Supervisors see every agent's state; an agent their own (the agent console follows it).
      if (entry.type === 'agent-state') hub.publish('agent.state', 'agents.read', { agentId: entry.agentId, from: entry.from, to: entry.to, ...(entry.reason ? { reason: entry.reason } : {}) }, undefined, String(entry.agentId));
    });
  }
  // Transcripts of a call: supervisors (calls.read), and the call's own agent (assist.use).
  sources.transcription?.on('transcript', (state, e) => {
    if (e.type !== 'final' || !e.text.trim()) return;
    hub.publish('transcript', 'assist.use', { leg: e.leg, text: e.text, startMs: e.startMs, endMs: e.endMs }, state.callId);
  });
  sources.assist.on('suggestions', (e) => hub.publish('assist.suggestions', 'assist.use', { suggestions: e.suggestions, query: e.query, final: e.final }, e.callId));
  sources.assist.on('escalation', (e) => hub.publish('alert', 'alerts.read', { kind: 'escalation', phrase: e.phrase, leg: e.leg, text: e.text }, e.callId));
  // Follow-ups: a signal of which one changed (agents may see only some: they fetch it, access checked).
  sources.followups?.on('created', (f) => hub.publish('followup.created', 'followups.read', liveSignal(f)));
  sources.followups?.on('updated', (f, _before, changed) => hub.publish('followup.updated', 'followups.read', { ...liveSignal(f), changed }));
  sources.followups?.on('closed', (f) => hub.publish('followup.closed', 'followups.read', liveSignal(f)));
  sources.followups?.on('reminder', (r) => hub.publish('followup.reminder', 'followups.read', { reminder: r.kind, ...liveSignal(r.followup) }));
  // Link alarms as alerts (alerts.read): raised when they happen, so a short outage is seen too.
  if (sources.link) watchLink(sources.link, () => clock.now(), ({ name, ...detail }) => hub.publish('alert', 'alerts.read', { kind: name, ...detail }));
  return hub;
}
