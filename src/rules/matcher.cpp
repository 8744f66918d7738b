#include <jobmarket/rules/matcher.hpp>

#include <algorithm>

#include <hs/hs.h>

#include <fmt/format.h>

#include <cstdlib>
#include <utility>

#include <jobmarket/normalize/text.hpp>

namespace jobmarket::rules {

Matcher::Scratch::Scratch(Scratch&& o) noexcept : m_scratch(o.m_scratch) { o.m_scratch = nullptr; }
Matcher::Scratch& Matcher::Scratch::operator=(Scratch&& o) noexcept {
  std::swap(m_scratch, o.m_scratch);
  return *this;
}
Matcher::Scratch::~Scratch() {
  if (m_scratch) hs_free_scratch(m_scratch);
}

namespace {

// Every byte as \xHH, so a literal needs no regex escaping. Written by hand: fmt::format
// per byte was half of start-up once the databases were precompiled.
std::string escape_literal(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() * 4);
  for (unsigned char c : s) {
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

// FNV-1a, 64 bits: the key of a pattern set in the precompiled registry.
struct Fnv {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  void add(std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
    h ^= 0xff;  // separator, so ("ab","c") and ("a","bc") differ
    h *= 0x100000001b3ULL;
  }
  void add(std::uint64_t v) { add(std::string_view(reinterpret_cast<const char*>(&v), sizeof v)); }
};

std::vector<std::pair<std::uint64_t, std::string_view>>& precompiled() {
  static std::vector<std::pair<std::uint64_t, std::string_view>> registry;
  return registry;
}

std::uint64_t read_le64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// The precompiled database for `key`, if there is one this process can run.
hs_database_t* load_precompiled(std::uint64_t key) {
  for (const auto& [k, bytes] : precompiled()) {
    if (k != key) continue;
    hs_database_t* db = nullptr;
    if (hs_deserialize_database(bytes.data(), bytes.size(), &db) != HS_SUCCESS) return nullptr;
    // Scratch allocation checks that the database suits this CPU.
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
      hs_free_database(db);
      return nullptr;
    }
    hs_free_scratch(scratch);
    return db;
  }
  return nullptr;
}

struct ScanContext {
  std::string_view text;
  const void* info;
  std::vector<Match>* out;
  std::vector<Match>* out_high = nullptr;  // scan_split: ids from first_high on go here
  std::uint32_t first_high = 0;
};

}  // namespace

void Matcher::add_precompiled(std::string_view blob) {
  while (blob.size() >= 16) {
    std::uint64_t key = read_le64(blob.data());
    std::uint64_t size = read_le64(blob.data() + 8);
    if (size > blob.size() - 16) return;  // truncated: ignore the rest
    precompiled().emplace_back(key, blob.substr(16, size));
    blob.remove_prefix(16 + size);
  }
}

std::string Matcher::serialize() const {
  if (!m_db) return {};
  char* bytes = nullptr;
  std::size_t size = 0;
  if (hs_serialize_database(m_db.get(), &bytes, &size) != HS_SUCCESS) throw std::bad_alloc();
  std::string out(bytes, size);
  std::free(bytes);
  return out;
}

Expected<Matcher> Matcher::compile(const std::vector<PatternSpec>& patterns) {
  Matcher m;
  if (patterns.empty()) return m;
  std::vector<std::string> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  expressions.reserve(patterns.size());
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    const auto& p = patterns[i];
    Info info{p.id, 0, false, false};
    if (p.is_regex) {
      if (p.text.empty()) return unexpected(fmt::format("pattern {}: empty regex", i));
      expressions.push_back(p.text);
      flags.push_back(HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_DOTALL);
    } else {
      std::string folded = normalize::fold(p.text);
      if (folded.empty())
        return unexpected(fmt::format("pattern {} ('{}'): empty term", i, p.text));
      info.length = static_cast<std::uint32_t>(folded.size());
      info.check_left = normalize::is_word_byte(static_cast<unsigned char>(folded.front()));
      info.check_right = normalize::is_word_byte(static_cast<unsigned char>(folded.back()));
      expressions.push_back(escape_literal(folded));
      flags.push_back(0);
    }
    ids.push_back(static_cast<unsigned>(i));
    m.m_info.push_back(info);
  }
  // Refuse regexes that match the empty string: they would "match" every posting.
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (!patterns[i].is_regex) continue;
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_expression_info(expressions[i].c_str(), flags[i], &info, &err) != HS_SUCCESS) {
      std::string msg = fmt::format("pattern {} ('{}'): {}", i, patterns[i].text,
                                    err ? err->message : "invalid");
      hs_free_compile_error(err);
      return unexpected(msg);
    }
    bool empty = info->min_width == 0;
    m.m_info[i].window = std::min<std::uint32_t>(info->max_width, kRegexWindow);
    std::free(info);
    if (empty)
      return unexpected(fmt::format("pattern {} ('{}'): matches the empty string, so it would "
                                    "match every posting",
                                    i, patterns[i].text));
  }
  Fnv fnv;
  fnv.add(hs_version());
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    fnv.add(expressions[i]);
    fnv.add(std::uint64_t{flags[i]});
    fnv.add(std::uint64_t{ids[i]});
  }
  m.m_key = fnv.h;
  if (hs_database_t* pre = load_precompiled(m.m_key)) {
    m.m_db = std::shared_ptr<hs_database>(pre, [](hs_database* d) { hs_free_database(d); });
    return m;
  }
  std::vector<const char*> cexpr;
  for (auto& e : expressions) cexpr.push_back(e.c_str());
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(cexpr.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(cexpr.size()), HS_MODE_BLOCK,
                       nullptr, &db, &err) != HS_SUCCESS) {
    std::string msg = "pattern compilation failed";
    if (err) {
      if (err->expression >= 0)
        msg = fmt::format("pattern {} ('{}'): {}", err->expression,
                          patterns[static_cast<std::size_t>(err->expression)].text, err->message);
      else
        msg = err->message;
      hs_free_compile_error(err);
    }
    return unexpected(msg);
  }
  m.m_db = std::shared_ptr<hs_database>(db, [](hs_database* d) { hs_free_database(d); });
  return m;
}

