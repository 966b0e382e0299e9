import test from 'ava';
import { TranscriptionSession, type TurnRecognizer } from './session.ts';

const RATE = 16000;
const tone = (ms: number) => Int16Array.from({ length: (RATE * ms) / 1000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / RATE)));
const silence = (ms: number) => new Int16Array((RATE * ms) / 1000);

function scriptedEngine() {
  const calls = { speculate: [] as number[], endTurn: [] as (string | undefined)[] };
  const engine: TurnRecognizer = {
    async beginTurn() {},
    async feed() {
      return null;
    },
    async speculate(turn) {
      calls.speculate.push(turn.length);
      return { text: `speculated ${calls.speculate.length}`, words: [] };
    },
    async endTurn(_turn, decided) {
      calls.endTurn.push(decided?.text);
      return decided ?? { text: 'decoded at the end', words: [] };
    },
  };
  return { engine, calls };
}

async function feed(session: TranscriptionSession, ...parts: Int16Array[]) {
  const events = [];
  for (const part of parts) for (let at = 0; at < part.length; at += 320) events.push(...(await session.push(part.subarray(at, at + 320))));
  return events;
}

test('given a caller who pauses mid-turn and then stops, when the turn ends, then the speculation made in the pause is dropped and the one made at the end is the final', async (t) => {
  const { engine, calls } = scriptedEngine();
  const session = new TranscriptionSession(engine, { vad: { hangoverMs: 220 }, speculateAfterMs: 60 });
  const events = await feed(session, silence(300), tone(500), silence(100), tone(300), silence(400));
  const finals = events.filter((e) => e.type === 'final');
  t.is(finals.length, 1, 'one turn: the 100 ms pause is shorter than the hangover');
  t.is(calls.speculate.length, 2, 'one speculation in the pause, one after the end of speech');
  t.deepEqual(calls.endTurn, ['speculated 2']);
  t.like(finals[0], { text: 'speculated 2' });
});

test('given speculation switched off, when a turn ends, then the turn is decoded once at the end', async (t) => {
  const { engine, calls } = scriptedEngine();
  const session = new TranscriptionSession(engine, { vad: { hangoverMs: 220 }, speculateAfterMs: Number.POSITIVE_INFINITY });
  const finals = (await feed(session, silence(300), tone(500), silence(400))).filter((e) => e.type === 'final');
  t.deepEqual(calls.speculate, []);
  t.deepEqual(calls.endTurn, [undefined]);
  t.like(finals[0], { text: 'decoded at the end' });
});

/** An engine with a fast second search: speculate reports it early, then the final carries it as the alternative. */
function twoSearchEngine(order: string[]) {
  let n = 0;
  const engine: TurnRecognizer = {
    async beginTurn() {},
    async feed() {
      return null;
    },
    async speculate(_turn, early) {
      const k = ++n;
      await Promise.resolve();
      early?.(`quick ${k}`);
      order.push(`early ${k} decoded`);
      return { text: `slow ${k}`, words: [], alternatives: [`quick ${k}`] };
    },
    async endTurn(_turn, decided) {
      return decided ?? { text: 'decoded at the end', words: [] };
    },
  };
  return engine;
}

test('given an engine with a fast second search, when the caller goes quiet, then its whole-turn hypothesis is reported as a settled partial before the final, which carries it as an alternative', async (t) => {
  const order: string[] = [];
  const early: unknown[] = [];
  const session = new TranscriptionSession(twoSearchEngine(order), {
    vad: { hangoverMs: 220 }, speculateAfterMs: 60,
    onEarly: (e) => (early.push(e), order.push(`onEarly ${e.type === 'partial' ? e.text : ''}`)),
  });
  const events = await feed(session, silence(300), tone(500), silence(400));
  const finals = events.filter((e) => e.type === 'final');
  t.is(finals.length, 1);
  t.like(finals[0], { text: 'slow 1', alternatives: ['quick 1'] });
  t.is(early.length, 1);
  t.like(early[0], { type: 'partial', text: 'quick 1', settled: true });
  t.deepEqual(order, ['onEarly quick 1', 'early 1 decoded']);
});

test('given a caller who speaks again before the early hypothesis is in, then it is not reported (the turn goes on)', async (t) => {
  const early: unknown[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let n = 0;
  const engine: TurnRecognizer = {
    async beginTurn() {},
    async feed() {
      return null;
    },
    async speculate(_turn, onEarly) {
      const k = ++n;
      if (k === 1) await gate;  // the first speculation's fast search finishes only after the caller spoke again
      onEarly?.(`quick ${k}`);
      return { text: `slow ${k}`, words: [] };
    },
    async endTurn(_turn, decided) {
      return decided ?? { text: 'end', words: [] };
    },
  };
  const session = new TranscriptionSession(engine, { vad: { hangoverMs: 220 }, speculateAfterMs: 60, onEarly: (e) => early.push(e) });
  await feed(session, silence(300), tone(500), silence(100), tone(300));
  release();
  await new Promise((r) => setImmediate(r));
  t.deepEqual(early, [], 'the pause\'s hypothesis is stale once the caller speaks again');
  await feed(session, silence(400));
  t.like(early.at(-1), { text: 'quick 2', settled: true });
});

test('given speculation switched off, when a turn ends, then the fast search\'s reading still goes out early, before the final', async (t) => {
  const early: unknown[] = [];
  const engine: TurnRecognizer = {
    async beginTurn() {},
    async feed() {
      return null;
    },
    async endTurn(_turn, decided, onEarly) {
      onEarly?.('quick at the end');
      return decided ?? { text: 'slow at the end', words: [], alternatives: ['quick at the end'] };
    },
  };
  const session = new TranscriptionSession(engine, { vad: { hangoverMs: 220 }, speculateAfterMs: Number.POSITIVE_INFINITY, onEarly: (e) => early.push(e) });
  const finals = (await feed(session, silence(300), tone(500), silence(400))).filter((e) => e.type === 'final');
  t.like(early, [{ type: 'partial', text: 'quick at the end', settled: true }]);
  t.like(finals, [{ text: 'slow at the end', alternatives: ['quick at the end'] }]);
});
