// Every RTP receiver this process has open, and the counters of those it closed: what hostile or
// broken input the External Media ports have seen (garbage, oversized datagrams, foreign payload
// types, a second sender, floods) without anyone holding a reference to each leg's receiver. The
// health answer (/healthz, the fleet's diagnostics bundle) reads `rtpHealth()`; the hostile-input
// fault scenario reads `liveRtpLegs()` to find the ports to attack.
import type { RtpReceiverStats } from './rtp-receiver.ts';

/** What the census needs of a receiver (RtpReceiver registers itself at open, leaves at close). */
export interface CensusMember {
  readonly port: number;
  readonly engine: string;
  readonly source: string | undefined;
  stats(): RtpReceiverStats;
}

/** Counters summed over receivers; `legs` live now, `closedLegs` since the process started. */
export interface RtpHealth {
  legs: number;
  closedLegs: number;
  datagrams: number;
  /** Datagrams that were not RTP for the leg: garbage, too large, another payload type. */
  droppedMalformed: number;
  droppedOversize: number;
  droppedPayloadType: number;
  droppedForeignSource: number;
  droppedRateLimited: number;
  /** Late, duplicate: normal network wear, not hostility. */
  droppedLate: number;
  droppedDuplicate: number;
  consumerErrors: number;
}

const SUMMED = ['datagrams', 'droppedMalformed', 'droppedOversize', 'droppedPayloadType', 'droppedForeignSource', 'droppedRateLimited', 'droppedLate', 'droppedDuplicate', 'consumerErrors'] as const;

const live = new Set<CensusMember>();
/** The last few closed legs with their final counters: what a leg saw after its call ended. */
const RECENT_CLOSED = 32;
const recent: { port: number; engine: string; source: string | undefined; stats: RtpReceiverStats }[] = [];
const closed: Record<(typeof SUMMED)[number], number> & { legs: number } = { legs: 0, ...Object.fromEntries(SUMMED.map((k) => [k, 0])) } as never;

export function joinCensus(member: CensusMember): void {
  live.add(member);
}

/** Called once with the receiver's final counters. */
export function leaveCensus(member: CensusMember, final: RtpReceiverStats): void {
  if (!live.delete(member)) return;
  recent.push({ port: member.port, engine: member.engine, source: member.source, stats: final });
  if (recent.length > RECENT_CLOSED) recent.shift();
  closed.legs++;
  for (const k of SUMMED) closed[k] += final[k];
}

export function liveRtpLegs(): { port: number; engine: string; source: string | undefined; stats: RtpReceiverStats }[] {
  return [...live].map((m) => ({ port: m.port, engine: m.engine, source: m.source, stats: m.stats() }));
}

/** The last 32 closed legs, oldest first, with their final counters. */
export function recentlyClosedRtpLegs(): { port: number; engine: string; source: string | undefined; stats: RtpReceiverStats }[] {
  return [...recent];
}

export function rtpHealth(): RtpHealth {
  const sum = { ...closed };
  for (const member of live) {
    const s = member.stats();
    for (const k of SUMMED) sum[k] += s[k];
  }
  const { legs: closedLegs, ...counters } = sum;
  return { legs: live.size, closedLegs, ...counters };
}
