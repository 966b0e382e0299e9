import test from 'ava';
import { Transcriber, type TranscriptEvent, type TranscriberOptions } from './transcriber.ts';
import { loadSpeechEngine, type SpeechEngine, type TurnRecognizer } from './session.ts';
import { Upsampler8to16, decodeG711, encodeG711 } from './dsp.ts';
import { concat, noise, silence, synthesize, tempDir, tone } from './testing/audio-fixtures.ts';
import { HELP_LINE_PHRASES, keysFound } from './testing/phrases.ts';

const dir = tempDir();
const engine = await loadSpeechEngine({ engine: 'pocketsphinx', language: 'en-us', phrases: HELP_LINE_PHRASES.map((p) => p.text) });
/** A phrase as a G.711 call delivers it: flite 8 kHz, µ-law, upsampled by our resampler. */
const telephone = (text: string) => new Upsampler8to16().process(decodeG711('ulaw', encodeG711('ulaw', synthesize(text, { voice: 'slt', rate: 8000, dir }))));

/** Feeds audio as 20 ms frames, advancing the scripted clock one frame per push and waiting for the engine like real time would. */
async function feed(transcriber: Transcriber, clock: { ms: number }, audio: Int16Array): Promise<void> {
  for (let at = 0; at < audio.length; at += 320) {
    clock.ms += 20;
    transcriber.push(audio.subarray(at, at + 320));
    await transcriber.idle();
  }
}

function fakeEngine(turns: TurnRecognizer): SpeechEngine & { released: number } {
  const fake = {
    released: 0,
    profile: { engine: 'pocketsphinx' as const, language: 'xx', lm: '/dev/null' },
    description: 'scripted',
    open: async () => ({ turns, release: () => void fake.released++ }),
    close: () => undefined,
  };
  return fake;
}

async function open(e: SpeechEngine, clock: { ms: number }, options: Partial<TranscriberOptions> = {}) {
  const events: TranscriptEvent[] = [];
  const t = await Transcriber.open(e, { leg: 'caller', onEvent: (ev) => events.push(ev), now: () => clock.ms, ...options });
  return { t, events, finals: () => events.filter((ev) => ev.type === 'final') };
}

test('given two flite phrases over µ-law starting 1.5 s into the call, when fed as frames, then each turn gives partials every 250 ms and a final with its key words, times relative to the call', async (t) => {
  const clock = { ms: 10_000 };
  const { t: tr, events, finals } = await open(engine, clock);
  clock.ms += 1500 - 20;  // the first frame arrives 1.5 s after the session opened
  const [a, b] = [HELP_LINE_PHRASES[4]!, HELP_LINE_PHRASES[7]!];
  const first = telephone(a.text), second = telephone(b.text);
  const lead = noise(600, 16000, 40), pause = noise(1200, 16000, 40, 3), tail = noise(800, 16000, 40, 5);
  await feed(tr, clock, concat(lead, first, pause, second, tail));
  await tr.close();
  const [f1, f2] = finals();
  t.is(finals().length, 2);
  t.true(keysFound(a.keys, f1!.text), f1!.text);
  t.true(keysFound(b.keys, f2!.text), f2!.text);
  // Turn 1 opens around 1.5 s + 0.6 s (minus up to 300 ms pre-roll) and ends inside the first phrase's span.
  const firstEndsBy = 1500 + 600 + (first.length / 16);
  t.true(f1!.startMs >= 1500 + 600 - 320 && f1!.startMs <= 1500 + 600 + 100, String(f1!.startMs));
  t.true(f1!.endMs > f1!.startMs + 1000 && f1!.endMs <= firstEndsBy + 20, `${f1!.endMs} vs ${firstEndsBy}`);
  t.true(f2!.startMs > firstEndsBy + 800, String(f2!.startMs));
  for (const f of [f1!, f2!]) {
    // Words lie inside the turn's audio (which runs on for the 250 ms hangover after the end of speech).
    t.true(f.words!.every((w) => w.startMs >= f.startMs && w.endMs <= f.endMs + 250), JSON.stringify([f.startMs, f.endMs, f.words]));
    t.true(f.words!.every((w, i, all) => w.startMs < w.endMs && (i === 0 || w.startMs >= all[i - 1]!.endMs)));
    t.true(f.confidence! >= 0 && f.confidence! <= 1);
    t.is(f.leg, 'caller');
    const partials = events.filter((e) => e.type === 'partial' && e.startMs === f.startMs);
    const marks = [f.startMs, ...partials.map((p) => p.endMs)];
    const gaps = marks.slice(1).map((m, i) => m - marks[i]!);
    t.true(partials.length >= 4, String(partials.length));
    t.true(gaps.slice(1).every((g) => g <= 260), `gaps between partials ${gaps.join(',')}`);
    t.true(partials.some((p) => p.text.length > 0));
  }
  t.is(events.indexOf(f1!) < events.indexOf(f2!), true);
  t.like(tr.stats, { finals: 2, droppedMs: 0, errors: 0, backlogMs: 0 });
});

