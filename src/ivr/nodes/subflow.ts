import { z } from 'zod';
import type { NodeKind } from '../runtime.ts';
import { IvrFault } from '../runtime.ts';
import { base, edges, nodeId } from './common.ts';

const maxDepth = 8;

/** Calls another published flow; its `return` node comes back to `next`. */
export const subflow: NodeKind<{ kind: 'subflow'; flow: string; next: string } & Record<string, unknown>> = {
  kind: 'subflow',
  schema: z.object({ kind: z.literal('subflow'), ...base, flow: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/), next: nodeId }).strict(),
  edges: (n) => edges([[['next'], n.next]]),
  waits: () => false,
  check: (n, ctx, path) => (ctx.hasFlow(n.flow) ? [] : [{ path: [...path, 'flow'], message: `no flow "${n.flow}" to call`, severity: 'error' }]),
  enter(n, rt) {
    if (rt.state.frames.length >= maxDepth) throw new IvrFault('IVR_SUBFLOW_DEPTH', `sub-flows nested deeper than ${maxDepth}`);
    const version = rt.flows.current(n.flow);
    const called = version === undefined ? undefined : rt.flows.get(n.flow, version);
    if (version === undefined || !called) return rt.fail('IVR_FLOW_MISSING', `sub-flow ${n.flow} has no published version`);
    rt.note('subflow-call', { callee: n.flow, version });
    rt.state = { ...rt.state, frames: [...rt.state.frames, { flowId: n.flow, version, returnTo: n.next }] };
    rt.enter(called.start);
  },
};

/** Ends a sub-flow and continues in the calling flow. */
export const ret: NodeKind<{ kind: 'return' } & Record<string, unknown>> = {
  kind: 'return',
  schema: z.object({ kind: z.literal('return'), ...base }).strict(),
  edges: () => [],
  waits: () => false,
  enter(_n, rt) {
    const frame = rt.state.frames.at(-1)!;
    if (rt.state.frames.length < 2 || !frame.returnTo) return rt.finish('hangup', 'return-from-main-flow');
    rt.note('subflow-return');
    rt.state = { ...rt.state, frames: rt.state.frames.slice(0, -1) };
    rt.enter(frame.returnTo);
  },
};
