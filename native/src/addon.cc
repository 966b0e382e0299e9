// The one registration file: builds the exports object of deskline_native.node.
// Context-aware (NAPI_MODULE_INIT via Napi addon macro), so worker threads can load it.
#include <napi.h>

#include "bindings/common.h"
#include "bindings/init.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new deskline::bindings::AddonData());
  deskline::bindings::InitDsp(env, exports);
  deskline::bindings::InitSphinx(env, exports);
  deskline::bindings::InitVosk(env, exports);
  deskline::bindings::InitRtpSocket(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(deskline_native, Init)
