#include <jobmarket/rules/rule_set.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include <jobmarket/normalize/text.hpp>
#include <jobmarket/rules/matcher.hpp>
#include <jobmarket/util/embedded.hpp>

namespace jobmarket::rules {

namespace {

constexpr std::array<std::string_view, 18> kTags = {"operators",
                                                    "training_optimization",
                                                    "inference_optimization",
                                                    "architecture_pretraining",
                                                    "llm_application",
                                                    "agent",
                                                    "rag",
                                                    "fine_tuning",
                                                    "graphrag_kg",
                                                    "multimodal_cv",
                                                    "mlops_deployment",
                                                    "embodied_ai",
                                                    "world_model",
                                                    "aigc_generation",
                                                    "industry_finance",
                                                    "industry_healthcare",
                                                    "industry_education",
                                                    "industry_manufacturing"};

using Json = nlohmann::json;

// Line and column of a byte offset, for JSON syntax errors.
std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

// Collects one error message and the rule it belongs to.
struct Context {
  std::string_view file;
  std::string where;  // "rules[3] 'rag.core'" or "sections[1]"
  Unexpected<std::string> fail(std::string_view problem) const {
    if (where.empty()) return unexpected(fmt::format("{}: {}", file, problem));
    return unexpected(fmt::format("{}: {}: {}", file, where, problem));
  }
};

Expected<std::vector<std::string>> string_list(const Json& v, std::string_view key,
                                               const Context& ctx, bool allow_scalar) {
  std::vector<std::string> out;
  if (allow_scalar && v.is_string()) {
    out.push_back(v.get<std::string>());
    return out;
  }
  if (!v.is_array()) return ctx.fail(fmt::format("'{}' must be an array of strings", key));
  for (const auto& e : v) {
    if (!e.is_string()) return ctx.fail(fmt::format("'{}' must be an array of strings", key));
    out.push_back(e.get<std::string>());
  }
  return out;
}

// Weights and scoring constants are small numbers: 1e308 would make a score infinite and
// the confidence NaN (not even valid JSON). The bound leaves every sum finite.
constexpr double kMaxRuleNumber = 1e6;

Expected<double> number(const Json& v, std::string_view key, const Context& ctx) {
  if (!v.is_number()) return ctx.fail(fmt::format("'{}' must be a number", key));
  const double d = v.get<double>();
  if (!(std::fabs(d) <= kMaxRuleNumber))
    return ctx.fail(fmt::format("'{}' is {}: at most {} either side of zero", key, v.dump(), kMaxRuleNumber));
  return d;
}

// The vectorscan error for one regex, without the matcher's "pattern N ('...'): " prefix.
std::optional<std::string> regex_problem(const std::string& re) {
  auto m = Matcher::compile({PatternSpec{re, true, 0}});
  if (m) return std::nullopt;
  std::string msg = m.error();
  std::string prefix = fmt::format("pattern 0 ('{}'): ", re);
  if (msg.starts_with(prefix)) msg.erase(0, prefix.size());
  return msg;
}

Expected<Rule> parse_rule(const Json& j, std::size_t index, std::string_view file) {
  Context ctx{file, fmt::format("rules[{}]", index)};
  if (!j.is_object()) return ctx.fail("a rule must be an object");
  Rule r;
  auto id = j.find("id");
  if (id == j.end() || !id->is_string() || id->get<std::string>().empty())
    return ctx.fail("missing 'id' (a non-empty string)");
  r.id = id->get<std::string>();
  ctx.where = fmt::format("rules[{}] '{}'", index, r.id);
  static const std::set<std::string, std::less<>> keys = {
      "id", "kind", "weight", "tag_weight", "fields", "terms", "regex", "tags", "source",
      "tie_research", "needs", "tags_when"};
  for (const auto& [k, v] : j.items()) {
    if (!keys.contains(k)) return ctx.fail(fmt::format("unknown key '{}'", k));
  }
  auto kind = j.find("kind");
  if (kind == j.end() || !kind->is_string()) return ctx.fail("missing 'kind'");
  auto k = rule_kind_from_name(kind->get<std::string>());
  if (!k)
    return ctx.fail(
        fmt::format("unknown kind '{}' (expected research, engineering, other, ai or tag)",
                    kind->get<std::string>()));
  r.kind = *k;
  if (auto w = j.find("weight"); w != j.end()) {
    auto n = number(*w, "weight", ctx);
    if (!n) return Unexpected{n.error()};
    r.weight = *n;
  }
  r.tag_weight = std::max(r.weight, 0.0);
  if (auto w = j.find("tag_weight"); w != j.end()) {
    auto n = number(*w, "tag_weight", ctx);
    if (!n) return Unexpected{n.error()};
    if (*n < 0) return ctx.fail("'tag_weight' must not be negative");
    r.tag_weight = *n;
  }
  if (auto nd = j.find("needs"); nd != j.end()) {
    auto list = string_list(*nd, "needs", ctx, false);
    if (!list) return Unexpected{list.error()};
    r.needs = std::move(*list);
  }
  if (auto f = j.find("fields"); f != j.end()) {
    auto list = string_list(*f, "fields", ctx, false);
    if (!list) return Unexpected{list.error()};
    r.in_title = r.in_text = false;
    for (const auto& name : *list) {
      if (name == "title")
        r.in_title = true;
      else if (name == "text")
        r.in_text = true;
      else
        return ctx.fail(fmt::format("unknown field '{}' (expected title or text)", name));
    }
    if (!r.in_title && !r.in_text) return ctx.fail("'fields' is empty");
  }
  if (auto t = j.find("terms"); t != j.end()) {
    auto list = string_list(*t, "terms", ctx, false);
    if (!list) return Unexpected{list.error()};
    r.terms = std::move(*list);
  }
  for (std::size_t i = 0; i < r.terms.size(); ++i) {
    if (normalize::fold(r.terms[i]).empty()) return ctx.fail(fmt::format("term {} is empty", i));
  }
  if (auto x = j.find("regex"); x != j.end()) {
    auto list = string_list(*x, "regex", ctx, true);
    if (!list) return Unexpected{list.error()};
    r.regex = std::move(*list);
  }
  for (const auto& re : r.regex) {
    if (re.empty()) return ctx.fail("regex is empty");
    if (auto problem = regex_problem(re))
      return ctx.fail(fmt::format("invalid regex '{}': {}", re, *problem));
  }
  if (r.terms.empty() && r.regex.empty()) return ctx.fail("no 'terms' and no 'regex'");
  if (auto t = j.find("tags"); t != j.end()) {
    auto list = string_list(*t, "tags", ctx, false);
    if (!list) return Unexpected{list.error()};
    r.tags = std::move(*list);
  }
  for (const auto& tag : r.tags) {
    auto known = known_tags();
    if (std::find(known.begin(), known.end(), tag) == known.end())
      return ctx.fail(fmt::format("unknown tag '{}'", tag));
  }
  if (r.kind == RuleKind::tag && r.tags.empty()) return ctx.fail("a 'tag' rule needs 'tags'");
  auto src = j.find("source");
  if (src == j.end() || !src->is_string() || src->get<std::string>().empty())
    return ctx.fail("missing 'source' (say where the rule comes from)");
  r.source = src->get<std::string>();
  if (auto tb = j.find("tie_research"); tb != j.end()) {
    if (!tb->is_boolean()) return ctx.fail("'tie_research' must be true or false");
    r.tie_research = tb->get<bool>();
  }
  if (auto tw = j.find("tags_when"); tw != j.end()) {
    auto when = tw->is_string() ? rule_kind_from_name(tw->get<std::string>()) : std::nullopt;
    if (!when || (*when != RuleKind::research && *when != RuleKind::engineering))
      return ctx.fail("'tags_when' must be \"research\" or \"engineering\"");
    if (r.tags.empty()) return ctx.fail("'tags_when' on a rule without 'tags'");
    r.tags_when = *when;
  }
  return r;
}

Expected<Section> parse_section(const Json& j, std::size_t index, std::string_view file) {
  Context ctx{file, fmt::format("sections[{}]", index)};
  if (!j.is_object()) return ctx.fail("a section must be an object");
  Section s;
  auto name = j.find("name");
  if (name == j.end() || !name->is_string() || name->get<std::string>().empty())
    return ctx.fail("missing 'name'");
  s.name = name->get<std::string>();
  ctx.where = fmt::format("sections[{}] '{}'", index, s.name);
  for (const auto& [k, v] : j.items()) {
    if (k != "name" && k != "weight" && k != "headers")
      return ctx.fail(fmt::format("unknown key '{}'", k));
  }
  auto w = j.find("weight");
  if (w == j.end()) return ctx.fail("missing 'weight'");
  auto n = number(*w, "weight", ctx);
  if (!n) return Unexpected{n.error()};
  if (*n < 0) return ctx.fail("'weight' must not be negative");
  s.weight = *n;
  auto h = j.find("headers");
  if (h == j.end()) return ctx.fail("missing 'headers'");
  auto list = string_list(*h, "headers", ctx, false);
  if (!list) return Unexpected{list.error()};
  if (list->empty()) return ctx.fail("'headers' is empty");
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (normalize::fold((*list)[i]).empty()) return ctx.fail(fmt::format("header {} is empty", i));
  }
  s.headers = std::move(*list);
  return s;
}

// Terms of a cue or of the title roles: a non-empty array of non-empty strings.
Expected<std::vector<std::string>> term_list(const Json& j, const Context& ctx) {
  auto t = j.find("terms");
  if (t == j.end()) return ctx.fail("missing 'terms'");
  auto list = string_list(*t, "terms", ctx, false);
  if (!list) return list;
  if (list->empty()) return ctx.fail("'terms' is empty");
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (normalize::fold((*list)[i]).empty()) return ctx.fail(fmt::format("term {} is empty", i));
  }
  return list;
}

