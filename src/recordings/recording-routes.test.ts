import test from 'ava';
import { Hono } from 'hono';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AuditLog } from '../audit/audit-log.ts';
import { recordingRoutes } from './recording-routes.ts';
import { recordingSetup } from './testing/setup.ts';

async function routesSetup(t: import('ava').ExecutionContext) {
  const setup = await recordingSetup(t);
  const audit = new AuditLog({ store: setup.store, clock: setup.clock });
  const app = recordingRoutes({ recordings: setup.recordings, audit, actor: (c) => c.req.header('x-test-user') ?? 'anonymous' });
  const recording = await setup.record({ callId: 'call-1' }, { seconds: 2.5 });
  const file = await readFile(join(setup.dir, recording.path));
  const audio = (headers: Record<string, string> = {}, method = 'GET') => app.request(`/recordings/${recording.id}/audio`, { method, headers: { 'x-test-user': 'alice', ...headers } });
  return { ...setup, audit, app, recording, file, audio };
}

const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

test('given a recording, when its audio is fetched without Range, then 200 audio/wav with the whole file and range support advertised', async (t) => {
  const { audio, file, recording } = await routesSetup(t);
  const response = await audio();
  t.is(response.status, 200);
  t.is(response.headers.get('content-type'), 'audio/wav');
  t.is(response.headers.get('accept-ranges'), 'bytes');
  t.is(response.headers.get('content-length'), String(file.length));
  t.is(response.headers.get('etag'), `"${recording.sha256}"`);
  t.is(response.headers.get('content-range'), null);
  t.true((await bytesOf(response)).equals(file));
});

const ranges: [string, (size: number) => [number, number]][] = [
  ['bytes=0-99', () => [0, 99]],
  ['bytes=100-', (size) => [100, size - 1]],
  ['bytes=-500', (size) => [size - 500, size - 1]],
  ['bytes=40000-99999999', (size) => [40000, size - 1]],
  ['bytes=-99999999', (size) => [0, size - 1]],
  ['bytes=12345-12345', () => [12345, 12345]],
];
for (const [range, expected] of ranges) {
  test(`given Range ${range}, when the audio is fetched, then 206 with exactly that slice of the file`, async (t) => {
    const { audio, file } = await routesSetup(t);
    const [start, end] = expected(file.length);
    const response = await audio({ range });
    t.is(response.status, 206);
    t.is(response.headers.get('content-range'), `bytes ${start}-${end}/${file.length}`);
    t.is(response.headers.get('content-length'), String(end - start + 1));
    t.is(response.headers.get('content-type'), 'audio/wav');
    t.true((await bytesOf(response)).equals(file.subarray(start, end + 1)));
  });
}

test('given a Range past the end, when the audio is fetched, then 416 with Content-Range bytes */size and no audio', async (t) => {
  const { audio, file } = await routesSetup(t);
  const response = await audio({ range: `bytes=${file.length}-` });
  t.is(response.status, 416);
  t.is(response.headers.get('content-range'), `bytes */${file.length}`);
  t.is((await bytesOf(response)).length, 0);
});

test('given several ranges or an unknown unit, when the audio is fetched, then the whole file with 200', async (t) => {
  const { audio, file } = await routesSetup(t);
  for (const range of ['bytes=0-1,10-20', 'seconds=1-2']) {
    const response = await audio({ range });
    t.is(response.status, 200, range);
    t.true((await bytesOf(response)).equals(file));
  }
});

test('given If-Range, when it names this file the range is served, else the whole file', async (t) => {
  const { audio, file, recording } = await routesSetup(t);
  t.is((await audio({ range: 'bytes=0-9', 'if-range': `"${recording.sha256}"` })).status, 206);
  const stale = await audio({ range: 'bytes=0-9', 'if-range': '"an-older-version"' });
  t.is(stale.status, 200);
  t.is((await bytesOf(stale)).length, file.length);
});

test('given audio requests, when served, then each writes a recording.listen audit entry with actor, id and range', async (t) => {
  const { audio, audit, recording, file } = await routesSetup(t);
  await (await audio()).arrayBuffer();
  await (await audio({ range: 'bytes=-500', 'x-test-user': 'bob' })).arrayBuffer();
  await (await audio({ range: `bytes=${file.length}-` })).arrayBuffer();
  const entries = await audit.list({ action: 'recording.listen' });
  t.deepEqual(
    entries.map((e) => [e.actor, e.target, e.detail]),
    [
      ['alice', recording.id, { range: `bytes=${file.length}-`, status: 416 }],
      ['bob', recording.id, { range: 'bytes=-500', status: 206 }],
      ['alice', recording.id, { range: null, status: 200 }],
    ],
  );
});

test('given a HEAD request, when answered, then headers only and no audit entry (no audio was sent)', async (t) => {
  const { audio, audit, file } = await routesSetup(t);
  const response = await audio({}, 'HEAD');
  t.is(response.status, 200);
  t.is(response.headers.get('content-length'), String(file.length));
  t.is((await bytesOf(response)).length, 0);
  t.deepEqual(await audit.list(), []);
});

test('given the audit log fails, when audio is asked for, then no audio is served', async (t) => {
  const { recordings } = await routesSetup(t);
  const routes = recordingRoutes({ recordings, audit: { append: async () => Promise.reject(new Error('disk full')) }, actor: () => 'alice' });
  // As mounted in the admin API, whose one onError turns errors into JSON.
  const app = new Hono().route('/', routes).onError((error, c) => c.json({ error: { code: 'INTERNAL', message: error.message } }, 500));
  const [recording] = await recordings.list();
  const response = await app.request(`/recordings/${recording!.id}/audio`);
  t.is(response.status, 500);
  t.not(response.headers.get('content-type'), 'audio/wav');
  t.deepEqual(await response.json(), { error: { code: 'INTERNAL', message: 'disk full' } });
});

test('given an unknown id, when audio is asked for, then 404 JSON naming the id and no audit entry', async (t) => {
  const { app, audit } = await routesSetup(t);
  for (const path of ['/recordings/nope-1/audio']) {
    const response = await app.request(path);
    t.is(response.status, 404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    t.is(body.error.code, 'RECORDING_NOT_FOUND');
    t.regex(body.error.message, /"nope-1"/);
  }
  t.deepEqual(await audit.list(), []);
});

test('given a recording whose file is gone, when its audio is asked for, then 404 RECORDING_FILE_MISSING', async (t) => {
  const { audio, dir, recording } = await routesSetup(t);
  await unlink(join(dir, recording.path));
  const response = await audio();
  t.is(response.status, 404);
  t.is(((await response.json()) as { error: { code: string } }).error.code, 'RECORDING_FILE_MISSING');
});

