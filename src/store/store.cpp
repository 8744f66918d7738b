#include <jobmarket/store/store.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <sys/stat.h>

#include "sqlite.hpp"
#include <jobmarket/aggregate/facts.hpp>
#include <jobmarket/extract/date.hpp>
#include <jobmarket/util/hash.hpp>

namespace jobmarket::store {

namespace {

using Json = nlohmann::ordered_json;

// Migration N takes a store from schema N-1 to N; each runs in the transaction that also
// sets PRAGMA user_version, so a store is never half migrated. Indexes are few on purpose:
// each index of random keys (a hash) costs a random page per inserted posting, which is
// what an ingest spends its time on once the store outgrows the page cache. `uid` is
// unique by construction (content hash, then -2, -3...), `content` is the one lookup.
const std::vector<const char*>& migrations() {
  static const std::vector<const char*> m = {
      // 1: files, postings, sightings.
      R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE files(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  format TEXT NOT NULL,
  encoding TEXT NOT NULL,
  seen TEXT,
  rows INTEGER NOT NULL DEFAULT 0,
  postings INTEGER NOT NULL DEFAULT 0,
  rejected_rows INTEGER NOT NULL DEFAULT 0,
  file_errors INTEGER NOT NULL DEFAULT 0,
  reject_reasons TEXT NOT NULL DEFAULT '{}');
CREATE INDEX files_sha256 ON files(sha256);
CREATE TABLE postings(
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL,
  content INTEGER NOT NULL,
  identity INTEGER NOT NULL,
  fingerprint BLOB NOT NULL,
  duplicate_of INTEGER REFERENCES postings(id),
  match TEXT NOT NULL,
  source_id TEXT NOT NULL,
  title TEXT NOT NULL,
  company TEXT NOT NULL,
  location TEXT NOT NULL,
  salary TEXT NOT NULL,
  education TEXT NOT NULL,
  experience TEXT NOT NULL,
  text TEXT NOT NULL,
  direction TEXT NOT NULL,
  confidence REAL NOT NULL,
  tags TEXT NOT NULL,
  facts TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  first_seen TEXT,
  last_seen TEXT,
  sightings INTEGER NOT NULL DEFAULT 0);
CREATE INDEX postings_content ON postings(content);
CREATE TABLE sightings(
  id INTEGER PRIMARY KEY,
  posting INTEGER NOT NULL REFERENCES postings(id),
  file INTEGER NOT NULL REFERENCES files(id),
  row INTEGER NOT NULL,
  line INTEGER NOT NULL,
  seen TEXT,
  posted TEXT,
  posted_raw TEXT NOT NULL,
  unparsed_date TEXT,
  match TEXT NOT NULL);
CREATE INDEX sightings_posting ON sightings(posting);
)sql",
  };
  return m;
}

// A posting's content identity: every field but the date, byte for byte.
std::uint64_t content_hash(const Posting& p) {
  std::uint64_t h = 0x6a6f626d61726b74ULL;
  for (auto f : {Field::id, Field::title, Field::company, Field::location, Field::salary, Field::education,
                 Field::experience, Field::text})
    h = util::hash64(p.get(f), h ^ static_cast<std::uint64_t>(f));
  return h;
}

std::string hex16(std::uint64_t v) { return fmt::format("{:016x}", v); }

std::optional<extract::Date> date_from_text(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  auto d = extract::parse_date(*s);
  if (!d) return std::nullopt;
  return *d;
}

std::string reasons_json(const std::map<std::string, std::uint64_t>& m) { return Json(m).dump(); }

}  // namespace

// ---------------------------------------------------------------------------- Store

struct Store::Impl {
  sql::Db db;
  int version = 0;
  std::string path;
  bool write = false;
  explicit Impl(sql::Db d) : db(std::move(d)) {}
};

