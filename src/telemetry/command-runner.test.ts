import test from 'ava';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { z } from 'zod';
import { ManualClock } from '../core/clock.ts';
import { MemoryStore } from '../store/memory-store.ts';
import { CommandLedger } from './command-ledger.ts';
import { CommandRunner, maxResultBytes, type CommandHandlers } from './command-runner.ts';
import { signCommand, type SigningKey } from './command-signing.ts';

const secret = randomBytes(32);
const signing: SigningKey = { kind: 'hmac', secret };
const windowMs = 300_000;
const start = Date.parse('2026-03-01T10:00:00.000Z');

function setup(options: { keyless?: boolean } = {}) {
  const clock = new ManualClock(start);
  const runs: unknown[] = [];
  const handlers: CommandHandlers = {
    'agent.state': {
      args: z.object({ agentId: z.string(), state: z.enum(['ready', 'paused']) }).strict(),
      run: (args) => {
        runs.push(args);
        return { applied: args };
      },
    },
    big: { args: z.object({}), run: () => 'x'.repeat(maxResultBytes + 1) },
    broken: { args: z.object({}), run: () => Promise.reject(Object.assign(new Error('disk on fire'), { code: 'DISK' })) },
  };
  const ledger = new CommandLedger(new MemoryStore().section('fleet'));
  const runner = new CommandRunner({
    handlers,
    ledger,
    logger: pino({ level: 'silent' }),
    context: () => ({ site: 'site1', appliance: 'box-a', key: options.keyless ? undefined : { kind: 'hmac', secret }, windowMs, now: clock.now() }),
  });
  const command = (fields: Partial<{ id: string; name: string; args: unknown; issuedAt: string; site: string; appliance: string }> = {}) =>
    signCommand({ id: 'cmd-1', name: 'agent.state', args: { agentId: 'a1', state: 'paused' }, issuedAt: new Date(clock.now()).toISOString(), site: 'site1', appliance: 'box-a', ...fields }, signing);
  const send = (body: unknown, topicName = (body as { name?: string }).name ?? 'agent.state') => runner.handle(topicName, JSON.stringify(body));
  return { clock, runs, runner, ledger, command, send };
}

test('given a signed command for this box, when it arrives, then it runs once and the result names its id', async (t) => {
  const { runs, command, send } = setup();
  const result = await send(command());
  t.like(result, { id: 'cmd-1', name: 'agent.state', ok: true, result: { applied: { agentId: 'a1', state: 'paused' } } });
  t.is(runs.length, 1);
});

test('given the same id again inside the window, when it arrives, then it does not run again and the stored result is sent again', async (t) => {
  const { runs, command, send, clock } = setup();
  const first = await send(command());
  clock.advance(60_000);
  const again = await send(command({ issuedAt: new Date(start).toISOString() }));
  t.is(runs.length, 1);
  t.deepEqual(again, { ...first, duplicate: true });
});

test('given two deliveries of one id at the same moment, when both are handled, then the command runs once', async (t) => {
  const { runs, command, send } = setup();
  const [a, b] = await Promise.all([send(command()), send(command())]);
  t.is(runs.length, 1);
  t.true(a.ok && b.ok);
  t.true(Boolean(a.duplicate) !== Boolean(b.duplicate));
});

test('given a command replayed after its window, when it arrives, then it is refused as expired and the ledger has forgotten it', async (t) => {
  const { runs, command, send, clock, ledger } = setup();
  const old = command();
  await send(old);
  clock.advance(windowMs + 1000);
  t.is(await ledger.prune(clock.now()), 1);
  const replay = await send(old);
  t.like(replay, { id: 'cmd-1', ok: false, error: { code: 'CMD_EXPIRED' } });
  t.regex(replay.error!.message, /301 s old/);
  t.is(runs.length, 1);
});

test('given a command issued far in the future, when it arrives, then it is refused as expired', async (t) => {
  const { command, send } = setup();
  const result = await send(command({ issuedAt: new Date(start + windowMs + 5000).toISOString() }));
  t.like(result, { ok: false, error: { code: 'CMD_EXPIRED', details: { field: 'issuedAt' } } });
});

test('given a bad signature, when it arrives, then it is refused and does not enter the ledger', async (t) => {
  const { runs, command, send } = setup();
  const forged = { ...command(), signature: signCommand({ id: 'cmd-1', name: 'agent.state', args: {}, issuedAt: 'x', site: 'site1', appliance: 'box-a' }, { kind: 'hmac', secret: randomBytes(32) }).signature };
  t.like(await send(forged), { id: 'cmd-1', ok: false, error: { code: 'CMD_BAD_SIGNATURE' } });
  t.like(await send({ ...command(), args: { agentId: 'a1', state: 'ready' } }), { ok: false, error: { code: 'CMD_BAD_SIGNATURE' } });
  // The real command with that id still runs: refusals do not burn ids.
  t.like(await send(command()), { ok: true });
  t.is(runs.length, 1);
});