test('given caller and agent legs on one shared engine, when fed different phrases at once, then each leg hears only its own audio', async (t) => {
  const clock = { ms: 0 };
  const caller = await open(engine, clock);
  const agent = await open(engine, clock, { leg: 'agent' });
  const [pc, pa] = [HELP_LINE_PHRASES[0]!, HELP_LINE_PHRASES[9]!];
  const ac = concat(silence(400, 16000), telephone(pc.text), silence(700, 16000));
  const aa = concat(silence(400, 16000), telephone(pa.text), silence(700, 16000));
  for (let at = 0; at < Math.max(ac.length, aa.length); at += 320) {
    clock.ms += 20;
    caller.t.push(ac.subarray(at, at + 320));
    agent.t.push(aa.subarray(at, at + 320));
    await Promise.all([caller.t.idle(), agent.t.idle()]);
  }
  await Promise.all([caller.t.close(), agent.t.close()]);
  t.true(keysFound(pc.keys, caller.finals().map((f) => f.text).join(' ')), JSON.stringify(caller.finals()));
  t.true(keysFound(pa.keys, agent.finals().map((f) => f.text).join(' ')), JSON.stringify(agent.finals()));
  t.true(agent.events.every((e) => e.leg === 'agent') && caller.events.every((e) => e.leg === 'caller'));
});

test('given an engine that falls behind, when the backlog passes its limit, then audio is dropped and later results still line up with the call', async (t) => {
  let gate!: () => void;
  const stuck = new Promise<void>((resolve) => (gate = resolve));
  const scripted = fakeEngine({
    beginTurn: () => stuck,
    feed: async () => null,
    endTurn: async (turn) => ({ text: `turn of ${turn.length} samples`, words: [] }),
  });
  const clock = { ms: 0 };
  const { t: tr, finals } = await open(scripted, clock, { maxBacklogMs: 1000, hangoverMs: 200 });
  clock.ms = 2000;  // 2 s of tone arrive at once while the engine is stuck in beginTurn
  const burst = tone(300, 2000, 16000, 6000);
  for (let at = 0; at < burst.length; at += 320) tr.push(burst.subarray(at, at + 320));
  t.is(tr.stats.droppedMs, 980);  // the first frame went straight to the engine, 50 more were queued
  t.true(tr.stats.backlogMs <= 1000);
  gate();
  await tr.idle();
  await feed(tr, clock, concat(silence(500, 16000), tone(300, 800, 16000, 6000), silence(600, 16000)));
  await tr.close();
  const [f1, f2] = finals();
  t.is(finals().length, 2);
  t.is(f1!.startMs, 1980);  // the first frame arrived (ended) at 2000 ms
  t.is(f1!.endMs, 1980 + 1020);  // only the kept 1020 ms of audio were decoded
  // The second tone starts 2.5 s after the burst began (minus the 300 ms pre-roll): dropped audio still counts.
  t.is(f2!.startMs, 1980 + 2000 + 500 - 300);
  t.is(scripted.released, 1);
});

