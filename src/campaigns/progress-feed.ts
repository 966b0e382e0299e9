// Campaign progress for the live event stream: the dialer reports every change (each dial, each
// ended attempt); a browser needs at most one update a second per campaign, and a burst of dials
// must not push other events out of the stream's short replay buffer. So: the latest progress per
// campaign, sent once per interval.
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { CampaignProgress } from './campaign-types.ts';

export function feedProgress(dialer: { on(event: 'progress', listener: (progress: CampaignProgress) => void): unknown }, clock: Clock, publish: (progress: CampaignProgress) => void, everyMs = 1000): () => void {
  const latest = new Map<string, CampaignProgress>();
  let timer: TimerHandle | undefined;
  const flush = () => {
    timer = undefined;
    for (const progress of latest.values()) publish(progress);
    latest.clear();
  };
  dialer.on('progress', (progress) => {
    latest.set(progress.campaignId, progress);
    timer ??= clock.at(clock.now() + everyMs, flush);
  });
  return () => timer?.cancel();
}
