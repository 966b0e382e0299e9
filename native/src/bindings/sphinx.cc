// pocketsphinx bindings. Model loading, search setup and decoding run on libuv worker threads
// (PromiseWorker); cheap state calls run on the JS thread. One operation at a time per decoder:
// a second one while the first is pending fails with DESKLINE_NATIVE_BUSY (the TypeScript
// wrapper queues calls so this does not happen in normal use).
#include <vector>

#include "../core/sphinx_decoder.h"
#include "common.h"
#include "init.h"

namespace deskline::bindings {
namespace {

Napi::Value HypToJs(Napi::Env env, const SphinxHypothesis& h) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("text", h.text);
  o.Set("score", Napi::Number::New(env, h.score));
  o.Set("frames", Napi::Number::New(env, h.frames));
  o.Set("inSpeech", Napi::Boolean::New(env, h.inSpeech));
  Napi::Array segs = Napi::Array::New(env, h.segments.size());
  for (size_t i = 0; i < h.segments.size(); i++) {
    Napi::Object s = Napi::Object::New(env);
    s.Set("word", h.segments[i].word);
    s.Set("startFrame", Napi::Number::New(env, h.segments[i].startFrame));
    s.Set("endFrame", Napi::Number::New(env, h.segments[i].endFrame));
    s.Set("posterior", Napi::Number::New(env, h.segments[i].posterior));
    segs.Set(static_cast<uint32_t>(i), s);
  }
  o.Set("segments", segs);
  return o;
}

std::string StringArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  Require(info.Env(), info.Length() > i && info[i].IsString(), what);
  return info[i].As<Napi::String>().Utf8Value();
}

