import test from 'ava';
import { ManualClock } from '../core/clock.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { startFollowups } from './module.ts';
import { endedCall, HOUR, quietLogger, T0 } from './testing-followups.ts';

test('given the module started with a call source and site settings, when a call ends with a voicemail, then a follow-up with the site\'s due time; stop refuses more work', async (t) => {
  const { call, trail } = endedCall('c1', [{ type: 'voicemail', recording: 'vm', durationSeconds: 4 }]);
  const followups = await startFollowups({
    store: new MemoryStore(), clock: new ManualClock(T0), logger: quietLogger,
    settings: { voicemail: { priority: 'urgent', dueInMs: HOUR } }, calls: { get: async () => call, trail: async () => trail },
  });
  const [made] = await followups.service.fromEndedCall('c1');
  t.like(made, { kind: 'voicemail', priority: 'urgent', dueAt: call.endedAt! + HOUR });
  followups.stop();
  await followups.idle();
  await t.throwsAsync(followups.service.fromEndedCall('c1'), { message: /stopping/ });
});
