// Realtime agent assist: while a call is transcribed, the caller's words are matched against the
// published knowledge base and the top suggestions are pushed to the agent console (debounced and
// stable, see SuggestionTracker). Both legs are watched for escalation phrases, which raise a
// supervisor alert and are marked in the call record. What the agent does with a suggestion
// (shown, opened, helpful) is recorded per call, for the knowledge analytics.
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../../core/clock.ts';
import { readingsOf, surestReading } from '../service/readings.ts';
import type { PhraseMatcher } from './phrases.ts';
import { DEFAULT_TRACKER_OPTIONS, SuggestionTracker, type Suggestion, type TrackerOptions } from './suggestion-tracker.ts';

export interface AssistTranscript {
  type: 'partial' | 'final';
  leg: 'caller' | 'agent';
  text: string;
  /** Ms since the leg's audio started (see `openedAt`). */
  endMs: number;
  /** Partials: the whole turn decoded once the caller went quiet (the final follows). */
  settled?: boolean;
  /** Finals: the recognizer's other readings of the same words. */
  alternatives?: string[];
}

/** The knowledge service as assist needs it (the published snapshot). */
export interface AssistKnowledge {
  ask(text: string, language: 'en' | 'zh-CN', limit?: number): {
    outOfScope: boolean;
    matches: { article: { id: string; title: string }; score: number; confidence: number; matchedTerms: string[] }[];
  };
}

export interface SuggestionsEvent {
  callId: string;
  suggestions: Suggestion[];
  query: string;
  final: boolean;
  at: number;
  /** Estimated end of the caller's speech this answers (wall clock), when known. */
  speechEndAt?: number;
}

export interface EscalationEvent {
  callId: string;
  phrase: string;
  leg: 'caller' | 'agent';
  text: string;
  at: number;
}

export interface AssistDeps {
  knowledge: AssistKnowledge;
  escalation: PhraseMatcher;
  clock: Clock;
  /** Adds an entry to the call's record. */
  note(callId: string, entry: Record<string, unknown> & { type: string }): void;
  tracker?: Partial<TrackerOptions>;
}

interface CallAssist {
  tracker: SuggestionTracker;
  timer?: TimerHandle;
  language: 'en' | 'zh-CN';
  shownEver: Set<string>;
  escalated: Set<string>;
  /** Wall-clock time the caller leg's audio started, for speech-end estimates. */
  openedAt?: number;
  lastSpeechEndMs?: number;
}

export class AssistService extends EventEmitter<{ suggestions: [SuggestionsEvent]; escalation: [EscalationEvent] }> {
  private readonly calls = new Map<string, CallAssist>();

  constructor(private readonly deps: AssistDeps) {
    super();
  }

  /** A transcript of a live call (caller or agent leg). */
  transcript(callId: string, language: string, event: AssistTranscript, openedAt?: number): void {
    const call = this.callOf(callId, language);
    if (openedAt !== undefined && event.leg === 'caller') call.openedAt = openedAt;
    if (event.type === 'final') this.checkEscalation(callId, call, event);
    if (event.leg !== 'caller') return;
    call.lastSpeechEndMs = event.endMs;
    const due = call.tracker.heard(event, this.deps.clock.now());
    if (!due) return;
    call.timer?.cancel();
    call.timer = this.deps.clock.at(due.due, () => this.matchNow(callId));
  }

  /** What the agent console shows now for a call (e.g. when it opens mid-call). */
  current(callId: string): Suggestion[] {
    return this.calls.get(callId)?.tracker.current() ?? [];
  }

  opened(callId: string, articleId: string, by: string): void {
    this.deps.note(callId, { type: 'assist-opened', articleId, by });
  }

  helpful(callId: string, articleId: string, by: string): void {
    this.deps.note(callId, { type: 'assist-helpful', articleId, by });
  }

  ended(callId: string): void {
    this.calls.get(callId)?.timer?.cancel();
    this.calls.delete(callId);
  }

  private callOf(callId: string, language: string): CallAssist {
    let call = this.calls.get(callId);
    if (!call) {
      call = {
        tracker: new SuggestionTracker({ ...DEFAULT_TRACKER_OPTIONS, ...this.deps.tracker }),
        language: language === 'zh-CN' ? 'zh-CN' : 'en',
        shownEver: new Set(),
        escalated: new Set(),
      };
      this.calls.set(callId, call);
    }
    return call;
  }

  private matchNow(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    const now = this.deps.clock.now();
    const query = call.tracker.take(now);
    if (!query) return;
    // The recognizer's readings of the words: the one the knowledge base is surest of is shown.
    const readings = readingsOf(query.text, query.readings);
    const { text, answer } = surestReading(readings.map((reading) => ({ text: reading, answer: this.deps.knowledge.ask(reading, call.language, 3) })));
    const results: Suggestion[] = answer.matches.map((m) => ({ articleId: m.article.id, title: m.article.title, score: m.score, confidence: m.confidence, matchedTerms: m.matchedTerms }));
    const changed = call.tracker.ranked(results, query.final);
    if (!changed) return;
    changed.forEach((s, rank) => {
      if (call.shownEver.has(s.articleId)) return;
      call.shownEver.add(s.articleId);
      this.deps.note(callId, { type: 'assist-shown', articleId: s.articleId, rank: rank + 1, score: Math.round(s.confidence * 1000) / 1000 });
    });
    const speechEndAt = call.openedAt !== undefined && call.lastSpeechEndMs !== undefined ? call.openedAt + call.lastSpeechEndMs : undefined;
    this.emit('suggestions', { callId, suggestions: changed, query: text, final: query.final, at: now, ...(speechEndAt !== undefined ? { speechEndAt } : {}) });
  }

  private checkEscalation(callId: string, call: CallAssist, event: AssistTranscript): void {
    const phrase = this.deps.escalation.find(event.text, call.language);
    if (!phrase || call.escalated.has(phrase)) return;
    call.escalated.add(phrase);
    this.deps.note(callId, { type: 'escalation', phrase, leg: event.leg, text: event.text });
    this.emit('escalation', { callId, phrase, leg: event.leg, text: event.text, at: this.deps.clock.now() });
  }
}
