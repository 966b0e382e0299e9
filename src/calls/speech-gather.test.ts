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
  const gather = new SpeechGather({ transcription: transcription as unknown as CallTranscription, calls, clock, maxTurnMs: 20_000 });
  const say = (type: 'partial' | 'final', text: string, leg = 'caller') => transcription.emit('transcript', live.get('c1'), { type, leg, text, startMs: 0, endMs: 1, confidence: 0.9 });
  return { clock, transcription, calls, gather, say, live };
}

test('given a flow listening, when the caller speaks, then the next caller final is the answer (agent words and empty finals are not)', async (t) => {
  const { gather, say, transcription } = setup();
  const heard = gather.listen('c1', { timeoutMs: 5000, language: 'en' });
  t.deepEqual(transcription.ensured, ['c1:caller']);
  say('final', 'how can I help', 'agent');
  say('final', '   ');
  say('partial', 'pay my');
  say('final', 'pay my bill');
  t.deepEqual(await heard, { text: 'pay my bill', confidence: 0.9 });
});

test('given silence, when the timeout passes on the injected clock, then the answer is empty; once speaking, the silence timeout no longer applies', async (t) => {
  const { gather, say, clock } = setup();
  const silent = gather.listen('c1', { timeoutMs: 5000, language: 'en' });
  clock.advance(4999);
  let settled = false;
  void silent.then(() => (settled = true));
  await Promise.resolve();
  t.false(settled);
  clock.advance(1);
  t.deepEqual(await silent, { text: '', confidence: 0 });
  const speaking = gather.listen('c1', { timeoutMs: 5000, language: 'en' });
  say('partial', 'i would like');
  clock.advance(10_000);
  say('final', 'i would like a refund');
  t.is((await speaking).text, 'i would like a refund');
  const rambling = gather.listen('c1', { timeoutMs: 5000, language: 'en' });
  say('partial', 'and another thing');
  clock.advance(20_000);
  t.is((await rambling).text, '', 'a turn that never ends gives up after maxTurnMs');
});

test('given a call that ends while listening, when it ends, then the answer is empty at once', async (t) => {
  const { gather, calls, live } = setup();
  const heard = gather.listen('c1', { timeoutMs: 60_000, language: 'en' });
  calls.emit('ended', live.get('c1'));
  t.is((await heard).text, '');
  t.is((await gather.listen('nope', { timeoutMs: 1000, language: 'en' })).text, '', 'unknown call');
});
