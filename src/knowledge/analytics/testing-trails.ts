// Hand-built call trails for the analytics tests: the entries the FAQ bot, agent assist and the
// queue write, with defaults for the fields a test does not care about.
import type { TrailEntry } from '../../calls/call-types.ts';
import type { CallTrail } from './knowledge-analytics.ts';

export const DAY = 24 * 3600_000;
/** Monday 2 March 2026, 00:00 UTC. */
export const T0 = Date.parse('2026-03-02T00:00:00Z');

type Fields = Record<string, unknown>;
type Entry = Fields & { type: string };
type Match = { id: string; confidence: number };
type Language = 'en' | 'zh-CN';

/** A call whose entries are one second apart from its start. */
export function call(callId: string, startedAt: number, ...entries: Entry[]): CallTrail {
  return { callId, startedAt, trail: entries.map((e, i): TrailEntry => ({ at: startedAt + (i + 1) * 1000, ...e })) };
}

const languageOf = (text: string): Language => (/\p{Script=Han}/u.test(text) ? 'zh-CN' : 'en');

export const answered = (text: string, articleId: string, confidence = 0.9, more: Match[] = []): Entry => ({
  type: 'faq-turn', text, language: languageOf(text), outcome: 'answered', articleId, confidence, matches: [{ id: articleId, confidence }, ...more],
});
export const lowConfidence = (text: string, matches: Match[] = []): Entry => ({
  type: 'faq-turn', text, language: languageOf(text), outcome: 'low-confidence', matches, ...(matches[0] && { confidence: matches[0].confidence }),
});
export const turn = (outcome: 'no-speech' | 'escalation' | 'asked-agent', text = ''): Entry => ({ type: 'faq-turn', text, language: languageOf(text), outcome, matches: [] });
export const feedback = (articleId: string, helped: boolean): Entry => ({ type: 'faq-feedback', articleId, helped });
export const handoff = (reason: string, matches: Match[] = []): Entry => ({ type: 'faq-handoff', reason, transcript: [], matches });
export const done = (): Entry => ({ type: 'faq-done' });
export const queued = (queue = 'support'): Entry => ({ type: 'queue', queue, priority: 0 });
export const agentConnected = (agentId = 'a1'): Entry => ({ type: 'agent-connected', agentId, queue: 'support', bridgeId: 'b1', repeatCaller: false });
export const assist = (kind: 'shown' | 'opened' | 'helpful', articleId: string, fields: Fields = {}): Entry =>
  ({ type: `assist-${kind}`, articleId, ...(kind === 'shown' ? { rank: 1, score: 0.8 } : { by: 'a1' }), ...fields });
export const escalation = (phrase: string, leg: 'caller' | 'agent' = 'caller'): Entry => ({ type: 'escalation', phrase, leg, text: `… ${phrase} …` });
export const transcript = (text: string, leg: 'caller' | 'agent' = 'caller'): Entry => ({ type: 'transcript', leg, text, final: true });