Store::Store(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

const std::string& Store::path() const { return m->path; }
int Store::schema_version() const { return m->version; }

Expected<Store> Store::open(const std::string& path, const OpenOptions& o) {
  const bool write = o.write || o.create;
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && !o.create)
    return unexpected(path + ": no such store (create it with `jobmarket ingest FILE --db " + path + "`)");
  if (exists && !S_ISREG(st.st_mode)) return unexpected(path + ": not a regular file");
  auto db = sql::Db::open(path, write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
  if (!db) return unexpected(db.error());
  auto impl = std::make_unique<Impl>(std::move(*db));
  impl->path = path;
  impl->write = write;
  auto& d = impl->db;
  d.busy_timeout(o.busy_timeout_ms);
  auto not_a_store = [&](std::string why) {
    if (why.starts_with(path + ": ")) why.erase(0, path.size() + 2);
    return unexpected(path + ": not a jobmarket store (" + why + ")");
  };
  auto v = d.prepare("PRAGMA user_version");
  if (!v) return not_a_store(v.error());
  auto row = v->step();
  if (!row) return not_a_store(row.error());
  int version = static_cast<int>(v->integer(0));
  v->reset();  // an open statement holds a read transaction
  if (version > kSchemaVersion)
    return unexpected(fmt::format("{}: schema version {} is newer than this jobmarket's ({}): upgrade jobmarket",
                                  path, version, kSchemaVersion));
  if (version == 0) {
    // A new file, or one that is not ours.
    auto tables = d.prepare("SELECT count(*) FROM sqlite_master");
    if (!tables) return not_a_store(tables.error());
    if (auto r = tables->step(); !r) return not_a_store(r.error());
    const bool has_tables = tables->integer(0) != 0;
    tables->reset();
    if (has_tables) return not_a_store("it has tables but no schema version");
  }
  if (write) {
    // WAL: readers (reports) never block the writer; FULL: a committed file survives a
    // power cut, not only a crash.
    // 32 MiB of page cache: a file's transaction inserts into four indexes at random
    // places; with SQLite's 2 MiB default their pages were written out and read back
    // (a third of an ingest's time was in pread/pwrite).
    if (auto r = d.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                        "PRAGMA cache_size=-32768");
        !r)
      return unexpected(r.error());
    if (version < kSchemaVersion) {
      if (auto r = d.exec("BEGIN IMMEDIATE"); !r) return unexpected(r.error());
      // Re-read under the lock: another process may have migrated meanwhile.
      auto again = d.prepare("PRAGMA user_version");
      if (!again || !again->step()) {
        d.exec("ROLLBACK");
        return unexpected(d.error());
      }
      version = static_cast<int>(again->integer(0));
      again->reset();
      for (int next = version + 1; next <= kSchemaVersion; ++next) {
        auto r = d.exec(migrations()[static_cast<std::size_t>(next - 1)]);
        if (r) r = d.exec(fmt::format("PRAGMA user_version={}", next));
        if (!r) {
          d.exec("ROLLBACK");
          return unexpected(r.error());
        }
      }
      if (auto r = d.exec("COMMIT"); !r) {
        d.exec("ROLLBACK");
        return unexpected(r.error());
      }
      version = kSchemaVersion;
    }
  } else if (version == 0) {
    return not_a_store("empty");
  } else if (version < kSchemaVersion) {
    return unexpected(fmt::format("{}: schema version {} needs migrating to {}: run `jobmarket db migrate --db {}`",
                                  path, version, kSchemaVersion, path));
  }
  impl->version = version;
  return Store(std::move(impl));
}

std::optional<std::string> Store::meta(const std::string& key) const {
  auto s = m->db.prepare("SELECT value FROM meta WHERE key = ?");
  if (!s) return std::nullopt;
  s->bind(1, key);
  auto r = s->step();
  if (!r || !*r) return std::nullopt;
  return std::string(s->text(0));
}

Expected<std::map<std::string, std::uint64_t>> Store::rules_versions() const {
  auto s = m->db.prepare("SELECT rules_version, count(*) FROM postings GROUP BY rules_version ORDER BY rules_version");
  if (!s) return unexpected(s.error());
  std::map<std::string, std::uint64_t> out;
  for (;;) {
    auto r = s->step();
    if (!r) return unexpected(r.error());
    if (!*r) break;
    out[std::string(s->text(0))] = static_cast<std::uint64_t>(s->integer(1));
  }
  return out;
}

