import test from 'ava';
import { memoryLookup } from '../flow-files.ts';
import type { FlowDocument } from '../flow-types.ts';
import type { KnowledgeResult } from '../ivr-types.ts';
import { simulateFlow, type SimulationScript } from '../simulate.ts';
import { validateFlow } from '../validator.ts';

const flow: FlowDocument = (() => {
  const result = validateFlow({
    id: 'bot', name: 'Bot', languages: ['en', 'zh-CN'], defaultLanguage: 'en', start: 'start',
    nodes: {
      start: { kind: 'faq-bot', minConfidence: 0.3, next: 'bye', onHandoff: 'agents' },
      agents: { kind: 'queue', queue: 'support' },
      bye: { kind: 'hangup' },
    },
  }, { hasFlow: () => true });
  if (!result.flow) throw new Error(JSON.stringify(result.errors));
  return result.flow;
})();

const kb = (text: string): KnowledgeResult => {
  if (/bill/.test(text)) return { outOfScope: false, askedAgent: false, matches: [{ id: 'pay-bill', title: 'Pay', confidence: 0.8, answer: [{ tts: 'Pay online at {{vars.x}}.' }] }, { id: 'refund', title: 'Refund', confidence: 0.1, answer: [] }] };
  if (/lawyer/.test(text)) return { outOfScope: false, askedAgent: false, escalation: 'lawyer', matches: [] };
  if (/agent/.test(text)) return { outOfScope: true, askedAgent: true, matches: [] };
  if (/router/.test(text)) return { outOfScope: false, askedAgent: false, matches: [{ id: 'router', title: 'Router', confidence: 0.2, answer: [{ tts: 'Restart it.' }] }] };
  return { outOfScope: true, askedAgent: false, matches: [{ id: 'refund', title: 'Refund', confidence: 0.05, answer: [] }] };
};

const run = (script: Partial<SimulationScript>) =>
  simulateFlow(memoryLookup([flow]), flow, 1, { digits: [], say: [], at: 0, http: { mode: 'fixed', status: 200, body: {} }, knowledge: kb, ...script });

const spoken = (r: Awaited<ReturnType<typeof run>>) => r.prompts.map((p) => p.prompts.map((x) => ('tts' in x ? x.tts : '?')).join(' '));

test('given a question the knowledge base answers, when the caller presses 1, then the answer is played verbatim (never as a template) and the bot ends contained', async (t) => {
  const r = await run({ say: ['how do I pay my bill'], digits: ['1'] });
  t.deepEqual(r.path, ['start', 'bye']);
  t.true(spoken(r).includes('Pay online at {{vars.x}}.'));
  t.like(r.trail.find((e) => e.type === 'faq-turn'), { outcome: 'answered', articleId: 'pay-bill', text: 'how do I pay my bill' });
  t.like(r.trail.find((e) => e.type === 'faq-feedback'), { articleId: 'pay-bill', helped: true });
  t.true(r.trail.some((e) => e.type === 'faq-done'));
  t.false(r.trail.some((e) => e.type === 'faq-handoff'));
});

test('given an answer that did not help, when the caller presses 2, then the call is handed to the queue with the transcript and matches', async (t) => {
  const r = await run({ say: ['how do I pay my bill'], digits: ['2'] });
  t.deepEqual(r.path, ['start', 'agents']);
  t.like(r.trail.find((e) => e.type === 'faq-handoff'), { reason: 'not-helped', transcript: ['how do I pay my bill'] });
  t.is(r.vars.faq_reason, 'not-helped');
  t.is(r.vars.faq_article, 'pay-bill');
});

test('given out-of-scope, low-confidence, escalation and agent requests, when asked, then each hands off with its reason and the best matches', async (t) => {
  const cases: [string, string][] = [['what is the weather', 'low-confidence'], ['my router blinks red', 'low-confidence'], ['I will call my lawyer', 'escalation'], ['give me an agent', 'asked-agent']];
  for (const [question, reason] of cases) {
    const r = await run({ say: [question] });
    t.deepEqual(r.path, ['start', 'agents'], question);
    t.like(r.trail.find((e) => e.type === 'faq-handoff'), { reason }, question);
    t.is(r.vars.faq_question, question);
  }
  const low = await run({ say: ['my router blinks red'] });
  t.deepEqual(low.trail.find((e) => e.type === 'faq-handoff')?.matches, [{ id: 'router', confidence: 0.2 }], 'below minConfidence 0.3 but kept for the agent');
});

test('given a silent caller, when the turns run out, then the bot asks again once and then hands off', async (t) => {
  const r = await run({ say: [] });
  t.is(r.requests.filter((q) => q.type === 'speech').length, 2);
  t.like(r.trail.find((e) => e.type === 'faq-handoff'), { reason: 'max-turns' });
  t.deepEqual(r.path, ['start', 'agents']);
});

test('given no key after an answer, when the feedback time passes, then the bot says goodbye, counted as answered without feedback', async (t) => {
  const r = await run({ say: ['pay my bill'], digits: [] });
  t.like(r.trail.find((e) => e.type === 'faq-done'), { feedback: 'none' });
  t.false(r.trail.some((e) => e.type === 'faq-feedback'));
  t.deepEqual(r.path, ['start', 'bye']);
});

test('given no speech engine or knowledge base, when the bot is reached, then the caller is handed to people, not dropped', async (t) => {
  const r = await simulateFlow(memoryLookup([flow]), flow, 1, { digits: [], say: ['pay my bill'], at: 0, http: { mode: 'fixed', status: 200, body: {} } });
  t.like(r.trail.find((e) => e.type === 'error'), { code: 'KNOWLEDGE_NOT_AVAILABLE' });
  t.like(r.trail.find((e) => e.type === 'faq-handoff'), { reason: 'unavailable' });
});

test('given a Chinese call, when the bot speaks its built-in prompts, then they are Chinese', async (t) => {
  const r = await simulateFlow(memoryLookup([flow]), flow, 1, { digits: ['1'], say: ['bill'], at: 0, http: { mode: 'fixed', status: 200, body: {} }, knowledge: kb });
  t.true(spoken(r)[0]!.startsWith('Please'));
  const zhFlow = validateFlow({ ...flow, id: 'bot-zh', defaultLanguage: 'zh-CN' }, { hasFlow: () => true }).flow!;
  const zh = await simulateFlow(memoryLookup([zhFlow]), zhFlow, 1, { digits: ['1'], say: ['bill'], at: 0, http: { mode: 'fixed', status: 200, body: {} }, knowledge: kb });
  t.is(spoken(zh)[0], '请简单说一下您的问题。');
  t.true(spoken(zh).includes('很高兴为您服务，再见。'));
});

test('given a question the recognizer heard two ways, when matched, then both readings go to the knowledge base and the reading that answered is in the record', async (t) => {
  const asked: (string[] | undefined)[] = [];
  const r = await run({
    say: [{ text: 'how do i play my bell', alternatives: ['how do I pay my bill'] }], digits: ['1'],
    knowledge: (text, _language, alternatives) => {
      asked.push(alternatives);
      return { ...kb(alternatives?.[0] ?? text), heardAs: alternatives?.[0] };
    },
  });
  t.deepEqual(asked, [['how do I pay my bill']]);
  t.like(r.trail.find((e) => e.type === 'faq-turn'), { outcome: 'answered', articleId: 'pay-bill', text: 'how do i play my bell', heardAs: 'how do I pay my bill' });
});
