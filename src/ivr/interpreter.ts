// The IVR interpreter: pure functions from (state, event) to (state, effects, trail). The same
// code runs real calls (driven by the call machine) and `deskline flows simulate`.
import { ExpressionError } from './expression/index.ts';
import type { CallFacts, IvrEvent, IvrState, IvrStep } from './ivr-types.ts';
import { nodeKinds } from './nodes/index.ts';
import { IvrFault, Runtime, type FlowLookup } from './runtime.ts';

function faultOf(error: unknown): { code: string; message: string } {
  if (error instanceof IvrFault) return { code: error.code, message: error.message };
  if (error instanceof ExpressionError) return { code: `IVR_${error.code}`, message: error.message };
  throw error;
}

/** Runs one piece of node code; a fault takes the node's onError branch, and a second fault ends the call. */
function guarded(rt: Runtime, body: () => void): void {
  try {
    body();
  } catch (first) {
    const fault = faultOf(first);
    try {
      rt.fail(fault.code, fault.message);
    } catch (second) {
      const again = faultOf(second);
      rt.note('error', { code: again.code, message: again.message });
      rt.finish('error', again.code);
    }
  }
}

function done(rt: Runtime): IvrStep {
  return { state: rt.state, effects: rt.effects, trail: rt.trail };
}

export function startIvr(flows: FlowLookup, flowId: string, version: number, facts: CallFacts, now: number): IvrStep {
  const flow = flows.get(flowId, version);
  if (!flow) throw new IvrFault('IVR_FLOW_MISSING', `flow ${flowId} v${version} is not available`);
  const state: IvrState = {
    frames: [{ flowId, version }],
    nodeId: flow.start,
    local: {},
    // Only variables the flow declares take start values: a contact's other fields stay out.
    vars: { ...(flow.variables ?? {}), ...Object.fromEntries(Object.entries(facts.startVars ?? {}).filter(([k]) => Object.hasOwn(flow.variables ?? {}, k))) },
    language: flow.defaultLanguage,
    hops: 0,
    timers: [],
  };
  const rt = new Runtime(state, flows, nodeKinds, facts, now);
  rt.note('flow-start', { version });
  guarded(rt, () => rt.enter(flow.start));
  return done(rt);
}

export function handleIvr(state: IvrState, event: IvrEvent, flows: FlowLookup, facts: CallFacts, now: number): IvrStep {
  const rt = new Runtime(state, flows, nodeKinds, facts, now);
  if (state.finished) return done(rt);
  // Drop what no longer concerns the current node: finished playbacks we stopped, timers we
  // cleared, answers to requests we gave up on.
  if (event.type === 'play-done') {
    if (state.playing !== event.tag) return done(rt);
    rt.state = { ...rt.state, playing: undefined };
    if (event.failed) rt.note('prompt-failed', { tag: event.tag });
  } else if (event.type === 'timeout') {
    if (!state.timers.includes(event.name)) return done(rt);
    rt.state = { ...rt.state, timers: state.timers.filter((t) => t !== event.name) };
  } else if (event.type === 'digit') {
    rt.callerActed();
  } else if (state.pending !== event.id) {
    return done(rt);
  } else if (event.type === 'queue-status') {
    // Several statuses answer one queue request; the node decides when it is over.
  } else {
    rt.state = { ...rt.state, pending: undefined };
  }
  guarded(rt, () => {
    const node = rt.node;
    const tagBase = event.type === 'play-done' ? { ...event, tag: event.tag.split('#')[0]! } : event;
    nodeKinds.get(node.kind)?.on?.(node, rt, tagBase);
  });
  return done(rt);
}
