import { z } from 'zod';
import type { PromptRef } from '../flow-types.ts';
import type { NodeKind } from '../runtime.ts';
import { ask, asked, retry } from './ask.ts';
import { base, checkPrompts, checkRegex, edges, nodeId, prompts, seconds } from './common.ts';

interface GatherNode {
  kind: 'gather'; prompts: PromptRef[]; variable: string; minDigits: number; maxDigits: number; terminator: string;
  timeoutSeconds: number; interDigitTimeoutSeconds: number; pattern?: string; retries: number; sensitive?: boolean;
  invalidPrompts?: PromptRef[]; noInputPrompts?: PromptRef[]; next: string; onFailure?: string;
}

export const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'variable names: letters, digits, _; not starting with a digit');

/** Collects digits into a variable: min/max length, terminator, inter-digit timeout, pattern. */
export const gather: NodeKind<GatherNode & Record<string, unknown>> = {
  kind: 'gather',
  schema: z.object({
    kind: z.literal('gather'), ...base,
    prompts,
    variable: variableName,
    minDigits: z.number().int().min(1).max(64).default(1),
    maxDigits: z.number().int().min(1).max(64).default(20),
    terminator: z.enum(['#', '*', '']).default('#'),
    timeoutSeconds: seconds(60).default(5),
    interDigitTimeoutSeconds: seconds(30).default(3),
    pattern: z.string().optional(),
    retries: z.number().int().min(0).max(9).default(2),
    sensitive: z.boolean().optional(),
    invalidPrompts: prompts.optional(),
    noInputPrompts: prompts.optional(),
    next: nodeId,
    onFailure: nodeId.optional(),
  }).strict().refine((n) => n.minDigits <= n.maxDigits, { message: 'minDigits is larger than maxDigits', path: ['minDigits'] }),
  edges: (n) => edges([[['next'], n.next], [['onFailure'], n.onFailure]]),
  waits: () => true,
  check: (n, ctx, path) => [
    ...checkPrompts(n.prompts, ctx, [...path, 'prompts']),
    ...checkPrompts(n.invalidPrompts, ctx, [...path, 'invalidPrompts']),
    ...checkPrompts(n.noInputPrompts, ctx, [...path, 'noInputPrompts']),
    ...(n.pattern === undefined ? [] : checkRegex(n.pattern, [...path, 'pattern'])),
  ],
  enter(n, rt) {
    rt.setLocal('digits', '');
    ask(n, rt);
  },
  on(n, rt, event) {
    const giveUp = () => (n.onFailure ? rt.goto(n.onFailure) : rt.finish('hangup', 'gather-failed'));
    const done = () => {
      const digits = rt.local('digits', '');
      const valid = digits.length >= n.minDigits && (n.pattern === undefined || new RegExp(`^(?:${n.pattern})$`, 'u').test(digits));
      if (!valid) {
        rt.setLocal('digits', '');
        return retry(n, rt, digits ? 'invalid-input' : 'no-input', giveUp);
      }
      rt.note('input', { variable: n.variable, digits: n.sensitive ? '*'.repeat(digits.length) : digits });
      rt.setVar(n.variable, digits);
      rt.goto(n.next);
    };
    if (event.type === 'play-done') {
      if (!rt.local('digits', '')) asked(n, rt);
    } else if (event.type === 'timeout' && event.name === 'input') done();
    else if (event.type === 'digit') {
      rt.stopPlay();
      rt.clearTimer('input');
      if (n.terminator && event.digit === n.terminator) return done();
      const digits = rt.local('digits', '') + event.digit;
      rt.setLocal('digits', digits);
      if (digits.length >= n.maxDigits) return done();
      rt.timer('input', n.interDigitTimeoutSeconds);
    }
  },
};
