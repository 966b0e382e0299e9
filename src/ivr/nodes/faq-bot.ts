// The voice FAQ bot: asks the caller's question, has the knowledge base match it, and either
// plays the answer and asks whether it helped, or hands the caller to a person with what was said
// and the best matches attached to the call (the agent sees them). Pure: speech and matching are
// outside requests; the node decides.
import { z } from 'zod';
import type { Language, PromptRef } from '../flow-types.ts';
import type { KnowledgeHit, KnowledgeResult } from '../ivr-types.ts';
import type { NodeKind, Runtime } from '../runtime.ts';
import { base, checkPrompts, edges, nodeId, prompts, seconds } from './common.ts';

export type HandoffReason = 'low-confidence' | 'asked-agent' | 'escalation' | 'max-turns' | 'not-helped' | 'no-speech' | 'unavailable';

interface FaqBotNode {
  kind: 'faq-bot';
  prompts?: PromptRef[];
  noInputPrompts?: PromptRef[];
  feedbackPrompts?: PromptRef[];
  handoffPrompts?: PromptRef[];
  donePrompts?: PromptRef[];
  /** Below this calibrated confidence the bot does not answer (on top of the matcher's own out-of-scope verdict). */
  minConfidence?: number;
  /** Turns without a usable question (silence) before handing off. */
  maxTurns: number;
  listenSeconds: number;
  /** Seconds to wait for 1 (helped) or 2 (agent) after an answer. */
  feedbackSeconds: number;
  next: string;
  onHandoff: string;
  onError?: string;
}

// Built-in wording, so a flow needs no prompt library entries to use the bot. Authors override
// any of them per node.
const builtIn: Record<'ask' | 'noInput' | 'feedback' | 'handoff' | 'done', Record<Language, string>> = {
  ask: { en: 'Please tell me briefly what your question is.', 'zh-CN': '请简单说一下您的问题。' },
  noInput: { en: 'Sorry, I did not hear you. Please ask your question.', 'zh-CN': '抱歉，没有听清。请再说一遍您的问题。' },
  feedback: { en: 'Did that answer your question? Press 1 for yes, or 2 to talk to an agent.', 'zh-CN': '这个回答解决您的问题了吗？解决了请按1，转人工服务请按2。' },
  handoff: { en: 'Let me put you through to a colleague.', 'zh-CN': '正在为您转接人工客服。' },
  done: { en: 'Glad I could help. Goodbye.', 'zh-CN': '很高兴为您服务，再见。' },
};

function say(rt: Runtime, own: PromptRef[] | undefined, which: keyof typeof builtIn, tag: string): void {
  if (own?.length) rt.play(own, tag);
  else rt.play([{ tts: builtIn[which][rt.state.language] }], tag, { verbatim: true });
}

const brief = (matches: KnowledgeHit[]) => matches.slice(0, 3).map((m) => ({ id: m.id, confidence: Math.round(m.confidence * 1000) / 1000 }));

function listen(n: FaqBotNode, rt: Runtime): void {
  rt.setLocal('phase', 'listening');
  rt.request({ type: 'speech', id: rt.requestId(`speech${rt.local('turn', 0)}`), timeoutSeconds: n.listenSeconds, phrases: [], language: rt.state.language });
}

function handOff(n: FaqBotNode, rt: Runtime, reason: HandoffReason, matches: KnowledgeHit[]): void {
  const transcript = rt.local<string[]>('heard', []);
  rt.note('faq-handoff', { reason, transcript, matches: brief(matches) });
  rt.setVar('faq_reason', reason);
  rt.setVar('faq_question', transcript.at(-1) ?? '');
  // The article the caller heard (not helped) or the best guess, for the agent's screen.
  rt.setVar('faq_article', matches[0]?.id ?? rt.local('article', ''));
  rt.setLocal('phase', 'handoff');
  say(rt, n.handoffPrompts, 'handoff', 'handoff');
}

/** A turn without a question: ask again, or give up and hand off. */
function noQuestion(n: FaqBotNode, rt: Runtime, reason: 'no-speech'): void {
  rt.note('faq-turn', { text: '', language: rt.state.language, outcome: 'no-speech', matches: [] });
  const misses = rt.local('misses', 0) + 1;
  rt.setLocal('misses', misses);
  if (misses >= n.maxTurns) return handOff(n, rt, misses > 1 ? 'max-turns' : reason, []);
  rt.setLocal('phase', 'asking');
  say(rt, n.noInputPrompts, 'noInput', 'ask');
}

function decide(n: FaqBotNode, rt: Runtime, text: string, result: KnowledgeResult): void {
  const top = result.matches[0];
  const confident = !result.outOfScope && top !== undefined && top.confidence >= (n.minConfidence ?? 0);
  const outcome = result.escalation ? 'escalation' : result.askedAgent ? 'asked-agent' : confident ? 'answered' : 'low-confidence';
  rt.note('faq-turn', {
    text, ...(result.heardAs ? { heardAs: result.heardAs } : {}), language: rt.state.language, outcome, matches: brief(result.matches),
    ...(outcome === 'answered' ? { articleId: top!.id, confidence: top!.confidence } : {}),
    ...(result.escalation ? { phrase: result.escalation } : {}),
  });
  if (outcome !== 'answered') return handOff(n, rt, outcome, result.matches);
  rt.setLocal('article', top!.id);
  rt.setLocal('phase', 'answering');
  rt.setVar('faq_article', top!.id);
  rt.play(top!.answer, 'answer', { verbatim: true });
}

