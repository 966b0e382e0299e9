// Fuzz: 10,000 generated and mutated flow documents through the validator, and the valid ones
// through the simulator. Nothing may throw, hang or reject without saying where. The generator
// lives in flow-fuzz-cases.ts (`npm run bench -- fuzz` runs it 100×).
import test from 'ava';
import { FLOW_FUZZ_CI_CASES, runFlowFuzz } from './flow-fuzz-cases.ts';

test('fuzz: 10,000 flow documents never crash the validator or the simulator, and every problem has a path', async (t) => {
  const { failures, outcomes } = await runFlowFuzz({ cases: FLOW_FUZZ_CI_CASES });
  t.deepEqual(failures.slice(0, 5), []);
  t.log(`${outcomes.valid} valid (simulated), ${outcomes.rejected} rejected`);
  t.true(outcomes.valid! > 500, 'the fuzzer reaches valid flows too');
  t.true(outcomes.rejected! > 500);
});
