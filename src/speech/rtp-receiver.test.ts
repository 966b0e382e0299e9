import test from 'ava';
import dgram from 'node:dgram';
import { RtpReceiver, nativeRtpAvailable, type RtpEngine, type RtpReceiverOptions, type RtpReceiverStats } from './rtp-receiver.ts';
import { Upsampler8to16, decodeG711, encodeG711 } from './dsp.ts';
import { concat, noise, tone } from './testing/audio-fixtures.ts';

const PTIME = 160;  // 20 ms at 8 kHz

function packet(seq: number, ts: number, payload: Uint8Array, pt = 0, ssrc = 0x1234): Buffer {
  const b = Buffer.alloc(12 + payload.length);
  b[0] = 0x80;
  b[1] = pt;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc, 8);
  b.set(payload, 12);
  return b;
}

/** n packets of µ-law tone and the 16 kHz PCM a receiver must produce from them. */
function ulawStream(n: number, options: { lost?: number[]; pt?: number; ssrc?: number; hz?: number } = {}) {
  const codes = encodeG711('ulaw', tone(options.hz ?? 700, (n * PTIME) / 8, 8000, 9000));
  const packets = Array.from({ length: n }, (_, i) => packet(4000 + i, 800 + i * PTIME, codes.subarray(i * PTIME, (i + 1) * PTIME), options.pt ?? 0, options.ssrc));
  const pcm8 = decodeG711('ulaw', codes);
  for (const i of options.lost ?? []) pcm8.fill(0, i * PTIME, (i + 1) * PTIME);
  return { packets, expected16k: new Upsampler8to16().process(pcm8) };
}

/** A receiver on loopback with a frozen, scripted clock, plus a sender socket. */
async function harness(t: { teardown(fn: () => unknown): void }, engine: RtpEngine, options: Partial<RtpReceiverOptions> = {}) {
  const chunks: Int16Array[] = [];
  let stats: RtpReceiverStats | undefined;
  const waiters: { n: number; resolve: () => void }[] = [];
  const clock = { ms: 1000 };
  const receiver = await RtpReceiver.open({
    host: '127.0.0.1', codec: 'ulaw', now: () => clock.ms, statsEveryMs: 0, engine, ...options,
    onAudio: options.onAudio ?? ((a) => chunks.push(a)),
    onStats: (s) => {
      stats = s;
      for (const w of waiters.filter((w) => s.datagrams >= w.n)) w.resolve();
    },
  });
  const sender = dgram.createSocket('udp4');
  t.teardown(async () => {
    sender.close();
    await receiver.close();
  });
  const send = (datagrams: Uint8Array[], from = sender) =>
    datagrams.reduce<Promise<void>>((p, d) => p.then(() => new Promise((res, rej) => from.send(d, receiver.port, '127.0.0.1', (e) => (e ? rej(e) : res())))), Promise.resolve());
  /** Resolves once the receiver has seen n datagrams in all (a real event, no timer). */
  const seen = (n: number) => new Promise<void>((resolve) => (stats && stats.datagrams >= n ? resolve() : waiters.push({ n, resolve })));
  /** Moves the injected clock (the native engine's thread learns it through syncClock). */
  const advance = (ms: number) => {
    clock.ms += ms;
    receiver.syncClock();
  };
  return { receiver, sender, send, seen, advance, audio: () => concat(...chunks) };
}

const engines: RtpEngine[] = nativeRtpAvailable() ? ['native', 'js'] : ['js'];