test('given speech still going on, when closed, then the open turn is flushed as a final, the decoder released once and later audio ignored', async (t) => {
  let ended = 0;
  const scripted = fakeEngine({ beginTurn: async () => undefined, feed: async (_s, want) => (want ? 'so far' : null), endTurn: async () => ({ text: `final ${++ended}`, words: [] }) });
  const clock = { ms: 0 };
  const { t: tr, events } = await open(scripted, clock);
  await feed(tr, clock, concat(silence(300, 16000), tone(500, 700, 16000, 6000)));
  await Promise.all([tr.close(), tr.close()]);
  tr.push(tone(500, 500, 16000, 6000));
  await tr.close();
  t.deepEqual(events.filter((e) => e.type === 'final').map((e) => e.text), ['final 1']);
  t.true(events.some((e) => e.type === 'partial' && e.text === 'so far'));
  t.is(scripted.released, 1);
});

test('given an engine that fails one turn, when fed, then onError gets it and the next turn is still transcribed', async (t) => {
  let calls = 0;
  const scripted = fakeEngine({
    beginTurn: async () => undefined, feed: async () => null,
    endTurn: async () => { if (++calls === 1) throw new Error('decoder exploded'); return { text: 'second', words: [] }; },
  });
  const errors: unknown[] = [];
  const clock = { ms: 0 };
  const { t: tr, finals } = await open(scripted, clock, { onError: (e) => errors.push(e) });
  const burst = concat(tone(400, 500, 16000, 6000), silence(600, 16000));
  await feed(tr, clock, concat(burst, burst));
  await tr.close();
  t.is((errors[0] as Error).message, 'decoder exploded');
  t.is(errors.length, 1);
  t.deepEqual(finals().map((f) => f.text), ['second']);
  t.is(tr.stats.errors, 1);
});

test('given an onEvent that throws, when finals come, then the error goes to onError and the leg keeps transcribing', async (t) => {
  let n = 0;
  const scripted = fakeEngine({ beginTurn: async () => undefined, feed: async () => null, endTurn: async () => ({ text: `t${++n}`, words: [] }) });
  const errors: unknown[] = [];
  const seen: string[] = [];
  const clock = { ms: 0 };
  const tr = await Transcriber.open(scripted, { leg: 'agent', now: () => clock.ms, onError: (e) => errors.push(e), onEvent: (e) => { seen.push(e.text); throw new Error('console bug'); } });
  const burst = concat(tone(400, 500, 16000, 6000), silence(600, 16000));
  await feed(tr, clock, concat(burst, burst));
  await tr.close();
  t.deepEqual(seen, ['t1', 't2']);
  t.is(errors.length, 2);
});

test('given bad profiles, when loaded, then the errors name what is wrong', async (t) => {
  await t.throwsAsync(loadSpeechEngine({ engine: 'vosk', language: 'en-us', model: '/nonexistent/vosk-model' }), { code: 'DESKLINE_NATIVE_MODEL_NOT_FOUND', message: /\/nonexistent\/vosk-model/ });
  await t.throwsAsync(loadSpeechEngine({ engine: 'pocketsphinx', language: 'en-us', phrases: ['frobnicate the quux'] }), { code: 'DESKLINE_SPEECH_UNKNOWN_WORDS', message: /frobnicate/ });
  await t.throwsAsync(loadSpeechEngine({ engine: 'pocketsphinx', language: 'en-us', jsgf: '/nonexistent/g.gram' }), { code: 'DESKLINE_NATIVE_MODEL_NOT_FOUND' });
  await t.throwsAsync(Transcriber.open(engine, { leg: 'both' as 'caller', onEvent: () => undefined }), { code: 'DESKLINE_NATIVE_BAD_ARG' });
});
