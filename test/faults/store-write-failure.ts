// The store's writes fail during calls (the level write failure of the disk-full promise).
//
// The cause is real, not simulated: Deskline's store lives on its own small tmpfs (mounted for the
// scenario; needs root, as the sandbox does) and a ballast file takes every free byte of it, so
// LevelDB's log writes fail with ENOSPC while calls run. Promised: calls go on or end cleanly,
// the failure is logged, and once space is back — and after a restart — the store opens and
// every record that was acknowledged before the fault is intact and readable.
import { execFile } from 'node:child_process';
import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import type { AsteriskSandbox } from '../../src/asterisk/sandbox.ts';
import { startAppliance, type Appliance } from '../../src/app/appliance.ts';
import type { CallState } from '../../src/calls/call-types.ts';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { buildConfig } from '../../src/config/load.ts';
import { createLogger } from '../../src/core/logger.ts';
import { LevelStore } from '../../src/store/level-store.ts';
import { siteFor, tempDir } from '../helpers/appliance.ts';
import { check, type FaultCheck, type FaultOutcome, type FaultRunOptions, type FaultScenario } from './scenario.ts';
import { CALLS_AT_ONCE, heldWithin, onSandbox, pool, round } from './resources-rig.ts';

const run = promisify(execFile);
const NUMBER = '7600';
const TMPFS_MB = 64;

/** Log lines (JSON) of the in-process Deskline, kept to find the store's errors. */
class LogLines extends Writable {
  readonly lines: Record<string, any>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim()) this.lines.push(JSON.parse(line) as Record<string, any>);
    }
    done();
  }
}

async function start(sandbox: AsteriskSandbox, storePath: string, dir: string, log: LogLines): Promise<Appliance> {
  const site = siteFor(sandbox, storePath, { recordings: { dir: join(dir, 'recordings') }, ivr: { flowsDir: join(dir, 'flows'), routes: [{ number: NUMBER, flow: 'steps' }] } }) as Record<string, Record<string, unknown>>;
  site.asterisk!.ariPassword = sandbox.ariPassword;
  const config = buildConfig(site, 'store-write-failure site', {});
  const appliance = await startAppliance(config, createLogger('warn', log));
  await appliance.telephony.connection.whenConnected(10_000);
  return appliance;
}

