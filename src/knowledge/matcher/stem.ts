/**
 * A light English stemmer: Porter's steps 1a–1c plus a handful of common derivational endings.
 * Char n-grams already absorb most morphology; this only has to make "refunds", "refunded" and
 * "refunding" one word feature. Over-stemming is cheap here, a dependency is not.
 */

const VOWEL = new Set(['a', 'e', 'i', 'o', 'u']);
const isConsonant = (w: string, i: number): boolean => {
  const ch = w[i]!;
  if (VOWEL.has(ch)) return false;
  if (ch === 'y') return i === 0 ? true : !isConsonant(w, i - 1);
  return true;
};
const hasVowel = (w: string) => { for (let i = 0; i < w.length; i++) if (!isConsonant(w, i)) return true; return false; };
/** Porter's m: the number of vowel→consonant transitions. */
function measure(w: string): number {
  let m = 0, prevVowel = false;
  for (let i = 0; i < w.length; i++) {
    const vowel = !isConsonant(w, i);
    if (!vowel && prevVowel) m++;
    prevVowel = vowel;
  }
  return m;
}
const endsCvc = (w: string) => {
  const n = w.length;
  return n >= 3 && isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1) && !'wxy'.includes(w[n - 1]!);
};
const endsDoubleConsonant = (w: string) => w.length >= 2 && w[w.length - 1] === w[w.length - 2] && isConsonant(w, w.length - 1);

const DERIVATIONAL: [string, string][] = [
  ['ational', 'ate'], ['ization', 'ize'], ['fulness', 'ful'], ['iveness', 'ive'], ['ousness', 'ous'],
  ['ation', 'ate'], ['ement', ''], ['ment', ''], ['ness', ''], ['ably', 'able'], ['ally', 'al'], ['fully', 'ful'], ['ly', ''],
];

export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
  let w = word;
  // 1a: plurals
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  // 1b: -eed, -ed, -ing
  let restore = false;
  if (w.endsWith('eed')) { if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1); }
  else if (w.endsWith('ed') && hasVowel(w.slice(0, -2))) { w = w.slice(0, -2); restore = true; }
  else if (w.endsWith('ing') && hasVowel(w.slice(0, -3)) && w.length > 5) { w = w.slice(0, -3); restore = true; }
  if (restore) {
    if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e';
    else if (endsDoubleConsonant(w) && !'lsz'.includes(w[w.length - 1]!)) w = w.slice(0, -1);
    else if (measure(w) === 1 && endsCvc(w)) w += 'e';
  }
  // 1c: y → i, so "reply"/"replied" meet at "repli"
  if (w.endsWith('y') && w.length > 2 && hasVowel(w.slice(0, -1))) w = `${w.slice(0, -1)}i`;
  for (const [suffix, replacement] of DERIVATIONAL) {
    if (w.endsWith(suffix) && measure(w.slice(0, -suffix.length)) > 0) { w = w.slice(0, -suffix.length) + replacement; break; }
  }
  // 5a: a final e goes, so "charge" meets "charged" at "charg"
  if (w.endsWith('e')) {
    const base = w.slice(0, -1), m = measure(base);
    if (m > 1 || (m === 1 && !endsCvc(base))) w = base;
  }
  return w;
}
