import test from 'ava';
import { IMPORT_FUZZ_CI_CASES, runImportFuzz } from './import-fuzz-cases.ts';

// The cases live in import-fuzz-cases.ts (`npm run bench -- fuzz` runs them 100×).
test('fuzz: given 3000 damaged CSV, JSON and Markdown imports (text, bytes, fields, random), when parsed, then each returns quickly: valid articles with unique ids, or issues that say what and where', async (t) => {
  const { failures, outcomes } = await runImportFuzz({ cases: IMPORT_FUZZ_CI_CASES });
  t.deepEqual(failures.slice(0, 5), []);
  t.log(outcomes);
  // Both outcomes must be well represented, or the mutations are too mild or too wild.
  t.true(outcomes.accepted > 100, JSON.stringify(outcomes));
  t.true(outcomes.refused > 1000, JSON.stringify(outcomes));
});