Expected<std::vector<FileRecord>> Store::files() const {
  auto s = m->db.prepare(
      "SELECT id, path, sha256, bytes, format, encoding, seen, rows, postings, rejected_rows, file_errors, "
      "reject_reasons FROM files ORDER BY id");
  if (!s) return unexpected(s.error());
  std::vector<FileRecord> out;
  for (;;) {
    auto r = s->step();
    if (!r) return unexpected(r.error());
    if (!*r) break;
    FileRecord f;
    f.id = s->integer(0);
    f.path = s->text(1);
    f.sha256 = s->text(2);
    f.bytes = static_cast<std::uint64_t>(s->integer(3));
    f.format = s->text(4);
    f.encoding = s->text(5);
    f.seen = s->opt_text(6);
    f.rows = static_cast<std::uint64_t>(s->integer(7));
    f.postings = static_cast<std::uint64_t>(s->integer(8));
    f.rejected_rows = static_cast<std::uint64_t>(s->integer(9));
    f.file_errors = static_cast<std::uint64_t>(s->integer(10));
    try {
      f.reject_reasons = nlohmann::json::parse(s->text(11)).get<std::map<std::string, std::uint64_t>>();
    } catch (const nlohmann::json::exception& e) {
      return unexpected(m->db.error(fmt::format("file {}: reject reasons: {}", f.id, e.what())));
    }
    out.push_back(std::move(f));
  }
  return out;
}

Expected<bool> Store::has_file(const std::string& sha256) const {
  auto s = m->db.prepare("SELECT 1 FROM files WHERE sha256 = ? LIMIT 1");
  if (!s) return unexpected(s.error());
  s->bind(1, sha256);
  return s->step();
}

Expected<bool> Store::for_each_sighting(std::int64_t after,
                                        const std::function<Expected<bool>(const Sighting&)>& f) const {
  auto s = m->db.prepare(
      "SELECT s.id, s.posting, s.file, s.row, s.line, p.fingerprint, s.posted, s.unparsed_date, s.seen, "
      "p.direction, p.identity, p.facts, p.rules_version "
      "FROM sightings s JOIN postings p ON p.id = s.posting WHERE s.id > ? ORDER BY s.id");
  if (!s) return unexpected(s.error());
  s->bind(1, after);
  Sighting x;
  for (;;) {
    auto r = s->step();
    if (!r) return unexpected(r.error());
    if (!*r) break;
    x.id = s->integer(0);
    x.posting = s->integer(1);
    x.file = s->integer(2);
    x.row = static_cast<std::uint64_t>(s->integer(3));
    x.line = static_cast<std::uint64_t>(s->integer(4));
    x.fingerprint = s->blob(5);
    x.posted = s->opt_text(6);
    x.unparsed_date = s->opt_text(7);
    x.seen = s->opt_text(8);
    x.direction = s->text(9);
    x.identity = s->integer(10);
    x.facts = s->text(11);
    x.rules_version = s->text(12);
    if (auto ok = f(x); !ok) return ok;
  }
  return true;
}

Expected<bool> Store::for_each_posting(const std::function<Expected<bool>(const StoredPosting&)>& f) const {
  auto s = m->db.prepare(
      "SELECT p.id, p.uid, p.source_id, p.title, p.company, p.location, p.salary, p.education, p.experience, "
      "p.text, p.match, p.duplicate_of, p.first_seen, p.last_seen, p.sightings, p.rules_version, p.direction, "
      "s.row, s.line, s.posted_raw, f.path, cs.row, cf.path "
      "FROM postings p "
      "JOIN sightings s ON s.id = (SELECT min(id) FROM sightings WHERE posting = p.id) "
      "JOIN files f ON f.id = s.file "
      "LEFT JOIN sightings cs ON cs.id = (SELECT min(id) FROM sightings WHERE posting = p.duplicate_of) "
      "LEFT JOIN files cf ON cf.id = cs.file "
      "ORDER BY p.id");
  if (!s) return unexpected(s.error());
  for (;;) {
    auto r = s->step();
    if (!r) return unexpected(r.error());
    if (!*r) break;
    StoredPosting p;
    p.id = s->integer(0);
    p.uid = s->text(1);
    int col = 2;
    for (auto field : {Field::id, Field::title, Field::company, Field::location, Field::salary, Field::education,
                       Field::experience, Field::text})
      p.posting.get(field) = s->text(col++);
    p.match = s->text(10);
    if (!s->is_null(11)) p.duplicate_of = s->integer(11);
    p.first_seen = s->opt_text(12);
    p.last_seen = s->opt_text(13);
    p.sightings = static_cast<std::uint64_t>(s->integer(14));
    p.rules_version = s->text(15);
    p.direction = s->text(16);
    p.posting.source.row = static_cast<std::uint64_t>(s->integer(17));
    p.posting.source.line = static_cast<std::uint64_t>(s->integer(18));
    p.posted_raw = s->text(19);
    p.posting.get(Field::posted) = p.posted_raw;
    p.file = s->text(20);
    p.canonical_row = static_cast<std::uint64_t>(s->integer(21));
    p.canonical_file = s->text(22);
    p.posting.source.file = p.file;
    if (auto ok = f(p); !ok) return ok;
  }
  return true;
}

