import test from 'ava';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { memoryLookup } from './flow-files.ts';
import type { FlowDocument } from './flow-types.ts';
import { simulateFlow, type SimulationScript } from './simulate.ts';
import { validateFlow } from './validator.ts';

const tuesday10amShanghai = Date.parse('2026-11-24T10:00:00+08:00');

function compile(nodes: Record<string, unknown>, extra: Record<string, unknown> = {}): FlowDocument {
  const result = validateFlow({ id: 'f', name: 'F', languages: ['en', 'zh-CN'], defaultLanguage: 'en', start: 'start', nodes, ...extra }, { hasFlow: () => true });
  if (!result.flow) throw new Error(result.errors.map((e) => `${e.path.join('.')}: ${e.message}`).join('\n'));
  return result.flow;
}

async function run(flow: FlowDocument, script: Partial<SimulationScript> = {}, others: FlowDocument[] = []) {
  return simulateFlow(memoryLookup([flow, ...others]), flow, 1, { digits: [], say: [], at: tuesday10amShanghai, http: { mode: 'fixed', status: 200, body: {} }, ...script });
}

const sound = (name: string) => [{ sound: name }];
const menuFlow = compile({
  start: { kind: 'menu', prompts: sound('menu'), options: { '1': 'one', '2': 'two' }, retries: 1, invalidPrompts: sound('invalid'), noInputPrompts: sound('noinput'), repeatKey: '*', default: 'fallback' },
  one: { kind: 'hangup', prompts: sound('one') },
  two: { kind: 'hangup' },
  fallback: { kind: 'hangup', prompts: sound('fallback') },
});

test('given a menu, when the caller presses an option, then that branch runs', async (t) => {
  const result = await run(menuFlow, { digits: ['1'] });
  t.deepEqual(result.path, ['start', 'one']);
  t.is(result.outcome, 'hangup');
});

test('given a menu, when the caller presses a wrong key then a right one, then the invalid prompt plays before the retry', async (t) => {
  const result = await run(menuFlow, { digits: ['9', '2'] });
  t.deepEqual(result.prompts.map((p) => p.prompts.map((r) => ('sound' in r ? r.sound : '?')).join('+')), ['menu', 'invalid+menu']);
  t.deepEqual(result.path, ['start', 'two']);
  t.true(result.trail.some((e) => e.type === 'invalid-input'));
});

test('given a menu, when the caller stays silent past the retries, then no-input prompts play and the default branch runs', async (t) => {
  const result = await run(menuFlow, { digits: [] });
  t.deepEqual(result.prompts.map((p) => p.prompts.map((r) => ('sound' in r ? r.sound : '?')).join('+')), ['menu', 'noinput+menu', 'fallback']);
  t.is(result.trail.filter((e) => e.type === 'no-input').length, 2);
  t.deepEqual(result.path, ['start', 'fallback']);
});

test('given a menu with a repeat key, when pressed, then the menu repeats without using a retry', async (t) => {
  const result = await run(menuFlow, { digits: ['*', '*', '1'] });
  t.is(result.prompts.filter((p) => p.node === 'start').length, 3);
  t.deepEqual(result.path, ['start', 'one']);
});

const gatherFlow = compile({
  start: { kind: 'gather', prompts: sound('enter'), variable: 'account', minDigits: 4, maxDigits: 6, pattern: '[0-9]+', retries: 1, invalidPrompts: sound('invalid'), next: 'ok', onFailure: 'failed' },
  ok: { kind: 'hangup' },
  failed: { kind: 'hangup' },
});

test('given a gather, when digits end with the terminator, then they land in the variable', async (t) => {
  const result = await run(gatherFlow, { digits: ['1234#'] });
  t.is(result.vars.account, '1234');
  t.deepEqual(result.path, ['start', 'ok']);
});

test('given a gather, when max digits are reached, then it completes without the terminator', async (t) => {
  t.is((await run(gatherFlow, { digits: ['12345678'] })).vars.account, '123456');
});

test('given a gather, when the caller stops typing, then the inter-digit timeout completes it', async (t) => {
  const result = await run(gatherFlow, { digits: ['12345'] });
  t.is(result.vars.account, '12345');
});

test('given a gather, when too few digits twice, then it retries once and takes onFailure', async (t) => {
  const result = await run(gatherFlow, { digits: ['12#', '3#'] });
  t.deepEqual(result.path, ['start', 'failed']);
  t.is(result.vars.account, undefined);
});

