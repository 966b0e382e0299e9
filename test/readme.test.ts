// Keeps the README honest: its simulate examples and its settings table are checked here.
import test from 'ava';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const readme = await readFile(`${root}README.md`, 'utf8');
const examples = [...readme.matchAll(/^\$ deskline (flows simulate .+)\npath: +(.+)$/gm)].map((m) => ({ args: m[1]!.split(' '), path: m[2]!.trim() }));

test('the README documents simulations of every shipped example', (t) => {
  for (const flow of ['minimal', 'customer-service-en', 'customer-service-zh']) t.true(examples.some((e) => e.args.includes(`ivr-flows/${flow}.yaml`)), flow);
});

for (const example of examples) {
  test.serial(`README: deskline ${example.args.join(' ')}`, async (t) => {
    const log = console.log;
    let out = '';
    console.log = (...args: unknown[]) => (out += `${args.join(' ')}\n`);
    const cwd = process.cwd();
    process.chdir(root);
    try {
      t.is(await main(example.args), 0);
    } finally {
      console.log = log;
      process.chdir(cwd);
    }
    t.is(/^path: +(.+)$/m.exec(out)?.[1]?.trim(), example.path);
  });
}

test('the README settings table is what `deskline config docs` prints', async (t) => {
  const { settingsTable } = await import('../src/cli/commands/config-docs.ts');
  t.true(readme.includes(settingsTable()), 'regenerate with: node src/cli/deskline.js config docs');
});
