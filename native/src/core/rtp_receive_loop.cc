#include "rtp_receive_loop.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "errors.h"

namespace deskline {
namespace {

int64_t MonotonicUs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

const char* ErrnoCode(int e) {
  switch (e) {
    case EADDRINUSE: return "EADDRINUSE";
    case EACCES: return "EACCES";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case ENOMEM: case ENOBUFS: return "DESKLINE_NATIVE_NO_MEMORY";
    default: return "DESKLINE_NATIVE_INTERNAL";
  }
}

}  // namespace

// One thread for every leg of every environment (main and worker threads) in the process. It is
// created on first use and never destroyed: it idles in epoll_wait when no leg is open, and
// because the object is never deleted there is no joinable std::thread left to destroy (which
// would call std::terminate) when the process exits.
class RtpReceiveLoop {
 public:
  static RtpReceiveLoop& Instance() {
    static RtpReceiveLoop* loop = new RtpReceiveLoop();
    return *loop;
  }
  std::mutex mu;  // guards legs_ and every registered receiver's mutable state

  // Caller holds mu.
  void Add(BatchedRtpReceiver* r) {
    r->id_ = next_id_++;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = r->id_;
    if (epoll_ctl(epfd_, EPOLL_CTL_ADD, r->fd_, &ev) != 0) {
      throw NativeError(ErrnoCode(errno), std::string("epoll_ctl: ") + std::strerror(errno));
    }
    legs_[r->id_] = r;
  }
  // Caller holds mu. After this the thread cannot reach r: events carry the id, not a pointer.
  void Remove(BatchedRtpReceiver* r) {
    epoll_ctl(epfd_, EPOLL_CTL_DEL, r->fd_, nullptr);
    legs_.erase(r->id_);
  }

 private:
  static constexpr int kBatch = 16;          // datagrams per recvmmsg
  static constexpr size_t kBufBytes = 65536; // > any UDP datagram: nothing is truncated
  static constexpr int kIdleAfterMs = 200;   // an active leg that read nothing this long idles
  static constexpr int kRoundsPerPoll = 16;  // at most 256 datagrams per leg per poll (a flood
                                             // waits in, then overflows, the kernel's buffer)

