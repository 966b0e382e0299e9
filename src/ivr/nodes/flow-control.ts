// Nodes that only steer: condition, set, language, goto, hangup.
import { z } from 'zod';
import { evaluateBoolean } from '../expression/index.ts';
import { languages, type Language, type PromptRef } from '../flow-types.ts';
import { cachedExpression, type NodeKind } from '../runtime.ts';
import { variableName } from './gather.ts';
import { base, checkExpression, checkPrompts, edges, nodeId, prompts } from './common.ts';

type Loose<T> = T & Record<string, unknown>;

export const condition: NodeKind<Loose<{ kind: 'condition'; branches: { when: string; next: string }[]; else: string }>> = {
  kind: 'condition',
  schema: z.object({
    kind: z.literal('condition'), ...base,
    branches: z.array(z.object({ when: z.string().min(1).max(2000), next: nodeId }).strict()).min(1).max(50),
    else: nodeId,
  }).strict(),
  edges: (n) => edges([...n.branches.map((b, i): [(string | number)[], string] => [['branches', i, 'next'], b.next]), [['else'], n.else]]),
  waits: () => false,
  check: (n, _ctx, path) => n.branches.flatMap((b, i) => checkExpression(b.when, [...path, 'branches', i, 'when'])),
  enter(n, rt) {
    const scope = rt.scope();
    const index = n.branches.findIndex((b) => evaluateBoolean(cachedExpression(b.when), scope));
    rt.note('branch', { taken: index >= 0 ? index : 'else' });
    rt.goto(index >= 0 ? n.branches[index]!.next : n.else);
  },
};

export const set: NodeKind<Loose<{ kind: 'set'; assign: Record<string, string>; next: string }>> = {
  kind: 'set',
  schema: z.object({ kind: z.literal('set'), ...base, assign: z.record(variableName, z.string().min(1).max(2000)), next: nodeId }).strict(),
  edges: (n) => edges([[['next'], n.next]]),
  waits: () => false,
  check: (n, _ctx, path) => Object.entries(n.assign).flatMap(([name, source]) => checkExpression(source, [...path, 'assign', name])),
  enter(n, rt) {
    for (const [name, source] of Object.entries(n.assign)) rt.setVar(name, rt.evaluate(source));
    rt.goto(n.next);
  },
};

export const language: NodeKind<Loose<{ kind: 'language'; language: Language; next: string }>> = {
  kind: 'language',
  schema: z.object({ kind: z.literal('language'), ...base, language: z.enum(languages as [Language, ...Language[]]), next: nodeId }).strict(),
  edges: (n) => edges([[['next'], n.next]]),
  waits: () => false,
  check: (n, ctx, path) => (ctx.flow.languages.includes(n.language) ? [] : [{ path: [...path, 'language'], message: `${n.language} is not among the flow's languages (${ctx.flow.languages.join(', ')})`, severity: 'error' }]),
  enter(n, rt) {
    rt.setLanguage(n.language);
    rt.note('language', { language: n.language });
    rt.goto(n.next);
  },
};

export const goto: NodeKind<Loose<{ kind: 'goto'; next: string }>> = {
  kind: 'goto',
  schema: z.object({ kind: z.literal('goto'), ...base, next: nodeId }).strict(),
  edges: (n) => edges([[['next'], n.next]]),
  waits: () => false,
  enter: (n, rt) => rt.goto(n.next),
};

export const hangup: NodeKind<Loose<{ kind: 'hangup'; prompts?: PromptRef[] }>> = {
  kind: 'hangup',
  schema: z.object({ kind: z.literal('hangup'), ...base, prompts: prompts.optional() }).strict(),
  edges: () => [],
  waits: () => true,
  check: (n, ctx, path) => checkPrompts(n.prompts, ctx, [...path, 'prompts']),
  enter(n, rt) {
    if (n.prompts?.length) rt.play(n.prompts, 'goodbye');
    else rt.finish('hangup', 'flow-hangup');
  },
  on(_n, rt, event) {
    if (event.type === 'play-done') rt.finish('hangup', 'flow-hangup');
  },
};
