// Batched RTP receive for many call legs on one background thread (pure C++, no napi.h).
//
// Each BatchedRtpReceiver owns a UDP socket bound to 127.0.0.1 and applies the checks the
// TypeScript receiver applies per datagram: token-bucket rate limit, latch on the first valid
// sender (address:port) and drop valid-looking RTP from any other, then the RtpDepacketizer
// (oversize, malformed, payload type, reorder, loss concealment) and, for G.711, Upsampler2x.
// All sockets are served by one process-wide thread. An idle leg's socket is watched with one-shot
// epoll; once a datagram arrives the leg is polled with recvmmsg every flushMs (on a grid shared
// by all legs with the same flushMs, so one wake of the thread serves them all) until its polls
// have found nothing for 200 ms. After each poll that read something the thread calls the leg's
// `wake` callback, and the owner collects the PCM with Take() on its own thread. A sample thus
// waits at most about flushMs in the kernel's socket buffer before it is decoded and handed over.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "resampler.h"
#include "rtp.h"

namespace deskline {

struct BatchedRtpConfig {
  RtpConfig rtp;
  bool upsample = true;        // G.711 at 8 kHz → 16 kHz; false for L16 (already 16 kHz)
  double ratePerSecond = 250;  // token bucket: sustained datagrams per second
  double burst = 250;          // and bucket size
  int flushMs = 60;            // poll period while datagrams arrive (0: as they arrive)
  int port = 0;                // 0: any free port
};

struct BatchedRtpStats {
  RtpStats rtp;
  uint64_t datagrams = 0, bytes = 0, droppedForeignSource = 0, droppedRateLimited = 0;
  bool hasLastPacket = false;
  double lastPacketAt = 0;  // receiver clock (ms), see SetClock
  std::string source;       // "a.b.c.d:port" once latched, else empty
};

class RtpReceiveLoop;

class BatchedRtpReceiver {
 public:
  // Thread: caller's. Binds the socket and registers it with the shared thread. `wake` is called
  // on the receive thread (with the loop's lock held: it must only signal, never block or call
  // back into this object). Throws NativeError: kBadArg, or the errno name ("EADDRINUSE", ...).
  BatchedRtpReceiver(const BatchedRtpConfig& config, std::function<void()> wake);
  ~BatchedRtpReceiver();  // Close()
  BatchedRtpReceiver(const BatchedRtpReceiver&) = delete;
  BatchedRtpReceiver& operator=(const BatchedRtpReceiver&) = delete;

  int Port() const { return port_; }
  // Thread: owner's. Appends the PCM gathered since the last Take; the next datagram starts a
  // new batch (and a new flush timer).
  void Take(std::vector<int16_t>* pcm);
  // Thread: owner's. Stops receiving and closes the socket; once this returns the receive thread
  // never touches this object or calls `wake` again. Appends what was gathered plus everything
  // the reorder buffer still held. Idempotent (later calls append nothing).
  void Close(std::vector<int16_t>* pcm);
  bool Closed() const { return closed_; }
  // Thread: owner's.
  BatchedRtpStats Stats() const;
  // Thread: owner's. The clock used for rate limiting and lastPacketAt: `ms` now, then following
  // CLOCK_MONOTONIC (frozen = false), or standing still at `ms` (frozen = true, for tests).
  void SetClock(double ms, bool frozen);

 private:
  friend class RtpReceiveLoop;
  // Receive thread, loop lock held.
  void OnDatagram(const uint8_t* data, size_t length, uint32_t addr, uint16_t port);
  double Now() const;

  BatchedRtpConfig config_;
  RtpDepacketizer depacketizer_;
  std::unique_ptr<Upsampler2x> upsampler_;
  std::function<void()> wake_;
  int fd_ = -1;
  int port_ = 0;
  uint64_t id_ = 0;
  bool closed_ = false;

  // Guarded by the loop lock.
  BatchedRtpStats stats_;
  bool latched_ = false;
  uint32_t source_addr_ = 0;
  uint16_t source_port_ = 0;
  // Two token buckets: the latched source's own, and one every other sender shares, so that a
  // flood from elsewhere cannot use up the budget of the call's real audio.
  struct Bucket {
    double tokens = 0, refilled_at = 0;
  };
  Bucket own_, foreign_;
  std::vector<int16_t> pending_;
  std::vector<int16_t> scratch_;
  bool changed_ = false;      // datagrams since the last Take
  bool wake_sent_ = false;    // wake called, Take not yet done
  bool active_ = false;       // polled on the flushMs grid (else waiting on one-shot epoll)
  int64_t next_poll_us_ = 0;  // monotonic µs of the next poll while active
  int empty_polls_ = 0;       // consecutive polls that read nothing

  bool clock_frozen_ = false;
  double clock_base_ms_ = 0;   // clock value at clock_set_us_
  int64_t clock_set_us_ = 0;
};

}  // namespace deskline
