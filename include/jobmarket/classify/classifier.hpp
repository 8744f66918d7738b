#pragma once
// The direction classifier: every term of every rule compiled into one vectorscan Matcher,
// one pass over the title and one over the text of each posting, scores per class with
// title hits weighing more (in the title's role part, not its team or product part),
// boilerplate sections (company, benefits, EEO) less, and terms in a clause with a cue
// ("优先", "nice to have", "不需要", "use AI tools") as the cue says.
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <jobmarket/classify/classification.hpp>
#include <jobmarket/model/posting.hpp>
#include <jobmarket/normalize/posting.hpp>
#include <jobmarket/rules/matcher.hpp>
#include <jobmarket/rules/rule_set.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::classify {

// Per-class scores behind a classification (for `explain` and tests).
struct Scores {
  double research = 0.0;
  double engineering = 0.0;
  double other = 0.0;
  double ai = 0.0;  // generic AI signal (rules of kind "ai")
  // For `explain`: what each evidence entry added (weight x hit factors, in the order of
  // Classification::evidence when evidence is kept), and every tag's score.
  std::vector<double> evidence;
  std::vector<std::pair<std::string_view, double>> tags;  // tags with a positive score, by name
};

class Classifier {
 public:
  // Per-thread working memory (matcher scratch, match and score buffers); create one per
  // worker thread with make_workspace() and reuse it for every posting.
  class Workspace {
   public:
    Workspace(Workspace&&) noexcept = default;
    Workspace& operator=(Workspace&&) noexcept = default;
    // False: Classification::evidence is left empty (for callers that never read it).
    bool evidence = true;

   private:
    friend class Classifier;
    Workspace() = default;
    rules::Matcher::Scratch m_scratch;
    std::vector<rules::Match> m_matches;
    std::vector<rules::Match> m_title_matches;
    std::vector<std::uint32_t> m_section_at;  // header match index -> section index
    struct Hit {
      double max_factor = 0.0;
      double sum_factor = 0.0;
      std::uint32_t begin = 0, end = 0;  // first hit, for evidence
      bool seen = false;
    };
    std::vector<std::array<Hit, 2>> m_hits;  // per rule: [title, text]
    std::vector<std::uint32_t> m_touched;    // rules with hits in this posting
    std::vector<double> m_tag_score;
    // Tag scores of rules with tags_when, [research, engineering]: added to m_tag_score
    // once the direction is known.
    std::array<std::vector<double>, 2> m_tag_score_when;
    // Per clause holding a cue: its smallest weight, and the smallest of the cues that
    // also weaken industry words; ordered by clause, one entry each.
    struct ClauseCue {
      std::uint32_t clause;
      double weight, industry;
    };
    std::vector<ClauseCue> m_cue_weight;
    std::vector<std::uint32_t> m_clauses;  // clause starts when the posting came without them
  };

  // Compiles the rule set (which the Classifier copies and owns). Errors name the rule whose
  // pattern failed to compile.
  static Expected<Classifier> create(const rules::RuleSet& rules);

  Workspace make_workspace() const;

  // Classifies one posting; `normalized` must be normalize_posting(posting). Deterministic:
  // the same posting and rules give the same result. Thread-safe with one Workspace per
  // thread.
  Classification classify(const Posting& posting, const normalize::NormalizedPosting& normalized,
                          Workspace& ws, Scores* scores = nullptr) const;

  // The same from matches found elsewhere: `title` and `text` are the matches of
  // patterns() in normalized.title and normalized.text, ordered by end offset as
  // Matcher::scan gives them. For a caller that scans once for several consumers.
  Classification classify_matches(const normalize::NormalizedPosting& normalized,
                                  std::span<const rules::Match> title,
                                  std::span<const rules::Match> text, Workspace& ws,
                                  Scores* scores = nullptr) const;
  // The same into `out`, reusing the storage of what it held (no allocation in the steady
  // state of a run that recycles its analyses).
  void classify_matches(const normalize::NormalizedPosting& normalized,
                        std::span<const rules::Match> title, std::span<const rules::Match> text,
                        Workspace& ws, Classification& out, Scores* scores = nullptr) const;

  // The patterns matcher() was compiled from (pattern id = index).
  const std::vector<rules::PatternSpec>& patterns() const { return m_specs; }

  const rules::RuleSet& rules() const { return *m_rules; }
  const rules::Matcher& matcher() const { return m_matcher; }

 private:
  // What a pattern id means: a term/regex of rule `index`, or a header of section `index`,
  // with what the per-match loops ask of the rule or section copied in, so a match reads
  // one small entry instead of the 160-byte rule record.
  enum class PatternKind : std::uint8_t { rule, header, cue, role };
  struct PatternRef {
    std::uint32_t index;  // into the rules, sections or cues
    PatternKind kind = PatternKind::rule;
    bool in_title = false;       // rule: "fields" has "title"
    bool in_text = false;        // rule: "fields" has "text"
    bool industry_only = false;  // rule: m_industry_only
    bool industry_cue = true;    // cue: Cue::industry
    double weight = 0;           // header: its section's weight; cue: its weight
  };
  std::shared_ptr<const rules::RuleSet> m_rules;
  rules::Matcher m_matcher;
  std::vector<rules::PatternSpec> m_specs;
  std::vector<PatternRef> m_patterns;
  std::vector<std::string> m_tag_names;                 // known_tags() as strings
  // Per tag (index into m_tag_names): what the selection asks of its name, answered once.
  struct TagInfo {
    bool industry = false, direction = false, research = false, engineering = false;
    double threshold = 0;  // Scoring::threshold_of(tag)
  };
  std::vector<TagInfo> m_tag_info;
  std::vector<std::uint32_t> m_tag_order;               // tag indices by name
  std::vector<std::vector<std::uint32_t>> m_rule_tags;  // per rule: tag indices
  std::vector<char> m_industry_only;  // per rule: a tag rule naming industries only
  std::vector<std::vector<std::uint32_t>> m_needs;  // per rule: Rule::needs as rule indices
};

}  // namespace jobmarket::classify
