/**
 * The reference the issue cites: TF-IDF nearest centroid. Plain word unigrams (lowercased words
 * for en, Intl.Segmenter words for zh), sublinear TF-IDF, L2; each intent's centroid is the
 * normalised mean of its questions; the answer is the centroid with the highest cosine. Kept
 * deliberately independent of the matcher's analyser so it stays a fair, fixed yardstick.
 */
import { buildVocabulary, dot, type SparseVector } from '../matcher/features.ts';

export interface Labelled { text: string; label: string }

export function buildCentroidBaseline(train: Labelled[], language: 'en' | 'zh-CN') {
  const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
  const words = (text: string) => language === 'zh-CN'
    ? [...segmenter.segment(text.toLowerCase())].filter((s) => s.isWordLike).map((s) => s.segment)
    : text.toLowerCase().split(/[^\p{L}\p{N}']+/u).filter(Boolean);
  const docs = train.map((t) => words(t.text));
  const vocabulary = buildVocabulary(docs);
  const labels = [...new Set(train.map((t) => t.label))];
  const sums = new Map(labels.map((l) => [l, new Map<number, number>()]));
  docs.forEach((d, i) => {
    const v = vocabulary.vectorize(d), sum = sums.get(train[i]!.label)!;
    v.index.forEach((f, k) => sum.set(f, (sum.get(f) ?? 0) + v.value[k]!));
  });
  const centroids: SparseVector[] = labels.map((l) => {
    const entries = [...sums.get(l)!].sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(entries.reduce((s, [, v]) => s + v * v, 0)) || 1;
    return { index: Int32Array.from(entries, ([f]) => f), value: Float32Array.from(entries, ([, v]) => v / norm) };
  });
  return {
    /** Labels ranked by cosine to their centroid, best first, with that cosine. */
    rank(text: string, limit = 3): { label: string; score: number }[] {
      const x = vocabulary.vectorize(words(text));
      return centroids.map((c, i) => ({ label: labels[i]!, score: dot(x, c) })).sort((a, b) => b.score - a.score).slice(0, limit);
    },
  };
}
