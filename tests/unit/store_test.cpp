// The history store: schema versions, one transaction per file, what a second writer sees,
// posting identity across sightings and reposts.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>

#include <jobmarket/pipeline/analyzer.hpp>
#include <jobmarket/read/reader.hpp>
#include <jobmarket/rules/rule_set.hpp>
#include <jobmarket/store/store.hpp>

#include "test_support.hpp"

using namespace jobmarket;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/jobmarket-store-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::vector<pipeline::Analysis> analyze(const fs::path& file) {
  static auto analyzer = [] {
    auto rules = rules::RuleSet::builtin();
    auto classifier = classify::Classifier::create(*rules);
    auto barriers = extract::BarrierExtractor::builtin();
    pipeline::AnalyzerConfig config;
    config.classifier = std::make_shared<classify::Classifier>(std::move(*classifier));
    config.barriers = std::make_shared<extract::BarrierExtractor>(std::move(*barriers));
    config.dedup = dedup::Mode::near;
    return std::make_shared<pipeline::Analyzer>(std::move(config));
  }();
  auto reader = read::PostingReader::open({file.string()}, {});
  EXPECT_TRUE(reader);
  std::vector<pipeline::Analysis> out;
  auto ws = analyzer->make_workspace();
  pipeline::Analysis a;
  read::Reject reject;
  while ((*reader)->next(a.posting, reject) == read::Next::record) {
    analyzer->analyze(a, ws);
    out.push_back(a);
  }
  return out;
}

const fs::path kDups = jobmarket::testing::source_dir() / "tests" / "e2e" / "data" / "dups.csv";

void raw_sql(const fs::path& db, const char* sql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, sql, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(h);
}

store::FileRecord file_record(const std::string& path) {
  store::FileRecord f;
  f.path = path;
  f.sha256 = "sha-" + path;
  f.format = "csv";
  f.encoding = "utf-8";
  return f;
}

// One file ingested in its own transaction.
void ingest(store::Ingester& ing, const std::string& name, const std::vector<pipeline::Analysis>& postings,
            const std::optional<std::string>& seen = std::nullopt) {
  auto rec = file_record(name);
  ASSERT_TRUE(ing.begin(rec));
  for (const auto& a : postings) ASSERT_TRUE(ing.add(a, seen));
  rec.postings = rec.rows = postings.size();
  ASSERT_TRUE(ing.commit(rec));
}

std::uint64_t count(const fs::path& db, const char* table) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(h, (std::string("SELECT count(*) FROM ") + table).c_str(), -1, &s, nullptr);
  sqlite3_step(s);
  const auto n = static_cast<std::uint64_t>(sqlite3_column_int64(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(h);
  return n;
}

}  // namespace

TEST(Store, CreatedWithTheSchemaAndReadBack) {
  TempDir t;
  const auto db = t.path / "m.sqlite";
  EXPECT_EQ(store::Store::open(db.string(), {}).error(),
            db.string() + ": no such store (create it with `jobmarket ingest FILE --db " + db.string() + "`)");
  {
    auto st = store::Store::open(db.string(), {.create = true});
    ASSERT_TRUE(st) << st.error();
    EXPECT_EQ(st->schema_version(), store::kSchemaVersion);
  }
  auto ro = store::Store::open(db.string(), {});
  ASSERT_TRUE(ro);
  EXPECT_TRUE(ro->files()->empty());
}

TEST(Store, RefusesNewerSchemasAndForeignFiles) {
  TempDir t;
  const auto newer = t.path / "newer.sqlite", foreign = t.path / "foreign.sqlite", text = t.path / "x.csv";
  raw_sql(newer, "PRAGMA user_version=99");
  EXPECT_EQ(store::Store::open(newer.string(), {.write = true}).error(),
            newer.string() + ": schema version 99 is newer than this jobmarket's (1): upgrade jobmarket");
  raw_sql(foreign, "CREATE TABLE t(x)");
  EXPECT_EQ(store::Store::open(foreign.string(), {.write = true}).error(),
            foreign.string() + ": not a jobmarket store (it has tables but no schema version)");
  { std::FILE* f = std::fopen(text.c_str(), "w"); std::fputs("id,title\n1,x\n", f); std::fclose(f); }
  EXPECT_EQ(store::Store::open(text.string(), {.write = true}).error(),
            text.string() + ": not a jobmarket store (file is not a database)");
  EXPECT_EQ(jobmarket::testing::read_file(text), "id,title\n1,x\n");  // never written
}

