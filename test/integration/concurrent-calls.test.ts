import test from 'ava';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const { sandbox, appliance } = useDeskline(test);

test('given 50 concurrent Local-channel callers running the same script, when all finish, then every record is complete', async (t) => {
  const deskline = appliance();
  const deps = { telephony: deskline.telephony, calls: deskline.calls, records: deskline.records, media: sandbox().media };
  const script = 'wait 1; dtmf 1; wait 0.5; dtmf 2; wait 1; hangup';
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => placeTestCall({ to: '4000', script, callerNumber: `555${String(i).padStart(4, '0')}`, timeoutSeconds: 90 }, deps)),
  );
  const incomplete = results.filter((r) => !(r.answered && r.outcome === 'completed' && r.digits.map((d) => d.digit).join('') === '12' && r.prompts[0]?.promptId === 'greeting'));
  t.is(incomplete.length, 0, JSON.stringify(incomplete.slice(0, 2).map(({ trail: _t, ...r }) => r)));
  for (const r of results) {
    const types = r.trail.map((e) => e.type);
    t.is(types[0], 'entered');
    t.is(types.at(-1), 'ended');
    t.true(types.includes('answered') && types.includes('hangup'));
  }
  t.is(new Set(results.map((r) => r.callId)).size, 50);
  t.is((await deskline.records.list({ limit: 1000 })).length, 50);
  t.deepEqual(await deskline.records.active(), []);
});
