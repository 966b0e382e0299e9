import test from 'ava';
import dgram from 'node:dgram';
import { RtpReceiver, nativeRtpAvailable, type RtpEngine } from './rtp-receiver.ts';
import { liveRtpLegs, recentlyClosedRtpLegs, rtpHealth } from './rtp-census.ts';

const engines: RtpEngine[] = nativeRtpAvailable() ? ['native', 'js'] : ['js'];

function rtp(seq: number, pt: number): Buffer {
  const b = Buffer.alloc(12 + 160, 0xff);
  b[0] = 0x80;
  b[1] = pt;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(seq * 160, 4);
  b.writeUInt32BE(0x1234, 8);
  return b;
}

for (const engine of engines) {
  test.serial(`[${engine}] given a receiver fed garbage, a foreign payload type and a second sender, when it is open and after it closes, then the process-wide census lists it and keeps its drops`, async (t) => {
    const before = rtpHealth();
    let datagrams = 0;
    let seen: () => void = () => undefined;
    const receiver = await RtpReceiver.open({ host: '127.0.0.1', codec: 'ulaw', engine, statsEveryMs: 0, onAudio: () => undefined, onStats: (s) => { datagrams = s.datagrams; seen(); } });
    const a = dgram.createSocket('udp4');
    const b = dgram.createSocket('udp4');
    const send = (socket: dgram.Socket, d: Buffer) => new Promise<void>((res, rej) => socket.send(d, receiver.port, '127.0.0.1', (e) => (e ? rej(e) : res())));
    t.teardown(() => { a.close(); b.close(); });
    t.true(liveRtpLegs().some((l) => l.port === receiver.port && l.engine === engine), 'the open receiver is listed');
    await send(a, rtp(1, 0));  // latches sender a
    await send(a, Buffer.from('not rtp at all'));
    await send(a, rtp(2, 96));
    await send(b, rtp(3, 0));  // foreign source
    await new Promise<void>((resolve) => { seen = () => datagrams >= 4 && resolve(); seen(); });
    const open = rtpHealth();
    t.is(open.legs, before.legs + 1);
    t.is(open.droppedForeignSource - before.droppedForeignSource, 1);
    t.is(open.droppedPayloadType - before.droppedPayloadType, 1);
    t.is(open.droppedMalformed - before.droppedMalformed, 1);
    await receiver.close();
    const after = rtpHealth();
    t.is(after.legs, before.legs);
    t.is(after.closedLegs, before.closedLegs + 1);
    t.is(after.droppedForeignSource - before.droppedForeignSource, 1, 'a closed receiver\'s drops stay counted');
    t.is(after.datagrams - before.datagrams, 4);
    t.false(liveRtpLegs().some((l) => l.port === receiver.port));
    t.is(recentlyClosedRtpLegs().at(-1)?.stats.droppedForeignSource, 1, 'the closed leg\'s final counters are kept');
  });
}
