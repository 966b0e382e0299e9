import test from 'ava';
import { liveSignal, webhookData } from './followup-events.ts';
import { transition } from './followup-machine.ts';
import { created, T0 } from './testing-followups.ts';

test('given a closed follow-up, when turned into event data, then the live signal has no caller number or text, and the webhook has the work order and who closed it why', (t) => {
  const closed = transition(created({ note: 'wants a refund' }), { type: 'close', reason: 'refunded', at: T0 + 1, by: 'sup' }).next;
  const live = JSON.stringify(liveSignal(closed));
  for (const secret of ['+8613800000000', 'Mrs Li', 'refund']) t.false(live.includes(secret), secret);
  t.like(webhookData(closed), { followupId: 'manual-1', status: 'done', callerNumber: '+8613800000000', note: 'wants a refund', statusChangedBy: 'sup', reason: 'refunded', callId: null });
});
