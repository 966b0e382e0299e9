// Why src/telephony speaks ARI through its own thin client instead of ari-client (the design
// card's first choice): measured here against the sandbox Asterisk, a wrong password kills the
// process with an uncaught throw instead of rejecting. If a future ari-client fixes this, this
// test fails and the decision should be revisited.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { useSandbox } from '../helpers/sandbox.ts';

const sandbox = useSandbox(test);

test('given ari-client 2.2.0 and a wrong ARI password, when it connects, then the process dies instead of the promise rejecting', (t) => {
  const script = `
    const ari = require('ari-client');
    ari.connect(process.argv[1], 'deskline', 'wrong-password').then(
      () => console.log('RESOLVED'),
      () => console.log('REJECTED'),
    );`;
  const result = spawnSync(process.execPath, ['-e', script, sandbox().ariUrl.replace(/\/ari$/, '')], { encoding: 'utf8', timeout: 20_000 });
  t.log(`exit ${result.status}: ${result.stderr.split('\n').find((l) => l.includes('401')) ?? ''}`);
  t.not(result.status, 0);
  t.false(result.stdout.includes('REJECTED'), 'the caller never gets a rejection to handle');
  t.regex(result.stderr, /401/);
});
