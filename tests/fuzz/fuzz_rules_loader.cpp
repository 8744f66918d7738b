// The rule-table loader on arbitrary bytes: parse, validate, compile into the classifier,
// and classify one posting. A bad table is an error naming the file, never a crash, an
// exception or a hang (vectorscan compiles patterns into automata: no backtracking).
#include <cstdint>
#include <string_view>

#include <jobmarket/classify/classifier.hpp>
#include <jobmarket/normalize/posting.hpp>
#include <jobmarket/rules/rule_set.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobmarket;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto user = rules::RuleSet::parse(in, "fuzz.json");
  if (!user) {
    if (user.error().rfind("fuzz.json", 0) != 0) __builtin_trap();  // errors name the file
    return 0;
  }
  auto classifier = classify::Classifier::create(*user);
  if (!classifier) return 0;
  static const Posting posting = [] {
    Posting p;
    p.get(Field::title) = "大模型算法工程师 LLM research engineer";
    p.get(Field::text) =
        "岗位职责：负责大模型预训练、RLHF 与推理部署 (vLLM, CUDA kernels); aaaaaaaaaaaab";
    return p;
  }();
  normalize::NormalizedPosting normalized;
  normalize::normalize_posting(posting, normalized);
  auto ws = classifier->make_workspace();
  (void)classifier->classify(posting, normalized, ws);
  return 0;
}
