// The call fault scenarios (test/faults/kill-live-calls.ts, asterisk-restart.ts) at CI scale (20
// calls) on this file's sandbox Asterisk; `npm run bench -- faults` runs them at full scale.
// DESKLINE_FAULT_SCALE changes the scale here (e.g. 10 while developing).
import test from 'ava';
import { useSandbox } from '../helpers/sandbox.ts';
import { runAsteriskRestart, scenario as asteriskRestart } from '../faults/asterisk-restart.ts';
import { runKillLiveCalls, scenario as killLiveCalls } from '../faults/kill-live-calls.ts';
import type { FaultOutcome } from '../faults/scenario.ts';
import type { ExecutionContext } from 'ava';

const sandbox = useSandbox(test);
const scale = Number(process.env.DESKLINE_FAULT_SCALE ?? 20);

function report(t: ExecutionContext, outcome: FaultOutcome): void {
  for (const c of outcome.checks) t.log(`${c.ok ? 'ok' : 'NOT OK'} ${c.name}: ${c.detail ?? ''}`);
  t.log(JSON.stringify(outcome.measured));
  t.true(outcome.checks.length > 0);
  t.deepEqual(outcome.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? ''}`), [], 'every check holds');
}

// Runs first: the next test kills and restarts this file's Asterisk.
test.serial(`fault: ${killLiveCalls.describe}`, async (t) => {
  report(t, await runKillLiveCalls({ scale, progress: (l) => t.log(l) }, sandbox()));
});

test.serial(`fault: ${asteriskRestart.describe}`, async (t) => {
  report(t, await runAsteriskRestart({ scale, progress: (l) => t.log(l) }, sandbox()));
});