class SphinxWrap : public Napi::ObjectWrap<SphinxWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "SphinxDecoder",
                       {InstanceMethod<&SphinxWrap::AddSearch>("addSearch"),
                        InstanceMethod<&SphinxWrap::UseSearch>("useSearch"),
                        InstanceMethod<&SphinxWrap::LookupWord>("lookupWord"),
                        InstanceMethod<&SphinxWrap::AddWord>("addWord"),
                        InstanceMethod<&SphinxWrap::StartUtterance>("startUtterance"),
                        InstanceMethod<&SphinxWrap::Process>("process"),
                        InstanceMethod<&SphinxWrap::EndUtterance>("endUtterance"),
                        InstanceMethod<&SphinxWrap::Free>("free"),
                        InstanceAccessor<&SphinxWrap::Busy>("busy"),
                        InstanceAccessor<&SphinxWrap::Closed>("closed")});
  }

  // Only createSphinxDecoder() constructs these, passing the loaded core as an External.
  explicit SphinxWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SphinxWrap>(info) {
    Require(info.Env(), info.Length() == 1 && info[0].IsExternal(), "use createSphinxDecoder()");
    guarded_.core.reset(info[0].As<Napi::External<SphinxDecoder>>().Data());
  }

 private:
  // addSearch(kind, name, value, weights?) -> Promise<void>. Worker thread (reads model files).
  // kind 'lm': value = path; 'lmMix': value = paths[], weights; 'jsgf': value = grammar text;
  // 'keyphrase': value = phrase.
  Napi::Value AddSearch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const std::string kind = StringArg(info, 0, "search kind must be a string");
    const std::string name = StringArg(info, 1, "search name must be a string");
    std::vector<std::string> paths;
    std::vector<double> weights;
    std::string value;
    if (kind == "lmMix") {
      Require(env, info.Length() > 3 && info[2].IsArray() && info[3].IsArray(), "lmMix needs paths and weights");
      Napi::Array p = info[2].As<Napi::Array>(), w = info[3].As<Napi::Array>();
      for (uint32_t i = 0; i < p.Length(); i++) paths.push_back(p.Get(i).ToString().Utf8Value());
      for (uint32_t i = 0; i < w.Length(); i++) weights.push_back(w.Get(i).ToNumber().DoubleValue());
    } else {
      Require(env, kind == "lm" || kind == "jsgf" || kind == "keyphrase", "unknown search kind");
      value = StringArg(info, 2, "search value must be a string");
    }
    return guarded_.Run(env, Value(), [=](SphinxDecoder& d) -> Converter {
      if (kind == "lm") d.AddLmSearch(name, value);
      else if (kind == "lmMix") d.AddLmMixSearch(name, paths, weights);
      else if (kind == "jsgf") d.AddJsgfSearch(name, value);
      else d.AddKeyphraseSearch(name, value);
      return nullptr;
    });
  }

  // useSearch(name). JS thread (switches a pointer).
  Napi::Value UseSearch(const Napi::CallbackInfo& info) {
    const std::string name = StringArg(info, 0, "search name must be a string");
    SphinxDecoder& d = guarded_.Use(info.Env());
    Guard(info.Env(), [&] { d.UseSearch(name); });
    return info.Env().Undefined();
  }

  // lookupWord(word): string | null. JS thread (hash lookup).
  Napi::Value LookupWord(const Napi::CallbackInfo& info) {
    const std::string word = StringArg(info, 0, "word must be a string");
    const std::string phones = guarded_.Use(info.Env()).LookupWord(word);
    return phones.empty() ? info.Env().Null() : Napi::String::New(info.Env(), phones);
  }

  // addWord(word, phones) -> Promise<void>. Worker thread (rebuilds the active search).
  Napi::Value AddWord(const Napi::CallbackInfo& info) {
    const std::string word = StringArg(info, 0, "word must be a string");
    const std::string phones = StringArg(info, 1, "phones must be a string");
    return guarded_.Run(info.Env(), Value(), [=](SphinxDecoder& d) -> Converter {
      d.AddWord(word, phones);
      return nullptr;
    });
  }

  // startUtterance(). JS thread (resets buffers).
  Napi::Value StartUtterance(const Napi::CallbackInfo& info) {
    SphinxDecoder& d = guarded_.Use(info.Env());
    Guard(info.Env(), [&] { d.StartUtterance(); });
    return info.Env().Undefined();
  }

  // process(samples: Int16Array, fullUtterance: boolean, withHypothesis: boolean)
  //   -> Promise<Hypothesis | null>. Worker thread; the samples are copied first.
  Napi::Value Process(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Require(env, info.Length() > 0 && info[0].IsTypedArray() &&
                     info[0].As<Napi::TypedArray>().TypedArrayType() == napi_int16_array,
            "expected an Int16Array");
    Napi::Int16Array in = info[0].As<Napi::Int16Array>();
    auto samples = std::make_shared<std::vector<int16_t>>(in.Data(), in.Data() + in.ElementLength());
    const bool full = info.Length() > 1 && info[1].ToBoolean();
    const bool withHyp = info.Length() > 2 && info[2].ToBoolean();
    return guarded_.Run(env, Value(), [=](SphinxDecoder& d) -> Converter {
      d.Process(samples->data(), samples->size(), full);
      if (!withHyp) return [](Napi::Env e) { return e.Null(); };
      auto h = std::make_shared<SphinxHypothesis>(d.Hypothesis(false));
      return [h](Napi::Env e) { return HypToJs(e, *h); };
    });
  }

  // endUtterance() -> Promise<Hypothesis with segments>. Worker thread (final search pass).
  Napi::Value EndUtterance(const Napi::CallbackInfo& info) {
    return guarded_.Run(info.Env(), Value(), [](SphinxDecoder& d) -> Converter {
      auto h = std::make_shared<SphinxHypothesis>(d.EndUtterance());
      return [h](Napi::Env e) { return HypToJs(e, *h); };
    });
  }

  // free(). JS thread; deferred until pending work is done. Idempotent.
  Napi::Value Free(const Napi::CallbackInfo& info) {
    guarded_.Free();
    return info.Env().Undefined();
  }
  Napi::Value Busy(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), guarded_.Busy()); }
  Napi::Value Closed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), guarded_.Closed()); }

  Guarded<SphinxDecoder> guarded_;
};

// createSphinxDecoder(args: string[]) -> Promise<SphinxDecoder>. Worker thread (loads model).
Napi::Value CreateSphinxDecoder(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Require(env, info.Length() > 0 && info[0].IsArray(), "expected an array of arguments");
  Napi::Array a = info[0].As<Napi::Array>();
  Require(env, a.Length() % 2 == 0, "arguments come in pairs");
  std::vector<std::pair<std::string, std::string>> args;
  for (uint32_t i = 0; i < a.Length(); i += 2) {
    args.emplace_back(a.Get(i).ToString().Utf8Value(), a.Get(i + 1).ToString().Utf8Value());
  }
  return RunDetached(env, [args]() -> Converter {
    auto holder = std::make_shared<std::unique_ptr<SphinxDecoder>>(std::make_unique<SphinxDecoder>(args));
    return [holder](Napi::Env e) -> Napi::Value {
      auto* data = e.GetInstanceData<AddonData>();
      Napi::Object obj = data->sphinxDecoder.New({Napi::External<SphinxDecoder>::New(e, holder->get())});
      holder->release();  // owned by the JS object now
      return obj;
    };
  });
}

}  // namespace

void InitSphinx(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = SphinxWrap::Define(env);
  env.GetInstanceData<AddonData>()->sphinxDecoder = Napi::Persistent(ctor);
  exports.Set("SphinxDecoder", ctor);
  exports.Set("createSphinxDecoder", Napi::Function::New<CreateSphinxDecoder>(env, "createSphinxDecoder"));
}

}  // namespace deskline::bindings
