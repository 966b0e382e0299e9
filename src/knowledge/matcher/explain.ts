/** Why an article ranked: the query terms that pushed it up most, and its closest similar question. */
import type { SparseVector, Vocabulary } from './features.ts';
import type { SoftmaxModel } from './softmax-model.ts';

export interface Explanation {
  /** Query words (after synonyms and stemming) or character grams that raised this article, strongest first. */
  matchedTerms: string[];
  closestQuestion?: { text: string; similarity: number };
}

const readable = (feature: string) => feature.slice(2).replaceAll('_', ' ').replace(/^<|>$/g, '');

export function explain(x: SparseVector, cls: number, model: SoftmaxModel, vocabulary: Vocabulary, closest?: Explanation['closestQuestion']): Explanation {
  const contributions: { feature: string; value: number }[] = [];
  for (let k = 0; k < x.index.length; k++) {
    const value = x.value[k]! * model.weight(x.index[k]!, cls);
    if (value > 0) contributions.push({ feature: vocabulary.featureAt(x.index[k]!), value });
  }
  contributions.sort((a, b) => b.value - a.value);
  // Words and word pairs explain best; character grams only when no word matched (e.g. a misheard word).
  const words = contributions.filter((c) => !c.feature.startsWith('c:'));
  const chosen = (words.length ? words : contributions).slice(0, 5).map((c) => readable(c.feature));
  return { matchedTerms: [...new Set(chosen)], ...(closest ? { closestQuestion: closest } : {}) };
}
