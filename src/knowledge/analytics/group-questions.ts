/**
 * Unmatched questions grouped by similarity, for knowledge-base authors: "37 callers asked
 * something like 'how do I change my billing address' and the nearest articles were …".
 *
 * Terms come from the matcher's analyser (same synonyms, stop words, stemming and Chinese
 * segmentation): English word unigrams (weight 1) and bigrams (0.5); Chinese Han character
 * bigrams (1, they survive segmentation and recognition errors) and segmented words (0.5). Each
 * term is weighted by its IDF over the distinct questions of that language (counted as at least
 * 100), so words every question has ("how", "我想") count for little. Similarity is the cosine of those vectors.
 *
 * Grouping is greedy and single-pass: identical questions (case and punctuation aside) are merged
 * first; distinct questions are taken most frequent first (then alphabetically, so the output is
 * deterministic); each joins the group whose centroid (the sum of its members' unit vectors) is
 * most similar if that similarity is ≥ the threshold, else it starts a new group — unless the cap
 * on groups is reached, when it is counted as ungrouped. The first member is the most frequent
 * wording and is the group's representative. Centroids, not single leaders, so "how do I change
 * my billing address" finds "change billing address" however the group began. Candidate groups
 * are found through an inverted index (term → groups with that term's centroid weight), pruned as
 * search engines do (MaxScore): terms like "how do I" that cannot make a group similar enough on
 * their own do not nominate candidates. The cost is the number of posting entries and weights
 * read (reported as `comparisons`): at most questions × terms × groups, in practice a small
 * multiple of the questions, and the cap on groups bounds it.
 */
import type { Analyzer } from '../matcher/analyze.ts';
import type { ArticleMatch, BotLanguage } from './trail-entries.ts';

export interface QuestionGroup {
  language: BotLanguage;
  /** The most frequent wording in the group. */
  representative: string;
  /** How many times callers asked a question of this group. */
  count: number;
  /** Up to 5 distinct wordings, most frequent first (the representative first). */
  examples: { text: string; count: number }[];
  /** Up to 3 articles the matcher ranked first for these questions (below the answer threshold). */
  articles: { id: string; top: number; bestConfidence: number }[];
  /** When the group was last asked (ms since epoch), if the trail said. */
  lastAt: number | null;
}

export interface GroupingOptions {
  analyzer: Analyzer;
  /** Cosine similarity to a group's centroid needed to join it (default 0.35). */
  threshold?: number;
  /** Most groups per language (default 2,000); questions beyond it are counted as ungrouped. */
  maxGroups?: number;
  /** Score every group that shares a term, without MaxScore pruning (for tests: same groups, more work). */
  exhaustive?: boolean;
}

export interface GroupingResult {
  /** Largest first, then by representative. */
  groups: QuestionGroup[];
  /** Questions (occurrences) that fit no group once the cap was reached. */
  ungrouped: number;
  /** Posting entries visited while scoring candidates: the work done, for tests and benchmarks. */
  comparisons: number;
}

export const DEFAULT_SIMILARITY = 0.35;
export const DEFAULT_MAX_GROUPS = 2_000;
const MAX_EXAMPLES = 5;
/**
 * IDF is computed as if there were at least this many questions: among three questions every
 * shared word looks common, and two wordings of one question would be pulled apart by the very
 * words they share.
 */
const IDF_MIN_QUESTIONS = 100;
const MAX_ARTICLES = 3;

interface Distinct {
  key: string;
  text: string;
  language: BotLanguage;
  count: number;
  lastAt: number | null;
  articles: Map<string, { top: number; bestConfidence: number }>;
}

const byCountThenKey = (a: Distinct, b: Distinct) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const HAN_PAIR = /^c:\p{Script=Han}{2}$/u;

/** Case, punctuation and spacing do not make two questions different. */
const questionKey = (text: string) => text.toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, ' ').trim();

/** Collects unmatched questions (merging identical ones as they come), then groups them. */
export class UnmatchedQuestions {
  private readonly distinct = new Map<string, Distinct>();
  private total = 0;

  /** Occurrences added (questions with some text). */
  get size(): number {
    return this.total;
  }

