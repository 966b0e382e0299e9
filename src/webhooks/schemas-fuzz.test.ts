// Random JSON at the input parsers: they either accept (and what they accept is sound) or throw
// the service's validation error; never anything else. Seeded, so a failure can be replayed. The
// generators live in schemas-fuzz-cases.ts (`npm run bench -- fuzz` runs them 100×).
import test from 'ava';
import { fuzzCreateSubscription, fuzzPublishInput, fuzzUpdateSubscription } from './schemas-fuzz-cases.ts';

test('given 4000 random JSON values and nearly-valid bodies, when parsed as a new subscription, then only validation errors are thrown and what passes is sound', (t) => {
  const { failures, outcomes } = fuzzCreateSubscription();
  t.deepEqual(failures, []);
  t.true(outcomes.refused > 1_000);
  t.true(outcomes.accepted > 50, `only ${outcomes.accepted} accepted: the fuzz does not reach the success path`);
});

test('given 3000 random JSON values, when parsed as a subscription change, then only validation errors are thrown', (t) => {
  const { failures, outcomes } = fuzzUpdateSubscription();
  t.deepEqual(failures, []);
  t.true(outcomes.refused > 500);
});

test('given 3000 random JSON values, when checked as events to publish, then only validation errors are thrown', (t) => {
  const { failures, outcomes } = fuzzPublishInput();
  t.deepEqual(failures, []);
  t.true(outcomes.accepted > 100);
});
