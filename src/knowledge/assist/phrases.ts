// Phrases that change how a call is handled, in both languages: escalation (an unhappy or
// threatening caller: a supervisor should know) and a request for a person (the bot hands off).
// Matching is literal on normalized text: English on whole words, Chinese as substrings (no
// spaces between words). Recognizer output is lower-case words, so this is enough and never slow.
import type { ArticleLanguage } from '../base/index.ts';

export type PhraseSet = Record<ArticleLanguage, string[]>;

export const DEFAULT_ESCALATION_PHRASES: PhraseSet = {
  en: ['complaint', 'complain', 'lawyer', 'sue you', 'legal action', 'cancel everything', 'ombudsman', 'unacceptable', 'ridiculous', 'furious', 'fraud'],
  'zh-CN': ['投诉', '举报', '律师', '起诉', '曝光', '消协', '工信部', '欺诈', '太过分'],
};

export const DEFAULT_AGENT_PHRASES: PhraseSet = {
  en: ['agent', 'operator', 'human', 'real person', 'representative', 'speak to someone', 'talk to someone', 'speak to a person', 'talk to a person'],
  'zh-CN': ['人工', '转人工', '客服人员', '真人'],
};

const MAX_TEXT = 10_000;

/** NFKC, lower case, punctuation and symbols to spaces, single spaces; bounded length. */
export function normalizePhraseText(text: string): string {
  return text
    .slice(0, MAX_TEXT)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface PhraseMatcher {
  /** The first configured phrase found in the text (as configured), or undefined. */
  find(text: string, language: string): string | undefined;
}

/** A site's own list (any language, mixed): Chinese phrases by their script, the rest as English. */
export function phraseSetOf(list: string[]): PhraseSet {
  return { en: list.filter((p) => !hasHan(p)), 'zh-CN': list.filter((p) => hasHan(p)) };
}

const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

export function phraseMatcher(phrases: PhraseSet): PhraseMatcher {
  const prepared = Object.fromEntries(
    Object.entries(phrases).map(([language, list]) => [language, list.map((phrase) => ({ phrase, normal: normalizePhraseText(phrase) })).filter((p) => p.normal)]),
  ) as Record<string, { phrase: string; normal: string }[]>;
  return {
    find(text, language) {
      const normal = normalizePhraseText(text);
      if (!normal) return undefined;
      const padded = ` ${normal} `;
      // Chinese recognizers put spaces between words ("我 要 投诉"); Han phrases match without them.
      const joined = normal.replaceAll(' ', '');
      // Callers mix languages ("我要投诉 complaint"): check the call's language first, then the other.
      const order = [language, ...Object.keys(prepared).filter((l) => l !== language)];
      for (const l of order) {
        for (const { phrase, normal: p } of prepared[l] ?? []) {
          if (hasHan(p) ? joined.includes(p.replaceAll(' ', '')) : padded.includes(` ${p} `)) return phrase;
        }
      }
      return undefined;
    },
  };
}
