// Connects a call to the IVR interpreter: call inputs become IVR events, IVR effects become call
// commands, IVR trail entries join the call's trail. Pure, like the machine itself.
import { handleIvr, startIvr } from '../ivr/interpreter.ts';
import type { CallFacts, IvrEvent, IvrStep } from '../ivr/ivr-types.ts';
import type { CallEnv } from './call-types.ts';
import type { CallStep } from './call-step.ts';

const timerPrefix = 'ivr:';

function facts(step: CallStep, env: CallEnv): CallFacts {
  const s = step.state;
  return { callerNumber: s.caller.number, callerName: s.caller.name, dialed: s.dialed, callId: s.callId, timezone: env.timezone, ...(s.campaign ? { startVars: s.campaign.vars } : {}) };
}

function apply(step: CallStep, result: IvrStep, at: number): void {
  step.state = { ...step.state, ivr: result.state };
  for (const entry of result.trail) step.note(at, entry.type, Object.fromEntries(Object.entries(entry).filter(([k]) => k !== 'type')));
  for (const effect of result.effects) {
    switch (effect.type) {
      case 'play':
        step.play(effect.tag, { prompts: effect.prompts, language: effect.language });
        break;
      case 'stop-play':
        if (step.state.playback?.promptId === effect.tag) step.stopPlayback();
        break;
      case 'set-timer':
        step.setTimer(timerPrefix + effect.name, at + effect.ms);
        break;
      case 'clear-timer':
        step.clearTimer(timerPrefix + effect.name);
        break;
      case 'http':
        step.commands.push({ type: 'http', request: effect });
        break;
      case 'record': {
        const name = `${step.state.callId}-${effect.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
        step.state = { ...step.state, recording: { name, requestId: effect.id } };
        step.commands.push({ type: 'record', requestId: effect.id, name, maxSeconds: effect.maxSeconds, beep: effect.beep, terminateOn: effect.terminateOn });
        break;
      }
      case 'transfer':
        step.state = { ...step.state, transferring: effect.target };
        step.commands.push({ type: 'outside', effect });
        break;
      case 'speech':
      case 'knowledge':
      case 'queue':
      case 'queue-action':
      case 'callback':
        step.commands.push({ type: 'outside', effect });
        break;
      case 'hangup':
        step.hangup(at, `flow: ${effect.reason}`);
        break;
      case 'transcribe':
        step.commands.push({ type: 'transcribe', policy: effect.policy });
        break;
    }
  }
}

export function startFlow(step: CallStep, env: CallEnv, at: number): void {
  const flow = step.state.flow!;
  apply(step, startIvr(env.flows, flow.flowId, flow.version, facts(step, env), at), at);
}

export function feedFlow(step: CallStep, env: CallEnv, event: IvrEvent, at: number): void {
  const ivr = step.state.ivr;
  if (!ivr) return;
  if (event.type === 'effect-failed' && step.state.transferring) step.state = { ...step.state, transferring: undefined };
  apply(step, handleIvr(ivr, event, env.flows, facts(step, env), at), at);
}

export function isFlowTimer(name: string): string | undefined {
  return name.startsWith(timerPrefix) ? name.slice(timerPrefix.length) : undefined;
}
