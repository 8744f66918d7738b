// Barrier extraction: one vectorscan pass per field finds every rule term; small
// hand-written scanners then read clauses, cue words and numbers around the matches.
#include <jobmarket/extract/barriers.hpp>

#include <jobmarket/util/reuse.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <span>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <jobmarket/normalize/clauses.hpp>
#include <jobmarket/normalize/text.hpp>
#include <jobmarket/util/embedded.hpp>

namespace jobmarket::extract {

std::string_view education_name(Education e) {
  switch (e) {
    case Education::none_stated: return "none_stated";
    case Education::associate: return "associate";
    case Education::bachelor: return "bachelor";
    case Education::master: return "master";
    case Education::phd: return "phd";
  }
  return "none_stated";
}

std::optional<Education> education_from_name(std::string_view name) {
  for (auto e : {Education::none_stated, Education::associate, Education::bachelor,
                 Education::master, Education::phd})
    if (education_name(e) == name) return e;
  return std::nullopt;
}

std::string_view requirement_name(Requirement r) {
  switch (r) {
    case Requirement::none: return "none";
    case Requirement::preferred: return "preferred";
    case Requirement::required: return "required";
  }
  return "none";
}

std::optional<Requirement> requirement_from_name(std::string_view name) {
  for (auto r : {Requirement::none, Requirement::preferred, Requirement::required})
    if (requirement_name(r) == name) return r;
  return std::nullopt;
}

namespace {

enum Kind : int {
  k_degree,
  k_degree_generic,
  k_mask,
  k_edu_context,
  k_school_tier,
  k_school_context,
  k_major,
  k_major_context,
  k_paper_strong,
  k_paper_weak,
  k_venue,
  k_english,
  k_portfolio,
  k_preferred_after,
  k_preferred_before,
  k_required_cue,
  k_section_duty,
  k_section_required,
  k_section_preferred,
  k_not_requirement,
  k_year_unit,
  k_exp_cue,
  k_exp_zero,
  k_exp_zero_title,
  k_kind_count
};

constexpr std::array<std::string_view, k_kind_count> kKindNames = {
    "degree",          "degree_generic", "mask",           "edu_context",       "school_tier",
    "school_context",  "major",          "major_context",     "paper_strong",
    "paper_weak",      "venue",          "english",           "portfolio",
    "preferred_after", "preferred_before", "required_cue",    "section_duty",
    "section_required", "section_preferred", "not_requirement", "year_unit",
    "exp_cue",         "exp_zero",       "exp_zero_title"};

// `context` names in the rule table and the kind each stands for.
std::optional<int> context_code(std::string_view name) {
  if (name == "education") return k_edu_context;
  if (name == "school") return k_school_context;
  if (name == "major") return k_major_context;
  if (name == "paper") return k_paper_weak;
  return std::nullopt;
}

std::optional<int> kind_code(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == name) return static_cast<int>(i);
  return std::nullopt;
}

std::optional<Education> degree_value(std::string_view v) {
  auto e = education_from_name(v);
  if (!e || *e == Education::none_stated) return std::nullopt;
  return e;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Tests one byte before comparing the rest: the callers try lists of words at each unit
// found, and a memcmp call per word was a visible part of the profile.
bool ends_with_at(std::string_view s, std::size_t end, std::string_view what) {
  return end >= what.size() && end <= s.size() && (what.empty() || s[end - 1] == what.back()) &&
         s.compare(end - what.size(), what.size(), what) == 0;
}

// Tag lists written as Python lists ("['3-5年', '硕士']") in a text column: structured
// values, used like the education/experience columns (after the prose).
void tag_list_spans(std::string_view t, std::vector<std::pair<std::uint32_t, std::uint32_t>>& spans) {
  spans.clear();
  std::size_t from = 0;
  while ((from = t.find("['", from)) != std::string_view::npos) {
    auto end = t.find("']", from + 2);
    if (end == std::string_view::npos) break;
    spans.emplace_back(static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(end + 2));
    from = end + 2;
  }
}

// The value of one Chinese numeral character: 0..9, 10 for 十, -1 for anything else.
int cjk_numeral(std::string_view s) {
  static constexpr std::array<std::string_view, 11> kNumerals = {
      "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  for (std::size_t d = 0; d < kNumerals.size(); ++d)
    if (s == kNumerals[d]) return static_cast<int>(d);
  if (s == "两") return 2;
  return -1;
}

// A number ending exactly at `end` (digits, Chinese numerals up to 99, English words);
// returns the value and where it starts. No allocation: it runs at every year unit.
std::optional<std::pair<int, std::size_t>> number_before(std::string_view t, std::size_t end) {
  if (end > 0 && is_digit(t[end - 1])) {
    std::size_t b = end;
    while (b > 0 && is_digit(t[b - 1]) && end - b < 4) --b;
    if (b > 0 && (is_digit(t[b - 1]) || t[b - 1] == '.')) return std::nullopt;  // 2025, 1.5
    int value = 0;
    for (std::size_t k = b; k < end; ++k) value = value * 10 + (t[k] - '0');
    return std::make_pair(value, b);
  }
  // Chinese numerals, 3 bytes each, at most three ("二十五"), read from the right.
  std::array<int, 3> rev{};
  std::size_t count = 0;
  std::size_t b = end;
  while (b >= 3 && count < rev.size()) {
    int v = cjk_numeral(t.substr(b - 3, 3));
    if (v < 0) break;
    rev[count++] = v;
    b -= 3;
  }
  if (count > 0) {
    auto digit = [](int v) { return v == 10 ? 0 : v; };  // 十 stands for no units digit
    int value = -1;
    if (count == 1) {
      value = rev[0];  // "五", "十"
    } else if (count == 2) {
      if (rev[1] == 10) value = 10 + digit(rev[0]);        // "十五"
      else if (rev[0] == 10) value = digit(rev[1]) * 10;   // "二十"
    } else if (rev[1] == 10) {
      value = digit(rev[2]) * 10 + digit(rev[0]);          // "二十五"
    }
    if (value >= 0) return std::make_pair(value, b);
  }
  if (end == 0 || t[end - 1] < 'a' || t[end - 1] > 'z') return std::nullopt;
  static constexpr std::array<std::pair<std::string_view, int>, 12> kWords = {
      {{"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6},
       {"seven", 7}, {"eight", 8}, {"nine", 9}, {"ten", 10}, {"twelve", 12}, {"fifteen", 15}}};
  for (const auto& [w, v] : kWords) {
    if (ends_with_at(t, end, w)) {
      std::size_t s = end - w.size();
      if (s == 0 || !normalize::is_word_byte(static_cast<unsigned char>(t[s - 1])))
        return std::make_pair(v, s);
    }
  }
  return std::nullopt;
}

std::size_t skip_spaces_back(std::string_view t, std::size_t i) {
  while (i > 0 && t[i - 1] == ' ') --i;
  return i;
}

// Words around a year unit that years_at reads (arrays of string_view: a braced list of
// literals would measure each one with strlen on every call).
constexpr std::string_view kFillers[] = {"or more", "or greater", "plus", "full-time", "full time"};
constexpr std::string_view kRangeSeparators[] = {"-", "~", "–", "—", "to", "至", "到", "或"};
constexpr std::string_view kNotADuration[] = {"近",   "过去",   "未来",      "past",  "last",
                                              "within", "next", "every",     "each",  "per",
                                              "less than", "under", "up to", "每",    "第"};
// "年薪", "年终", "年龄", "年级": not a duration.
constexpr std::string_view kNotAYearUnit[] = {"薪", "终", "龄", "级", "度",
                                              "份", "底", "月", "初", "起"};

struct YearsMention {
  int years;
  std::size_t begin;  // start of the number
};

// A list marker "k." or "k、" in t[from, to): not part of a longer number, not before a digit.
bool has_list_marker(std::string_view t, int k, std::size_t from, std::size_t to) {
  const std::string marker = std::to_string(k);
  for (std::size_t at = t.find(marker, from); at != std::string_view::npos && at < to;
       at = t.find(marker, at + 1)) {
    if (at > 0 && (is_digit(t[at - 1]) || t[at - 1] == '.')) continue;
    std::size_t after = at + marker.size();
    if (after < t.size() && t[after] == '.') ++after;
    else if (t.compare(after, 3, "、") == 0) after += 3;
    else continue;
    if (after < t.size() && t[after] == ' ') ++after;
    if (after < t.size() && !is_digit(t[after])) return true;
  }
  return false;
}

// "2.5年以上…" in a numbered list is item 2 asking 5 years, not 2.5 years: the digits
// before the '.' start a list item ("1.本科学历；2.5年Java开发经验") when the list has the
// item before it or the one after. The number ending at `end`, or nothing.
std::optional<std::pair<int, std::size_t>> list_item_number(std::string_view t, std::size_t end,
                                                            std::size_t unit_end) {
  std::size_t b = end;
  while (b > 0 && is_digit(t[b - 1]) && end - b < 2) --b;
  if (b == end || b < 2 || t[b - 1] != '.') return std::nullopt;
  std::size_t n = b - 1;
  while (n > 0 && is_digit(t[n - 1]) && b - 1 - n < 2) --n;
  if (n == b - 1) return std::nullopt;
  // The item starts the text, a line, a clause or a sentence.
  if (n > 0 && t[n - 1] != ' ' && t[n - 1] != ';' && t[n - 1] != ':' && !ends_with_at(t, n, "。"))
    return std::nullopt;
  int item = 0, value = 0;
  for (std::size_t k = n; k + 1 < b; ++k) item = item * 10 + (t[k] - '0');
  for (std::size_t k = b; k < end; ++k) value = value * 10 + (t[k] - '0');
  constexpr std::size_t kReach = 400;  // how far the next item may be
  const bool listed = (item >= 2 && has_list_marker(t, item - 1, 0, n)) ||
                      has_list_marker(t, item + 1, unit_end, std::min(t.size(), unit_end + kReach));
  if (!listed) return std::nullopt;
  return std::make_pair(value, b);
}

// Where a generic venue word's phrase ends: joined to another venue noun it is one phrase as
// written ("顶级期刊或学术会议", "顶会顶刊", "top conferences or journals"), as the labels list it.
std::size_t venue_phrase_end(std::string_view t, std::size_t end) {
  static constexpr std::string_view kJoins[] = {"或", "和", "及", "与", "/", " or ", " and ", " / ", ""};
  static constexpr std::string_view kNouns[] = {"国际学术会议", "学术会议", "学术期刊", "会议", "期刊", "顶会",
                                                "顶刊", "conferences", "conference", "journals", "journal"};
  for (std::string_view join : kJoins) {
    if (t.compare(end, join.size(), join) != 0) continue;
    for (std::string_view noun : kNouns)
      if (t.compare(end + join.size(), noun.size(), noun) == 0) return end + join.size() + noun.size();
  }
  return end;
}

// Reads the number (or range) stated before a year unit at [unit_begin, unit_end):
// "3-5年" -> 3, "5年以上" -> 5, "3+ years" -> 3, "three (3) years" -> 3, "1年以内" -> 0.
std::optional<YearsMention> years_at(std::string_view t, std::size_t unit_begin, std::size_t unit_end) {
  std::size_t i = skip_spaces_back(t, unit_begin);
  for (std::string_view filler : kFillers) {
    if (ends_with_at(t, i, filler)) {
      i = skip_spaces_back(t, i - filler.size());
      break;
    }
  }
  if (i > 0 && t[i - 1] == '+') i = skip_spaces_back(t, i - 1);
  if (i > 0 && t[i - 1] == ')') {  // "three (3) years"
    auto inner = number_before(t, i - 1);
    if (!inner || inner->second == 0 || t[inner->second - 1] != '(') return std::nullopt;
    std::size_t s = skip_spaces_back(t, inner->second - 1);
    auto word = number_before(t, s);
    return YearsMention{inner->first, word ? word->second : inner->second - 1};
  }
  auto hi = number_before(t, i);
  if (!hi) hi = list_item_number(t, i, unit_end);
  if (!hi) return std::nullopt;
  int years = hi->first;
  std::size_t begin = hi->second;
  // A range: "3-5", "3~5", "3 to 5", "3至5", "3到5".
  std::size_t j = skip_spaces_back(t, begin);
  for (std::string_view sep : kRangeSeparators) {
    if (ends_with_at(t, j, sep)) {
      std::size_t k = skip_spaces_back(t, j - sep.size());
      if (auto lo = number_before(t, k); lo && lo->first <= years) {
        years = lo->first;
        begin = lo->second;
      }
      break;
    }
  }
  if (years > 20) return std::nullopt;  // calendar years, founding dates, team totals
  // "1年以内", "less than 2 years": no minimum.
  std::string_view after = t.substr(unit_end, std::min<std::size_t>(12, t.size() - unit_end));
  if (after.substr(0, 6) == "以内" || after.substr(0, 6) == "以下") years = 0;
  std::size_t before = skip_spaces_back(t, begin);
  for (std::string_view reject : kNotADuration)
    if (ends_with_at(t, before, reject)) return std::nullopt;
  if (t.compare(unit_begin, 3, "年") == 0) {
    std::string_view next = t.substr(unit_end, std::min<std::size_t>(3, t.size() - unit_end));
    for (std::string_view bad : kNotAYearUnit)
      if (next == bad) return std::nullopt;
  }
  return YearsMention{years, begin};
}

}  // namespace

// Named (not anonymous) so the workspace's buffers, declared in the header, can hold them.
namespace barrier_detail {

struct Found {
  std::uint32_t rule;
  std::uint32_t begin;
  std::uint32_t end;
  std::uint32_t clause;
};

enum class Section { neutral, duty, required, preferred };

// Everything gathered from one field before the decisions are made.
struct FieldScan {
  std::string_view text;
  std::vector<Found> found;
  std::vector<std::uint32_t> clauses;
  std::vector<Section> clause_section;
  // found[clause_first[c] .. clause_first[c + 1]) are the findings of clause c: found is
  // ordered by begin, so each clause's findings are contiguous. Per-clause questions then
  // cost the clause's findings, not the whole field's (they were quadratic in the field).
  std::vector<std::uint32_t> clause_first;
  std::span<const Found> in_clause(std::uint32_t c) const {
    return std::span<const Found>(found).subspan(clause_first[c],
                                                 clause_first[c + 1] - clause_first[c]);
  }
};

// The per-clause questions (context, requirement level, "not a requirement") look at
// every finding of the clause, so a clause with thousands of findings (megabytes of text
// without punctuation) would cost their square: a clause with more than this many is cut
// before every kMaxClauseFindings-th one. Written clauses hold a handful.
constexpr std::size_t kMaxClauseFindings = 64;

void cap_clause_findings(FieldScan& fs) {
  const std::size_t clauses = fs.clauses.size();
  std::size_t run = 0;
  for (std::size_t i = 0; i < fs.found.size(); ++i) {
    run = i > 0 && fs.found[i].clause == fs.found[i - 1].clause ? run + 1 : 0;
    if (run > 0 && run % kMaxClauseFindings == 0 && fs.found[i].begin > fs.clauses[fs.found[i].clause])
      fs.clauses.push_back(fs.found[i].begin);
  }
  if (fs.clauses.size() == clauses) return;  // no clause was crowded
  std::sort(fs.clauses.begin(), fs.clauses.end());
  fs.clauses.erase(std::unique(fs.clauses.begin(), fs.clauses.end()), fs.clauses.end());
  for (auto& f : fs.found)
    f.clause = static_cast<std::uint32_t>(
        std::upper_bound(fs.clauses.begin(), fs.clauses.end(), f.begin) - fs.clauses.begin() - 1);
}

}  // namespace barrier_detail

using barrier_detail::FieldScan;
using barrier_detail::Found;
using barrier_detail::Section;

// Kept between postings so the per-field vectors are allocated once per worker.
struct BarrierExtractor::Workspace::Buffers {
  FieldScan text, title, column;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> masks, tag_spans;
  std::vector<Found> kept;
  std::vector<std::pair<std::uint32_t, Section>> heads;
  std::vector<std::uint32_t> paper_clauses;   // clauses already judged for papers, sorted
  std::vector<std::string_view> weak_terms;   // distinct weak paper words of one clause
  std::vector<Education> preferred_levels;
  std::vector<int> general_years, paired_years, tag_years, preferred_years;
};

constexpr std::string_view kNoExperience[] = {
    "不限",     "应届",     "在校",  "实习",          "无经验",   "无需经验", "校招",
    "校园招聘", "new grad", "new_grad", "newgrad", "intern", "no experience", "graduate",
    "毕业生"};
constexpr std::string_view kYearUnits[] = {"年", "years", "year", "yrs"};

std::optional<int> parse_experience_column(std::string_view v) {
  if (v.empty()) return std::nullopt;
  for (std::string_view zero : kNoExperience)
    if (v.find(zero) != std::string_view::npos) return 0;
  for (std::string_view unit : kYearUnits) {
    auto at = v.find(unit);
    if (at == std::string_view::npos) continue;
    if (auto y = years_at(v, at, at + unit.size())) return y->years;
  }
  return std::nullopt;
}

Expected<BarrierExtractor> BarrierExtractor::create(std::string_view rules_json,
                                                    std::string_view file_name) {
  auto doc = nlohmann::json::parse(rules_json, nullptr, false);
  auto fail = [&](const std::string& what) {
    return unexpected(fmt::format("{}: {}", file_name, what));
  };
  if (doc.is_discarded()) return fail("not valid JSON");
  if (!doc.is_object() || !doc.contains("rules") || !doc["rules"].is_array())
    return fail("expected an object with a \"rules\" array");
  BarrierExtractor ex;
  std::vector<rules::PatternSpec> patterns;
  std::set<std::string> ids;
  std::size_t index = 0;
  for (const auto& r : doc["rules"]) {
    const std::string where = fmt::format("rule {}", index);
    if (!r.is_object() || !r.contains("id") || !r["id"].is_string())
      return fail(where + ": missing \"id\"");
    Rule rule;
    rule.id = r["id"].get<std::string>();
    const std::string named = fmt::format("rule {} ({})", index, rule.id);
    if (!ids.insert(rule.id).second) return fail(named + ": duplicate id");
    if (!r.contains("kind") || !r["kind"].is_string()) return fail(named + ": missing \"kind\"");
    auto kind = kind_code(r["kind"].get<std::string>());
    if (!kind) return fail(fmt::format("{}: unknown kind '{}'", named, r["kind"].get<std::string>()));
    rule.kind = *kind;
    if (!r.contains("source") || !r["source"].is_string() || r["source"].get<std::string>().empty())
      return fail(named + ": missing \"source\"");
    rule.source = r["source"].get<std::string>();
    if (r.contains("value")) {
      if (!r["value"].is_string()) return fail(named + ": \"value\" must be a string");
      rule.value = r["value"].get<std::string>();
    }
    if (rule.kind == k_degree || rule.kind == k_degree_generic) {
      auto degree = degree_value(rule.value);
      if (!degree) return fail(fmt::format("{}: unknown degree '{}'", named, rule.value));
      rule.degree = *degree;
    }
    if ((rule.kind == k_school_tier || rule.kind == k_major) && rule.value.empty())
      return fail(named + ": missing \"value\"");
    if (r.contains("context")) {
      auto c = r["context"].is_string() ? context_code(r["context"].get<std::string>()) : std::nullopt;
      if (!c) return fail(named + ": unknown context");
      rule.context = *c;
    }
    if (!r.contains("terms") || !r["terms"].is_array() || r["terms"].empty())
      return fail(named + ": missing \"terms\"");
    for (const auto& term : r["terms"]) {
      if (!term.is_string() || term.get<std::string>().empty())
        return fail(named + ": terms must be non-empty strings");
      patterns.push_back({term.get<std::string>(), false, static_cast<std::uint32_t>(patterns.size())});
      ex.m_pattern_rule.push_back(static_cast<std::uint32_t>(ex.m_rules.size()));
    }
    ex.m_rules.push_back(std::move(rule));
    ++index;
  }
  auto m = rules::Matcher::compile(patterns);
  if (!m) return fail(m.error());
  ex.m_matcher = std::move(*m);
  ex.m_patterns = std::move(patterns);
  return ex;
}

Expected<BarrierExtractor> BarrierExtractor::builtin() {
  auto bytes = builtin_file("barriers.json");
  if (!bytes) return unexpected("barriers.json: not built in");
  return create(*bytes, "barriers.json");
}

BarrierExtractor::Workspace BarrierExtractor::make_workspace() const {
  return Workspace{m_matcher.make_scratch(), {}, {}, {}, std::make_shared<Workspace::Buffers>()};
}

Barriers BarrierExtractor::extract(const Posting& posting) const {
  normalize::NormalizedPosting norm;
  normalize::normalize_posting(posting, norm);
  auto ws = make_workspace();
  return extract(posting, norm, ws);
}

namespace {

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

}  // namespace

Barriers BarrierExtractor::extract(const Posting& posting, const normalize::NormalizedPosting& norm,
                                   Workspace& ws) const {
  (void)posting;
  ws.matches.clear();
  m_matcher.scan(norm.text, ws.scratch, ws.matches);
  ws.title_matches.clear();
  m_matcher.scan(norm.title, ws.scratch, ws.title_matches);
  return extract_matches(norm, ws.matches, ws.title_matches, ws);
}

Barriers BarrierExtractor::extract_matches(const normalize::NormalizedPosting& norm,
                                           std::span<const rules::Match> text_matches,
                                           std::span<const rules::Match> title_matches,
                                           Workspace& ws) const {
  Barriers b;
  extract_matches(norm, text_matches, title_matches, ws, b);
  return b;
}

void BarrierExtractor::extract_matches(const normalize::NormalizedPosting& norm,
                                       std::span<const rules::Match> text_matches,
                                       std::span<const rules::Match> title_matches,
                                       Workspace& ws, Barriers& b) const {
  // Start from an empty result, keeping the storage of the one `b` held.
  b.min_education = Education::none_stated;
  b.preferred_education.reset();
  b.school_tier.clear();
  b.majors.clear();
  b.papers = Requirement::none;
  b.venues.clear();
  b.experience_years_min.reset();
  b.english = Requirement::none;
  b.portfolio = Requirement::none;
  b.school_tier_level = Requirement::none;
  b.major_level = Requirement::none;
  util::Refill evidence_out(b.evidence);
  auto& buf = *ws.buffers;

  // `clauses`: clause_starts(text) when the caller has it (the description's come with
  // the normalized posting).
  auto scan_field = [&](std::string_view text, std::span<const rules::Match> matches,
                        FieldScan& fs, const std::vector<std::uint32_t>* clauses = nullptr) -> FieldScan& {
    fs.text = text;
    fs.found.clear();
    // Masks ordered by end: one that holds a match ends at or after it, and no later
    // than the match's begin plus the longest mask, so a search looks at a few of them
    // (every mask per match was quadratic in a text full of masked terms).
    auto& masks = buf.masks;
    masks.clear();
    std::uint32_t longest_mask = 0;
    for (const auto& m : matches)
      if (m_rules[m_pattern_rule[m.id]].kind == k_mask) {
        masks.emplace_back(m.begin, m.end);
        longest_mask = std::max(longest_mask, m.end - m.begin);
      }
    std::sort(masks.begin(), masks.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
    auto is_masked = [&](const rules::Match& m) {
      auto it = std::lower_bound(masks.begin(), masks.end(), m.end,
                                 [](const auto& s, std::uint32_t end) { return s.second < end; });
      for (; it != masks.end() && it->second <= m.begin + longest_mask; ++it)
        if (it->first <= m.begin) return true;
      return false;
    };
    if (clauses && !clauses->empty())
      fs.clauses.assign(clauses->begin(), clauses->end());
    else
      normalize::clause_starts(text, fs.clauses);
    normalize::ClauseCursor clause_of(fs.clauses);  // matches come in end order
    for (const auto& m : matches) {
      std::uint32_t rule = m_pattern_rule[m.id];
      if (m_rules[rule].kind == k_mask) continue;
      if (!masks.empty() && is_masked(m)) continue;
      fs.found.push_back({rule, m.begin, m.end, clause_of(m.begin)});
    }
    // Matches arrive ordered by end, so by begin they are out of order only where terms
    // nest or overlap: an insertion sort does little more than one pass (std::sort was a
    // visible part of the profile).
    auto before = [](const Found& x, const Found& y) {
      return x.begin != y.begin ? x.begin < y.begin : x.end > y.end;
    };
    for (std::size_t k = 1; k < fs.found.size(); ++k) {
      Found f = fs.found[k];
      std::size_t j = k;
      for (; j > 0 && before(f, fs.found[j - 1]); --j) fs.found[j] = fs.found[j - 1];
      fs.found[j] = f;
    }
    // A term inside a longer term of the same kind is the longer term ("engineering" in
    // "electrical engineering").
    // Every kept finding begins at or before f (found is ordered by begin), so f is inside
    // a longer one of its kind exactly when a kept one ends after f, or ends with f but
    // begins before it: tracking the furthest end per kind (and the earliest begin among
    // those ending there) answers that without comparing f with every kept finding.
    auto& kept = buf.kept;
    kept.clear();
    std::array<std::int64_t, k_kind_count> max_end;
    std::array<std::uint32_t, k_kind_count> begin_at_max_end{};
    max_end.fill(-1);
    for (const auto& f : fs.found) {
      auto k = static_cast<std::size_t>(m_rules[f.rule].kind);
      bool inside = max_end[k] > f.end || (max_end[k] == f.end && begin_at_max_end[k] < f.begin);
      if (inside) continue;
      if (max_end[k] < f.end) {
        max_end[k] = f.end;
        begin_at_max_end[k] = f.begin;
      } else if (max_end[k] == f.end) {
        begin_at_max_end[k] = std::min(begin_at_max_end[k], f.begin);
      }
      kept.push_back(f);
    }
    std::swap(fs.found, kept);
    cap_clause_findings(fs);
    // Section headings: a heading term at the start of its clause or followed by ':'.
    fs.clause_section.assign(fs.clauses.size(), Section::neutral);
    auto& heads = buf.heads;
    heads.clear();
    std::uint32_t last_end = 0;
    for (const auto& f : fs.found) {
      int k = m_rules[f.rule].kind;
      if (k != k_section_duty && k != k_section_required && k != k_section_preferred) continue;
      if (f.begin < last_end) continue;  // inside a longer heading
      if (!normalize::is_heading(text, fs.clauses[f.clause], f.begin, f.end)) continue;
      // An English heading word running on into a sentence ("Experience publishing papers
      // in top conferences.", "Experience with common data science libraries (e.g. …)")
      // starts the sentence, not a section. A short line without closing punctuation
      // ("Preferred Skills And Qualifications") or a clause ending in ':' ("Qualifications
      // and capabilities:") is a heading.
      const std::size_t clause_end = f.clause + 1 < fs.clauses.size() ? fs.clauses[f.clause + 1] : text.size();
      std::size_t next = f.end;
      while (next < clause_end && text[next] == ' ') ++next;
      std::size_t last = clause_end;
      while (last > next && text[last - 1] == ' ') --last;
      auto lower = [](char ch) { return ch >= 'a' && ch <= 'z'; };
      const bool sentence = last - next > 48 || text[last - 1] == '.' || text[last - 1] == ';';
      if (next > f.end && next < clause_end && lower(text[next]) && lower(text[f.end - 1]) &&
          text[last - 1] != ':' && sentence)
        continue;
      Section sec = k == k_section_duty ? Section::duty
                    : k == k_section_required ? Section::required
                                              : Section::preferred;
      heads.emplace_back(f.begin, sec);
      last_end = f.end;
    }
    fs.clause_first.assign(fs.clauses.size() + 1, 0);
    for (const auto& f : fs.found) ++fs.clause_first[f.clause + 1];
    for (std::size_t c = 1; c < fs.clause_first.size(); ++c)
      fs.clause_first[c] += fs.clause_first[c - 1];
    // A lead-in written as a sentence ("具备以下经验者优先", "可适当加分：", "且以下条件至少
    // 满足一项：") heads the list after it like a "加分项" heading: a clause with a
    // preference cue and nothing it could qualify, ending in ':' or followed by a list's
    // first item.
    const std::size_t written_heads = heads.size();
    for (std::size_t a = 0; a < fs.found.size();) {  // findings come grouped by clause
      const std::uint32_t c = fs.found[a].clause;
      bool cue = false, other = false;
      for (; a < fs.found.size() && fs.found[a].clause == c; ++a) {
        const int k = m_rules[fs.found[a].rule].kind;
        cue = cue || k == k_preferred_after || k == k_preferred_before;
        other = other || !(k == k_preferred_after || k == k_preferred_before || k == k_required_cue ||
                           k == k_exp_cue || k == k_edu_context || k == k_school_context ||
                           k == k_major_context);
      }
      if (!cue || other || c + 1 >= fs.clauses.size()) continue;
      const std::uint32_t next = fs.clauses[c + 1];
      if (next == 0 || next >= text.size()) continue;
      const bool colon = text[next - 1] == ':';
      const bool first_item = text[next] == '1' && next + 1 < text.size() && !is_digit(text[next + 1]);
      if (colon || first_item) heads.emplace_back(next, Section::preferred);
    }
    if (heads.size() > written_heads)
      std::sort(heads.begin(), heads.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    Section cur = Section::neutral;
    std::size_t h = 0;
    for (std::size_t c = 0; c < fs.clauses.size(); ++c) {
      std::uint32_t clause_end = c + 1 < fs.clauses.size() ? fs.clauses[c + 1] : static_cast<std::uint32_t>(text.size());
      while (h < heads.size() && heads[h].first < clause_end) cur = heads[h++].second;
      fs.clause_section[c] = cur;
    }
    return fs;
  };

  // Per-clause questions over a field's findings.
  auto clause_has = [&](const FieldScan& fs, std::uint32_t clause, auto pred) {
    for (const auto& f : fs.in_clause(clause))
      if (pred(f)) return true;
    return false;
  };
  auto context_ok = [&](const FieldScan& fs, const Found& self) {
    int ctx = m_rules[self.rule].context;
    if (ctx < 0) return true;
    return clause_has(fs, self.clause, [&](const Found& f) {
      if (&f == &self) return false;
      int k = m_rules[f.rule].kind;
      bool plain = m_rules[f.rule].context < 0;
      switch (ctx) {
        case k_edu_context: return k == k_edu_context || k == k_degree || k == k_major;
        case k_school_context: return k == k_school_context || k == k_school_tier || k == k_degree;
        case k_major_context: return k == k_major_context || (k == k_degree && plain);
        case k_paper_weak: return k == k_paper_strong || k == k_paper_weak || (k == k_venue && plain);
        default: return false;
      }
    });
  };
  // Requirement level of a finding: the first cue after it in its clause ("硕士优先",
  // "PhD preferred"), a leading cue before it ("preferably a PhD"), else the section.
  auto level_of = [&](const FieldScan& fs, const Found& self) {
    const Found* after = nullptr;
    const Found* before = nullptr;
    for (const auto& f : fs.in_clause(self.clause)) {
      int k = m_rules[f.rule].kind;
      if ((k == k_preferred_after || k == k_required_cue) && f.begin >= self.end && !after) after = &f;
      if ((k == k_preferred_before || k == k_required_cue) && f.end <= self.begin) before = &f;
    }
    if (after && m_rules[after->rule].kind == k_preferred_after) return Requirement::preferred;
    if (before && m_rules[before->rule].kind == k_preferred_before) return Requirement::preferred;
    if (fs.clause_section[self.clause] == Section::preferred && !after) return Requirement::preferred;
    return Requirement::required;
  };
  // Whether clause c goes on the sentence of the clause before it: split off at a comma
  // beside CJK text or at an aside's "(", not at a sentence end or a list marker.
  auto continues_sentence = [&](const FieldScan& fs, std::uint32_t c) {
    if (c == 0 || c >= fs.clauses.size()) return false;
    const std::uint32_t start = fs.clauses[c];
    if (start >= fs.text.size() || is_digit(fs.text[start])) return false;
    return fs.text[start] == '(' || fs.text[start - 1] == ',';
  };
  auto not_requirement = [&](const FieldScan& fs, std::uint32_t clause) {
    return clause_has(fs, clause, [&](const Found& f) { return m_rules[f.rule].kind == k_not_requirement; });
  };
  auto evidence = [&](const Found& f, Field field, std::string_view text) {
    if (!ws.evidence) return;
    auto& e = evidence_out.next();
    e.rule = m_rules[f.rule].id;
    e.field = field;
    e.text.assign(text.substr(f.begin, f.end - f.begin));
  };

  // ---- the text ----
  const FieldScan& text = scan_field(norm.text, text_matches, buf.text, &norm.text_clauses);
  auto& tags = buf.tag_spans;
  tag_list_spans(norm.text, tags);
  // Spans are disjoint and in order: only the last one starting at or before f can hold it.
  auto in_tags = [&](const Found& f) {
    auto it = std::upper_bound(tags.begin(), tags.end(), f.begin,
                               [](std::uint32_t pos, const auto& span) { return pos < span.first; });
    return it != tags.begin() && f.end <= std::prev(it)->second;
  };
  std::optional<Education> text_min, tag_min;
  auto& preferred_levels = buf.preferred_levels;
  preferred_levels.clear();
  auto& paper_clauses_seen = buf.paper_clauses;
  paper_clauses_seen.clear();
  Requirement paper_level = Requirement::none;
  auto& general_years = buf.general_years;
  auto& paired_years = buf.paired_years;
  auto& tag_years = buf.tag_years;
  auto& preferred_years = buf.preferred_years;
  for (auto* v : {&general_years, &paired_years, &tag_years, &preferred_years}) v->clear();
  bool text_zero = false;
  std::vector<std::string> generic_venues;  // as written ("顶会"), rarely any
  std::size_t generic_venue_end = 0;        // end of the last one's phrase

  for (const auto& f : text.found) {
    const Rule& r = m_rules[f.rule];
    switch (r.kind) {
      case k_degree: {
        if (!context_ok(text, f) || not_requirement(text, f.clause)) break;
        auto e = r.degree;
        if (in_tags(f)) {
          tag_min = tag_min ? std::min(*tag_min, e) : e;
        } else if (level_of(text, f) == Requirement::preferred) {
          preferred_levels.push_back(e);
        } else {
          text_min = text_min ? std::min(*text_min, e) : e;
          // "博士和优秀硕士", "硕士及以上学历或优秀本科生": the lower degree is let in for
          // excellent candidates, so the higher one is what the posting prefers.
          const std::size_t before = skip_spaces_back(norm.text, f.begin);
          if (ends_with_at(norm.text, before, "优秀") || ends_with_at(norm.text, before, "优秀的"))
            for (const auto& g : text.in_clause(f.clause))
              if (m_rules[g.rule].kind == k_degree && m_rules[g.rule].degree > e && context_ok(text, g))
                preferred_levels.push_back(m_rules[g.rule].degree);
        }
        evidence(f, Field::text, norm.text);
        // "BS+5 / MS+3 / PhD+1": years per degree.
        std::size_t i = f.end;
        while (i < norm.text.size() && norm.text[i] == ' ') ++i;
        if (i < norm.text.size() && norm.text[i] == '+') {
          ++i;
          while (i < norm.text.size() && norm.text[i] == ' ') ++i;
          std::size_t j = i;
          while (j < norm.text.size() && is_digit(norm.text[j]) && j - i < 2) ++j;
          if (j > i && (j == norm.text.size() || !is_digit(norm.text[j])))
            paired_years.push_back(std::stoi(norm.text.substr(i, j - i)));
        }
        break;
      }
      case k_degree_generic: {
        if (not_requirement(text, f.clause)) break;
        bool named = clause_has(text, f.clause, [&](const Found& g) { return m_rules[g.rule].kind == k_degree; });
        if (named) break;
        auto e = r.degree;
        if (in_tags(f)) tag_min = tag_min ? std::min(*tag_min, e) : e;
        else if (level_of(text, f) == Requirement::preferred) preferred_levels.push_back(e);
        else text_min = text_min ? std::min(*text_min, e) : e;
        evidence(f, Field::text, norm.text);
        break;
      }
      case k_school_tier: {
        if (!context_ok(text, f) || not_requirement(text, f.clause)) break;
        add_unique(b.school_tier, r.value);
        b.school_tier_level = std::max(b.school_tier_level, level_of(text, f));
        evidence(f, Field::text, norm.text);
        break;
      }
      case k_major: {
        if (!context_ok(text, f) || not_requirement(text, f.clause)) break;
        add_unique(b.majors, r.value);
        b.major_level = std::max(b.major_level, level_of(text, f));
        evidence(f, Field::text, norm.text);
        break;
      }
      case k_venue: {
        if (!context_ok(text, f)) break;
        // A generic word ("顶会", "top conferences") is kept as written, for the list only
        // when the posting names no venue (below).
        if (!r.value.empty()) {
          add_unique(b.venues, r.value);
        } else if (f.begin >= generic_venue_end) {
          generic_venue_end = venue_phrase_end(norm.text, f.end);
          add_unique(generic_venues, std::string(norm.text.substr(f.begin, generic_venue_end - f.begin)));
        }
        evidence(f, Field::text, norm.text);
        [[fallthrough]];
      }
      case k_paper_strong:
      case k_paper_weak: {
        // Sorted (findings come in clause order, so each insert is at the end).
        auto seen_at = std::lower_bound(paper_clauses_seen.begin(), paper_clauses_seen.end(), f.clause);
        if (seen_at != paper_clauses_seen.end() && *seen_at == f.clause) break;
        // A clause asks for papers when it has a strong paper word, or two different
        // paper words / a venue (论文 + 发表, paper + NeurIPS).
        std::size_t strong = 0, weak = 0;
        auto& weak_terms = buf.weak_terms;
        weak_terms.clear();
        for (const auto& g : text.in_clause(f.clause)) {
          int k = m_rules[g.rule].kind;
          if (k == k_paper_strong || (k == k_venue && m_rules[g.rule].value.empty())) ++strong;
          if (k == k_paper_weak) {
            auto term = std::string_view(norm.text).substr(g.begin, g.end - g.begin);
            if (std::find(weak_terms.begin(), weak_terms.end(), term) == weak_terms.end())
              weak_terms.push_back(term);
          }
          if (k == k_venue && context_ok(text, g)) ++weak;
        }
        weak += weak_terms.size();
        if (strong == 0 && weak < 2) break;
        paper_clauses_seen.insert(seen_at, f.clause);
        if (not_requirement(text, f.clause)) break;
        // The cue may close the sentence rather than the paper clause: "有顶会(CVPR)发表
        // 论文者优先", "在顶会发表论文，或在榜单取得优异成绩的优先" (a paper clause with a
        // cue of its own that says "must" stays required).
        auto is_preferred_cue = [&](const Found& g) {
          int k = m_rules[g.rule].kind;
          return k == k_preferred_after || k == k_preferred_before;
        };
        bool preferred_cue = clause_has(text, f.clause, is_preferred_cue);
        if (!preferred_cue &&
            !clause_has(text, f.clause, [&](const Found& g) { return m_rules[g.rule].kind == k_required_cue; })) {
          // Papers as one of alternatives ("…有论文发表记录，或在相关领域有深厚的工程落地经验")
          // are welcome, not required.
          auto offers_alternative = [&](std::uint32_t c) {
            std::size_t at = text.clauses[c];
            while (at < norm.text.size() && norm.text[at] == ' ') ++at;
            return norm.text.compare(at, 3, "或") == 0 || norm.text.compare(at, 3, "or ") == 0;
          };
          for (std::uint32_t c = f.clause; !preferred_cue && continues_sentence(text, c + 1); ++c)
            preferred_cue = clause_has(text, c + 1, is_preferred_cue) || offers_alternative(c + 1);
          // An aside of examples after the paper clause ("发表论文者优先（ICASSP，Interspeech）").
          for (std::uint32_t c = f.clause; !preferred_cue && continues_sentence(text, c); --c)
            preferred_cue = clause_has(text, c - 1, is_preferred_cue);
        }
        if (text.clause_section[f.clause] == Section::duty && !preferred_cue) break;
        Requirement lvl = preferred_cue || in_tags(f) || text.clause_section[f.clause] == Section::preferred
                              ? Requirement::preferred
                              : Requirement::required;
        paper_level = std::max(paper_level, lvl);
        evidence(f, Field::text, norm.text);
        break;
      }
      case k_english:
      case k_portfolio: {
        if (not_requirement(text, f.clause) || text.clause_section[f.clause] == Section::duty) break;
        Requirement lvl = level_of(text, f);
        auto& slot = r.kind == k_english ? b.english : b.portfolio;
        slot = std::max(slot, lvl);
        evidence(f, Field::text, norm.text);
        break;
      }
      case k_year_unit: {
        auto y = years_at(norm.text, f.begin, f.end);
        if (!y) break;
        auto is_cue = [&](const Found& g) { return m_rules[g.rule].kind == k_exp_cue; };
        bool cue = in_tags(f) || clause_has(text, f.clause, is_cue);
        // "经验要求：3年", "Experience Level: 10+ years": the cue ends the clause before.
        std::uint32_t start = text.clauses[f.clause];
        if (!cue && f.clause > 0 && start > 0 && norm.text[start - 1] == ':')
          cue = clause_has(text, f.clause - 1, is_cue);
        // "5+ years AI/deep learning development", "10+ yrs needed": the plus states an
        // amount required of the candidate by itself (nothing else is "5+ years").
        if (!cue) {
          const std::size_t e = skip_spaces_back(norm.text, f.begin);
          cue = e > 0 && norm.text[e - 1] == '+' && text.clause_section[f.clause] != Section::duty;
        }
        if (!cue || not_requirement(text, f.clause)) break;
        evidence(f, Field::text, norm.text);
        if (in_tags(f)) {
          tag_years.push_back(y->years);
          break;
        }
        // A degree earlier in the clause with no other year unit in between pairs them
        // ("Bachelor's in CS with 5+ years, Master's with 3+ years").
        // The amount may start a clause earlier than its unit: "PhD with five (5) years"
        // is cut at the aside's "(".
        std::uint32_t first = f.clause;
        while (first > 0 && text.clauses[first] > y->begin) --first;
        bool paired = false;
        for (std::uint32_t c = first; c <= f.clause; ++c) {
          for (const auto& g : text.in_clause(c)) {
            if (g.end > y->begin) continue;
            int k = m_rules[g.rule].kind;
            if (k == k_degree) paired = true;
            else if (k == k_year_unit && g.begin < y->begin) paired = false;
          }
        }
        if (paired) paired_years.push_back(y->years);
        else if (level_of(text, f) == Requirement::preferred) preferred_years.push_back(y->years);
        else general_years.push_back(y->years);
        break;
      }
      case k_exp_zero: {
        if (not_requirement(text, f.clause)) break;
        text_zero = true;
        evidence(f, Field::text, norm.text);
        break;
      }
      default: break;
    }
  }

  // ---- education: the text's requirement, else tag lists, else the column ----
  std::optional<Education> column_min;
  if (!norm.education.empty()) {
    ws.column_matches.clear();
    m_matcher.scan(norm.education, ws.scratch, ws.column_matches);
    const FieldScan& col = scan_field(norm.education, ws.column_matches, buf.column);
    for (const auto& f : col.found) {
      if (m_rules[f.rule].kind != k_degree) continue;
      auto e = m_rules[f.rule].degree;
      column_min = column_min ? std::min(*column_min, e) : e;
      evidence(f, Field::education, norm.education);
    }
  }
  // The title scan is made at most once, when a field below needs it.
  const FieldScan* title = nullptr;
  auto title_scan = [&]() -> const FieldScan& {
    if (!title) title = &scan_field(norm.title, title_matches, buf.title);
    return *title;
  };
  if (text_min) b.min_education = *text_min;
  else if (tag_min) b.min_education = *tag_min;
  else if (column_min) b.min_education = *column_min;
  else if (preferred_levels.empty()) {
    // A degree the title names ("Quantitative Researcher - PhD: 2027", "MBA Internship")
    // is the posting's audience when nothing else states one (GUIDE: title-only items are
    // read from the title).
    std::optional<Education> title_min;
    for (const auto& f : title_scan().found) {
      if (m_rules[f.rule].kind != k_degree || !context_ok(title_scan(), f)) continue;
      const auto e = m_rules[f.rule].degree;
      if (!title_min || e < *title_min) title_min = e;
      evidence(f, Field::title, norm.title);
    }
    if (title_min) b.min_education = *title_min;
  }
  for (auto e : preferred_levels)
    if (e > b.min_education && (!b.preferred_education || e < *b.preferred_education))
      b.preferred_education = e;

  b.papers = paper_level;
  // A generic word beside named venues says nothing more: the list names the venues, as a
  // reader would (GUIDE: the names the posting mentions).
  if (b.venues.empty()) b.venues = generic_venues;

  // ---- experience: the text's main requirement, else tags, else the column ----
  if (!paired_years.empty()) {
    b.experience_years_min = *std::min_element(paired_years.begin(), paired_years.end());
  } else if (!general_years.empty()) {
    b.experience_years_min = *std::max_element(general_years.begin(), general_years.end());
  } else if (!tag_years.empty()) {
    b.experience_years_min = *std::min_element(tag_years.begin(), tag_years.end());
  } else if (auto col = parse_experience_column(norm.experience)) {
    b.experience_years_min = *col;
    if (ws.evidence) {
      auto& e = evidence_out.next();
      e.rule = "experience.column";
      e.field = Field::experience;
      e.text = norm.experience;
    }
  } else if (text_zero) {
    b.experience_years_min = 0;
  } else if (!preferred_years.empty()) {
    // Only a preferred amount stated: no minimum is required.
  }
  if (!b.experience_years_min && !text_zero) {
    for (const auto& f : title_scan().found) {
      if (m_rules[f.rule].kind == k_exp_zero_title || m_rules[f.rule].kind == k_exp_zero) {
        b.experience_years_min = 0;
        evidence(f, Field::title, norm.title);
        break;
      }
    }
  }
  evidence_out.done();
}

}  // namespace jobmarket::extract
