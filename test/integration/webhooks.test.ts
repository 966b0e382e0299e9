// Acceptance (issue 7, webhooks): delivery survives the receiver being down for a minute and a
// Deskline restart, and delivers each event exactly once (by id) after recovery. Real HTTP on
// 127.0.0.1 and a LevelStore on disk; time is a ManualClock, so retries a minute apart take
// milliseconds. Nothing here sleeps on wall time: it only awaits real HTTP answers.
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { freeTcpPort } from '../../src/asterisk/free-port.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { LevelStore } from '../../src/store/level-store.ts';
import { verifySignature } from '../../src/webhooks/signature.ts';
import { WebhookService } from '../../src/webhooks/webhook-service.ts';
import type { WebhookEventType } from '../../src/webhooks/webhook-types.ts';

const START = Date.UTC(2025, 0, 6, 9, 0, 0);
const logger = pino({ level: 'silent' });

/**
 * A receiver as the docs tell integrators to write one: check the signature, apply each event id
 * once (a retry of an attempt whose answer was lost carries the same id), answer 2xx.
 */
class DedupingReceiver {
  readonly applied = new Map<string, string[]>();
  readonly received = new Map<string, number>();
  readonly badSignatures: string[] = [];
  /** Event ids whose first answer is lost: applied, then the connection is cut before any response. */
  readonly loseAnswerOnce = new Set<string>();
  private readonly seen = new Set<string>();
  private server: Server | undefined;

  constructor(
    private readonly secrets: Map<string, string>,
    private readonly clock: ManualClock,
  ) {}

  listen(port: number): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = request.url ?? '';
    const id = String(request.headers['x-deskline-delivery']);
    this.received.set(path, (this.received.get(path) ?? 0) + 1);
    const genuine = verifySignature({
      secret: this.secrets.get(path) ?? '', body, nowSeconds: Math.floor(this.clock.now() / 1000),
      timestamp: request.headers['x-deskline-timestamp'] as string | undefined, signature: request.headers['x-deskline-signature'] as string | undefined,
    });
    if (!genuine || JSON.parse(body).id !== id) {
      this.badSignatures.push(id);
      response.writeHead(401).end();
      return;
    }
    const key = `${path} ${id}`;
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.applied.set(path, [...(this.applied.get(path) ?? []), id]);
    }
    if (this.loseAnswerOnce.delete(id)) {
      request.socket.destroy();
      return;
    }
    response.writeHead(204).end();
  }
}

test('given the receiver down for a minute and a restart, when it comes back, then every event arrives in order, each id applied once, and the log shows the failures', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deskline-webhooks-'));
  const port = await freeTcpPort();
  const clock = new ManualClock(START);
  const open = async () => {
    const store = await LevelStore.open(dir);
    return { store, service: await WebhookService.open({ store, clock, logger, random: () => 0.5 }) };
  };
  let { store, service } = await open();
  const secrets = new Map<string, string>();
  const receiver = new DedupingReceiver(secrets, clock);
  t.teardown(async () => {
    await service.close();
    await store.close();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  const everything = await service.create({ url: `http://127.0.0.1:${port}/all`, events: ['*'] }, 'admin');
  const callsOnly = await service.create({ url: `http://127.0.0.1:${port}/calls`, events: ['call.ended'] }, 'admin');
  secrets.set('/all', everything.secret);
  secrets.set('/calls', callsOnly.secret);

  // 50 events while nothing listens on the port: every attempt is refused.
  const types: WebhookEventType[] = ['call.ended', 'followup.created', 'call.ended', 'voicemail.left', 'followup.closed', 'survey.result'];
  const published: { id: string; type: WebhookEventType }[] = [];
  for (let n = 0; n < 50; n++) {
    const type = types[n % types.length]!;
    const { id } = await service.publish({ type, data: { n, callId: `call-${n}` } });
    published.push({ id, type });
  }
  await service.idle();
  // A minute of retries, a second at a time.
  for (let second = 0; second < 60; second++) {
    clock.advance(1_000);
    await service.idle();
  }
  const downLog = await service.deliveries(everything.subscription.id);
  t.deepEqual(downLog.map((row) => [row.at - START, row.result]), [[40_000, 'retry'], [10_000, 'retry'], [0, 'retry']]);
  t.true(downLog.every((row) => /ECONNREFUSED/.test(row.error ?? '')), JSON.stringify(downLog));

  // Restart: the service and the store are closed, and opened again from the same directory.
  await service.close();
  await store.close();
  ({ store, service } = await open());
  t.is((await service.pending(everything.subscription.id)).length, 50);

  // The receiver comes back; the answer to the 11th event is lost once, so it is sent twice.
  receiver.loseAnswerOnce.add(published[10]!.id);
  await receiver.listen(port);
  const expectedAll = published.map((p) => p.id);
  const expectedCalls = published.filter((p) => p.type === 'call.ended').map((p) => p.id);
  for (let second = 0; second < 30 * 60 && (receiver.applied.get('/all')?.length ?? 0) + (receiver.applied.get('/calls')?.length ?? 0) < expectedAll.length + expectedCalls.length; second++) {
    clock.advance(1_000);
    await service.idle();
  }
  await service.idle();

  t.deepEqual(receiver.badSignatures, []);
  t.deepEqual(receiver.applied.get('/all'), expectedAll, 'every event, in publish order, each applied once');
  t.deepEqual(receiver.applied.get('/calls'), expectedCalls);
  t.is(receiver.received.get('/all'), 51, 'the event whose answer was lost arrived twice and was applied once');
  t.is(receiver.received.get('/calls'), expectedCalls.length);
  t.deepEqual(await service.pending(everything.subscription.id), []);
  t.deepEqual(await service.pending(callsOnly.subscription.id), []);

  const log = (await service.deliveries(everything.subscription.id)).reverse();
  t.is(log.length, 3 + 1 + 50);
  t.deepEqual(log.slice(0, 3).map((row) => row.result), ['retry', 'retry', 'retry']);
  // Resumed at the time stored before the restart: the 4th attempt, 90 s after the 3rd at 40 s.
  t.like(log[3], { at: START + 130_000, attempt: 4, result: 'delivered', eventId: published[0]!.id });
  t.is(log.filter((row) => row.result === 'delivered').length, 50);
  const lost = log.find((row) => row.result === 'retry' && !/ECONNREFUSED/.test(row.error ?? ''));
  t.like(lost, { eventId: published[10]!.id, attempt: 1 });
  t.log(`the lost answer was logged as: ${lost?.error}`);
  t.like(service.get(everything.subscription.id), { enabled: true, consecutiveFailures: 0 });
});
