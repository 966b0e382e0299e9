// Estimated wait time (EWT) for a caller at a given position.
//
// The rule:
//   1. Average handle time (AHT) = mean of the recent handle times when there are at least
//      `minSamples` of them; otherwise `defaultHandleSeconds`, and the estimate is uncertain.
//   2. No staffed agent (logged in and not paused) → uncertain, "more than `capMinutes` minutes".
//   3. Estimate = ceil(position / staffed) × AHT: the caller waits for that many "rounds" of calls.
//   4. Certain estimates are rounded up to whole 30 s steps ("about 1 minute 30").
//   5. Uncertain, or longer than `capMinutes`, → "more than N minutes", N = floor(estimate / 60)
//      clamped to 1 … capMinutes. We never promise a precise figure we cannot back.
export type WaitEstimate = { kind: 'about'; seconds: number } | { kind: 'more-than'; minutes: number };

export interface WaitEstimateInput {
  /** 1-based place in the queue. */
  position: number;
  staffedAgents: number;
  recentHandleSeconds: readonly number[];
  minSamples?: number;
  defaultHandleSeconds?: number;
  capMinutes?: number;
}

export function estimateWait(input: WaitEstimateInput): WaitEstimate {
  const { position, staffedAgents, recentHandleSeconds: samples } = input;
  const minSamples = input.minSamples ?? 5;
  const capMinutes = input.capMinutes ?? 10;
  if (staffedAgents <= 0) return { kind: 'more-than', minutes: capMinutes };
  const enough = samples.length >= minSamples;
  const aht = enough ? samples.reduce((a, b) => a + b, 0) / samples.length : (input.defaultHandleSeconds ?? 180);
  const seconds = Math.ceil(Math.max(1, position) / staffedAgents) * aht;
  if (!enough || seconds > capMinutes * 60) {
    return { kind: 'more-than', minutes: Math.min(capMinutes, Math.max(1, Math.floor(seconds / 60))) };
  }
  return { kind: 'about', seconds: Math.ceil(seconds / 30) * 30 };
}