test('given condition, set and language nodes, when run, then variables and language change as written', async (t) => {
  const flow = compile({
    start: { kind: 'set', assign: { tier: "caller.number startsWith '+86' ? 'cn' : 'intl'", n: '2 * 21' }, next: 'pick' },
    pick: { kind: 'condition', branches: [{ when: "vars.tier == 'cn'", next: 'zh' }], else: 'bye' },
    zh: { kind: 'language', language: 'zh-CN', next: 'bye' },
    bye: { kind: 'hangup', prompts: [{ tts: '再见 ${vars.n}' }] },
  });
  const cn = await run(flow, { callerNumber: '+8613800000000' });
  t.like(cn.vars, { tier: 'cn', n: 42 });
  t.deepEqual(cn.prompts.at(-1), { node: 'bye', language: 'zh-CN', prompts: [{ tts: '再见 42' }] });
  const other = await run(flow, { callerNumber: '+15550100' });
  t.deepEqual(other.path, ['start', 'pick', 'bye']);
  t.is(other.prompts.at(-1)!.language, 'en');
});

const hoursFlow = compile({
  start: {
    kind: 'business-hours',
    hours: { timezone: 'Asia/Shanghai', weekly: { mon: ['09:00-18:00'], tue: ['09:00-18:00'] }, holidays: [{ date: '2026-12-01', name: 'Test holiday' }] },
    open: 'open', closed: 'closed', holiday: 'holiday',
  },
  open: { kind: 'hangup' }, closed: { kind: 'hangup' }, holiday: { kind: 'hangup' },
});

test('given business hours, when called at fixed instants, then open, closed and holiday branches are taken', async (t) => {
  const at = async (iso: string) => (await run(hoursFlow, { at: Date.parse(iso) })).path[1];
  t.is(await at('2026-11-24T10:00:00+08:00'), 'open');
  t.is(await at('2026-11-24T08:59:00+08:00'), 'closed');
  t.is(await at('2026-11-24T18:00:00+08:00'), 'closed');
  t.is(await at('2026-11-24T02:00:00Z'), 'open', 'the same instant in UTC is 10:00 in Shanghai');
  t.is(await at('2026-11-28T10:00:00+08:00'), 'closed', 'Saturday');
  t.is(await at('2026-12-01T10:00:00+08:00'), 'holiday');
});

const httpFlow = (url: string, timeoutSeconds = 2) => compile({
  start: { kind: 'http', url, timeoutSeconds, retries: 1, responseVariables: { tier: 'body.account.tier', code: 'status' }, next: 'ok', onError: 'failed' },
  ok: { kind: 'hangup' }, failed: { kind: 'hangup' },
}, { variables: { account: '1234' } });

test('given an HTTP node against a local server, when it answers 200, 500 or too late, then variables or the error branch follow', async (t) => {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    if (req.url === '/accounts/1234') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"account":{"tier":"vip"}}');
    if (req.url === '/slow') return setTimeout(() => res.end('{}'), 1500);
    res.writeHead(500).end('boom');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const ok = await run(httpFlow(`${base}/accounts/\${vars.account}`), { http: { mode: 'live' } });
    t.like(ok.vars, { tier: 'vip', code: 200 });
    t.deepEqual(ok.path, ['start', 'ok']);
    hits = 0;
    const failed = await run(httpFlow(`${base}/broken`), { http: { mode: 'live' } });
    t.deepEqual(failed.path, ['start', 'failed']);
    t.is(hits, 2, 'retried once');
    t.true(failed.trail.some((e) => e.type === 'error' && e.code === 'IVR_HTTP_FAILED'));
    const slow = await run(httpFlow(`${base}/slow`, 0.2), { http: { mode: 'live' } });
    t.deepEqual(slow.path, ['start', 'failed']);
    t.regex(String(slow.trail.find((e) => e.type === 'http')?.error), /no answer within 200 ms/);
  } finally {
    server.close();
  }
});

test('given a sub-flow, when it returns, then the caller continues at the calling node\'s next', async (t) => {
  const sub = { ...compile({ start: { kind: 'set', assign: { fromSub: 'true' }, next: 'back' }, back: { kind: 'return' } }), id: 'sub' };
  const main = compile({ start: { kind: 'subflow', flow: 'sub', next: 'after' }, after: { kind: 'hangup' } });
  const result = await run(main, {}, [sub]);
  t.deepEqual(result.path, ['start', 'start', 'back', 'after']);
  t.is(result.vars.fromSub, true);
});

test('given survey, voicemail with re-record, and callback nodes, when driven, then each records what the caller did', async (t) => {
  const flow = compile({
    start: { kind: 'survey', prompts: sound('rate'), thanksPrompts: sound('thanks'), next: 'vm' },
    vm: { kind: 'voicemail', prompts: sound('beep'), confirm: { prompts: sound('keep') }, next: 'cb' },
    cb: { kind: 'callback', prompts: sound('offer'), next: 'bye', onDecline: 'bye' },
    bye: { kind: 'hangup' },
  });
  const result = await run(flow, { digits: ['4', '2', '1', '1'] });
  t.is(result.vars.survey_csat, 4);
  t.is(result.requests.filter((r) => r.type === 'record').length, 2, 'recorded twice (re-record)');
  t.true(result.trail.some((e) => e.type === 'voicemail'));
  t.like(result.requests.find((r) => r.type === 'callback'), { number: '5550100' });
  t.true(result.trail.some((e) => e.type === 'callback'));
});

