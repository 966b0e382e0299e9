// The resource fault scenarios at CI scale (20 calls) on one sandbox Asterisk: a nearly full
// disk, failing store writes, a broker outage, a slow or failing business platform. Each check
// of a scenario is one assertion; the figures go to the log. Full scale: `npm run bench -- faults`.
import test from 'ava';
import { useSandbox } from '../helpers/sandbox.ts';
import { runDiskFull, scenario as diskFull } from '../faults/disk-full.ts';
import type { FaultOutcome } from '../faults/scenario.ts';
import { runBrokerOutage, scenario as brokerOutage } from '../faults/broker-outage.ts';
import { runStoreWriteFailure, scenario as storeWriteFailure } from '../faults/store-write-failure.ts';
import { runSlowBusinessPlatform, scenario as slowPlatform } from '../faults/slow-business-platform.ts';

const sandbox = useSandbox(test);
const SCALE = 20;

function report(t: { true(ok: boolean, message: string): void; log(...values: unknown[]): void }, outcome: FaultOutcome): void {
  for (const c of outcome.checks) t.log(`${c.ok ? 'ok' : 'NOT OK'}: ${c.name}: ${c.detail ?? ''}`);
  for (const c of outcome.checks) t.true(c.ok, `${c.name}: ${c.detail ?? ''}`);
  t.log(JSON.stringify(outcome.measured));
}

test.serial(`fault: ${diskFull.describe}`, async (t) => {
  report(t, await runDiskFull({ scale: SCALE, progress: (l) => t.log(l) }, sandbox()));
});

test.serial(`fault: ${slowPlatform.describe}`, async (t) => {
  report(t, await runSlowBusinessPlatform({ scale: SCALE, progress: (l) => t.log(l) }, sandbox()));
});

test.serial(`fault: ${brokerOutage.describe}`, async (t) => {
  report(t, await runBrokerOutage({ scale: SCALE, progress: (l) => t.log(l) }, sandbox()));
});

test.serial(`fault: ${storeWriteFailure.describe}`, async (t) => {
  report(t, await runStoreWriteFailure({ scale: SCALE, progress: (l) => t.log(l) }, sandbox()));
});
