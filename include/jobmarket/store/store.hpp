#pragma once
// The history store: one SQLite file (WAL mode) that keeps every ingested input file, every
// posting with its labels and extractions, and every sighting (which file and row, which
// day), so reports can span days and cron runs (docs/store.md).
//
// A posting is one distinct content (all its fields but the date) seen again and again;
// its identity `uid` is the hex of that content's hash, suffixed -2, -3... when the same
// content comes back after the dedup window (a repost). A sighting that repeats an earlier
// posting by the dedup rules (dedup/index.hpp) links to it: postings.duplicate_of names the
// unique posting it repeats. Each input file is ingested in one transaction: a crash or
// SIGKILL keeps every committed file and nothing of the one in progress.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/dedup/index.hpp>
#include <jobmarket/model/posting.hpp>
#include <jobmarket/pipeline/analysis.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::store {

// PRAGMA user_version of a store this build writes; older ones are migrated on open.
inline constexpr int kSchemaVersion = 1;

struct OpenOptions {
  bool create = false;  // create the file and its schema when missing (implies write)
  bool write = false;   // ingest, relabel
  // How long a writer waits for another one to finish its file (SQLite busy timeout).
  int busy_timeout_ms = 600000;
};

// One ingested input and its accounting.
struct FileRecord {
  std::int64_t id = 0;
  std::string path;
  std::string sha256;
  std::uint64_t bytes = 0;
  std::string format;
  std::string encoding;
  std::optional<std::string> seen;  // --seen YYYY-MM-DD
  std::uint64_t rows = 0;           // records + rejected rows
  std::uint64_t postings = 0;       // records
  std::uint64_t rejected_rows = 0;
  std::uint64_t file_errors = 0;
  std::map<std::string, std::uint64_t> reject_reasons;  // by category (rows and file errors)
};

// A sighting as a report replays it, in ingest order.
struct Sighting {
  std::int64_t id = 0;
  std::int64_t posting = 0;
  std::int64_t file = 0;  // FileRecord::id
  std::uint64_t row = 0;
  std::uint64_t line = 0;
  std::string_view fingerprint;  // dedup::kFingerprintBytes bytes
  std::optional<std::string> posted;         // extract::format_date()
  std::optional<std::string> unparsed_date;  // a date column that did not parse
  std::optional<std::string> seen;
  std::string_view direction;
  std::int64_t identity = 0;     // pipeline::posting_identity
  std::string_view facts;        // aggregate::encode_facts() as JSON text (no annual amount)
  std::string_view rules_version;
};

// A stored posting with what `classify --db` and `relabel` need.
struct StoredPosting {
  std::int64_t id = 0;
  std::string uid;
  Posting posting;               // fields as read; source: its first sighting (file below)
  std::string file;              // the first sighting's input
  std::string posted_raw;        // the first sighting's date column
  std::string match;             // "unique", "exact", "near"
  std::optional<std::int64_t> duplicate_of;
  std::string canonical_file;    // first sighting of the posting it repeats
  std::uint64_t canonical_row = 0;
  std::optional<std::string> first_seen, last_seen;
  std::uint64_t sightings = 0;
  std::string rules_version;
  std::string direction;
};

// A unique posting's sightings and those of its duplicates: first and last day seen.
struct Lifetime {
  std::string direction;
  std::string first_seen, last_seen;
};

class Store {
 public:
  // Opens (or with `create`, creates) the store; migrates an older schema when writing;
  // refuses a newer one or a file that is not a store, naming it.
  static Expected<Store> open(const std::string& path, const OpenOptions& options);
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  const std::string& path() const;
  int schema_version() const;
  std::optional<std::string> meta(const std::string& key) const;

  // Postings per rules version of their labels.
  Expected<std::map<std::string, std::uint64_t>> rules_versions() const;
  Expected<std::vector<FileRecord>> files() const;
  Expected<bool> has_file(const std::string& sha256) const;
  // f(sighting) for each sighting with id > `after`, in ingest order.
  Expected<bool> for_each_sighting(std::int64_t after,
                                   const std::function<Expected<bool>(const Sighting&)>& f) const;
  // f(posting) for each posting in id (first seen) order.
  Expected<bool> for_each_posting(const std::function<Expected<bool>(const StoredPosting&)>& f) const;
  // Lifetimes of the unique postings seen on dated sightings, and the last day any
  // sighting was seen (a posting seen that day may still be open).
  Expected<std::pair<std::vector<Lifetime>, std::optional<std::string>>> lifetimes() const;
  // `jobmarket db stats`: counts, dates, sizes (docs/store.md).
  Expected<nlohmann::ordered_json> stats() const;

  // Relabel: new labels for every posting, in one transaction; `label(posting)` gives the
  // posting's new analysis (direction, tags, facts). Returns postings whose direction
  // changed.
  Expected<std::uint64_t> relabel(const std::function<pipeline::Analysis(const StoredPosting&)>& label,
                                  const std::string& rules_version);

 private:
  friend class Ingester;
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m;
};

// Adds input files to a store, one transaction per file, deduplicating every posting
// against everything stored (by the same rules as a report over all the files in ingest
// order). Two ingests at once: the second waits for the first's file (up to the busy
// timeout) and then sees what it committed.
class Ingester {
 public:
  // Fails when the store was deduplicated with other options.
  static Expected<Ingester> create(Store& store, const dedup::Options& options, const std::string& rules_version);
  Ingester(Ingester&&) noexcept;
  ~Ingester();

  // Starts a file: takes the write lock, catches up with what other writers committed and
  // records the file. An error names the store ("database is locked" after the timeout).
  Expected<bool> begin(const FileRecord& file);
  // One posting of the file, in input order, analyzed (fingerprint included); `seen`: the
  // day of this sighting, if known.
  Expected<bool> add(const pipeline::Analysis& a, const std::optional<std::string>& seen);
  // Stores the file's accounting (format, encoding, checksum, counts) and commits.
  Expected<bool> commit(const FileRecord& counts);
  // Drops the file in progress (also done by the destructor).
  void rollback();

  struct FileStats {
    std::uint64_t sightings = 0, new_postings = 0, unique = 0, exact = 0, near = 0;
  };
  const FileStats& file_stats() const;
  const dedup::Index& index() const;

 private:
  struct Impl;
  explicit Ingester(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m;
};

}  // namespace jobmarket::store
