import test from 'ava';
import { compileExpression, compileTemplate, ExpressionError, type Value } from './index.ts';
import { vetPattern } from './regex-guard.ts';

const syntaxCode = { instanceOf: ExpressionError, message: /cannot be read/ };

test('given forbidden keys written out, when compiled, then they are refused before anything runs', (t) => {
  for (const source of ['a.__proto__', 'a["constructor"]', "a['prototype']", 'constructor', '__proto__.x', 'a.b.constructor.name']) {
    const error = t.throws(() => compileExpression(source), syntaxCode, source);
    t.is(error?.code, 'EXPR_SYNTAX', source);
  }
  t.throws(() => compileTemplate('${vars.__proto__}'), syntaxCode);
});

test('given forbidden keys computed at runtime, when evaluated, then they read as null', (t) => {
  const scope = { a: { x: 1 }, list: [1, 2], k: 'constructor', s: 'abc' };
  for (const source of ['a[k]', 'a["__pro" + "to__"]', 'list[k]', 'list["constructor"+""]', 's[k]', 'a["proto" + "type"]']) {
    t.is(compileExpression(source).evaluate(scope), null, source);
  }
  t.false(compileExpression('k in a').evaluate(scope) as boolean);
});

test('given names of inherited members, when read, then only own data properties of plain objects are visible', (t) => {
  const scope = { a: { x: 1 }, list: [1, 2], s: 'abc', n: 5 };
  for (const source of ['toString', 'hasOwnProperty', 'a.toString', 'a["valueOf"]', 'list.length', 'list["map"]', 's.length', 's[0]', 'n.toFixed', 'valueOf']) {
    t.is(compileExpression(source).evaluate(scope), null, source);
  }
  t.throws(() => compileExpression('toString()'), { message: /unknown function toString\(\)/ });
  t.throws(() => compileExpression('a.toString()'), { message: /only built-in functions/ });
});

test('given scope data that is not JSON, when read, then getters never run and class instances, functions and undefined are null', (t) => {
  let getterRan = false;
  const tricky = Object.defineProperty({}, 'secret', { enumerable: true, get: () => ((getterRan = true), 'leak') });
  class Account {
    id = 1;
  }
  const scope = { tricky, account: new Account(), fn: () => 1, missing: undefined, date: new Date(0) } as unknown as Record<string, Value>;
  const expected: [string, Value][] = [
    ['tricky.secret', null], ['account', null], ['account.id', null], ['fn', null], ['missing', null], ['date', null], ['string(tricky)', '{"secret":null}'],
  ];
  for (const [source, value] of expected) t.is(compileExpression(source).evaluate(scope), value, source);
  t.false(getterRan);
});

test('given a frozen scope, when expressions read it, then it is never mutated', (t) => {
  const list = Object.freeze([3, 1, 2]) as number[];
  const scope = Object.freeze({ vars: Object.freeze({ list }) });
  t.deepEqual(compileExpression('vars.list[0] + max(1, 2)').evaluate(scope), 5);
  t.deepEqual(scope.vars.list, [3, 1, 2]);
});

test('given a pattern with nested or heavy quantifiers, when vetted, then it is refused; simple IVR patterns pass', (t) => {
  for (const bad of ['(a+)+', '(a*)*', '(a|aa)+', '((ab)+c)*', '(?:\\d+){2,}', 'a*a*b', '^a*a*a*b', '\\d+-\\d+', '(a)\\1', 'x'.repeat(201)]) {
    t.is(typeof vetPattern(bad), 'string', bad);
  }
  for (const good of ['^[0-9]{8}$', '^1[3-9]\\d{9}$', '^(\\+86)?1\\d{10}$', '^\\d+-\\d+$', '^(vip|gold)$', 'abc', '[(+*]+', '^\\p{Script=Han}{2,4}$']) {
    t.true(vetPattern(good) instanceof RegExp, good);
  }
});

test('given a refused pattern only known at runtime, when matched, then EXPR_EVAL is thrown instead of backtracking', (t) => {
  const expr = compileExpression('matches(s, p)');
  const error = t.throws(() => expr.evaluate({ s: `${'a'.repeat(999)}!`, p: '^(a+)+$' }), { instanceOf: ExpressionError });
  t.is(error?.code, 'EXPR_EVAL');
});
