#include <jobmarket/render/record.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include <jobmarket/render/escape.hpp>
#include <jobmarket/util/scan.hpp>

namespace jobmarket::render {

std::string format_number(double v) {
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 1e15)
    return fmt::format("{}", static_cast<long long>(v));
  std::string s = fmt::format("{:.2f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

namespace {

// Writes a record through a raw pointer into space reserved for the worst case (every
// string byte escaped as \u00XX), so each piece is a copy without a capacity check:
// rendering was a fifth of `classify --format ndjson` when every piece was a std::string
// append (docs/performance.md).
class Writer {
 public:
  // The record is written into a per-thread scratch buffer that only ever grows (growing a
  // std::string zero-fills the new bytes, which cost more than the record when done per
  // record), then appended to `out` in one copy.
  // A record with a huge field gets a buffer of its own, freed after it.
  Writer(std::string& out, std::size_t bound) : m_out(out) {
    constexpr std::size_t kKeep = std::size_t{1} << 20;
    thread_local std::string scratch;
    std::string* buf = &scratch;
    if (bound > kKeep) buf = &m_large;
    if (buf->size() < bound) buf->resize(std::min(std::max(bound, 2 * buf->size()), std::max(bound, kKeep)));
    m_begin = m_p = buf->data();
  }
  ~Writer() { m_out.append(m_begin, static_cast<std::size_t>(m_p - m_begin)); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  template <std::size_t N>
  void lit(const char (&s)[N]) {
    std::memcpy(m_p, s, N - 1);
    m_p += N - 1;
  }
  void raw(std::string_view s) {
    std::memcpy(m_p, s.data(), s.size());
    m_p += s.size();
  }
  // A name of ours (field, enum value): never needs escaping, so no scan.
  void name(std::string_view s) {
    *m_p++ = '"';
    raw(s);
    *m_p++ = '"';
  }
  void str(std::string_view s) {
    *m_p++ = '"';
    if (s.size() <= 16 && scan::copy_plain_short(s.data(), s.size(), m_p)) {
      m_p += s.size();
      *m_p++ = '"';
      return;
    }
    std::size_t i = 0;
    while (i < s.size()) {
      std::size_t run = scan::find_json_special(s.data() + i, s.size() - i);
      std::memcpy(m_p, s.data() + i, run);
      m_p += run;
      i += run;
      if (i == s.size()) break;
      m_p += write_json_escape(static_cast<unsigned char>(s[i++]), m_p);
    }
    *m_p++ = '"';
  }
  void integer(long long v) {
    fmt::format_int f(v);
    raw(std::string_view(f.data(), f.size()));
  }
  // A value in [0, 1] with three decimals, as "{:.3f}" writes it (confidence).
  void fixed3(double v) {
    const double scaled = v * 1000.0;
    const long long k = std::llround(scaled);
    if (!(v >= 0.0 && v <= 1.0) || std::signbit(v) || std::fabs(scaled - static_cast<double>(k)) > 1e-6) {
      m_p = fmt::format_to(m_p, "{:.3f}", v);
      return;
    }
    *m_p++ = static_cast<char>('0' + k / 1000);
    *m_p++ = '.';
    *m_p++ = static_cast<char>('0' + k / 100 % 10);
    *m_p++ = static_cast<char>('0' + k / 10 % 10);
    *m_p++ = static_cast<char>('0' + k % 10);
  }
  void number(double v) {
    if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 1e15) integer(static_cast<long long>(v));
    else raw(format_number(v));
  }
  void boolean(bool b) {
    if (b) lit("true");
    else lit("false");
  }
  void str_list(const std::vector<std::string>& v) {
    *m_p++ = '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) *m_p++ = ',';
      str(v[i]);
    }
    *m_p++ = ']';
  }
  void evidence_list(const std::vector<classify::Evidence>& ev) {
    *m_p++ = '[';
    for (std::size_t i = 0; i < ev.size(); ++i) {
      if (i) *m_p++ = ',';
      lit("{\"rule\":");
      str(ev[i].rule);
      lit(",\"field\":");
      name(field_name(ev[i].field));
      lit(",\"text\":");
      str(ev[i].text);
      *m_p++ = '}';
    }
    *m_p++ = ']';
  }

  // Worst-case sizes of what the methods above write.
  static std::size_t str_bound(std::string_view s) { return 2 + 6 * s.size(); }
  static std::size_t list_bound(const std::vector<std::string>& v) {
    std::size_t n = 2;
    for (const auto& s : v) n += 1 + str_bound(s);
    return n;
  }
  static std::size_t evidence_bound(const std::vector<classify::Evidence>& ev) {
    std::size_t n = 2;
    for (const auto& e : ev) n += 64 + str_bound(e.rule) + str_bound(e.text);
    return n;
  }

 private:
  std::string& m_out;
  std::string m_large;
  char* m_begin;
  char* m_p;
};

std::size_t record_bound(const pipeline::Analysis& a, const RecordOptions& o) {
  const auto& p = a.posting;
  // Keys, punctuation, enum names, booleans and integers: far below 1024; the confidence
  // takes up to 320 if it ever were out of [0, 1] (written by fmt then).
  std::size_t n = 1024 + 320 + Writer::str_bound(p.source.file) + Writer::str_bound(o.rules_version);
  for (auto f : {Field::id, Field::title, Field::company, Field::location})
    n += Writer::str_bound(p.get(f));
  n += Writer::list_bound(a.classification.tags);
  if (o.evidence) n += Writer::evidence_bound(a.classification.evidence);
  if (a.salary.salary) {
    // low and high: format_number writes up to ~310 characters for a huge amount.
    n += 2 * 320 + Writer::str_bound(a.salary.salary->currency) +
         Writer::str_bound(a.salary.salary->raw);
  } else if (a.salary.unparsed) {
    n += Writer::str_bound(*a.salary.unparsed);
  }
  if (o.duplicate_of) n += 64 + Writer::str_bound(a.duplicate_of.file);
  const auto& b = a.barriers;
  n += Writer::list_bound(b.school_tier) + Writer::list_bound(b.majors) +
       Writer::list_bound(b.venues) + Writer::evidence_bound(b.evidence);
  return n;
}

void salary_json(Writer& w, const extract::SalaryResult& r) {
  w.lit(",\"salary\":");
  if (r.salary) {
    const auto& s = *r.salary;
    w.lit("{\"low\":");
    if (s.low) w.number(*s.low);
    else w.lit("null");
    w.lit(",\"high\":");
    if (s.high) w.number(*s.high);
    else w.lit("null");
    w.lit(",\"currency\":");
    if (s.currency.empty()) w.lit("null");
    else w.str(s.currency);
    w.lit(",\"period\":");
    if (s.negotiable && !s.low) w.lit("null");
    else w.name(extract::period_name(s.period));
    w.lit(",\"months_per_year\":");
    if (s.months_per_year) w.integer(*s.months_per_year);
    else w.lit("null");
    w.lit(",\"negotiable\":");
    w.boolean(s.negotiable);
    w.lit(",\"inferred\":");
    w.boolean(s.currency_inferred);
    w.lit(",\"estimated\":");
    w.boolean(s.estimated);
    w.lit(",\"source\":");
    w.name(s.source == extract::SalarySource::field ? "field" : "text");
    w.lit(",\"raw\":");
    w.str(s.raw);
    w.lit("}");
  } else if (r.unparsed) {
    w.lit("{\"unparsed\":");
    w.str(*r.unparsed);
    if (!r.reason.empty()) {  // a short fixed phrase: within the bound's slack
      w.lit(",\"reason\":");
      w.name(r.reason);
    }
    w.lit("}");
  } else {
    w.lit("null");
  }
}

void barriers_json(Writer& w, const extract::Barriers& b) {
  w.lit(",\"barriers\":{\"min_education\":");
  w.name(extract::education_name(b.min_education));
  w.lit(",\"preferred_education\":");
  if (b.preferred_education) w.name(extract::education_name(*b.preferred_education));
  else w.lit("null");
  w.lit(",\"school_tier\":");
  w.str_list(b.school_tier);
  w.lit(",\"majors\":");
  w.str_list(b.majors);
  w.lit(",\"papers\":");
  w.name(extract::requirement_name(b.papers));
  w.lit(",\"venues\":");
  w.str_list(b.venues);
  w.lit(",\"experience_years_min\":");
  if (b.experience_years_min) w.integer(*b.experience_years_min);
  else w.lit("null");
  w.lit(",\"english\":");
  w.name(extract::requirement_name(b.english));
  w.lit(",\"portfolio\":");
  w.name(extract::requirement_name(b.portfolio));
  w.lit(",\"evidence\":");
  w.evidence_list(b.evidence);
  w.lit("}");
}

}  // namespace

void append_record_json(std::string& out, const pipeline::Analysis& a, const RecordOptions& o) {
  const auto& p = a.posting;
  Writer w(out, record_bound(a, o));
  w.lit("{\"source\":{\"file\":");
  w.str(p.source.file);
  w.lit(",\"row\":");
  w.integer(static_cast<long long>(p.source.row));
  w.lit(",\"line\":");
  w.integer(static_cast<long long>(p.source.line));
  w.lit("},\"id\":");
  w.str(p.get(Field::id));
  w.lit(",\"title\":");
  w.str(p.get(Field::title));
  w.lit(",\"company\":");
  w.str(p.get(Field::company));
  w.lit(",\"location\":");
  w.str(p.get(Field::location));
  const auto& c = a.classification;
  w.lit(",\"direction\":");
  w.name(classify::direction_name(c.direction));
  w.lit(",\"confidence\":");
  w.fixed3(c.confidence);
  w.lit(",\"tags\":");
  w.str_list(c.tags);
  if (o.evidence) {
    w.lit(",\"evidence\":");
    w.evidence_list(c.evidence);
  }
  salary_json(w, a.salary);
  barriers_json(w, a.barriers);
  w.lit(",\"posted\":");
  if (a.posted) w.name(extract::format_date(*a.posted));
  else w.lit("null");
  if (o.duplicate_of) {
    w.lit(",\"duplicate_of\":");
    if (a.duplicate == dedup::Match::none) {
      w.lit("null");
    } else {
      w.lit("{\"file\":");
      w.str(a.duplicate_of.file);
      w.lit(",\"row\":");
      w.integer(static_cast<long long>(a.duplicate_of.row));
      w.lit(",\"match\":");
      w.name(dedup::match_name(a.duplicate));
      w.lit("}");
    }
  }
  w.lit(",\"rules_version\":");
  w.str(o.rules_version);
  w.lit("}");
}

const std::vector<std::string>& record_columns() {
  static const std::vector<std::string> cols = {
      "file", "row", "line", "id", "title", "company", "location", "direction", "confidence",
      "tags", "salary_low", "salary_high", "salary_currency", "salary_period",
      "salary_months", "salary_negotiable", "min_education", "experience_years_min", "papers",
      "posted", "evidence", "rules_version"};
  return cols;
}

std::vector<std::string> record_row(const pipeline::Analysis& a, const RecordOptions& o) {
  const auto& p = a.posting;
  const auto& c = a.classification;
  std::string tags, evidence;
  for (const auto& t : c.tags) tags += (tags.empty() ? "" : ";") + t;
  for (const auto& e : c.evidence)
    evidence += (evidence.empty() ? "" : "; ") + std::string(e.rule) + "@" + std::string(field_name(e.field)) + "=" + e.text;
  const auto* s = a.salary.salary ? &*a.salary.salary : nullptr;
  auto num = [](const std::optional<double>& v) { return v ? format_number(*v) : std::string(); };
  return {std::string(p.source.file),
          std::to_string(p.source.row),
          std::to_string(p.source.line),
          p.get(Field::id),
          p.get(Field::title),
          p.get(Field::company),
          p.get(Field::location),
          std::string(classify::direction_name(c.direction)),
          fmt::format("{:.3f}", c.confidence),
          tags,
          s ? num(s->low) : "",
          s ? num(s->high) : "",
          s ? s->currency : "",
          s && s->low ? std::string(extract::period_name(s->period)) : "",
          s && s->months_per_year ? std::to_string(*s->months_per_year) : "",
          s ? (s->negotiable ? "true" : "false") : "",
          std::string(extract::education_name(a.barriers.min_education)),
          a.barriers.experience_years_min ? std::to_string(*a.barriers.experience_years_min) : "",
          std::string(extract::requirement_name(a.barriers.papers)),
          a.posted ? extract::format_date(*a.posted) : "",
          evidence,
          o.rules_version};
}

}  // namespace jobmarket::render
