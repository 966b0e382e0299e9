// Energy-based voice activity detector for endpointing caller turns. Frames of frameMs; a frame
// is speech when its level is marginDb above a tracked noise floor and above minDb (dBFS).
// Speech starts after startMs of consecutive speech frames (the event is back-dated to the
// first of them) and ends after hangoverMs without speech (the event points at the end of the
// last speech frame). maxUtteranceMs forces an end so a stuck channel cannot hold a turn open.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace deskline {

struct VadConfig {
  int sampleRate = 16000;
  int frameMs = 10;
  double marginDb = 12.0;
  double minDb = -50.0;
  int startMs = 60;
  int hangoverMs = 500;
  int maxUtteranceMs = 30000;
  double floorRiseDbPerSec = 3.0;  // how fast the noise floor may climb in non-speech
};

struct VadEvent {
  enum Kind { kStart, kEnd } kind;
  int64_t sample;   // position in the stream, in samples
  double levelDb;   // frame level that triggered the event
};

class Vad {
 public:
  explicit Vad(const VadConfig& config);  // throws NativeError(kBadArg) on a bad config
  // Thread: caller's (cheap). Appends events found in this block.
  void Process(const int16_t* in, size_t n, std::vector<VadEvent>* events);
  bool InSpeech() const { return in_speech_; }
  double NoiseFloorDb() const { return floor_db_; }
  int64_t SamplesSeen() const { return samples_seen_; }

 private:
  void Frame(double level_db, std::vector<VadEvent>* events);
  VadConfig config_;
  int frame_len_;
  std::vector<int16_t> pending_;
  int64_t samples_seen_ = 0;
  int64_t frame_index_ = 0;
  double floor_db_;
  bool in_speech_ = false;
  int speech_run_ = 0;      // consecutive speech frames while not in speech
  int silence_run_ = 0;     // consecutive non-speech frames while in speech
  int64_t utterance_frames_ = 0;
};

}  // namespace deskline
