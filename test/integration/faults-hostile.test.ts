// Hostile input at CI scale, on one sandbox Asterisk and one in-process Deskline shared by both
// scenarios (test/faults/rtp-hostile.ts, test/faults/api-hostile.ts; full scale: `npm run bench --
// faults --only rtp-hostile,api-hostile`). RTP first: the API fuzz changes settings and routes.
import test from 'ava';
import { provideHostileEnv, startHostileEnv, type HostileEnv } from '../faults/hostile-env.ts';
import { scenario as rtpHostile } from '../faults/rtp-hostile.ts';
import { scenario as apiHostile } from '../faults/api-hostile.ts';

// 12 calls: 6 transcribed (two attacked, four untouched) and 6 plain (rtp-hostile.ts transcribes
// at most 6 at any scale). Live decoders are the heavy part: with more, on a 2-CPU box shared with
// other tests, transcripts suffer from the load rather than from the attack.
const RTP_SCALE = Number(process.env.DESKLINE_FAULTS_RTP_SCALE ?? 12);
// 10 × 100 generated requests against the real HTTP server, plus the brute-force checks (25 failed
// logins, each a full scrypt) and a spray of 20 made-up names: logins are what is slow here.
const API_SCALE = Number(process.env.DESKLINE_FAULTS_API_SCALE ?? 10);

let env: HostileEnv | undefined;
test.serial.before(async () => {
  env = await startHostileEnv('faults-hostile');
  provideHostileEnv(env);
});
test.after.always(async () => {
  provideHostileEnv(undefined);
  await env?.stop();
});

for (const [scenario, scale] of [[rtpHostile, RTP_SCALE], [apiHostile, API_SCALE]] as const) {
  test.serial(`fault: ${scenario.describe}`, async (t) => {
    const outcome = await scenario.run({ scale, progress: (line) => t.log(line) });
    // Every check in the log (ava shows only a test's first failed assertion).
    for (const c of outcome.checks) t.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail ?? ''}`);
    t.log(JSON.stringify(outcome.measured));
    for (const c of outcome.checks) t.true(c.ok, `${c.name}: ${c.detail ?? ''}`);
  });
}
