import test from 'ava';
import { pathText, type Problem } from './flow-types.ts';
import { validateFlow } from './validator.ts';

const flow = (nodes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ id: 'f', name: 'F', languages: ['en'], defaultLanguage: 'en', start: 'a', nodes, ...extra });
const messages = (problems: Problem[]) => problems.map((p) => `${pathText(p.path)}: ${p.message}`);
const has = (problems: Problem[], path: string, pattern: RegExp) => messages(problems).some((m) => m.startsWith(`${path}: `) && pattern.test(m));

test('given a valid two-node flow, when validated, then no errors and defaults are filled', (t) => {
  const result = validateFlow(flow({ a: { kind: 'play', prompts: [{ sound: 'hello-world' }], next: 'b' }, b: { kind: 'hangup' } }));
  t.deepEqual(result.errors, []);
  t.truthy(result.flow);
});

test('given an unknown node kind, when validated, then the error names the path and the known kinds', (t) => {
  const result = validateFlow(flow({ a: { kind: 'teleport', next: 'a' } }));
  t.true(has(result.errors, 'nodes.a.kind', /unknown node kind "teleport"; known: play, menu/));
});

test('given a missing target, when validated, then the edge field is named', (t) => {
  const result = validateFlow(flow({ a: { kind: 'menu', prompts: [{ sound: 'x' }], options: { '1': 'nowhere' }, default: 'b' }, b: { kind: 'hangup' } }));
  t.true(has(result.errors, 'nodes.a.options.1', /goes to "nowhere", which does not exist/));
});

test('given a node no path reaches, when validated, then it is reported unreachable', (t) => {
  const result = validateFlow(flow({ a: { kind: 'hangup' }, lonely: { kind: 'hangup' } }));
  t.true(has(result.errors, 'nodes.lonely', /unreachable from start "a"/));
});

test('given a loop that never waits for the caller, when validated, then it is an infinite-loop error', (t) => {
  const result = validateFlow(flow({
    a: { kind: 'set', assign: { n: 'vars.n + 1' }, next: 'b' },
    b: { kind: 'condition', branches: [{ when: 'vars.n > 3', next: 'c' }], else: 'a' },
    c: { kind: 'hangup' },
  }, { variables: { n: 0 } }));
  t.true(messages(result.errors).some((m) => /loop a → b → a never waits for the caller/.test(m)), messages(result.errors).join('\n'));
});

test('given a loop through a menu, when validated, then it is fine (the caller is asked each time)', (t) => {
  const result = validateFlow(flow({ a: { kind: 'menu', prompts: [{ sound: 'x' }], options: { '1': 'b' }, default: 'c' }, b: { kind: 'goto', next: 'a' }, c: { kind: 'hangup' } }));
  t.deepEqual(result.errors, []);
});

test('given bad expressions, regexes, hours and prompts, when validated, then each is named with its path', (t) => {
  const result = validateFlow(
    flow({
      a: { kind: 'condition', branches: [{ when: 'vars.x >', next: 'b' }], else: 'b' },
      b: { kind: 'gather', prompts: [{ prompt: 'missing-prompt' }], variable: 'acct', pattern: '(a+)+', next: 'c' },
      c: { kind: 'business-hours', hours: { timezone: 'Mars/Olympus', weekly: { mon: ['18:00-09:00'] } }, open: 'd', closed: 'd' },
      d: { kind: 'http', url: 'https://x/${vars.', next: 'e', onError: 'e' },
      e: { kind: 'hangup' },
    }, { languages: ['en', 'zh-CN'] }),
    { hasPrompt: (language, id) => !(language === 'zh-CN' && id === 'missing-prompt') },
  );
  t.true(has(result.errors, 'nodes.a.branches[0].when', /bad expression/));
  t.true(has(result.errors, 'nodes.b.pattern', /nested quantifier/));
  t.true(has(result.errors, 'nodes.b.prompts[0].prompt', /"missing-prompt" is not in the zh-CN prompt library/));
  t.false(has(result.errors, 'nodes.b.prompts[0].prompt', /en prompt library/));
  t.true(messages(result.errors).some((m) => m.startsWith('nodes.c.hours') && /Mars\/Olympus/.test(m)), messages(result.errors).join('\n'));
  t.true(has(result.errors, 'nodes.d.url', /bad template/));
});

test('given shape errors inside a node, when validated, then zod paths are prefixed with the node path', (t) => {
  const result = validateFlow(flow({ a: { kind: 'gather', prompts: [], variable: '9lives', minDigits: 5, maxDigits: 2, next: 'b' }, b: { kind: 'hangup' } }));
  t.true(has(result.errors, 'nodes.a.variable', /variable names/));
});

test('given a menu without default, when validated, then a warning (not an error)', (t) => {
  const result = validateFlow(flow({ a: { kind: 'menu', prompts: [{ sound: 'x' }], options: { '1': 'b' } }, b: { kind: 'hangup' } }));
  t.deepEqual(result.errors, []);
  t.true(has(result.warnings, 'nodes.a', /no default branch/));
});

test('given a language node for a language the flow does not offer, when validated, then an error', (t) => {
  const result = validateFlow(flow({ a: { kind: 'language', language: 'zh-CN', next: 'b' }, b: { kind: 'hangup' } }));
  t.true(has(result.errors, 'nodes.a.language', /not among the flow's languages/));
});

test('given top-level problems, when validated, then they are reported without node checks', (t) => {
  t.true(has(validateFlow({ id: 'Bad Id', name: '', languages: [], defaultLanguage: 'fr', start: 'a', nodes: {} }).errors, 'id', /flow ids/));
  t.true(has(validateFlow(flow({ b: { kind: 'hangup' } })).errors, 'start', /does not exist/));
  t.true(has(validateFlow(null).errors, '(document)', /object/i));
});

test('given the editor\'s optional layout (node positions), when validated, then it is kept; a bad position names its field; a file without one is fine', (t) => {
  const nodes = { a: { kind: 'hangup' } };
  const placed = validateFlow(flow(nodes, { layout: { nodes: { a: { x: 250, y: -40.5 } } } }));
  t.deepEqual(placed.errors, []);
  t.deepEqual(placed.flow?.layout, { nodes: { a: { x: 250, y: -40.5 } } });
  t.is(validateFlow(flow(nodes)).flow?.layout, undefined);
  t.true(has(validateFlow(flow(nodes, { layout: { nodes: { a: { x: 'left', y: 0 } } } })).errors, 'layout.nodes.a.x', /expected number/));
  t.true(has(validateFlow(flow(nodes, { layout: { nodes: { a: { x: 0, y: 0, z: 1 } } } })).errors, 'layout.nodes.a', /z/));
  t.true(has(validateFlow(flow(nodes, { layout: { zoom: 2, nodes: {} } })).errors, 'layout', /zoom/));
});