Expected<std::string> source_of(const Json& j, const Context& ctx) {
  auto src = j.find("source");
  if (src == j.end() || !src->is_string() || src->get<std::string>().empty())
    return ctx.fail("missing 'source' (say where the rule comes from)");
  return src->get<std::string>();
}

Expected<Cue> parse_cue(const Json& j, std::size_t index, std::string_view file) {
  Context ctx{file, fmt::format("cues[{}]", index)};
  if (!j.is_object()) return ctx.fail("a cue must be an object");
  Cue c;
  auto name = j.find("name");
  if (name == j.end() || !name->is_string() || name->get<std::string>().empty())
    return ctx.fail("missing 'name'");
  c.name = name->get<std::string>();
  ctx.where = fmt::format("cues[{}] '{}'", index, c.name);
  for (const auto& [k, v] : j.items()) {
    if (k != "name" && k != "weight" && k != "terms" && k != "source" && k != "industry")
      return ctx.fail(fmt::format("unknown key '{}'", k));
  }
  auto w = j.find("weight");
  if (w == j.end()) return ctx.fail("missing 'weight'");
  auto n = number(*w, "weight", ctx);
  if (!n) return Unexpected{n.error()};
  if (!(*n >= 0 && *n <= 1)) return ctx.fail("'weight' must be between 0 and 1");
  c.weight = *n;
  if (auto ind = j.find("industry"); ind != j.end()) {
    if (!ind->is_boolean()) return ctx.fail("'industry' must be true or false");
    c.industry = ind->get<bool>();
  }
  auto terms = term_list(j, ctx);
  if (!terms) return Unexpected{terms.error()};
  c.terms = std::move(*terms);
  auto src = source_of(j, ctx);
  if (!src) return Unexpected{src.error()};
  c.source = std::move(*src);
  return c;
}

