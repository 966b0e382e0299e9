// NativeRtpSocket: a BatchedRtpReceiver (core/rtp_receive_loop) for JavaScript. Datagrams are
// received and decoded on the shared receive thread; every flushMs of audio the thread signals a
// thread-safe function and the JS thread collects the batch and calls onBatch(pcm16k).
//
// Lifetime: the core receiver lives in a State shared by the JS object and the TSFN's context.
// close() (or the object's finalizer) closes the core first — after that the receive thread can
// no longer signal — and only then releases the TSFN. If the environment is torn down first
// (a worker thread terminated with sockets open), the TSFN's finalizer closes the core.
#include <memory>
#include <vector>

#include "../core/rtp_receive_loop.h"
#include "common.h"
#include "init.h"

namespace deskline::bindings {
namespace {

struct State {
  std::unique_ptr<BatchedRtpReceiver> core;
  bool tsfn_live = true;  // false once released or finalized (JS thread only)
};
struct Context {
  std::shared_ptr<State> state;
};

Napi::Value PcmValue(Napi::Env env, const std::vector<int16_t>& pcm) {
  if (pcm.empty()) return env.Undefined();
  Napi::Int16Array out = Napi::Int16Array::New(env, pcm.size());
  std::copy(pcm.begin(), pcm.end(), out.Data());
  return out;
}

// JS thread: a batch is due. Calls onBatch(pcm | undefined); does nothing once closed or while
// the environment is going away.
void CallOnBatch(Napi::Env env, Napi::Function onBatch, Context* context, std::nullptr_t*) {
  if (env == nullptr || onBatch.IsEmpty() || context == nullptr) return;
  try {
    State& state = *context->state;
    if (!state.core || state.core->Closed()) return;
    std::vector<int16_t> pcm;
    state.core->Take(&pcm);
    onBatch.Call({PcmValue(env, pcm)});
  } catch (const Napi::Error& e) {
    // onBatch threw: report it like any uncaught exception in a callback (never abort here).
    napi_fatal_exception(env, e.Value());
  } catch (...) {
  }
}

void FinalizeRtpTsfn(Napi::Env, std::nullptr_t*, Context* context) {  // JS thread (or env teardown)
  context->state->tsfn_live = false;
  if (context->state->core) {
    std::vector<int16_t> ignored;
    context->state->core->Close(&ignored);
  }
  delete context;
}

using Tsfn = Napi::TypedThreadSafeFunction<Context, std::nullptr_t, CallOnBatch>;

class RtpSocketWrap : public Napi::ObjectWrap<RtpSocketWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeRtpSocket",
                       {InstanceAccessor<&RtpSocketWrap::Port>("port"),
                        InstanceMethod<&RtpSocketWrap::Stats>("stats"),
                        InstanceMethod<&RtpSocketWrap::SetClock>("setClock"),
                        InstanceMethod<&RtpSocketWrap::Close>("close")});
  }

  // new NativeRtpSocket({port, payloadType, codec: 0|1|2, depth, maxPacketBytes, ratePerSecond,
  //   burst, flushMs, clockMs, clockFrozen}, onBatch). Binds 127.0.0.1:port. Options validated in
  // TypeScript. JS thread.
  explicit RtpSocketWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RtpSocketWrap>(info) {
    Napi::Env env = info.Env();
    Require(env, info.Length() >= 2 && info[0].IsObject() && info[1].IsFunction(),
            "expected (options, onBatch)");
    Napi::Object o = info[0].As<Napi::Object>();
    auto num = [&](const char* key, double fallback) {
      Napi::Value v = o.Get(key);
      return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : fallback;
    };
    BatchedRtpConfig c;
    c.port = static_cast<int>(num("port", 0));
    c.rtp.payloadType = static_cast<int>(num("payloadType", c.rtp.payloadType));
    const int codec = static_cast<int>(num("codec", 0));
    Require(env, codec >= 0 && codec <= 2, "codec must be 0, 1 or 2");
    c.rtp.codec = static_cast<RtpCodec>(codec);
    c.upsample = c.rtp.codec != RtpCodec::kL16;
    c.rtp.depth = static_cast<int>(num("depth", c.rtp.depth));
    c.rtp.maxPacketBytes = static_cast<int>(num("maxPacketBytes", c.rtp.maxPacketBytes));
    c.ratePerSecond = num("ratePerSecond", c.ratePerSecond);
    c.burst = num("burst", c.burst);
    c.flushMs = static_cast<int>(num("flushMs", c.flushMs));
    const double clock_ms = num("clockMs", -1);
    const bool frozen = o.Get("clockFrozen").ToBoolean();

    state_ = std::make_shared<State>();
    auto* context = new Context{state_};
    tsfn_ = Tsfn::New(env, info[1].As<Napi::Function>(), "deskline:rtp", 0, 1, context, &FinalizeRtpTsfn,
                      static_cast<std::nullptr_t*>(nullptr));
    try {
      Tsfn tsfn = tsfn_;
      state_->core = Guard(env, [&] {
        return std::make_unique<BatchedRtpReceiver>(c, [tsfn]() mutable { tsfn.NonBlockingCall(); });
      });
      if (clock_ms >= 0) state_->core->SetClock(clock_ms, frozen);
    } catch (...) {
      ReleaseTsfn();
      throw;
    }
  }

  ~RtpSocketWrap() override {  // JS thread (GC or environment teardown)
    if (state_ && state_->core) {
      std::vector<int16_t> ignored;
      state_->core->Close(&ignored);
    }
    ReleaseTsfn();
  }

 private:
  void ReleaseTsfn() {
    if (state_ && state_->tsfn_live) {
      state_->tsfn_live = false;
      tsfn_.Release();
    }
  }

  Napi::Value Port(const Napi::CallbackInfo& info) {  // JS thread
    return Napi::Number::New(info.Env(), state_->core->Port());
  }

  // stats(): counters of the core and its depacketizer. JS thread.
  Napi::Value Stats(const Napi::CallbackInfo& info) {
    const BatchedRtpStats s = state_->core->Stats();
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    auto set = [&](const char* k, uint64_t v) { o.Set(k, Napi::Number::New(env, static_cast<double>(v))); };
    set("received", s.rtp.received); set("released", s.rtp.released); set("lost", s.rtp.lost);
    set("reordered", s.rtp.reordered); set("concealedSamples", s.rtp.concealedSamples);
    set("droppedMalformed", s.rtp.droppedMalformed); set("droppedOversize", s.rtp.droppedOversize);
    set("droppedPayloadType", s.rtp.droppedPayloadType); set("droppedLate", s.rtp.droppedLate);
    set("droppedDuplicate", s.rtp.droppedDuplicate); set("ssrcChanges", s.rtp.ssrcChanges);
    set("restarts", s.rtp.restarts);
    set("datagrams", s.datagrams); set("bytes", s.bytes);
    set("droppedForeignSource", s.droppedForeignSource); set("droppedRateLimited", s.droppedRateLimited);
    o.Set("lastPacketAt", s.hasLastPacket ? Napi::Number::New(env, s.lastPacketAt) : env.Null());
    o.Set("source", s.source.empty() ? env.Null() : Napi::String::New(env, s.source));
    return o;
  }

  // setClock(ms, frozen): see BatchedRtpReceiver::SetClock. JS thread.
  Napi::Value SetClock(const Napi::CallbackInfo& info) {
    Require(info.Env(), info.Length() >= 1 && info[0].IsNumber(), "expected a clock value in ms");
    if (!state_->core->Closed()) {
      state_->core->SetClock(info[0].As<Napi::Number>().DoubleValue(), info.Length() > 1 && info[1].ToBoolean());
    }
    return info.Env().Undefined();
  }

  // close(): stops receiving, releases the TSFN, returns the audio not yet delivered plus the
  // reorder buffer's remainder (Int16Array | undefined). Idempotent. JS thread.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    std::vector<int16_t> pcm;
    state_->core->Close(&pcm);
    ReleaseTsfn();
    return PcmValue(info.Env(), pcm);
  }

  std::shared_ptr<State> state_;
  Tsfn tsfn_;
};

}  // namespace

void InitRtpSocket(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeRtpSocket", RtpSocketWrap::Define(env));
}

}  // namespace deskline::bindings