  RtpReceiveLoop() : buffers_(kBatch * kBufBytes) {
    epfd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0) throw NativeError(ErrnoCode(errno), std::string("epoll_create1: ") + std::strerror(errno));
    thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "deskline-rtp");
      Run();
    });
  }

  // Receive thread, mu held. The next multiple of the leg's flushMs: legs with the same flushMs
  // are polled together, so the thread (and the JS thread it signals) wakes once per flushMs for
  // all of them rather than once per datagram.
  static int64_t NextPoll(const BatchedRtpReceiver* r, int64_t now) {
    const int64_t period = static_cast<int64_t>(r->config_.flushMs) * 1000;
    return period == 0 ? now : (now / period + 1) * period;
  }

  // Receive thread, mu held. Reads everything queued on the leg's socket; returns the count.
  int Drain(BatchedRtpReceiver* r) {
    int total = 0;
    for (int round = 0; round < kRoundsPerPoll; round++) {
      for (int k = 0; k < kBatch; k++) {
        iov_[k] = {buffers_.data() + k * kBufBytes, kBufBytes};
        msgs_[k] = {};
        msgs_[k].msg_hdr.msg_name = &from_[k];
        msgs_[k].msg_hdr.msg_namelen = sizeof(from_[k]);
        msgs_[k].msg_hdr.msg_iov = &iov_[k];
        msgs_[k].msg_hdr.msg_iovlen = 1;
      }
      const int got = recvmmsg(r->fd_, msgs_, kBatch, MSG_DONTWAIT, nullptr);
      if (got <= 0) break;
      for (int k = 0; k < got; k++) {
        const bool inet = msgs_[k].msg_hdr.msg_namelen >= sizeof(sockaddr_in) && from_[k].sin_family == AF_INET;
        r->OnDatagram(buffers_.data() + k * kBufBytes, msgs_[k].msg_len,
                      inet ? from_[k].sin_addr.s_addr : 0, inet ? ntohs(from_[k].sin_port) : 0);
      }
      total += got;
      if (got < kBatch) break;
    }
    return total;
  }

  // Receive thread, mu held. Waits for the next datagram again (one-shot epoll).
  void Rearm(BatchedRtpReceiver* r) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = r->id_;
    epoll_ctl(epfd_, EPOLL_CTL_MOD, r->fd_, &ev);
  }

  // Receive thread. A leg is idle (its socket watched by one-shot epoll) until a datagram
  // arrives; it is then active and polled with recvmmsg on its flushMs grid, each poll handing
  // what it gathered to the owner (wake); after kIdleAfterMs of empty polls it is idle again
  // (not after one: with flushMs near the packet time, jitter would make it flip every packet).
  void Run() {
    epoll_event events[64];
    int timeout_ms = -1;
    for (;;) {
      const int n = epoll_wait(epfd_, events, 64, timeout_ms);
      std::lock_guard<std::mutex> lock(mu);
      int64_t now = MonotonicUs();
      for (int i = 0; i < n; i++) {
        auto it = legs_.find(events[i].data.u64);
        if (it == legs_.end()) continue;  // closed meanwhile
        BatchedRtpReceiver* r = it->second;
        r->active_ = true;
        r->next_poll_us_ = NextPoll(r, now);
      }
      int64_t next = -1;
      for (auto& entry : legs_) {
        BatchedRtpReceiver* r = entry.second;
        if (!r->active_) continue;
        if (r->next_poll_us_ <= now) {
          if (Drain(r) > 0) {
            r->empty_polls_ = 0;
            r->next_poll_us_ = NextPoll(r, now);
          } else if (++r->empty_polls_ * r->config_.flushMs >= kIdleAfterMs) {
            r->active_ = false;  // a pause in the stream: back to waiting on epoll
            r->empty_polls_ = 0;
            Rearm(r);
          } else {
            r->next_poll_us_ = NextPoll(r, now);  // jitter: a packet may just be late
          }
          if (r->changed_ && !r->wake_sent_) {
            r->wake_sent_ = true;
            r->wake_();
          }
          if (!r->active_) continue;
        }
        if (next < 0 || r->next_poll_us_ < next) next = r->next_poll_us_;
      }
      now = MonotonicUs();
      timeout_ms = next < 0 ? -1 : next <= now ? 0 : static_cast<int>((next - now + 999) / 1000);
    }
  }

  std::vector<uint8_t> buffers_;
  mmsghdr msgs_[kBatch];
  iovec iov_[kBatch];
  sockaddr_in from_[kBatch];
  int epfd_ = -1;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, BatchedRtpReceiver*> legs_;
  std::thread thread_;
};

