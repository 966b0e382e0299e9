/**
 * Stop words and synonyms: the parts of analysis that knowledge-base admins edit. Synonyms map
 * variants to one canonical form before any feature is made, so "cc" and "credit card", or
 * "手机" and "电话", become the same features in questions and queries alike.
 */

export interface Lexicon {
  /** variant → canonical, per language. Multi-word English variants are matched on word boundaries. */
  synonyms: { en: Record<string, string>; zh: Record<string, string> };
  stopWords: { en: string[]; zh: string[] };
}

// Deliberately short: words like "not", "how", "what" and "my" separate intents, so they stay.
export const DEFAULT_STOP_WORDS = {
  en: ['a', 'an', 'the', 'to', 'of', 'and', 'or', 'is', 'are', 'be', 'please', 'pls', 'um', 'uh', 'hmm', 'okay', 'ok', 'hey', 'hi', 'just', 'so', 'that', 'this', 'it', 'its'],
  zh: ['的', '了', '吗', '呢', '吧', '啊', '呀', '嘛', '哦', '请', '请问', '一下', '那个', '这个', '嗯', '就是', '麻烦'],
};

export const DEFAULT_SYNONYMS = {
  en: { 'cc': 'credit card', 'acct': 'account', 'pwd': 'password', 'passcode': 'password', 'pin number': 'pin', 'cellphone': 'phone', 'cell phone': 'phone', 'mobile phone': 'phone', 'u': 'you', 'ur': 'your', 'pls': 'please', 'plz': 'please', 'wanna': 'want to', 'gonna': 'going to', 'cannot': 'can not', "can't": 'can not', "won't": 'will not', "don't": 'do not', "doesn't": 'does not', "isn't": 'is not', "didn't": 'did not', "i'm": 'i am', "what's": 'what is' },
  zh: { '手机号码': '手机号', '电话号码': '手机号', '号码': '手机号', '帐户': '账户', '帐号': '账号', '密码忘了': '忘记密码', '忘了密码': '忘记密码', '退钱': '退款', '咋': '怎么', '怎样': '怎么', '如何': '怎么', '啥': '什么', '木有': '没有' },
} satisfies Lexicon['synonyms'];

export const defaultLexicon = (): Lexicon => ({
  synonyms: { en: { ...DEFAULT_SYNONYMS.en }, zh: { ...DEFAULT_SYNONYMS.zh } },
  stopWords: { en: [...DEFAULT_STOP_WORDS.en], zh: [...DEFAULT_STOP_WORDS.zh] },
});

/** English synonyms compiled to a word-sequence lookup (first word → variants, longest first). */
export interface EnglishSynonyms { byFirstWord: Map<string, { words: string[]; canonical: string[] }[]> }

export function compileEnglishSynonyms(map: Record<string, string>): EnglishSynonyms {
  const byFirstWord = new Map<string, { words: string[]; canonical: string[] }[]>();
  for (const [variant, canonical] of Object.entries(map)) {
    const words = variant.toLowerCase().split(' ').filter(Boolean);
    if (words.length === 0) continue;
    const list = byFirstWord.get(words[0]!) ?? [];
    list.push({ words, canonical: canonical.toLowerCase().split(' ').filter(Boolean) });
    list.sort((a, b) => b.words.length - a.words.length);
    byFirstWord.set(words[0]!, list);
  }
  return { byFirstWord };
}

export function applyEnglishSynonyms(words: string[], synonyms: EnglishSynonyms): string[] {
  if (synonyms.byFirstWord.size === 0) return words;
  const out: string[] = [];
  for (let i = 0; i < words.length;) {
    const candidates = synonyms.byFirstWord.get(words[i]!);
    const hit = candidates?.find((c) => c.words.every((w, k) => words[i + k] === w));
    if (hit) { out.push(...hit.canonical); i += hit.words.length; } else { out.push(words[i]!); i++; }
  }
  return out;
}

/** Chinese has no spaces: variants are replaced as literal substrings, longest first, indexed by first character. */
export type ChineseSynonyms = Map<string, [string, string][]>;

export function compileChineseSynonyms(map: Record<string, string>): ChineseSynonyms {
  const byFirstChar: ChineseSynonyms = new Map();
  for (const pair of Object.entries(map)) {
    if (pair[0].length === 0) continue;
    const list = byFirstChar.get(pair[0][0]!) ?? [];
    list.push(pair);
    list.sort((a, b) => b[0].length - a[0].length);
    byFirstChar.set(pair[0][0]!, list);
  }
  return byFirstChar;
}

export function applyChineseSynonyms(text: string, synonyms: ChineseSynonyms): string {
  if (synonyms.size === 0) return text;
  // One left-to-right pass so a replacement is never re-replaced by a shorter variant.
  let out = '';
  for (let i = 0; i < text.length;) {
    const hit = synonyms.get(text[i]!)?.find(([variant]) => text.startsWith(variant, i));
    if (hit) { out += hit[1]; i += hit[0].length; } else { out += text[i]; i++; }
  }
  return out;
}
