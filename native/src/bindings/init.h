#pragma once
#include <napi.h>
namespace deskline::bindings {
void InitDsp(Napi::Env env, Napi::Object exports);
void InitSphinx(Napi::Env env, Napi::Object exports);
void InitVosk(Napi::Env env, Napi::Object exports);
void InitRtpSocket(Napi::Env env, Napi::Object exports);
}  // namespace deskline::bindings