Matcher::Scratch Matcher::make_scratch() const {
  Scratch s;
  if (m_db && hs_alloc_scratch(m_db.get(), &s.m_scratch) != HS_SUCCESS)
    throw std::bad_alloc();
  return s;
}

void Matcher::scan(std::string_view text, Scratch& scratch, std::vector<Match>& out) const {
  scan_into(text, scratch, out, nullptr, 0);
}

void Matcher::scan_split(std::string_view text, Scratch& scratch, std::uint32_t first_high,
                         std::vector<Match>& low, std::vector<Match>& high) const {
  scan_into(text, scratch, low, &high, first_high);
}

void Matcher::scan_into(std::string_view text, Scratch& scratch, std::vector<Match>& out,
                        std::vector<Match>* high, std::uint32_t first_high) const {
  if (!m_db || text.empty()) return;
  if (!scratch.m_scratch && hs_alloc_scratch(m_db.get(), &scratch.m_scratch) != HS_SUCCESS)
    throw std::bad_alloc();
  ScanContext ctx{text, &m_info, &out, high, first_high};
  auto on_match = [](unsigned int index, unsigned long long from, unsigned long long to,
                     unsigned int, void* user) -> int {
    auto* c = static_cast<ScanContext*>(user);
    const auto& info = (*static_cast<const std::vector<Info>*>(c->info))[index];
    (void)from;  // 0: start-of-match is not tracked (see Info::window)
    const auto* t = reinterpret_cast<const unsigned char*>(c->text.data());
    unsigned long long begin = 0;
    if (info.length) {
      begin = to - info.length;
    } else {
      begin = to - std::min<unsigned long long>(to, info.window);
      while (begin < to && (t[begin] & 0xC0) == 0x80) ++begin;  // start on a character
    }
    if (info.check_left && begin > 0 && normalize::is_word_byte(t[begin - 1])) return 0;
    if (info.check_right && to < c->text.size() && normalize::is_word_byte(t[to])) return 0;
    if (c->out_high && info.id >= c->first_high)
      c->out_high->push_back(Match{info.id - c->first_high, static_cast<std::uint32_t>(begin),
                                   static_cast<std::uint32_t>(to)});
    else
      c->out->push_back(Match{info.id, static_cast<std::uint32_t>(begin),
                              static_cast<std::uint32_t>(to)});
    return 0;
  };
  hs_scan(m_db.get(), text.data(), static_cast<unsigned>(text.size()), 0, scratch.m_scratch,
          on_match, &ctx);
}

}  // namespace jobmarket::rules
