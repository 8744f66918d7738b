#include <jobmarket/classify/classifier.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include <jobmarket/normalize/clauses.hpp>
#include <jobmarket/util/reuse.hpp>

namespace jobmarket::classify {

namespace {

constexpr std::size_t kTitle = 0;
constexpr std::size_t kText = 1;

// Sections weighted below this are benefits/EEO text: even industry words there say
// nothing about the job.
constexpr double kNoiseSection = 0.1;

double round3(double x) { return std::round(x * 1000.0) / 1000.0; }

// Where a folded title is cut into parts: ',', '|', ':', ';', brackets, dashes (an ASCII
// '-' only between spaces or beside CJK, so "full-stack" and "GPT-4" stay whole). Returns
// the separator's length at `i`, or 0.
std::size_t separator_at(std::string_view t, std::size_t i) {
  const auto c = static_cast<unsigned char>(t[i]);
  switch (c) {
    case ',': case '|': case ':': case ';': case '(': case ')': case '[': case ']':
      return 1;
    case '-': {
      const bool spaced = i > 0 && t[i - 1] == ' ' && i + 1 < t.size() && t[i + 1] == ' ';
      const bool cjk = (i > 0 && static_cast<unsigned char>(t[i - 1]) >= 0x80) ||
                       (i + 1 < t.size() && static_cast<unsigned char>(t[i + 1]) >= 0x80);
      return spaced || cjk ? 1 : 0;
    }
    default:
      break;
  }
  if (i + 3 > t.size()) return 0;
  const auto b1 = static_cast<unsigned char>(t[i + 1]), b2 = static_cast<unsigned char>(t[i + 2]);
  if (c == 0xE2 && b1 == 0x80 && (b2 == 0x93 || b2 == 0x94)) return 3;  // – —
  if (c == 0xE3 && b1 == 0x80 && (b2 == 0x90 || b2 == 0x91)) return 3;  // 【 】
  return 0;
}

// The role part of a title: the first part that holds a role noun and is not an aside in
// brackets ("【实习】", "(北京)"), else the first part holding one, else the first part
// that is not an aside; the whole title when it has no separator.
std::pair<std::uint32_t, std::uint32_t> role_part(std::string_view t,
                                                  std::span<const std::uint32_t> role_hits) {
  struct Part {
    std::uint32_t begin, end;
    bool aside;
  };
  std::array<Part, 16> parts{};
  std::size_t n = 0;
  std::size_t begin = 0;
  bool aside = false;
  auto close = [&](std::size_t end, bool next_aside) {
    if (end > begin && n < parts.size())
      parts[n++] = {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end), aside};
    aside = next_aside;
  };
  for (std::size_t i = 0; i < t.size();) {
    const std::size_t len = separator_at(t, i);
    if (len == 0) {
      ++i;
      continue;
    }
    // An opening bracket starts an aside; a closing one ends it.
    const bool opens = t[i] == '(' || t[i] == '[' ||
                       (len == 3 && static_cast<unsigned char>(t[i + 2]) == 0x90);
    close(i, opens);
    i += len;
    begin = i;
  }
  close(t.size(), false);
  if (n <= 1) return {0, static_cast<std::uint32_t>(t.size())};
  auto holds_role = [&](const Part& p) {
    return std::any_of(role_hits.begin(), role_hits.end(),
                       [&](std::uint32_t at) { return at >= p.begin && at < p.end; });
  };
  for (std::size_t k = 0; k < n; ++k)
    if (!parts[k].aside && holds_role(parts[k])) return {parts[k].begin, parts[k].end};
  for (std::size_t k = 0; k < n; ++k)
    if (holds_role(parts[k])) return {parts[k].begin, parts[k].end};
  for (std::size_t k = 0; k < n; ++k)
    if (!parts[k].aside) return {parts[k].begin, parts[k].end};
  return {0, static_cast<std::uint32_t>(t.size())};
}

// True when the title part holding byte `at` ends with "方向" ("-AI评测方向", "（NLP方向）"):
// such a part names the job's own focus, not a team or product, and counts as the role.
bool in_focus_part(std::string_view t, std::size_t at) {
  std::size_t end = at;
  while (end < t.size() && separator_at(t, end) == 0) ++end;
  while (end > at && t[end - 1] == ' ') --end;
  constexpr std::string_view kFocus = "方向";
  return end - at >= kFocus.size() && t.substr(end - kFocus.size(), kFocus.size()) == kFocus;
}

}  // namespace

