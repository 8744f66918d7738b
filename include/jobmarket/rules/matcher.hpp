#pragma once
// One-pass multi-pattern matching over normalized text, with vectorscan (a DFA/NFA
// engine: no backtracking, linear time whatever the patterns).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <jobmarket/util/expected.hpp>

struct hs_database;
struct hs_scratch;

namespace jobmarket::rules {

struct PatternSpec {
  std::string text;       // a literal term, or a regex when is_regex
  bool is_regex = false;  // regexes are case-insensitive and UTF-8 aware
  std::uint32_t id = 0;   // the caller's id, reported with each match
};

struct Match {
  std::uint32_t id;
  std::uint32_t begin;  // byte offsets into the scanned text
  std::uint32_t end;
};

class Matcher {
 public:
  // Per-thread working memory for scan(); create one per worker thread.
  class Scratch {
   public:
    Scratch() = default;
    Scratch(Scratch&&) noexcept;
    Scratch& operator=(Scratch&&) noexcept;
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    ~Scratch();

   private:
    friend class Matcher;
    hs_scratch* m_scratch = nullptr;
  };

  // Literals are folded (normalize::fold) so they match folded text. A literal whose first
  // or last byte is an ASCII letter/digit only matches at a Latin word boundary there
  // (`rag` does not match `storage`); CJK terms match anywhere. Errors name the pattern
  // index and text: empty patterns and regexes that can match the empty string are refused.
  static Expected<Matcher> compile(const std::vector<PatternSpec>& patterns);

  Scratch make_scratch() const;

  // Appends every match in `text` to `out`, ordered by end offset.
  void scan(std::string_view text, Scratch& scratch, std::vector<Match>& out) const;

  std::size_t size() const { return m_info.size(); }

 private:
  struct Info {
    std::uint32_t id;
    std::uint32_t length;  // literal length in bytes; 0 for regexes (start of match used)
    bool check_left;
    bool check_right;
  };
  std::shared_ptr<hs_database> m_db;
  std::vector<Info> m_info;
};

}  // namespace jobmarket::rules