export async function runStoreWriteFailure({ scale, progress }: FaultRunOptions, given?: AsteriskSandbox): Promise<FaultOutcome> {
  return onSandbox(given, 'store-failure', async (sandbox) => {
    const dir = await tempDir('deskline-store-failure-');
    const storePath = join(dir.path, 'store');
    const ballast = join(storePath, 'ballast');
    await mkdir(storePath);
    await mkdir(join(dir.path, 'flows'));
    await writeFile(join(dir.path, 'flows', 'steps.yaml'), ['id: steps', 'name: A few steps', 'languages: [en]', 'defaultLanguage: en', 'start: one', 'nodes:',
      '  one: { kind: play, prompts: [{ sound: beep }], next: two }', '  two: { kind: play, prompts: [{ sound: beep }], next: three }', '  three: { kind: play, prompts: [{ sound: beep }], next: bye }', '  bye: { kind: hangup }', ''].join('\n'));
    await run('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MB}m`, 'tmpfs', storePath]);
    const log = new LogLines();
    let deskline: Appliance | undefined;
    try {
      deskline = await start(sandbox, storePath, dir.path, log);
      const d = deskline;
      const checks: FaultCheck[] = [];
      const limited = pool(CALLS_AT_ONCE);
      const call = (n: number) => limited(() => placeTestCall({ to: NUMBER, script: 'wait 20; hangup', callerNumber: `55540${String(n).padStart(3, '0')}`, timeoutSeconds: 40 }, { telephony: d.telephony, calls: d.calls, records: d.records, media: sandbox.media }));
      const half = Math.max(2, Math.floor(scale / 2));

      // Before: acknowledged records (each call's record read back from the store once it ended).
      const before = await Promise.all(Array.from({ length: half }, (_, i) => call(i)));
      await d.calls.idle();
      const acknowledged = new Map<string, CallState>();
      for (const s of before) {
        const state = await d.records.get(s.callId);
        if (state?.phase === 'ended') acknowledged.set(s.callId, state);
      }
      progress(`${acknowledged.size}/${before.length} calls stored before the fault`);

      // The fault: every free byte of the store's disk taken.
      const fs = await statfs(storePath);
      await run('fallocate', ['-l', String(fs.bavail * fs.bsize), ballast]).catch(() => run('dd', ['if=/dev/zero', `of=${ballast}`, 'bs=1M'], { maxBuffer: 1 << 20 }).catch(() => undefined));
      const left = await statfs(storePath);
      progress(`store disk full: ${left.bavail * left.bsize} bytes free`);
      const errorsBefore = log.lines.length;
      const faultAt = Date.now();
      const during = await Promise.all(Array.from({ length: scale - half }, (_, i) =>
        call(100 + i).then((summary) => ({ ok: true as const, summary }), (error: Error) => ({ ok: false as const, error: error.message }))));
      const writeErrors = log.lines.slice(errorsBefore).filter((l) => JSON.stringify(l).includes('STORE_WRITE_FAILED') || /ENOSPC|No space left|write failed/i.test(JSON.stringify(l)));
      checks.push(check('store writes really fail during the calls, and the failures are logged', writeErrors.length > 0, `${writeErrors.length} error lines, e.g. ${writeErrors[0]?.msg ?? '(none)'}: ${String(writeErrors[0]?.err?.message ?? '').slice(0, 160)}`));
      // Calls go on or end cleanly: none is left up in Asterisk or live in Deskline.
      const channelsGone = await heldWithin(async () => (await d.telephony.listChannels()).length === 0, 30_000, 250);
      const live = d.calls.activeCount();
      checks.push(check('every call during the fault ends cleanly (no channel left in Asterisk, no call left live in Deskline)', channelsGone && live === 0, `${during.filter((r) => r.ok).length}/${during.length} ran to their end as seen by the caller; channels left: ${channelsGone ? 0 : (await d.telephony.listChannels()).length}; live calls: ${live}; ${round((Date.now() - faultAt) / 1000)} s`));
      const crashed = log.lines.filter((l) => l.level >= 60);
      checks.push(check('the process does not crash (no fatal log line, the appliance still answers /healthz)', crashed.length === 0 && (await fetch(`${d.httpUrl}/healthz`)).status < 500, crashed.length ? crashed[0] : 'ok'));

      // Space comes back: do writes work again without a restart?
      await rm(ballast, { force: true });
      const after = await Promise.all(Array.from({ length: 2 }, (_, i) => call(200 + i).then((s) => s.callId, () => undefined)));
      await d.calls.idle();
      const storedAfter = (await Promise.all(after.map(async (id) => (id ? (await d.records.get(id))?.phase === 'ended' : false)))).filter(Boolean).length;
      checks.push(check('once space is back, new calls are stored again without a restart', storedAfter === after.length, `${storedAfter}/${after.length} calls after the fault stored`));
      // The calls that ended while the store refused writes are written once it accepts them again.
      const duringIds = during.flatMap((r) => (r.ok ? [r.summary.callId] : []));
      const caughtUp = await heldWithin(async () => (await Promise.all(duringIds.map(async (id) => (await d.records.get(id))?.phase === 'ended'))).every(Boolean), 10_000, 250);
      const savedLater = (await Promise.all(duringIds.map(async (id) => (await d.records.get(id))?.phase === 'ended'))).filter(Boolean).length;
      checks.push(check('calls that ended during the fault are saved once the store accepts writes again', caughtUp && duringIds.length === during.length, `${savedLater}/${during.length} saved as ended`));
      const failedOps = writeErrors.length;

      // Restart: the store opens; every acknowledged record is intact; nothing unreadable.
      await d.stop();
      deskline = undefined;
      const store = await LevelStore.open(join(storePath, 'db'));
      let entries = 0;
      let unreadable = '';
      try {
        for await (const _entry of store.dump()) entries++;
      } catch (error) {
        unreadable = (error as Error).message;
      }
      await store.close();
      checks.push(check('after the fault the store opens and every entry reads back (no corrupted state)', unreadable === '', unreadable || `${entries} entries read`));
      deskline = await start(sandbox, storePath, dir.path, log);
      let intact = 0;
      for (const [callId, state] of acknowledged) {
        const again = await deskline.records.get(callId);
        if (again && JSON.stringify(again) === JSON.stringify(state)) intact++;
      }
      checks.push(check('after a restart every call record acknowledged before the fault is intact', acknowledged.size === before.length && intact === acknowledged.size, `${intact}/${acknowledged.size} intact (${before.length} calls before the fault)`));
      return { checks, measured: { calls: before.length + during.length + after.length, storeWriteErrorsLogged: failedOps, entriesAfterRestart: entries } };
    } finally {
      await deskline?.stop().catch(() => undefined);
      await run('umount', [storePath]).catch(() => run('umount', ['-l', storePath]).catch(() => undefined));
      await dir.remove();
    }
  });
}

export const scenario: FaultScenario = {
  name: 'store-write-failure',
  describe: 'Store (level) write failure during calls: calls end cleanly, the failure is logged, acknowledged records survive intact',
  run: (options) => runStoreWriteFailure(options),
};
