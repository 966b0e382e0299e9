/**
 * Feature strings → sparse TF-IDF vectors over a vocabulary learned from the training questions.
 * Sublinear tf (1 + ln tf) stops a repeated word from dominating; vectors are L2-normalised so a
 * dot product is a cosine. Query features outside the vocabulary carry no weight in any model
 * and are dropped.
 */
import { findString, indexStrings, packStrings, stringAt, type PackedStrings, type StringIndex } from './packed-strings.ts';

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

/** A vocabulary as plain typed arrays (transferable between threads): names, their index, idf. */
export interface VocabularyState {
  names: PackedStrings;
  lookup: StringIndex;
  idf: Float32Array;
}

export function buildVocabulary(documents: string[][]): Vocabulary & { state(): VocabularyState } {
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
    vectorize: (features) => tfIdf(features, (f) => ids.get(f), idf),
    state() {
      const packed = packStrings(names);
      return { names: packed, lookup: indexStrings(packed), idf };
    },
  };
}

/** The vocabulary a trained matcher serves with: same vectors as the one it was built from. */
export function vocabularyFrom(state: VocabularyState): Vocabulary {
  const { names, lookup, idf } = state;
  const idOf = (feature: string) => { const id = findString(names, lookup, feature); return id < 0 ? undefined : id; };
  return {
    size: idf.length,
    indexOf: idOf,
    featureAt: (index) => stringAt(names, index),
    vectorize: (features) => tfIdf(features, idOf, idf),
  };
}

function tfIdf(features: string[], idOf: (feature: string) => number | undefined, idf: Float32Array): SparseVector {
  // Known feature ids sorted: each run of one id is that feature's term frequency.
  const found = new Int32Array(features.length);
  let n = 0;
  for (const f of features) {
    const id = idOf(f);
    if (id !== undefined) found[n++] = id;
  }
  const ids = found.subarray(0, n).sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || ids[i] !== ids[i - 1]) distinct++;
  const index = new Int32Array(distinct);
  const value = new Float32Array(distinct);
  let norm = 0;
  for (let i = 0, k = 0; i < n; k++) {
    const id = ids[i]!;
    let tf = 0;
    while (i < n && ids[i] === id) { tf++; i++; }
    const v = (1 + Math.log(tf)) * idf[id]!;
    index[k] = id; value[k] = v; norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < value.length; k++) value[k]! /= norm;
  return { index, value };
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
