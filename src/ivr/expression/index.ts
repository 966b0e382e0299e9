/**
 * The IVR expression language: conditions and templates admins write in flows. Pure and
 * dependency-free; the grammar, semantics and budgets are in GRAMMAR.md.
 */
import { type Value } from './errors.ts';
import { Evaluator } from './evaluate.ts';
import { parse } from './parser.ts';
import { truthy } from './values.ts';

export { ExpressionError, LIMITS, type ExpressionErrorCode, type Value } from './errors.ts';
export { FUNCTION_NAMES } from './functions.ts';
export { compileTemplate, type CompiledTemplate } from './template.ts';
export { truthy } from './values.ts';

export interface CompiledExpression {
  readonly source: string;
  /** Top-level names it reads, e.g. ['caller', 'vars'] (validators check them). */
  readonly names: string[];
  evaluate(scope: Record<string, Value>): Value;
}

/** Parses once; throws ExpressionError EXPR_SYNTAX (or EXPR_BUDGET) with a position. */
export function compileExpression(source: string): CompiledExpression {
  const { ast, names } = parse(source);
  return {
    source,
    names,
    evaluate: (scope) => new Evaluator(scope).evaluate(ast),
  };
}

/** Evaluates and applies truthiness: false, null, 0, NaN, "", [] and {} are false. */
export function evaluateBoolean(expr: CompiledExpression, scope: Record<string, Value>): boolean {
  return truthy(expr.evaluate(scope));
}
