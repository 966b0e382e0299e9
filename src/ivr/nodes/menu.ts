import { z } from 'zod';
import type { PromptRef } from '../flow-types.ts';
import type { NodeKind } from '../runtime.ts';
import { ask, asked, retry } from './ask.ts';
import { base, checkPrompts, edges, nodeId, prompts, seconds } from './common.ts';

interface MenuNode {
  kind: 'menu'; prompts: PromptRef[]; options: Record<string, string>; timeoutSeconds: number; retries: number;
  invalidPrompts?: PromptRef[]; noInputPrompts?: PromptRef[]; repeatKey?: string; default?: string;
}

/** DTMF menu: one key picks a branch; wrong keys and silence are retried, then `default`. */
export const menu: NodeKind<MenuNode & Record<string, unknown>> = {
  kind: 'menu',
  schema: z.object({
    kind: z.literal('menu'), ...base,
    prompts: prompts.min(1),
    options: z.record(z.string().regex(/^[0-9*#]$/, 'option keys are single DTMF keys 0-9 * #'), nodeId).refine((o) => Object.keys(o).length > 0, 'a menu needs at least one option'),
    timeoutSeconds: seconds(60).default(5),
    retries: z.number().int().min(0).max(9).default(2),
    invalidPrompts: prompts.optional(),
    noInputPrompts: prompts.optional(),
    repeatKey: z.string().regex(/^[0-9*#]$/).optional(),
    default: nodeId.optional(),
  }).strict(),
  edges: (n) => edges([...Object.entries(n.options).map(([key, target]): [(string | number)[], string] => [['options', key], target]), [['default'], n.default]]),
  waits: () => true,
  check(n, ctx, path) {
    const problems = [
      ...checkPrompts(n.prompts, ctx, [...path, 'prompts']),
      ...checkPrompts(n.invalidPrompts, ctx, [...path, 'invalidPrompts']),
      ...checkPrompts(n.noInputPrompts, ctx, [...path, 'noInputPrompts']),
    ];
    if (n.repeatKey && n.options[n.repeatKey]) problems.push({ path: [...path, 'repeatKey'], message: `repeat key ${n.repeatKey} is also an option`, severity: 'error' });
    if (!n.default) problems.push({ path, message: 'no default branch: callers who never choose are hung up on', severity: 'warning' });
    return problems;
  },
  enter: (n, rt) => ask(n, rt),
  on(n, rt, event) {
    const giveUp = () => (n.default ? rt.goto(n.default) : rt.finish('hangup', 'menu-no-choice'));
    if (event.type === 'play-done') asked(n, rt);
    else if (event.type === 'timeout' && event.name === 'input') retry(n, rt, 'no-input', giveUp);
    else if (event.type === 'digit') {
      rt.note('input', { digit: event.digit });
      const target = n.options[event.digit];
      if (target) rt.goto(target);
      else if (event.digit === n.repeatKey) {
        rt.stopPlay();
        ask(n, rt);
      } else retry(n, rt, 'invalid-input', giveUp);
    }
  },
};
