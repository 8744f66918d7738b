#include <gtest/gtest.h>

#include <jobmarket/render/json_diff.hpp>

using nlohmann::ordered_json;
using namespace jobmarket::render;

TEST(JsonDiff, NumbersStringsAndKeyedArrays) {
  auto a = ordered_json::parse(R"({"jobmarket_version":"0.1","overview":{"records":100,
    "directions":{"research":{"share":0.2}}},"tags":[{"tag":"rag","postings":10},{"tag":"agent","postings":5}]})");
  auto b = ordered_json::parse(R"({"jobmarket_version":"0.2","overview":{"records":120,
    "directions":{"research":{"share":0.2}}},"tags":[{"tag":"agent","postings":9},{"tag":"rag","postings":10},{"tag":"world_model","postings":2}]})");
  auto changes = diff_json(a, b, {"jobmarket_version"});
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].path, "overview.records");
  EXPECT_DOUBLE_EQ(*changes[0].delta, 20);
  EXPECT_DOUBLE_EQ(*changes[0].relative, 0.2);
  EXPECT_EQ(changes[1].path, "tags.agent.postings");
  EXPECT_EQ(changes[2].path, "tags.world_model.tag");
  EXPECT_EQ(changes[2].before, "");
  EXPECT_EQ(changes[3].path, "tags.world_model.postings");
}

TEST(JsonDiff, Conditions) {
  auto doc = ordered_json::parse(R"({"overview":{"directions":{"engineering":{"share":0.45}}},"tags":[{"tag":"rag","share":0.1}]})");
  EXPECT_TRUE(*evaluate_condition(doc, "overview.directions.engineering.share < 0.5"));
  EXPECT_FALSE(*evaluate_condition(doc, "tags.rag.share>=0.2"));
  EXPECT_EQ(evaluate_condition(doc, "overview.nope < 1").error(), "--fail-if 'overview.nope < 1': no value at 'overview.nope'");
  EXPECT_EQ(evaluate_condition(doc, "overview < 1").error(),
            "--fail-if 'overview < 1': 'overview' is {\"directions\":{\"engineering\":{\"share\":0.45}}}, not a number");
  EXPECT_FALSE(evaluate_condition(doc, "overview.x ~ 1"));
  // Short form for the direction counts.
  EXPECT_TRUE(*evaluate_condition(doc, "engineering.share < 0.5"));
}
