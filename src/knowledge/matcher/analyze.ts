/**
 * Text → feature strings. One analyser per language; both end in the same feature namespace:
 *   w:WORD   word unigram (stemmed English / segmented Chinese word)
 *   b:A_B    word bigram
 *   c:GRAM   character n-gram (English 3–5 inside word boundaries; Chinese 1–2 over the text)
 * Char n-grams are what make the matcher tolerant of STT errors and typos: a misrecognised word
 * still shares most of its grams with the right one.
 */
import { applyChineseSynonyms, applyEnglishSynonyms, compileChineseSynonyms, compileEnglishSynonyms, defaultLexicon, type ChineseSynonyms, type EnglishSynonyms, type Lexicon } from './lexicon.ts';
import { stem } from './stem.ts';
import { looksChinese } from './text.ts';

export type Language = 'en' | 'zh-CN';

export interface Analyzer {
  /** Feature strings of already-cleaned text (repeats kept: they are term frequencies). */
  features(text: string, language: Language): string[];
  /** The words the analyser saw, after synonyms and stop words (for tests and explanations). */
  words(text: string, language: Language): string[];
}

const WORD_SEPARATOR = /[^\p{L}\p{N}]+/u;
const HAN_RUN = /\p{Script=Han}/u;

function pushWordFeatures(words: string[], out: string[]) {
  for (let i = 0; i < words.length; i++) {
    out.push(`w:${words[i]}`);
    if (i + 1 < words.length) out.push(`b:${words[i]}_${words[i + 1]}`);
  }
}

export function createAnalyzer(lexicon: Lexicon = defaultLexicon()): Analyzer {
  const enSynonyms: EnglishSynonyms = compileEnglishSynonyms(lexicon.synonyms.en);
  const zhSynonyms: ChineseSynonyms = compileChineseSynonyms(lexicon.synonyms.zh);
  const enStop = new Set(lexicon.stopWords.en.map((w) => w.toLowerCase()));
  const zhStop = new Set(lexicon.stopWords.zh);
  const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

  /** Lowercased words; apostrophes dropped ("don't" → "dont") after synonyms had their chance. */
  const englishWords = (text: string): string[] => {
    const raw = text.toLowerCase().split(/[^\p{L}\p{N}']+/u).map((w) => w.replace(/^'+|'+$/g, '')).filter(Boolean);
    return applyEnglishSynonyms(raw, enSynonyms).flatMap((w) => w.split(WORD_SEPARATOR)).filter(Boolean);
  };

  function english(text: string, out: string[], seen: string[], wordFeatures = true) {
    const words = englishWords(text);
    const kept: string[] = [];
    for (const word of words) {
      if (enStop.has(word)) continue;
      kept.push(stem(word));
      const padded = `<${word}>`;
      for (let n = 3; n <= 5; n++) for (let i = 0; i + n <= padded.length; i++) out.push(`c:${padded.slice(i, i + n)}`);
    }
    if (wordFeatures) pushWordFeatures(kept, out);
    seen.push(...kept);
  }

  function chinese(text: string, out: string[], seen: string[]) {
    const normalised = applyChineseSynonyms(text.toLowerCase(), zhSynonyms);
    const kept: string[] = [];
    let hanText = '';
    for (const segment of segmenter.segment(normalised)) {
      if (!segment.isWordLike) continue;
      const piece = segment.segment;
      if (HAN_RUN.test(piece)) {
        hanText += piece;
        if (!zhStop.has(piece)) kept.push(piece);
      } else {
        // Latin words inside Chinese ("WiFi", "APP") go through the English analyser.
        const latin: string[] = [];
        english(piece, out, latin, false);
        kept.push(...latin);
      }
    }
    pushWordFeatures(kept, out);
    const chars = Array.from(hanText);
    for (let i = 0; i < chars.length; i++) {
      out.push(`c:${chars[i]}`);
      if (i + 1 < chars.length) out.push(`c:${chars[i]}${chars[i + 1]}`);
    }
    seen.push(...kept);
  }

  const run = (text: string, language: Language) => {
    const out: string[] = [], seen: string[] = [];
    // A Chinese query with no Han characters (an English word spoken to the zh bot) is still analysable.
    if (language === 'zh-CN' || looksChinese(text)) chinese(text, out, seen); else english(text, out, seen);
    return { out, seen };
  };
  return {
    features: (text, language) => run(text, language).out,
    words: (text, language) => run(text, language).seen,
  };
}