BatchedRtpReceiver::BatchedRtpReceiver(const BatchedRtpConfig& config, std::function<void()> wake)
    : config_(config), depacketizer_(config.rtp), wake_(std::move(wake)) {
  if (config.port < 0 || config.port > 65535 || config.flushMs < 0 || config.flushMs > 10000 ||
      !(config.ratePerSecond > 0) || !(config.burst >= 1)) {
    throw NativeError(codes::kBadArg, "bad batched RTP receiver configuration");
  }
  if (config.upsample) upsampler_ = std::make_unique<Upsampler2x>();
  clock_base_ms_ = MonotonicUs() / 1000.0;
  clock_set_us_ = MonotonicUs();
  own_ = foreign_ = Bucket{config.burst, Now()};

  fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw NativeError(ErrnoCode(errno), std::string("socket: ") + std::strerror(errno));
  const int rcvbuf = 1 << 20;
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(config.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int e = errno;
    ::close(fd_);
    throw NativeError(ErrnoCode(e), "bind 127.0.0.1:" + std::to_string(config.port) + ": " + std::strerror(e));
  }
  port_ = ntohs(addr.sin_port);
  RtpReceiveLoop& loop = RtpReceiveLoop::Instance();
  std::lock_guard<std::mutex> lock(loop.mu);
  try {
    loop.Add(this);
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

BatchedRtpReceiver::~BatchedRtpReceiver() {
  std::vector<int16_t> ignored;
  Close(&ignored);
}

double BatchedRtpReceiver::Now() const {
  return clock_frozen_ ? clock_base_ms_ : clock_base_ms_ + (MonotonicUs() - clock_set_us_) / 1000.0;
}

void BatchedRtpReceiver::SetClock(double ms, bool frozen) {
  std::lock_guard<std::mutex> lock(RtpReceiveLoop::Instance().mu);
  clock_frozen_ = frozen;
  clock_base_ms_ = ms;
  clock_set_us_ = MonotonicUs();
  if (stats_.datagrams == 0) own_.refilled_at = foreign_.refilled_at = ms;  // the buckets start full at the new clock
}

void BatchedRtpReceiver::OnDatagram(const uint8_t* data, size_t length, uint32_t addr, uint16_t port) {
  const double now = Now();
  stats_.datagrams++;
  stats_.bytes += length;
  stats_.hasLastPacket = true;
  stats_.lastPacketAt = now;
  const bool foreign = latched_ && (addr != source_addr_ || port != source_port_);
  Bucket& bucket = foreign ? foreign_ : own_;
  bucket.tokens = std::min(config_.burst, bucket.tokens + (now - bucket.refilled_at) * config_.ratePerSecond / 1000);
  bucket.refilled_at = now;
  changed_ = true;
  if (bucket.tokens < 1) {
    stats_.droppedRateLimited++;
    return;
  }
  bucket.tokens -= 1;
  const bool ours = length > 12 && length <= static_cast<size_t>(config_.rtp.maxPacketBytes) &&
                    (data[0] >> 6) == 2 && (data[1] & 0x7F) == config_.rtp.payloadType;
  if (foreign) {
    if (ours) {
      stats_.droppedForeignSource++;
      return;
    }
    // Not RTP for us at all: the depacketizer counts it (malformed / payload type).
  } else if (!latched_ && ours) {
    latched_ = true;
    source_addr_ = addr;
    source_port_ = port;
    char text[INET_ADDRSTRLEN] = "";
    in_addr a{};
    a.s_addr = addr;
    inet_ntop(AF_INET, &a, text, sizeof(text));
    stats_.source = std::string(text) + ":" + std::to_string(port);
  }
  scratch_.clear();
  depacketizer_.Push(data, length, &scratch_);
  if (scratch_.empty()) return;
  if (upsampler_) {
    const size_t at = pending_.size();
    pending_.resize(at + 2 * scratch_.size());
    upsampler_->Process(scratch_.data(), scratch_.size(), pending_.data() + at);
  } else {
    pending_.insert(pending_.end(), scratch_.begin(), scratch_.end());
  }
}

void BatchedRtpReceiver::Take(std::vector<int16_t>* pcm) {
  std::lock_guard<std::mutex> lock(RtpReceiveLoop::Instance().mu);
  pcm->insert(pcm->end(), pending_.begin(), pending_.end());
  pending_.clear();
  changed_ = false;
  wake_sent_ = false;
}

void BatchedRtpReceiver::Close(std::vector<int16_t>* pcm) {
  std::lock_guard<std::mutex> lock(RtpReceiveLoop::Instance().mu);
  if (closed_) return;
  closed_ = true;
  RtpReceiveLoop::Instance().Remove(this);
  ::close(fd_);
  pcm->insert(pcm->end(), pending_.begin(), pending_.end());
  pending_.clear();
  scratch_.clear();
  depacketizer_.Flush(&scratch_);
  if (!scratch_.empty()) {
    const size_t at = pcm->size();
    if (upsampler_) {
      pcm->resize(at + 2 * scratch_.size());
      upsampler_->Process(scratch_.data(), scratch_.size(), pcm->data() + at);
    } else {
      pcm->insert(pcm->end(), scratch_.begin(), scratch_.end());
    }
  }
}

BatchedRtpStats BatchedRtpReceiver::Stats() const {
  std::lock_guard<std::mutex> lock(RtpReceiveLoop::Instance().mu);
  BatchedRtpStats s = stats_;
  s.rtp = depacketizer_.Stats();
  return s;
}

}  // namespace deskline
