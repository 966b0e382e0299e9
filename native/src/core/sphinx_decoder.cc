#include "sphinx_decoder.h"

#include <pocketsphinx.h>
#include <sphinxbase/err.h>
#include <sphinxbase/fsg_model.h>
#include <sphinxbase/jsgf.h>
#include <sphinxbase/ngram_model.h>

#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <sys/stat.h>

#include "errors.h"

namespace deskline {
namespace {

thread_local std::string g_last_errors;

void LogCallback(void*, err_lvl_t level, const char* format, ...) {
  if (level < ERR_ERROR) return;  // info, debug and warnings are dropped
  char line[512];
  va_list ap;
  va_start(ap, format);
  vsnprintf(line, sizeof line, format, ap);
  va_end(ap);
  if (g_last_errors.size() < 2048) g_last_errors += line;
}

void InstallLogCallback() {
  static std::once_flag once;
  std::call_once(once, [] {
    err_set_callback(LogCallback, nullptr);
    err_set_logfp(nullptr);  // also silences the configuration dump printed by ps_init
  });
}

std::string TakeErrors() {
  std::string text = std::move(g_last_errors);
  g_last_errors.clear();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) if (c == '\n') c = ';';
  return text.empty() ? "" : ": " + text;
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

SphinxDecoder::SphinxDecoder(const std::vector<std::pair<std::string, std::string>>& args) {
  InstallLogCallback();
  g_last_errors.clear();
  std::vector<std::string> storage;
  for (const auto& [key, value] : args) {
    if (key == "-hmm" || key == "-dict" || key == "-lm" || key == "-jsgf" || key == "-kws") {
      if (!Exists(value)) throw NativeError(codes::kModelNotFound, "no such file or directory for " + key + ": " + value);
    }
    storage.push_back(key);
    storage.push_back(value);
  }
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  cmd_ln_t* config = cmd_ln_parse_r(nullptr, ps_args(), static_cast<int32>(argv.size()), argv.data(), TRUE);
  if (!config) throw NativeError(codes::kBadArg, "pocketsphinx rejected the arguments" + TakeErrors());
  ps_ = ps_init(config);
  cmd_ln_free_r(config);  // ps_init holds its own reference
  if (!ps_) throw NativeError(codes::kEngineInit, "pocketsphinx could not load the model" + TakeErrors());
}

SphinxDecoder::~SphinxDecoder() {
  if (ps_) ps_free(ps_);
}

void SphinxDecoder::AddLmSearch(const std::string& name, const std::string& path) {
  if (!Exists(path)) throw NativeError(codes::kModelNotFound, "no such language model: " + path);
  if (ps_set_lm_file(ps_, name.c_str(), path.c_str()) < 0) {
    throw NativeError(codes::kModelLoad, "could not load language model " + path + TakeErrors());
  }
}

void SphinxDecoder::AddLmMixSearch(const std::string& name, const std::vector<std::string>& paths,
                                   const std::vector<double>& weights) {
  if (paths.empty() || paths.size() != weights.size()) throw NativeError(codes::kBadArg, "paths and weights differ in length");
  cmd_ln_t* config = ps_get_config(ps_);
  logmath_t* lmath = ps_get_logmath(ps_);
  std::vector<ngram_model_t*> models;
  std::vector<std::string> names;
  for (size_t i = 0; i < paths.size(); i++) {
    ngram_model_t* lm = Exists(paths[i]) ? ngram_model_read(config, paths[i].c_str(), NGRAM_AUTO, lmath) : nullptr;
    if (!lm) {
      for (auto* m : models) ngram_model_free(m);
      throw NativeError(Exists(paths[i]) ? codes::kModelLoad : codes::kModelNotFound,
                        "could not load language model " + paths[i] + TakeErrors());
    }
    models.push_back(lm);
    names.push_back("lm" + std::to_string(i));
  }
  std::vector<char*> name_ptrs;
  for (auto& n : names) name_ptrs.push_back(n.data());
  std::vector<float32> w(weights.begin(), weights.end());
  // The set takes ownership of the component models.
  ngram_model_t* set = ngram_model_set_init(config, models.data(), name_ptrs.data(), w.data(), static_cast<int32>(models.size()));
  if (!set) {
    for (auto* m : models) ngram_model_free(m);
    throw NativeError(codes::kModelLoad, "could not mix language models" + TakeErrors());
  }
  const int rv = ps_set_lm(ps_, name.c_str(), set);
  ngram_model_free(set);  // the search keeps its own reference
  if (rv < 0) throw NativeError(codes::kModelLoad, "could not use the mixed language model" + TakeErrors());
}

void SphinxDecoder::AddJsgfSearch(const std::string& name, const std::string& grammar) {
  // Not ps_set_jsgf_string: in 0.8+5prealpha it never frees the parsed grammar (valgrind shows
  // ~13 KB lost per call). Same steps, with the grammar freed.
  jsgf_t* jsgf = jsgf_parse_string(grammar.c_str(), nullptr);
  if (!jsgf) throw NativeError(codes::kModelLoad, "could not parse JSGF grammar" + TakeErrors());
  jsgf_rule_t* rule = jsgf_get_public_rule(jsgf);
  if (!rule) {
    jsgf_grammar_free(jsgf);
    throw NativeError(codes::kModelLoad, "JSGF grammar has no public rule");
  }
  const float32 lw = cmd_ln_float32_r(ps_get_config(ps_), "-lw");
  fsg_model_t* fsg = jsgf_build_fsg(jsgf, rule, ps_get_logmath(ps_), lw);
  jsgf_grammar_free(jsgf);
  if (!fsg) throw NativeError(codes::kModelLoad, "could not compile JSGF grammar" + TakeErrors());
  const int rv = ps_set_fsg(ps_, name.c_str(), fsg);
  fsg_model_free(fsg);  // the search keeps its own reference
  if (rv < 0) throw NativeError(codes::kModelLoad, "could not use JSGF grammar" + TakeErrors());
}

void SphinxDecoder::AddKeyphraseSearch(const std::string& name, const std::string& phrase) {
  if (ps_set_keyphrase(ps_, name.c_str(), phrase.c_str()) < 0) {
    throw NativeError(codes::kModelLoad, "could not set keyphrase" + TakeErrors());
  }
}

void SphinxDecoder::UseSearch(const std::string& name) {
  if (in_utterance_) throw NativeError(codes::kState, "cannot switch search inside an utterance");
  if (ps_set_search(ps_, name.c_str()) < 0) throw NativeError(codes::kBadArg, "no search named " + name);
}

std::string SphinxDecoder::CurrentSearch() const {
  const char* name = ps_get_search(ps_);
  return name ? name : "";
}

std::string SphinxDecoder::LookupWord(const std::string& word) const {
  char* phones = ps_lookup_word(ps_, word.c_str());
  if (!phones) return "";
  std::string result = phones;
  ckd_free(phones);
  return result;
}

void SphinxDecoder::AddWord(const std::string& word, const std::string& phones) {
  if (ps_add_word(ps_, word.c_str(), phones.c_str(), TRUE) < 0) {
    throw NativeError(codes::kBadArg, "could not add word " + word + TakeErrors());
  }
}

void SphinxDecoder::StartUtterance() {
  if (in_utterance_) throw NativeError(codes::kState, "utterance already started");
  if (ps_start_utt(ps_) < 0) throw NativeError(codes::kDecode, "could not start utterance" + TakeErrors());
  in_utterance_ = true;
}

void SphinxDecoder::Process(const int16_t* samples, size_t n, bool fullUtterance) {
  if (!in_utterance_) throw NativeError(codes::kState, "no utterance started");
  if (ps_process_raw(ps_, samples, n, FALSE, fullUtterance ? TRUE : FALSE) < 0) {
    throw NativeError(codes::kDecode, "pocketsphinx could not process audio" + TakeErrors());
  }
}

SphinxHypothesis SphinxDecoder::Hypothesis(bool withSegments) const {
  SphinxHypothesis h;
  const char* text = ps_get_hyp(ps_, &h.score);
  h.text = text ? text : "";
  h.frames = ps_get_n_frames(ps_);
  h.inSpeech = ps_get_in_speech(ps_);
  if (!withSegments) return h;
  logmath_t* lmath = ps_get_logmath(ps_);
  for (ps_seg_t* seg = ps_seg_iter(ps_); seg; seg = ps_seg_next(seg)) {
    SphinxSegment s;
    s.word = ps_seg_word(seg);
    ps_seg_frames(seg, &s.startFrame, &s.endFrame);
    int32 ascr, lscr, lback;
    s.posterior = logmath_exp(lmath, ps_seg_prob(seg, &ascr, &lscr, &lback));
    h.segments.push_back(std::move(s));
  }
  return h;
}

SphinxHypothesis SphinxDecoder::EndUtterance() {
  if (!in_utterance_) throw NativeError(codes::kState, "no utterance started");
  in_utterance_ = false;
  if (ps_end_utt(ps_) < 0) throw NativeError(codes::kDecode, "could not end utterance" + TakeErrors());
  return Hypothesis(true);
}

}  // namespace deskline
