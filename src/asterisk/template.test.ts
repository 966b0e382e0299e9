import test from 'ava';
import { renderTemplate, TemplateError } from './template.ts';

test('given nested keys, when rendered, then values are inserted', (t) => {
  t.is(renderTemplate('bind={{http.host}}:{{http.port}}', { http: { host: '127.0.0.1', port: 8088 } }), 'bind=127.0.0.1:8088');
});

test('given an array section, when rendered, then the body repeats per item with outer keys visible', (t) => {
  const out = renderTemplate('{{#eps}}[{{name}}@{{ctx}}]{{/eps}}', { ctx: 'in', eps: [{ name: 'a' }, { name: 'b' }] });
  t.is(out, '[a@in][b@in]');
});

test('given a falsy optional section, when rendered, then it is left out', (t) => {
  t.is(renderTemplate('x{{#pw}}auth={{pw}}{{/pw}}y', { pw: '' }), 'xy');
  t.is(renderTemplate('x{{#pw}}auth={{pw}}{{/pw}}y', { pw: 's' }), 'xauth=sy');
});

test('given a missing key, when rendered, then the error names template and key', (t) => {
  const error = t.throws(() => renderTemplate('a={{missing.key}}', {}, 'http.conf'), { instanceOf: TemplateError });
  t.is(error?.message, 'http.conf: no value for {{missing.key}}');
});

test('given a value with a line break, when rendered, then it is refused (no config injection)', (t) => {
  t.throws(() => renderTemplate('password={{pw}}', { pw: 'x\n[evil]' }), { message: /line break/ });
});
