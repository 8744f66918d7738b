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

  // Databases serialized at build time (src/tools/precompile_rules.cpp) for the built-in
  // tables: compiling them is most of start-up. compile() deserializes one instead when its
  // key matches the patterns exactly; one this vectorscan or CPU cannot use is ignored and
  // the patterns are compiled as usual. `blob` is records of (key: 8 bytes, size: 8 bytes,
  // serialized database), little-endian; it must outlive the process (static data).
  static void add_precompiled(std::string_view blob);
  // The key of this database: a hash of the patterns, flags and the vectorscan version.
  std::uint64_t key() const { return m_key; }
  // hs_serialize_database, for the build-time tool.
  std::string serialize() const;

  Scratch make_scratch() const;

  // Appends every match in `text` to `out`, ordered by end offset.
  void scan(std::string_view text, Scratch& scratch, std::vector<Match>& out) const;
  // The same for one database serving two tables: matches of ids below `first_high` are
  // appended to `low`, the others to `high` with `first_high` subtracted from their ids
  // (pipeline::Analyzer; sorting them out afterwards copied every match once more).
  void scan_split(std::string_view text, Scratch& scratch, std::uint32_t first_high,
                  std::vector<Match>& low, std::vector<Match>& high) const;

  std::size_t size() const { return m_info.size(); }

 private:
  struct Info {
    std::uint32_t id;
    std::uint32_t length;  // literal length in bytes; 0 for regexes
    bool check_left;
    bool check_right;
    // Regexes: the bytes before the match end shown as the matched text (the regex's
    // width when fixed, else its maximum up to kRegexWindow). Start-of-match tracking is
    // not used: vectorscan 5.4.9 aborts in hs_scan on some SOM patterns (docs/robustness.md).
    std::uint32_t window = 0;
  };
  static constexpr std::uint32_t kRegexWindow = 48;
  // scan() and scan_split(): ids from first_high on go to *high when it is given.
  void scan_into(std::string_view text, Scratch& scratch, std::vector<Match>& out,
                 std::vector<Match>* high, std::uint32_t first_high) const;
  std::shared_ptr<hs_database> m_db;
  std::vector<Info> m_info;
  std::uint64_t m_key = 0;
};

}  // namespace jobmarket::rules
