// DSP bindings. Everything here is cheap (linear in the input, a few hundred ns per 20 ms
// frame) and runs synchronously on the calling JS thread.
#include <vector>

#include "../core/g711.h"
#include "../core/resampler.h"
#include "../core/rtp.h"
#include "../core/vad.h"
#include "common.h"
#include "init.h"

namespace deskline::bindings {
namespace {

Napi::Int16Array Int16Arg(const Napi::CallbackInfo& info, size_t i) {
  Require(info.Env(), info.Length() > i && info[i].IsTypedArray() &&
                          info[i].As<Napi::TypedArray>().TypedArrayType() == napi_int16_array,
          "expected an Int16Array");
  return info[i].As<Napi::Int16Array>();
}

Napi::Uint8Array Uint8Arg(const Napi::CallbackInfo& info, size_t i) {
  Require(info.Env(), info.Length() > i && info[i].IsTypedArray() &&
                          info[i].As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array,
          "expected a Uint8Array or Buffer");
  return info[i].As<Napi::Uint8Array>();
}

Napi::Int16Array ToInt16Array(Napi::Env env, const int16_t* data, size_t n) {
  Napi::Int16Array out = Napi::Int16Array::New(env, n);
  std::copy(data, data + n, out.Data());
  return out;
}

int IntOption(Napi::Object options, const char* key, int fallback) {
  Napi::Value v = options.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Int32Value() : fallback;
}

double DoubleOption(Napi::Object options, const char* key, double fallback) {
  Napi::Value v = options.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : fallback;
}

// g711Decode(law: 0 = µ-law | 1 = A-law, codes: Uint8Array): Int16Array. JS thread.
Napi::Value G711Decode(const Napi::CallbackInfo& info) {
  const int law = info[0].ToNumber().Int32Value();
  Napi::Uint8Array in = Uint8Arg(info, 1);
  Napi::Int16Array out = Napi::Int16Array::New(info.Env(), in.ElementLength());
  if (law == 0) g711::DecodeUlaw(in.Data(), in.ElementLength(), out.Data());
  else g711::DecodeAlaw(in.Data(), in.ElementLength(), out.Data());
  return out;
}

// g711Encode(law, samples: Int16Array): Uint8Array. JS thread.
Napi::Value G711Encode(const Napi::CallbackInfo& info) {
  const int law = info[0].ToNumber().Int32Value();
  Napi::Int16Array in = Int16Arg(info, 1);
  Napi::Uint8Array out = Napi::Uint8Array::New(info.Env(), in.ElementLength());
  if (law == 0) g711::EncodeUlaw(in.Data(), in.ElementLength(), out.Data());
  else g711::EncodeAlaw(in.Data(), in.ElementLength(), out.Data());
  return out;
}

// upsamplerPrototype(): Float64Array, the anti-imaging filter's taps. JS thread.
Napi::Value UpsamplerPrototype(const Napi::CallbackInfo& info) {
  const auto& h = Upsampler2x::Prototype();
  Napi::Float64Array out = Napi::Float64Array::New(info.Env(), h.size());
  std::copy(h.begin(), h.end(), out.Data());
  return out;
}

class UpsamplerWrap : public Napi::ObjectWrap<UpsamplerWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Upsampler", {InstanceMethod<&UpsamplerWrap::Process>("process"),
                                          InstanceMethod<&UpsamplerWrap::Reset>("reset")});
  }
  explicit UpsamplerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<UpsamplerWrap>(info) {}

 private:
  // process(samples8k: Int16Array): Int16Array of twice the length. JS thread.
  Napi::Value Process(const Napi::CallbackInfo& info) {
    Napi::Int16Array in = Int16Arg(info, 0);
    Napi::Int16Array out = Napi::Int16Array::New(info.Env(), in.ElementLength() * 2);
    core_.Process(in.Data(), in.ElementLength(), out.Data());
    return out;
  }
  Napi::Value Reset(const Napi::CallbackInfo& info) {
    core_.Reset();
    return info.Env().Undefined();
  }
  Upsampler2x core_;
};

