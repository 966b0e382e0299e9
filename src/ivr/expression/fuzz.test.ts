import test from 'ava';
import { EXPRESSION_FUZZ_CI_CASES, runExpressionFuzz } from './expression-fuzz-cases.ts';

// The generators live in expression-fuzz-cases.ts (`npm run bench -- fuzz` runs them 100×).
test('fuzz: given 12,000 seeded random, mutated, grammatical and regex-bearing expressions, when compiled and evaluated, then only ExpressionError is ever thrown', (t) => {
  const { failures, outcomes } = runExpressionFuzz({ cases: EXPRESSION_FUZZ_CI_CASES });
  t.deepEqual(failures.slice(0, 5), []);
  // Both outcomes must be well represented, or the generator is not exercising the evaluator.
  t.true(outcomes.ok > 1000, JSON.stringify(outcomes));
  t.true(outcomes.rejected > 1000, JSON.stringify(outcomes));
  t.log(outcomes);
});