test('given queue and speech nodes without their engines, when reached, then a clear error takes the error branch', async (t) => {
  const flow = compile({
    start: { kind: 'gather-speech', prompts: [], variable: 'q', next: 'bye', onFailure: 'queue' },
    queue: { kind: 'queue', queue: 'support', onError: 'bye' },
    bye: { kind: 'hangup' },
  });
  const result = await run(flow, { queue: 'unavailable' });
  t.deepEqual(result.path, ['start', 'queue', 'bye']);
  t.true(result.trail.some((e) => e.type === 'error' && e.code === 'QUEUE_NOT_AVAILABLE'));
  const spoken = await run(flow, { say: ['I want to pay my bill'] });
  t.is(spoken.vars.q, 'I want to pay my bill');
});

test('given a queue node, when an agent answers, it overflows, or the caller keeps a place or leaves, then the flow follows each', async (t) => {
  const flow = compile({
    start: { kind: 'queue', queue: 'support', callbackKey: '1', callbackConfirm: sound('offer'), exitKey: '2', onExit: 'vm', onOverflow: 'full' },
    vm: { kind: 'hangup' },
    full: { kind: 'hangup' },
  });
  const answered = await run(flow);
  t.is(answered.outcome, 'queue');
  t.true(answered.trail.some((e) => e.type === 'queue-connected'));
  const overflowed = await run(flow, { queue: 'overflow' });
  t.deepEqual(overflowed.path, ['start', 'full']);
  t.is(overflowed.vars.queue_overflow, 'max-wait');
  const kept = await run(flow, { queue: 'wait', digits: ['1'] });
  t.like(kept.requests.find((r) => r.type === 'queue-action'), { action: 'callback' });
  t.is(kept.outcome, 'hangup');
  t.deepEqual(kept.prompts.map((p) => p.node), ['start'], 'the confirmation was said before hanging up');
  const left = await run(flow, { queue: 'wait', digits: ['2'] });
  t.deepEqual(left.path, ['start', 'vm']);
  t.like(left.requests.find((r) => r.type === 'queue-action'), { action: 'leave' });
  const ignored = await run(flow, { queue: 'wait', digits: ['5'] });
  t.is(ignored.requests.filter((r) => r.type === 'queue-action').length, 0, 'other keys do nothing while waiting');
});

test('given a queue node with an exit key but nowhere to go, when validated, then the missing onExit is named', (t) => {
  const { errors } = validateFlow({ id: 'x', name: 'X', languages: ['en'], defaultLanguage: 'en', start: 'q', nodes: { q: { kind: 'queue', queue: 'support', exitKey: '2' } } });
  t.true(errors.some((p) => p.path.join('.').endsWith('onExit') && /exitKey needs onExit/.test(p.message)), JSON.stringify(errors));
});

test('given a transfer node, when the transfer is accepted, then the flow finishes as transferred', async (t) => {
  const flow = compile({ start: { kind: 'transfer', to: '${vars.ext}', onError: 'x' }, x: { kind: 'hangup' } }, { variables: { ext: '2001' } });
  const result = await run(flow);
  t.is(result.outcome, 'transfer');
  t.like(result.requests[0], { type: 'transfer', target: '2001' });
});

test('given a runtime expression error, when the node has onError, then it is taken; without, the call ends with the error', async (t) => {
  const flow = compile({ start: { kind: 'set', assign: { x: '1 / 0' }, next: 'bye' }, bye: { kind: 'hangup' } });
  const result = await run(flow);
  t.is(result.outcome, 'error');
  t.true(result.trail.some((e) => e.type === 'error' && String(e.code).startsWith('IVR_EXPR')));
});

test('given a node with a transcription policy, when the flow enters it, then live transcription is asked for there and not before', async (t) => {
  const { startIvr, handleIvr } = await import('./interpreter.ts');
  const flow = compile({
    start: { kind: 'menu', prompts: sound('menu'), options: { '1': 'agent' }, default: 'agent' },
    agent: { kind: 'hangup', prompts: sound('bye'), transcription: 'both' },
  });
  const facts = { callerNumber: '5550100', callerName: 'x', dialed: '4000', callId: 'c1', timezone: 'UTC' };
  const started = startIvr(memoryLookup([flow]), 'f', 1, facts, tuesday10amShanghai);
  t.false(started.effects.some((e) => e.type === 'transcribe'));
  const next = handleIvr(started.state, { type: 'digit', digit: '1' }, memoryLookup([flow]), facts, tuesday10amShanghai + 1000);
  t.deepEqual(next.effects.filter((e) => e.type === 'transcribe'), [{ type: 'transcribe', policy: 'both' }]);
  t.false(validateFlow({ id: 'x', name: 'X', languages: ['en'], defaultLanguage: 'en', start: 's', nodes: { s: { kind: 'hangup', transcription: 'always' } } }).errors.length === 0, 'an unknown policy is refused');
});
