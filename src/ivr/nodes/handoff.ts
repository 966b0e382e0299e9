// Nodes that hand the call to someone else: queue, transfer, gather-speech (to the speech layer).
// Each asks the executor for an outside action; the executor answers done or failed.
import { z } from 'zod';
import type { Language, PromptRef } from '../flow-types.ts';
import type { NodeKind } from '../runtime.ts';
import { base, checkExpression, checkPrompts, checkTemplate, edges, nodeId, prompts, seconds } from './common.ts';
import { variableName } from './gather.ts';

type Loose<T> = T & Record<string, unknown>;

export const queue: NodeKind<Loose<{ kind: 'queue'; queue: string; priority?: string; skills?: string[]; onError?: string }>> = {
  kind: 'queue',
  schema: z.object({
    kind: z.literal('queue'), ...base,
    queue: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'queue names: a-z 0-9 _ -'),
    priority: z.string().max(500).optional(),
    skills: z.array(z.string().max(64)).max(20).optional(),
    onError: nodeId.optional(),
  }).strict(),
  edges: (n) => edges([[['onError'], n.onError]]),
  waits: () => true,
  check: (n, _ctx, path) => (n.priority ? checkExpression(n.priority, [...path, 'priority']) : []),
  enter(n, rt) {
    const priority = n.priority ? Number(rt.evaluate(n.priority)) : 0;
    rt.note('queue', { queue: n.queue, priority });
    rt.request({ type: 'queue', id: rt.requestId('queue'), queue: n.queue, priority: Number.isFinite(priority) ? priority : 0, skills: n.skills ?? [] });
  },
  on(_n, rt, event) {
    if (event.type === 'effect-done') rt.finish('queue', 'queued');
    else if (event.type === 'effect-failed') rt.fail(event.code, event.message);
  },
};

export const transfer: NodeKind<Loose<{ kind: 'transfer'; to: string; via: 'extension' | 'trunk'; trunk?: string; onError?: string }>> = {
  kind: 'transfer',
  schema: z.object({
    kind: z.literal('transfer'), ...base,
    to: z.string().min(1).max(200),
    via: z.enum(['extension', 'trunk']).default('extension'),
    trunk: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
    onError: nodeId.optional(),
  }).strict().refine((n) => n.via !== 'trunk' || n.trunk, { message: 'a transfer via trunk names the trunk', path: ['trunk'] }),
  edges: (n) => edges([[['onError'], n.onError]]),
  waits: () => true,
  check: (n, _ctx, path) => checkTemplate(n.to, [...path, 'to']),
  enter(n, rt) {
    const target = rt.render(n.to);
    if (!/^[0-9A-Za-z+*#]{1,40}$/.test(target)) return rt.fail('IVR_BAD_TRANSFER_TARGET', `transfer target ${JSON.stringify(target)} is not a dialable number`);
    rt.note('transfer', { to: target, via: n.via });
    rt.request({ type: 'transfer', id: rt.requestId('transfer'), target, via: n.via, trunk: n.trunk });
  },
  on(_n, rt, event) {
    if (event.type === 'effect-done') rt.finish('transfer', 'transferred');
    else if (event.type === 'effect-failed') rt.fail(event.code, event.message);
  },
};

interface SpeechNode { kind: 'gather-speech'; prompts: PromptRef[]; variable: string; timeoutSeconds: number; phrases?: string[]; language?: Language; next: string; onFailure: string; onError?: string }

/** Asks a question and hands the caller's answer to the speech layer; the text lands in a variable. */
export const gatherSpeech: NodeKind<Loose<SpeechNode>> = {
  kind: 'gather-speech',
  schema: z.object({
    kind: z.literal('gather-speech'), ...base,
    prompts, variable: variableName, timeoutSeconds: seconds(60).default(8),
    phrases: z.array(z.string().min(1).max(200)).max(500).optional(),
    language: z.enum(['en', 'zh-CN']).optional(),
    next: nodeId, onFailure: nodeId, onError: nodeId.optional(),
  }).strict(),
  edges: (n) => edges([[['next'], n.next], [['onFailure'], n.onFailure], [['onError'], n.onError]]),
  waits: () => true,
  check: (n, ctx, path) => checkPrompts(n.prompts, ctx, [...path, 'prompts']),
  enter(n, rt) {
    if (n.prompts.length) rt.play(n.prompts, 'ask');
    else listen(n, rt);
  },
  on(n, rt, event) {
    if (event.type === 'play-done') listen(n, rt);
    else if (event.type === 'speech-result') {
      rt.callerActed();
      rt.note('speech', { text: event.text, confidence: event.confidence });
      if (!event.text.trim()) return rt.goto(n.onFailure);
      rt.setVar(n.variable, event.text);
      rt.goto(n.next);
    } else if (event.type === 'effect-failed') {
      rt.note('error', { code: event.code, message: event.message });
      rt.goto(n.onError ?? n.onFailure);
    }
  },
};

function listen(n: SpeechNode, rt: Parameters<NodeKind['enter']>[1]): void {
  rt.request({ type: 'speech', id: rt.requestId('speech'), timeoutSeconds: n.timeoutSeconds, phrases: n.phrases ?? [], language: n.language ?? rt.state.language });
}

