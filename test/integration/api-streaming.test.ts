// The admin API over a real port: the live event stream (SSE) as browsers read it, and recording
// audio with Range, audited. Memory store, real HTTP server, real fetch.
import test, { type ExecutionContext } from 'ava';
import type { Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { AuditLog } from '../../src/audit/audit-log.ts';
import { AuthService } from '../../src/auth/auth-service.ts';
import { CHEAP_HASH, TEST_PASSWORD } from '../../src/auth/testing-auth.ts';
import { CallRecords } from '../../src/calls/call-records.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { LiveEvents } from '../../src/events/live-events.ts';
import { AssistService } from '../../src/knowledge/assist/assist-service.ts';
import { DEFAULT_ESCALATION_PHRASES, phraseMatcher } from '../../src/knowledge/assist/phrases.ts';
import { KnowledgeService } from '../../src/knowledge/service/index.ts';
import { RecordingStore } from '../../src/recordings/recording-store.ts';
import { soxWav, tempDir } from '../../src/recordings/testing/fixtures.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import type { RouteStore } from '../../src/ivr/route-store.ts';
import type { FollowupService } from '../../src/followups/followup-service.ts';
import type { PromptStore } from '../../src/prompts/prompt-store.ts';
import { FlowStore } from '../../src/ivr/flow-store.ts';
import { ReportService } from '../../src/reports/report-service.ts';
import { WebhookService } from '../../src/webhooks/webhook-service.ts';
import { createApi } from '../../src/api/v1/api-app.ts';
import { capabilityRoutes } from '../../src/api/v1/capability-routes.ts';
import type { DispositionService } from '../../src/dispositions/disposition-service.ts';
import { quietLogger } from '../../src/api/v1/testing-capabilities.ts';
import type { QaService } from '../../src/qa/qa-service.ts';

async function serve(t: ExecutionContext) {
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 9));
  const store = new MemoryStore();
  const audit = new AuditLog({ store, clock });
  const auth = new AuthService({ store, clock, hash: CHEAP_HASH, audit: (e) => audit.append(e) });
  for (const [username, role, agentId] of [['sup', 'supervisor'], ['ann', 'agent', 'a1'], ['ben', 'agent', 'a2']] as const) {
    await auth.users.create({ username, password: TEST_PASSWORD, role, ...(agentId ? { agentId } : {}) });
  }
  const events = new LiveEvents({ now: () => clock.now() });
  const knowledge = await KnowledgeService.open({ store, clock, logger: quietLogger });
  const webhooks = await WebhookService.open({ store, clock, logger: quietLogger });
  const dir = await tempDir(t, 'deskline-api-stream-');
  await mkdir(join(dir, 'incoming'));
  const recordings = new RecordingStore({ store, dir: join(dir, 'recordings'), clock, logger: quietLogger });
  const assist = new AssistService({ knowledge, escalation: phraseMatcher(DEFAULT_ESCALATION_PHRASES), clock, note: () => undefined });
  const records = new CallRecords(store);
  const api = createApi({
    auth, audit, events, now: () => clock.now(), version: 't', logger: quietLogger, heartbeatMs: 50,
    health: () => { throw new Error('unused'); },
    extraRoutes: capabilityRoutes({ knowledge, webhooks, flows: new FlowStore(store, () => clock.now()), routes: {} as RouteStore, followups: {} as FollowupService, promptLibrary: {} as PromptStore, qa: {} as QaService, reports: new ReportService({ store, records, logger: quietLogger, queues: [], repeatCallerWindowHours: 24, defaults: { timezone: 'UTC', serviceLevelSeconds: 20, shortAbandonSeconds: 5 } }), records, audit: (e) => audit.append(e), now: () => clock.now(), calls: { records, recordings, audit, assist, isLive: () => true, agentOn: (id) => events.agentOn(id) }, dispositions: {} as DispositionService }),
  });
  const server = createAdaptorServer({ fetch: new Hono().route('/api/v1', api).fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  t.teardown(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await webhooks.close();
  });
  const login = async (username: string) => {
    const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: TEST_PASSWORD }) });
    const cookie = /deskline_session=[^;]+/.exec(res.headers.get('set-cookie')!)![0];
    return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
  };
  return { base, events, login, recordings, audit, dir };
}

