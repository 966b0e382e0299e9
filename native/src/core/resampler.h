// 8 kHz -> 16 kHz upsampler: zero-stuffing by 2 followed by a linear-phase Kaiser-windowed
// sinc low-pass (anti-imaging filter), run as a 2-phase polyphase filter. Streaming: state
// carries over between Process() calls, so chunk boundaries do not change the output.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace deskline {

class Upsampler2x {
 public:
  // kTaps: total prototype length (even). 128 taps at 16 kHz: passband 0-3.4 kHz flat,
  // stopband from 3.93 kHz down by about 60 dB, group delay 63.5 output samples (~4 ms).
  static constexpr int kTaps = 128;
  Upsampler2x();

  // Writes 2*n samples to out. Thread: caller's (cheap, O(n * kTaps)).
  void Process(const int16_t* in, size_t n, int16_t* out);
  void Reset();
  // The prototype filter (gain 2 at DC), for tests of the frequency response.
  static const std::vector<double>& Prototype();

 private:
  static constexpr int kHalf = kTaps / 2;
  std::vector<float> phase0_;  // h[0], h[2], ...
  std::vector<float> phase1_;  // h[1], h[3], ...
  std::vector<float> history_; // last kHalf input samples, oldest first, then the new block
};

}  // namespace deskline
