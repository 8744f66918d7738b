#include <gtest/gtest.h>

#include <jobmarket/render/svg.hpp>

using namespace jobmarket::render;

namespace {
int count(const std::string& s, const std::string& what) {
  int n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST(SvgLineChart, LinesJoinPointsAndGapsLiftThePen) {
  std::vector<std::string> x{"2025-01", "2025-02", "2025-03", "2025-04", "2025-05"};
  auto svg = svg_line_chart("Postings", x, {{"research", {1.0, 2.0, std::nullopt, 4.0, 5.0}}});
  auto d = svg.substr(svg.find("class=\"series\" d=\""));
  d = d.substr(18, d.find('"', 18) - 18);
  // Two runs: M L (gap) M L.
  EXPECT_EQ(count(d, "M"), 2) << d;
  EXPECT_EQ(count(d, "L"), 2) << d;
  EXPECT_EQ(d.front(), 'M');
}

TEST(SvgLineChart, EscapesLabelsAndIsDeterministic) {
  std::vector<std::string> x{"a<b", "c&d"};
  auto one = svg_line_chart("T & <T>", x, {{"x\"y", {0.25, 0.5}}}, /*as_percent=*/true);
  auto two = svg_line_chart("T & <T>", x, {{"x\"y", {0.25, 0.5}}}, /*as_percent=*/true);
  EXPECT_EQ(one, two);
  EXPECT_EQ(one.find("<T>"), std::string::npos);
  EXPECT_NE(one.find("T &amp; &lt;T&gt;"), std::string::npos);
  EXPECT_NE(one.find("a&lt;b"), std::string::npos);
}

TEST(SvgBarChart, OneBarPerItem) {
  auto svg = svg_bar_chart("Directions", {{"research", 0.2, "n=2"}, {"engineering", 0.5, "n=5"}}, true);
  EXPECT_EQ(count(svg, "<rect"), 3);  // background + two bars
  EXPECT_NE(svg.find("n=5"), std::string::npos);
}

TEST(SvgBoxChart, WhiskersAndBoxes) {
  auto svg = svg_box_chart("Salary", {{"research", 100, 200, 300, 400, 500, "n=40"}}, "CNY");
  EXPECT_NE(svg.find("research"), std::string::npos);
  EXPECT_GE(count(svg, "<rect"), 2);
}
