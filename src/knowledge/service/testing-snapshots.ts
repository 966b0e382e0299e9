// Snapshot fixtures for this folder's tests: published articles from inputs, a large synthetic
// knowledge base, and a snapshot's answers without their timings (to compare two builds).
import { checkArticle, type ArticleInput } from '../base/index.ts';
import { defaultLexiconOf, type PublishedArticle, type Snapshot } from './snapshot.ts';

export const DEFAULT_LEXICONS = { 'zh-CN': { version: 0, lexicon: defaultLexiconOf('zh-CN') }, en: { version: 0, lexicon: defaultLexiconOf('en') } };

/** Articles as a publish reads them (version 1 each). */
export function publishedOf(inputs: ArticleInput[]): PublishedArticle[] {
  return inputs.map((input) => {
    const checked = checkArticle(input);
    if (!checked.ok) throw new Error(`bad fixture ${input.id}: ${checked.issues.map((i) => i.message).join('; ')}`);
    return { article: checked.article, version: 1 };
  });
}

/** Everything the matcher says about each question except its timing. */
export function answersOf(snapshot: Snapshot, questions: readonly (readonly [string, 'en' | 'zh-CN'])[]) {
  return questions.map(([text, language]) => {
    const { ms, ...answer } = snapshot.languages.get(language)!.matcher.match(text, { language, limit: 5 });
    return answer;
  });
}


const EN_ACTIONS = ['reset', 'change', 'cancel', 'renew', 'track', 'pay', 'report', 'update', 'check', 'close'];
const EN_THINGS = ['password', 'order', 'subscription', 'invoice', 'parcel', 'account', 'contract', 'card', 'address', 'plan', 'refund', 'router'];
const ZH_ACTIONS = ['查询', '修改', '取消', '办理', '补办', '开通', '投诉', '缴纳', '变更', '注销'];
const ZH_THINGS = ['话费', '套餐', '宽带', '密码', '账单', '发票', '流量', '订单', '积分', '合同', '地址', '银行卡'];

/**
 * `count` articles, ids kb-00000 …, even ones English, odd ones Chinese; `questions` per article
 * (1–5). Articles differ by topic words and a number, as the near-duplicates of a real 10k KB do.
 */
export function largeKnowledgeBase(count: number, questions = 3): ArticleInput[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(5, '0');
    const zh = i % 2 === 1;
    const action = (zh ? ZH_ACTIONS : EN_ACTIONS)[Math.floor(i / 2) % 10]!;
    const thing = (zh ? ZH_THINGS : EN_THINGS)[Math.floor(i / 20) % 12]!;
    const asked = zh
      ? [`怎么${action}${thing} ${n}`, `我想${action}${thing}，编号 ${n}`, `${thing} ${n} 可以${action}吗`, `${n} 号${thing}怎么${action}`, `请帮我${action} ${n} 的${thing}`]
      : [`how do I ${action} my ${thing} ${n}`, `I want to ${action} the ${thing} number ${n}`, `can you ${action} ${thing} ${n} for me`, `${thing} ${n}: how to ${action} it`, `please help me ${action} ${thing} ${n}`];
    const list = asked.slice(0, Math.max(1, Math.min(questions, asked.length)));
    return {
      id: `kb-${n}`, language: zh ? 'zh-CN' : 'en', title: `${action} ${thing} ${n}`,
      standardQuestion: list[0]!, similarQuestions: list.slice(1), answer: `Answer ${n}.`, author: 'generator',
    };
  });
}
