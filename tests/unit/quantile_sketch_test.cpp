// QuantileSketch: relative error bound on known distributions, exact count/min/max/mean,
// merge equivalence, bounded memory and the JSON round trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include <jobmarket/aggregate/quantile_sketch.hpp>

using jobmarket::aggregate::QuantileSketch;

namespace {

// The exact value at rank q * (n - 1) (lower rank), the definition the sketch follows.
double exact_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  auto idx = static_cast<std::size_t>(std::floor(q * static_cast<double>(v.size() - 1)));
  return v[idx];
}

void expect_within_bound(const std::vector<double>& data, const QuantileSketch& s) {
  for (double q : {0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0}) {
    double want = exact_quantile(data, q);
    double got = *s.quantile(q);
    EXPECT_LE(std::fabs(got - want), s.relative_accuracy() * std::fabs(want) + 1e-9)
        << "q=" << q << " want " << want << " got " << got;
  }
}

}  // namespace

TEST(QuantileSketch, EmptyHasNoStatistics) {
  QuantileSketch s;
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.quantile(0.5));
  EXPECT_FALSE(s.min());
  EXPECT_FALSE(s.mean());
  EXPECT_EQ(s.to_json().dump(),
            R"({"relative_accuracy":0.005,"max_bins":4096,"count":0,"sum":0.0,"min":null,"max":null,"zero_count":0,"positive":[],"negative":[]})");
}

TEST(QuantileSketch, ExactCountMinMaxMean) {
  QuantileSketch s;
  for (double v : {300000.0, 120000.0, 480000.0, 240000.0}) s.add(v);
  EXPECT_EQ(s.count(), 4u);
  EXPECT_EQ(*s.min(), 120000);
  EXPECT_EQ(*s.max(), 480000);
  EXPECT_EQ(*s.mean(), 285000);
  EXPECT_EQ(*s.quantile(0), 120000);
  EXPECT_EQ(*s.quantile(1), 480000);
  // Rank 0.5 * 3 = 1.5 -> the second value, 240000, within 0.5%.
  EXPECT_NEAR(*s.quantile(0.5), 240000, 240000 * 0.005);
}

TEST(QuantileSketch, RelativeErrorOnKnownDistributions) {
  std::mt19937_64 rng(2025);
  std::lognormal_distribution<double> lognormal(12.5, 0.6);  // salary-like, CNY/year
  std::uniform_real_distribution<double> uniform(1000, 5000000);
  std::exponential_distribution<double> expo(1.0 / 80000);
  std::vector<std::vector<double>> sets(3);
  for (int i = 0; i < 50000; ++i) {
    sets[0].push_back(lognormal(rng));
    sets[1].push_back(uniform(rng));
    sets[2].push_back(expo(rng) + 1);
  }
  for (const auto& data : sets) {
    QuantileSketch s;
    for (double v : data) s.add(v);
    expect_within_bound(data, s);
  }
  // Integers 1..1000 and negative values and zeros.
  std::vector<double> mixed;
  for (int i = -500; i <= 1000; ++i) mixed.push_back(i);
  QuantileSketch m;
  for (double v : mixed) m.add(v);
  expect_within_bound(mixed, m);
  EXPECT_EQ(m.count(), 1501u);
}

TEST(QuantileSketch, MergeEqualsSketchOfUnion) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> amounts(3000, 2000000);  // integers: sums are exact
  QuantileSketch a, b, all;
  for (int i = 0; i < 20000; ++i) {
    double v = amounts(rng);
    (i % 3 == 0 ? a : b).add(v);
    all.add(v);
  }
  QuantileSketch ab = a;
  ASSERT_TRUE(ab.merge(b));
  EXPECT_TRUE(ab == all);
  QuantileSketch ba = b;
  ASSERT_TRUE(ba.merge(a));
  EXPECT_TRUE(ba == all);
  EXPECT_EQ(ab.to_json().dump(), all.to_json().dump());
  for (double q : {0.1, 0.25, 0.5, 0.75, 0.9}) EXPECT_EQ(*ab.quantile(q), *all.quantile(q));
  // Merging an empty sketch changes nothing; different parameters are refused.
  QuantileSketch empty;
  ASSERT_TRUE(ab.merge(empty));
  EXPECT_TRUE(ab == all);
  QuantileSketch other(0.01);
  EXPECT_FALSE(ab.merge(other));
  EXPECT_TRUE(ab == all);
}

