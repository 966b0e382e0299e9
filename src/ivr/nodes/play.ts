import { z } from 'zod';
import type { PromptRef } from '../flow-types.ts';
import type { NodeKind } from '../runtime.ts';
import { base, checkPrompts, edges, nodeId, prompts } from './common.ts';

interface PlayNode { kind: 'play'; prompts: PromptRef[]; next: string; bargeIn?: boolean }

/** Plays prompts, then moves on; with bargeIn a key press skips the rest. */
export const play: NodeKind<PlayNode & Record<string, unknown>> = {
  kind: 'play',
  schema: z.object({ kind: z.literal('play'), ...base, prompts: prompts.min(1), next: nodeId, bargeIn: z.boolean().optional() }).strict(),
  edges: (n) => edges([[['next'], n.next]]),
  waits: () => true,
  check: (n, ctx, path) => checkPrompts(n.prompts, ctx, [...path, 'prompts']),
  enter: (n, rt) => rt.play(n.prompts, 'play'),
  on(n, rt, event) {
    if (event.type === 'play-done') rt.goto(n.next);
    else if (event.type === 'digit' && n.bargeIn) rt.goto(n.next);
  },
};
