import test from 'ava';
import { EventEmitter } from 'node:events';
import { ManualClock } from '../core/clock.ts';
import type { CallTranscription } from './call-transcription.ts';
import type { CallState } from './call-types.ts';
import { SpeechGather } from './speech-gather.ts';

function setup() {
  const clock = new ManualClock(0);
  const transcription = Object.assign(new EventEmitter(), { ensured: [] as string[], ensure(state: CallState, policy: string) { this.ensured.push(`${state.callId}:${policy}`); } });
  const live = new Map<string, CallState>([['c1', { callId: 'c1', phase: 'ivr' } as unknown as CallState]]);
  const calls = Object.assign(new EventEmitter(), { state: (id: string) => live.get(id) });
  const gather = new SpeechGather({ transcription: transcription as unknown as CallTranscription, calls, clock, maxTurnMs: 20_000, continueMs: 700, earlyMs: 2000 });
  const say = (type: 'partial' | 'final', text: string, leg = 'caller') => transcription.emit('transcript', live.get('c1'), { type, leg, text, startMs: 0, endMs: 1, confidence: 0.9 });
  const settled = async <T>(p: Promise<T>) => {
    let done = false;
    void p.then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    return done;
  };
  return { clock, transcription, calls, gather, say, live, settled };
}

test('given a flow listening, when the caller speaks, then their final is the answer once they stay quiet for the continuation window (agent words and empty finals are not)', async (t) => {
  const { gather, say, transcription, clock, settled } = setup();
  const heard = gather.listen('c1', { timeoutMs: 5000, language: 'en' });
  t.deepEqual(transcription.ensured, ['c1:caller']);
  say('final', 'how can I help', 'agent');
  say('final', '   ');
  say('partial', 'pay my');
  say('final', 'pay my bill');
  clock.advance(699);
  t.false(await settled(heard));
  clock.advance(1);
  t.deepEqual(await heard, { text: 'pay my bill', confidence: 0.9 });
});

test('given a caller who pauses mid-sentence, when they go on within the window, then both turns make one answer', async (t) => {
  const { gather, say, clock } = setup();
  const heard = gather.listen('c1', { timeoutMs: 5000, language: 'en' });
  say('partial', 'are you');
  say('final', 'are you open');
  clock.advance(400);
  say('partial', 'on saturday');
  clock.advance(3000);
  say('final', 'on saturday mornings');
  clock.advance(700);
  t.is((await heard).text, 'are you open on saturday mornings');
});

test('given a caller who answered before the question ended, when listening starts, then the recent final and a turn under way count; an old final does not', async (t) => {
  const { gather, say, clock } = setup();
  say('final', 'something from long ago');
  clock.advance(10_000);
  say('final', 'are you open');
  say('partial', 'on sat');
  clock.advance(500);
  const heard = gather.listen('c1', { timeoutMs: 5000, language: 'en' });
  clock.advance(6000);
  say('final', 'on saturday');
  clock.advance(700);
  t.is((await heard).text, 'are you open on saturday');
});

test('given silence, when the timeout passes on the injected clock, then the answer is empty; a turn that never ends gives up after maxTurnMs', async (t) => {
  const { gather, say, clock, settled } = setup();
  const silent = gather.listen('c1', { timeoutMs: 5000, language: 'en' });
  clock.advance(4999);
  t.false(await settled(silent));
  clock.advance(1);
  t.deepEqual(await silent, { text: '', confidence: 0 });
  const rambling = gather.listen('c1', { timeoutMs: 5000, language: 'en' });
  say('partial', 'and another thing');
  clock.advance(19_999);
  t.false(await settled(rambling));
  clock.advance(1);
  t.is((await rambling).text, '');
});

test('given a call that ends while listening, when it ends, then the answer comes at once with what was heard', async (t) => {
  const { gather, calls, live, say } = setup();
  const heard = gather.listen('c1', { timeoutMs: 60_000, language: 'en' });
  say('final', 'my router');
  calls.emit('ended', live.get('c1'));
  t.is((await heard).text, 'my router');
  t.is((await gather.listen('nope', { timeoutMs: 1000, language: 'en' })).text, '', 'unknown call');
});

test('given finals the recognizer also heard another way, when the answer is settled, then the other reading comes along, joined over the turns like the text', async (t) => {
  const { gather, transcription, live, clock } = setup();
  const heard = gather.listen('c1', { timeoutMs: 5000, language: 'en' });
  const final = (text: string, alternatives?: string[]) => transcription.emit('transcript', live.get('c1'), { type: 'final', leg: 'caller', text, startMs: 0, endMs: 1, confidence: 0.8, ...(alternatives ? { alternatives } : {}) });
  final('are you open on', ['are you open on']);
  clock.advance(300);
  final('that journey my name', ['saturday morning']);
  clock.advance(700);
  t.deepEqual(await heard, { text: 'are you open on that journey my name', confidence: 0.8, alternatives: ['are you open on saturday morning'] });

  const again = gather.listen('c1', { timeoutMs: 5000, language: 'en' });
  final('pay my bill', ['pay my bill']);
  clock.advance(700);
  t.deepEqual(await again, { text: 'pay my bill', confidence: 0.8 }, 'a reading the same as the text is no alternative');
});
