import test from 'ava';
import { CallRecords } from '../../calls/call-records.ts';
import type { CallState } from '../../calls/call-types.ts';
import { apiHarness } from './testing-api.ts';
import { withEveryCapability } from './testing-capabilities.ts';

const call = (id: string, startedAt: number, extra: Partial<CallState> = {}): CallState => ({
  callId: id, channelId: `ch-${id}`, channelName: 'PJSIP/x', phase: 'ended', caller: { number: '5550100', name: 'Ann' }, dialed: '4000',
  startedAt, endedAt: startedAt + 60_000, outcome: 'completed', digits: '', promptCount: 0, timers: {}, trailLength: 2, ...extra,
} as CallState);

test('given call records, when listed, filtered, paged and read, then supervisors get them with trail and transcript; agents are refused', async (t) => {
  const h = await apiHarness(withEveryCapability(t));
  const records = new CallRecords(h.store);
  for (let i = 0; i < 5; i++) {
    await records.save(undefined, call(`c${i}`, 1_000_000 + i * 1000, i === 4 ? { outcome: 'abandoned' } : {}), [
      { at: 1_000_000 + i * 1000, type: 'entered' },
      { at: 1_000_500 + i * 1000, type: 'transcript', leg: 'caller', text: i === 2 ? 'I want a refund please' : 'hello', startMs: 0, endMs: 900, confidence: 0.8 },
    ]);
  }
  const sup = await h.login('supervisor');
  const page = await (await h.request('/calls?limit=2', { as: sup })).json() as { items: { callId: string }[]; total: number; nextCursor: string };
  t.deepEqual(page.items.map((c) => c.callId), ['c4', 'c3'], 'newest first');
  t.is(page.total, 5);
  const next = await (await h.request(`/calls?limit=2&cursor=${page.nextCursor}`, { as: sup })).json() as { items: { callId: string }[] };
  t.deepEqual(next.items.map((c) => c.callId), ['c2', 'c1']);
  t.deepEqual(((await (await h.request('/calls?outcome=abandoned', { as: sup })).json()) as { items: { callId: string }[] }).items.map((c) => c.callId), ['c4']);
  t.deepEqual(((await (await h.request('/calls?text=refund', { as: sup })).json()) as { items: { callId: string }[] }).items.map((c) => c.callId), ['c2']);
  const transcript = await (await h.request('/calls/c2/transcript', { as: sup })).json() as { transcript: { text: string }[] };
  t.is(transcript.transcript[0]!.text, 'I want a refund please');
  t.is((await h.request('/calls/c2/trail', { as: sup })).status, 200);
  t.is((await h.request('/calls/c2', { as: sup })).status, 200);
  const missing = await h.request('/calls/nope', { as: sup });
  t.is(missing.status, 404);
  t.like(await missing.json(), { error: { code: 'NOT_FOUND' } });
  t.is((await h.request('/calls', { as: await h.login('agent') })).status, 403);
  t.is((await h.request('/calls?outcome=eaten', { as: sup })).status, 400);
});

test('given a live call, when its agent and another agent use assist, then only the call\'s own agent may; opened is recorded', async (t) => {
  const h = await apiHarness(withEveryCapability(t, { calls: new Set(['live1', 'live2']), agentOn: new Map([['live1', 'a1'], ['live2', 'a2']]) }));
  const agent = await h.login('agent');
  t.is((await h.request('/calls/live1/assist', { as: agent })).status, 200);
  t.is((await h.request('/calls/live2/assist', { as: agent })).status, 403);
  t.is((await h.request('/calls/live1/assist', { method: 'POST', as: agent, json: { articleId: 'refund', action: 'opened' } })).status, 200);
  t.is((await h.request('/calls/live2/assist', { method: 'POST', as: agent, json: { articleId: 'refund', action: 'opened' } })).status, 403);
  t.is((await h.request('/calls/live1/assist', { method: 'POST', as: agent, json: { articleId: 'Not A Slug', action: 'liked' } })).status, 400);
  const sup = await h.login('supervisor');
  t.is((await h.request('/calls/live2/assist', { as: sup })).status, 200, 'supervisors see every call');
  const ended = await h.request('/calls/gone/assist', { method: 'POST', as: sup, json: { articleId: 'refund', action: 'helpful' } });
  t.is(ended.status, 404);
  t.like(await ended.json(), { error: { code: 'CALL_NOT_LIVE' } });
});

test('given an unknown recording or a path-traversal id, when its audio is asked for, then 404 in the error shape and nothing is audited', async (t) => {
  const h = await apiHarness(withEveryCapability(t));
  const sup = await h.login('supervisor');
  for (const id of ['nope', '..%2F..%2Fetc%2Fpasswd', '%2E%2E', '..']) {
    const res = await h.request(`/recordings/${id}/audio`, { as: sup });
    t.true(res.status === 404, `${id} → ${res.status}`);
    t.truthy(((await res.json()) as { error?: { code: string } }).error?.code);
  }
  t.deepEqual(await h.audit.list({ action: 'recording.listen' }), []);
  t.is((await h.request('/recordings/nope/audio', { as: await h.login('agent') })).status, 403);
});
