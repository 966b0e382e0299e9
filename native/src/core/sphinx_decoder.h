// pocketsphinx (Debian 0.8+5prealpha) decoder wrapper. One instance is used by one thread at a
// time (the bindings guarantee it); construction loads the acoustic model and is slow, so the
// bindings run it on a worker thread. pocketsphinx's log goes nowhere except error lines,
// which are kept per thread and put into the NativeError message.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

struct ps_decoder_s;

namespace deskline {

struct SphinxSegment {
  std::string word;
  int startFrame;  // 100 frames per second
  int endFrame;
  double posterior;  // linear-scale posterior probability, 0..1
};

struct SphinxHypothesis {
  std::string text;
  int32_t score = 0;
  int frames = 0;
  bool inSpeech = false;
  std::vector<SphinxSegment> segments;
};

class SphinxDecoder {
 public:
  // args: pocketsphinx command-line pairs ("-hmm", dir), ("-dict", file), ("-jsgf", file), ...
  explicit SphinxDecoder(const std::vector<std::pair<std::string, std::string>>& args);
  ~SphinxDecoder();
  SphinxDecoder(const SphinxDecoder&) = delete;
  SphinxDecoder& operator=(const SphinxDecoder&) = delete;

  void AddLmSearch(const std::string& name, const std::string& path);
  // Interpolates several ARPA/binary LMs (sphinxbase ngram_model_set) with the given weights.
  void AddLmMixSearch(const std::string& name, const std::vector<std::string>& paths,
                      const std::vector<double>& weights);
  void AddJsgfSearch(const std::string& name, const std::string& grammar);
  void AddKeyphraseSearch(const std::string& name, const std::string& phrase);
  void UseSearch(const std::string& name);
  std::string CurrentSearch() const;

  // Pronunciation of a word in the loaded dictionary, or "" when absent.
  std::string LookupWord(const std::string& word) const;
  void AddWord(const std::string& word, const std::string& phones);

  void StartUtterance();
  // fullUtterance: all audio of the turn comes in this one call (better CMN).
  void Process(const int16_t* samples, size_t n, bool fullUtterance);
  SphinxHypothesis Hypothesis(bool withSegments) const;
  SphinxHypothesis EndUtterance();
  bool InUtterance() const { return in_utterance_; }

 private:
  ps_decoder_s* ps_ = nullptr;
  bool in_utterance_ = false;
};

}  // namespace deskline
