// Nodes that hand the call to someone else: queue, transfer, gather-speech (to the speech layer).
// Each asks the executor for an outside action; the executor answers done or failed.
import { z } from 'zod';
import type { Language, PromptRef } from '../flow-types.ts';
import type { NodeKind } from '../runtime.ts';
import { base, checkExpression, checkPrompts, checkTemplate, edges, nodeId, prompts, seconds } from './common.ts';
import { variableName } from './gather.ts';

type Loose<T> = T & Record<string, unknown>;

interface QueueNode {
  kind: 'queue';
  queue: string;
  priority?: string;
  skills?: string[];
  /** Pressed while waiting: keep my place and call me back. */
  callbackKey?: string;
  /** Said after a kept place, before hanging up. */
  callbackConfirm?: PromptRef[];
  /** Pressed while waiting: leave the queue and continue at onExit (voicemail, say). */
  exitKey?: string;
  onExit?: string;
  /** Where the call continues when the queue overflows to the flow (default: polite hang-up). */
  onOverflow?: string;
  onError?: string;
}

const key = z.string().regex(/^[0-9*#]$/, 'one key: 0-9 * #');

/** Hands the caller to a queue; waits there (music, announcements) until an agent answers. */
export const queue: NodeKind<Loose<QueueNode>> = {
  kind: 'queue',
  schema: z.object({
    kind: z.literal('queue'), ...base,
    queue: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'queue names: a-z 0-9 _ -'),
    priority: z.string().max(500).optional(),
    skills: z.array(z.string().max(64)).max(20).optional(),
    callbackKey: key.optional(),
    callbackConfirm: prompts.optional(),
    exitKey: key.optional(),
    onExit: nodeId.optional(),
    onOverflow: nodeId.optional(),
    onError: nodeId.optional(),
  }).strict()
    .refine((n) => !n.exitKey || n.onExit, { message: 'an exitKey needs onExit (where the caller goes)', path: ['onExit'] })
    .refine((n) => !n.exitKey || n.exitKey !== n.callbackKey, { message: 'exitKey and callbackKey must differ', path: ['exitKey'] }),
  edges: (n) => edges([[['onExit'], n.onExit], [['onOverflow'], n.onOverflow], [['onError'], n.onError]]),
  waits: () => true,
  check: (n, ctx, path) => [
    ...(n.priority ? checkExpression(n.priority, [...path, 'priority']) : []),
    ...(n.callbackConfirm ? checkPrompts(n.callbackConfirm, ctx, [...path, 'callbackConfirm']) : []),
  ],
  enter(n, rt) {
    const priority = n.priority ? Number(rt.evaluate(n.priority)) : 0;
    rt.note('queue', { queue: n.queue, priority });
    rt.request({ type: 'queue', id: rt.requestId('queue'), queue: n.queue, priority: Number.isFinite(priority) ? priority : 0, skills: n.skills ?? [] });
  },
  on(n, rt, event) {
    if (event.type === 'effect-failed') return rt.fail(event.code, event.message);
    if (event.type === 'play-done' && event.tag === 'confirm') return rt.finish('hangup', 'queue-callback-kept');
    const waiting = rt.state.pending;
    if (event.type === 'digit' && waiting && rt.state.local.phase !== 'confirm') {
      if (event.digit === n.callbackKey) {
        rt.note('queue-callback-asked', { queue: n.queue });
        rt.signal({ type: 'queue-action', id: waiting, action: 'callback' });
      } else if (event.digit === n.exitKey && n.onExit) {
        rt.note('queue-exit', { queue: n.queue });
        rt.signal({ type: 'queue-action', id: waiting, action: 'leave' });
        rt.goto(n.onExit);
      }
      return;
    }
    if (event.type !== 'queue-status') return;
    if (event.status === 'connected') {
      rt.note('queue-connected', { queue: n.queue, ...event.detail });
      rt.finish('queue', 'answered');
    } else if (event.status === 'overflow') {
      rt.note('queue-overflow', { queue: n.queue, ...event.detail });
      rt.setVar('queue_overflow', String(event.detail?.reason ?? 'overflow'));
      if (n.onOverflow && event.detail?.target !== 'hangup') rt.goto(n.onOverflow);
      else rt.finish('hangup', 'queue-overflow');
    } else if (event.status === 'callback-kept') {
      rt.note('queue-callback-kept', { queue: n.queue, ...event.detail });
      if (!n.callbackConfirm?.length) return rt.finish('hangup', 'queue-callback-kept');
      rt.setLocal('phase', 'confirm');
      rt.play(n.callbackConfirm, 'confirm');
    }
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

