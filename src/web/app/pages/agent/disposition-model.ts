// Call classification in the browser: the API's shapes and the category tree (names in the
// user's language, full paths "Billing › Dispute", children in name order), shared by the agent's
// wrap-up panel, the administration tab and the report. Pure data, no React.
export type Policy = 'required' | 'optional' | 'off';
export const POLICIES: readonly Policy[] = ['required', 'optional', 'off'];

export interface Category {
  id: string;
  names: { en: string; 'zh-CN': string };
  parentId?: string;
  active: boolean;
  match?: { flows?: string[]; menuKeys?: string[]; articles?: string[]; campaigns?: string[] };
}
export interface StoredCategory { value: Category; revision: number; updatedAt: number; updatedBy: string }
export interface StoredPolicy { queueId: string; policy: Policy; revision: number }
export type Reason =
  | { kind: 'article'; articleId: string; how: 'helpful' | 'opened' | 'shown' }
  | { kind: 'campaign'; campaignId: string }
  | { kind: 'menu'; keys: string }
  | { kind: 'flow'; flowId: string };
export interface Suggested { categoryId: string; score: number; reasons: Reason[] }
export interface DispositionEntry { categoryId: string; by: string; at: number; note?: string }
export interface CallDisposition { callId: string; categoryId: string; history: DispositionEntry[] }
export interface WrapUp { callId: string; queue?: string; policy: Policy; agents: string[]; suggestions: Suggested[]; current?: CallDisposition }

export interface TreeNode { category: Category; depth: number; path: string }

const nameIn = (c: Category, locale: string) => (locale === 'zh-CN' ? c.names['zh-CN'] : c.names.en);

/** Depth-first, each level in name order; a category whose parent is missing is shown at the top. */
export function flattenTree(categories: readonly Category[], locale: string): TreeNode[] {
  const ids = new Set(categories.map((c) => c.id));
  const children = new Map<string | undefined, Category[]>();
  for (const c of categories) {
    const parent = c.parentId !== undefined && ids.has(c.parentId) ? c.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), c]);
  }
  const out: TreeNode[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | undefined, depth: number, prefix: string) => {
    const level = [...(children.get(parent) ?? [])].sort((a, b) => nameIn(a, locale).localeCompare(nameIn(b, locale), locale));
    for (const c of level) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      const path = prefix ? `${prefix} › ${nameIn(c, locale)}` : nameIn(c, locale);
      out.push({ category: c, depth, path });
      walk(c.id, depth + 1, path);
    }
  };
  walk(undefined, 0, '');
  return out;
}

/** "Billing › Dispute" for an id, the id itself when the category is unknown. */
export const pathOf = (tree: readonly TreeNode[], id: string) => tree.find((n) => n.category.id === id)?.path ?? id;

/** "a, b , ,c" → ["a", "b", "c"] (the admin form's lists). */
export const listOf = (text: string) => text.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
