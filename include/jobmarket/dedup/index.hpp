#pragma once
// The deduplication index: which postings repeat one seen before (docs/dedup.md).
//
// A posting repeats an earlier one (any earlier one, not only the first of its kind) when
//  - exact: same normalized title, company, location and description, or
//  - near (--dedup near, descriptions of at least kMinShingles shingles): same normalized
//    company and title and an estimated Jaccard similarity of the descriptions' shingles
//    of at least kThreshold, the location free (one posting listed in several cities),
// and their posting dates lie within the window of each other (an undated posting is
// within any window). Decisions are made once, in input order, and never revised, so
// "earlier" can be an earlier file, an earlier part of a merge, or an earlier ingest.
//
// Memory is bounded: signatures and hashes, never texts, at most Options::memory_bytes.
// When full, the entries with the oldest posting dates are evicted; postings that might
// have repeated an evicted one are counted (Stats::unchecked), never hidden. Pure: no I/O.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jobmarket/dedup/fingerprint.hpp>
#include <jobmarket/extract/date.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::dedup {

enum class Mode { none, exact, near };
std::string_view mode_name(Mode m);  // "none", "exact", "near"
std::optional<Mode> mode_from_name(std::string_view name);

// Near duplicates: estimated Jaccard similarity of the descriptions' shingle sets at or
// above this (pairs measured on the corpora: docs/dedup.md). In bins: at least
// kMinEqualBins of the kBins agree.
inline constexpr double kThreshold = 0.9;
unsigned min_equal_bins();

inline constexpr std::int32_t kDefaultWindowDays = 60;
inline constexpr std::size_t kDefaultMemoryBytes = std::size_t{160} << 20;
// Entries are numbered in 24 bits inside the hash tables.
inline constexpr std::size_t kMaxEntries = (std::size_t{1} << 24) - 2;

struct Options {
  Mode mode = Mode::near;
  std::int32_t window_days = kDefaultWindowDays;  // 0: the same day only
  std::size_t memory_bytes = kDefaultMemoryBytes;
  // Remember, for every entry, the `source` of the unique posting it leads back to, so a
  // verdict can name it (classify's duplicate_of, the store): 8 bytes more per entry.
  bool keep_sources = false;
};

// A posting date as days since 1970-01-01, first and last day of what the date states (a
// month spans its days); undated: every day.
struct Days {
  std::int32_t first = kUndatedFirst;
  std::int32_t last = kUndatedLast;
  static constexpr std::int32_t kUndatedFirst = -(1 << 30);
  static constexpr std::int32_t kUndatedLast = 1 << 30;
  bool dated() const { return first != kUndatedFirst; }
  bool operator==(const Days&) const = default;
};
Days days_of(const std::optional<extract::Date>& date);

enum class Match : std::uint8_t { none, exact, near };
std::string_view match_name(Match m);  // "unique", "exact", "near"

struct Verdict {
  Match match = Match::none;   // none: the posting is unique (the first of its kind)
  std::uint64_t canonical = 0; // with keep_sources: the source of the unique posting repeated
};

class Index {
 public:
  explicit Index(Options options = {});
  Index(Index&&) noexcept;
  Index& operator=(Index&&) noexcept;
  ~Index();

  // Decides whether the posting repeats one recorded here, then records it. `source` is
  // the caller's name for the posting (returned as Verdict::canonical of later repeats).
  Verdict add(const Fingerprint& fp, Days days, std::uint64_t source);
  // Whether the posting repeats one recorded here; records nothing (merge asks this of a
  // later part's unique postings).
  Verdict find(const Fingerprint& fp, Days days) const;
  // Records every entry of `other` (the index of inputs that come after this one's).
  void absorb(const Index& other);

  struct Stats {
    std::uint64_t entries = 0;     // held now
    std::uint64_t bytes = 0;       // memory they take
    std::uint64_t evicted = 0;     // entries dropped to stay within memory_bytes
    std::uint64_t unchecked = 0;   // unique postings that might repeat an evicted entry
    std::optional<std::int32_t> horizon;  // latest last day of an evicted entry
    bool evicted_undated = false;  // an undated entry was evicted: every later posting unchecked
  };
  Stats stats() const;
  const Options& options() const;

  // A compact binary form (entries and stats, not sources) for partial reports; load()
  // checks it and fails with a message on anything malformed.
  std::string save() const;
  static Expected<Index> load(std::string_view bytes, const Options& options);

 private:
  struct Impl;
  std::unique_ptr<Impl> m;
};

}  // namespace jobmarket::dedup
