import test from 'ava';
import { join } from 'node:path';
import { scriptedCall } from '../reports/testing/scripted-call.ts';
import type { TrailEntry } from '../calls/call-types.ts';
import { soxWav } from './testing/fixtures.ts';
import { recordingSetup, t0 } from './testing/setup.ts';
import { storeVoicemails } from './voicemails.ts';

test('given a call that left two messages (one file lost), when stored twice, then each existing message is stored once and linked, the lost one logged', async (t) => {
  const { incoming, recordings, logs } = await recordingSetup(t);
  const { call, trail } = scriptedCall({ id: 'vm1', startedAt: t0, caller: '+8613800000001', flow: 'main', steps: [] });
  soxWav(join(incoming, 'vm1-rec1.wav'), { seconds: 1.5 });
  const notes: TrailEntry[] = [...trail, { type: 'voicemail', recording: 'vm1-rec1', durationSeconds: 1.5, at: t0 + 5_000 }, { type: 'voicemail', recording: 'vm1-rec2', durationSeconds: 2, at: t0 + 9_000 }];
  const deps = { recordings, sourceDir: () => incoming, logger: { warn: (o: unknown, m: string) => void logs.push({ ...(o as object), msg: m }) } };

  const first = await storeVoicemails(call, notes, deps);
  t.is(first.entries.length, 1);
  t.deepEqual(first.storedNow, first.entries);
  t.like(first.entries[0], { type: 'recording-stored', voicemail: 'vm1-rec1', durationSeconds: 1.5 });
  t.true(logs.some((l) => l.msg === 'voicemail not stored' && l.name === 'vm1-rec2'));

  // A replay: the file was moved into the store, nothing is taken twice.
  const again = await storeVoicemails(call, notes, deps);
  t.deepEqual(again.entries.map((e) => e.recordingId), first.entries.map((e) => e.recordingId));
  t.deepEqual(again.storedNow, [], 'nothing new to note on the call');
  t.is((await recordings.list({ callId: 'vm1' })).length, 1);
  t.deepEqual(await storeVoicemails(call, trail, deps), { entries: [], storedNow: [] }, 'no voicemail, nothing to do');
});
