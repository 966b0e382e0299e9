import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { lineOf, validateSiteFile } from './site.ts';

test('given a YAML site file with a bad field, when validated, then the line says file:path: message (line N)', async (t) => {
  const dir = await mkdtemp(`${tmpdir()}/site-`);
  const file = `${dir}/site.yaml`;
  await writeFile(file, ['site:', '  id: ok-1', 'trunks:', '  - id: carrier', '    host: "not a host"', '    register: false', 'agents: 3', ''].join('\n'));
  const { problems, lines } = await validateSiteFile(file, {});
  t.deepEqual(lines, [
    `${file}:trunks.0.host: a host name or IPv4 address (line 5)`,
    `${file}:agents: Invalid input: expected array, received number (line 7)`,
  ]);
  t.true(problems.every((p) => p.level === 'error'));
});

test('given YAML that does not parse or a file that is missing, when validated, then one clear error', async (t) => {
  const dir = await mkdtemp(`${tmpdir()}/site-`);
  await writeFile(`${dir}/bad.yaml`, 'site: [unclosed\n');
  t.regex((await validateSiteFile(`${dir}/bad.yaml`, {})).lines[0]!, /bad\.yaml: not valid YAML/);
  t.deepEqual((await validateSiteFile(`${dir}/none.yaml`, {})).lines, [`${dir}/none.yaml: (file): cannot read the site file: ENOENT`]);
});

test('lineOf finds nested keys and list items', (t) => {
  const text = 'a:\n  b:\n    - x: 1\n    - x: 2\n';
  t.is(lineOf(text, 'a.b.1.x'), 4);
  t.is(lineOf(text, 'a.b.1.missing'), 4);
  t.is(lineOf(text, 'nothing'), undefined);
});
