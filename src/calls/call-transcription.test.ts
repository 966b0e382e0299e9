import test from 'ava';
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import type { Telephony } from '../telephony/telephony.ts';
import type { CallService } from './call-service.ts';
import { CallTranscription, type MediaLeg, type TranscriptionEngine } from './call-transcription.ts';
import type { CallState } from './call-types.ts';

function setup() {
  const calls = Object.assign(new EventEmitter(), { notes: [] as unknown[], note(_id: string, entry: unknown) { this.notes.push(entry); } });
  const requests: string[] = [];
  const telephony = {
    snoop: async (_channel: string, id: string) => void requests.push(`snoop ${id}`),
    externalMedia: async (id: string) => void requests.push(`media ${id}`),
    bridge: async (id: string) => void requests.push(`bridge ${id}`),
    hangup: async (id: string) => void requests.push(`hangup ${id}`),
    destroyBridge: async (id: string) => void requests.push(`destroy ${id}`),
  } as unknown as Telephony;
  let openLeg!: () => void;
  const closed: string[] = [];
  const engine: TranscriptionEngine = {
    openLeg: (callId) =>
      new Promise<MediaLeg>((resolve) => {
        openLeg = () => resolve({ port: 40000, format: 'ulaw', close: async () => void closed.push(callId) });
      }),
  };
  const transcription = new CallTranscription({
    calls: calls as unknown as CallService,
    telephony,
    engine,
    policy: () => 'caller',
    language: () => 'en',
    logger: pino({ level: 'silent' }),
  });
  const state = { callId: 'c1', channelId: 'ch1', phase: 'ivr' } as unknown as CallState;
  return { calls, requests, closed, transcription, state, openLeg: () => openLeg() };
}

test('given a call that ends while its transcription leg is still opening, when the leg opens, then it is closed and no snoop is started on the gone channel', async (t) => {
  const { calls, requests, closed, transcription, state, openLeg } = setup();
  calls.emit('trail', state, { type: 'entered' });
  calls.emit('ended', { ...state, phase: 'ended' });
  const idle = transcription.idle();
  openLeg();
  await idle;
  t.deepEqual(closed, ['c1']);
  t.false(requests.some((r) => r.startsWith('snoop')));
  t.is(transcription.activeLegs(), 0);
});

test('given a call whose leg is open, when it ends, then the helper channels are hung up before the leg is flushed', async (t) => {
  const { calls, requests, closed, transcription, state, openLeg } = setup();
  calls.emit('trail', state, { type: 'entered' });
  openLeg();
  await new Promise((resolve) => setImmediate(resolve));
  t.is(transcription.activeLegs(), 1);
  calls.emit('ended', { ...state, phase: 'ended' });
  await transcription.idle();
  t.deepEqual(requests, ['snoop c1-snoop-in', 'media c1-media-in', 'bridge c1-tx-in', 'hangup c1-media-in', 'hangup c1-snoop-in', 'destroy c1-tx-in']);
  t.deepEqual(closed, ['c1']);
});
