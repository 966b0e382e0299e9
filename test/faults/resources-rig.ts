// What the resource fault scenarios (disk-full, store-write-failure, broker-outage,
// slow-business-platform) share: a sandbox Asterisk (the caller's, or one of their own for the
// bench), a Mosquitto with a fleet operator listening, waiting for conditions with a deadline, and
// small figure helpers.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox, type AsteriskSandbox } from '../../src/asterisk/sandbox.ts';
import { FleetClient, type FleetMessage } from '../../src/telemetry/mqtt-fleet-client.ts';
import { boxAcl, fleetAcl, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';

/** Runs `work` on the given sandbox, or on one of its own that is stopped afterwards. */
export async function onSandbox<T>(given: AsteriskSandbox | undefined, name: string, work: (sandbox: AsteriskSandbox) => Promise<T>): Promise<T> {
  if (given) return work(given);
  const own = await startSandbox({ name });
  try {
    return await work(own);
  } finally {
    await own.stop();
  }
}

/** Polls `check` until it answers true; throws naming `what` at the deadline. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Like waitFor, but answers whether it held (for checks that report rather than throw). */
export async function heldWithin(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  return waitFor('', check, timeoutMs, everyMs).then(() => true, () => false);
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export type SeenMessage = FleetMessage & { at: number };

/** A private Mosquitto, this box's broker account and a fleet operator that records every message. */
export interface FleetRig {
  broker: Mosquitto;
  operator: FleetClient;
  /** Every message the operator received, with when it arrived (Date.now()). */
  seen: SeenMessage[];
  base: string;
  /** The site file's `site` and `mqtt` sections for the box. */
  site: Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * `persistentOperator`: the operator keeps its broker session (clean: false, reconnecting), so what
 * the box publishes while the operator is still reconnecting after a broker restart waits for it.
 */
export async function startFleetRig(dir: string, box: { siteId: string; applianceId: string }, mqtt: Record<string, unknown> = {}, persistentOperator = false): Promise<FleetRig> {
  const boxPassword = randomUUID();
  const fleetPassword = randomUUID();
  const broker = await startMosquitto([
    { name: box.applianceId, password: boxPassword, acl: boxAcl('deskline', box.siteId, box.applianceId) },
    { name: 'fleet', password: fleetPassword, acl: fleetAcl('deskline') },
  ]);
  const passwordFile = join(dir, 'mqtt-password');
  await writeFile(passwordFile, boxPassword, { mode: 0o600 });
  const operator = await FleetClient.connect({
    url: broker.url, username: 'fleet', password: fleetPassword,
    ...(persistentOperator ? { clientId: `fleet-watch-${box.applianceId}-${process.pid}`, clean: false, sessionExpirySeconds: 3600, reconnectMs: 200 } : {}),
  });
  const seen: SeenMessage[] = [];
  operator.onMessage((m) => seen.push({ ...m, at: Date.now() }));
  const base = `deskline/${box.siteId}/${box.applianceId}`;
  await operator.subscribe(`${base}/#`);
  return {
    broker, operator, seen, base,
    site: {
      site: { id: box.siteId, applianceId: box.applianceId },
      mqtt: { url: broker.url, username: box.applianceId, passwordFile, reconnectSeconds: 0.2, ...mqtt },
    },
    async close() {
      await operator.close().catch(() => undefined);
      await broker.close().catch(() => undefined);
    },
  };
}

export const payloadOf = (m: FleetMessage) => JSON.parse(m.payload.toString()) as Record<string, any>;

/** The fleet's alarm events of one name, as { state, detail } in arrival order. */
export function alarmsSeen(rig: FleetRig, name: string): { state: string; detail: Record<string, unknown>; seenAt: number }[] {
  return rig.seen
    .filter((m) => m.topic === `${rig.base}/events`)
    .map((m) => ({ body: payloadOf(m), seenAt: m.at }))
    .filter(({ body }) => body.kind === 'alarm' && body.data?.name === name)
    .map(({ body, seenAt }) => ({ state: body.data.detail?.state, detail: body.data.detail?.detail ?? {}, seenAt }));
}

/**
 * At most `limit` of the jobs at once (the rest wait their turn): Asterisk's HTTP server refuses
 * connections past its session limit, so a scenario's calls are placed 40 at a time, not 100.
 */
export function pool(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await job();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** Calls a scenario keeps up at once (each is a caller script plus Deskline's own ARI requests). */
export const CALLS_AT_ONCE = 40;
