/**
 * Domain language models for the recognizer, built from what callers are expected to say
 * (IVR option phrases, knowledge-base questions): a JSGF grammar and a Witten-Bell interpolated
 * trigram LM written as backoff ARPA, plus the dictionary subset they need. Every word is checked
 * against the pronunciation dictionary; unknown words fail clearly unless a pronunciation is given.
 */
import { readFile } from 'node:fs/promises';
import { SpeechError, badArg } from './errors.ts';

/** Lower-cases, splits at punctuation and whitespace; keeps inner apostrophes (what's, don't). */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .split(/[^a-z0-9']+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w.length > 0);
}

export type Pronunciations = Map<string, string[]>;

/** Reads a CMU-style dictionary ("word PH ON ES", alternates as "word(2) ..."). */
export async function loadDictionary(path: string): Promise<Pronunciations> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new SpeechError('DESKLINE_NATIVE_MODEL_NOT_FOUND', `cannot read dictionary ${path}`, { cause });
  }
  return parseDictionary(text);
}

export function parseDictionary(text: string): Pronunciations {
  const dict: Pronunciations = new Map();
  for (const line of text.split('\n')) {
    const match = /^(\S+?)(?:\(\d+\))?\s+(.+?)\s*$/.exec(line);
    if (!match || line.startsWith(';;;')) continue;
    const word = match[1]!.toLowerCase();
    const list = dict.get(word) ?? [];
    list.push(match[2]!);
    dict.set(word, list);
  }
  return dict;
}

const PHONE = /^(AA|AE|AH|AO|AW|AY|B|CH|D|DH|EH|ER|EY|F|G|HH|IH|IY|JH|K|L|M|N|NG|OW|OY|P|R|S|SH|T|TH|UH|UW|V|W|Y|Z|ZH)$/;

export interface DomainModelInput {
  phrases: string[];
  dictionary: Pronunciations;
  /** Pronunciations for words the dictionary lacks (CMU phones, e.g. "D EH S K L AY N"). */
  extraPronunciations?: Record<string, string>;
  grammarName?: string;
}

export interface DomainModel {
  words: string[];
  /** Tokenized phrases (empty ones dropped). */
  sentences: string[][];
  /** Dictionary file text with only the words used (loads in milliseconds). */
  dictionaryText: string;
  jsgf: string;
  arpa: string;
}

/** Builds grammar, LM and dictionary subset; throws DESKLINE_SPEECH_UNKNOWN_WORDS listing words without a pronunciation. */
export function buildDomainModel(input: DomainModelInput): DomainModel {
  const sentences = input.phrases.map(tokenize).filter((s) => s.length > 0);
  if (sentences.length === 0) throw badArg('no phrases with words in them');
  const extra = new Map<string, string>();
  for (const [word, phones] of Object.entries(input.extraPronunciations ?? {})) {
    const list = phones.trim().toUpperCase().split(/\s+/);
    if (!list.every((p) => PHONE.test(p))) throw badArg(`pronunciation of "${word}" has unknown phones: ${phones}`);
    extra.set(word.toLowerCase(), list.join(' '));
  }
  const words = [...new Set(sentences.flat())].sort();
  const unknown = words.filter((w) => !input.dictionary.has(w) && !extra.has(w));
  if (unknown.length > 0) {
    throw new SpeechError(
      'DESKLINE_SPEECH_UNKNOWN_WORDS',
      `no pronunciation for ${unknown.length} word(s): ${unknown.join(', ')} — add them to extraPronunciations (CMU phones) or reword the phrases`,
    );
  }
  const dictLines: string[] = [];
  for (const w of words) {
    const prons = extra.has(w) ? [extra.get(w)!] : input.dictionary.get(w)!;
    prons.forEach((p, i) => dictLines.push(`${i === 0 ? w : `${w}(${i + 1})`} ${p}`));
  }
  return {
    words,
    sentences,
    dictionaryText: dictLines.join('\n') + '\n',
    jsgf: buildJsgf(sentences, input.grammarName ?? 'deskline'),
    arpa: buildArpaTrigram(sentences),
  };
}

