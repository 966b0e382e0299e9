#include "vosk_library.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>

#include "errors.h"

namespace deskline::vosk {
namespace {

std::mutex g_load_mutex;
std::string g_loaded_path;
Api g_api;
bool g_loaded = false;

template <typename T>
void Bind(void* handle, const char* name, T* slot, bool required) {
  *slot = reinterpret_cast<T>(dlsym(handle, name));
  if (!*slot && required) {
    throw NativeError(codes::kLibraryLoad, std::string("libvosk lacks symbol ") + name);
  }
}

// Redirects fd 2 into a temporary file while `fn` runs and returns what was written.
// Process-wide: other threads' stderr output in that window is captured too, and is written
// back to stderr afterwards when it is not Kaldi's.
std::mutex g_stderr_mutex;
template <typename Fn>
std::string CaptureStderr(Fn fn) {
  std::lock_guard<std::mutex> lock(g_stderr_mutex);
  FILE* tmp = tmpfile();
  if (!tmp) {
    fn();
    return "";
  }
  fflush(stderr);
  const int saved = dup(2);
  dup2(fileno(tmp), 2);
  try {
    fn();
  } catch (...) {
    dup2(saved, 2);
    close(saved);
    fclose(tmp);
    throw;
  }
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::string text;
  rewind(tmp);
  char buf[1024];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, tmp)) > 0 && text.size() < 65536) text.append(buf, got);
  fclose(tmp);
  return text;
}

}  // namespace

const Api& Load(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_load_mutex);
  if (g_loaded) {
    if (path != g_loaded_path) {
      throw NativeError(codes::kLibraryLoad, "libvosk already loaded from " + g_loaded_path + ", not " + path);
    }
    return g_api;
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0) throw NativeError(codes::kLibraryLoad, "libvosk not found at " + path);
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw NativeError(codes::kLibraryLoad, std::string("dlopen failed: ") + dlerror());
  Api api{};
  Bind(handle, "vosk_set_log_level", &api.set_log_level, true);
  Bind(handle, "vosk_model_new", &api.model_new, true);
  Bind(handle, "vosk_model_free", &api.model_free, true);
  Bind(handle, "vosk_model_find_word", &api.model_find_word, false);
  Bind(handle, "vosk_recognizer_new", &api.recognizer_new, true);
  Bind(handle, "vosk_recognizer_new_grm", &api.recognizer_new_grm, true);
  Bind(handle, "vosk_recognizer_free", &api.recognizer_free, true);
  Bind(handle, "vosk_recognizer_set_max_alternatives", &api.recognizer_set_max_alternatives, true);
  Bind(handle, "vosk_recognizer_set_words", &api.recognizer_set_words, true);
  Bind(handle, "vosk_recognizer_set_partial_words", &api.recognizer_set_partial_words, false);
  Bind(handle, "vosk_recognizer_accept_waveform_s", &api.recognizer_accept_waveform_s, true);
  Bind(handle, "vosk_recognizer_result", &api.recognizer_result, true);
  Bind(handle, "vosk_recognizer_partial_result", &api.recognizer_partial_result, true);
  Bind(handle, "vosk_recognizer_final_result", &api.recognizer_final_result, true);
  Bind(handle, "vosk_recognizer_reset", &api.recognizer_reset, true);
  api.set_log_level(-1);  // Kaldi's info lines off; errors still reach stderr (captured below)
  g_api = api;
  g_loaded_path = path;
  g_loaded = true;
  return g_api;  // the handle stays open for the life of the process
}

Model::Model(const Api& api, const std::string& path) : api_(api) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw NativeError(codes::kModelNotFound, "Vosk model directory not found: " + path);
  }
  const std::string log = CaptureStderr([&] { model_ = api_.model_new(path.c_str()); });
  if (!model_) {
    std::string detail = log;
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == '\r')) detail.pop_back();
    for (char& c : detail) if (c == '\n') c = ';';
    throw NativeError(codes::kModelLoad, "Vosk could not load the model at " + path +
                                             (detail.empty() ? "" : " (" + detail + ")"));
  }
}

Model::~Model() {
  if (model_) api_.model_free(model_);
}

bool Model::HasWord(const std::string& word) const {
  return api_.model_find_word && api_.model_find_word(model_, word.c_str()) >= 0;
}

Recognizer::Recognizer(std::shared_ptr<Model> model, float sampleRate, const std::string& grammarJson)
    : model_(std::move(model)) {
  const Api& api = model_->api();
  rec_ = grammarJson.empty() ? api.recognizer_new(model_->get(), sampleRate)
                             : api.recognizer_new_grm(model_->get(), sampleRate, grammarJson.c_str());
  if (!rec_) throw NativeError(codes::kEngineInit, "Vosk could not create a recognizer");
}

Recognizer::~Recognizer() {
  if (rec_) model_->api().recognizer_free(rec_);
}

void Recognizer::SetMaxAlternatives(int n) { model_->api().recognizer_set_max_alternatives(rec_, n); }
void Recognizer::SetWords(bool on) { model_->api().recognizer_set_words(rec_, on ? 1 : 0); }
void Recognizer::SetPartialWords(bool on) {
  if (model_->api().recognizer_set_partial_words) model_->api().recognizer_set_partial_words(rec_, on ? 1 : 0);
}
bool Recognizer::Accept(const short* samples, size_t n) {
  const int rv = model_->api().recognizer_accept_waveform_s(rec_, samples, static_cast<int>(n));
  if (rv < 0) throw NativeError(codes::kDecode, "Vosk rejected the audio");
  return rv == 1;
}
std::string Recognizer::Result() { return model_->api().recognizer_result(rec_); }
std::string Recognizer::Partial() { return model_->api().recognizer_partial_result(rec_); }
std::string Recognizer::Final() { return model_->api().recognizer_final_result(rec_); }
void Recognizer::Reset() { model_->api().recognizer_reset(rec_); }

}  // namespace deskline::vosk
