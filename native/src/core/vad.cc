#include "vad.h"

#include <algorithm>
#include <cmath>

#include "errors.h"

namespace deskline {

Vad::Vad(const VadConfig& config) : config_(config) {
  if (config.sampleRate < 4000 || config.sampleRate > 48000 || config.frameMs < 5 ||
      config.frameMs > 100 || config.startMs < 0 || config.hangoverMs < 0 ||
      config.maxUtteranceMs < config.frameMs) {
    throw NativeError(codes::kBadArg, "bad VAD configuration");
  }
  frame_len_ = config.sampleRate * config.frameMs / 1000;
  floor_db_ = config.minDb - config.marginDb;
}

void Vad::Process(const int16_t* in, size_t n, std::vector<VadEvent>* events) {
  for (size_t i = 0; i < n; i++) {
    pending_.push_back(in[i]);
    if (static_cast<int>(pending_.size()) < frame_len_) continue;
    double energy = 0;
    for (int16_t s : pending_) energy += static_cast<double>(s) * s;
    energy /= frame_len_ * 32768.0 * 32768.0;
    pending_.clear();
    Frame(10.0 * std::log10(energy + 1e-12), events);
  }
  samples_seen_ += static_cast<int64_t>(n);
}

void Vad::Frame(double level_db, std::vector<VadEvent>* events) {
  const int64_t frame_start = frame_index_ * frame_len_;
  frame_index_++;
  const bool speech = level_db > floor_db_ + config_.marginDb && level_db > config_.minDb;
  const int start_frames = std::max(1, config_.startMs / config_.frameMs);
  const int hangover_frames = config_.hangoverMs / config_.frameMs;
  if (!in_speech_) {
    // Noise floor: follows quiet frames down at once, climbs slowly.
    if (level_db < floor_db_) {
      floor_db_ = level_db < config_.minDb - 40 ? config_.minDb - 40 : level_db;
    } else if (!speech) {
      floor_db_ += config_.floorRiseDbPerSec * config_.frameMs / 1000.0;
    }
    speech_run_ = speech ? speech_run_ + 1 : 0;
    if (speech_run_ >= start_frames) {
      in_speech_ = true;
      silence_run_ = 0;
      utterance_frames_ = speech_run_;
      const int64_t start = frame_start - static_cast<int64_t>(speech_run_ - 1) * frame_len_;
      events->push_back({VadEvent::kStart, start, level_db});
    }
    return;
  }
  utterance_frames_++;
  silence_run_ = speech ? 0 : silence_run_ + 1;
  const bool too_long = utterance_frames_ * config_.frameMs >= config_.maxUtteranceMs;
  if (silence_run_ > hangover_frames || too_long) {
    in_speech_ = false;
    speech_run_ = 0;
    // End of the last speech frame (frame_start + frame_len_ minus the silent frames).
    const int64_t end = frame_start + frame_len_ - static_cast<int64_t>(silence_run_) * frame_len_;
    events->push_back({VadEvent::kEnd, end, level_db});
    silence_run_ = 0;
  }
}

}  // namespace deskline
