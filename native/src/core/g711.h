// G.711 µ-law and A-law, bit-exact with the ITU-T G.191 reference implementation (g711.c):
// linear samples are 16-bit two's complement, left-justified as in G.191.
#pragma once
#include <cstddef>
#include <cstdint>

namespace deskline::g711 {

uint8_t LinearToUlaw(int16_t sample);
int16_t UlawToLinear(uint8_t code);
uint8_t LinearToAlaw(int16_t sample);
int16_t AlawToLinear(uint8_t code);

void DecodeUlaw(const uint8_t* in, size_t n, int16_t* out);
void DecodeAlaw(const uint8_t* in, size_t n, int16_t* out);
void EncodeUlaw(const int16_t* in, size_t n, uint8_t* out);
void EncodeAlaw(const int16_t* in, size_t n, uint8_t* out);

// Code words that decode to (near) silence, used for loss concealment.
inline constexpr uint8_t kUlawSilence = 0xFF;
inline constexpr uint8_t kAlawSilence = 0xD5;

}  // namespace deskline::g711
