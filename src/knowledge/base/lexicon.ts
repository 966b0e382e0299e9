// The admin-editable part of text analysis (synonyms, stop words), validated and mapped to the
// matcher's Lexicon shape.
import { z } from 'zod';
import { defaultLexicon, type Lexicon } from '../matcher/index.ts';
import type { ArticleLanguage } from './article.ts';

export interface LanguageLexicon {
  /** variant → canonical form */
  synonyms: Record<string, string>;
  stopWords: string[];
}

const term = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'contains control characters');

export const languageLexiconSchema = z.strictObject({
  synonyms: z
    .record(term, term)
    .refine((m) => Object.keys(m).length <= 20_000, 'at most 20000 synonyms'),
  stopWords: z.array(term).max(5_000, 'at most 5000 stop words'),
});

const matcherKey = (language: ArticleLanguage) => (language === 'zh-CN' ? 'zh' : 'en');

export function defaultLanguageLexicon(language: ArticleLanguage): LanguageLexicon {
  const all = defaultLexicon();
  const key = matcherKey(language);
  return { synonyms: all.synonyms[key], stopWords: all.stopWords[key] };
}

export function toMatcherLexicon(zh: LanguageLexicon, en: LanguageLexicon): Lexicon {
  return {
    synonyms: { zh: { ...zh.synonyms }, en: { ...en.synonyms } },
    stopWords: { zh: [...zh.stopWords], en: [...en.stopWords] },
  };
}
