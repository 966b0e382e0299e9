// Shared binding helpers: NativeError -> JS Error with `code`, a promise-returning AsyncWorker,
// and Guarded<Core>, which serializes use of one core object and defers its destruction while
// work on a worker thread is pending.
#pragma once
#include <napi.h>

#include <functional>
#include <memory>
#include <string>

#include "../core/errors.h"

namespace deskline::bindings {

// Per-environment data (main thread and each worker thread have their own).
struct AddonData {
  Napi::FunctionReference sphinxDecoder;
  Napi::FunctionReference voskModel;
  Napi::FunctionReference voskRecognizer;
};

inline Napi::Error MakeError(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  return error;
}

inline Napi::Error MakeError(Napi::Env env, const NativeError& e) { return MakeError(env, e.code(), e.what()); }

// Runs fn on the JS thread, turning core errors into JS errors with codes.
template <typename Fn>
auto Guard(Napi::Env env, Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const NativeError& e) {
    throw MakeError(env, e);
  } catch (const std::bad_alloc&) {
    throw MakeError(env, "DESKLINE_NATIVE_NO_MEMORY", "out of memory");
  }
}

inline void Require(Napi::Env env, bool ok, const char* what) {
  if (!ok) throw MakeError(env, codes::kBadArg, what);
}

using Converter = std::function<Napi::Value(Napi::Env)>;

// Execute() runs `work` on a libuv pool thread; OnOK/OnError run `done` and settle the promise
// on the JS thread.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, std::function<Converter()> work, std::function<void()> done)
      : Napi::AsyncWorker(env, "deskline:native"), deferred_(Napi::Promise::Deferred::New(env)),
        work_(std::move(work)), done_(std::move(done)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {  // worker thread
    try {
      convert_ = work_();
    } catch (const NativeError& e) {
      code_ = e.code();
      SetError(e.what());
    } catch (const std::exception& e) {
      code_ = "DESKLINE_NATIVE_INTERNAL";
      SetError(e.what());
    }
  }
  // Both settle the promise on the JS thread. While an environment is being torn down (a worker
  // thread terminated mid-decode) creating or settling JS values throws; nothing is left to tell
  // then, and an exception escaping here would abort the whole process.
  void OnOK() override {  // JS thread
    RunDone();
    try {
      Napi::Env env = Env();
      try {
        deferred_.Resolve(convert_ ? convert_(env) : env.Undefined());
      } catch (const Napi::Error& e) {
        deferred_.Reject(e.Value());
      }
    } catch (...) {
    }
  }
  void OnError(const Napi::Error& e) override {  // JS thread
    RunDone();
    try {
      deferred_.Reject(MakeError(Env(), code_, e.Message()).Value());
    } catch (...) {
    }
  }

 private:
  // done_ releases references (napi_delete_reference): during teardown that fails, and
  // node-addon-api turns the failure into a C++ throw that would terminate the process.
  void RunDone() {
    if (!done_) return;
    try {
      done_();
    } catch (...) {
    }
  }

  Napi::Promise::Deferred deferred_;
  std::function<Converter()> work_;
  std::function<void()> done_;
  Converter convert_;
  std::string code_;
};

inline Napi::Promise RunDetached(Napi::Env env, std::function<Converter()> work) {
  auto* worker = new PromiseWorker(env, std::move(work), nullptr);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

template <typename Core>
class Guarded {
 public:
  std::unique_ptr<Core> core;

  // JS thread. The core, or a CLOSED / BUSY error.
  Core& Use(Napi::Env env) {
    if (!core || close_requested_) throw MakeError(env, codes::kClosed, "already freed");
    if (busy_) throw MakeError(env, codes::kBusy, "another operation is still running on this object");
    return *core;
  }

  // JS thread. Runs work(core) on a worker thread; `self` stays referenced (not collectable)
  // until the work is done, and a free() requested meanwhile happens afterwards.
  Napi::Promise Run(Napi::Env env, Napi::Object self, std::function<Converter(Core&)> work) {
    Core& c = Use(env);
    busy_ = true;
    auto ref = std::make_shared<Napi::ObjectReference>(Napi::Persistent(self));
    auto* worker = new PromiseWorker(
        env, [&c, work] { return work(c); },
        [this, ref] {
          busy_ = false;
          if (close_requested_) core.reset();
          ref->Reset();
        });
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  }

  // JS thread. Frees now, or right after the pending work finishes.
  void Free() {
    if (busy_) {
      close_requested_ = true;
    } else {
      core.reset();
    }
  }
  bool Busy() const { return busy_; }
  bool Closed() const { return !core || close_requested_; }

 private:
  bool busy_ = false;
  bool close_requested_ = false;
};

}  // namespace deskline::bindings