/** Reads SSE events from a fetch response until `stop` says so; returns the parsed events. */
async function readEvents(res: Response, stop: (events: { id?: string; event: string; data: unknown }[]) => boolean) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { id?: string; event: string; data: unknown }[] = [];
  let buffer = '';
  while (!stop(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(block.split('\n').filter((l) => l && !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
      if (fields.event) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data ?? 'null') });
    }
  }
  await reader.cancel().catch(() => undefined);
  return events;
}

test('given browsers on the event stream, when events happen, then each sees what its role allows, an agent only their own call, and a reconnect resumes from Last-Event-ID', async (t) => {
  const { base, events, login } = await serve(t);
  const [sup, ann] = [await login('sup'), await login('ann')];
  const supStream = await fetch(`${base}/events`, { headers: { cookie: sup.cookie } });
  const annStream = await fetch(`${base}/events?types=assist.suggestions,call.started`, { headers: { cookie: ann.cookie } });
  t.is(supStream.status, 200);
  t.regex(supStream.headers.get('content-type')!, /text\/event-stream/);
  const supRead = readEvents(supStream, (e) => e.length >= 4);
  const annRead = readEvents(annStream, (e) => e.length >= 1);
  // Let both subscriptions register before publishing (the first bytes arrive once subscribed).
  while (events.subscribers < 2) await new Promise((resolve) => setImmediate(resolve));
  events.publish('call.started', 'calls.read', { callId: 'c1' }, 'c1');
  events.publish('call.agent-connected', 'calls.read', { agentId: 'a1' }, 'c1');
  events.publish('assist.suggestions', 'assist.use', { suggestions: ['for someone else'] }, 'c2');
  events.publish('assist.suggestions', 'assist.use', { suggestions: ['for ann'] }, 'c1');
  const [supSaw, annSaw] = await Promise.all([supRead, annRead]);
  t.deepEqual(supSaw.map((e) => e.event), ['call.started', 'call.agent-connected', 'assist.suggestions', 'assist.suggestions']);
  t.deepEqual(annSaw.map((e) => (e.data as { data: { suggestions: string[] } }).data.suggestions), [['for ann']], 'an agent sees neither call.started nor another call\'s suggestions');
  const resumed = await fetch(`${base}/events`, { headers: { cookie: sup.cookie, 'last-event-id': supSaw[1]!.id! } });
  t.deepEqual((await readEvents(resumed, (e) => e.length >= 2)).map((e) => e.id), [supSaw[2]!.id, supSaw[3]!.id]);
  t.is((await fetch(`${base}/events`)).status, 401);
});

test('given an open stream, when its user logs out, then the stream ends at the next heartbeat', async (t) => {
  const { base, login } = await serve(t);
  const sup = await login('sup');
  const stream = await fetch(`${base}/events`, { headers: { cookie: sup.cookie } });
  const ended = readEvents(stream, () => false);
  t.is((await fetch(`${base}/auth/logout`, { method: 'POST', headers: { cookie: sup.cookie, 'x-csrf-token': sup.csrf } })).status, 204);
  t.deepEqual(await ended, []);
});

test('given a recording, when its audio is fetched with Range over HTTP, then 206 with the bytes asked for, and the listen is audited with who and what range', async (t) => {
  const { base, login, recordings, audit, dir } = await serve(t);
  const wav = soxWav(join(dir, 'incoming', 'r.wav'), { seconds: 1, rate: 8000 });
  const rec = await recordings.ingest(wav, { callId: 'c1', caller: '5550100', startedAt: Date.UTC(2026, 10, 24, 8), name: 'r' });
  const sup = await login('sup');
  const res = await fetch(`${base}/recordings/${rec.id}/audio`, { headers: { cookie: sup.cookie, range: 'bytes=0-99' } });
  t.is(res.status, 206);
  t.is(res.headers.get('content-type'), 'audio/wav');
  t.regex(res.headers.get('content-range')!, /^bytes 0-99\/\d+$/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  t.is(bytes.length, 100);
  t.is(new TextDecoder().decode(bytes.subarray(0, 4)), 'RIFF');
  const [entry] = await audit.list({ action: 'recording.listen' });
  t.like(entry, { actor: 'sup', target: rec.id, detail: { range: 'bytes=0-99', status: 206 } });
  const ann = await login('ann');
  t.is((await fetch(`${base}/recordings/${rec.id}/audio`, { headers: { cookie: ann.cookie } })).status, 403);
  t.is((await fetch(`${base}/recordings/..%2F..%2Fetc%2Fpasswd/audio`, { headers: { cookie: sup.cookie } })).status, 404);
});
