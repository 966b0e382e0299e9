// Vosk bindings over libvosk.so, dlopen'ed from the path TypeScript finds in node_modules/vosk.
// Library and model loading, recognizer creation and decoding run on libuv worker threads;
// option setters run on the JS thread. One operation at a time per recognizer.
#include <vector>

#include "../core/vosk_library.h"
#include "common.h"
#include "init.h"

namespace deskline::bindings {
namespace {

using vosk::Model;
using vosk::Recognizer;

class VoskModelWrap : public Napi::ObjectWrap<VoskModelWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "VoskModel", {InstanceMethod<&VoskModelWrap::HasWord>("hasWord"),
                                          InstanceMethod<&VoskModelWrap::Free>("free")});
  }
  explicit VoskModelWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<VoskModelWrap>(info) {
    Require(info.Env(), info.Length() == 1 && info[0].IsExternal(), "use loadVoskModel()");
    auto* holder = info[0].As<Napi::External<std::shared_ptr<Model>>>().Data();
    model_ = *holder;
  }
  // JS thread. Recognizers made from this model keep it alive after free().
  std::shared_ptr<Model> Get(Napi::Env env) const {
    if (!model_) throw MakeError(env, codes::kClosed, "Vosk model already freed");
    return model_;
  }

 private:
  Napi::Value HasWord(const Napi::CallbackInfo& info) {
    Require(info.Env(), info.Length() > 0 && info[0].IsString(), "word must be a string");
    return Napi::Boolean::New(info.Env(), Get(info.Env())->HasWord(info[0].As<Napi::String>()));
  }
  Napi::Value Free(const Napi::CallbackInfo& info) {
    model_.reset();
    return info.Env().Undefined();
  }
  std::shared_ptr<Model> model_;
};

class VoskRecognizerWrap : public Napi::ObjectWrap<VoskRecognizerWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "VoskRecognizer",
                       {InstanceMethod<&VoskRecognizerWrap::SetOptions>("setOptions"),
                        InstanceMethod<&VoskRecognizerWrap::Accept>("accept"),
                        InstanceMethod<&VoskRecognizerWrap::Finish>("finish"),
                        InstanceMethod<&VoskRecognizerWrap::Reset>("reset"),
                        InstanceMethod<&VoskRecognizerWrap::Free>("free"),
                        InstanceAccessor<&VoskRecognizerWrap::Closed>("closed")});
  }
  explicit VoskRecognizerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<VoskRecognizerWrap>(info) {
    Require(info.Env(), info.Length() == 1 && info[0].IsExternal(), "use createVoskRecognizer()");
    guarded_.core.reset(info[0].As<Napi::External<Recognizer>>().Data());
  }

 private:
  // setOptions(maxAlternatives, words, partialWords). JS thread.
  Napi::Value SetOptions(const Napi::CallbackInfo& info) {
    Recognizer& r = guarded_.Use(info.Env());
    r.SetMaxAlternatives(info[0].ToNumber().Int32Value());
    r.SetWords(info[1].ToBoolean());
    r.SetPartialWords(info[2].ToBoolean());
    return info.Env().Undefined();
  }
  // accept(samples: Int16Array) -> Promise<{ endpoint: boolean, json: string }>: the final
  // result JSON when an utterance ended in this chunk, else the partial one. Worker thread.
  Napi::Value Accept(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Require(env, info.Length() > 0 && info[0].IsTypedArray() &&
                     info[0].As<Napi::TypedArray>().TypedArrayType() == napi_int16_array,
            "expected an Int16Array");
    Napi::Int16Array in = info[0].As<Napi::Int16Array>();
    auto samples = std::make_shared<std::vector<int16_t>>(in.Data(), in.Data() + in.ElementLength());
    return guarded_.Run(env, Value(), [samples](Recognizer& r) -> Converter {
      const bool endpoint = r.Accept(samples->data(), samples->size());
      auto json = std::make_shared<std::string>(endpoint ? r.Result() : r.Partial());
      return [endpoint, json](Napi::Env e) -> Napi::Value {
        Napi::Object o = Napi::Object::New(e);
        o.Set("endpoint", Napi::Boolean::New(e, endpoint));
        o.Set("json", *json);
        return o;
      };
    });
  }
  // finish() -> Promise<string>: final result JSON of the pending audio. Worker thread.
  Napi::Value Finish(const Napi::CallbackInfo& info) {
    return guarded_.Run(info.Env(), Value(), [](Recognizer& r) -> Converter {
      auto json = std::make_shared<std::string>(r.Final());
      return [json](Napi::Env e) -> Napi::Value { return Napi::String::New(e, *json); };
    });
  }
  Napi::Value Reset(const Napi::CallbackInfo& info) {
    guarded_.Use(info.Env()).Reset();
    return info.Env().Undefined();
  }
  Napi::Value Free(const Napi::CallbackInfo& info) {
    guarded_.Free();
    return info.Env().Undefined();
  }
  Napi::Value Closed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), guarded_.Closed()); }
  Guarded<Recognizer> guarded_;
};

