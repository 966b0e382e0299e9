import test from 'ava';
import type { Category } from './disposition-types.ts';
import { categoryForPath, signalsOf, suggestCategories } from './suggest.ts';

const cat = (id: string, en: string, zh: string, extra: Partial<Category> = {}): Category => ({ id, names: { en, 'zh-CN': zh }, active: true, ...extra });
const categories: Category[] = [
  cat('billing', 'Billing', '账单'),
  cat('billing-dispute', 'Dispute', '争议', { parentId: 'billing', match: { menuKeys: ['21'] } }),
  cat('billing-refund', 'Refund', '退款', { parentId: 'billing', match: { articles: ['refund-policy'] } }),
  cat('tech', 'Technical', '技术', { match: { flows: ['support-en'], menuKeys: ['3'] } }),
  cat('renewal', 'Renewal', '续约', { match: { campaigns: ['renew-2026'] } }),
  cat('old', 'Old topic', '旧主题', { active: false, match: { flows: ['support-en'] } }),
];
const articlePaths: Record<string, string[]> = { 'late-fee': ['账单', '争议'], 'wifi': ['Technical', 'Wi-Fi'], 'unknown': ['Nothing'] };
const articleCategory = (id: string) => articlePaths[id];

test('given IVR menu keys 2 then 1 in flow support-en, when suggested, then Billing › Dispute ranks above the flow-wide Technical', (t) => {
  const trail = [
    { type: 'entered', flow: { flowId: 'support-en', version: 1 } },
    { type: 'input', flow: 'support-en', node: 'main', digit: '2' },
    { type: 'input', flow: 'support-en', node: 'billing', digit: '1' },
  ];
  const got = suggestCategories({ categories, trail });
  t.deepEqual(got.map((s) => s.categoryId), ['billing-dispute', 'tech']);
  t.deepEqual(got[0]!.reasons, [{ kind: 'menu', keys: '21' }]);
  t.deepEqual(got[1]!.reasons, [{ kind: 'flow', flowId: 'support-en' }]);
  t.is(got[0]!.score, 3);
});

test('given a retired category whose rule matches, when suggested, then it is never offered', (t) => {
  const got = suggestCategories({ categories, trail: [{ type: 'flow-start', flow: 'support-en' }] });
  t.deepEqual(got.map((s) => s.categoryId), ['tech']);
});

test('given assist entries, when suggested, then a helpful article outranks a shown one and categoryPath maps zh-CN and en names to the deepest category', (t) => {
  const trail = [
    { type: 'assist-shown', articleId: 'wifi', rank: 1 },
    { type: 'assist-shown', articleId: 'late-fee', rank: 2 },
    { type: 'assist-helpful', articleId: 'late-fee', by: 'a1' },
    { type: 'assist-shown', articleId: 'unknown', rank: 3 },
  ];
  const got = suggestCategories({ categories, trail, articleCategory });
  t.deepEqual(got.map((s) => s.categoryId), ['billing-dispute', 'tech']);
  t.deepEqual(got[0]!.reasons, [{ kind: 'article', articleId: 'late-fee', how: 'helpful', via: 'category-path' }]);
  t.is(got[0]!.score, 3);
  t.is(got[1]!.score, 1);
});

test('given an article rule and the same article\'s category path, when suggested, then the article counts once for that category', (t) => {
  const paths = { 'refund-policy': ['Billing', 'Refund'] };
  const got = suggestCategories({ categories, trail: [{ type: 'assist-opened', articleId: 'refund-policy' }], articleCategory: (id) => paths[id as keyof typeof paths] });
  t.deepEqual(got, [{ categoryId: 'billing-refund', score: 2, reasons: [{ kind: 'article', articleId: 'refund-policy', how: 'opened', via: 'rule' }] }]);
});

test('given a campaign on the trail or on the call, when suggested, then its category comes first', (t) => {
  const onTrail = suggestCategories({ categories, trail: [{ type: 'campaign', campaignId: 'renew-2026' }, { type: 'input', digit: '3' }] });
  t.deepEqual(onTrail.map((s) => s.categoryId), ['renewal', 'tech']);
  const onCall = suggestCategories({ categories, trail: [], campaign: { campaignId: 'renew-2026' } });
  t.deepEqual(onCall.map((s) => s.categoryId), ['renewal']);
  t.deepEqual(suggestCategories({ categories, trail: [], campaign: 'other' }), []);
});

test('given nothing that matches, when suggested, then the list is empty, and the limit caps it', (t) => {
  t.deepEqual(suggestCategories({ categories, trail: [{ type: 'answered' }, { type: 'dtmf', digit: '9' }] }), []);
  const many = Array.from({ length: 8 }, (_, i) => cat(`c${i}`, `C${i}`, `类${i}`, { match: { flows: ['f'] } }));
  t.is(suggestCategories({ categories: many, trail: [{ type: 'flow-start', flow: 'f' }], limit: 3 }).length, 3);
});

test('given a trail, when its signals are read, then flows, menu keys in order, the strongest article action and campaigns are found', (t) => {
  const s = signalsOf([
    { type: 'entered', flow: { flowId: 'main', version: 2 } }, { type: 'input', flow: 'sub', digit: '1' }, { type: 'dtmf', digit: '1' }, { type: 'input', flow: 'sub', digit: '#' },
    { type: 'assist-opened', articleId: 'x' }, { type: 'assist-shown', articleId: 'x', rank: 1 }, { type: 'campaign', campaignId: 'c1' },
  ]);
  t.deepEqual(s.flows, ['main', 'sub']);
  t.is(s.menuKeys, '1#');
  t.deepEqual(s.articles.get('x'), { how: 'opened', weight: 2 });
  t.deepEqual(s.campaigns, ['c1']);
});

test('given a path that only partly names categories, when mapped, then the deepest match is used, case-insensitively', (t) => {
  t.is(categoryForPath(categories, ['BILLING', 'nope'])?.id, 'billing');
  t.is(categoryForPath(categories, ['Dispute']), undefined);
});
