// A slow or failing business platform: the flows' HTTP node asks a local server that never answers,
// answers 500, answers after the node's timeout, or resets the connection; good answers are mixed
// in. Real calls on the sandbox Asterisk, all at once. Promised: every failing lookup takes the
// error branch on time (the node's timeout plus a stated margin; measured from the call's trail),
// no call stalls (each ends as its flow says, well before the caller would give up), and the good
// calls in between take their normal branch as fast as ever.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AsteriskSandbox } from '../../src/asterisk/sandbox.ts';
import type { CallSummary } from '../../src/calls/call-summary.ts';
import { placeTestCall } from '../../src/calls/test-call.ts';
import { startInProcess, tempDir } from '../helpers/appliance.ts';
import { check, type FaultCheck, type FaultOutcome, type FaultRunOptions, type FaultScenario } from './scenario.ts';
import { CALLS_AT_ONCE, onSandbox, percentile, pool, round } from './resources-rig.ts';

const NUMBER = '7400';
/** The HTTP node's timeout in the scenario's flow. */
const TIMEOUT_SECONDS = 2;
/** "On time": the error branch within the timeout plus this (a loaded 2-CPU box, the flow's own step). */
const MARGIN_SECONDS = 1.5;
/** Callers hang up by themselves after this; a call still up then has stalled. */
const CALLER_PATIENCE_SECONDS = 30;

const kinds = ['never', 'status-500', 'too-slow', 'reset', 'good'] as const;
type Kind = (typeof kinds)[number];

/** The business platform: the caller number's 4th digit says how it misbehaves for that caller. */
function platform() {
  const sockets = new Set<Socket>();
  const hanging: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const number = /\/accounts\/(\d+)/.exec(req.url ?? '')?.[1] ?? '';
    const kind = kinds[Number(number[3])] ?? 'good';
    if (kind === 'never') return void hanging.push(res);
    if (kind === 'status-500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
    if (kind === 'too-slow') return void setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"tier":"late"}'), (TIMEOUT_SECONDS + 3) * 1000);
    if (kind === 'reset') return void req.socket.resetAndDestroy();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ tier: 'gold' }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function writeFlow(dir: string, base: string): Promise<string> {
  await writeFile(join(dir, 'biz-lookup.yaml'), [
    'id: biz-lookup',
    'name: Business platform lookup',
    'languages: [en]',
    'defaultLanguage: en',
    'start: lookup',
    'nodes:',
    `  lookup: { kind: http, url: "${base}/accounts/\${caller.number}", timeoutSeconds: ${TIMEOUT_SECONDS}, responseVariables: { tier: body.tier }, next: found, onError: failed }`,
    '  found: { kind: play, prompts: [{ sound: beep }], next: bye }',
    '  failed: { kind: play, prompts: [{ sound: beep }], next: bye }',
    '  bye: { kind: hangup }',
    '',
  ].join('\n'));
  return 'biz-lookup';
}

const enterAt = (s: CallSummary, node: string) => s.trail.find((e) => e.type === 'node-enter' && e.node === node)?.at;