  /** False when the text has nothing to group by (empty, or punctuation only). */
  add(question: { text: string; language: BotLanguage; at: number | undefined; matches: ArticleMatch[] }): boolean {
    const key = questionKey(question.text);
    if (!key) return false;
    const mapKey = `${question.language}\u0000${key}`;
    let item = this.distinct.get(mapKey);
    if (!item) {
      item = { key, text: question.text, language: question.language, count: 0, lastAt: null, articles: new Map() };
      this.distinct.set(mapKey, item);
    }
    this.total++;
    item.count++;
    // Of the wordings that share a key, the smallest is shown: independent of the order calls came in.
    if (question.text < item.text) item.text = question.text;
    if (question.at !== undefined) item.lastAt = Math.max(item.lastAt ?? question.at, question.at);
    let top: ArticleMatch | undefined;
    for (const match of question.matches) {
      if (!top || match.confidence > top.confidence || (match.confidence === top.confidence && match.id < top.id)) top = match;
      const seen = item.articles.get(match.id) ?? { top: 0, bestConfidence: match.confidence };
      seen.bestConfidence = Math.max(seen.bestConfidence, match.confidence);
      item.articles.set(match.id, seen);
    }
    if (top) item.articles.get(top.id)!.top++;
    return true;
  }

  group(options: GroupingOptions): GroupingResult {
    const result: GroupingResult = { groups: [], ungrouped: 0, comparisons: 0 };
    for (const language of ['en', 'zh-CN'] as const) {
      const items = [...this.distinct.values()].filter((d) => d.language === language).sort(byCountThenKey);
      if (items.length) groupLanguage(items, language, options, result);
    }
    result.groups.sort((a, b) => b.count - a.count || compareText(a.representative, b.representative) || compareText(a.language, b.language));
    return result;
  }
}

function termsOf(analyzer: Analyzer, text: string, language: BotLanguage): Map<string, number> {
  const terms = new Map<string, number>();
  for (const feature of analyzer.features(text, language)) {
    const weight = language === 'zh-CN'
      ? (HAN_PAIR.test(feature) ? 1 : feature.startsWith('w:') ? 0.5 : 0)
      : (feature.startsWith('w:') ? 1 : feature.startsWith('b:') ? 0.5 : 0);
    if (weight > 0) terms.set(feature, (terms.get(feature) ?? 0) + weight);
  }
  return terms;
}

/**
 * A group's centroid is the sum of its members' unit vectors, kept in the postings; `squared` is
 * its squared length and `slots` says where each of its terms sits in that term's posting list.
 */
interface Group { leader: Distinct; members: Distinct[]; squared: number; slots: Map<string, number> }
/** Parallel arrays: group ids and that term's weight in each group's centroid. */
interface Postings { groups: number[]; weights: number[] }

