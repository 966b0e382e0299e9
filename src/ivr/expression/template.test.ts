import test from 'ava';
import { compileTemplate, ExpressionError } from './index.ts';

const scope = { vars: { account: 'AB 12/3', amount: 12.5, none: null }, language: 'zh-CN', caller: { name: '李四' } };

test('given a URL template, when rendered, then each interpolation is evaluated and encoded where asked', (t) => {
  const template = compileTemplate('https://crm.local/api/accounts/${urlencode(vars.account)}?lang=${language}');
  t.is(template.render(scope), 'https://crm.local/api/accounts/AB%2012%2F3?lang=zh-CN');
  t.deepEqual(template.names, ['vars', 'language']);
});

test('given values of each kind, when interpolated, then null is empty and arrays and objects are JSON', (t) => {
  t.is(compileTemplate('[${vars.none}|${vars.amount}|${true}|${[1, "x"]}|${vars.missing}]').render(scope), '[|12.5|true|[1,"x"]|]');
  t.is(compileTemplate('{"amount": ${vars.amount}, "who": ${string([caller.name])}}').render(scope), '{"amount": 12.5, "who": ["李四"]}');
});

test('given Chinese text and a closing brace inside a string, when rendered, then the brace does not end the interpolation', (t) => {
  t.is(compileTemplate('${caller.name}您好，${"}"}与${\'{}\'}').render(scope), '李四您好，}与{}');
});

test('given escapes, when rendered, then $${ writes a literal ${ and a lone $ stays', (t) => {
  t.is(compileTemplate('cost: $5, literal $${vars.amount}, value ${vars.amount}$').render(scope), 'cost: $5, literal ${vars.amount}, value 12.5$');
  t.is(compileTemplate('').render(scope), '');
  t.deepEqual(compileTemplate('plain').names, []);
});

test('given broken interpolations, when compiled, then EXPR_SYNTAX points into the template', (t) => {
  const cases: [string, number][] = [
    ['abc ${vars.x', 4],
    ['abc ${}', 4],
    ['abc ${ 1 + }', 11],
    ['ok ${"unterminated}', 3],
    ['${nope(1)}', 2],
  ];
  for (const [source, position] of cases) {
    const error = t.throws(() => compileTemplate(source), { instanceOf: ExpressionError }, source);
    t.is(error?.code, 'EXPR_SYNTAX', source);
    t.is(error?.position, position, source);
  }
});

test('given an evaluation error inside a template, when rendered, then its position is in template coordinates', (t) => {
  const error = t.throws(() => compileTemplate('total: ${vars.amount / 0}').render(scope), { instanceOf: ExpressionError });
  t.is(error?.code, 'EXPR_EVAL');
  t.is(error?.position, 21);
});
