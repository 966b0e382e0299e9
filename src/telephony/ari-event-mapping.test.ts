import test from 'ava';
import { mapAriEvent } from './ari-event-mapping.ts';

const channel = { id: 'c1', name: 'PJSIP/caller-1', state: 'Ring', caller: { name: 'Ann', number: '5550100' }, connected: { name: '', number: '' } };

test('given an inbound StasisStart, when mapped, then call-entered carries caller and dialed number', (t) => {
  const event = mapAriEvent({ type: 'StasisStart', application: 'deskline', timestamp: '2026-11-24T07:28:44.786+0000', args: ['inbound', '4000'], channel });
  t.deepEqual(event, { type: 'call-entered', channelId: 'c1', channelName: 'PJSIP/caller-1', at: Date.parse('2026-11-24T07:28:44.786Z'), caller: { number: '5550100', name: 'Ann' }, dialed: '4000' });
});

test('given a StasisStart without the inbound marker, when mapped, then it is not a new call', (t) => {
  t.is(mapAriEvent({ type: 'StasisStart', application: 'deskline', args: [], channel }), undefined);
});

test('given a failed PlaybackFinished, when mapped, then failed is true and the channel comes from target_uri', (t) => {
  const event = mapAriEvent({ type: 'PlaybackFinished', application: 'd', playback: { id: 'p1', media_uri: 'sound:x', target_uri: 'channel:c9', state: 'failed' } });
  t.like(event, { type: 'playback-finished', channelId: 'c9', playbackId: 'p1', failed: true });
});

test('given a soft hangup request (cause 32), when mapped, then no Q.850 cause is claimed', (t) => {
  t.like(mapAriEvent({ type: 'ChannelHangupRequest', application: 'd', cause: 32, soft: true, channel }), { cause: undefined });
  t.like(mapAriEvent({ type: 'ChannelHangupRequest', application: 'd', cause: 16, channel }), { cause: 16 });
});

test('given unknown or malformed events, when mapped, then nothing throws', (t) => {
  for (const event of [{ type: 'BrandNewEvent', application: 'd' }, { type: 'ChannelDtmfReceived', application: 'd' }, { type: 'PlaybackStarted', application: 'd', playback: { id: 'x', media_uri: '', target_uri: 'bridge:b', state: 'playing' } }]) {
    t.is(mapAriEvent(event), undefined);
  }
});
