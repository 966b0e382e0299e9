import test from 'ava';
import { EventEmitter } from 'node:events';
import { ManualClock } from '../core/clock.ts';
import type { CampaignProgress } from './campaign-types.ts';
import { feedProgress } from './progress-feed.ts';

const progress = (campaignId: string, dialing: number) => ({ campaignId, state: 'running', dialingNow: dialing }) as unknown as CampaignProgress;

test('given a burst of progress changes, when the interval passes, then each campaign is published once with its latest figures', (t) => {
  const clock = new ManualClock(0);
  const dialer = new EventEmitter<{ progress: [CampaignProgress] }>();
  const published: CampaignProgress[] = [];
  feedProgress(dialer, clock, (p) => published.push(p));
  for (let i = 1; i <= 50; i++) dialer.emit('progress', progress(i % 2 ? 'a' : 'b', i));
  t.deepEqual(published, [], 'nothing before the interval');
  clock.advance(1000);
  t.deepEqual(published.map((p) => [p.campaignId, p.dialingNow]), [['a', 49], ['b', 50]]);
  dialer.emit('progress', progress('a', 51));
  clock.advance(999);
  t.is(published.length, 2);
  clock.advance(1);
  t.deepEqual(published.at(-1), progress('a', 51));
});