TEST(Store, AnEmptyFileBecomesAStore) {
  TempDir t;
  const auto db = t.path / "empty.sqlite";
  { std::FILE* f = std::fopen(db.c_str(), "w"); std::fclose(f); }
  auto st = store::Store::open(db.string(), {.write = true});
  ASSERT_TRUE(st) << st.error();
  EXPECT_EQ(st->schema_version(), 1);
}

TEST(Store, ARolledBackFileLeavesNothing) {
  TempDir t;
  const auto db = t.path / "m.sqlite";
  auto st = store::Store::open(db.string(), {.create = true});
  auto ing = store::Ingester::create(*st, {}, "r1");
  ASSERT_TRUE(ing);
  const auto postings = analyze(kDups);
  ingest(*ing, "one.csv", postings);
  ASSERT_TRUE(ing->begin(file_record("two.csv")));
  for (const auto& a : postings) ASSERT_TRUE(ing->add(a, std::nullopt));
  ing->rollback();
  EXPECT_EQ(count(db, "files"), 1u);
  EXPECT_EQ(count(db, "sightings"), postings.size());
  // And the index forgot it: the same postings again are sightings of the stored ones.
  ingest(*ing, "two.csv", postings);
  EXPECT_EQ(ing->file_stats().new_postings, 0u);
  EXPECT_EQ(ing->file_stats().unique, 0u);
}

TEST(Store, SameContentIsOnePostingARepostIsAnother) {
  TempDir t;
  const auto db = t.path / "m.sqlite";
  auto st = store::Store::open(db.string(), {.create = true});
  auto ing = store::Ingester::create(*st, {}, "r1");
  auto postings = analyze(kDups);
  ingest(*ing, "night1.csv", postings, "2025-01-20");
  ingest(*ing, "night2.csv", postings, "2025-01-21");
  EXPECT_EQ(count(db, "postings"), postings.size());
  EXPECT_EQ(count(db, "sightings"), 2 * postings.size());
  // D-01 again in September, 4 months after its last repost (D-05): the same content, a new posting.
  auto later = postings[0];
  later.posted = extract::Date{2025, 9, 1};
  ingest(*ing, "september.csv", {later}, "2025-09-01");
  EXPECT_EQ(ing->file_stats().unique, 1u);
  std::vector<std::string> uids;
  ASSERT_TRUE(st->for_each_posting([&](const store::StoredPosting& p) -> Expected<bool> {
    if (p.posting.id() == "D-01") uids.push_back(p.uid);
    if (p.posting.id() == "D-02") {
      EXPECT_EQ(p.match, "exact");
      EXPECT_EQ(p.canonical_file, "night1.csv");
      EXPECT_EQ(p.canonical_row, 1u);
      EXPECT_EQ(p.first_seen, "2025-01-20");
      EXPECT_EQ(p.last_seen, "2025-01-21");
      EXPECT_EQ(p.sightings, 2u);
    }
    return true;
  }));
  ASSERT_EQ(uids.size(), 2u);
  EXPECT_EQ(uids[1], uids[0] + "-2");
  // Other dedup options than the store's are refused.
  dedup::Options exact;
  exact.mode = dedup::Mode::exact;
  EXPECT_EQ(store::Ingester::create(*st, exact, "r1").error(),
            db.string() + ": deduplicated with --dedup near --dedup-window 60; ingest with the same options");
}

TEST(Store, ASecondWriterWaitsOrFailsAndThenSeesTheFirst) {
  TempDir t;
  const auto db = t.path / "m.sqlite";
  auto a = store::Store::open(db.string(), {.create = true});
  auto b = store::Store::open(db.string(), {.write = true, .busy_timeout_ms = 0});
  ASSERT_TRUE(a && b);
  auto first = store::Ingester::create(*a, {}, "r1");
  auto second = store::Ingester::create(*b, {}, "r1");
  const auto postings = analyze(kDups);
  auto rec = file_record("first.csv");
  ASSERT_TRUE(first->begin(rec));
  for (const auto& p : postings) ASSERT_TRUE(first->add(p, std::nullopt));
  EXPECT_EQ(second->begin(file_record("second.csv")).error(),
            db.string() + ": busy: another jobmarket ingest or relabel is writing it (waited --busy-timeout)");
  // Readers are not blocked, and see only what is committed.
  EXPECT_TRUE(store::Store::open(db.string(), {})->files()->empty());
  rec.postings = rec.rows = postings.size();
  ASSERT_TRUE(first->commit(rec));
  // The second catches up with the first's file before deduplicating its own.
  ingest(*second, "second.csv", postings);
  EXPECT_EQ(second->file_stats().unique, 0u);
  EXPECT_EQ(second->file_stats().sightings, postings.size());
  EXPECT_EQ(count(db, "files"), 2u);
}
