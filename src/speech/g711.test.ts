import test from 'ava';
import { decodeG711, encodeG711 } from './dsp.ts';

// Literal transcription of the ITU-T G.191 STL reference (g711.c: ulaw_compress, ulaw_expand,
// alaw_compress, alaw_expand). The addon is written differently (tables, segment search), so
// agreement on every input is a real check.
function refUlawCompress(lin: number): number {
  let absno = lin < 0 ? ((~lin) >> 2) + 33 : (lin >> 2) + 33;
  if (absno > 0x1fff) absno = 0x1fff;
  let segno = 1;
  for (let i = absno >> 6; i !== 0; i >>= 1) segno++;
  const high = 0x08 - segno;
  const low = 0x0f - ((absno >> segno) & 0x0f);
  let log = (high << 4) | low;
  if (lin >= 0) log |= 0x80;
  return log;
}
function refUlawExpand(log: number): number {
  const sign = log < 0x80 ? -1 : 1;
  let mantissa = ~log;
  const exponent = (mantissa >> 4) & 0x07;
  const segment = exponent + 1;
  mantissa &= 0x0f;
  const step = 4 << segment;
  return sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33);
}
function refAlawCompress(lin: number): number {
  let ix = lin < 0 ? (~lin) >> 4 : lin >> 4;
  if (ix > 15) {
    let iexp = 1;
    while (ix > 16 + 15) { ix >>= 1; iexp++; }
    ix -= 16;
    ix += iexp << 4;
  }
  if (lin >= 0) ix |= 0x80;
  return ix ^ 0x55;
}
function refAlawExpand(log: number): number {
  let ix = log ^ 0x55;
  ix &= 0x7f;
  const iexp = ix >> 4;
  let mant = ix & 0x0f;
  if (iexp > 0) mant += 16;
  mant = (mant << 4) + 0x08;
  if (iexp > 1) mant <<= iexp - 1;
  return log > 127 ? mant : -mant;
}

const allCodes = Uint8Array.from({ length: 256 }, (_, i) => i);
const allLinear = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);

for (const [law, expand, compress] of [
  ['ulaw', refUlawExpand, refUlawCompress],
  ['alaw', refAlawExpand, refAlawCompress],
] as const) {
  test(`given all 256 ${law} codes, when decoded, then each equals the G.191 reference value`, (t) => {
    const got = decodeG711(law, allCodes);
    const wrong = [...allCodes].filter((c) => got[c] !== expand(c));
    t.deepEqual(wrong, []);
  });

  test(`given all 65536 linear values, when ${law}-encoded, then each code equals the G.191 reference`, (t) => {
    const got = encodeG711(law, allLinear);
    const wrong = [...allLinear].filter((x, i) => got[i] !== compress(x));
    t.deepEqual(wrong.slice(0, 10), []);
  });

  test(`given any ${law} code, when decoded and encoded again, then the code comes back`, (t) => {
    const again = encodeG711(law, decodeG711(law, allCodes));
    // µ-law has two zeros (0x7F = -0, 0xFF = +0); both decode to 0, which encodes as 0xFF.
    const changed = [...allCodes].filter((c) => again[c] !== c);
    t.deepEqual(changed, law === 'ulaw' ? [0x7f] : []);
  });
}

test('given known G.711 values, when decoded, then they match the standard', (t) => {
  t.deepEqual([...decodeG711('ulaw', Uint8Array.of(0xff, 0x80, 0x00, 0x7f))], [0, 32124, -32124, 0]);
  t.deepEqual([...decodeG711('alaw', Uint8Array.of(0xd5, 0x55, 0xaa, 0x2a))], [8, -8, 32256, -32256]);
});

test('given a sweep of linear values, when encoded and decoded, then the relative error stays under 4 % (log companding)', (t) => {
  for (const law of ['ulaw', 'alaw'] as const) {
    const back = decodeG711(law, encodeG711(law, allLinear));
    let worstRel = 0;
    for (let i = 0; i < allLinear.length; i++) {
      const x = allLinear[i]!;
      const err = Math.abs(x - back[i]!);
      if (Math.abs(x) > 1024) worstRel = Math.max(worstRel, err / Math.abs(x));
    }
    // Log companding: relative error above the linear segments is bounded by about 1/30 (half a step of 16 per segment).
    t.true(worstRel < 0.04, `${law} worst relative error ${worstRel}`);
  }
});

test('given a wrong argument type, when encoding, then a BAD_ARG SpeechError is thrown', (t) => {
  t.throws(() => encodeG711('ulaw', new Uint8Array(4) as unknown as Int16Array), { code: 'DESKLINE_NATIVE_BAD_ARG' });
  t.throws(() => decodeG711('mulaw' as 'ulaw', new Uint8Array(4)), { code: 'DESKLINE_NATIVE_BAD_ARG' });
});
