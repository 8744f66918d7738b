// Text normalization and the rule matcher on arbitrary bytes: output is always valid UTF-8
// and matches lie inside the text.
#include <cstdint>
#include <string_view>
#include <vector>

#include <jobmarket/normalize/text.hpp>
#include <jobmarket/rules/matcher.hpp>
#include <jobmarket/util/utf8.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobmarket;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string folded = normalize::fold(in);
  if (!utf8::is_valid(folded)) __builtin_trap();
  if (normalize::fold(folded) != folded) __builtin_trap();  // folding is idempotent
  static const auto matcher = *rules::Matcher::compile(
      {{"rag", false, 0}, {"agent", false, 1}, {"大模型", false, 2}, {"c++", false, 3},
       {"\\d+\\s*年", true, 4}});
  static auto scratch = matcher.make_scratch();
  std::vector<rules::Match> matches;
  matcher.scan(folded, scratch, matches);
  for (const auto& m : matches)
    if (m.begin > m.end || m.end > folded.size()) __builtin_trap();
  return 0;
}