function feedback(n: FaqBotNode, rt: Runtime, helped: boolean | undefined): void {
  const articleId = rt.local('article', '');
  rt.clearTimer('feedback');
  if (helped === undefined) {
    // No key after the answer: most callers who got what they needed simply hang up or wait.
    // Counted as answered without feedback, not as helped.
    rt.note('faq-done', { articleId, feedback: 'none' });
    rt.setLocal('phase', 'done');
    return say(rt, n.donePrompts, 'done', 'done');
  }
  rt.note('faq-feedback', { articleId, helped });
  if (!helped) return handOff(n, rt, 'not-helped', []);
  rt.note('faq-done', { articleId, feedback: 'helped' });
  rt.setLocal('phase', 'done');
  say(rt, n.donePrompts, 'done', 'done');
}

export const faqBot: NodeKind<FaqBotNode & Record<string, unknown>> = {
  kind: 'faq-bot',
  schema: z.object({
    kind: z.literal('faq-bot'), ...base,
    prompts: prompts.optional(),
    noInputPrompts: prompts.optional(),
    feedbackPrompts: prompts.optional(),
    handoffPrompts: prompts.optional(),
    donePrompts: prompts.optional(),
    minConfidence: z.number().min(0).max(1).optional(),
    maxTurns: z.number().int().min(1).max(5).default(2),
    listenSeconds: seconds(30).default(8),
    feedbackSeconds: seconds(30).default(6),
    next: nodeId,
    onHandoff: nodeId,
    onError: nodeId.optional(),
  }).strict(),
  edges: (n) => edges([[['next'], n.next], [['onHandoff'], n.onHandoff], [['onError'], n.onError]]),
  waits: () => true,
  check: (n, ctx, path) => (['prompts', 'noInputPrompts', 'feedbackPrompts', 'handoffPrompts', 'donePrompts'] as const).flatMap((k) => checkPrompts(n[k], ctx, [...path, k])),
  enter(n, rt) {
    rt.setLocal('heard', []);
    rt.setLocal('phase', 'asking');
    say(rt, n.prompts, 'ask', 'ask');
  },
  on(n, rt, event) {
    const phase = rt.local<string>('phase', 'asking');
    switch (event.type) {
      case 'play-done': {
        // The interpreter drops stale playbacks and strips the serial from the tag.
        const tag = event.tag;
        if (tag === 'ask' && phase === 'asking') return listen(n, rt);
        if (tag === 'answer' && phase === 'answering') {
          rt.setLocal('phase', 'feedback');
          say(rt, n.feedbackPrompts, 'feedback', 'feedback');
          return;
        }
        if (tag === 'feedback' && phase === 'feedback') return rt.timer('feedback', n.feedbackSeconds);
        if (tag === 'handoff' && phase === 'handoff') return rt.goto(n.onHandoff);
        if (tag === 'done' && phase === 'done') return rt.goto(n.next);
        return;
      }
      case 'speech-result': {
        if (phase !== 'listening') return;
        rt.setLocal('turn', rt.local('turn', 0) + 1);
        const text = event.text.trim();
        if (!text) return noQuestion(n, rt, 'no-speech');
        rt.callerActed();
        rt.setLocal('heard', [...rt.local<string[]>('heard', []), text]);
        rt.setLocal('phase', 'matching');
        rt.setLocal('question', text);
        const alternatives = (event.alternatives ?? []).filter((a) => typeof a === 'string' && a.trim());
        rt.request({ type: 'knowledge', id: rt.requestId(`match${rt.local('turn', 0)}`), text, language: rt.state.language, limit: 3, ...(alternatives.length ? { alternatives } : {}) });
        return;
      }
      case 'knowledge-result':
        if (phase !== 'matching') return;
        return decide(n, rt, rt.local('question', ''), event.result);
      case 'digit':
        // 0 is "a person, please" anywhere in the conversation.
        if (event.digit === '0' && phase !== 'handoff' && phase !== 'done') {
          rt.note('faq-turn', { text: '', language: rt.state.language, outcome: 'asked-agent', matches: [], key: '0' });
          return handOff(n, rt, 'asked-agent', []);
        }
        if (phase !== 'feedback' && phase !== 'answering') return;
        if (event.digit !== '1' && event.digit !== '2') return;
        rt.callerActed();
        return feedback(n, rt, event.digit === '1');
      case 'timeout':
        if (event.name === 'feedback' && phase === 'feedback') return feedback(n, rt, undefined);
        return;
      case 'effect-failed':
        // A bot that cannot hear or look things up sends the caller to people, not away.
        if (n.onError) return rt.fail(event.code, event.message);
        rt.note('error', { code: event.code, message: event.message });
        return handOff(n, rt, 'unavailable', []);
    }
  },
};
