#include <jobmarket/classify/classifier.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include <jobmarket/util/reuse.hpp>

namespace jobmarket::classify {

namespace {

constexpr std::size_t kTitle = 0;
constexpr std::size_t kText = 1;

// Sections weighted below this are benefits/EEO text: even industry words there say
// nothing about the job.
constexpr double kNoiseSection = 0.1;

double round3(double x) { return std::round(x * 1000.0) / 1000.0; }

}  // namespace

Expected<Classifier> Classifier::create(const rules::RuleSet& set) {
  Classifier c;
  c.m_rules = std::make_shared<const rules::RuleSet>(set);
  std::vector<rules::PatternSpec> specs;
  const auto& rs = c.m_rules->rules();
  for (std::size_t i = 0; i < rs.size(); ++i) {
    for (const auto& t : rs[i].terms) {
      specs.push_back({t, false, static_cast<std::uint32_t>(specs.size())});
      c.m_patterns.push_back({static_cast<std::uint32_t>(i), false});
    }
    for (const auto& re : rs[i].regex) {
      specs.push_back({re, true, static_cast<std::uint32_t>(specs.size())});
      c.m_patterns.push_back({static_cast<std::uint32_t>(i), false});
    }
  }
  const auto& ss = c.m_rules->sections();
  for (std::size_t i = 0; i < ss.size(); ++i) {
    for (const auto& h : ss[i].headers) {
      specs.push_back({h, false, static_cast<std::uint32_t>(specs.size())});
      c.m_patterns.push_back({static_cast<std::uint32_t>(i), true});
    }
  }
  auto m = rules::Matcher::compile(specs);
  if (!m) {
    // The matcher names the pattern index; translate it back into the rule.
    std::string msg = m.error();
    for (std::size_t i = 0; i < specs.size(); ++i) {
      auto prefix = fmt::format("pattern {} ", i);
      if (!msg.starts_with(prefix)) continue;
      const auto& ref = c.m_patterns[i];
      auto owner = ref.is_header ? fmt::format("section '{}'", ss[ref.index].name)
                                 : fmt::format("rule '{}'", rs[ref.index].id);
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
                            rules::is_research_tag(t), rules::is_engineering_tag(t)});
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
  for (auto& ref : c.m_patterns) {
    if (ref.is_header) {
      ref.section_weight = ss[ref.index].weight;
    } else {
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

  // Title: every hit counts title_weight; section headers mean nothing there.
  for (const auto& m : title_matches) {
    const auto& ref = m_patterns[m.id];
    if (ref.is_header || !ref.in_title) continue;
    record(ref.index, kTitle, sc.title_weight, m);
  }

  // Text: matches come ordered by end offset, so a header switches the weight of every hit
  // after it until the next header. Text before any header counts fully.
  double section_weight = 1.0;
  for (const auto& m : text_matches) {
    const auto& ref = m_patterns[m.id];
    if (ref.is_header) {
      section_weight = ref.section_weight;
      continue;
    }
    if (!ref.in_text) continue;
    double factor = section_weight;
    // Industry words are most often in the company description; they still tell the
    // industry, so only benefits/EEO text scales them down.
    if (ref.industry_only && section_weight >= kNoiseSection) factor = 1.0;
    if (factor <= 0.0) continue;
    record(ref.index, kText, factor, m);
  }

  std::sort(ws.m_touched.begin(), ws.m_touched.end());
  std::fill(ws.m_tag_score.begin(), ws.m_tag_score.end(), 0.0);
  // Per kind (research, engineering, other, ai) and field (title, text).
  double by_kind[4][2] = {};
  bool tie_research = false;
  util::Refill evidence(out.evidence);
  for (auto r : ws.m_touched) {
    const auto& rule = rs[r];
    for (std::size_t f = 0; f < 2; ++f) {
      auto& h = ws.m_hits[r][f];
      if (!h.seen) continue;
      // Repeats add with diminishing returns so one term repeated cannot outvote the rest.
      double c =
          h.max_factor + sc.repeat_weight * std::min(h.sum_factor - h.max_factor, sc.repeat_cap);
      if (rule.kind != rules::RuleKind::tag)
        by_kind[static_cast<std::size_t>(rule.kind)][f] += rule.weight * c;
      if (rule.weight > 0)
        for (auto t : m_rule_tags[r]) ws.m_tag_score[t] += c * rule.weight;
      if (rule.tie_research && rule.weight > 0) tie_research = true;
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

  // Tags: every tag that reached the threshold; at most one industry (the strongest, GUIDE
  // order on ties); an "other" posting keeps no research/engineering sub-direction tags,
  // and the other side's sub-directions need cross_tag_factor times the threshold. Tags
  // are visited in name order (what their names imply is looked up once, in create()), so
  // the list comes out sorted without comparing strings.
  const std::size_t none = m_tag_names.size();
  std::size_t best_industry = none;
  for (std::size_t t = 0; t < m_tag_names.size(); ++t) {
    if (!m_tag_info[t].industry || ws.m_tag_score[t] < sc.tag_threshold) continue;
    if (best_industry == none || ws.m_tag_score[t] > ws.m_tag_score[best_industry]) best_industry = t;
  }
  const double cross = sc.cross_tag_factor * sc.tag_threshold;
  util::Refill tags(out.tags);
  for (std::uint32_t t : m_tag_order) {
    const TagInfo& info = m_tag_info[t];
    if (info.industry) {
      if (t == best_industry) tags.next() = m_tag_names[t];
      continue;
    }
    const double score = ws.m_tag_score[t];
    if (score < sc.tag_threshold) continue;
    if (out.direction == Direction::other && info.direction) continue;
    if (out.direction == Direction::research && info.engineering && score < cross) continue;
    if (out.direction == Direction::engineering && info.research && score < cross) continue;
    tags.next() = m_tag_names[t];
  }
  tags.done();
  if (scores_out) *scores_out = s;
}

}  // namespace jobmarket::classify
