#include <jobmarket/render/report.hpp>

#include <jobmarket/util/json_at.hpp>

#include <fmt/format.h>

#include <jobmarket/render/escape.hpp>
#include <jobmarket/render/sparkline.hpp>
#include <jobmarket/render/svg.hpp>
#include <jobmarket/util/utf8.hpp>

namespace jobmarket::render {

namespace {

using Json = nlohmann::ordered_json;
constexpr const char* kDirections[] = {"research", "engineering", "other"};

std::string pct(const Json& v) { return v.is_number() ? fmt::format("{:.1f}%", v.get<double>() * 100) : "-"; }
std::string num(const Json& v) {
  if (!v.is_number()) return "-";
  double d = v.get<double>();
  return d == static_cast<double>(static_cast<long long>(d)) ? fmt::format("{}", static_cast<long long>(d))
                                                             : fmt::format("{:.2f}", d);
}
std::string money(const Json& v) {
  if (!v.is_number()) return "-";
  double d = v.get<double>();
  return d >= 1e6 ? fmt::format("{:.2f}M", d / 1e6) : fmt::format("{:.0f}k", d / 1e3);
}
std::string str(const Json& v) { return v.is_string() ? v.get<std::string>() : v.is_null() ? "-" : v.dump(); }
const Json& at(const Json& j, std::initializer_list<const char*> path) { return util::json_at(j, path); }

// The tables every format shows, in order.
std::vector<Table> tables(const Json& r) {
  std::vector<Table> out;
  const auto& ov = r["overview"];
  {
    Table t;
    t.title = "Inputs";
    t.columns = {"file", "format", "encoding", "bytes", "sha256"};
    t.align = {Align::left, Align::left, Align::left, Align::right};
    for (const auto& f : r["inputs"]) {
      std::string file = str(f["file"]);
      // A part of a file (report --range) merged without its split plan.
      if (f.contains("range")) file += fmt::format(" [{}:{}]", num(f["range"]["start"]), num(f["range"]["end"]));
      t.rows.push_back({file, str(f["format"]), str(f["encoding"]), num(f["bytes"]), str(f["sha256"]).substr(0, 16)});
    }
    const auto& dd = ov["dedup"];
    const bool dedup = dd.is_object() && dd.value("mode", "none") != "none";
    std::string postings = num(ov["records"]) + " postings";
    if (dedup)
      postings += fmt::format(" ({} unique; {} exact and {} near duplicates within {} days, --dedup {})",
                              num(ov["unique"]), num(at(ov, {"duplicates", "exact"})),
                              num(at(ov, {"duplicates", "near"})), num(dd["window_days"]), str(dd["mode"]));
    t.note = fmt::format("rows read {}: {}, {} rejected rows, {} file errors, {}{} outside --since/--until",
                         num(ov["rows"]), postings, num(ov["rejected_rows"]), num(ov["file_errors"]),
                         dedup ? "" : "about " + num(ov["duplicates_estimate"]) + " duplicates, ",
                         num(ov["filtered_out"]));
    if (dedup) {
      t.note += "\nevery section below counts unique postings";
      if (dd["evicted"].is_number() && dd["evicted"].get<double>() > 0)
        t.note += fmt::format("\nduplicate detection forgot the {} oldest postings (--dedup-memory, up to {}); {} "
                              "unique postings were not compared with them",
                              num(dd["evicted"]), str(dd["horizon"]), num(dd["unchecked"]));
    }
    if (ov["reject_reasons"].is_object() && !ov["reject_reasons"].empty()) {
      t.note += "\nrejected:";
      for (auto it = ov["reject_reasons"].begin(); it != ov["reject_reasons"].end(); ++it)
        t.note += fmt::format(" {} {};", num(it.value()), it.key());
    }
    out.push_back(std::move(t));
  }
  {
    Table t;
    t.title = "Directions";
    const auto& dd = ov["dedup"];
    const bool dedup = dd.is_object() && dd.value("mode", "none") != "none";
    t.columns = {"direction", "postings", "share"};
    t.align = {Align::left, Align::right, Align::right, Align::right};
    if (dedup) t.columns.push_back("with duplicates");
    for (const char* d : kDirections) {
      t.rows.push_back({d, num(at(ov, {"directions", d, "count"})), pct(at(ov, {"directions", d, "share"}))});
      if (dedup) t.rows.back().push_back(num(at(ov, {"directions", d, "total"})));
    }
    t.note = fmt::format("AI postings (research + engineering): {}; research share of them: {}",
                         num(ov["ai_postings"]), pct(ov["research_share_of_ai"]));
    out.push_back(std::move(t));
  }
  {
    Table t;
    t.title = "The article checked against this data";
    t.columns = {"claim", "verdict", "what the data shows"};
    for (const auto& c : r["article_check"]) t.rows.push_back({str(c["claim"]), str(c["verdict"]), str(c["data"])});
    t.note = "verdicts use the thresholds stated in the JSON report (article_check[].threshold)";
    out.push_back(std::move(t));
  }
  {
    const auto& s = r["salary"];
    Table t;
    t.title = fmt::format("Salary: annual midpoint, {}", str(s["currency"]));
    t.columns = {"direction", "postings", "with salary", "parsed", "negotiable", "p25", "median", "p75", "mean"};
    t.align = {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right, Align::right,
               Align::right, Align::right};
    auto row = [&](const std::string& name, const Json& g) {
      bool ins = g.value("insufficient", true);
      t.rows.push_back({name, num(g["postings"]), num(g["with_salary"]), num(g["parsed"]), num(g["negotiable"]),
                        ins ? "n<" + num(s["min_sample"]) : money(at(g, {"annual_mid", "p25"})),
                        ins ? "-" : money(at(g, {"annual_mid", "median"})), ins ? "-" : money(at(g, {"annual_mid", "p75"})),
                        ins ? "-" : money(at(g, {"annual_mid", "mean"}))});
    };
    for (const char* d : kDirections) row(d, at(s, {"directions", d}));
    row("all", s["overall"]);
    const auto& fresh = at(s, {"article_check", "fresh_master_research"});
    t.note = fmt::format("article: fresh master's in research 400k-600k CNY, seniors over 1M; data: fresh master's "
                         "research median {} (n={}), unparsed salary strings: {}",
                         money(fresh["median_mid"]), num(fresh["postings"]), num(at(s, {"overall", "unparsed"})));
    out.push_back(std::move(t));
  }
  {
    Table t;
    t.title = "Entry barriers: the article's claims";
    t.columns = {"claim", "meeting", "of", "share"};
    t.align = {Align::left, Align::right, Align::right, Align::right};
    for (const auto& c : at(r, {"barriers", "claims"}))
      t.rows.push_back({str(c["claim"]), num(c["meeting"]), num(c["denominator"]), pct(c["share"])});
    out.push_back(std::move(t));
  }
  {
    Table t;
    t.title = "Minimum education by direction (share of postings)";
    t.columns = {"direction", "none stated", "associate", "bachelor", "master", "phd"};
    t.align = {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right};
    for (const char* d : kDirections) {
      const auto& m = at(r, {"barriers", "directions", d, "min_education"});
      t.rows.push_back({d, pct(at(m, {"none_stated", "share"})), pct(at(m, {"associate", "share"})),
                        pct(at(m, {"bachelor", "share"})), pct(at(m, {"master", "share"})), pct(at(m, {"phd", "share"}))});
    }
    out.push_back(std::move(t));
  }
  {
    const auto& tr = r["trends"];
    Table t;
    t.title = fmt::format("Postings per {} ({} to {})", str(tr["bucket_size"]), str(tr["first_bucket"]),
                          str(tr["last_bucket"]));
    t.columns = {"direction", "total", "trend"};
    t.align = {Align::left, Align::right, Align::left};
    for (const char* d : kDirections) {
      std::vector<double> v;
      std::uint64_t total = 0;
      for (const auto& p : tr["series"])
        if (p.value("direction", "") == std::string(d)) {
          v.push_back(p["postings"].get<double>());
          total += p["postings"].get<std::uint64_t>();
        }
      t.rows.push_back({d, std::to_string(total), sparkline(v)});
    }
    t.note = fmt::format("{} dated, {} undated, {} unparsed dates", num(tr["dated"]), num(tr["undated"]),
                         num(tr["unparsed_dates"]));
    out.push_back(std::move(t));
  }
  {
    const auto& tr = r["trends"];
    Table t;
    t.title = "Rising and falling tags (share of postings, last window vs the one before)";
    t.columns = {"tag", "trend", "before", "recent", "change"};
    t.align = {Align::left, Align::left, Align::right, Align::right, Align::right};
    for (const char* side : {"rising", "falling"})
      for (const auto& x : tr[side])
        t.rows.push_back({str(x["tag"]), side,
                          fmt::format("{} ({}/{})", pct(x["before_share"]), num(x["before_mentions"]), num(x["before_postings"])),
                          fmt::format("{} ({}/{})", pct(x["recent_share"]), num(x["recent_mentions"]), num(x["recent_postings"])),
                          pct(x["change"])});
    if (t.rows.empty()) t.note = "no tag moved with enough postings behind it (minimum sample applies)";
    out.push_back(std::move(t));
  }
  {
    Table t;
    t.title = "Tags";
    t.columns = {"tag", "postings", "share", "research", "engineering", "other"};
    t.align = {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right};
    for (const auto& x : ov["tags"])
      t.rows.push_back({str(x["tag"]), num(x["postings"]), pct(x["share"]), num(x["research"]), num(x["engineering"]),
                        num(x["other"])});
    out.push_back(std::move(t));
  }
  return out;
}

// Without --as-of, what the report covers is the data itself: its last posting date.
std::string heading(const Json& r) {
  const Json& last = at(r, {"trends", "last_date"});
  const std::string when = !r["as_of"].is_null() ? "as of " + str(r["as_of"])
                           : last.is_string()    ? "postings through " + str(last)
                                                 : "no dated postings";
  return visible(fmt::format("jobmarket report · rules {} · {} · currency {}", str(r["rules_version"]), when,
                             str(at(r, {"options", "currency"}))));
}

}  // namespace

namespace {

// Words of `text` in lines of at most `width` display cells (a longer word stands alone).
std::vector<std::string> wrap_words(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && utf8::display_width(line) + 1 + utf8::display_width(word) > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

// A terminal is narrow: long last-column cells continue on the next rows.
Table wrap_last_column(Table t, std::size_t width) {
  std::vector<std::vector<std::string>> rows;
  for (auto& row : t.rows) {
    if (row.empty() || utf8::display_width(row.back()) <= width) {
      rows.push_back(std::move(row));
      continue;
    }
    auto lines = wrap_words(row.back(), width);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::vector<std::string> r = i == 0 ? row : std::vector<std::string>(row.size());
      r.back() = lines[i];
      rows.push_back(std::move(r));
    }
  }
  t.rows = std::move(rows);
  return t;
}

}  // namespace

std::string report_text(const Json& r, const Style& style) {
  std::string out = (style.color ? "\x1b[1m" + heading(r) + "\x1b[0m" : heading(r)) + "\n\n";
  for (const auto& t : tables(r)) out += to_text(wrap_last_column(t, 64), style) + "\n";
  return out;
}

std::string report_markdown(const Json& r) {
  std::string out = "# " + heading(r) + "\n\n";
  for (const auto& t : tables(r)) out += to_markdown(t) + "\n";
  return out;
}

std::string report_html(const Json& r) {
  std::string charts;
  const auto& ov = r["overview"];
  {
    std::vector<Bar> bars;
    for (const char* d : kDirections)
      bars.push_back({d, at(ov, {"directions", d, "share"}).is_number() ? at(ov, {"directions", d, "share"}).get<double>() : 0,
                      "n=" + num(at(ov, {"directions", d, "count"}))});
    charts += "<figure>" + svg_bar_chart("Postings by direction", bars, true) + "</figure>\n";
  }
  {
    std::vector<BoxStats> boxes;
    for (const char* d : kDirections) {
      const auto& g = at(r, {"salary", "directions", d});
      if (g.value("insufficient", true)) continue;
      const auto& m = g["annual_mid"];
      boxes.push_back({d, m["p10"].get<double>(), m["p25"].get<double>(), m["median"].get<double>(),
                       m["p75"].get<double>(), m["p90"].get<double>(), "n=" + num(g["in_statistics"])});
    }
    if (!boxes.empty())
      charts += "<figure>" + svg_box_chart("Annual salary midpoint (p10, p25, median, p75, p90)", boxes,
                                           str(at(r, {"salary", "currency"}))) + "</figure>\n";
  }
  {
    const auto& tr = r["trends"];
    std::vector<std::string> buckets;
    std::vector<Series> series;
    for (const char* d : kDirections) series.push_back({d, {}});
    for (const auto& p : tr["series"]) {
      std::string dir = p.value("direction", "");
      for (std::size_t k = 0; k < 3; ++k)
        if (dir == kDirections[k]) series[k].values.push_back(p["postings"].get<double>());
      if (dir == "research") buckets.push_back(p.value("bucket", ""));
    }
    if (!buckets.empty())
      charts += "<figure>" + svg_line_chart("Postings per " + str(tr["bucket_size"]), buckets, series) + "</figure>\n";
    std::vector<Series> tag_series;
    for (const auto& t : tr["tags"]) {
      std::string tag = t.value("tag", "");
      bool watched = tag == "agent" || tag == "rag" || tag == "embodied_ai" || tag == "world_model" ||
                     tag == "aigc_generation";
      if (!watched) continue;
      Series s{tag, {}};
      for (const auto& p : t["series"])
        s.values.push_back(p["share"].is_number() ? std::optional<double>(p["share"].get<double>()) : std::nullopt);
      tag_series.push_back(std::move(s));
    }
    if (!tag_series.empty() && !buckets.empty())
      charts += "<figure>" + svg_line_chart("Tag share of postings", buckets, tag_series, true) + "</figure>\n";
  }
  std::string body;
  for (const auto& t : tables(r)) {
    body += "<h2>" + html_escape(t.title) + "</h2>\n<table>\n<tr>";
    for (const auto& c : t.columns) body += "<th>" + html_escape(c) + "</th>";
    body += "</tr>\n";
    for (const auto& row : t.rows) {
      body += "<tr>";
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        bool right = i < t.align.size() && t.align[i] == Align::right;
        std::string cell = i < row.size() ? row[i] : "";
        std::string cls = cell == "supported" ? " class=\"ok\"" : cell == "not_supported" ? " class=\"no\"" : "";
        body += std::string(right ? "<td class=\"num\"" : "<td") + cls + ">" + html_escape(cell) + "</td>";
      }
      body += "</tr>\n";
    }
    body += "</table>\n";
    if (!t.note.empty()) body += "<p class=\"note\">" + html_escape(t.note) + "</p>\n";
  }
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" + html_escape(heading(r)) + "</title>\n<style>"
         "body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#1a202c}"
         "table{border-collapse:collapse;margin:.5em 0}th,td{border-bottom:1px solid #e2e8f0;padding:.25em .6em;"
         "text-align:left;vertical-align:top}td.num{text-align:right}td.ok{color:#276749;font-weight:bold}"
         "td.no{color:#c53030;font-weight:bold}.note{color:#4a5568;font-size:.9em}figure{margin:1em 0}"
         "figure svg{display:block;width:100%;height:auto}"
         "</style></head>\n<body>\n<h1>" + html_escape(heading(r)) + "</h1>\n<section id=\"charts\">\n" + charts +
         "</section>\n" + body + "</body></html>\n";
}

}  // namespace jobmarket::render