TEST(QuantileSketch, MemoryIsBounded) {
  QuantileSketch s(0.005, 64);
  for (int i = 1; i <= 100000; ++i) s.add(static_cast<double>(i));
  EXPECT_LE(s.bin_count(), 64u);
  EXPECT_EQ(s.count(), 100000u);
  // The top quantiles keep their guarantee; only the lowest buckets were folded.
  EXPECT_NEAR(*s.quantile(0.99), 99000, 99000 * 0.005);
  EXPECT_EQ(*s.min(), 1);
}

TEST(QuantileSketch, JsonRoundTrip) {
  QuantileSketch s;
  for (double v : {-5.0, 0.0, 1.5, 250000.0, 250001.0, 1e7}) s.add(v);
  auto j = s.to_json();
  auto back = QuantileSketch::from_json(j);
  ASSERT_TRUE(back) << back.error();
  EXPECT_TRUE(*back == s);
  EXPECT_EQ(back->to_json().dump(), j.dump());
  auto err = [](const char* text) {
    auto r = QuantileSketch::from_json(nlohmann::ordered_json::parse(text));
    return r ? std::string("ok") : r.error();
  };
  EXPECT_EQ(err("[]"), "quantile sketch: expected an object");
  EXPECT_EQ(err(R"({"relative_accuracy":0.005})"), "quantile sketch: \"max_bins\" must be a number");
  EXPECT_EQ(err(R"({"relative_accuracy":0.005,"max_bins":4096,"count":2,"sum":3,"zero_count":0,"min":1,"max":2,"positive":[[0,1]],"negative":[]})"),
            "quantile sketch: bin counts do not add up to \"count\"");
  EXPECT_EQ(err(R"({"relative_accuracy":0.005,"max_bins":4096,"count":1,"sum":3,"zero_count":0,"min":1,"max":2,"positive":[["a",1]],"negative":[]})"),
            "quantile sketch: \"positive\" bins must be [index, count] integer pairs");
}

// The dense bucket store against a std::map model: keys in any order and far apart,
// growth at both ends, collapse of the lowest buckets, equality.
TEST(DenseBins, BehavesLikeAnOrderedMap) {
  jobmarket::aggregate::DenseBins bins;
  std::map<int, std::uint64_t> model;
  std::uint64_t x = 12345;
  for (int i = 0; i < 5000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    int key = static_cast<int>((x >> 33) % 4001) - 2000;
    if (i % 500 == 0) key = (i % 1000 == 0) ? -70000 : 70000;
    bins.add(key, 1 + i % 3);
    model[key] += 1 + i % 3;
    if (i % 700 == 0) {
      bins.collapse_lowest();
      if (model.size() > 1) {
        auto first = model.begin();
        std::next(first)->second += first->second;
        model.erase(first);
      }
    }
  }
  using Bins = std::vector<std::pair<int, std::uint64_t>>;
  Bins got, descending;
  bins.for_each([&](int k, std::uint64_t n) { got.emplace_back(k, n); });
  EXPECT_EQ(got, Bins(model.begin(), model.end()));
  EXPECT_EQ(bins.size(), model.size());
  bins.find_descending([&](int k, std::uint64_t n) {
    descending.emplace_back(k, n);
    return false;
  });
  EXPECT_EQ(descending, Bins(model.rbegin(), model.rend()));
  jobmarket::aggregate::DenseBins copy;
  for (const auto& [k, n] : model) copy.add(k, n);
  EXPECT_TRUE(copy == bins);
  copy.add(3, 1);
  EXPECT_FALSE(copy == bins);
}
