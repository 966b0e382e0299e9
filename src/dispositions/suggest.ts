// Suggested categories for a call at wrap-up, so the agent usually just confirms one. Pure: the
// call's trail (IVR path, knowledge assist, campaign) and the categories in, a ranking out.
//
// Signals and weights (why): what the agent did with an article says most about the call's topic
// (helpful 3, opened 2, shown 1 — shown only, lower ranks count less, the caller's first words are
// often off topic); a campaign the call belongs to names its purpose outright (4); a menu choice
// is the caller's own words for it (2 plus 0.5 per key: "21" is more specific than "2"); the flow
// alone says little when one flow serves several topics (1.5).
import type { Category } from './disposition-types.ts';

export interface TrailLike {
  type: string;
  [field: string]: unknown;
}

export interface SuggestInput {
  categories: readonly Category[];
  trail: readonly TrailLike[];
  /** The call's own campaign field (the outbound dialer sets it), if any. */
  campaign?: unknown;
  /** A knowledge article's categoryPath (["Billing", "Dispute"]), undefined when unknown. */
  articleCategory?: (articleId: string) => readonly string[] | undefined;
  limit?: number;
}

export type Reason =
  | { kind: 'article'; articleId: string; how: 'helpful' | 'opened' | 'shown'; via: 'rule' | 'category-path' }
  | { kind: 'campaign'; campaignId: string }
  | { kind: 'menu'; keys: string }
  | { kind: 'flow'; flowId: string };

export interface SuggestedCategory {
  categoryId: string;
  score: number;
  reasons: Reason[];
}

/** What happened in the call, as the rules see it. */
export interface CallSignals {
  flows: string[];
  /** Keys pressed in IVR menus, in order ("21"). */
  menuKeys: string;
  /** Article id → the strongest thing the agent did with it. */
  articles: Map<string, { how: 'helpful' | 'opened' | 'shown'; weight: number }>;
  campaigns: string[];
}

const ARTICLE_WEIGHT = { helpful: 3, opened: 2, shown: 1 } as const;

export function signalsOf(trail: readonly TrailLike[], campaign?: unknown): CallSignals {
  const flows = new Set<string>();
  const campaigns = new Set<string>();
  const articles: CallSignals['articles'] = new Map();
  let menuKeys = '';
  const article = (id: unknown, how: 'helpful' | 'opened' | 'shown', weight: number) => {
    if (typeof id !== 'string' || !id) return;
    const had = articles.get(id);
    if (!had || had.weight < weight) articles.set(id, { how, weight });
  };
  for (const entry of trail) {
    const flow = entry.flow;
    if (typeof flow === 'string' && flow) flows.add(flow);
    else if (flow && typeof flow === 'object' && typeof (flow as { flowId?: unknown }).flowId === 'string') flows.add((flow as { flowId: string }).flowId);
    if (entry.type === 'input' && typeof entry.digit === 'string') menuKeys += entry.digit;
    else if (entry.type === 'assist-helpful') article(entry.articleId, 'helpful', ARTICLE_WEIGHT.helpful);
    else if (entry.type === 'assist-opened') article(entry.articleId, 'opened', ARTICLE_WEIGHT.opened);
    // Rank 1 counts fully, rank 3 a half: the top suggestion is the one most often right.
    else if (entry.type === 'assist-shown') article(entry.articleId, 'shown', ARTICLE_WEIGHT.shown / Math.max(1, (Number(entry.rank) || 1) * 0.5 + 0.5));
    else if (entry.type === 'campaign' && typeof entry.campaignId === 'string') campaigns.add(entry.campaignId);
  }
  if (typeof campaign === 'string' && campaign) campaigns.add(campaign);
  else if (campaign && typeof campaign === 'object' && typeof (campaign as { campaignId?: unknown }).campaignId === 'string') campaigns.add((campaign as { campaignId: string }).campaignId);
  return { flows: [...flows], menuKeys, articles, campaigns: [...campaigns] };
}

const fold = (text: string) => text.trim().toLocaleLowerCase();

/** The category a knowledge categoryPath names: the deepest one whose names (en or zh-CN) match its start. */
export function categoryForPath(categories: readonly Category[], path: readonly string[]): Category | undefined {
  const byParent = new Map<string | undefined, Category[]>();
  for (const c of categories) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
  let found: Category | undefined;
  let level = byParent.get(undefined) ?? [];
  for (const part of path) {
    const want = fold(part);
    const next = level.find((c) => fold(c.names.en) === want || fold(c.names['zh-CN']) === want || c.id === want);
    if (!next) break;
    found = next;
    level = byParent.get(next.id) ?? [];
  }
  return found;
}

export function suggestCategories(input: SuggestInput): SuggestedCategory[] {
  const active = input.categories.filter((c) => c.active);
  const signals = signalsOf(input.trail, input.campaign);
  const found = new Map<string, SuggestedCategory>();
  const add = (categoryId: string, score: number, reason: Reason) => {
    const s = found.get(categoryId) ?? { categoryId, score: 0, reasons: [] };
    s.score += score;
    s.reasons.push(reason);
    found.set(categoryId, s);
  };
  for (const c of active) {
    const m = c.match;
    if (!m) continue;
    for (const id of m.campaigns ?? []) if (signals.campaigns.includes(id)) add(c.id, 4, { kind: 'campaign', campaignId: id });
    // The longest matching key sequence only: "2" and "21" both matching is one choice.
    const keys = (m.menuKeys ?? []).filter((k) => signals.menuKeys.startsWith(k)).sort((a, b) => b.length - a.length)[0];
    if (keys) add(c.id, 2 + 0.5 * keys.length, { kind: 'menu', keys });
    for (const id of m.flows ?? []) if (signals.flows.includes(id)) add(c.id, 1.5, { kind: 'flow', flowId: id });
    for (const id of m.articles ?? []) {
      const a = signals.articles.get(id);
      if (a) add(c.id, a.weight, { kind: 'article', articleId: id, how: a.how, via: 'rule' });
    }
  }
  // Articles without a rule: their knowledge category, when it names a disposition category.
  for (const [articleId, a] of signals.articles) {
    const path = input.articleCategory?.(articleId);
    if (!path?.length) continue;
    const category = categoryForPath(active, path);
    if (!category) continue;
    if (found.get(category.id)?.reasons.some((r) => r.kind === 'article' && r.articleId === articleId)) continue;
    add(category.id, a.weight, { kind: 'article', articleId, how: a.how, via: 'category-path' });
  }
  return [...found.values()]
    .map((s) => ({ ...s, score: Math.round(s.score * 100) / 100 }))
    .sort((a, b) => b.score - a.score || a.categoryId.localeCompare(b.categoryId))
    .slice(0, input.limit ?? 5);
}
