#pragma once
// Evaluation of classifications against hand labels (../shared/labeled/dev.jsonl): accuracy,
// macro-F1, confusion matrix and per-tag precision/recall. Pure counting, mergeable.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/classify/classification.hpp>

namespace jobmarket::classify {

struct TagCounts {
  std::uint64_t tp = 0, fp = 0, fn = 0;
  double precision() const;  // 0 when nothing was predicted
  double recall() const;     // 0 when nothing was expected
  double f1() const;
};

class Evaluation {
 public:
  // One labeled item: the expected direction and tags, and what the classifier said.
  void add(Direction gold, Direction predicted, const std::vector<std::string>& gold_tags,
           const std::vector<std::string>& predicted_tags);
  // Adds another evaluation's counts (partial results from several workers).
  void merge(const Evaluation& other);

  std::uint64_t count() const { return m_count; }
  std::uint64_t correct() const;
  double accuracy() const;  // 0 when empty
  // Mean F1 over the three directions (a class absent from gold and predictions scores 0
  // and still counts, so a missing class is visible).
  double macro_f1() const;
  double class_f1(Direction d) const;
  double class_precision(Direction d) const;
  double class_recall(Direction d) const;
  // confusion()[gold][predicted], indexed by Direction.
  const std::array<std::array<std::uint64_t, 3>, 3>& confusion() const { return m_confusion; }
  // Per-tag counts, by tag name (sorted), and micro-averaged over all tags.
  const std::map<std::string, TagCounts>& tags() const { return m_tags; }
  TagCounts tag_micro() const;

  // Stable-order JSON: count, accuracy, macro_f1, per-class, confusion, tags.
  nlohmann::ordered_json to_json() const;
  // A human-readable report (fixed-width text, deterministic).
  std::string to_text() const;

 private:
  std::uint64_t m_count = 0;
  std::array<std::array<std::uint64_t, 3>, 3> m_confusion{};
  std::map<std::string, TagCounts> m_tags;
};

}  // namespace jobmarket::classify
