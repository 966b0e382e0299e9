import test from 'ava';
import { ManualClock } from '../core/clock.ts';
import { startRetentionJob } from './retention-job.ts';
import type { Recording } from './recording-types.ts';
import { capturedLogger } from './testing/fixtures.ts';

const hour = 3_600_000;

function fakeRecordings(outcomes: (Recording[] | Error)[]) {
  const calls: number[] = [];
  return {
    calls,
    applyRetention: async (days: number) => {
      calls.push(days);
      const outcome = outcomes.shift() ?? [];
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
}

test('given a retention job, when time passes, then it runs at start and every interval until stopped', async (t) => {
  const clock = new ManualClock(0);
  const recordings = fakeRecordings([]);
  const job = startRetentionJob({ recordings, clock, logger: capturedLogger().logger, retentionDays: 90, everyMs: hour });
  clock.advance(0);
  await job.idle();
  t.deepEqual(recordings.calls, [90]);
  clock.advance(hour - 1);
  await job.idle();
  t.is(recordings.calls.length, 1);
  clock.advance(1);
  await job.idle();
  t.is(recordings.calls.length, 2);
  job.stop();
  clock.advance(10 * hour);
  await job.idle();
  t.is(recordings.calls.length, 2);
});

test('given a run that fails, when the job continues, then the failure is logged and the next run still happens', async (t) => {
  const clock = new ManualClock(0);
  const recordings = fakeRecordings([new Error('disk gone'), [{ id: 'r1' } as Recording]]);
  const { logger, lines } = capturedLogger();
  const job = startRetentionJob({ recordings, clock, logger, retentionDays: 30, everyMs: hour });
  clock.advance(0);
  await job.idle();
  t.like(lines.find((l) => l.level === 50), { msg: 'recording retention failed; retrying at the next run', retentionDays: 30 });
  clock.advance(hour);
  await job.idle();
  t.is(recordings.calls.length, 2);
  t.like(lines.find((l) => l.level === 30), { msg: 'retention deleted old recordings', deleted: 1 });
  job.stop();
});
