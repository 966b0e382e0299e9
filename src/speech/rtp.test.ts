import test from 'ava';
import { RtpDepacketizer, decodeG711, encodeG711 } from './dsp.ts';
import { tone } from './testing/audio-fixtures.ts';

const PTIME = 160;  // 20 ms of 8 kHz µ-law

function packet(seq: number, ts: number, payload: Uint8Array, opts: { pt?: number; ssrc?: number; csrc?: number; ext?: number; pad?: number } = {}): Buffer {
  const csrc = opts.csrc ?? 0;
  const extWords = opts.ext;
  const pad = opts.pad ?? 0;
  const head = 12 + 4 * csrc + (extWords === undefined ? 0 : 4 + 4 * extWords);
  const b = Buffer.alloc(head + payload.length + pad);
  b[0] = 0x80 | (pad ? 0x20 : 0) | (extWords === undefined ? 0 : 0x10) | csrc;
  b[1] = opts.pt ?? 0;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(opts.ssrc ?? 0x1234, 8);
  if (extWords !== undefined) b.writeUInt16BE(extWords, 12 + 4 * csrc + 2);
  b.set(payload, head);
  if (pad) b[b.length - 1] = pad;
  return b;
}

/** A µ-law stream of n packets carrying a tone, and the PCM it should decode to. */
function stream(n: number, firstSeq = 1000, firstTs = 5000) {
  const codes = encodeG711('ulaw', tone(700, (n * PTIME) / 8, 8000, 9000));
  const packets = Array.from({ length: n }, (_, i) => packet(firstSeq + i, firstTs + i * PTIME, codes.subarray(i * PTIME, (i + 1) * PTIME)));
  return { packets, pcm: decodeG711('ulaw', codes) };
}

function feed(d: RtpDepacketizer, packets: Uint8Array[]): Int16Array {
  const out: number[] = [];
  for (const p of packets) out.push(...d.push(p));
  out.push(...d.flush());
  return Int16Array.from(out);
}

test('given packets in order, when depacketized, then the decoded PCM is the original', (t) => {
  const { packets, pcm } = stream(20);
  const d = new RtpDepacketizer({ payloadType: 0, codec: 'pcmu', depth: 3 });
  t.deepEqual(feed(d, packets), pcm);
  t.like(d.stats(), { received: 20, released: 20, lost: 0, reordered: 0 });
});

test('given packets swapped within the buffer depth, when depacketized, then the PCM is the same as in order', (t) => {
  const { packets, pcm } = stream(20);
  const shuffled = [...packets];
  for (const i of [2, 7, 12]) [shuffled[i], shuffled[i + 2]] = [shuffled[i + 2]!, shuffled[i]!];
  const d = new RtpDepacketizer({ payloadType: 0, codec: 'pcmu', depth: 3 });
  t.deepEqual(feed(d, shuffled), pcm);
  t.is(d.stats().lost, 0);
  t.true(d.stats().reordered >= 3);
});

test('given a lost packet, when depacketized, then exactly one packet of silence takes its place', (t) => {
  const { packets, pcm } = stream(20);
  const d = new RtpDepacketizer({ payloadType: 0, codec: 'pcmu', depth: 2 });
  const out = feed(d, packets.filter((_, i) => i !== 5));
  const expected = pcm.slice();
  expected.fill(0, 5 * PTIME, 6 * PTIME);
  t.deepEqual(out, expected);
  t.like(d.stats(), { lost: 1, concealedSamples: PTIME });
});

test('given a packet arriving after its slot was concealed, when depacketized, then it is dropped as late', (t) => {
  const { packets } = stream(10);
  const d = new RtpDepacketizer({ payloadType: 0, codec: 'pcmu', depth: 1 });
  const order = [0, 1, 3, 4, 5, 2, 6, 7, 8, 9].map((i) => packets[i]!);
  const out = feed(d, order);
  t.is(out.length, 10 * PTIME);
  t.like(d.stats(), { lost: 1, droppedLate: 1 });
});

