/**
 * A trained matcher as plain data: numbers, typed arrays and the (small) lexicon, nothing else.
 * Training writes it, `matcherFromState` serves from it. Because every large part is a typed
 * array, a worker thread can train and hand the result over with zero-copy transfers, and the
 * receiving thread serves it at once: there is nothing to parse or rebuild (see packed-strings.ts).
 */
import type { Language } from './analyze.ts';
import type { Calibration } from './calibrate.ts';
import type { VocabularyState } from './features.ts';
import type { Lexicon } from './lexicon.ts';
import type { PackedStrings } from './packed-strings.ts';
import type { SoftmaxState, TrainingOptions } from './softmax-model.ts';

/** Every training question's TF-IDF vector and text, grouped by class (CSR). */
export interface QuestionsState {
  /** Class c's questions are q = classStart[c] .. classStart[c + 1]. */
  classStart: Int32Array;
  /** Question q's vector is index/value[vectorStart[q] .. vectorStart[q + 1]). */
  vectorStart: Int32Array;
  index: Int32Array;
  value: Float32Array;
  /** The question as written (for explanations). */
  texts: PackedStrings;
}

export type CalibrationSource = 'validation' | 'holdout' | 'given' | 'none';

export interface MatcherState {
  /** Article id of each class. */
  ids: PackedStrings;
  /** Each class's language, as an index into `languageNames`. */
  languageOf: Int32Array;
  languageNames: Language[];
  lexicon: Lexicon;
  vocabulary: VocabularyState;
  model: SoftmaxState;
  questions: QuestionsState;
  /** Training questions (similar questions and keywords) over all articles. */
  questionCount: number;
  calibration: Calibration;
  calibrationSource: CalibrationSource;
  training: TrainingOptions;
  buildMs: number;
  maxQueryChars: number;
  candidates: number;
}

/** The buffers to transfer (not copy) when posting a state to another thread; each once. */
export function transferablesOf(state: MatcherState): ArrayBuffer[] {
  const arrays = [
    state.ids.chars, state.ids.offsets, state.languageOf,
    state.vocabulary.names.chars, state.vocabulary.names.offsets, state.vocabulary.lookup.slots, state.vocabulary.idf,
    state.model.start, state.model.supportClass, state.model.weights, state.model.bias,
    state.questions.classStart, state.questions.vectorStart, state.questions.index, state.questions.value,
    state.questions.texts.chars, state.questions.texts.offsets,
  ];
  return [...new Set(arrays.map((a) => a.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}
