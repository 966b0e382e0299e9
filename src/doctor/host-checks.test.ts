import test from 'ava';
import { mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { checkSite } from '../config/load.ts';
import { clockCheck, diskCheck, parseRegistrations, recordingBytesPerDay } from './host-checks.ts';

// The shape Asterisk 22.10 prints (test/integration/provision.test.ts reads the real one through doctor).
const registrations = `
 <Registration/ServerURI..............................>  <Auth....................>  <Status.......>
==========================================================================================

 carrier-registration/sip:127.0.0.1:40111                 carrier-auth                Registered        (exp. 595s)
 backup-registration/sip:sip.example.cn:5060             backup-auth                 Rejected

Objects found: 2
`;

test('given pjsip show registrations, when parsed, then each trunk has its status', (t) => {
  t.deepEqual([...parseRegistrations(registrations)], [['carrier', 'Registered'], ['backup', 'Rejected']]);
  t.is(parseRegistrations('No objects found.').size, 0);
});

test('given timedatectl or chrony answers, when the clock is checked, then synced is ok, unsynced fails and none is a warning', async (t) => {
  t.is((await clockCheck(async () => 'yes\n')).status, 'ok');
  t.is((await clockCheck(async () => 'no\n')).status, 'fail');
  t.is((await clockCheck(async (file) => (file === 'chronyc' ? 'Leap status     : Normal\n' : Promise.reject(new Error('none'))))).status, 'ok');
  const none = await clockCheck(async () => Promise.reject(new Error('ENOENT')));
  t.is(none.status, 'warn');
  t.truthy(none.fix);
});

test('given a week of recordings, when disk headroom is checked, then the rate and the retention need are compared', async (t) => {
  const dir = await mkdtemp(`${tmpdir()}/rec-`);
  const now = Date.now();
  for (let day = 0; day < 7; day++) {
    const path = `${dir}/r${day}.wav`;
    await writeFile(path, Buffer.alloc(1000));
    await utimes(path, (now - day * 86_400_000) / 1000, (now - day * 86_400_000) / 1000);
  }
  await writeFile(`${dir}/notes.txt`, 'not a recording');
  const perDay = await recordingBytesPerDay(dir, now);
  t.true(perDay > 1000 && perDay < 1200, String(perDay));
  const keepForever = checkSite({ recordings: { minFreeGb: 0 } }, {}).config!;
  t.is((await diskCheck(keepForever, dir, now)).status, 'ok');
  const impossible = checkSite({ recordings: { minFreeGb: 1e5 } }, {}).config!;
  const full = await diskCheck(impossible, dir, now);
  t.is(full.status, 'fail');
  t.regex(full.detail, /below recordings\.minFreeGb 100000/);
});
