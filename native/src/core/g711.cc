#include "g711.h"

namespace deskline::g711 {
namespace {

// Segment number 0..7 of a biased magnitude: position of its highest set bit above bit `base`.
inline int SegmentOf(int magnitude, int base) {
  int segment = 0;
  for (int v = magnitude >> base; v > 1 && segment < 7; v >>= 1) segment++;
  return segment;
}

// Decode tables, filled once from the G.711 expansion formulas.
struct Tables {
  int16_t ulaw[256];
  int16_t alaw[256];
  Tables() {
    for (int code = 0; code < 256; code++) {
      // µ-law: invert bits, 3-bit exponent, 4-bit mantissa, bias 33 (scaled by 4 to 16 bits).
      const int inverted = ~code & 0xFF;
      const int exponent = (inverted >> 4) & 0x07;
      const int mantissa = inverted & 0x0F;
      const int magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
      ulaw[code] = static_cast<int16_t>((code & 0x80) ? magnitude : -magnitude);
      // A-law: even bits inverted, linear segment 0, mid-riser reconstruction.
      const int toggled = (code ^ 0x55) & 0x7F;
      const int aexp = toggled >> 4;
      int amant = toggled & 0x0F;
      int value = aexp == 0 ? (amant << 4) + 8 : ((amant + 16) << 4) + 8;
      if (aexp > 1) value <<= (aexp - 1);
      alaw[code] = static_cast<int16_t>((code & 0x80) ? value : -value);
    }
  }
};

const Tables& tables() {
  static const Tables instance;
  return instance;
}

}  // namespace

uint8_t LinearToUlaw(int16_t sample) {
  // G.191 takes the one's complement of negative samples, then works on 14 bits.
  const bool negative = sample < 0;
  int magnitude = ((negative ? ~sample : sample) >> 2) + 0x21;  // bias 33
  if (magnitude > 0x1FFF) magnitude = 0x1FFF;
  const int segment = SegmentOf(magnitude, 5);
  const int mantissa = (magnitude >> (segment + 1)) & 0x0F;
  const int code = ((segment << 4) | mantissa) ^ 0x7F;
  return static_cast<uint8_t>(negative ? code : (code | 0x80));
}

int16_t UlawToLinear(uint8_t code) { return tables().ulaw[code]; }

uint8_t LinearToAlaw(int16_t sample) {
  const bool negative = sample < 0;
  const int magnitude = (negative ? ~sample : sample) >> 4;  // 12-bit magnitude
  int code = magnitude;  // segments 0 and 1: the magnitude itself is the code
  if (magnitude >= 32) {
    const int exponent = SegmentOf(magnitude, 4) + 1;  // 2..7
    code = (exponent << 4) | ((magnitude >> (exponent - 1)) & 0x0F);
  }
  if (!negative) code |= 0x80;
  return static_cast<uint8_t>(code ^ 0x55);
}

int16_t AlawToLinear(uint8_t code) { return tables().alaw[code]; }

void DecodeUlaw(const uint8_t* in, size_t n, int16_t* out) {
  const int16_t* t = tables().ulaw;
  for (size_t i = 0; i < n; i++) out[i] = t[in[i]];
}
void DecodeAlaw(const uint8_t* in, size_t n, int16_t* out) {
  const int16_t* t = tables().alaw;
  for (size_t i = 0; i < n; i++) out[i] = t[in[i]];
}
void EncodeUlaw(const int16_t* in, size_t n, uint8_t* out) {
  for (size_t i = 0; i < n; i++) out[i] = LinearToUlaw(in[i]);
}
void EncodeAlaw(const int16_t* in, size_t n, uint8_t* out) {
  for (size_t i = 0; i < n; i++) out[i] = LinearToAlaw(in[i]);
}

}  // namespace deskline::g711
