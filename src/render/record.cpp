#include <jobmarket/render/record.hpp>

#include <fmt/format.h>

#include <cmath>

#include <jobmarket/render/escape.hpp>

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

void key(std::string& out, std::string_view k, bool first = false) {
  if (!first) out += ',';
  out += '"';
  out += k;
  out += "\":";
}

void str(std::string& out, std::string_view k, std::string_view v) {
  key(out, k);
  append_json_string(out, v);
}

void str_list(std::string& out, std::string_view k, const std::vector<std::string>& v) {
  key(out, k);
  out += '[';
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, v[i]);
  }
  out += ']';
}

void evidence_list(std::string& out, std::string_view k, const std::vector<classify::Evidence>& ev) {
  key(out, k);
  out += '[';
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (i) out += ',';
    out += "{\"rule\":";
    append_json_string(out, ev[i].rule);
    out += ",\"field\":";
    append_json_string(out, field_name(ev[i].field));
    out += ",\"text\":";
    append_json_string(out, ev[i].text);
    out += '}';
  }
  out += ']';
}

void opt_number(std::string& out, std::string_view k, const std::optional<double>& v) {
  key(out, k);
  out += v ? format_number(*v) : "null";
}

void salary_json(std::string& out, const extract::SalaryResult& r) {
  key(out, "salary");
  if (r.salary) {
    const auto& s = *r.salary;
    out += '{';
    key(out, "low", true);
    out += s.low ? format_number(*s.low) : "null";
    opt_number(out, "high", s.high);
    key(out, "currency");
    if (s.currency.empty()) out += "null";
    else append_json_string(out, s.currency);
    key(out, "period");
    if (s.negotiable && !s.low) out += "null";
    else append_json_string(out, extract::period_name(s.period));
    key(out, "months_per_year");
    out += s.months_per_year ? std::to_string(*s.months_per_year) : "null";
    key(out, "negotiable");
    out += s.negotiable ? "true" : "false";
    key(out, "estimated");
    out += s.estimated ? "true" : "false";
    str(out, "source", s.source == extract::SalarySource::field ? "field" : "text");
    str(out, "raw", s.raw);
    out += '}';
  } else if (r.unparsed) {
    out += "{\"unparsed\":";
    append_json_string(out, *r.unparsed);
    out += '}';
  } else {
    out += "null";
  }
}

void barriers_json(std::string& out, const extract::Barriers& b) {
  key(out, "barriers");
  out += '{';
  key(out, "min_education", true);
  append_json_string(out, extract::education_name(b.min_education));
  key(out, "preferred_education");
  if (b.preferred_education) append_json_string(out, extract::education_name(*b.preferred_education));
  else out += "null";
  str_list(out, "school_tier", b.school_tier);
  str_list(out, "majors", b.majors);
  str(out, "papers", extract::requirement_name(b.papers));
  str_list(out, "venues", b.venues);
  key(out, "experience_years_min");
  out += b.experience_years_min ? std::to_string(*b.experience_years_min) : "null";
  str(out, "english", extract::requirement_name(b.english));
  str(out, "portfolio", extract::requirement_name(b.portfolio));
  evidence_list(out, "evidence", b.evidence);
  out += '}';
}

}  // namespace

void append_record_json(std::string& out, const pipeline::Analysis& a, const RecordOptions& o) {
  const auto& p = a.posting;
  out += "{\"source\":{\"file\":";
  append_json_string(out, p.source.file);
  out += fmt::format(",\"row\":{},\"line\":{}}}", p.source.row, p.source.line);
  str(out, "id", p.get(Field::id));
  str(out, "title", p.get(Field::title));
  str(out, "company", p.get(Field::company));
  str(out, "location", p.get(Field::location));
  const auto& c = a.classification;
  str(out, "direction", classify::direction_name(c.direction));
  key(out, "confidence");
  out += fmt::format("{:.3f}", c.confidence);
  str_list(out, "tags", c.tags);
  if (o.evidence) evidence_list(out, "evidence", c.evidence);
  salary_json(out, a.salary);
  barriers_json(out, a.barriers);
  key(out, "posted");
  if (a.posted) append_json_string(out, extract::format_date(*a.posted));
  else out += "null";
  str(out, "rules_version", o.rules_version);
  out += '}';
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
    evidence += (evidence.empty() ? "" : "; ") + e.rule + "@" + std::string(field_name(e.field)) + "=" + e.text;
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
