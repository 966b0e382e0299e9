// Errors thrown by the pure C++ core. Each carries a stable code; the bindings turn it into a
// JavaScript Error with `code` set. No napi.h here.
#pragma once
#include <stdexcept>
#include <string>

namespace deskline {

namespace codes {
inline constexpr const char* kBadArg = "DESKLINE_NATIVE_BAD_ARG";
inline constexpr const char* kModelNotFound = "DESKLINE_NATIVE_MODEL_NOT_FOUND";
inline constexpr const char* kModelLoad = "DESKLINE_NATIVE_MODEL_LOAD";
inline constexpr const char* kEngineInit = "DESKLINE_NATIVE_ENGINE_INIT";
inline constexpr const char* kDecode = "DESKLINE_NATIVE_DECODE";
inline constexpr const char* kLibraryLoad = "DESKLINE_NATIVE_LIBRARY_LOAD";
inline constexpr const char* kBusy = "DESKLINE_NATIVE_BUSY";
inline constexpr const char* kClosed = "DESKLINE_NATIVE_CLOSED";
inline constexpr const char* kState = "DESKLINE_NATIVE_STATE";
}  // namespace codes

class NativeError : public std::runtime_error {
 public:
  NativeError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

}  // namespace deskline
