// Article fixtures shared by this folder's tests.
import type { ArticleInput } from './article.ts';

export const AT = new Date('2026-03-01T10:00:00Z');
export const META = { author: 'admin', at: AT };

export function sampleArticle(overrides: Partial<ArticleInput> = {}): ArticleInput {
  return {
    id: 'refund-policy',
    title: 'Refund policy',
    standardQuestion: 'How do I get a refund?',
    similarQuestions: ['can I get my money back', 'refund please'],
    keywords: ['refund', 'money back'],
    answer: 'Refunds are paid within 14 days.\nCall us if it takes longer.',
    agentScript: 'Confirm the order number first.',
    categoryPath: ['billing', 'refunds'],
    tags: ['billing'],
    language: 'en',
    author: 'alice',
    ...overrides,
  };
}

/** Awkward but valid content for round trips: separators, quotes, newlines, escapes, CJK, emoji. */
export function trickyArticle(): ArticleInput {
  return sampleArticle({
    id: 'tricky_1',
    title: 'Quotes "inside", commas, | pipes and \\ backslashes',
    standardQuestion: '退款 要 多久？ 😀',
    similarQuestions: ['a|b', 'back\\slash', 'ends with \\', '"quoted"', '---', '- item: yes', '#hash', '  '.trim() || 'x'],
    keywords: ['key,word', '关键词'],
    answer: '---\nline two, with "quotes"\r\n\n  indented\n\n',
    answerAudio: { en: 'audio/refund.wav', 'zh-CN': 'audio/zh/refund-zh.wav' },
    agentScript: '',
    categoryPath: ['账单', 'a|b'],
    tags: [],
    language: 'zh-CN',
    validFrom: '2026-01-01',
    validUntil: '2026-12-31T23:59:59+08:00',
  });
}

/** n generated articles, realistic sizes, ids article-00001 …; half zh-CN. */
export function generateArticles(n: number): ArticleInput[] {
  return Array.from({ length: n }, (_, i) => {
    const k = String(i + 1).padStart(5, '0');
    const zh = i % 2 === 1;
    return sampleArticle({
      id: `article-${k}`,
      title: zh ? `问题 ${k} 的标题` : `Topic ${k} title`,
      standardQuestion: zh ? `怎么办理业务 ${k}？` : `How do I handle case ${k}?`,
      similarQuestions: Array.from({ length: 8 }, (_, j) => (zh ? `业务 ${k} 的第 ${j} 种问法` : `variant ${j} of question ${k}, please help`)),
      keywords: [`k${k}`, 'common'],
      answer: `${zh ? '答案' : 'Answer'} ${k}: ${'lorem ipsum, "dolor" sit amet\n'.repeat(10)}`,
      categoryPath: ['cat', `sub-${i % 20}`],
      tags: [`t${i % 7}`],
      language: zh ? 'zh-CN' : 'en',
    });
  });
}