export async function runSlowBusinessPlatform({ scale, progress }: FaultRunOptions, given?: AsteriskSandbox): Promise<FaultOutcome> {
  return onSandbox(given, 'slow-platform', async (sandbox) => {
    const dir = await tempDir('deskline-slow-platform-');
    const server = platform();
    let deskline: Awaited<ReturnType<typeof startInProcess>> | undefined;
    try {
      const base = await server.listen();
      const flow = await writeFlow(dir.path, base);
      deskline = await startInProcess(sandbox, join(dir.path, 'store'), { ivr: { flowsDir: dir.path, routes: [{ number: NUMBER, flow }] } });
      const d = deskline;
      const plan: Kind[] = Array.from({ length: Math.max(scale, kinds.length) }, (_, i) => kinds[i % kinds.length]!);
      progress(`${plan.length} calls, up to ${CALLS_AT_ONCE} at once: ${kinds.map((k) => `${plan.filter((p) => p === k).length} ${k}`).join(', ')}; node timeout ${TIMEOUT_SECONDS} s`);
      const started = Date.now();
      const limited = pool(CALLS_AT_ONCE);
      const summaries = await Promise.all(plan.map((kind, i) => limited(() =>
        placeTestCall(
          { to: NUMBER, script: `wait ${CALLER_PATIENCE_SECONDS}; hangup`, callerNumber: `555${kinds.indexOf(kind)}${String(i).padStart(4, '0')}`, timeoutSeconds: CALLER_PATIENCE_SECONDS + 30 },
          { telephony: d.telephony, calls: d.calls, records: d.records, media: sandbox.media },
        ).then((summary) => ({ kind, summary })))));
      // Callers who give up while the platform says nothing: the pending lookup must not hold their call.
      const quitters = Math.max(2, Math.round(scale / 10));
      const gaveUp = await Promise.all(Array.from({ length: quitters }, (_, i) =>
        placeTestCall(
          { to: NUMBER, script: 'wait 1; hangup', callerNumber: `555${kinds.indexOf('never')}9${String(i).padStart(3, '0')}`, timeoutSeconds: 30 },
          { telephony: d.telephony, calls: d.calls, records: d.records, media: sandbox.media },
        )));
      const wallSeconds = (Date.now() - started) / 1000;
      const checks: FaultCheck[] = [];

      const failing = summaries.filter((s) => s.kind !== 'good');
      const good = summaries.filter((s) => s.kind === 'good');
      // Time from entering the HTTP node to entering the error branch, per call (Deskline's own trail).
      const toError = failing.map(({ kind, summary }) => {
        const from = enterAt(summary, 'lookup');
        const to = enterAt(summary, 'failed');
        return { kind, callId: summary.callId, seconds: from !== undefined && to !== undefined ? (to - from) / 1000 : NaN };
      });
      const wrongBranch = toError.filter((e) => Number.isNaN(e.seconds));
      checks.push(check('every failing lookup (no answer, 500, too slow, reset) takes the error branch', wrongBranch.length === 0, wrongBranch.length ? wrongBranch.map((e) => `${e.kind} ${e.callId}`) : `${failing.length}/${failing.length}`));
      const worst = Math.max(...toError.map((e) => e.seconds).filter((s) => !Number.isNaN(s)));
      const byKind = Object.fromEntries(kinds.filter((k) => k !== 'good').map((k) => [k, round(Math.max(...toError.filter((e) => e.kind === k).map((e) => e.seconds)))]));
      checks.push(check(`…on time: within the node's ${TIMEOUT_SECONDS} s timeout + ${MARGIN_SECONDS} s`, worst <= TIMEOUT_SECONDS + MARGIN_SECONDS, `slowest ${round(worst)} s (by kind, slowest: ${JSON.stringify(byKind)})`));
      const early = toError.filter((e) => (e.kind === 'never' || e.kind === 'too-slow') && e.seconds < TIMEOUT_SECONDS - 0.1);
      checks.push(check('…and not before the timeout when the platform is merely slow (the node waits its full timeout)', early.length === 0, early.length ? early : 'none early'));

      const stalled = summaries.filter(({ summary }) => summary.endedBy !== 'deskline' || (summary.durationMs ?? Infinity) >= CALLER_PATIENCE_SECONDS * 1000);
      checks.push(check(`no call stalls: each ends by its flow's hangup, before the caller's ${CALLER_PATIENCE_SECONDS} s patience`, stalled.length === 0, stalled.length ? stalled.map(({ kind, summary }) => `${kind}: ${summary.endedBy}/${summary.endReason} after ${summary.durationMs} ms`) : `longest call ${round(Math.max(...summaries.map((s) => s.summary.durationMs ?? 0)) / 1000)} s`));

      const quitOk = gaveUp.filter((s) => s.endedBy === 'caller' && enterAt(s, 'failed') === undefined && (s.durationMs ?? Infinity) < (TIMEOUT_SECONDS + MARGIN_SECONDS) * 1000);
      await d.calls.idle();
      checks.push(check('callers who hang up during a lookup that never answers end at once; no call is left live', quitOk.length === quitters && d.calls.activeCount() === 0, `${quitOk.length}/${quitters} ended by the caller (${gaveUp.map((s) => `${s.endedBy} ${s.durationMs} ms`).join(', ')}); ${d.calls.activeCount()} calls still live`));

      const goodOk = good.filter(({ summary }) => enterAt(summary, 'found') !== undefined && summary.trail.find((e) => e.type === 'http')?.status === 200);
      const goodMs = good.map(({ summary }) => Number(summary.trail.find((e) => e.type === 'http')?.ms ?? NaN));
      checks.push(check('good lookups in parallel take their normal branch with the answer', goodOk.length === good.length, `${goodOk.length}/${good.length}`));
      // Not held up by the failing ones: a good lookup queued behind a hanging connection would take the
      // whole timeout. (Its plain latency is measured, not asserted: on a loaded box it is the box's.)
      checks.push(check(`…and none waits behind a failing one (each well under the node's ${TIMEOUT_SECONDS} s timeout)`, goodMs.every((ms) => ms < TIMEOUT_SECONDS * 1000 * 0.9), `slowest good lookup ${Math.max(...goodMs)} ms, median ${percentile(goodMs, 50)} ms`));
      await d.calls.idle();
      return {
        checks,
        measured: {
          calls: summaries.length + gaveUp.length,
          timeoutSeconds: TIMEOUT_SECONDS,
          errorBranchSecondsMax: round(worst),
          errorBranchSecondsP50: round(percentile(toError.map((e) => e.seconds), 50)),
          goodLookupMsMax: Math.max(...goodMs),
          goodLookupMsP50: percentile(goodMs, 50),
          wallSeconds: round(wallSeconds),
        },
      };
    } finally {
      await deskline?.stop().catch(() => undefined);
      await server.close();
      await dir.remove();
    }
  });
}

export const scenario: FaultScenario = {
  name: 'slow-business-platform',
  describe: 'Slow or failing business-platform HTTP endpoint: flows take their error branches on time; no call stalls',
  run: (options) => runSlowBusinessPlatform(options),
};