/** A grammar accepting exactly one of the phrases. */
export function buildJsgf(sentences: string[][], name = 'deskline'): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw badArg(`bad grammar name ${name}`);
  const alternatives = [...new Set(sentences.map((s) => s.join(' ')))];
  return `#JSGF V1.0;\ngrammar ${name};\npublic <utterance> = ${alternatives.map((a) => `( ${a} )`).join('\n  | ')} ;\n`;
}

const log10 = (p: number) => (p > 0 ? Math.log10(p).toFixed(6) : '-99');
const countInc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/**
 * Interpolated Witten-Bell trigram as a backoff ARPA model. For a history h with c(h) tokens
 * and N1+(h) distinct followers, λ_h = c(h)/(c(h)+N1+(h)) and
 * P(w|h) = λ_h·c(h,w)/c(h) + (1-λ_h)·P(w|h'). Written out, every seen n-gram carries its
 * interpolated probability and the backoff weight of h is exactly 1-λ_h. Unigrams interpolate
 * with the uniform distribution over the vocabulary.
 */
export function buildArpaTrigram(sentences: string[][]): string {
  const uni = new Map<string, number>();
  const bi = new Map<string, number>();
  const tri = new Map<string, number>();
  for (const s of sentences) {
    const t = ['<s>', ...s, '</s>'];
    for (let i = 1; i < t.length; i++) {
      countInc(uni, t[i]!);
      countInc(bi, `${t[i - 1]} ${t[i]}`);
      if (i >= 2) countInc(tri, `${t[i - 2]} ${t[i - 1]} ${t[i]}`);
    }
  }
  // History totals and distinct-follower counts, for bigram and trigram histories.
  const hist = (grams: Map<string, number>) => {
    const total = new Map<string, number>();
    const types = new Map<string, number>();
    for (const [g, c] of grams) {
      const h = g.slice(0, g.lastIndexOf(' '));
      total.set(h, (total.get(h) ?? 0) + c);
      countInc(types, h);
    }
    return { total, types };
  };
  const h1 = hist(bi);
  const h2 = hist(tri);
  const lambda = (h: string, H: ReturnType<typeof hist>) => {
    const c = H.total.get(h) ?? 0;
    return c === 0 ? 0 : c / (c + H.types.get(h)!);
  };
  const vocabulary = uni.size;  // words + </s>
  const n = [...uni.values()].reduce((a, b) => a + b, 0);
  const l0 = n / (n + vocabulary);
  const p1 = (w: string) => l0 * ((uni.get(w) ?? 0) / n) + (1 - l0) / vocabulary;
  const p2 = (u: string, w: string) => {
    const l = lambda(u, h1);
    return l === 0 ? p1(w) : l * ((bi.get(`${u} ${w}`) ?? 0) / h1.total.get(u)!) + (1 - l) * p1(w);
  };
  const p3 = (v: string, u: string, w: string) => {
    const h = `${v} ${u}`;
    const l = lambda(h, h2);
    return l === 0 ? p2(u, w) : l * ((tri.get(`${h} ${w}`) ?? 0) / h2.total.get(h)!) + (1 - l) * p2(u, w);
  };
  const bow = (h: string, H: ReturnType<typeof hist>) => (H.total.has(h) ? log10(1 - lambda(h, H)) : '0.000000');

  const lines = ['\\data\\', `ngram 1=${uni.size + 1}`, `ngram 2=${bi.size}`, `ngram 3=${tri.size}`, '', '\\1-grams:'];
  lines.push(`-99\t<s>\t${bow('<s>', h1)}`);
  for (const w of [...uni.keys()].sort()) lines.push(`${log10(p1(w))}\t${w}${w === '</s>' ? '' : `\t${bow(w, h1)}`}`);
  lines.push('', '\\2-grams:');
  for (const g of [...bi.keys()].sort()) {
    const [u, w] = g.split(' ') as [string, string];
    lines.push(`${log10(p2(u, w))}\t${g}${w === '</s>' ? '' : `\t${bow(g, h2)}`}`);
  }
  lines.push('', '\\3-grams:');
  for (const g of [...tri.keys()].sort()) {
    const [v, u, w] = g.split(' ') as [string, string, string];
    lines.push(`${log10(p3(v, u, w))}\t${g}`);
  }
  lines.push('', '\\end\\', '');
  return lines.join('\n');
}
