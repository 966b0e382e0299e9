// Which articles the agent sees while the caller talks, for one call. Pure: the assist service
// feeds it transcripts and match results and drives the clock. Two jobs:
// - debounce: partials arrive every ~100 ms while the caller speaks; matching each would make the
//   list jump with every half-word. A partial is matched at most once per debounce period
//   (trailing edge); a final is matched at once (the question just ended, the agent is waiting).
// - stability: a new ranking replaces the shown one only when it really changed: other articles
//   in the list, or a new first article that leads clearly. Reordering of the runners-up, and
//   weak rankings of a half-spoken sentence, keep what is on screen.

export interface Suggestion {
  articleId: string;
  title: string;
  score: number;
  confidence: number;
  matchedTerms: string[];
}

export interface TrackerOptions {
  /** Minimum time between two matches of partials. */
  debounceMs: number;
  /** Results below this confidence are not shown (an empty list is not pushed over a good one). */
  minConfidence: number;
  /** A new first article must beat the shown first article's new confidence by this much (partials). */
  lead: number;
  limit: number;
  /** Earlier finals this recent are part of the question (callers pause mid-sentence). */
  contextMs: number;
  /** At most this many words of context. */
  contextWords: number;
}

/** A transcript as the tracker takes it. */
export interface HeardText {
  type: 'partial' | 'final';
  text: string;
  /** A partial decoded over the whole turn once the caller went quiet: matched at once, like a final. */
  settled?: boolean;
  /** Finals: the recognizer's other readings of the same words. */
  alternatives?: readonly string[];
}

/** What to match: the query (with context), its other readings, and whether it ends a question. */
export interface PendingQuery {
  text: string;
  readings: string[];
  final: boolean;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = { debounceMs: 400, minConfidence: 0.03, lead: 0.1, limit: 3, contextMs: 6000, contextWords: 30 };

export class SuggestionTracker {
  private shown: Suggestion[] = [];
  private finals: { text: string; at: number }[] = [];
  private lastMatchAt = -Infinity;
  private pending: PendingQuery | undefined;

  constructor(private readonly options: TrackerOptions = DEFAULT_TRACKER_OPTIONS) {}

  current(): Suggestion[] {
    return this.shown;
  }

  /**
   * A caller transcript arrived. Returns the query to match and when (now for finals and for a
   * partial after a quiet period; otherwise at the end of the debounce period), or undefined when
   * nothing new is to be matched.
   */
  heard(event: HeardText, now: number): { due: number } | undefined {
    const text = event.text.trim();
    if (!text) return undefined;
    // The early whole-turn reading ends the question as a final does (the caller went quiet),
    // but the final that follows is the turn's text for the context of later questions.
    const decisive = event.type === 'final' || event.settled === true;
    const query = this.withContext(text, now);
    const readings = (event.alternatives ?? []).map((a) => a.trim()).filter(Boolean).map((a) => this.withContext(a, now));
    if (event.type === 'final') this.finals = [...this.finals.slice(-5), { text, at: now }];
    const due = decisive ? now : Math.max(now, this.lastMatchAt + this.options.debounceMs);
    const alreadyDue = this.pending !== undefined;
    // A final always wins over a pending partial; a newer partial replaces an older one.
    if (!this.pending?.final || decisive) this.pending = { text: query, readings, final: decisive };
    return alreadyDue && !decisive ? undefined : { due };
  }

  /** The query due now (the service calls this when the time from heard() comes). */
  take(now: number): PendingQuery | undefined {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.lastMatchAt = now;
    return pending;
  }

  /** Results of a match; returns the list to push when it changed meaningfully, else undefined. */
  ranked(results: Suggestion[], final: boolean): Suggestion[] | undefined {
    const next = results.filter((r) => r.confidence >= this.options.minConfidence).slice(0, this.options.limit);
    if (!next.length) return undefined;
    const ids = (list: Suggestion[]) => list.map((s) => s.articleId);
    const sameSet = next.length === this.shown.length && ids(next).every((id) => ids(this.shown).includes(id));
    const sameTop = next[0]!.articleId === this.shown[0]?.articleId;
    if (sameSet && sameTop) {
      // Same articles: refresh the scores quietly (the console shows them), no push.
      this.shown = next;
      return undefined;
    }
    if (!final && this.shown.length) {
      const shownTopNow = next.find((s) => s.articleId === this.shown[0]!.articleId);
      const clearLead = next[0]!.confidence - (shownTopNow?.confidence ?? 0) >= this.options.lead;
      if (!clearLead) return undefined;
    }
    this.shown = next;
    return next;
  }

  /** The current words plus the caller's finals of the last few seconds (one question, several turns). */
  private withContext(text: string, now: number): string {
    const earlier = this.finals.filter((f) => now - f.at <= this.options.contextMs).map((f) => f.text).join(' ');
    if (!earlier) return text;
    return `${earlier.split(/\s+/).slice(-this.options.contextWords).join(' ')} ${text}`;
  }
}
