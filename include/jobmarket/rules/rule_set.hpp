#pragma once
// The classification rule table: data (data/rules/classify.json, docs/rules.md) that users
// can read, extend and version. Loading validates everything up front; errors name the
// file, the rule and the problem.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/util/expected.hpp>

namespace jobmarket::rules {

// What a rule's matches count towards: one of the three directions; `ai`, a generic AI
// signal (LLM, machine learning, 算法工程师) that separates AI roles from other roles but
// does not choose between research and engineering; or only tags.
enum class RuleKind : std::uint8_t { research, engineering, other, ai, tag };
std::string_view rule_kind_name(RuleKind k);
std::optional<RuleKind> rule_kind_from_name(std::string_view name);

// The GUIDE tag names (../shared/labeled/GUIDE.md), in GUIDE order. Rules may only imply
// these tags.
std::span<const std::string_view> known_tags();
bool is_industry_tag(std::string_view tag);     // industry_*: at most one per posting
bool is_direction_tag(std::string_view tag);    // research- or engineering-side sub-direction
bool is_research_tag(std::string_view tag);     // operators ... architecture_pretraining
bool is_engineering_tag(std::string_view tag);  // llm_application ... mlops_deployment

struct Rule {
  std::string id;  // unique, e.g. "research.kernel.cuda"
  RuleKind kind = RuleKind::tag;
  double weight = 1.0;             // per-class score added per hit (negative allowed)
  bool in_title = true;            // "fields" contains "title"
  bool in_text = true;             // "fields" contains "text"
  std::vector<std::string> terms;  // literal terms as written (folded at compile time)
  std::vector<std::string> regex;  // vectorscan regexes (case-insensitive)
  std::vector<std::string> tags;   // GUIDE tags this rule implies
  std::string source;              // "article: ..." or "added from data: ..."
  bool tie_research = false;       // GUIDE tie rule: papers or training-systems work
};

// A named part of a posting's text, entered at any of its headers (岗位职责, About us...).
// Hits inside the section count `weight` times (boilerplate and benefits count little).
struct Section {
  std::string name;
  double weight = 1.0;
  std::vector<std::string> headers;  // literal header terms
};

// Scoring constants; all have defaults and may be overridden under "scoring".
struct Scoring {
  double title_weight = 3.0;   // a title hit counts this many body hits
  double repeat_weight = 0.3;  // each further hit of one rule in one field (diminishing)
  double repeat_cap = 2.0;     // cap on the sum of further hits' factors
  double min_signal = 1.0;     // AI score (max(research, engineering) + ai) below: "other"
  double tag_threshold = 2.0;  // a tag needs this much: sum of weight x hit factor
  double other_margin = 0.0;   // "other" wins when other score + margin >= AI score
  // GUIDE: decide by responsibilities, not title alone. When the text has at least
  // min_text_length bytes and no AI hit at all, title research/engineering/ai hits count
  // only unsupported_title_weight times.
  double unsupported_title_weight = 0.25;
  // A research posting keeps an engineering-side tag (and vice versa) only with
  // cross_tag_factor x tag_threshold: a side remark is not the job's sub-direction.
  double cross_tag_factor = 2.0;
  // GUIDE: title-only rows are judged from the title; with no text at all, min_signal is
  // this instead (a bare "Machine Learning Engineer" is an AI role to a reader).
  double title_only_min_signal = 1.0;
  double min_text_length = 200;
};

class RuleSet {
 public:
  // Parses and validates a rule table. `file` names the source in error messages,
  // e.g. "rules.json: rule 'rag.core' (#3): unknown tag 'ragg'".
  static Expected<RuleSet> parse(std::string_view json_text, std::string_view file);

  // The table compiled into the binary (data/rules/classify.json).
  static Expected<RuleSet> builtin();

  // `base` plus `user`'s rules (and sections); duplicate ids are an error naming `user`'s
  // file. The version becomes "<base>+<user>", e.g. "2025.1+custom-1".
  static Expected<RuleSet> extend(const RuleSet& base, const RuleSet& user);

  const std::string& version() const { return m_version; }
  const std::string& file() const { return m_file; }
  const std::vector<Rule>& rules() const { return m_rules; }
  const std::vector<Section>& sections() const { return m_sections; }
  const Scoring& scoring() const { return m_scoring; }
  const Rule* find(std::string_view id) const;

  // The whole table as JSON in the input format (stable key order): `rules export`.
  nlohmann::ordered_json to_json() const;
  static nlohmann::ordered_json rule_to_json(const Rule& r);

 private:
  std::string m_version;
  std::string m_file;
  std::vector<Rule> m_rules;
  std::vector<Section> m_sections;
  Scoring m_scoring;
};

// How `--rules FILE` combines with the built-in table.
enum class RulesMode { replace, extend };
std::optional<RulesMode> rules_mode_from_name(std::string_view name);

// The rule set a command runs with: the built-in table, or a user table (its text and file
// name) replacing or extending it.
Expected<RuleSet> load_rules(std::optional<std::string_view> user_text, std::string_view user_file,
                             RulesMode mode);

}  // namespace jobmarket::rules
