import test from 'ava';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './load.ts';

const examples = fileURLToPath(new URL('../../firmware-config/examples/', import.meta.url));

test('given the shipped example site files, when loaded, then each is valid', async (t) => {
  const files = (await readdir(examples)).filter((f) => /\.(ya?ml|json)$/.test(f));
  t.true(files.length > 0);
  for (const file of files) {
    const config = await loadConfig(examples + file, {});
    t.truthy(config.site.id, file);
  }
});
