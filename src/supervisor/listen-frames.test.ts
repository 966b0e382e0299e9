import test from 'ava';
import { FRAME_BYTES, FRAME_SAMPLES, LISTEN_FORMAT, ListenFramer, toLittleEndian } from './listen-frames.ts';

const ramp = (from: number, n: number) => Int16Array.from({ length: n }, (_, i) => from + i);
const samplesOf = (frame: Uint8Array) => Array.from({ length: frame.length / 2 }, (_, i) => new DataView(frame.buffer, frame.byteOffset).getInt16(i * 2, true));

test('given the announced format, then a frame is 20 ms of 16 kHz mono 16-bit audio', (t) => {
  t.deepEqual(LISTEN_FORMAT, { type: 'format', format: 's16le', sampleRate: 16000, channels: 1, frameMs: 20 });
  t.is(FRAME_SAMPLES, 320);
  t.is(FRAME_BYTES, 640);
});

test('given samples, when converted, then they are little-endian whatever the host order, negatives included', (t) => {
  t.deepEqual([...toLittleEndian(Int16Array.from([1, -2, 0x1234, -32768, 32767]))], [0x01, 0x00, 0xfe, 0xff, 0x34, 0x12, 0x00, 0x80, 0xff, 0x7f]);
});

test('given chunks of odd sizes, when pushed, then whole 20 ms frames come out in order and the remainder waits for the next chunk', (t) => {
  const framer = new ListenFramer();
  const out: number[] = [];
  let next = 0;
  for (const size of [100, 7, 500, 320, 1, 952]) {  // 1880 samples: 5 frames and 280 left over
    const { frames, dropped } = framer.push(ramp(next, size), 0);
    next += size;
    t.is(dropped, 0);
    for (const f of frames) {
      t.is(f.length, FRAME_BYTES);
      out.push(...samplesOf(f));
    }
  }
  t.is(out.length, 5 * FRAME_SAMPLES);
  t.deepEqual(out, [...ramp(0, 5 * FRAME_SAMPLES)], 'no sample lost, duplicated or moved');
  const { frames } = framer.push(ramp(next, 40), 0);
  t.deepEqual(samplesOf(frames[0]!), [...ramp(5 * FRAME_SAMPLES, FRAME_SAMPLES)], 'the held remainder starts the next frame');
  t.deepEqual(framer.stats(), { framesOut: 6, framesDropped: 0 });
});

test('given a reader that falls behind, when the socket holds the allowed backlog, then new frames are dropped, and when it catches up they flow again', (t) => {
  const framer = new ListenFramer({ maxBufferedMs: 100 });  // 5 frames
  const full = framer.push(ramp(0, 8 * FRAME_SAMPLES), 0);
  t.is(full.frames.length, 5, 'up to the backlog from one big chunk');
  t.is(full.dropped, 3);
  const behind = framer.push(ramp(0, FRAME_SAMPLES), 5 * FRAME_BYTES);
  t.deepEqual([behind.frames.length, behind.dropped], [0, 1], 'nothing more while 100 ms still wait to be sent');
  const almost = framer.push(ramp(0, 2 * FRAME_SAMPLES), 4 * FRAME_BYTES);
  t.deepEqual([almost.frames.length, almost.dropped], [1, 1], 'one frame of room: one frame');
  const caughtUp = framer.push(ramp(0, 2 * FRAME_SAMPLES), 0);
  t.deepEqual([caughtUp.frames.length, caughtUp.dropped], [2, 0]);
  t.deepEqual(framer.stats(), { framesOut: 8, framesDropped: 5 });
});

test('given a backlog limit below one frame, then the framer refuses it (it could never send)', (t) => {
  t.throws(() => new ListenFramer({ maxBufferedMs: 10 }), { instanceOf: RangeError });
  t.throws(() => new ListenFramer({ maxBufferedMs: Number.NaN }), { instanceOf: RangeError });
});
