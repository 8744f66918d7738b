// jobmarket ingest FILE... --db STORE: adds input files to the history store, one
// transaction per file, every posting labeled and deduplicated against everything stored
// (docs/store.md). A file already stored (same SHA-256) is skipped, so rerunning an
// interrupted ingest finishes it.
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "analysis.hpp"
#include "command.hpp"
#include "io.hpp"
#include <jobmarket/cli/app.hpp>
#include <jobmarket/store/store.hpp>

namespace jobmarket::cli {

namespace {

struct IngestArgs {
  InputArgs input;
  AnalysisArgs analysis;
  std::string seen;
  int busy_timeout = 600;
};

// SHA-256 of a regular file, read once before ingesting it; "" for anything else (stdin,
// a pipe), whose checksum comes from reading it.
std::string file_sha256(const std::string& path, std::uint64_t& bytes) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};  // the reader reports it, naming the file
  auto* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::string buf(1 << 20, '\0');
  bytes = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    EVP_DigestUpdate(ctx, buf.data(), static_cast<std::size_t>(n));
    bytes += static_cast<std::uint64_t>(n);
  }
  ::close(fd);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  for (unsigned i = 0; i < len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

// Fault injection for the crash and lock tests (tests/scripts/test_store.py), never set in
// use: JOBMARKET_FAULT=kill-after-sightings=N | kill-before-commit=K | kill-after-commit=K
// sends SIGKILL to this process at that moment (N sightings into the run, the K-th file);
// hold-before-commit=K keeps the K-th file's transaction (and the write lock) open until
// the file $JOBMARKET_FAULT_RELEASE exists, after creating $JOBMARKET_FAULT_RELEASE.held.
struct Fault {
  std::string what;
  std::uint64_t at = 0;
  static Fault from_env() {
    Fault f;
    const char* v = std::getenv("JOBMARKET_FAULT");
    if (!v) return f;
    std::string_view s = v;
    const auto eq = s.find('=');
    if (eq == std::string_view::npos) return f;
    f.what = std::string(s.substr(0, eq));
    f.at = std::strtoull(std::string(s.substr(eq + 1)).c_str(), nullptr, 10);
    return f;
  }
  void check(std::string_view moment, std::uint64_t count) const {
    if (what.empty() || count != at) return;
    if (what == moment) std::raise(SIGKILL);
    if (what == "hold-before-commit" && moment == "kill-before-commit") hold();
  }
  static void hold() {
    const char* release = std::getenv("JOBMARKET_FAULT_RELEASE");
    if (!release) return;
    const std::string held = std::string(release) + ".held";
    if (FILE* f = std::fopen(held.c_str(), "w")) std::fclose(f);
    struct stat st {};
    while (::stat(release, &st) != 0) ::usleep(10000);
  }
};

int run_ingest(const IngestArgs& a, const Globals& g) {
  if (!a.analysis.since.empty())
    throw UsageError{"--since: not for ingest (the store keeps every posting; filter with report --db --since)"};
  if (!a.analysis.until.empty())
    throw UsageError{"--until: not for ingest (the store keeps every posting; filter with report --db --until)"};
  if (a.busy_timeout < 0 || a.busy_timeout > 86400)
    throw UsageError{fmt::format("--busy-timeout {}: expected seconds from 0 to 86400", a.busy_timeout)};
  // Full fingerprints whatever --dedup says: a later report --db may deduplicate otherwise.
  auto setup = build_analysis(a.analysis, /*evidence=*/false, /*full_fingerprints=*/true);
  std::optional<std::string> seen;
  if (!a.seen.empty()) {
    auto d = extract::parse_date_argument(a.seen, setup.dates);
    if (!d) throw UsageError{fmt::format("--seen '{}': {}", a.seen, d.error())};
    if (d->precision != extract::Date::Precision::day)
      throw UsageError{fmt::format("--seen '{}': expected a day (YYYY-MM-DD)", a.seen)};
    seen = extract::format_date(*d);
  } else if (setup.dates.as_of) {
    seen = extract::format_date(*setup.dates.as_of);
  }
  const auto dedup_options = setup.dedup;
  setup.dedup.mode = dedup::Mode::none;  // the ingester deduplicates, against the store

  // The store never overwrites an input.
  struct stat db_st {};
  if (::stat(a.input.db.c_str(), &db_st) == 0) {
    for (const auto& f : a.input.files) {
      struct stat in_st {};
      if (f != "-" && ::stat(f.c_str(), &in_st) == 0 && in_st.st_dev == db_st.st_dev && in_st.st_ino == db_st.st_ino)
        throw UsageError{fmt::format("--db {}: is also an input file", a.input.db)};
    }
  }
  auto st = store::Store::open(a.input.db, {.create = true, .write = true, .busy_timeout_ms = a.busy_timeout * 1000});
  if (!st) throw UsageError{st.error()};
  auto versions = st->rules_versions();
  if (!versions) throw UsageError{versions.error()};
  for (const auto& [version, n] : *versions)
    if (version != setup.rules_version)
      throw UsageError{fmt::format("{}: {} postings are labeled with rules {}, not {}: run `jobmarket relabel --db {}` "
                                   "first",
                                   a.input.db, n, version, setup.rules_version, a.input.db)};
  auto ingester = store::Ingester::create(*st, dedup_options, setup.rules_version);
  if (!ingester) throw UsageError{ingester.error()};

  const auto fault = Fault::from_env();
  std::uint64_t sightings = 0, files_done = 0;
  int exit_code = kExitOk;
  const auto files = a.input.files.empty() ? std::vector<std::string>{"-"} : a.input.files;
  for (const auto& file : files) {
    store::FileRecord rec;
    rec.path = file == "-" ? "<stdin>" : file;
    rec.seen = seen;
    rec.sha256 = file_sha256(file, rec.bytes);
    if (!rec.sha256.empty()) {
      auto have = st->has_file(rec.sha256);
      if (!have) throw UsageError{have.error()};
      if (*have) {
        if (!g.quiet) fmt::print(stderr, "jobmarket: {}: already in {} (same SHA-256), skipped\n", file, a.input.db);
        continue;
      }
    }
    if (auto ok = ingester->begin(rec); !ok) throw UsageError{ok.error()};
    InputArgs in = a.input;
    in.files = {file};
    auto summary = run_analysis(
        in, setup, g, {},
        [&](const pipeline::Analysis& an, std::string_view) {
          fault.check("kill-after-sightings", ++sightings);
          std::optional<std::string> when = seen;
          if (!when && an.posted && an.posted->precision == extract::Date::Precision::day)
            when = extract::format_date(*an.posted);
          if (auto ok = ingester->add(an, when); !ok) throw UsageError{ok.error()};
        },
        /*digest=*/true);
    if (summary.stopped) {
      ingester->rollback();
      fmt::print(stderr, "jobmarket: {}: --strict stopped at a rejected row: nothing of it was stored\n", file);
      return kExitDataErrors;
    }
    const auto& info = summary.files.front();
    rec.format = read::format_name(info.format);
    rec.encoding = info.encoding;
    if (info.stats) {
      rec.bytes = info.stats->bytes.load();
      rec.sha256 = info.stats->sha256;
    }
    const auto& o = summary.overview;
    rec.postings = o.records();
    rec.rejected_rows = o.rejected_rows();
    rec.file_errors = o.file_errors();
    rec.rows = o.records() + o.rejected_rows();
    rec.reject_reasons = o.reject_reasons();
    if (file == "-") {
      auto have = st->has_file(rec.sha256);
      if (have && *have) {
        ingester->rollback();
        if (!g.quiet) fmt::print(stderr, "jobmarket: {}: already in {} (same SHA-256), skipped\n", rec.path, a.input.db);
        continue;
      }
    }
    fault.check("kill-before-commit", files_done + 1);
    if (auto ok = ingester->commit(rec); !ok) throw UsageError{ok.error()};
    ++files_done;
    fault.check("kill-after-commit", files_done);
    exit_code = std::max(exit_code, summary.exit_code);
    if (!g.quiet) {
      const auto& fs = ingester->file_stats();
      fmt::print(stderr,
                 "jobmarket: {}: {} postings stored in {}: {} unique, {} exact and {} near duplicates; {} new "
                 "postings{}\n",
                 rec.path, fs.sightings, a.input.db, fs.unique, fs.exact, fs.near, fs.new_postings,
                 rec.rejected_rows ? fmt::format("; {} rows rejected", rec.rejected_rows) : "");
    }
  }
  return exit_code;
}

}  // namespace

Run setup_ingest(CLI::App& app) {
  auto a = std::make_shared<IngestArgs>();
  add_input_options(app, a->input);
  add_analysis_options(app, a->analysis);
  add_dedup_options(app, a->analysis, dedup::Mode::near);
  app.add_option("--db", a->input.db, "The history store (SQLite) to add to; created when missing")
      ->type_name("STORE")
      ->required();
  app.add_option("--seen", a->seen,
                 "The day these files were scraped (YYYY-MM-DD): each sighting's date, for first/last "
                 "seen (default: --as-of, else the posting's date)")
      ->type_name("DATE");
  app.add_option("--busy-timeout", a->busy_timeout,
                 "Seconds to wait while another ingest writes the store (0 to 86400; then exit 2, nothing lost)")
      ->default_str("600");
  return [a](const Globals& g) { return run_ingest(*a, g); };
}

}  // namespace jobmarket::cli