Expected<TitleRoles> parse_title_roles(const Json& j, std::string_view file) {
  Context ctx{file, "title_roles"};
  if (!j.is_object()) return ctx.fail("must be an object");
  for (const auto& [k, v] : j.items()) {
    if (k != "terms" && k != "source") return ctx.fail(fmt::format("unknown key '{}'", k));
  }
  TitleRoles t;
  auto terms = term_list(j, ctx);
  if (!terms) return Unexpected{terms.error()};
  t.terms = std::move(*terms);
  auto src = source_of(j, ctx);
  if (!src) return Unexpected{src.error()};
  t.source = std::move(*src);
  return t;
}

Expected<Scoring> parse_scoring(const Json& j, std::string_view file) {
  Context ctx{file, "scoring"};
  if (!j.is_object()) return ctx.fail("must be an object");
  Scoring s;
  const std::array<std::pair<std::string_view, double*>, 12> fields = {{
      {"title_weight", &s.title_weight},
      {"repeat_weight", &s.repeat_weight},
      {"repeat_cap", &s.repeat_cap},
      {"min_signal", &s.min_signal},
      {"tag_threshold", &s.tag_threshold},
      {"other_margin", &s.other_margin},
      {"unsupported_title_weight", &s.unsupported_title_weight},
      {"min_text_length", &s.min_text_length},
      {"cross_tag_factor", &s.cross_tag_factor},
      {"title_only_min_signal", &s.title_only_min_signal},
      {"title_team_weight", &s.title_team_weight},
      {"other_title_factor", &s.other_title_factor},
  }};
  for (const auto& [k, v] : j.items()) {
    if (k == "tag_thresholds") {
      if (!v.is_object()) return ctx.fail("'tag_thresholds' must be an object of tag: number");
      auto known = known_tags();
      for (const auto& [tag, t] : v.items()) {
        if (std::find(known.begin(), known.end(), tag) == known.end())
          return ctx.fail(fmt::format("tag_thresholds: unknown tag '{}'", tag));
        auto n = number(t, tag, ctx);
        if (!n) return Unexpected{n.error()};
        if (*n < 0) return ctx.fail(fmt::format("tag_thresholds: '{}' is negative", tag));
        s.tag_thresholds.emplace_back(tag, *n);
      }
      continue;
    }
    // [&key = k]: clang before 16 cannot capture a structured binding (the fuzz build).
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&key = k](const auto& f) { return f.first == key; });
    if (it == fields.end()) return ctx.fail(fmt::format("unknown key '{}'", k));
    auto n = number(v, k, ctx);
    if (!n) return Unexpected{n.error()};
    *it->second = *n;
  }
  return s;
}

}  // namespace