test('given a command for another box, when it arrives, then it is refused as the wrong box', async (t) => {
  const { send, command } = setup();
  t.like(await send(command({ appliance: 'box-b' })), { ok: false, error: { code: 'CMD_WRONG_BOX' } });
  t.like(await send(command({ site: 'site2' })), { ok: false, error: { code: 'CMD_WRONG_BOX' } });
});

test('given an unknown command or bad args, when it arrives, then it is refused naming the command or the bad field', async (t) => {
  const { runs, send, command } = setup();
  const unknown = await send(command({ id: 'u1', name: 'reboot' }));
  t.like(unknown, { ok: false, error: { code: 'CMD_UNKNOWN' } });
  const bad = await send(command({ id: 'b1', args: { agentId: 'a1', state: 'asleep' } }));
  t.like(bad, { ok: false, error: { code: 'CMD_BAD_ARGS', details: { field: 'args.state' } } });
  t.regex(bad.error!.message, /^args\.state: /);
  t.is(runs.length, 0);
});

test('given malformed messages, when they arrive, then each is refused as a bad message naming the field', async (t) => {
  const { runner, command } = setup();
  t.like(await runner.handle('agent.state', 'not json'), { ok: false, error: { code: 'CMD_BAD_MESSAGE' } });
  const noId = { ...command() } as Record<string, unknown>;
  delete noId.id;
  t.like(await runner.handle('agent.state', JSON.stringify(noId)), { ok: false, error: { code: 'CMD_BAD_MESSAGE', details: { field: 'id' } } });
  t.like(await runner.handle('doctor', JSON.stringify(command())), { ok: false, error: { code: 'CMD_BAD_MESSAGE', details: { field: 'name' } } }, 'topic and body disagree');
});

test('given no command key on the box, when a command arrives, then it is refused as disabled', async (t) => {
  const { send, command, runs } = setup({ keyless: true });
  t.like(await send(command()), { ok: false, error: { code: 'CMD_DISABLED' } });
  t.is(runs.length, 0);
});

test('given a handler that throws or returns too much, when run, then the result says so with a code', async (t) => {
  const { send, command } = setup();
  t.like(await send(command({ id: 'f1', name: 'broken', args: {} })), { ok: false, error: { code: 'CMD_FAILED', message: 'disk on fire', details: { cause: 'DISK' } } });
  t.like(await send(command({ id: 'l1', name: 'big', args: {} })), { ok: false, error: { code: 'CMD_RESULT_TOO_LARGE' } });
});

test('fuzz: random bytes, mangled JSON and bit-flipped signed commands never throw, never run, and are refused with a stable code', async (t) => {
  const { runs, command, runner } = setup();
  const codes = new Set(['CMD_BAD_MESSAGE', 'CMD_BAD_SIGNATURE', 'CMD_WRONG_BOX', 'CMD_EXPIRED', 'CMD_UNKNOWN', 'CMD_BAD_ARGS']);
  let seed = 42;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const valid = Buffer.from(JSON.stringify(command({ id: 'fuzz-base' })));
  for (let i = 0; i < 600; i++) {
    let body: Buffer;
    if (i % 3 === 0) body = randomBytes(Math.floor(random() * 300));
    else if (i % 3 === 1) {
      body = Buffer.from(valid);
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) body[Math.floor(random() * body.length)]! ^= 1 << Math.floor(random() * 8);
    } else {
      const parsed = JSON.parse(valid.toString()) as Record<string, unknown>;
      const keys = Object.keys(parsed);
      const key = keys[Math.floor(random() * keys.length)]!;
      parsed[key] = [null, 7, '', [], {}, 'x'.repeat(5000), { $: 1 }][Math.floor(random() * 7)];
      body = Buffer.from(JSON.stringify(parsed));
    }
    const result = await runner.handle('agent.state', body);
    if (result.ok) continue; // a flip that left the JSON meaning unchanged (e.g. inside whitespace) is still the valid command
    t.true(codes.has(result.error!.code), `${result.error!.code}: ${body.toString('utf8', 0, 80)}`);
  }
  t.true(runs.length <= 1, 'at most the untouched command itself ran, and only once');
});