function groupLanguage(items: Distinct[], language: BotLanguage, options: GroupingOptions, result: GroupingResult): void {
  const threshold = options.threshold ?? DEFAULT_SIMILARITY;
  const maxGroups = Math.max(1, options.maxGroups ?? DEFAULT_MAX_GROUPS);
  const termLists = items.map((item) => termsOf(options.analyzer, item.text, language));
  const df = new Map<string, number>();
  for (const terms of termLists) for (const term of terms.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = items.length;

  const groups: Group[] = [];
  const postings = new Map<string, Postings>();
  // term → the most that term has ever weighed in a normalised centroid (an upper bound on it now).
  const ceiling = new Map<string, number>();
  const dots = new Float64Array(Math.min(maxGroups, n));
  const touched: number[] = [];

  const join = (g: number, vector: [string, number][]) => {
    const group = groups[g]!;
    for (const [term, weight] of vector) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = { groups: [], weights: [] }));
      let slot = group.slots.get(term);
      if (slot === undefined) {
        slot = list.groups.push(g) - 1;
        list.weights.push(0);
        group.slots.set(term, slot);
      }
      const old = list.weights[slot]!;
      list.weights[slot] = old + weight;
      group.squared += (old + weight) ** 2 - old ** 2;
    }
    // Weights are never negative, so a centroid only grows: only the terms just added can weigh
    // more in it, relative to its length, than before.
    const length = Math.sqrt(group.squared);
    for (const [term] of vector) {
      const relative = postings.get(term)!.weights[group.slots.get(term)!]! / length;
      if (relative > (ceiling.get(term) ?? 0)) ceiling.set(term, relative);
    }
  };

  items.forEach((item, i) => {
    const vector: [string, number][] = [];
    let squared = 0;
    for (const [term, tf] of termLists[i]!) {
      const weight = tf * Math.log(1 + Math.max(n, IDF_MIN_QUESTIONS) / df.get(term)!);
      vector.push([term, weight]);
      squared += weight * weight;
    }
    const norm = Math.sqrt(squared);

    let best = -1;
    let bestScore = 0;
    if (norm > 0) {
      for (const pair of vector) pair[1] /= norm;
      // MaxScore: the terms whose summed upper bounds stay below the threshold cannot make a
      // group similar enough on their own, so they are not used to find candidates — only to
      // score exactly the candidates the other terms found.
      const bounded = vector.map(([term, weight]) => ({ term, weight, bound: weight * (ceiling.get(term) ?? 0) })).sort((a, b) => a.bound - b.bound || (a.term < b.term ? -1 : 1));
      let split = 0;
      for (let sum = 0; !options.exhaustive && split < bounded.length && sum + bounded[split]!.bound < threshold - 1e-9; split++) sum += bounded[split]!.bound;
      for (let k = split; k < bounded.length; k++) {
        const { term, weight } = bounded[k]!;
        const list = postings.get(term);
        if (!list) continue;
        result.comparisons += list.groups.length;
        for (let p = 0; p < list.groups.length; p++) {
          const g = list.groups[p]!;
          if (dots[g] === 0) touched.push(g);
          dots[g] = dots[g]! + weight * list.weights[p]!;
        }
      }
      for (const g of touched) {
        let dot = dots[g]!;
        const slots = groups[g]!.slots;
        for (let k = 0; k < split; k++) {
          const { term, weight } = bounded[k]!;
          const slot = slots.get(term);
          result.comparisons++;
          if (slot !== undefined) dot += weight * postings.get(term)!.weights[slot]!;
        }
        const score = dot / Math.sqrt(groups[g]!.squared);
        if (score > bestScore || (score === bestScore && g < best)) { best = g; bestScore = score; }
        dots[g] = 0;
      }
      touched.length = 0;
    }

    if (best >= 0 && bestScore >= threshold - 1e-9) {
      groups[best]!.members.push(item);
      join(best, vector);
    } else if (groups.length < maxGroups) {
      join(groups.push({ leader: item, members: [item], squared: 0, slots: new Map() }) - 1, vector);
    } else result.ungrouped += item.count;
  });

  for (const group of groups) result.groups.push(describe(group, language));
}

function describe(group: Group, language: BotLanguage): QuestionGroup {
  const articles = new Map<string, { top: number; bestConfidence: number }>();
  let count = 0;
  let lastAt: number | null = null;
  for (const member of group.members) {
    count += member.count;
    if (member.lastAt !== null) lastAt = Math.max(lastAt ?? member.lastAt, member.lastAt);
    for (const [id, seen] of member.articles) {
      const sum = articles.get(id) ?? { top: 0, bestConfidence: seen.bestConfidence };
      sum.top += seen.top;
      sum.bestConfidence = Math.max(sum.bestConfidence, seen.bestConfidence);
      articles.set(id, sum);
    }
  }
  return {
    language,
    representative: group.leader.text,
    count,
    // Members joined in processing order: most frequent first, the leader first of all.
    examples: group.members.slice(0, MAX_EXAMPLES).map((m) => ({ text: m.text, count: m.count })),
    articles: [...articles]
      .map(([id, seen]) => ({ id, top: seen.top, bestConfidence: Math.round(seen.bestConfidence * 1000) / 1000 }))
      .sort((a, b) => b.top - a.top || b.bestConfidence - a.bestConfidence || compareText(a.id, b.id))
      .slice(0, MAX_ARTICLES),
    lastAt,
  };
}