std::string_view rule_kind_name(RuleKind k) {
  switch (k) {
    case RuleKind::research:
      return "research";
    case RuleKind::engineering:
      return "engineering";
    case RuleKind::other:
      return "other";
    case RuleKind::ai:
      return "ai";
    case RuleKind::tag:
      return "tag";
  }
  return "tag";
}

std::optional<RuleKind> rule_kind_from_name(std::string_view name) {
  if (name == "research") return RuleKind::research;
  if (name == "engineering") return RuleKind::engineering;
  if (name == "other") return RuleKind::other;
  if (name == "ai") return RuleKind::ai;
  if (name == "tag") return RuleKind::tag;
  return std::nullopt;
}

std::span<const std::string_view> known_tags() { return kTags; }

double Scoring::threshold_of(std::string_view tag) const {
  for (const auto& [t, v] : tag_thresholds)
    if (t == tag) return v;
  return tag_threshold;
}

bool is_industry_tag(std::string_view tag) { return tag.starts_with("industry_"); }

bool is_direction_tag(std::string_view tag) {
  auto it = std::find(kTags.begin(), kTags.end(), tag);
  return it != kTags.end() && it - kTags.begin() < 11;
}

bool is_research_tag(std::string_view tag) {
  auto it = std::find(kTags.begin(), kTags.end(), tag);
  return it != kTags.end() && it - kTags.begin() < 4;
}

bool is_engineering_tag(std::string_view tag) {
  return is_direction_tag(tag) && !is_research_tag(tag);
}

std::optional<RulesMode> rules_mode_from_name(std::string_view name) {
  if (name == "replace") return RulesMode::replace;
  if (name == "extend") return RulesMode::extend;
  return std::nullopt;
}