// loadVoskLibrary(path) -> Promise<void>. Worker thread (dlopen of a 26 MB library).
Napi::Value LoadVoskLibrary(const Napi::CallbackInfo& info) {
  Require(info.Env(), info.Length() > 0 && info[0].IsString(), "library path must be a string");
  const std::string path = info[0].As<Napi::String>();
  return RunDetached(info.Env(), [path]() -> Converter {
    vosk::Load(path);
    return nullptr;
  });
}

// loadVoskModel(libraryPath, modelDir) -> Promise<VoskModel>. Worker thread.
Napi::Value LoadVoskModel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Require(env, info.Length() > 1 && info[0].IsString() && info[1].IsString(), "expected library path and model directory");
  const std::string lib = info[0].As<Napi::String>();
  const std::string dir = info[1].As<Napi::String>();
  return RunDetached(env, [lib, dir]() -> Converter {
    const vosk::Api& api = vosk::Load(lib);
    auto model = std::make_shared<std::shared_ptr<Model>>(std::make_shared<Model>(api, dir));
    return [model](Napi::Env e) -> Napi::Value {
      return e.GetInstanceData<AddonData>()->voskModel.New({Napi::External<std::shared_ptr<Model>>::New(e, model.get())});
    };
  });
}

// createVoskRecognizer(model, sampleRate, grammarJson) -> Promise<VoskRecognizer>. Worker
// thread (a grammar compiles a decoding graph).
Napi::Value CreateVoskRecognizer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto* data = env.GetInstanceData<AddonData>();
  Require(env, info.Length() > 2 && info[0].IsObject() &&
                   info[0].As<Napi::Object>().InstanceOf(data->voskModel.Value()) && info[1].IsNumber() &&
                   info[2].IsString(),
          "expected a VoskModel, a sample rate and a grammar string");
  std::shared_ptr<Model> model = VoskModelWrap::Unwrap(info[0].As<Napi::Object>())->Get(env);
  const float rate = info[1].As<Napi::Number>().FloatValue();
  const std::string grammar = info[2].As<Napi::String>();
  return RunDetached(env, [model, rate, grammar]() -> Converter {
    auto holder = std::make_shared<std::unique_ptr<Recognizer>>(std::make_unique<Recognizer>(model, rate, grammar));
    return [holder](Napi::Env e) -> Napi::Value {
      Napi::Object obj = e.GetInstanceData<AddonData>()->voskRecognizer.New({Napi::External<Recognizer>::New(e, holder->get())});
      holder->release();
      return obj;
    };
  });
}

}  // namespace

void InitVosk(Napi::Env env, Napi::Object exports) {
  auto* data = env.GetInstanceData<AddonData>();
  Napi::Function model = VoskModelWrap::Define(env);
  Napi::Function recognizer = VoskRecognizerWrap::Define(env);
  data->voskModel = Napi::Persistent(model);
  data->voskRecognizer = Napi::Persistent(recognizer);
  exports.Set("VoskModel", model);
  exports.Set("VoskRecognizer", recognizer);
  exports.Set("loadVoskLibrary", Napi::Function::New<LoadVoskLibrary>(env, "loadVoskLibrary"));
  exports.Set("loadVoskModel", Napi::Function::New<LoadVoskModel>(env, "loadVoskModel"));
  exports.Set("createVoskRecognizer", Napi::Function::New<CreateVoskRecognizer>(env, "createVoskRecognizer"));
}

}  // namespace deskline::bindings
