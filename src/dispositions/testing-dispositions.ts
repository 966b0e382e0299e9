// Calls in a memory store for the capability's tests: a queued call answered by an agent, with
// an optional IVR and assist trail.
import { newCall } from '../calls/call-machine.ts';
import { CallRecords } from '../calls/call-records.ts';
import type { TrailEntry } from '../calls/call-types.ts';
import type { MemoryStore } from '../store/memory-store.ts';

export async function saveQueuedCall(store: MemoryStore, callId: string, opts: { number: string; at: number; queue?: string; agentId?: string; trail?: Omit<TrailEntry, 'at'>[] }): Promise<void> {
  const records = new CallRecords(store);
  const state = newCall({ channelId: callId, channelName: `PJSIP/${callId}`, caller: { number: opts.number, name: '' }, dialed: '6300', at: opts.at });
  const trail: TrailEntry[] = [
    ...(opts.trail ?? []).map((e): TrailEntry => ({ ...e, at: opts.at }) as TrailEntry),
    ...(opts.queue ? [{ at: opts.at, type: 'queue', queue: opts.queue }] : []),
    ...(opts.queue && opts.agentId ? [{ at: opts.at + 1000, type: 'agent-connected', agentId: opts.agentId, queue: opts.queue }] : []),
  ];
  await records.save(undefined, { ...state, phase: 'ended', outcome: 'completed', endedAt: opts.at + 60_000, trailLength: trail.length }, trail);
}
