#pragma once
// A thin RAII layer over SQLite's C API: a connection, prepared statements, and errors as
// values that name the database file. Private to src/store.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <jobmarket/util/expected.hpp>

namespace jobmarket::store::sql {

// The open connection; heap-held so statements keep pointing at it when a Db moves.
struct Conn {
  sqlite3* db = nullptr;
  std::string path;
  ~Conn();
  std::string error(std::string_view what = {}) const;
};

class Stmt {
 public:
  Stmt() = default;
  Stmt(Stmt&& o) noexcept : m_conn(o.m_conn), m_s(o.m_s) { o.m_s = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Binds by 1-based position; text and blobs are copied (SQLITE_TRANSIENT).
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind_blob(int i, std::string_view v);
  Stmt& bind_null(int i);
  Stmt& bind(int i, const std::optional<std::string>& v);
  Stmt& bind(int i, const std::optional<std::int64_t>& v);
  Stmt& bind_double(int i, double v);

  // SQLITE_ROW: true; SQLITE_DONE: false; anything else: an error (statement reset).
  Expected<bool> step();
  // Runs to the end (a write); an error otherwise.
  Expected<bool> run();
  void reset();

  std::int64_t integer(int col) const;
  std::string_view text(int col) const;   // "" for NULL; valid until the next step
  std::string_view blob(int col) const;
  bool is_null(int col) const;
  std::optional<std::string> opt_text(int col) const;
  int columns() const;
  int type(int col) const;  // SQLITE_INTEGER, SQLITE_TEXT, SQLITE_NULL...

 private:
  friend class Db;
  Stmt(const Conn* conn, sqlite3_stmt* s) : m_conn(conn), m_s(s) {}
  const Conn* m_conn = nullptr;
  sqlite3_stmt* m_s = nullptr;
};

class Db {
 public:
  // flags: SQLITE_OPEN_READONLY, or SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE.
  static Expected<Db> open(const std::string& path, int flags);
  Db(Db&&) noexcept = default;
  Db& operator=(Db&&) noexcept = default;

  Expected<bool> exec(const std::string& sql);
  Expected<Stmt> prepare(std::string_view sql) const;
  std::int64_t last_rowid() const;
  void busy_timeout(int ms);
  // "PATH: message" for the connection's last error (or `what` when given).
  std::string error(std::string_view what = {}) const;
  int errcode() const;
  const std::string& path() const { return m_conn->path; }
  sqlite3* raw() const { return m_conn->db; }

 private:
  explicit Db(std::unique_ptr<Conn> c) : m_conn(std::move(c)) {}
  std::unique_ptr<Conn> m_conn;
};

}  // namespace jobmarket::store::sql
