#include <gtest/gtest.h>

#include <jobmarket/aggregate/distinct.hpp>

using jobmarket::aggregate::DistinctCounter;

TEST(DistinctCounter, SmallCountsAreNearExact) {
  DistinctCounter c;
  for (int i = 0; i < 1000; ++i) c.add("posting " + std::to_string(i % 300));
  EXPECT_NEAR(c.estimate(), 300, 3);
}

TEST(DistinctCounter, LargeCountsWithinTwoPercent) {
  DistinctCounter c;
  for (int i = 0; i < 200000; ++i) c.add("p" + std::to_string(i));
  EXPECT_NEAR(c.estimate(), 200000, 4000);
}

TEST(DistinctCounter, MergeEqualsCountingTogetherAndRoundTrips) {
  DistinctCounter a, b, all;
  for (int i = 0; i < 5000; ++i) {
    (i % 2 ? a : b).add("x" + std::to_string(i));
    all.add("x" + std::to_string(i));
  }
  a.merge(b);
  EXPECT_EQ(a.estimate(), all.estimate());
  auto back = DistinctCounter::deserialize(a.serialize());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->estimate(), a.estimate());
  EXPECT_FALSE(DistinctCounter::deserialize("1*3,x"));
}
