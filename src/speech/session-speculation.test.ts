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
