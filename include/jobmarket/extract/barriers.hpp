#pragma once
// Entry barriers stated by a posting: education, school tier, major, papers, experience,
// English and portfolio, each with evidence. Rules live in data/rules/barriers.json;
// docs/barriers.md states every convention.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <jobmarket/classify/classification.hpp>
#include <jobmarket/model/posting.hpp>
#include <jobmarket/normalize/posting.hpp>
#include <jobmarket/rules/matcher.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::extract {

// Ordered: a higher value is a higher degree.
enum class Education { none_stated, associate, bachelor, master, phd };
std::string_view education_name(Education e);  // GUIDE names: "none_stated", "bachelor"...
std::optional<Education> education_from_name(std::string_view name);

enum class Requirement { none, preferred, required };
std::string_view requirement_name(Requirement r);  // "none", "preferred", "required"
std::optional<Requirement> requirement_from_name(std::string_view name);

struct Barriers {
  Education min_education = Education::none_stated;
  std::optional<Education> preferred_education;
  std::vector<std::string> school_tier;  // "985","211","double_first_class","qs_top","top_generic"
  std::vector<std::string> majors;       // "cs","math","stats","ee","physics","other"
  Requirement papers = Requirement::none;
  std::vector<std::string> venues;       // as written: "NeurIPS", "CVPR", "顶会"
  std::optional<int> experience_years_min;
  Requirement english = Requirement::none;
  Requirement portfolio = Requirement::none;
  std::vector<classify::Evidence> evidence;
  // Strongest level at which a school tier / major is asked for (none when not named).
  Requirement school_tier_level = Requirement::none;
  Requirement major_level = Requirement::none;
};

// Compiled barrier rules: one vectorscan database for every term of every rule, built
// once and shared read-only by all worker threads.
class BarrierExtractor {
 public:
  // Per-thread working memory (matcher scratch and match buffers).
  struct Workspace {
    rules::Matcher::Scratch scratch;
    std::vector<rules::Match> matches;
    std::vector<rules::Match> title_matches;
    std::vector<rules::Match> column_matches;  // the education column
    struct Buffers;  // per-field analysis, kept between postings (barriers.cpp)
    std::shared_ptr<Buffers> buffers;
    // False: Barriers::evidence is left empty (for callers that never read it).
    bool evidence = true;
  };

  // Parses and compiles a rule table (format: data/rules/barriers.json). Errors start with
  // `file_name: ` and name the rule ("barriers.json: rule 3 (degree.phd): unknown kind 'x'").
  static Expected<BarrierExtractor> create(std::string_view rules_json, std::string_view file_name);
  // The built-in table (embedded data/rules/barriers.json).
  static Expected<BarrierExtractor> builtin();

  Workspace make_workspace() const;

  // The barriers of one posting. `norm` must be normalize_posting(posting). Structured
  // columns (education, experience) are used when the text states nothing.
  Barriers extract(const Posting& posting, const normalize::NormalizedPosting& norm,
                   Workspace& ws) const;
  // The same from matches found elsewhere: `text` and `title` are the matches of
  // patterns() in norm.text and norm.title, ordered by end offset as Matcher::scan gives
  // them (the education column is scanned here). For a caller that scans once for several
  // consumers.
  Barriers extract_matches(const normalize::NormalizedPosting& norm,
                           std::span<const rules::Match> text, std::span<const rules::Match> title,
                           Workspace& ws) const;
  // The same into `out`, reusing the storage of what it held.
  void extract_matches(const normalize::NormalizedPosting& norm, std::span<const rules::Match> text,
                       std::span<const rules::Match> title, Workspace& ws, Barriers& out) const;
  // Convenience for tests and one-off calls: normalizes and allocates a workspace.
  Barriers extract(const Posting& posting) const;

  std::size_t rule_count() const { return m_rules.size(); }
  // Every term of the table as compiled (pattern id = index), for `rules export --format
  // terms` and for callers that build one combined matcher.
  const std::vector<rules::PatternSpec>& patterns() const { return m_patterns; }
  const rules::Matcher& matcher() const { return m_matcher; }

  // One rule of the table (public for the implementation's helpers).
  struct Rule {
    std::string id;
    int kind = 0;           // internal kind code
    std::string value;      // degree/tier/major/venue name, "" when the kind has none
    Education degree = Education::none_stated;  // `value` read, for the degree kinds
    int context = -1;       // kind code that must occur in the same clause, or -1
    std::string source;
  };

 private:
  rules::Matcher m_matcher;
  std::vector<Rule> m_rules;  // pattern id -> rule index via m_pattern_rule
  std::vector<std::uint32_t> m_pattern_rule;
  std::vector<rules::PatternSpec> m_patterns;
};

// Years of experience stated by an experience column value ("3-5年" -> 3, "五年以上工作经验"
// -> 5, "经验不限"/"应届生"/"1年以内" -> 0); nullopt when the value states none ("3天/周").
std::optional<int> parse_experience_column(std::string_view folded_value);

}  // namespace jobmarket::extract
