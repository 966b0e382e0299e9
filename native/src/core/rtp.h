// RTP depacketizer for one incoming audio stream (RFC 3550): parses the header, keeps one
// payload type, reorders through a small buffer of `depth` packets, conceals lost packets with
// silence (length from the RTP timestamps) and decodes G.711 / L16 to 16-bit linear PCM.
// Malformed, foreign, late and duplicate packets are dropped and counted; nothing throws on
// packet content.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace deskline {

enum class RtpCodec { kPcmu = 0, kPcma = 1, kL16 = 2 };

struct RtpConfig {
  int payloadType = 0;
  RtpCodec codec = RtpCodec::kPcmu;
  int depth = 4;              // packets held back for reordering
  int maxPacketBytes = 1500;  // larger datagrams are dropped as oversized
  int maxGapSamples = 16000;  // a longer timestamp gap is not filled (stream restart)
};

struct RtpStats {
  uint64_t received = 0, released = 0, lost = 0, reordered = 0, concealedSamples = 0;
  uint64_t droppedMalformed = 0, droppedOversize = 0, droppedPayloadType = 0;
  uint64_t droppedLate = 0, droppedDuplicate = 0, ssrcChanges = 0, restarts = 0;
};

struct RtpHeader {
  int payloadType;
  bool marker;
  uint16_t sequence;
  uint32_t timestamp;
  uint32_t ssrc;
  size_t payloadOffset;
  size_t payloadLength;
};

// Returns false for anything that is not a well-formed RTP v2 packet.
bool ParseRtpHeader(const uint8_t* data, size_t length, RtpHeader* out);

class RtpDepacketizer {
 public:
  explicit RtpDepacketizer(const RtpConfig& config);  // throws NativeError(kBadArg)
  // Thread: caller's (cheap). Appends PCM that became ready to `pcm`.
  void Push(const uint8_t* data, size_t length, std::vector<int16_t>* pcm);
  // Releases everything held, filling gaps. Thread: caller's.
  void Flush(std::vector<int16_t>* pcm);
  const RtpStats& Stats() const { return stats_; }

 private:
  struct Held {
    uint32_t timestamp;
    std::vector<uint8_t> payload;
  };
  void Release(int64_t ext, const Held& held, std::vector<int16_t>* pcm);
  void Drain(std::vector<int16_t>* pcm, bool all);
  size_t SamplesIn(size_t payload_bytes) const;

  RtpConfig config_;
  RtpStats stats_;
  bool have_ssrc_ = false;
  uint32_t ssrc_ = 0;
  bool started_ = false;
  int64_t highest_ext_ = 0;   // highest extended sequence number seen
  int64_t next_ext_ = 0;      // next extended sequence number to release
  bool released_any_ = false;
  uint32_t next_timestamp_ = 0;  // timestamp expected after the last released packet
  std::map<int64_t, Held> held_;
};

}  // namespace deskline
