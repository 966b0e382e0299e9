import test from 'ava';
import { createAnalyzer } from './analyze.ts';
import { defaultLexicon } from './lexicon.ts';

const analyzer = createAnalyzer();

test('given a Chinese question, when analysed, then Intl.Segmenter words and char 1–2-grams are features', (t) => {
  const f = analyzer.features('我想查询话费', 'zh-CN');
  t.true(f.includes('w:查询'));
  t.true(f.includes('w:我想'));
  // ICU splits 话费 into 话 / 费; the character bigram puts the word back.
  t.true(f.includes('c:话'));
  t.true(f.includes('c:话费'));
  t.true(f.some((x) => x.startsWith('b:')));
});

test('given Chinese stop words, when analysed, then they are not word features but still characters', (t) => {
  const words = analyzer.words('请问话费的账单呢', 'zh-CN');
  t.false(words.includes('的'));
  t.false(words.includes('呢'));
  t.true(analyzer.features('请问话费的账单呢', 'zh-CN').includes('c:的'));
});

test('given Chinese synonyms, when analysed, then variants become the canonical word', (t) => {
  t.deepEqual(analyzer.words('如何退钱', 'zh-CN'), analyzer.words('怎么退款', 'zh-CN'));
});

test('given an English question, when analysed, then words are lowercased, stemmed, stop-word free, with char 3–5-grams inside words', (t) => {
  const f = analyzer.features('The Refunds, please!', 'en');
  t.deepEqual(analyzer.words('The Refunds, please!', 'en'), ['refund']);
  t.true(f.includes('c:<re'));
  t.true(f.includes('c:nds>'));
  t.false(f.some((x) => x.includes(' ')));
});

test('given English multi-word synonyms, when analysed, then they map to the canonical phrase', (t) => {
  t.deepEqual(analyzer.words('my cc was declined', 'en'), analyzer.words('my credit card was declined', 'en'));
  t.deepEqual(analyzer.words("I can't log in", 'en'), analyzer.words('I can not log in', 'en'));
});

test('given an admin-edited lexicon, when analysed, then its synonyms and stop words apply', (t) => {
  const lexicon = defaultLexicon();
  lexicon.synonyms.en['sim'] = 'sim card';
  lexicon.stopWords.en.push('my');
  const custom = createAnalyzer(lexicon);
  t.deepEqual(custom.words('my sim', 'en'), ['sim', 'card']);
});

test('given Latin words inside Chinese text, when analysed, then they go through the English analyser', (t) => {
  const words = analyzer.words('WiFi连不上', 'zh-CN');
  t.true(words.includes('wifi'));
  t.true(words.includes('连不上'));
});