class VadWrap : public Napi::ObjectWrap<VadWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Vad", {InstanceMethod<&VadWrap::Process>("process"),
                                    InstanceAccessor<&VadWrap::InSpeech>("inSpeech"),
                                    InstanceAccessor<&VadWrap::NoiseFloor>("noiseFloorDb")});
  }
  // new Vad(options) — options validated in TypeScript, checked again in the core. JS thread.
  explicit VadWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<VadWrap>(info) {
    Napi::Object o = info[0].IsObject() ? info[0].As<Napi::Object>() : Napi::Object::New(info.Env());
    VadConfig c;
    c.sampleRate = IntOption(o, "sampleRate", c.sampleRate);
    c.frameMs = IntOption(o, "frameMs", c.frameMs);
    c.marginDb = DoubleOption(o, "marginDb", c.marginDb);
    c.minDb = DoubleOption(o, "minDb", c.minDb);
    c.startMs = IntOption(o, "startMs", c.startMs);
    c.hangoverMs = IntOption(o, "hangoverMs", c.hangoverMs);
    c.maxUtteranceMs = IntOption(o, "maxUtteranceMs", c.maxUtteranceMs);
    core_ = Guard(info.Env(), [&] { return std::make_unique<Vad>(c); });
  }

 private:
  // process(samples: Int16Array): {kind, sample, levelDb}[]. JS thread.
  Napi::Value Process(const Napi::CallbackInfo& info) {
    Napi::Int16Array in = Int16Arg(info, 0);
    std::vector<VadEvent> events;
    core_->Process(in.Data(), in.ElementLength(), &events);
    Napi::Env env = info.Env();
    Napi::Array out = Napi::Array::New(env, events.size());
    for (size_t i = 0; i < events.size(); i++) {
      Napi::Object e = Napi::Object::New(env);
      e.Set("kind", events[i].kind == VadEvent::kStart ? "start" : "end");
      e.Set("sample", Napi::Number::New(env, static_cast<double>(events[i].sample)));
      e.Set("levelDb", Napi::Number::New(env, events[i].levelDb));
      out.Set(static_cast<uint32_t>(i), e);
    }
    return out;
  }
  Napi::Value InSpeech(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), core_->InSpeech()); }
  Napi::Value NoiseFloor(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), core_->NoiseFloorDb()); }
  std::unique_ptr<Vad> core_;
};

class RtpWrap : public Napi::ObjectWrap<RtpWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "RtpDepacketizer", {InstanceMethod<&RtpWrap::Push>("push"),
                                                InstanceMethod<&RtpWrap::Flush>("flush"),
                                                InstanceMethod<&RtpWrap::Stats>("stats")});
  }
  // new RtpDepacketizer({payloadType, codec: 0 pcmu | 1 pcma | 2 l16, depth, maxPacketBytes}).
  explicit RtpWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RtpWrap>(info) {
    Napi::Object o = info[0].IsObject() ? info[0].As<Napi::Object>() : Napi::Object::New(info.Env());
    RtpConfig c;
    c.payloadType = IntOption(o, "payloadType", c.payloadType);
    const int codec = IntOption(o, "codec", 0);
    Require(info.Env(), codec >= 0 && codec <= 2, "codec must be 0, 1 or 2");
    c.codec = static_cast<RtpCodec>(codec);
    c.depth = IntOption(o, "depth", c.depth);
    c.maxPacketBytes = IntOption(o, "maxPacketBytes", c.maxPacketBytes);
    c.maxGapSamples = IntOption(o, "maxGapSamples", c.maxGapSamples);
    core_ = Guard(info.Env(), [&] { return std::make_unique<RtpDepacketizer>(c); });
  }

 private:
  // push(datagram: Uint8Array): Int16Array of PCM released by this packet. JS thread.
  Napi::Value Push(const Napi::CallbackInfo& info) {
    Napi::Uint8Array in = Uint8Arg(info, 0);
    pcm_.clear();
    core_->Push(in.Data(), in.ElementLength(), &pcm_);
    return ToInt16Array(info.Env(), pcm_.data(), pcm_.size());
  }
  Napi::Value Flush(const Napi::CallbackInfo& info) {
    pcm_.clear();
    core_->Flush(&pcm_);
    return ToInt16Array(info.Env(), pcm_.data(), pcm_.size());
  }
  Napi::Value Stats(const Napi::CallbackInfo& info) {
    const RtpStats& s = core_->Stats();
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    auto set = [&](const char* k, uint64_t v) { o.Set(k, Napi::Number::New(env, static_cast<double>(v))); };
    set("received", s.received); set("released", s.released); set("lost", s.lost);
    set("reordered", s.reordered); set("concealedSamples", s.concealedSamples);
    set("droppedMalformed", s.droppedMalformed); set("droppedOversize", s.droppedOversize);
    set("droppedPayloadType", s.droppedPayloadType); set("droppedLate", s.droppedLate);
    set("droppedDuplicate", s.droppedDuplicate); set("ssrcChanges", s.ssrcChanges);
    set("restarts", s.restarts);
    return o;
  }
  std::unique_ptr<RtpDepacketizer> core_;
  std::vector<int16_t> pcm_;
};

}  // namespace

void InitDsp(Napi::Env env, Napi::Object exports) {
  exports.Set("g711Decode", Napi::Function::New<G711Decode>(env, "g711Decode"));
  exports.Set("g711Encode", Napi::Function::New<G711Encode>(env, "g711Encode"));
  exports.Set("upsamplerPrototype", Napi::Function::New<UpsamplerPrototype>(env, "upsamplerPrototype"));
  exports.Set("Upsampler", UpsamplerWrap::Define(env));
  exports.Set("Vad", VadWrap::Define(env));
  exports.Set("RtpDepacketizer", RtpWrap::Define(env));
}

}  // namespace deskline::bindings
