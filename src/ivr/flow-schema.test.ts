import test from 'ava';
import { readFile } from 'node:fs/promises';
import { examplesDir } from './flow-files.ts';
import { flowJsonSchema } from './validator.ts';

test('given the published JSON Schema file, when compared to the schema the code builds, then it is current (run `deskline flows schema > ivr-flows/flow.schema.json`)', async (t) => {
  const committed = JSON.parse(await readFile(`${examplesDir}flow.schema.json`, 'utf8'));
  t.deepEqual(committed, flowJsonSchema());
  const kinds = (committed.properties.nodes.additionalProperties.oneOf as { properties: { kind: { const: string } } }[]).map((s) => s.properties.kind.const);
  t.true(kinds.includes('menu') && kinds.includes('business-hours') && kinds.includes('gather-speech'));
});
