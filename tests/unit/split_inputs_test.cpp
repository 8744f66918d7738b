// Merging the inputs of parts of one file (aggregate/split_inputs.hpp): overlaps refused,
// the split plan's parts joined back into the file's own entry.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <jobmarket/aggregate/split_inputs.hpp>

using namespace jobmarket;

TEST(SplitInputs, OverlappingPartsAreRefused) {
  using Json = nlohmann::ordered_json;
  Json a = Json::array({{{"file", "big.csv"}, {"range", {{"start", 0}, {"end", 100}}}}});
  Json b = Json::array({{{"file", "big.csv"}, {"range", {{"start", 50}, {"end", 150}}}}});
  Json c = Json::array({{{"file", "big.csv"}, {"range", {{"start", 100}, {"end", 150}}}}});
  EXPECT_EQ(
      aggregate::check_disjoint_parts(a, b).error(),
      "big.csv bytes 50:150 overlaps bytes 0:100 merged already: the same part twice, or parts of "
      "different splits");
  EXPECT_TRUE(aggregate::check_disjoint_parts(a, c));
}

TEST(SplitInputs, JoinsThePlansPartsIntoTheFile) {
  using Json = nlohmann::ordered_json;
  auto part = [](std::uint64_t s, std::uint64_t e, const char* sha) {
    return Json{{"file", "big.csv"}, {"bytes", e - s},      {"sha256", sha},
                {"format", "csv"},   {"encoding", "utf-8"}, {"range", {{"start", s}, {"end", e}}}};
  };
  Json other = {
      {"file", "a.csv"}, {"bytes", 5}, {"sha256", "aa"}, {"format", "csv"}, {"encoding", "utf-8"}};
  Json plan = {{"kind", "jobmarket.split"},
               {"file", "big.csv"},
               {"format", "csv"},
               {"encoding", "utf-8"},
               {"bytes", 30},
               {"sha256", "whole"},
               {"parts", Json::array({{{"start", 0}, {"end", 10}, {"sha256", "p1"}},
                                      {{"start", 10}, {"end", 30}, {"sha256", "p2"}}})}};
  Json inputs = Json::array({other, part(0, 10, "p1"), part(10, 30, "p2")});
  auto joined = aggregate::join_split_parts(inputs, plan);
  ASSERT_TRUE(joined) << joined.error();
  EXPECT_EQ(joined->dump(), Json::array({other,
                                         {{"file", "big.csv"},
                                          {"bytes", 30},
                                          {"sha256", "whole"},
                                          {"format", "csv"},
                                          {"encoding", "utf-8"}}})
                                .dump());
  EXPECT_EQ(aggregate::join_split_parts(Json::array({part(0, 10, "p1")}), plan).error(),
            "big.csv: part 2 of 2 (bytes 10:30) is missing from the merged parts");
  EXPECT_EQ(
      aggregate::join_split_parts(Json::array({part(0, 10, "p1"), part(10, 30, "changed")}), plan)
          .error(),
      "big.csv: bytes 10:30: its SHA-256 is not the plan's: the file changed after `jobmarket "
      "split`, or the part was read without a digest");
  EXPECT_EQ(
      aggregate::join_split_parts(Json::array({part(0, 10, "p1"), other, part(10, 30, "p2")}), plan)
          .error(),
      "the parts of big.csv are not consecutive among the merged parts: give them in the plan's "
      "order");
  EXPECT_EQ(aggregate::join_split_parts(Json::array({other}), plan).error(),
            "no part of big.csv among the merged parts");
  EXPECT_EQ(
      aggregate::join_split_parts(inputs, Json::object()).error(),
      "not a split plan (\"kind\": \"jobmarket.split\" missing; write one with `jobmarket split "
      "FILE --parts N --format json`)");
}
