// When the ACD next needs a tick: the earliest ring timeout, wrap-up end, max-wait expiry,
// announcement or skill relaxation still ahead. The executor arms one clock timer for it, so
// timed behaviour happens exactly on time (and tests move an injected clock to it).
import type { AcdState } from './queue-types.ts';

export function nextDeadline(state: AcdState, now: number): number | undefined {
  let next = Number.POSITIVE_INFINITY;
  const consider = (at: number) => {
    if (at > now && at < next) next = at;
    else if (at <= now) next = Math.min(next, now);
  };
  for (const agent of Object.values(state.agents)) if (agent.status.kind === 'wrap-up') consider(agent.status.until);
  for (const entry of state.waiting) {
    const queue = state.queues[entry.queueId];
    if (!queue) continue;
    if (entry.status.kind === 'ringing') consider(entry.status.deadline);
    if (entry.kind === 'caller') consider(entry.enteredAt + queue.maxWaitSeconds * 1000);
    const onLine = entry.kind === 'caller' || entry.callback?.state === 'connected';
    if (queue.announceEverySeconds !== undefined && onLine && entry.status.kind === 'waiting') consider((entry.lastAnnouncedAt ?? entry.enteredAt) + queue.announceEverySeconds * 1000);
    // Relaxation only matters to an entry still waiting; past steps were applied already.
    if (entry.status.kind === 'waiting') for (const step of queue.relaxation) if (entry.enteredAt + step.afterSeconds * 1000 > now) consider(entry.enteredAt + step.afterSeconds * 1000);
  }
  return Number.isFinite(next) ? next : undefined;
}
