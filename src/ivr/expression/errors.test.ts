import test from 'ava';
import { compileExpression, compileTemplate, ExpressionError, LIMITS, type Value } from './index.ts';

type Code = ExpressionError['code'];

function failure(run: () => unknown): ExpressionError {
  try {
    run();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error('expected an ExpressionError');
}
const compileFailure = (source: string) => failure(() => compileExpression(source));
const evalFailure = (source: string, scope: Record<string, Value> = {}) => failure(() => compileExpression(source).evaluate(scope));

const syntax: [string, number, RegExp][] = [
  ['', 0, /empty expression/],
  ['1 +', 3, /unexpected end of input/],
  ['(1 + 2', 6, /expected '\)'/],
  ['a = 1', 2, /compare with '=='/],
  ['a & b', 2, /'&&'/],
  ['"open', 0, /unterminated string/],
  ["'bad \\q'", 5, /unknown escape/],
  ['"\\u12"', 1, /4 hex digits/],
  ['12abc', 0, /malformed number/],
  ['1e', 0, /exponent/],
  ['1e999', 0, /too large/],
  ['a # b', 2, /unexpected character/],
  ['foo(1)', 0, /unknown function foo\(\)/],
  ['len(1, 2)', 0, /len\(\) takes 1 argument, got 2/],
  ['substr("a")', 0, /2 to 3 arguments/],
  ['a.b(1)', 3, /only built-in functions/],
  ['1 < 2 < 3', 6, /cannot be chained/],
  ['in [1]', 0, /needs a left-hand value/],
  ['a.', 2, /property name/],
  ['[1, 2', 5, /expected ',' or '\]'/],
  ['true ? 1', 8, /expected ':'/],
  ['1 2', 2, /unexpected number '2'/],
  ['matches(x, "(a+)+")', 11, /nested quantifiers/],
  ['matches(x, "[")', 11, /invalid pattern/],
];
test('given malformed expressions, when compiled, then EXPR_SYNTAX names the problem and its position', (t) => {
  for (const [source, position, message] of syntax) {
    const error = compileFailure(source);
    t.is(error.code, 'EXPR_SYNTAX', source);
    t.is(error.position, position, source);
    t.regex(error.message, message, source);
  }
});

const evaluation: [string, number, RegExp][] = [
  ['"a" - 1', 4, /operator - cannot be applied to string and number/],
  ['1 / 0', 2, /division by zero/],
  ['5 % (1 - 1)', 2, /division by zero/],
  ['true + 1', 5, /operator \+ cannot be applied to boolean and number/],
  ['[1] * 2', 4, /array and number/],
  ['-"x"', 0, /operator - cannot be applied to string/],
  ['x < 1', 2, /null and number/],
  ['1 < "2"', 2, /number and string/],
  ['1 startsWith "1"', 2, /startsWith cannot be applied to number and string/],
  ['1 in 5', 2, /operator in cannot be applied to number and number/],
  ['len(5)', 4, /len\(\) needs a string/],
  ['upper(x.y)', 6, /upper\(\) argument 1 must be a string, got null/],
  ['substr("abc", 1.5)', 14, /whole number/],
  ['round(1, 11)', 9, /digits must be 0..10/],
  ['1e300 * 1e300', 6, /not a finite number/],
  ['matches("aaa", p)', 15, /nested quantifiers/],
  ['urlencode("\\ud800")', 10, /surrogate/],
];
test('given type errors and bad arithmetic, when evaluated, then EXPR_EVAL names the operator, the types and the position', (t) => {
  for (const [source, position, message] of evaluation) {
    const error = evalFailure(source, { p: '(a*)*' });
    t.is(error.code, 'EXPR_EVAL', source);
    t.is(error.position, position, source);
    t.regex(error.message, message, source);
  }
});

const budgets: [string, () => unknown, number | undefined, RegExp][] = [
  ['source length', () => compileExpression('1+'.repeat(1000) + '1'), LIMITS.sourceChars, /2001 characters/],
  ['AST nodes', () => compileExpression(Array(251).fill('1').join('+')), 499, /more than 500 nodes/],
  ['nesting depth', () => compileExpression('('.repeat(33) + '1' + ')'.repeat(33)), 32, /deeper than 32/],
  ['unary nesting', () => compileExpression('!'.repeat(40) + 'true'), 32, /deeper than 32/],
  ['string length', () => compileExpression('s + s').evaluate({ s: 'x'.repeat(5001) }), 2, /exceeds the limit of 10000/],
  ['replace growth', () => compileExpression('replace(s, "a", "aaaa")').evaluate({ s: 'a'.repeat(3000) }), 0, /replace\(\) would produce 12000/],
  ['steps', () => compileExpression('x == y').evaluate({ x: Array(20_000).fill(1), y: Array(20_000).fill(1) }), 2, /more than 10000 steps/],
  ['data depth', () => compileExpression('string(x)').evaluate({ x: nest(100) }), 0, /nests deeper than 64/],
  ['regex subject', () => compileExpression('matches(s, "a")').evaluate({ s: 'a'.repeat(1001) }), 8, /subject is 1001 characters/],
  ['template output', () => compileTemplate('${s}${s}').render({ s: 'x'.repeat(6000) }), 6, /exceeds the limit/],
];
test('given inputs past each budget, when compiled or evaluated, then EXPR_BUDGET is thrown with the limit', (t) => {
  for (const [label, run, position, message] of budgets) {
    const error = failure(run);
    t.is(error.code, 'EXPR_BUDGET' satisfies Code, label);
    if (position !== undefined) t.is(error.position, position, label);
    t.regex(error.message, message, label);
  }
});

test('given inputs just inside each budget, when compiled and evaluated, then they succeed', (t) => {
  t.is((compileExpression(`"${'x'.repeat(1998)}"`).evaluate({}) as string).length, 1998);
  t.is(compileExpression(Array(250).fill('1').join('+')).evaluate({}), 250);
  t.is(compileExpression('('.repeat(32) + '1' + ')'.repeat(32)).evaluate({}), 1);
  t.is((compileExpression('s + s').evaluate({ s: 'x'.repeat(5000) }) as string).length, 10_000);
  t.true(compileExpression('x == y').evaluate({ x: Array(4000).fill(1), y: Array(4000).fill(1) }) as boolean);
  t.true(compileExpression('matches(s, "^a+$")').evaluate({ s: 'a'.repeat(1000) }) as boolean);
});

function nest(depth: number): Value {
  let value: Value = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}