Expected<RuleSet> RuleSet::parse(std::string_view json_text, std::string_view file) {
  Json doc;
  try {
    doc = Json::parse(json_text);
  } catch (const Json::parse_error& e) {
    // nlohmann reports the byte just past the problem; show it as line:column.
    auto [line, col] = line_col(json_text, e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    if (auto p = what.find("syntax error"); p != std::string::npos) what.erase(0, p);
    return unexpected(fmt::format("{}:{}:{}: invalid JSON: {}", file, line, col, what));
  } catch (const Json::out_of_range& e) {
    // A number too large for a double (1E1111): also an error naming the file, not an
    // exception escaping the loader.
    std::string what = e.what();
    if (auto p = what.find("number overflow"); p != std::string::npos) what.erase(0, p);
    return unexpected(fmt::format("{}: invalid JSON: {}", file, what));
  }
  Context ctx{file, ""};
  if (!doc.is_object()) return ctx.fail("the rule table must be a JSON object");
  for (const auto& [k, v] : doc.items()) {
    if (k != "version" && k != "rules" && k != "sections" && k != "cues" && k != "title_roles" &&
        k != "scoring" && k != "$schema" && k != "description")
      return ctx.fail(fmt::format("unknown top-level key '{}'", k));
  }
  RuleSet set;
  set.m_file = std::string(file);
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_string() || version->get<std::string>().empty())
    return ctx.fail("missing 'version' (a non-empty string such as \"2025.1\")");
  set.m_version = version->get<std::string>();
  auto rules = doc.find("rules");
  if (rules == doc.end() || !rules->is_array()) return ctx.fail("missing 'rules' (an array)");
  std::set<std::string, std::less<>> ids;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    auto r = parse_rule((*rules)[i], i, file);
    if (!r) return Unexpected{r.error()};
    if (!ids.insert(r->id).second)
      return unexpected(fmt::format("{}: rules[{}] '{}': duplicate id", file, i, r->id));
    set.m_rules.push_back(std::move(*r));
  }
  if (auto sections = doc.find("sections"); sections != doc.end()) {
    if (!sections->is_array()) return ctx.fail("'sections' must be an array");
    for (std::size_t i = 0; i < sections->size(); ++i) {
      auto s = parse_section((*sections)[i], i, file);
      if (!s) return Unexpected{s.error()};
      set.m_sections.push_back(std::move(*s));
    }
  }
  if (auto cues = doc.find("cues"); cues != doc.end()) {
    if (!cues->is_array()) return ctx.fail("'cues' must be an array");
    for (std::size_t i = 0; i < cues->size(); ++i) {
      auto c = parse_cue((*cues)[i], i, file);
      if (!c) return Unexpected{c.error()};
      set.m_cues.push_back(std::move(*c));
    }
  }
  if (auto roles = doc.find("title_roles"); roles != doc.end()) {
    auto t = parse_title_roles(*roles, file);
    if (!t) return Unexpected{t.error()};
    set.m_title_roles = std::move(*t);
  }
  if (auto scoring = doc.find("scoring"); scoring != doc.end()) {
    auto s = parse_scoring(*scoring, file);
    if (!s) return Unexpected{s.error()};
    set.m_scoring = *s;
  }
  return set;
}

Expected<RuleSet> RuleSet::builtin() {
  auto text = builtin_file("classify.json");
  if (!text) return unexpected("classify.json: not built into this binary");
  return parse(*text, "builtin:classify.json");
}

Expected<RuleSet> RuleSet::extend(const RuleSet& base, const RuleSet& user) {
  RuleSet out = base;
  out.m_version = base.m_version + "+" + user.m_version;
  for (std::size_t i = 0; i < user.m_rules.size(); ++i) {
    const auto& r = user.m_rules[i];
    if (base.find(r.id))
      return unexpected(fmt::format("{}: rules[{}] '{}': duplicate id (already in {})", user.m_file,
                                    i, r.id, base.m_file));
    out.m_rules.push_back(r);
  }
  // A user section with a built-in name adds headers to it; a new name adds a section.
  for (const auto& s : user.m_sections) {
    auto it = std::find_if(out.m_sections.begin(), out.m_sections.end(),
                           [&](const Section& x) { return x.name == s.name; });
    if (it == out.m_sections.end()) {
      out.m_sections.push_back(s);
    } else {
      it->weight = s.weight;
      it->headers.insert(it->headers.end(), s.headers.begin(), s.headers.end());
    }
  }
  for (const auto& c : user.m_cues) {
    auto it = std::find_if(out.m_cues.begin(), out.m_cues.end(),
                           [&](const Cue& x) { return x.name == c.name; });
    if (it == out.m_cues.end()) {
      out.m_cues.push_back(c);
    } else {
      it->weight = c.weight;
      it->terms.insert(it->terms.end(), c.terms.begin(), c.terms.end());
    }
  }
  out.m_title_roles.terms.insert(out.m_title_roles.terms.end(), user.m_title_roles.terms.begin(),
                                 user.m_title_roles.terms.end());
  return out;
}

