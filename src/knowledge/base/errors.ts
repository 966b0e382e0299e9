// Stable error codes for the knowledge base; the API maps them to HTTP in its one onError.

/** One problem with one field of one article; `path` is the field path, e.g. `similarQuestions.3`. */
export interface FieldIssue {
  path: string;
  message: string;
}

export type KnowledgeBaseErrorCode =
  | 'KB_INVALID_ARTICLE'
  | 'KB_INVALID_LEXICON'
  | 'KB_NOT_FOUND'
  | 'KB_NO_SUCH_VERSION'
  /** An edit based on a version that is no longer the current one (optimistic concurrency). */
  | 'KB_VERSION_MISMATCH'
  | 'KB_BAD_TIME';

export class KnowledgeBaseError extends Error {
  constructor(
    readonly code: KnowledgeBaseErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(issues.length ? `${message}: ${issues.map((i) => `${i.path || '(article)'}: ${i.message}`).join('; ')}` : message);
    this.name = 'KnowledgeBaseError';
  }
}

/** Times are always passed in (never read from the clock) so they must be real dates. */
export function checkTime(at: Date): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new KnowledgeBaseError('KB_BAD_TIME', 'time must be a valid Date');
  return at.toISOString();
}
