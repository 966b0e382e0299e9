/**
 * Feature strings → sparse TF-IDF vectors over a vocabulary learned from the training questions.
 * Sublinear tf (1 + ln tf) stops a repeated word from dominating; vectors are L2-normalised so a
 * dot product is a cosine. Query features outside the vocabulary carry no weight in any model
 * and are dropped.
 */

export interface SparseVector {
  /** Feature indices, ascending. */
  index: Int32Array;
  value: Float32Array;
}

export interface Vocabulary {
  readonly size: number;
  indexOf(feature: string): number | undefined;
  featureAt(index: number): string;
  /** Transforms feature strings to an L2-normalised TF-IDF vector. */
  vectorize(features: string[]): SparseVector;
}

export function buildVocabulary(documents: string[][]): Vocabulary {
  const ids = new Map<string, number>();
  const df: number[] = [];
  for (const doc of documents) {
    for (const feature of new Set(doc)) {
      let id = ids.get(feature);
      if (id === undefined) { id = ids.size; ids.set(feature, id); df.push(0); }
      df[id]!++;
    }
  }
  const n = documents.length;
  const idf = Float32Array.from(df, (d) => Math.log((n + 1) / (d + 1)) + 1);
  const names = [...ids.keys()];
  return {
    size: ids.size,
    indexOf: (feature) => ids.get(feature),
    featureAt: (index) => names[index] ?? '',
    vectorize(features) {
      const tf = new Map<number, number>();
      for (const f of features) {
        const id = ids.get(f);
        if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      const index = Int32Array.from([...tf.keys()].sort((a, b) => a - b));
      const value = new Float32Array(index.length);
      let norm = 0;
      index.forEach((id, k) => { const v = (1 + Math.log(tf.get(id)!)) * idf[id]!; value[k] = v; norm += v * v; });
      norm = Math.sqrt(norm) || 1;
      for (let k = 0; k < value.length; k++) value[k]! /= norm;
      return { index, value };
    },
  };
}

/** Dot product of two sparse vectors with ascending indices. */
export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0, j = 0, sum = 0;
  while (i < a.index.length && j < b.index.length) {
    const x = a.index[i]!, y = b.index[j]!;
    if (x === y) { sum += a.value[i++]! * b.value[j++]!; } else if (x < y) i++; else j++;
  }
  return sum;
}
