// Quality assurance of recorded calls: the criteria reviewers score against (configurable, in
// both UI languages), one evaluation per reviewer per call, and a comment thread per call.
export const QA_LANGUAGES = ['en', 'zh-CN'] as const;
export type QaLanguage = (typeof QA_LANGUAGES)[number];

export interface Criterion {
  /** Stable slug: evaluations name their scores by it. */
  id: string;
  label: Record<QaLanguage, string>;
  /** How much the criterion counts in the total (relative to the others). */
  weight: number;
  /** Scores run from 0 to this (whole numbers). */
  maxScore: number;
}

export interface CriteriaDocument {
  criteria: Criterion[];
  /** Bumped on every change; a change based on an older revision is refused (409). */
  revision: number;
  updatedAt?: number;
  updatedBy?: string;
}

export interface Evaluation {
  callId: string;
  reviewer: string;
  scores: Record<string, number>;
  comment: string;
  /** Σ weight × score, and the best possible Σ weight × maxScore, over the criteria scored against. */
  total: number;
  maxTotal: number;
  /** total / maxTotal as a percentage, one decimal. */
  percent: number;
  /** The criteria revision the scores were given against (criteria may change later). */
  criteriaRevision: number;
  createdAt: number;
  updatedAt: number;
}

export interface QaComment {
  id: string;
  callId: string;
  author: string;
  text: string;
  at: number;
}

export interface EvaluationInput {
  scores: Record<string, unknown>;
  comment?: unknown;
}

/** What a call's QA looks like to a reviewer: every evaluation and the comment thread. */
export interface CallQa {
  callId: string;
  evaluations: Evaluation[];
  comments: QaComment[];
}
