import test from 'ava';
import { compileExpression, evaluateBoolean, type Value } from './index.ts';

/** Freezes all the way down but keeps the mutable type, as the interpreter's scopes do. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

const scope: Record<string, Value> = deepFreeze({
  caller: { number: '+8613800138000', name: '张三' },
  vars: { balance: 150, account: '12345678', tier: 'vip', tags: ['a', 'b'], empty: '', zero: 0, nested: { list: [{ id: 7 }] } },
  language: 'zh-CN',
  digits: '1#2',
});
const run = (source: string) => compileExpression(source).evaluate(scope);

const precedence: [string, Value][] = [
  ['1 + 2 * 3', 7],
  ['(1 + 2) * 3', 9],
  ['10 - 4 - 3', 3],
  ['24 / 4 / 2', 3],
  ['7 % 4 * 2', 6],
  ['-2 * 3', -6],
  ['- -2', 2],
  ['2 - -2', 4],
  ['!true == false', true],
  ['!(1 == 1)', false],
  ['1 + 2 < 4', true],
  ['1 < 2 == 2 < 3', true],
  ['true || false && false', true],
  ['(true || false) && false', false],
  ['false ? 1 : true ? 2 : 3', 2],
  ['1 + 1 == 2 ? "yes" : "no"', 'yes'],
  ['"a" + 1 + 2', 'a12'],
  ['1 + 2 + "a"', '3a'],
  ['"x" in ["x", "y"] && 2 > 1', true],
  ['caller.number startsWith "+86" && vars.balance > 100', true],
];
test('given operators of different precedence, when evaluated, then they group as the precedence table says', (t) => {
  for (const [source, expected] of precedence) t.deepEqual(run(source), expected, source);
});

const evaluation: [string, Value][] = [
  ['1.5e2', 150],
  ['"a\\"b\\u4f60" + \'\\\'\'', 'a"b你\''],
  ['[1, "two", null, [true]]', [1, 'two', null, [true]]],
  ['vars.account', '12345678'],
  ['vars["tier"]', 'vip'],
  ['vars.tags[1]', 'b'],
  ['vars.nested.list[0].id', 7],
  ['vars.tags[2]', null],
  ['vars.tags[-1]', null],
  ['vars.tags[0.5]', null],
  ['vars.missing.deeper[3]', null],
  ['nobody', null],
  ['language == "zh-CN"', true],
  ['1 == "1"', false],
  ['null == false', false],
  ['[1, [2]] == [1, [2]]', true],
  ['"b" in vars.tags', true],
  ['"86" in caller.number', true],
  ['"tier" in vars', true],
  ['vars.tags contains "a"', true],
  ['caller.number endsWith "000"', true],
  ['"abc" < "abd"', true],
  ['3 >= 3', true],
  ['false && nobody.x == 1', false],
  ['true || 1 / 0', true],
  ['vars.tier == "vip" ? 1 : 5', 1],
  ['caller.name + "，您好"', '张三，您好'],
];
test('given literals, members and operators, when evaluated against a frozen scope, then each yields its value', (t) => {
  for (const [source, expected] of evaluation) t.deepEqual(run(source), expected, source);
});

const functions: [string, Value][] = [
  ['len(vars.account) == 8', true],
  ['len(caller.name)', 2],
  ['len(vars.tags) + len(null)', 2],
  ['lower("ABC") + upper("d")', 'abcD'],
  ['trim("  x ")', 'x'],
  ['number("42.5") + 1', 43.5],
  ['number("4x")', null],
  ['number(" 7 ")', 7],
  ['string(12) + string(null) + string(true) + string([1, "a"])', '12true[1,"a"]'],
  ['round(2.5)', 3],
  ['round(-2.5)', -3],
  ['round(1.005, 2)', 1.01],
  ['floor(-1.5) + ceil(1.2) + abs(-3)', 3],
  ['min(3, 1, 2) + max(3, 1, 2)', 4],
  ['substr("你好世界", 1, 2)', '好世'],
  ['substr("abc", 1)', 'bc'],
  ['substr("abc", 5, 2)', ''],
  ['replace("a.b.c", ".", "/")', 'a/b/c'],
  ['replace("abc", "", "x")', 'abc'],
  ['urlencode("a b/你")', 'a%20b%2F%E4%BD%A0'],
  ['matches(vars.account, "^[0-9]{8}$")', true],
  ['matches("1234567", "^[0-9]{8}$")', false],
  ['matches(caller.name, "^\\\\p{Script=Han}+$")', true],
  ['coalesce(vars.missing, null, "fallback", 1 / 0)', 'fallback'],
];
test('given each built-in function, when called, then it returns the documented result', (t) => {
  for (const [source, expected] of functions) t.deepEqual(run(source), expected, source);
});

test('given an expression, when compiled, then names lists the top-level names it reads, once each, not functions or keys', (t) => {
  t.deepEqual(compileExpression('len(vars.account) == 8 && caller.number startsWith vars.prefix || x[y]').names, ['vars', 'caller', 'x', 'y']);
  t.deepEqual(compileExpression('upper("a")').names, []);
  t.is(compileExpression(' 1+1 ').source, ' 1+1 ');
});

test('given values of each kind, when used as a condition, then only false, null, 0, "", [] and {} are false', (t) => {
  const falsy = ['false', 'null', '0', '""', '[]', 'vars.empty', 'vars.zero', 'vars.nested.list[0].missing'];
  const truthy = ['true', '1', '-1', '"0"', '"false"', '[0]', 'vars', 'vars.tags'];
  for (const source of falsy) t.false(evaluateBoolean(compileExpression(source), scope), source);
  for (const source of truthy) t.true(evaluateBoolean(compileExpression(source), scope), source);
  t.false(evaluateBoolean(compileExpression('x'), { x: {} }));
});

test('given a compiled expression, when evaluated against different scopes, then results follow the scope and scopes stay untouched', (t) => {
  const expr = compileExpression('vars.balance > 100 && "vip" in vars.tags');
  const rich = { vars: { balance: 500, tags: ['vip'] } };
  const before = JSON.stringify(rich);
  t.true(evaluateBoolean(expr, rich));
  t.false(evaluateBoolean(expr, { vars: { balance: 50, tags: ['vip'] } }));
  t.false(evaluateBoolean(expr, { vars: { balance: 500, tags: [] } }));
  t.is(JSON.stringify(rich), before);
});

test('given keywords after a dot, when read, then they are property names, not operators', (t) => {
  t.is(compileExpression('x.in + x.contains').evaluate({ x: { in: 1, contains: 2 } }), 3);
});
