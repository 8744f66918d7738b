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
  // What a hit adds to the rule's tags (default: weight). Lower for words that mark the
  // direction but name the sub-direction only when they add up ("deployment", "AWS").
  double tag_weight = 1.0;
  // Rule ids of which one must have a hit in the posting for this rule to count
  // ("图像处理" names engineering CV only beside deep-learning words; GUIDE: classic image
  // processing is other). Empty: no condition.
  std::vector<std::string> needs;
  // research or engineering: the rule's tags count only on postings of that direction
  // (GUIDE: an engineering job built on large models is an LLM application; the same
  // words on a research posting are its subject). `tag` (the default): any direction.
  RuleKind tags_when = RuleKind::tag;
};

// A named part of a posting's text, entered at any of its headers (岗位职责, About us...).
// Hits inside the section count `weight` times (boilerplate and benefits count little).
struct Section {
  std::string name;
  double weight = 1.0;
  std::vector<std::string> headers;  // literal header terms
};

// Words that change how much the other terms of their clause say (docs/rules.md, "Cues"):
// "优先" / "nice to have" (optional), "不需要" (negated), "使用AI工具提效" (AI used as a
// tool for another job), "成立于" (company blurb). Each hit in a clause holding a cue
// counts `weight` times (the smallest weight of the clause's cues); a cue in a clause that
// ends with ':' leads in the next clause too.
struct Cue {
  std::string name;
  double weight = 1.0;
  std::vector<std::string> terms;
  std::string source;
  // Whether the cue also weakens industry words: a benefits list ("health insurance") says
  // nothing of the industry, a company blurb or a nice-to-have does.
  bool industry = true;
};

// Nouns that name the role in a title (工程师, 研究员, engineer, scientist, manager...). A
// title is cut at its separators ("Research Engineer, Codex", "Android客户端研发工程师-豆包");
// the part with a role noun is the job, the other parts name a team or product, whose
// hits count scoring.title_team_weight instead of title_weight.
struct TitleRoles {
  std::vector<std::string> terms;
  std::string source;
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
  // A title hit outside the role part (a team or product name) counts this instead of
  // title_weight.
  double title_team_weight = 1.0;
  // GUIDE: the title names the job. When the title's role part matches an `other` rule
  // (Android开发, Product Manager, 销售) and no research/engineering/ai rule, the AI
  // evidence elsewhere (text, team part) counts this many times: AI named around a
  // non-AI job is weaker evidence than AI named around an AI job.
  double other_title_factor = 1.0;
  // Per tag (GUIDE name): the evidence that tag needs instead of tag_threshold. Tags differ
  // in how much a reader asks before naming them (one "deploy" in the duties makes an
  // engineering job's mlops_deployment; one "diffusion" does not make aigc_generation); a
  // bar set here must be shown to hold on labels it was not fitted on (docs/rules.md,
  // "Tag thresholds"; the built-in table sets none).
  std::vector<std::pair<std::string, double>> tag_thresholds;
  // The bar of `tag`: its entry in tag_thresholds, else tag_threshold.
  double threshold_of(std::string_view tag) const;
};

class RuleSet {
 public:
  // Parses and validates a rule table. `file` names the source in error messages,
  // e.g. "rules.json: rule 'rag.core' (#3): unknown tag 'ragg'".
  static Expected<RuleSet> parse(std::string_view json_text, std::string_view file);

  // The table compiled into the binary (data/rules/classify.json).
  static Expected<RuleSet> builtin();

  // `base` plus `user`'s rules (and sections, cues, title roles: a user section or cue with
  // a built-in name adds its terms to it); duplicate ids are an error naming `user`'s
  // file. The version becomes "<base>+<user>", e.g. "2025.1+custom-1".
  static Expected<RuleSet> extend(const RuleSet& base, const RuleSet& user);

  const std::string& version() const { return m_version; }
  const std::string& file() const { return m_file; }
  const std::vector<Rule>& rules() const { return m_rules; }
  const std::vector<Section>& sections() const { return m_sections; }
  const std::vector<Cue>& cues() const { return m_cues; }
  const TitleRoles& title_roles() const { return m_title_roles; }
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
  std::vector<Cue> m_cues;
  TitleRoles m_title_roles;
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