Expected<Classifier> Classifier::create(const rules::RuleSet& set) {
  Classifier c;
  c.m_rules = std::make_shared<const rules::RuleSet>(set);
  std::vector<rules::PatternSpec> specs;
  const auto& rs = c.m_rules->rules();
  auto add = [&](const std::string& pattern, bool regex, std::uint32_t index, PatternKind kind) {
    specs.push_back({pattern, regex, static_cast<std::uint32_t>(specs.size())});
    c.m_patterns.push_back({index, kind});
  };
  for (std::size_t i = 0; i < rs.size(); ++i) {
    for (const auto& t : rs[i].terms) add(t, false, static_cast<std::uint32_t>(i), PatternKind::rule);
    for (const auto& re : rs[i].regex) add(re, true, static_cast<std::uint32_t>(i), PatternKind::rule);
  }
  const auto& ss = c.m_rules->sections();
  for (std::size_t i = 0; i < ss.size(); ++i)
    for (const auto& h : ss[i].headers) add(h, false, static_cast<std::uint32_t>(i), PatternKind::header);
  const auto& cues = c.m_rules->cues();
  for (std::size_t i = 0; i < cues.size(); ++i)
    for (const auto& t : cues[i].terms) add(t, false, static_cast<std::uint32_t>(i), PatternKind::cue);
  for (const auto& t : c.m_rules->title_roles().terms) add(t, false, 0, PatternKind::role);
  auto m = rules::Matcher::compile(specs);
  if (!m) {
    // The matcher names the pattern index; translate it back into the rule.
    std::string msg = m.error();
    for (std::size_t i = 0; i < specs.size(); ++i) {
      auto prefix = fmt::format("pattern {} ", i);
      if (!msg.starts_with(prefix)) continue;
      const auto& ref = c.m_patterns[i];
      std::string owner;
      switch (ref.kind) {
        case PatternKind::rule: owner = fmt::format("rule '{}'", rs[ref.index].id); break;
        case PatternKind::header: owner = fmt::format("section '{}'", ss[ref.index].name); break;
        case PatternKind::cue: owner = fmt::format("cue '{}'", cues[ref.index].name); break;
        case PatternKind::role: owner = "title_roles"; break;
      }
      msg = fmt::format("{}: {}: {}", set.file(), owner, msg.substr(prefix.size()));
      break;
    }
    return unexpected(msg);
  }
  c.m_matcher = std::move(*m);
  c.m_specs = std::move(specs);
  auto known = rules::known_tags();
  for (auto t : known) {
    c.m_tag_names.emplace_back(t);
    c.m_tag_info.push_back({rules::is_industry_tag(t), rules::is_direction_tag(t),
                            rules::is_research_tag(t), rules::is_engineering_tag(t),
                            set.scoring().threshold_of(t)});
    c.m_tag_order.push_back(static_cast<std::uint32_t>(c.m_tag_order.size()));
  }
  std::sort(c.m_tag_order.begin(), c.m_tag_order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return c.m_tag_names[a] < c.m_tag_names[b]; });
  c.m_rule_tags.resize(rs.size());
  c.m_industry_only.resize(rs.size());
  for (std::size_t i = 0; i < rs.size(); ++i) {
    for (const auto& t : rs[i].tags) {
      auto it = std::find(known.begin(), known.end(), t);
      if (it != known.end())
        c.m_rule_tags[i].push_back(static_cast<std::uint32_t>(it - known.begin()));
    }
    c.m_industry_only[i] =
        rs[i].kind == rules::RuleKind::tag &&
        std::all_of(rs[i].tags.begin(), rs[i].tags.end(),
                    [](const std::string& t) { return rules::is_industry_tag(t); });
  }
  c.m_needs.resize(rs.size());
  for (std::size_t i = 0; i < rs.size(); ++i) {
    for (const auto& need : rs[i].needs) {
      auto it = std::find_if(rs.begin(), rs.end(), [&](const rules::Rule& r) { return r.id == need; });
      if (it == rs.end())
        return unexpected(fmt::format("{}: rule '{}': 'needs' names no rule: '{}'", set.file(),
                                      rs[i].id, need));
      c.m_needs[i].push_back(static_cast<std::uint32_t>(it - rs.begin()));
    }
  }
  for (auto& ref : c.m_patterns) {
    if (ref.kind == PatternKind::header) {
      ref.weight = ss[ref.index].weight;
    } else if (ref.kind == PatternKind::cue) {
      ref.weight = cues[ref.index].weight;
      ref.industry_cue = cues[ref.index].industry;
    } else if (ref.kind == PatternKind::rule) {
      ref.in_title = rs[ref.index].in_title;
      ref.in_text = rs[ref.index].in_text;
      ref.industry_only = c.m_industry_only[ref.index] != 0;
    }
  }
  return c;
}

