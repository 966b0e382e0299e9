import test from 'ava';
import { MemoryStore } from '../store/memory-store.ts';
import { CallRecords } from './call-records.ts';
import { newCall } from './call-machine.ts';
import { recentCalls } from './repeat-callers.ts';
import type { CallState } from './call-types.ts';

const hour = 3600_000;
const day = 24 * hour;
const t0 = Date.parse('2026-11-24T10:00:00+08:00');

async function saveCall(records: CallRecords, callId: string, number: string, at: number, patch: Partial<CallState> = {}): Promise<void> {
  const state = newCall({ channelId: callId, channelName: `PJSIP/${callId}`, caller: { number, name: '' }, dialed: '4000', at });
  await records.save(undefined, { ...state, ...patch }, []);
}

test('given a caller who called 3 h ago, when they call again inside a 24 h window, then they are flagged with that call', async (t) => {
  const records = new CallRecords(new MemoryStore());
  await saveCall(records, 'first', '13800138000', t0 - 3 * hour, { phase: 'ended', outcome: 'abandoned', flow: { flowId: 'support-en', version: 3 } });
  await saveCall(records, 'now', '13800138000', t0);
  const result = await recentCalls(records, '13800138000', { at: t0, windowMs: day, excludeCallId: 'now' });
  t.deepEqual(result, { repeat: true, calls: [{ callId: 'first', startedAt: t0 - 3 * hour, outcome: 'abandoned', flowId: 'support-en' }] });
});

test('given a caller whose last call was 24 h and 1 ms ago, when they call with a 24 h window, then they are not flagged', async (t) => {
  const records = new CallRecords(new MemoryStore());
  await saveCall(records, 'old', '13800138000', t0 - day - 1);
  await saveCall(records, 'now', '13800138000', t0);
  t.deepEqual(await recentCalls(records, '13800138000', { at: t0, windowMs: day, excludeCallId: 'now' }), { repeat: false, calls: [] });
});

test('given the window [at − windowMs, at), when a call started exactly windowMs before, then it counts; one exactly at `at` does not', async (t) => {
  const records = new CallRecords(new MemoryStore());
  await saveCall(records, 'edge', '5550100', t0 - day);
  await saveCall(records, 'same-instant', '5550100', t0);
  const result = await recentCalls(records, '5550100', { at: t0, windowMs: day });
  t.deepEqual(result.calls.map((c) => c.callId), ['edge']);
  t.true(result.repeat);
});

test('given several earlier calls and other numbers, when listed, then only this number\'s calls come, newest first, up to the limit, without the current call', async (t) => {
  const records = new CallRecords(new MemoryStore());
  await saveCall(records, 'a', '5550100', t0 - 5 * day);
  await saveCall(records, 'b', '5550100', t0 - 2 * day);
  await saveCall(records, 'other', '5550199', t0 - day);
  await saveCall(records, 'prefix', '55501', t0 - day); // a number that is a prefix of ours
  await saveCall(records, 'c', '5550100', t0 - hour);
  // The current call already saved, judged a minute into it (e.g. at the agent whisper).
  await saveCall(records, 'now', '5550100', t0);
  const options = { at: t0 + 60_000, windowMs: 7 * day, excludeCallId: 'now' };
  t.deepEqual((await recentCalls(records, '5550100', options)).calls.map((c) => c.callId), ['c', 'b', 'a']);
  t.deepEqual((await recentCalls(records, '5550100', { ...options, limit: 2 })).calls.map((c) => c.callId), ['c', 'b']);
  t.deepEqual((await recentCalls(records, '5550100', { ...options, excludeCallId: undefined, limit: 2 })).calls.map((c) => c.callId), ['now', 'c']);
});

test('given anonymous, unknown and empty numbers calling often, when checked, then none is ever a repeat caller', async (t) => {
  const records = new CallRecords(new MemoryStore());
  for (const number of ['', 'anonymous', 'Anonymous', 'unknown', ' UNKNOWN ']) {
    await saveCall(records, `earlier-${number}`, number, t0 - hour);
    await saveCall(records, `now-${number}`, number, t0);
    t.deepEqual(await recentCalls(records, number, { at: t0, windowMs: day, excludeCallId: `now-${number}` }), { repeat: false, calls: [] }, JSON.stringify(number));
  }
});