test('given duplicates, foreign payload types and oversized datagrams, when depacketized, then each is dropped and counted', (t) => {
  const { packets, pcm } = stream(6);
  const d = new RtpDepacketizer({ payloadType: 0, codec: 'pcmu', depth: 3, maxPacketBytes: 400 });
  const [p0, p1, p2, ...rest] = packets as [Buffer, Buffer, Buffer, ...Buffer[]];
  const noise = [p2, packet(3, 3, new Uint8Array(160), { pt: 101 }), Buffer.alloc(900, 0x80)];
  t.deepEqual(feed(d, [p0, p2, ...noise, p1, ...rest, p0]), pcm);
  // p2 again while held: duplicate; p0 again after release: late.
  t.like(d.stats(), { droppedDuplicate: 1, droppedLate: 1, droppedPayloadType: 1, droppedOversize: 1 });
});

test('given sequence numbers wrapping past 65535, when depacketized, then order and timing carry on', (t) => {
  const { packets, pcm } = stream(12, 65530, 0xffffff00);
  const d = new RtpDepacketizer({ payloadType: 0, codec: 'pcmu' });
  t.deepEqual(feed(d, packets), pcm);
  t.like(d.stats(), { lost: 0, restarts: 0, droppedLate: 0 });
});

test('given CSRCs, a header extension and padding, when depacketized, then only the payload is decoded', (t) => {
  const codes = encodeG711('ulaw', tone(500, 20, 8000));
  const d = new RtpDepacketizer({ payloadType: 0, codec: 'pcmu', depth: 0 });
  const out = d.push(packet(1, 0, codes, { csrc: 2, ext: 1, pad: 3 }));
  t.deepEqual(out, decodeG711('ulaw', codes));
});

test('given L16 payload (network byte order), when depacketized, then samples come out in host order', (t) => {
  const samples = Int16Array.of(1, -2, 300, -32768, 32767);
  const payload = Buffer.alloc(10);
  samples.forEach((s, i) => payload.writeInt16BE(s, 2 * i));
  const d = new RtpDepacketizer({ payloadType: 118, codec: 'l16', depth: 0 });
  t.deepEqual(d.push(packet(9, 0, payload, { pt: 118 })), samples);
});

test('given 30000 random and mutated datagrams, when depacketized, then nothing throws and every datagram is accounted for', (t) => {
  let seed = 42;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const { packets } = stream(50);
  const d = new RtpDepacketizer({ payloadType: 0, codec: 'pcmu', depth: 4 });
  let samples = 0;
  for (let i = 0; i < 30000; i++) {
    let b: Buffer;
    if (rand() < 0.5) {
      b = Buffer.from(Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256)));
    } else {
      b = Buffer.from(packets[Math.floor(rand() * packets.length)]!);
      for (let k = Math.floor(rand() * 4); k > 0; k--) b[Math.floor(rand() * 12)] = Math.floor(rand() * 256);
      if (rand() < 0.2) b = b.subarray(0, Math.floor(rand() * b.length));
    }
    samples += d.push(b).length;
  }
  samples += d.flush().length;
  const s = d.stats();
  const dropped = s.droppedMalformed + s.droppedOversize + s.droppedPayloadType + s.droppedLate + s.droppedDuplicate;
  t.is(s.received, 30000);
  t.is(s.released + dropped, 30000);
  t.true(samples >= s.released);  // payload plus bounded concealment
  t.true(s.droppedMalformed > 10000, `malformed ${s.droppedMalformed}`);
});

test('given bad options, when a depacketizer is made, then BAD_ARG', (t) => {
  t.throws(() => new RtpDepacketizer({ payloadType: 200, codec: 'pcmu' }), { code: 'DESKLINE_NATIVE_BAD_ARG' });
  t.throws(() => new RtpDepacketizer({ payloadType: 0, codec: 'opus' as 'pcmu' }), { code: 'DESKLINE_NATIVE_BAD_ARG' });
});
