#include "rtp.h"

#include "errors.h"
#include "g711.h"

namespace deskline {

bool ParseRtpHeader(const uint8_t* d, size_t length, RtpHeader* out) {
  if (length < 12 || (d[0] >> 6) != 2) return false;
  const bool padding = d[0] & 0x20;
  const bool extension = d[0] & 0x10;
  const size_t csrc_count = d[0] & 0x0F;
  size_t offset = 12 + 4 * csrc_count;
  if (offset > length) return false;
  if (extension) {
    if (offset + 4 > length) return false;
    const size_t words = (static_cast<size_t>(d[offset + 2]) << 8) | d[offset + 3];
    offset += 4 + 4 * words;
    if (offset > length) return false;
  }
  size_t end = length;
  if (padding) {
    const size_t pad = d[length - 1];
    if (pad == 0 || pad > end - offset) return false;
    end -= pad;
  }
  if (end <= offset) return false;  // no payload
  out->marker = d[1] & 0x80;
  out->payloadType = d[1] & 0x7F;
  out->sequence = static_cast<uint16_t>((d[2] << 8) | d[3]);
  out->timestamp = (static_cast<uint32_t>(d[4]) << 24) | (d[5] << 16) | (d[6] << 8) | d[7];
  out->ssrc = (static_cast<uint32_t>(d[8]) << 24) | (d[9] << 16) | (d[10] << 8) | d[11];
  out->payloadOffset = offset;
  out->payloadLength = end - offset;
  return true;
}

RtpDepacketizer::RtpDepacketizer(const RtpConfig& config) : config_(config) {
  if (config.payloadType < 0 || config.payloadType > 127 || config.depth < 0 ||
      config.depth > 64 || config.maxPacketBytes < 12 || config.maxPacketBytes > 65535 ||
      config.maxGapSamples < 0) {
    throw NativeError(codes::kBadArg, "bad RTP depacketizer configuration");
  }
}

size_t RtpDepacketizer::SamplesIn(size_t bytes) const {
  return config_.codec == RtpCodec::kL16 ? bytes / 2 : bytes;
}

void RtpDepacketizer::Push(const uint8_t* data, size_t length, std::vector<int16_t>* pcm) {
  stats_.received++;
  if (length > static_cast<size_t>(config_.maxPacketBytes)) {
    stats_.droppedOversize++;
    return;
  }
  RtpHeader h;
  if (!ParseRtpHeader(data, length, &h) ||
      (config_.codec == RtpCodec::kL16 && h.payloadLength % 2 != 0)) {
    stats_.droppedMalformed++;
    return;
  }
  if (h.payloadType != config_.payloadType) {
    stats_.droppedPayloadType++;
    return;
  }
  if (!have_ssrc_ || h.ssrc != ssrc_) {
    if (have_ssrc_) {  // a new source (re-INVITE, masquerade): finish the old one, start over
      stats_.ssrcChanges++;
      Drain(pcm, true);
    }
    have_ssrc_ = true;
    ssrc_ = h.ssrc;
    started_ = false;
  }
  int64_t ext;
  if (!started_) {
    started_ = true;
    ext = h.sequence;
    highest_ext_ = ext;
    next_ext_ = ext;
  } else {
    const int16_t delta = static_cast<int16_t>(h.sequence - static_cast<uint16_t>(highest_ext_));
    ext = highest_ext_ + delta;
    if (ext < next_ext_ - 1000 || ext > next_ext_ + 1000) {  // far jump: sender restarted
      stats_.restarts++;
      Drain(pcm, true);
      highest_ext_ = next_ext_ = ext;
    } else if (ext < next_ext_) {
      stats_.droppedLate++;
      return;
    }
  }
  if (held_.count(ext)) {
    stats_.droppedDuplicate++;
    return;
  }
  if (ext < highest_ext_) stats_.reordered++;
  if (ext > highest_ext_) highest_ext_ = ext;
  held_[ext] = Held{h.timestamp, std::vector<uint8_t>(data + h.payloadOffset,
                                                      data + h.payloadOffset + h.payloadLength)};
  Drain(pcm, false);
}

void RtpDepacketizer::Flush(std::vector<int16_t>* pcm) { Drain(pcm, true); }

void RtpDepacketizer::Drain(std::vector<int16_t>* pcm, bool all) {
  while (!held_.empty()) {
    auto first = held_.begin();
    const bool in_order = first->first == next_ext_;
    if (!in_order && !all && held_.size() <= static_cast<size_t>(config_.depth)) break;
    if (!in_order) stats_.lost += static_cast<uint64_t>(first->first - next_ext_);
    Release(first->first, first->second, pcm);
    held_.erase(first);
  }
}

void RtpDepacketizer::Release(int64_t ext, const Held& held, std::vector<int16_t>* pcm) {
  if (released_any_) {
    // Fill the timestamp gap since the previous packet with silence.
    const int32_t gap = static_cast<int32_t>(held.timestamp - next_timestamp_);
    if (gap > 0 && gap <= config_.maxGapSamples) {
      pcm->insert(pcm->end(), static_cast<size_t>(gap), 0);
      stats_.concealedSamples += static_cast<uint64_t>(gap);
    }
  }
  const size_t n = SamplesIn(held.payload.size());
  const size_t at = pcm->size();
  pcm->resize(at + n);
  const uint8_t* p = held.payload.data();
  switch (config_.codec) {
    case RtpCodec::kPcmu: g711::DecodeUlaw(p, n, pcm->data() + at); break;
    case RtpCodec::kPcma: g711::DecodeAlaw(p, n, pcm->data() + at); break;
    case RtpCodec::kL16:
      for (size_t i = 0; i < n; i++) {
        (*pcm)[at + i] = static_cast<int16_t>((p[2 * i] << 8) | p[2 * i + 1]);  // network order
      }
      break;
  }
  released_any_ = true;
  next_timestamp_ = held.timestamp + static_cast<uint32_t>(n);
  next_ext_ = ext + 1;
  stats_.released++;
}

}  // namespace deskline
