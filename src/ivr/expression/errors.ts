/** Values the expression language reads and produces: JSON data, nothing else. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export type ExpressionErrorCode = 'EXPR_SYNTAX' | 'EXPR_EVAL' | 'EXPR_BUDGET';

/**
 * The only error type compiling, evaluating or rendering ever throws. `position` is a 0-based
 * UTF-16 offset into the source (the template's source for templates) when one is known.
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    readonly code: ExpressionErrorCode,
    message: string,
    readonly position?: number,
  ) {
    super(position === undefined ? message : `${message} (at ${position})`);
  }
}

/** Every budget in one place; GRAMMAR.md documents the same numbers. */
export const LIMITS = {
  sourceChars: 2000,
  templateChars: 10_000,
  astNodes: 500,
  nestingDepth: 32,
  evaluationSteps: 10_000,
  stringChars: 10_000,
  arrayItems: 1000,
  /** How deep evaluation walks into nested scope data (equality, `in`, string()). */
  dataDepth: 64,
  regexPatternChars: 200,
  regexSubjectChars: 1000,
} as const;

/** Keys that would reach JS internals on real objects; never readable. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const syntaxError = (message: string, position?: number) => new ExpressionError('EXPR_SYNTAX', message, position);
export const evalError = (message: string, position?: number) => new ExpressionError('EXPR_EVAL', message, position);
export const budgetError = (message: string, position?: number) => new ExpressionError('EXPR_BUDGET', message, position);
