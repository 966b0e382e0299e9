import test from 'ava';
import { buildArpaTrigram, buildDomainModel, buildJsgf, parseDictionary, tokenize } from './language-model.ts';

const dict = parseDictionary(['pay P EY', 'my M AY', 'bill B IH L', 'i AY', 'want W AA N T', 'want(2) W AO N T', 'to T UW', 'the DH AH', 'a AH'].join('\n'));

test('given mixed text, when tokenized, then words are lower-cased and split at punctuation', (t) => {
  t.deepEqual(tokenize("I'd like to PAY my bill, please! What's “due”?"), ["i'd", 'like', 'to', 'pay', 'my', 'bill', 'please', "what's", 'due']);
});

test('given phrases with words missing from the dictionary, when a model is built, then the error lists exactly those words', (t) => {
  const error = t.throws(() => buildDomainModel({ phrases: ['pay my bill', 'pay my Deskline invoice'], dictionary: dict }));
  t.is((error as { code?: string }).code, 'DESKLINE_SPEECH_UNKNOWN_WORDS');
  t.regex(error!.message, /2 word\(s\): deskline, invoice/);
});

test('given pronunciations for the unknown words, when a model is built, then they go into the dictionary subset', (t) => {
  const m = buildDomainModel({ phrases: ['pay my Deskline bill'], dictionary: dict, extraPronunciations: { Deskline: 'd eh s k l ay n' } });
  t.is(m.dictionaryText, 'bill B IH L\ndeskline D EH S K L AY N\nmy M AY\npay P EY\n');
  t.throws(() => buildDomainModel({ phrases: ['x'], dictionary: dict, extraPronunciations: { x: 'QQ' } }), { code: 'DESKLINE_NATIVE_BAD_ARG' });
});

test('given alternates in the dictionary, when a subset is written, then the alternates are kept', (t) => {
  const m = buildDomainModel({ phrases: ['i want to pay'], dictionary: dict });
  t.true(m.dictionaryText.includes('want W AA N T\nwant(2) W AO N T\n'));
});

test('given phrases, when a JSGF grammar is built, then it has one public rule with each distinct phrase once', (t) => {
  const g = buildJsgf([['pay', 'my', 'bill'], ['pay', 'my', 'bill'], ['i', 'want']]);
  t.is(g, '#JSGF V1.0;\ngrammar deskline;\npublic <utterance> = ( pay my bill )\n  | ( i want ) ;\n');
});

/** Parses ARPA text and computes P(w | history) by standard backoff. */
function arpaModel(text: string) {
  const prob = new Map<string, number>();
  const bow = new Map<string, number>();
  for (const line of text.split('\n')) {
    const parts = line.split('\t');
    if (parts.length < 2 || line.startsWith('ngram')) continue;
    prob.set(parts[1]!, Number(parts[0]));
    if (parts[2] !== undefined) bow.set(parts[1]!, Number(parts[2]));
  }
  const p = (words: string[]): number => {
    const key = words.join(' ');
    if (prob.has(key)) return 10 ** prob.get(key)!;
    if (words.length === 1) return 0;
    return 10 ** (bow.get(words.slice(0, -1).join(' ')) ?? 0) * p(words.slice(1));
  };
  return { p, prob };
}

test('given a corpus, when the Witten-Bell ARPA model is built, then P(.|h) sums to 1 for every history', (t) => {
  const sentences = ['i want to pay my bill', 'i want to pay', 'pay my bill', 'i want a bill', 'the bill'].map(tokenize);
  const { p, prob } = arpaModel(buildArpaTrigram(sentences));
  const vocab = [...new Set([...sentences.flat(), '</s>'])];
  const histories = [['<s>'], ['i'], ['want'], ['<s>', 'i'], ['i', 'want'], ['want', 'to'], ['my', 'bill'], ['the'], ['bill', 'i']];
  for (const h of histories) {
    const sum = vocab.reduce((s, w) => s + p([...h, w]), 0);
    t.true(Math.abs(sum - 1) < 1e-4, `history "${h.join(' ')}" sums to ${sum}`);
  }
  t.is(prob.get('<s>'), -99);
  // Seen continuations beat unseen ones after the same history.
  t.true(p(['i', 'want', 'to']) > p(['i', 'want', 'bill']));
});

test('given the header counts, when the ARPA model is written, then they match the entries', (t) => {
  const arpa = buildArpaTrigram([['pay', 'my', 'bill'], ['my', 'bill']]);
  const sections = arpa.split(/\\\d-grams:\n/).slice(1).map((s) => s.split('\n').filter((l) => l.includes('\t')).length);
  const header = [...arpa.matchAll(/ngram \d=(\d+)/g)].map((m) => Number(m[1]));
  t.deepEqual(sections, header);
});
