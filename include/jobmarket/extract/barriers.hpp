#pragma once
// Entry barriers stated by a posting: education, school tier, major, papers, experience,
// English and portfolio, each with evidence.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <jobmarket/classify/classification.hpp>

namespace jobmarket::extract {

// Ordered: a higher value is a higher degree.
enum class Education { none_stated, associate, bachelor, master, phd };
std::string_view education_name(Education e);  // GUIDE names: "none_stated", "bachelor"...

enum class Requirement { none, preferred, required };
std::string_view requirement_name(Requirement r);  // "none", "preferred", "required"

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
};

}  // namespace jobmarket::extract
