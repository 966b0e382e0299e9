// The editor's pure parts: node kinds and fields (checked against the server's schema), slots,
// layout, problem placement and the version diff.
import test from 'ava';
import { diffFlows, isEmptyDiff } from './diff.ts';
import { layeredLayout } from './layout.ts';
import { placeProblems } from './problems.ts';
import { newNode, NODE_KINDS, FIELDS, setIn, slotsOf, withoutTarget, type FlowDoc } from './node-kinds.ts';

const doc = (nodes: FlowDoc['nodes'], more: Partial<FlowDoc> = {}): FlowDoc => ({ id: 'f', name: 'F', languages: ['en'], defaultLanguage: 'en', start: 'm', nodes, ...more });

test('given two versions, when diffed, then added, removed and changed nodes are listed field by field', (t) => {
  const v1 = doc({ m: { kind: 'menu', prompts: [{ sound: 'beep' }], options: { 1: 'q' }, timeoutSeconds: 5 }, q: { kind: 'queue', queue: 'support' }, old: { kind: 'hangup' } });
  const v2 = doc({ m: { kind: 'menu', prompts: [{ sound: 'beep' }], options: { 1: 'q', 2: 'p' }, timeoutSeconds: 8 }, q: { kind: 'queue', queue: 'support' }, p: { kind: 'play', prompts: [{ tts: 'hi' }], next: 'm' } }, { name: 'G' });
  const d = diffFlows(v1, v2);
  t.deepEqual(d.flow, [{ field: 'name', before: 'F', after: 'G' }]);
  t.deepEqual(d.added, ['p']);
  t.deepEqual(d.removed, ['old']);
  t.deepEqual(d.changed, [{ id: 'm', kind: 'menu', fields: [{ field: 'options.2', after: 'p' }, { field: 'timeoutSeconds', before: '5', after: '8' }] }]);
  t.true(isEmptyDiff(diffFlows(v1, v1)));
  t.true(isEmptyDiff(diffFlows(v1, { ...v1, layout: { nodes: { m: { x: 10, y: 20 } } } })), 'moving a node changes nothing for callers');
  t.false(isEmptyDiff(d));
});

test('given a flow, when laid out, then rows follow the distance from start and unreachable nodes come last', (t) => {
  const p = layeredLayout({ m: { kind: 'menu', options: { 1: 'a', 2: 'b' } }, a: { kind: 'goto', next: 'm' }, b: { kind: 'hangup' }, lost: { kind: 'hangup' } }, 'm');
  t.is(p.m!.y, 0);
  t.is(p.a!.y, p.b!.y);
  t.true(p.a!.y > 0);
  t.true(p.lost!.y > p.a!.y);
  t.not(p.a!.x, p.b!.x);
});

test('given validator problems, when placed, then each lands on its node, its field, or the flow', (t) => {
  const placed = placeProblems([
    { path: ['nodes', 'm', 'options', '1'], message: 'bad id', severity: 'error' },
    { path: ['nodes', 'q'], message: 'unreachable', severity: 'error' },
    { path: ['start'], message: 'no start', severity: 'error' },
  ]);
  t.is(placed.byNode.m!.length, 1);
  t.is(placed.byField['m/options']![0]!.message, 'bad id');
  t.is(placed.byNode.q![0]!.message, 'unreachable');
  t.is(placed.flow[0]!.message, 'no start');
});

test('given every node kind, then the editor has fields for it and slots follow its targets; deleting a target clears references', (t) => {
  t.is(NODE_KINDS.length, 19);
  for (const kind of NODE_KINDS) t.truthy(FIELDS[kind], kind);
  const menu = newNode('menu', { defaultLanguage: 'en' });
  const withOptions = setIn(setIn(menu, ['options', '1'], 'q'), ['default'], 'q');
  t.deepEqual(slotsOf(withOptions).map((s) => [s.id, s.target]), [['options.1', 'q'], ['default', 'q']]);
  const cleared = withoutTarget(withOptions, 'q');
  t.deepEqual(cleared.options, {});
  t.is(cleared.default, undefined);
  t.deepEqual(menu.options, {}, 'the original is untouched');
});

test('given the server\'s flow schema, then the editor knows every node kind and every field of each (nothing more, nothing less)', async (t) => {
  const { flowJsonSchema } = await import('../../../../ivr/validator.ts');
  const { COMMON_FIELDS } = await import('./node-kinds.ts');
  const schema = flowJsonSchema() as { properties: { nodes: { additionalProperties: { oneOf: { properties: Record<string, { const?: string }> }[] } } } };
  const server = Object.fromEntries(schema.properties.nodes.additionalProperties.oneOf.map((s) => [s.properties.kind!.const!, Object.keys(s.properties).filter((k) => k !== 'kind').sort()]));
  const editor = Object.fromEntries(NODE_KINDS.map((k) => [k, [...COMMON_FIELDS, ...FIELDS[k]!].map((f) => f.name).sort()]));
  t.deepEqual(editor, server);
});