for (const engine of engines) {
  test(`${engine}: given µ-law packets in order, when received over UDP and closed, then the 16 kHz audio is the decoded, upsampled stream`, async (t) => {
    const h = await harness(t, engine);
    const { packets, expected16k } = ulawStream(50);
    await h.send(packets);
    await h.seen(50);
    await h.receiver.close();
    t.deepEqual(h.audio(), expected16k);
    t.like(h.receiver.stats(), { datagrams: 50, bytes: 50 * 172, received: 50, released: 50, lost: 0, samplesOut: 50 * 320, lastPacketAt: 1000 });
    t.regex(h.receiver.source ?? '', /^127\.0\.0\.1:\d+$/);
  });

  test(`${engine}: given reordered packets and one lost, when received, then order is restored and the gap is one packet of silence`, async (t) => {
    const h = await harness(t, engine, { reorderDepth: 3 });
    const { packets } = ulawStream(40);
    const { expected16k } = ulawStream(40, { lost: [20] });
    const order = packets.map((_, i) => i).filter((i) => i !== 20);
    for (const i of [5, 14, 30]) [order[i], order[i + 2]] = [order[i + 2]!, order[i]!];
    await h.send(order.map((i) => packets[i]!));
    await h.seen(39);
    await h.receiver.close();
    t.deepEqual(h.audio(), expected16k);
    const s = h.receiver.stats();
    t.like(s, { lost: 1, concealedSamples: PTIME });
    t.true(s.reordered >= 3, String(s.reordered));
  });

  test(`${engine}: given slin16 (payload type 118, big-endian L16), when received, then the samples come through unchanged at 16 kHz`, async (t) => {
    const h = await harness(t, engine, { codec: 'slin16' });
    const pcm = concat(tone(440, 200, 16000, 12000), noise(200, 16000, 3000));
    const packets = Array.from({ length: pcm.length / 320 }, (_, i) => {
      const payload = Buffer.alloc(640);
      for (let k = 0; k < 320; k++) payload.writeInt16BE(pcm[i * 320 + k]!, 2 * k);
      return packet(65530 + i, i * 320, payload, 118);  // wraps past 65535 on the way
    });
    await h.send([...packets, packet(1, 1, Buffer.alloc(640), 0)]);  // a µ-law PT on a slin16 leg
    await h.seen(packets.length + 1);
    await h.receiver.close();
    t.deepEqual(h.audio(), pcm);
    t.like(h.receiver.stats(), { droppedPayloadType: 1, lost: 0 });
  });

  test(`${engine}: given garbage, oversized, empty and foreign-payload datagrams among a stream, when received, then each is dropped and counted and the audio is untouched`, async (t) => {
    const h = await harness(t, engine);
    const { packets, expected16k } = ulawStream(30);
    const junk = [
      Buffer.from('hello, not rtp at all'), Buffer.alloc(0), Buffer.alloc(3000, 0x80),
      packet(9, 9, Buffer.alloc(160), 101), packet(10, 10, Buffer.alloc(0)),
      Buffer.from([0x81, 0xc8, 0, 6, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),  // RTCP sender report
    ];
    const mixed = packets.flatMap((p, i) => (i % 5 === 0 ? [p, junk[i / 5]!] : [p]));
    await h.send(mixed);
    await h.seen(mixed.length);
    await h.receiver.close();
    t.deepEqual(h.audio(), expected16k);
    const s = h.receiver.stats();
    t.is(s.datagrams, 36);
    t.is(s.droppedMalformed + s.droppedOversize + s.droppedPayloadType, 6);
    t.like(s, { droppedOversize: 1, released: 30, lost: 0 });
  });

  test(`${engine}: given a second sender with valid RTP for the same payload type, when it interleaves, then only the first sender is heard`, async (t) => {
    const h = await harness(t, engine);
    const intruder = dgram.createSocket('udp4');
    t.teardown(() => intruder.close());
    const real = ulawStream(20);
    const fake = ulawStream(20, { ssrc: 0x9999, hz: 1500 });
    for (let i = 0; i < 20; i++) {
      await h.send([real.packets[i]!]);
      await h.send([fake.packets[i]!], intruder);
    }
    await h.seen(40);
    await h.receiver.close();
    t.deepEqual(h.audio(), real.expected16k);
    t.like(h.receiver.stats(), { droppedForeignSource: 20, ssrcChanges: 0 });
  });

  test(`${engine}: given a flood while the clock stands still, when the bucket is empty, then datagrams are dropped and counted until time refills it`, async (t) => {
    const h = await harness(t, engine, { burstDatagrams: 40, maxDatagramsPerSecond: 50 });
    const { packets } = ulawStream(150);
    await h.send(packets.slice(0, 100));
    await h.seen(100);
    t.like(h.receiver.stats(), { droppedRateLimited: 60, received: 40 });
    h.advance(200);  // 10 tokens at 50/s
    await h.send(packets.slice(100, 150));
    await h.seen(150);
    t.like(h.receiver.stats(), { droppedRateLimited: 100, received: 50 });
  });

  test(`${engine}: given a foreign flood on a latched port, when it uses up its own budget, then the real sender's audio still gets through`, async (t) => {
    const h = await harness(t, engine, { burstDatagrams: 40, maxDatagramsPerSecond: 50 });
    const intruder = dgram.createSocket('udp4');
    t.teardown(() => intruder.close());
    const real = ulawStream(30);
    const junk = ulawStream(200, { ssrc: 0x9999, hz: 1500 });
    await h.send(real.packets.slice(0, 5));  // latches the real sender
    await h.seen(5);
    await h.send(junk.packets, intruder);  // the clock stands still: only the foreign bucket's 40 are looked at
    await h.seen(205);
    await h.send(real.packets.slice(5, 30));
    await h.seen(230);
    await h.receiver.close();
    t.deepEqual(h.audio(), real.expected16k, 'every real packet heard');
    t.like(h.receiver.stats(), { droppedForeignSource: 40, droppedRateLimited: 160, received: 30 });
  });

  test(`${engine}: given an onAudio that throws, when packets arrive, then the error is counted and reception goes on`, async (t) => {
    const errors: unknown[] = [];
    let calls = 0;
    const h = await harness(t, engine, { onAudio: () => { calls++; throw new Error('consumer bug'); }, onConsumerError: (e) => errors.push(e), reorderDepth: 0 });
    await h.send(ulawStream(10).packets);
    await h.seen(10);
    // js: one onAudio call per packet; native: one per batch.
    t.like(h.receiver.stats(), { consumerErrors: calls, released: 10, samplesOut: 10 * 320 });
    t.is(errors.length, calls);
    t.true(engine === 'native' ? calls >= 1 : calls === 10, String(calls));
  });

  test(`${engine}: given bad options or a port in use, when opened, then it fails clearly; close is idempotent`, async (t) => {
    const base = { host: '127.0.0.1' as const, codec: 'ulaw' as const, onAudio: () => undefined, engine };
    await t.throwsAsync(RtpReceiver.open({ ...base, host: '0.0.0.0' as '127.0.0.1' }), { code: 'DESKLINE_NATIVE_BAD_ARG' });
    await t.throwsAsync(RtpReceiver.open({ ...base, codec: 'g722' as 'ulaw' }), { code: 'DESKLINE_NATIVE_BAD_ARG' });
    await t.throwsAsync(RtpReceiver.open({ ...base, payloadType: 200 }), { code: 'DESKLINE_NATIVE_BAD_ARG' });
    const first = await RtpReceiver.open(base);
    t.true(first.port > 0);
    await t.throwsAsync(RtpReceiver.open({ ...base, port: first.port }), { code: 'EADDRINUSE' });
    await Promise.all([first.close(), first.close()]);
    const again = await RtpReceiver.open({ ...base, port: first.port });
    t.is(again.port, first.port);
    await again.close();
  });
}