Expected<std::pair<std::vector<Lifetime>, std::optional<std::string>>> Store::lifetimes() const {
  auto s = m->db.prepare(
      "SELECT c.direction, x.first, x.last FROM "
      "(SELECT coalesce(p.duplicate_of, p.id) AS unique_id, min(s.seen) AS first, max(s.seen) AS last "
      " FROM sightings s JOIN postings p ON p.id = s.posting WHERE s.seen IS NOT NULL GROUP BY unique_id) x "
      "JOIN postings c ON c.id = x.unique_id ORDER BY x.unique_id");
  if (!s) return unexpected(s.error());
  std::vector<Lifetime> out;
  for (;;) {
    auto r = s->step();
    if (!r) return unexpected(r.error());
    if (!*r) break;
    out.push_back({std::string(s->text(0)), std::string(s->text(1)), std::string(s->text(2))});
  }
  auto last = m->db.prepare("SELECT max(seen) FROM sightings");
  if (!last) return unexpected(last.error());
  if (auto r = last->step(); !r) return unexpected(r.error());
  return std::make_pair(std::move(out), last->opt_text(0));
}

Expected<nlohmann::ordered_json> Store::stats() const {
  Json j;
  j["store"] = m->path;
  j["schema_version"] = m->version;
  auto one = [&](const char* q) -> Expected<Json> {
    auto s = m->db.prepare(q);
    if (!s) return unexpected(s.error());
    auto r = s->step();
    if (!r) return unexpected(r.error());
    Json row = Json::array();
    for (int c = 0; c < s->columns(); ++c) {
      if (s->is_null(c)) row.push_back(nullptr);
      else if (s->type(c) == SQLITE_INTEGER) row.push_back(s->integer(c));
      else row.push_back(std::string(s->text(c)));
    }
    return row;
  };
  auto files = one("SELECT count(*), min(seen), max(seen), coalesce(sum(rows),0), coalesce(sum(rejected_rows),0) FROM files");
  auto post = one(
      "SELECT count(*), coalesce(sum(duplicate_of IS NULL),0), coalesce(sum(match = 'exact'),0), "
      "coalesce(sum(match = 'near'),0) FROM postings");
  auto sight = one(
      "SELECT count(*), coalesce(sum(match = 'unique'),0), coalesce(sum(match = 'exact'),0), "
      "coalesce(sum(match = 'near'),0), min(posted), max(posted), min(seen), max(seen) FROM sightings");
  auto pages = one("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
  for (auto* e : {&files, &post, &sight, &pages})
    if (!*e) return unexpected(e->error());
  const auto& fr = *files;
  j["files"] = {{"ingested", fr[0]}, {"first_seen", fr[1]}, {"last_seen", fr[2]}, {"rows", fr[3]},
                {"rejected_rows", fr[4]}};
  const auto& pr = *post;
  j["postings"] = {{"stored", pr[0]}, {"unique", pr[1]}, {"exact_duplicates", pr[2]}, {"near_duplicates", pr[3]}};
  const auto& sr = *sight;
  j["sightings"] = {{"total", sr[0]}, {"unique", sr[1]}, {"exact", sr[2]}, {"near", sr[3]},
                    {"posted_from", sr[4]}, {"posted_to", sr[5]}, {"seen_from", sr[6]}, {"seen_to", sr[7]}};
  auto dirs = m->db.prepare(
      "SELECT direction, count(*), coalesce(sum(duplicate_of IS NULL),0) FROM postings GROUP BY direction ORDER BY direction");
  if (!dirs) return unexpected(dirs.error());
  Json d = Json::object();
  for (;;) {
    auto r = dirs->step();
    if (!r) return unexpected(r.error());
    if (!*r) break;
    d[std::string(dirs->text(0))] = {{"postings", dirs->integer(1)}, {"unique", dirs->integer(2)}};
  }
  j["directions"] = std::move(d);
  auto rv = rules_versions();
  if (!rv) return unexpected(rv.error());
  j["rules_versions"] = *rv;
  j["dedup"] = {{"mode", meta("dedup_mode").value_or("none")},
                {"window_days", meta("dedup_window").has_value() ? Json(std::stoi(*meta("dedup_window"))) : Json(nullptr)}};
  j["bytes"] = (*pages)[0];
  return j;
}

Expected<std::uint64_t> Store::relabel(const std::function<pipeline::Analysis(const StoredPosting&)>& label,
                                       const std::string& rules_version) {
  auto& d = m->db;
  if (auto r = d.exec("BEGIN IMMEDIATE"); !r) return unexpected(r.error());
  auto fail = [&](std::string e) -> Expected<std::uint64_t> {
    d.exec("ROLLBACK");
    return unexpected(std::move(e));
  };
  auto up = d.prepare(
      "UPDATE postings SET direction = ?, confidence = ?, tags = ?, facts = ?, rules_version = ? WHERE id = ?");
  if (!up) return fail(up.error());
  std::uint64_t changed = 0;
  auto ok = for_each_posting([&](const StoredPosting& p) -> Expected<bool> {
    const auto a = label(p);
    const auto dir = std::string(classify::direction_name(a.classification.direction));
    if (dir != p.direction) ++changed;
    up->bind(1, dir)
        .bind_double(2, a.classification.confidence)
        .bind(3, nlohmann::json(a.classification.tags).dump())
        .bind(4, aggregate::encode_facts(a, std::nullopt).dump())
        .bind(5, rules_version)
        .bind(6, p.id);
    return up->run();
  });
  if (!ok) return fail(ok.error());
  auto meta_up = d.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('rules_version', ?)");
  if (!meta_up) return fail(meta_up.error());
  meta_up->bind(1, rules_version);
  if (auto r = meta_up->run(); !r) return fail(r.error());
  if (auto r = d.exec("COMMIT"); !r) return fail(r.error());
  return changed;
}

// ------------------------------------------------------------------------- Ingester

struct Ingester::Impl {
  Store* store = nullptr;
  dedup::Index index;
  std::string rules_version;
  std::int64_t replayed = 0;     // sightings already in the index
  std::int64_t next_posting = 1;
  std::int64_t file_id = 0;
  bool in_txn = false;
  FileStats stats;
  sql::Stmt find_posting, count_content, insert_posting, insert_sighting, touch_posting;

  sql::Db& db() { return store->m->db; }
};

Ingester::Ingester(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
Ingester::Ingester(Ingester&&) noexcept = default;
Ingester::~Ingester() {
  if (m) rollback();
}

const Ingester::FileStats& Ingester::file_stats() const { return m->stats; }
const dedup::Index& Ingester::index() const { return m->index; }

Expected<Ingester> Ingester::create(Store& store, const dedup::Options& options, const std::string& rules_version) {
  if (!store.m->write) return unexpected(store.path() + ": opened read-only");
  auto o = options;
  o.keep_sources = true;  // a sighting links to the posting it repeats
  const std::string mode(dedup::mode_name(o.mode));
  const auto stored_mode = store.meta("dedup_mode");
  const auto stored_window = store.meta("dedup_window");
  if (stored_mode && (*stored_mode != mode || (o.mode != dedup::Mode::none && stored_window &&
                                               *stored_window != std::to_string(o.window_days))))
    return unexpected(fmt::format("{}: deduplicated with --dedup {} --dedup-window {}; ingest with the same options",
                                  store.path(), *stored_mode, stored_window.value_or("-")));
  auto impl = std::make_unique<Impl>();
  impl->store = &store;
  impl->index = dedup::Index(o);
  impl->rules_version = rules_version;
  auto& d = store.m->db;
  auto prep = [&](sql::Stmt& into, std::string_view q) -> Expected<bool> {
    auto s = d.prepare(q);
    if (!s) return unexpected(s.error());
    into = std::move(*s);
    return true;
  };
  for (auto r : {prep(impl->find_posting,
                      "SELECT id FROM postings WHERE content = ? AND (id = ? OR duplicate_of = ?) ORDER BY id DESC LIMIT 1"),
                 prep(impl->count_content, "SELECT count(*) FROM postings WHERE content = ?"),
                 prep(impl->insert_posting,
                      "INSERT INTO postings(id, uid, content, identity, fingerprint, duplicate_of, match, source_id, "
                      "title, company, location, salary, education, experience, text, direction, confidence, tags, "
                      "facts, rules_version, first_seen, last_seen, sightings) "
                      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?21,?21,1)"),
                 prep(impl->insert_sighting,
                      "INSERT INTO sightings(posting, file, row, line, seen, posted, posted_raw, unparsed_date, match) "
                      "VALUES(?,?,?,?,?,?,?,?,?)"),
                 prep(impl->touch_posting,
                      "UPDATE postings SET sightings = sightings + 1, "
                      "first_seen = CASE WHEN ?1 IS NULL THEN first_seen WHEN first_seen IS NULL OR ?1 < first_seen "
                      "THEN ?1 ELSE first_seen END, "
                      "last_seen = CASE WHEN ?1 IS NULL THEN last_seen WHEN last_seen IS NULL OR ?1 > last_seen "
                      "THEN ?1 ELSE last_seen END WHERE id = ?2")})
    if (!r) return unexpected(r.error());
  return Ingester(std::move(impl));
}

Expected<bool> Ingester::begin(const FileRecord& file) {
  auto& d = m->db();
  if (auto r = d.exec("BEGIN IMMEDIATE"); !r) {
    if ((d.errcode() & 0xFF) == SQLITE_BUSY)
      return unexpected(d.error("busy: another jobmarket ingest or relabel is writing it (waited --busy-timeout)"));
    return r;
  }
  m->in_txn = true;
  m->stats = {};
  auto fail = [&](std::string e) -> Expected<bool> {
    rollback();
    return unexpected(std::move(e));
  };
  // What other writers committed since we last looked goes into the index first.
  auto ok = m->store->for_each_sighting(m->replayed, [&](const Sighting& s) -> Expected<bool> {
    dedup::Fingerprint fp;
    if (!dedup::read_fingerprint(s.fingerprint, fp))
      return unexpected(d.error(fmt::format("posting {}: malformed fingerprint", s.posting)));
    m->index.add(fp, dedup::days_of(date_from_text(s.posted)), static_cast<std::uint64_t>(s.posting));
    m->replayed = s.id;
    return true;
  });
  if (!ok) return fail(ok.error());
  auto next = d.prepare("SELECT coalesce(max(id), 0) + 1 FROM postings");
  if (!next) return fail(next.error());
  if (auto r = next->step(); !r) return fail(r.error());
  m->next_posting = next->integer(0);
  // The store's dedup settings and labels version, set by its first ingest.
  const auto& o = m->index.options();
  auto meta = d.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES(?, ?)");
  if (!meta) return fail(meta.error());
  for (auto [k, v] : {std::pair<std::string, std::string>{"dedup_mode", std::string(dedup::mode_name(o.mode))},
                      {"dedup_window", std::to_string(o.window_days)},
                      {"rules_version", m->rules_version}}) {
    meta->bind(1, k).bind(2, v);
    if (auto r = meta->run(); !r) return fail(r.error());
  }
  auto ins = d.prepare("INSERT INTO files(path, sha256, bytes, format, encoding, seen) VALUES(?,?,?,?,?,?)");
  if (!ins) return fail(ins.error());
  ins->bind(1, file.path).bind(2, file.sha256).bind(3, static_cast<std::int64_t>(file.bytes)).bind(4, file.format);
  ins->bind(5, file.encoding).bind(6, file.seen);
  if (auto r = ins->run(); !r) return fail(r.error());
  m->file_id = d.last_rowid();
  return true;
}

Expected<bool> Ingester::add(const pipeline::Analysis& a, const std::optional<std::string>& seen) {
  auto& p = a.posting;
  const std::uint64_t content = content_hash(p);
  const auto days = dedup::days_of(a.posted);
  const std::int64_t candidate = m->next_posting;
  const auto v = m->index.add(a.fingerprint, days, static_cast<std::uint64_t>(candidate));
  std::int64_t posting = 0;
  if (v.match != dedup::Match::none) {
    // The same content already linked to the same unique posting: one more sighting of it.
    const auto canonical = static_cast<std::int64_t>(v.canonical);
    auto& f = m->find_posting;
    f.bind(1, static_cast<std::int64_t>(content)).bind(2, canonical).bind(3, canonical);
    auto r = f.step();
    if (!r) return r;
    if (*r) posting = f.integer(0);
    f.reset();
  }
  if (posting == 0) {
    auto& c = m->count_content;
    c.bind(1, static_cast<std::int64_t>(content));
    auto r = c.step();
    if (!r) return r;
    const std::int64_t same = c.integer(0);
    c.reset();
    std::string uid = hex16(content);
    if (same > 0) {
      // Appended in two steps: GCC 12 at -O3 reads `"-" + std::to_string(...)` as an
      // overlapping memcpy (a false -Wrestrict, an error in a -Werror build).
      uid += '-';
      uid += std::to_string(same + 1);
    }
    std::string fingerprint;
    dedup::append_fingerprint(fingerprint, a.fingerprint);
    auto& ins = m->insert_posting;
    ins.bind(1, candidate).bind(2, uid).bind(3, static_cast<std::int64_t>(content));
    ins.bind(4, static_cast<std::int64_t>(a.identity ? a.identity : pipeline::posting_identity(p)));
    ins.bind_blob(5, fingerprint);
    if (v.match == dedup::Match::none) ins.bind_null(6);
    else ins.bind(6, static_cast<std::int64_t>(v.canonical));
    ins.bind(7, dedup::match_name(v.match));
    int col = 8;
    for (auto field : {Field::id, Field::title, Field::company, Field::location, Field::salary, Field::education,
                       Field::experience, Field::text})
      ins.bind(col++, std::string_view(p.get(field)));
    ins.bind(16, classify::direction_name(a.classification.direction));
    ins.bind_double(17, a.classification.confidence);
    ins.bind(18, nlohmann::json(a.classification.tags).dump());
    ins.bind(19, aggregate::encode_facts(a, std::nullopt).dump());
    ins.bind(20, m->rules_version);
    ins.bind(21, seen);  // and its first sighting counted: no update below
    if (auto w = ins.run(); !w) return w;
    posting = candidate;
    ++m->next_posting;
    ++m->stats.new_postings;
  }
  auto& s = m->insert_sighting;
  s.bind(1, posting).bind(2, m->file_id).bind(3, static_cast<std::int64_t>(p.source.row));
  s.bind(4, static_cast<std::int64_t>(p.source.line)).bind(5, seen);
  s.bind(6, a.posted ? std::optional<std::string>(extract::format_date(*a.posted)) : std::nullopt);
  s.bind(7, std::string_view(p.get(Field::posted))).bind(8, a.unparsed_date);
  s.bind(9, dedup::match_name(v.match));
  if (auto w = s.run(); !w) return w;
  m->replayed = m->db().last_rowid();
  if (posting != candidate) {
    auto& t = m->touch_posting;
    t.bind(1, seen).bind(2, posting);
    if (auto w = t.run(); !w) return w;
  }
  ++m->stats.sightings;
  if (v.match == dedup::Match::none) ++m->stats.unique;
  if (v.match == dedup::Match::exact) ++m->stats.exact;
  if (v.match == dedup::Match::near) ++m->stats.near;
  return true;
}

Expected<bool> Ingester::commit(const FileRecord& c) {
  auto& d = m->db();
  auto up = d.prepare(
      "UPDATE files SET rows = ?, postings = ?, rejected_rows = ?, file_errors = ?, reject_reasons = ?, "
      "sha256 = ?, bytes = ?, format = ?, encoding = ? WHERE id = ?");
  auto fail = [&](std::string e) -> Expected<bool> {
    rollback();
    return unexpected(std::move(e));
  };
  if (!up) return fail(up.error());
  up->bind(1, static_cast<std::int64_t>(c.rows)).bind(2, static_cast<std::int64_t>(c.postings));
  up->bind(3, static_cast<std::int64_t>(c.rejected_rows)).bind(4, static_cast<std::int64_t>(c.file_errors));
  up->bind(5, reasons_json(c.reject_reasons)).bind(6, c.sha256).bind(7, static_cast<std::int64_t>(c.bytes));
  up->bind(8, c.format).bind(9, c.encoding).bind(10, m->file_id);
  if (auto r = up->run(); !r) return fail(r.error());
  if (auto r = d.exec("COMMIT"); !r) return fail(r.error());
  m->in_txn = false;
  return true;
}

void Ingester::rollback() {
  if (!m->in_txn) return;
  m->db().exec("ROLLBACK");
  m->in_txn = false;
  // The index holds postings that were rolled back: rebuild it from what is committed.
  m->index = dedup::Index(m->index.options());
  m->replayed = 0;
}

}  // namespace jobmarket::store
