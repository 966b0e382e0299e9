#include "resampler.h"

#include <algorithm>
#include <cmath>

namespace deskline {
namespace {

double BesselI0(double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 50; k++) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

std::vector<double> Design() {
  // Kaiser design: transition width = (A - 8) / (2.285 * 2 pi * (N - 1)) = 0.0285 of 16 kHz
  // = 456 Hz for A = 60 dB. Centred at 3.7 kHz it spans 3.47-3.93 kHz, so the telephone band
  // (to 3.4 kHz) is flat and everything from 3.93 kHz on is down by about 60 dB.
  const double cutoff = 3700.0 / 16000.0;  // cycles per output sample
  const double beta = 5.653;               // Kaiser beta for 60 dB
  const int n = Upsampler2x::kTaps;
  const double center = (n - 1) / 2.0;
  std::vector<double> h(n);
  double sum = 0;
  for (int i = 0; i < n; i++) {
    const double t = i - center;
    const double sinc = 2.0 * cutoff * (t == 0 ? 1.0 : std::sin(2 * M_PI * cutoff * t) / (2 * M_PI * cutoff * t));
    const double r = t / center;
    const double window = BesselI0(beta * std::sqrt(std::max(0.0, 1.0 - r * r))) / BesselI0(beta);
    h[i] = sinc * window;
    sum += h[i];
  }
  for (double& v : h) v *= 2.0 / sum;  // gain 2 makes up for the inserted zeros
  return h;
}

}  // namespace

const std::vector<double>& Upsampler2x::Prototype() {
  static const std::vector<double> h = Design();
  return h;
}

Upsampler2x::Upsampler2x() : phase0_(kHalf), phase1_(kHalf), history_(kHalf, 0.0f) {
  const auto& h = Prototype();
  // Output y[2m+p] = sum_k h[2k+p] * x[m-k]; store each phase reversed so the inner loop
  // walks the history forwards.
  for (int k = 0; k < kHalf; k++) {
    phase0_[kHalf - 1 - k] = static_cast<float>(h[2 * k]);
    phase1_[kHalf - 1 - k] = static_cast<float>(h[2 * k + 1]);
  }
}

void Upsampler2x::Reset() { std::fill(history_.begin(), history_.end(), 0.0f); }

void Upsampler2x::Process(const int16_t* in, size_t n, int16_t* out) {
  history_.resize(kHalf + n);
  for (size_t i = 0; i < n; i++) history_[kHalf + i] = in[i];
  auto clamp = [](float v) -> int16_t {
    const float r = std::nearbyint(v);
    return static_cast<int16_t>(r > 32767.f ? 32767.f : (r < -32768.f ? -32768.f : r));
  };
  for (size_t m = 0; m < n; m++) {
    // Window ends at input sample m (history index kHalf + m), covering kHalf samples.
    const float* x = &history_[m + 1];
    float a = 0, b = 0;
    for (int k = 0; k < kHalf; k++) {
      a += phase0_[k] * x[k];
      b += phase1_[k] * x[k];
    }
    out[2 * m] = clamp(a);
    out[2 * m + 1] = clamp(b);
  }
  // Keep the last kHalf samples for the next call.
  std::copy(history_.end() - kHalf, history_.end(), history_.begin());
  history_.resize(kHalf);
}

}  // namespace deskline