Classifier::Workspace Classifier::make_workspace() const {
  Workspace ws;
  ws.m_scratch = m_matcher.make_scratch();
  ws.m_hits.resize(m_rules->rules().size());
  ws.m_tag_score.resize(m_tag_names.size());
  for (auto& when : ws.m_tag_score_when) when.resize(m_tag_names.size());
  ws.m_matches.reserve(256);
  return ws;
}

Classification Classifier::classify(const Posting& posting,
                                    const normalize::NormalizedPosting& norm, Workspace& ws,
                                    Scores* scores_out) const {
  (void)posting;
  ws.m_title_matches.clear();
  m_matcher.scan(norm.title, ws.m_scratch, ws.m_title_matches);
  ws.m_matches.clear();
  m_matcher.scan(norm.text, ws.m_scratch, ws.m_matches);
  return classify_matches(norm, ws.m_title_matches, ws.m_matches, ws, scores_out);
}

Classification Classifier::classify_matches(const normalize::NormalizedPosting& norm,
                                            std::span<const rules::Match> title_matches,
                                            std::span<const rules::Match> text_matches,
                                            Workspace& ws, Scores* scores_out) const {
  Classification out;
  classify_matches(norm, title_matches, text_matches, ws, out, scores_out);
  return out;
}

void Classifier::classify_matches(const normalize::NormalizedPosting& norm,
                                  std::span<const rules::Match> title_matches,
                                  std::span<const rules::Match> text_matches, Workspace& ws,
                                  Classification& out, Scores* scores_out) const {
  const auto& rs = m_rules->rules();
  const auto& sc = m_rules->scoring();
  if (ws.m_hits.size() != rs.size()) ws.m_hits.assign(rs.size(), {});
  ws.m_touched.clear();

  auto record = [&](std::uint32_t rule, std::size_t field, double factor, const rules::Match& m) {
    auto& h = ws.m_hits[rule][field];
    if (!h.seen) {
      if (!ws.m_hits[rule][0].seen && !ws.m_hits[rule][1].seen) ws.m_touched.push_back(rule);
      h.seen = true;
      h.begin = m.begin;
      h.end = m.end;
    }
    h.sum_factor += factor;
    h.max_factor = std::max(h.max_factor, factor);
  };

  // Title: a hit in the role part counts title_weight, one in a team or product part
  // ("-豆包", ", Codex") title_team_weight; headers and cues mean nothing there.
  std::array<std::uint32_t, 8> role_hits{};
  std::size_t role_count = 0;
  for (const auto& m : title_matches)
    if (m_patterns[m.id].kind == PatternKind::role && role_count < role_hits.size())
      role_hits[role_count++] = m.begin;
  const auto [role_begin, role_end] =
      role_part(norm.title, std::span<const std::uint32_t>(role_hits.data(), role_count));
  bool role_other = false, role_ai = false;
  for (const auto& m : title_matches) {
    const auto& ref = m_patterns[m.id];
    if (ref.kind != PatternKind::rule || !ref.in_title) continue;
    const bool in_role = m.begin >= role_begin && m.end <= role_end;
    const bool in_focus = !in_role && in_focus_part(norm.title, m.begin);
    // A research or engineering term anywhere in the title ("后端开发工程师-Agent") makes
    // it an AI job; a generic AI word only in its role part (see other_title_factor).
    const auto kind = rs[ref.index].kind;
    if (in_role) role_other |= kind == rules::RuleKind::other;
    role_ai |= kind == rules::RuleKind::research || kind == rules::RuleKind::engineering ||
               ((in_role || in_focus) && kind == rules::RuleKind::ai);
    record(ref.index, kTitle, in_role || in_focus ? sc.title_weight : sc.title_team_weight, m);
  }

  // Text: the clauses come with the normalized posting (computed here for a caller that
  // filled the text alone).
  const std::vector<std::uint32_t>* clauses = &norm.text_clauses;
  if (clauses->empty()) {
    normalize::clause_starts(norm.text, ws.m_clauses);
    clauses = &ws.m_clauses;
  }
  // Cues first: one may follow the terms it weakens ("Agent开发经验者优先").
  auto& cue_weight = ws.m_cue_weight;
  cue_weight.clear();
  normalize::ClauseCursor cue_clause(*clauses);  // matches come in end order
  for (const auto& m : text_matches) {
    const auto& ref = m_patterns[m.id];
    if (ref.kind != PatternKind::cue) continue;
    const std::uint32_t c = cue_clause(m.begin);
    const double industry = ref.industry_cue ? ref.weight : 1.0;
    cue_weight.push_back({c, ref.weight, industry});
    // "Nice to have:" leads in the clause after it.
    if (c + 1 < clauses->size() && norm.text[(*clauses)[c + 1] - 1] == ':')
      cue_weight.push_back({c + 1, ref.weight, industry});
  }
  if (cue_weight.size() > 1) {
    std::sort(cue_weight.begin(), cue_weight.end(),
              [](const auto& a, const auto& b) { return a.clause < b.clause; });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < cue_weight.size(); ++i) {
      if (kept > 0 && cue_weight[kept - 1].clause == cue_weight[i].clause) {
        auto& e = cue_weight[kept - 1];
        e.weight = std::min(e.weight, cue_weight[i].weight);
        e.industry = std::min(e.industry, cue_weight[i].industry);
      } else {
        cue_weight[kept++] = cue_weight[i];
      }
    }
    cue_weight.resize(kept);
  }
  normalize::ClauseCursor clause_of(*clauses);
  auto cue_of = [&](std::uint32_t at) -> const Workspace::ClauseCue* {
    const std::uint32_t c = clause_of(at);
    auto it = std::lower_bound(cue_weight.begin(), cue_weight.end(), c,
                               [](const auto& e, std::uint32_t x) { return e.clause < x; });
    return it != cue_weight.end() && it->clause == c ? &*it : nullptr;
  };

  // Matches come ordered by end offset, so a heading switches the weight of every hit after
  // it until the next heading. Text before any heading counts fully. A header term counts
  // as a heading only where it is written as one (normalize::is_heading).
  double section_weight = 1.0;
  for (const auto& m : text_matches) {
    const auto& ref = m_patterns[m.id];
    if (ref.kind == PatternKind::header) {
      if (normalize::is_heading(norm.text, (*clauses)[clause_of(m.begin)], m.begin, m.end))
        section_weight = ref.weight;
      continue;
    }
    if (ref.kind != PatternKind::rule || !ref.in_text) continue;
    double factor = section_weight;
    // Industry words are most often in the company description; they still tell the
    // industry, so only benefits/EEO text and the cues that say so scale them down.
    if (ref.industry_only && section_weight >= kNoiseSection) factor = 1.0;
    if (!cue_weight.empty())
      if (const auto* cue = cue_of(m.begin)) factor *= ref.industry_only ? cue->industry : cue->weight;
    if (factor <= 0.0) continue;
    record(ref.index, kText, factor, m);
  }

  std::sort(ws.m_touched.begin(), ws.m_touched.end());
  std::fill(ws.m_tag_score.begin(), ws.m_tag_score.end(), 0.0);
  for (auto& when : ws.m_tag_score_when) std::fill(when.begin(), when.end(), 0.0);
  // Per kind (research, engineering, other, ai) and field (title, text).
  double by_kind[4][2] = {};
  bool tie_research = false;
  util::Refill evidence(out.evidence);
  if (scores_out) scores_out->evidence.clear();
  for (auto r : ws.m_touched) {
    const auto& rule = rs[r];
    // A rule that needs another counts only when one of those matched too.
    const bool unmet =
        !m_needs[r].empty() &&
        std::none_of(m_needs[r].begin(), m_needs[r].end(), [&](std::uint32_t n) {
          return std::binary_search(ws.m_touched.begin(), ws.m_touched.end(), n);
        });
    for (std::size_t f = 0; f < 2; ++f) {
      auto& h = ws.m_hits[r][f];
      if (!h.seen) continue;
      if (unmet) {
        h = Workspace::Hit{};
        continue;
      }
      // Repeats add with diminishing returns so one term repeated cannot outvote the rest.
      double c =
          h.max_factor + sc.repeat_weight * std::min(h.sum_factor - h.max_factor, sc.repeat_cap);
      if (rule.kind != rules::RuleKind::tag)
        by_kind[static_cast<std::size_t>(rule.kind)][f] += rule.weight * c;
      auto& tag_score = rule.tags_when == rules::RuleKind::research      ? ws.m_tag_score_when[0]
                        : rule.tags_when == rules::RuleKind::engineering ? ws.m_tag_score_when[1]
                                                                         : ws.m_tag_score;
      for (auto t : m_rule_tags[r]) tag_score[t] += c * rule.tag_weight;
      if (rule.tie_research && rule.weight > 0) tie_research = true;
      if (scores_out) scores_out->evidence.push_back(rule.weight * c);
      if (ws.evidence) {
        const std::string& field_text = f == kTitle ? norm.title : norm.text;
        auto& e = evidence.next();
        e.rule = rule.id;
        e.field = f == kTitle ? Field::title : Field::text;
        e.text.assign(field_text, h.begin, h.end - h.begin);
      }
      h = Workspace::Hit{};
    }
  }
  evidence.done();
  constexpr auto R = static_cast<std::size_t>(rules::RuleKind::research);
  constexpr auto E = static_cast<std::size_t>(rules::RuleKind::engineering);
  constexpr auto O = static_cast<std::size_t>(rules::RuleKind::other);
  constexpr auto A = static_cast<std::size_t>(rules::RuleKind::ai);
  // A non-AI job in the title's role part: the AI evidence elsewhere counts less (its title
  // hits are all in a team or product part).
  if (role_other && !role_ai)
    for (auto k : {R, E, A})
      for (auto f : {kTitle, kText}) by_kind[k][f] *= sc.other_title_factor;
  // A title the text does not back up (a long text without one AI hit) counts little.
  double title_factor = 1.0;
  const double text_ai = std::max(by_kind[R][kText], 0.0) + std::max(by_kind[E][kText], 0.0) +
                         std::max(by_kind[A][kText], 0.0);
  if (text_ai <= 0.0 && static_cast<double>(norm.text.size()) >= sc.min_text_length)
    title_factor = sc.unsupported_title_weight;
  Scores s;
  s.research = by_kind[R][kTitle] * title_factor + by_kind[R][kText];
  s.engineering = by_kind[E][kTitle] * title_factor + by_kind[E][kText];
  s.ai = by_kind[A][kTitle] * title_factor + by_kind[A][kText];
  s.other = by_kind[O][kTitle] + by_kind[O][kText];

  // The AI signal: the stronger direction plus the generic AI rules. Research and
  // engineering are then decided by their own rules only; with neither, a generic AI role
  // is engineering (the article: most large-model jobs are engineering and deployment).
  const double ai = std::max(s.research, s.engineering) + std::max(s.ai, 0.0);
  const double min_signal = norm.text.empty() ? sc.title_only_min_signal : sc.min_signal;
  if (ai < min_signal) {
    out.direction = Direction::other;
    // No AI signal at all is certain; a weak one approaching min_signal less so.
    double weak = min_signal > 0 ? std::max(ai, 0.0) / min_signal : 0.0;
    out.confidence = 1.0 - 0.5 * weak;
  } else if (s.other + sc.other_margin >= ai) {
    out.direction = Direction::other;
    out.confidence = s.other / (s.other + ai);
  } else {
    const double eps = 1e-9;
    if (std::abs(s.research - s.engineering) <= eps)
      out.direction = tie_research ? Direction::research : Direction::engineering;
    else
      out.direction = s.research > s.engineering ? Direction::research : Direction::engineering;
    const double base = std::max(s.ai, 0.0);
    const double top = ai;
    const double second = std::max({std::min(s.research, s.engineering) + base, s.other, 0.0});
    out.confidence = top / (top + second);
  }
  out.confidence = round3(std::clamp(out.confidence, 0.0, 1.0));
  if (out.direction != Direction::other) {
    const auto& when = ws.m_tag_score_when[out.direction == Direction::research ? 0 : 1];
    for (std::size_t t = 0; t < when.size(); ++t) ws.m_tag_score[t] += when[t];
  }

  // Tags: every tag that reached the threshold; at most one industry (the strongest, GUIDE
  // order on ties); an "other" posting keeps no research/engineering sub-direction tags,
  // and the other side's sub-directions need cross_tag_factor times the threshold. Tags
  // are visited in name order (what their names imply is looked up once, in create()), so
  // the list comes out sorted without comparing strings.
  const std::size_t none = m_tag_names.size();
  std::size_t best_industry = none;
  for (std::size_t t = 0; t < m_tag_names.size(); ++t) {
    if (!m_tag_info[t].industry || ws.m_tag_score[t] < m_tag_info[t].threshold) continue;
    if (best_industry == none || ws.m_tag_score[t] > ws.m_tag_score[best_industry]) best_industry = t;
  }
  util::Refill tags(out.tags);
  for (std::uint32_t t : m_tag_order) {
    const TagInfo& info = m_tag_info[t];
    if (info.industry) {
      if (t == best_industry) tags.next() = m_tag_names[t];
      continue;
    }
    const double score = ws.m_tag_score[t];
    if (score < info.threshold) continue;
    if (out.direction == Direction::other && info.direction) continue;
    // A lowered bar (a tag named on little evidence within its side) does not lower the
    // bar for the other side's postings.
    const double cross = sc.cross_tag_factor * std::max(info.threshold, sc.tag_threshold);
    if (out.direction == Direction::research && info.engineering && score < cross) continue;
    if (out.direction == Direction::engineering && info.research && score < cross) continue;
    tags.next() = m_tag_names[t];
  }
  tags.done();
  if (scores_out) {
    s.evidence = std::move(scores_out->evidence);
    for (std::uint32_t t : m_tag_order)
      if (ws.m_tag_score[t] > 0) s.tags.emplace_back(m_tag_names[t], ws.m_tag_score[t]);
    *scores_out = std::move(s);
  }
}

}  // namespace jobmarket::classify
