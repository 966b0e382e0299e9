// The trail entries knowledge analytics reads, as the voice FAQ bot, agent assist, the queue and
// the flow interpreter write them. Trails come from disk and from other versions of Deskline, so
// every reader here is a guard: a malformed entry reads as undefined and is skipped, never thrown.
import type { TrailEntry } from '../../calls/call-types.ts';
import { cleanText, looksChinese } from '../matcher/text.ts';

export type BotLanguage = 'en' | 'zh-CN';
export const TURN_OUTCOMES = ['answered', 'low-confidence', 'no-speech', 'escalation', 'asked-agent'] as const;
export type TurnOutcome = (typeof TURN_OUTCOMES)[number];
// 'unavailable' (beyond the brief's list): the bot could not hear or look things up (a failed effect); src/ivr/nodes/faq-bot.ts writes it.
export const HANDOFF_REASONS = ['low-confidence', 'asked-agent', 'escalation', 'max-turns', 'not-helped', 'no-speech', 'unavailable'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export interface ArticleMatch { id: string; confidence: number }

export interface FaqTurn { at: number | undefined; text: string; language: BotLanguage; outcome: TurnOutcome; articleId: string | undefined; matches: ArticleMatch[] }
export interface FaqFeedback { articleId: string; helped: boolean }
export interface FaqHandoff { reason: HandoffReason | 'other' }
export interface AssistEvent { kind: 'shown' | 'opened' | 'helpful'; articleId: string }
export interface Escalation { phrase: string; leg: 'caller' | 'agent' | undefined }

/** Trail entry types written by the trail's other owners that analytics reads. */
export const QUEUE_JOINED = 'queue'; // src/ivr/nodes/handoff.ts: the flow handed the caller to a queue
export const AGENT_CONNECTED = 'agent-connected'; // src/queue/queue-service.ts: caller and agent bridged

const MAX_ID = 256;
const MAX_MATCHES = 20;
const MAX_PHRASE = 100;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const finite = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
export const articleIdOf = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID ? value : undefined);
const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined => (values as readonly unknown[]).includes(value) ? (value as T) : undefined;

/** The entry's type, or undefined when the entry is not an object with a string type. */
export const entryType = (entry: unknown): string | undefined => (isRecord(entry) && typeof entry.type === 'string' ? entry.type : undefined);

function readMatches(value: unknown): ArticleMatch[] {
  if (!Array.isArray(value)) return [];
  const matches: ArticleMatch[] = [];
  for (const item of value.slice(0, MAX_MATCHES)) {
    if (!isRecord(item)) continue;
    const id = articleIdOf(item.id);
    const confidence = finite(item.confidence);
    if (id !== undefined && confidence !== undefined) matches.push({ id, confidence });
  }
  return matches;
}

export function readTurn(entry: TrailEntry): FaqTurn | undefined {
  const outcome = oneOf(TURN_OUTCOMES, entry.outcome);
  if (!outcome) return undefined;
  const text = cleanText(entry.text).text;
  const language = oneOf(['en', 'zh-CN'] as const, entry.language) ?? (looksChinese(text) ? 'zh-CN' : 'en');
  return { at: finite(entry.at), text, language, outcome, articleId: articleIdOf(entry.articleId), matches: readMatches(entry.matches) };
}

export function readFeedback(entry: TrailEntry): FaqFeedback | undefined {
  const articleId = articleIdOf(entry.articleId);
  return articleId !== undefined && typeof entry.helped === 'boolean' ? { articleId, helped: entry.helped } : undefined;
}

export function readHandoff(entry: TrailEntry): FaqHandoff {
  return { reason: oneOf(HANDOFF_REASONS, entry.reason) ?? 'other' };
}

export function readAssist(entry: TrailEntry): AssistEvent | undefined {
  const kind = entry.type === 'assist-shown' ? 'shown' : entry.type === 'assist-opened' ? 'opened' : entry.type === 'assist-helpful' ? 'helpful' : undefined;
  const articleId = articleIdOf(entry.articleId);
  return kind && articleId !== undefined ? { kind, articleId } : undefined;
}

/** Phrases are counted case- and width-insensitively ("Complaint" and "complaint" are one). */
export function readEscalation(entry: TrailEntry): Escalation | undefined {
  if (typeof entry.phrase !== 'string') return undefined;
  const phrase = entry.phrase.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ').slice(0, MAX_PHRASE);
  return phrase ? { phrase, leg: oneOf(['caller', 'agent'] as const, entry.leg) } : undefined;
}
