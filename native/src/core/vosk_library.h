// libvosk.so loaded with dlopen from a path given at run time (the npm package `vosk` ships it),
// with its small C API declared here. Models and recognizers are RAII wrappers; a recognizer
// is used by one thread at a time (the bindings guarantee it).
#pragma once
#include <cstddef>
#include <memory>
#include <string>

namespace deskline::vosk {

struct VoskModel;
struct VoskRecognizer;

struct Api {
  void (*set_log_level)(int);
  VoskModel* (*model_new)(const char*);
  void (*model_free)(VoskModel*);
  int (*model_find_word)(VoskModel*, const char*);
  VoskRecognizer* (*recognizer_new)(VoskModel*, float);
  VoskRecognizer* (*recognizer_new_grm)(VoskModel*, float, const char*);
  void (*recognizer_free)(VoskRecognizer*);
  void (*recognizer_set_max_alternatives)(VoskRecognizer*, int);
  void (*recognizer_set_words)(VoskRecognizer*, int);
  void (*recognizer_set_partial_words)(VoskRecognizer*, int);
  int (*recognizer_accept_waveform_s)(VoskRecognizer*, const short*, int);
  const char* (*recognizer_result)(VoskRecognizer*);
  const char* (*recognizer_partial_result)(VoskRecognizer*);
  const char* (*recognizer_final_result)(VoskRecognizer*);
  void (*recognizer_reset)(VoskRecognizer*);
};

// Loads (once per process) the library at `path`; later calls must name the same path.
// Throws NativeError(kLibraryLoad) with dlerror()'s text. Thread: any (serialized inside).
const Api& Load(const std::string& path);

class Model {
 public:
  // Slow (hundreds of ms to seconds): run on a worker thread. Kaldi's stderr output during the
  // load is captured and, on failure, put into the NativeError message with the model path.
  Model(const Api& api, const std::string& path);
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  VoskModel* get() const { return model_; }
  bool HasWord(const std::string& word) const;
  const Api& api() const { return api_; }

 private:
  const Api& api_;
  VoskModel* model_ = nullptr;
};

class Recognizer {
 public:
  // grammarJson: "" for the full model, else a JSON array of phrases ("[unk]" allowed).
  Recognizer(std::shared_ptr<Model> model, float sampleRate, const std::string& grammarJson);
  ~Recognizer();
  Recognizer(const Recognizer&) = delete;
  Recognizer& operator=(const Recognizer&) = delete;
  void SetMaxAlternatives(int n);
  void SetWords(bool on);
  void SetPartialWords(bool on);
  // True when an utterance ended inside this chunk (then Result() holds it).
  bool Accept(const short* samples, size_t n);
  std::string Result();
  std::string Partial();
  std::string Final();
  void Reset();

 private:
  std::shared_ptr<Model> model_;  // keeps the model alive while the recognizer lives
  VoskRecognizer* rec_ = nullptr;
};

}  // namespace deskline::vosk