const Rule* RuleSet::find(std::string_view id) const {
  for (const auto& r : m_rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

nlohmann::ordered_json RuleSet::rule_to_json(const Rule& r) {
  nlohmann::ordered_json j;
  j["id"] = r.id;
  j["kind"] = rule_kind_name(r.kind);
  j["weight"] = r.weight;
  if (r.tag_weight != std::max(r.weight, 0.0)) j["tag_weight"] = r.tag_weight;
  auto fields = nlohmann::ordered_json::array();
  if (r.in_title) fields.push_back("title");
  if (r.in_text) fields.push_back("text");
  j["fields"] = fields;
  j["terms"] = r.terms;
  if (!r.regex.empty()) j["regex"] = r.regex;
  j["tags"] = r.tags;
  if (r.tie_research) j["tie_research"] = true;
  if (!r.needs.empty()) j["needs"] = r.needs;
  if (r.tags_when != RuleKind::tag) j["tags_when"] = rule_kind_name(r.tags_when);
  j["source"] = r.source;
  return j;
}

nlohmann::ordered_json RuleSet::to_json() const {
  nlohmann::ordered_json j;
  j["version"] = m_version;
  nlohmann::ordered_json scoring;
  scoring["title_weight"] = m_scoring.title_weight;
  scoring["repeat_weight"] = m_scoring.repeat_weight;
  scoring["repeat_cap"] = m_scoring.repeat_cap;
  scoring["min_signal"] = m_scoring.min_signal;
  scoring["tag_threshold"] = m_scoring.tag_threshold;
  scoring["other_margin"] = m_scoring.other_margin;
  scoring["unsupported_title_weight"] = m_scoring.unsupported_title_weight;
  scoring["min_text_length"] = m_scoring.min_text_length;
  scoring["cross_tag_factor"] = m_scoring.cross_tag_factor;
  scoring["title_only_min_signal"] = m_scoring.title_only_min_signal;
  scoring["title_team_weight"] = m_scoring.title_team_weight;
  scoring["other_title_factor"] = m_scoring.other_title_factor;
  if (!m_scoring.tag_thresholds.empty()) {
    nlohmann::ordered_json t;
    for (const auto& [tag, v] : m_scoring.tag_thresholds) t[tag] = v;
    scoring["tag_thresholds"] = t;
  }
  j["scoring"] = scoring;
  auto sections = nlohmann::ordered_json::array();
  for (const auto& s : m_sections) {
    nlohmann::ordered_json o;
    o["name"] = s.name;
    o["weight"] = s.weight;
    o["headers"] = s.headers;
    sections.push_back(o);
  }
  j["sections"] = sections;
  auto cues = nlohmann::ordered_json::array();
  for (const auto& c : m_cues) {
    nlohmann::ordered_json o;
    o["name"] = c.name;
    o["weight"] = c.weight;
    o["terms"] = c.terms;
    if (!c.industry) o["industry"] = false;
    o["source"] = c.source;
    cues.push_back(o);
  }
  j["cues"] = cues;
  if (!m_title_roles.terms.empty())
    j["title_roles"] = {{"terms", m_title_roles.terms}, {"source", m_title_roles.source}};
  auto rules = nlohmann::ordered_json::array();
  for (const auto& r : m_rules) rules.push_back(rule_to_json(r));
  j["rules"] = rules;
  return j;
}

Expected<RuleSet> load_rules(std::optional<std::string_view> user_text, std::string_view user_file,
                             RulesMode mode) {
  if (!user_text) return RuleSet::builtin();
  auto user = RuleSet::parse(*user_text, user_file);
  if (!user) return user;
  if (mode == RulesMode::replace) return user;
  auto base = RuleSet::builtin();
  if (!base) return base;
  return RuleSet::extend(*base, *user);
}

}  // namespace jobmarket::rules
