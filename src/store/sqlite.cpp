#include "sqlite.hpp"

#include <utility>

namespace jobmarket::store::sql {

Conn::~Conn() {
  if (db) sqlite3_close(db);
}

std::string Conn::error(std::string_view what) const {
  return path + ": " + (what.empty() ? std::string(sqlite3_errmsg(db)) : std::string(what));
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (m_s) sqlite3_finalize(m_s);
    m_conn = o.m_conn;
    m_s = std::exchange(o.m_s, nullptr);
  }
  return *this;
}

Stmt::~Stmt() {
  if (m_s) sqlite3_finalize(m_s);
}

Stmt& Stmt::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(m_s, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text64(m_s, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Stmt& Stmt::bind_blob(int i, std::string_view v) {
  sqlite3_bind_blob64(m_s, i, v.data(), v.size(), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(m_s, i);
  return *this;
}
Stmt& Stmt::bind(int i, const std::optional<std::string>& v) { return v ? bind(i, std::string_view(*v)) : bind_null(i); }
Stmt& Stmt::bind(int i, const std::optional<std::int64_t>& v) { return v ? bind(i, *v) : bind_null(i); }

Stmt& Stmt::bind_double(int i, double v) {
  sqlite3_bind_double(m_s, i, v);
  return *this;
}
int Stmt::columns() const { return sqlite3_column_count(m_s); }
int Stmt::type(int col) const { return sqlite3_column_type(m_s, col); }

Expected<bool> Stmt::step() {
  const int rc = sqlite3_step(m_s);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string message = m_conn->error();
  sqlite3_reset(m_s);
  return unexpected(std::move(message));
}

Expected<bool> Stmt::run() {
  auto r = step();
  reset();
  if (!r) return r;
  return true;
}

void Stmt::reset() {
  sqlite3_reset(m_s);
  sqlite3_clear_bindings(m_s);
}

std::int64_t Stmt::integer(int col) const { return sqlite3_column_int64(m_s, col); }
std::string_view Stmt::text(int col) const {
  const auto* p = sqlite3_column_text(m_s, col);
  const int n = sqlite3_column_bytes(m_s, col);
  return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string_view();
}
std::string_view Stmt::blob(int col) const {
  const auto* p = sqlite3_column_blob(m_s, col);
  const int n = sqlite3_column_bytes(m_s, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string_view();
}
bool Stmt::is_null(int col) const { return sqlite3_column_type(m_s, col) == SQLITE_NULL; }
std::optional<std::string> Stmt::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return std::string(text(col));
}

Expected<Db> Db::open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = path + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return unexpected(std::move(message));
  }
  sqlite3_extended_result_codes(db, 1);
  auto conn = std::make_unique<Conn>();
  conn->db = db;
  conn->path = path;
  return Db(std::move(conn));
}

Expected<bool> Db::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(m_conn->db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = m_conn->path + ": " + (err ? err : sqlite3_errmsg(m_conn->db));
    sqlite3_free(err);
    return unexpected(std::move(message));
  }
  return true;
}

Expected<Stmt> Db::prepare(std::string_view sql) const {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(m_conn->db, sql.data(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK)
    return unexpected(error());
  return Stmt(m_conn.get(), s);
}

std::int64_t Db::last_rowid() const { return sqlite3_last_insert_rowid(m_conn->db); }
void Db::busy_timeout(int ms) { sqlite3_busy_timeout(m_conn->db, ms); }
int Db::errcode() const { return sqlite3_errcode(m_conn->db); }
std::string Db::error(std::string_view what) const { return m_conn->error(what); }

}  // namespace jobmarket::store::sql
