// Hand-built finished calls for report tests and the benchmark: a script of what happened, turned
// into the call record and the trail entries the call machine, the flow, the queue and the bot
// write (same types and fields). Time moves only by `wait` steps (plus 1 ms per entry, so the
// trail stays ordered).
import type { CallState, EndedBy, TrailEntry } from '../../calls/call-types.ts';
import type { IvrState } from '../../ivr/ivr-types.ts';

export type Step =
  | { wait: number }
  | { node: string; kind?: string; flow?: string }
  | { queue: string }
  | { agent: string; queue?: string }
  | { overflow: string; to?: string }
  | { exit: string }
  | { callbackKept: string }
  | { transfer: { kind: 'queue'; queueId: string } | { kind: 'agent'; agentId: string } | { kind: 'number'; number: string } }
  | { consult: string; complete: boolean }
  | { survey: number }
  | { repeat: true }
  | { entry: { type: string; [field: string]: unknown } };

export interface Script {
  id: string;
  startedAt: number;
  caller?: string;
  flow?: string;
  steps: Step[];
  /** Who ended the call (default the caller). */
  endedBy?: EndedBy;
  /** How the flow finished, if it did ('queue' once an agent answered, …). */
  finished?: IvrState['finished'];
  outcome?: CallState['outcome'];
}

export interface ScriptedCall {
  call: CallState;
  trail: TrailEntry[];
}

export function scriptedCall(script: Script): ScriptedCall {
  const trail: TrailEntry[] = [];
  let at = script.startedAt;
  let node = '';
  const note = (type: string, fields: Record<string, unknown> = {}) => trail.push({ at: at++, type, ...fields });
  const flowFields = () => (script.flow ? { flow: script.flow, node } : {});
  note('entered', { caller: { number: script.caller ?? '5550100', name: '' }, dialed: '4000', channel: `PJSIP/${script.id}`, flow: script.flow ? { flowId: script.flow, version: 1 } : undefined });
  note('answered');
  if (script.flow) note('flow-start', { flow: script.flow, node: '', version: 1 });
  let finished = script.finished;
  for (const step of script.steps) {
    if ('wait' in step) at += Math.round(step.wait * 1000);
    else if ('node' in step) {
      if (node) note('node-exit', flowFields());
      node = step.node;
      note('node-enter', { flow: step.flow ?? script.flow, node, kind: step.kind ?? 'say' });
    } else if ('queue' in step && !('agent' in step)) note('queue', { ...flowFields(), queue: step.queue, priority: 0 });
    else if ('agent' in step) {
      note('agent-connected', { agentId: step.agent, queue: step.queue, bridgeId: `${script.id}-bridge`, repeatCaller: false });
      finished ??= 'queue';
    } else if ('overflow' in step) note('queue-overflow', step.to ? { queue: step.overflow, reason: 'max-wait', to: `queue:${step.to}` } : { ...flowFields(), queue: step.overflow, reason: 'max-wait', target: 'flow' });
    else if ('exit' in step) note('queue-exit', { ...flowFields(), queue: step.exit });
    else if ('callbackKept' in step) {
      note('queue-callback-kept', { ...flowFields(), queue: step.callbackKept, number: script.caller ?? '5550100' });
      finished ??= 'hangup';
    } else if ('transfer' in step) note('transfer', { mode: 'blind', to: step.transfer, by: 'agent', from: 'agent' });
    else if ('consult' in step) {
      note('transfer', { mode: 'consult', to: { kind: 'agent', agentId: step.consult }, by: 'agent', from: 'agent' });
      if (step.complete) note('transfer-completed', { to: `agent:${step.consult}`, by: 'agent' });
      else note('transfer-cancelled', { to: `agent:${step.consult}`, reason: 'cancelled' });
    } else if ('survey' in step) note('survey', { question: 'csat', score: step.survey });
    else if ('repeat' in step) note('repeat-caller', { recentCalls: 1, windowHours: 24, calls: [] });
    else note(step.entry.type, { ...step.entry });
  }
  const endedBy = script.endedBy ?? 'caller';
  if (endedBy === 'caller') note('hangup', { by: 'caller', cause: 16, node: script.flow ? node : undefined });
  const outcome = script.outcome ?? (endedBy === 'system' ? 'dropped' : 'completed');
  note('ended', { outcome, endedBy, cause: 16 });
  const endedAt = trail.at(-1)!.at;
  const ivr: IvrState | undefined = script.flow
    ? { frames: [{ flowId: script.flow, version: 1 }], nodeId: node, local: {}, vars: {}, language: 'en', hops: 0, timers: [], ...(finished ? { finished } : {}) }
    : undefined;
  const call: CallState = {
    callId: script.id, channelId: script.id, channelName: `PJSIP/${script.id}`, phase: 'ended',
    caller: { number: script.caller ?? '5550100', name: '' }, dialed: '4000',
    startedAt: script.startedAt, answeredAt: script.startedAt + 1, endedAt, endedBy, outcome,
    ...(script.flow ? { flow: { flowId: script.flow, version: 1 } } : {}),
    ...(ivr ? { ivr } : {}),
    digits: '', promptCount: 0, timers: {}, trailLength: trail.length,
  };
  return { call, trail };
}
