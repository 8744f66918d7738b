#pragma once
// A job seeker's profile checked against every posting's stated barriers: per direction,
// the share of postings whose requirements the profile meets, and the requirements it
// misses most often, with why (docs/barriers.md, "match").
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/classify/classification.hpp>
#include <jobmarket/extract/barriers.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::aggregate {

struct Profile {
  extract::Education degree = extract::Education::none_stated;
  // The school's tiers as the user gives them; expand_tiers() adds the implied ones.
  std::vector<std::string> school_tiers;
  std::vector<std::string> majors;  // "cs", "math", "stats", "ee", "physics", "other"
  int papers = 0;                   // top-venue papers published
  int years = 0;                    // years of work experience
  bool english = false;
  bool portfolio = false;

  bool operator==(const Profile&) const = default;
};

// "985" implies "211", "double_first_class" and "top_generic"; "211" and
// "double_first_class" imply each other; "qs_top" implies "top_generic". Sorted, unique.
std::vector<std::string> expand_tiers(const std::vector<std::string>& tiers);

// Checks names ("master", "985", "cs") and returns the profile or an error naming the bad value.
Expected<Profile> make_profile(std::string_view degree, const std::vector<std::string>& school_tiers,
                               const std::vector<std::string>& majors, int papers, int years,
                               bool english, bool portfolio);

class ProfileMatch {
 public:
  explicit ProfileMatch(Profile profile);

  // The requirements a posting states that the profile misses, as "requirement: why"
  // pairs ("education", "requires master"); empty when the profile meets all of them.
  // Only required barriers count; preferred ones are counted separately.
  struct Miss {
    std::string requirement;  // "education", "experience", "school_tier", "major", "papers", "english", "portfolio"
    std::string why;          // "requires master", "requires 5+ years", "requires 985"...
  };
  std::vector<Miss> misses(const extract::Barriers& b) const;
  // Preferred barriers the profile misses (same shape).
  std::vector<Miss> preferred_misses(const extract::Barriers& b) const;

  void add(classify::Direction d, const extract::Barriers& b);
  // Adds other's counts; false (and nothing changed) when the profiles differ.
  bool merge(const ProfileMatch& other);

  const Profile& profile() const { return m_profile; }

  // {"profile": {...}, "directions": {"research": {"postings", "meets": {"count", "share"},
  //  "meets_including_preferred": {...}, "missed": [{"requirement", "count", "share",
  //  "why": {"requires master": n, ...}}, ...]}, ...}}; missed by count then name.
  nlohmann::ordered_json to_json() const;

 private:
  struct Counts {
    std::uint64_t postings = 0, meets = 0, meets_preferred = 0;
    std::map<std::string, std::map<std::string, std::uint64_t>> missed;  // requirement -> why -> n
    std::map<std::string, std::uint64_t> missed_postings;                // requirement -> postings
  };
  Profile m_profile;
  std::vector<std::string> m_tiers;  // expanded
  std::array<Counts, 3> m_dirs;
};

}  // namespace jobmarket::aggregate
