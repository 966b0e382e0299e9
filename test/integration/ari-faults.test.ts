import test from 'ava';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { nextTrail } from '../helpers/appliance.ts';
import { useDeskline } from '../helpers/sandbox.ts';

const { sandbox, appliance } = useDeskline(test);
const depsOf = () => ({ telephony: appliance().telephony, calls: appliance().calls, records: appliance().records, media: sandbox().media });

test.serial('given a call in progress, when the ARI WebSocket drops, then Deskline reconnects, resumes and finishes the call', async (t) => {
  const deskline = appliance();
  const answered = nextTrail(deskline, (_s, e) => e.type === 'answered');
  const call = placeTestCall({ to: '4000', script: 'wait 1.5; dtmf 1; wait 3; dtmf 2; wait 0.5; hangup', timeoutSeconds: 60 }, depsOf());
  const { state } = await answered;
  const reconnected = new Promise<void>((resolve) => deskline.telephony.connection.once('connected', () => resolve()));
  deskline.telephony.connection.dropSocket();
  await reconnected;
  const summary = await call;
  t.is(summary.callId, state.callId);
  t.like(summary, { answered: true, outcome: 'completed', endedBy: 'caller' });
  t.true(summary.trail.some((e) => e.type === 'resumed'), 'reconciled after reconnect');
  // The last digit comes seconds after the reconnect: it must arrive through the new socket.
  t.is(summary.digits.at(-1)?.digit, '2');
});

test.serial('given a call in progress, when Asterisk restarts, then Deskline reconnects and closes the call as dropped by the restart', async (t) => {
  const deskline = appliance();
  const answered = nextTrail(deskline, (_s, e) => e.type === 'answered');
  const call = placeTestCall({ to: '4000', script: 'wait 60; hangup', timeoutSeconds: 60 }, depsOf());
  await answered;
  const reconnected = new Promise<void>((resolve) => deskline.telephony.connection.once('connected', () => resolve()));
  await sandbox().kill();
  await sandbox().start();
  await reconnected;
  const summary = await call;
  t.like(summary, { answered: true, outcome: 'dropped', endedBy: 'system', endReason: 'asterisk-restarted' });
  t.deepEqual(await deskline.records.active(), []);
  // and the restarted Asterisk is fully under control again
  const after = await placeTestCall({ to: '4000', script: 'wait 0.5; dtmf 7; wait 0.5; hangup', timeoutSeconds: 30 }, depsOf());
  t.like(after, { answered: true, outcome: 'completed' });
  t.deepEqual(after.digits.map((d) => d.digit), ['7']);
});
