// Deduplication core: tokens, fingerprints, MinHash similarity and the index's rules
// (exact, near, window, eviction, merge of indexes, the binary form).
#include <gtest/gtest.h>

#include <jobmarket/dedup/fingerprint.hpp>
#include <jobmarket/dedup/index.hpp>
#include <jobmarket/normalize/posting.hpp>
#include <jobmarket/util/hash.hpp>

#include <string>
#include <vector>

using namespace jobmarket;
using dedup::Days;
using dedup::Fingerprint;
using dedup::Match;

namespace {

Posting make(std::string title, std::string company, std::string location, std::string text) {
  Posting p;
  p.get(Field::title) = std::move(title);
  p.get(Field::company) = std::move(company);
  p.get(Field::location) = std::move(location);
  p.get(Field::text) = std::move(text);
  return p;
}

Fingerprint fp_of(const Posting& p, bool signature = true) {
  normalize::NormalizedPosting norm;
  normalize::normalize_posting(p, norm);
  dedup::FingerprintScratch scratch;
  Fingerprint fp;
  dedup::fingerprint(p, norm, scratch, fp, signature);
  return fp;
}

// About 120 words: long enough for a signature.
std::string english_text(int variant = 0) {
  std::string s =
      "About the role. We are hiring a machine learning engineer to build retrieval augmented "
      "generation pipelines for enterprise search. You will own chunking, embeddings, vector "
      "databases and reranking, work with product managers and researchers, and ship features "
      "to millions of users. Responsibilities: design and implement evaluation harnesses for "
      "large language model applications; fine tune open models with LoRA on customer data; "
      "deploy services with Docker and Kubernetes on AWS; monitor latency, cost and quality in "
      "production; mentor junior engineers and review code. Qualifications: a bachelor's degree "
      "in computer science or equivalent experience; three or more years of software engineering "
      "in Python; experience with PyTorch, LangChain or LlamaIndex; strong written communication. "
      "Benefits: medical, dental and vision insurance, a 401k match, flexible time off and a "
      "learning budget.";
  if (variant == 1) s += " Apply by June.";
  if (variant == 2) {
    auto at = s.find("three or more");
    s.replace(at, 13, "five or more");
  }
  return s;
}

Days day(std::int32_t d) { return {d, d}; }

dedup::Options options(dedup::Mode mode, std::int32_t window = 60) {
  dedup::Options o;
  o.mode = mode;
  o.window_days = window;
  o.keep_sources = true;
  return o;
}

}  // namespace

TEST(DedupTokenize, WordsForLatinScriptsAndCharactersForCjk) {
  std::vector<std::uint64_t> t;
  dedup::tokenize("rag 工程师, llm-ops 2025! naïve", t);
  const std::vector<std::uint64_t> want = {dedup::token_hash("rag"), dedup::token_hash("工"),
                                           dedup::token_hash("程"), dedup::token_hash("师"),
                                           dedup::token_hash("llm"), dedup::token_hash("ops"),
                                           dedup::token_hash("2025"), dedup::token_hash("naïve")};
  EXPECT_EQ(t, want);
}

TEST(DedupTokenize, AsciiRunsEndAtCjkAtNonWordBytesAndAtTheEnd) {
  // The tokenizer reads ASCII runs of a word in a loop of their own: a run stops at a CJK
  // character, at punctuation, and at the end; a Latin letter beyond ASCII continues it.
  std::vector<std::uint64_t> t;
  dedup::tokenize("gpu工程x2 café-au c++ z", t);
  const std::vector<std::uint64_t> want = {
      dedup::token_hash("gpu"), dedup::token_hash("工"),    dedup::token_hash("程"),
      dedup::token_hash("x2"),  dedup::token_hash("café"), dedup::token_hash("au"),
      dedup::token_hash("c"),   dedup::token_hash("z")};
  EXPECT_EQ(t, want);
}

TEST(DedupTokenize, RunsOfIdeographsAreOneTokenEach) {
  // A run of ideographs is read in a loop of its own (lead bytes E5-E9); 一 and 二 (E4)
  // and the Yijing hexagram ䷀ (U+4DC0, not CJK) go through the general path in between.
  std::vector<std::uint64_t> t;
  dedup::tokenize("模型一二训练䷀推理x", t);
  const std::vector<std::uint64_t> want = {
      dedup::token_hash("模"), dedup::token_hash("型"), dedup::token_hash("一"),
      dedup::token_hash("二"), dedup::token_hash("训"), dedup::token_hash("练"),
      dedup::token_hash("推"), dedup::token_hash("理"), dedup::token_hash("x")};
  EXPECT_EQ(t, want);
}

TEST(DedupFingerprint, ExactKeyIgnoresCaseSpacingPunctuationAndWidth) {
  const auto a = fp_of(make("ML Engineer", "Acme", "New York, NY", "Build RAG systems.\nShip them!"));
  const auto b = fp_of(make("ml  engineer", "ACME", "New York NY", "build rag systems ship them"));
  const auto c = fp_of(make("ＭＬ Engineer", "Acme", "New York, NY", "Build RAG systems; ship them."));
  EXPECT_EQ(a.exact, b.exact);
  EXPECT_EQ(a.exact, c.exact);
  EXPECT_EQ(a.block, b.block);
  EXPECT_FALSE(a.has_signature);  // a short description: compared exactly
  const auto other_city = fp_of(make("ML Engineer", "Acme", "Boston, MA", "Build RAG systems. Ship them!"));
  EXPECT_NE(a.exact, other_city.exact);
  EXPECT_EQ(a.block, other_city.block);
}

TEST(DedupFingerprint, CompanyLosesLegalFormAndRating) {
  const auto base = fp_of(make("Data Scientist", "Acme", "", ""));
  for (const char* company : {"Acme Inc.", "ACME, LLC", "Acme\n3.9", "Acme Ltd 4.1", "Acme Corp."})
    EXPECT_EQ(fp_of(make("Data Scientist", company, "", "")).block, base.block) << company;
  EXPECT_EQ(fp_of(make("算法工程师", "星河智能科技有限公司", "", "")).block,
            fp_of(make("算法工程师", "星河智能科技", "", "")).block);
  EXPECT_NE(fp_of(make("Data Scientist", "Acme Labs", "", "")).block, base.block);
}

TEST(DedupFingerprint, SignatureEstimatesSimilarity) {
  const auto a = fp_of(make("t", "c", "", english_text()));
  ASSERT_TRUE(a.has_signature);
  EXPECT_EQ(dedup::similarity(a.signature, fp_of(make("t", "c", "x", english_text())).signature), 1.0);
  const auto edited = fp_of(make("t", "c", "", english_text(1)));
  EXPECT_GE(dedup::similarity(a.signature, edited.signature), dedup::kThreshold);
  const auto unrelated = fp_of(make("t", "c", "", std::string(english_text()).replace(0, 400, std::string(400, 'x'))));
  EXPECT_LT(dedup::similarity(a.signature, unrelated.signature), 0.7);
  // Without a signature requested, none is computed.
  EXPECT_FALSE(fp_of(make("t", "c", "", english_text()), false).has_signature);
}

TEST(DedupFingerprint, ChineseTextGetsCharacterShingles) {
  std::string zh = "岗位职责：负责大模型预训练与后训练算法研究，编写并优化算子，提升训练与推理吞吐；"
                   "设计分布式训练策略，包括数据并行、张量并行与流水线并行。任职要求：计算机相关专业硕士及以上学历。";
  const auto a = fp_of(make("算法研究员", "星河智能", "北京", zh));
  ASSERT_TRUE(a.has_signature);
  const auto b = fp_of(make("算法研究员", "星河智能", "上海", zh + "五险一金。"));
  EXPECT_GE(dedup::similarity(a.signature, b.signature), dedup::kThreshold);
}

TEST(DedupSimilarity, EqualBinsCountsAgreeingNibbles) {
  dedup::Signature x{}, y{};
  EXPECT_EQ(dedup::equal_bins(x, y), 64u);
  y[0] = 0x01;  // one bin differs
  EXPECT_EQ(dedup::equal_bins(x, y), 63u);
  y[0] = 0x11;  // two bins in one byte
  y[31] = 0xF0;
  EXPECT_EQ(dedup::equal_bins(x, y), 61u);
  EXPECT_DOUBLE_EQ(dedup::similarity(x, x), 1.0);
  EXPECT_EQ(dedup::min_equal_bins(), 58u);  // 0.9 * 15/16 + 1/16 of 64 bins
}

TEST(DedupFingerprint, RoundTripsThroughBytes) {
  const auto a = fp_of(make("t", "c", "", english_text()));
  std::string bytes;
  dedup::append_fingerprint(bytes, a);
  ASSERT_EQ(bytes.size(), dedup::kFingerprintBytes);
  Fingerprint b;
  ASSERT_TRUE(dedup::read_fingerprint(bytes, b));
  EXPECT_EQ(b.exact, a.exact);
  EXPECT_EQ(b.block, a.block);
  EXPECT_EQ(b.signature, a.signature);
  EXPECT_EQ(b.bands, a.bands);
  bytes[12] = 7;
  EXPECT_FALSE(dedup::read_fingerprint(bytes, b));
  EXPECT_FALSE(dedup::read_fingerprint("short", b));
}

TEST(DedupDays, CoarseDatesSpanTheirPeriod) {
  extract::Date may{2024, 5, 1, extract::Date::Precision::month};
  const auto d = dedup::days_of(may);
  EXPECT_EQ(d.last - d.first, 30);
  EXPECT_FALSE(dedup::days_of(std::nullopt).dated());
}

TEST(DedupIndex, ExactRepeatsWithinTheWindowOnly) {
  dedup::Index idx(options(dedup::Mode::exact, 60));
  const auto fp = fp_of(make("ML Engineer", "Acme", "NYC", "Build things."), false);
  EXPECT_EQ(idx.add(fp, day(1000), 1).match, Match::none);
  auto v = idx.add(fp, day(1060), 2);  // 60 days later: inside
  EXPECT_EQ(v.match, Match::exact);
  EXPECT_EQ(v.canonical, 1u);
  // The window runs from the latest sighting: a posting re-listed every month stays one.
  EXPECT_EQ(idx.add(fp, day(1120), 3).match, Match::exact);
  EXPECT_EQ(idx.add(fp, day(1181), 4).match, Match::none);  // 61 days after the last: new
  EXPECT_EQ(idx.add(fp, day(1150), 5).canonical, 1u);  // repeats both: the earliest
  EXPECT_EQ(idx.add(fp, day(1230), 6).canonical, 4u);  // only the repost
  EXPECT_EQ(idx.add(fp, Days{}, 7).match, Match::exact);  // undated: within any window
  EXPECT_EQ(idx.stats().entries, 2u);
}

TEST(DedupIndex, ZeroWindowMeansTheSameDay) {
  dedup::Index idx(options(dedup::Mode::exact, 0));
  const auto fp = fp_of(make("a", "b", "c", "d"), false);
  EXPECT_EQ(idx.add(fp, day(10), 1).match, Match::none);
  EXPECT_EQ(idx.add(fp, day(10), 2).match, Match::exact);
  EXPECT_EQ(idx.add(fp, day(11), 3).match, Match::none);
}

TEST(DedupIndex, NearNeedsSameCompanyAndTitleNotLocation) {
  dedup::Index idx(options(dedup::Mode::near));
  EXPECT_EQ(idx.add(fp_of(make("ML Engineer", "Acme", "NYC", english_text())), day(100), 1).match, Match::none);
  auto v = idx.add(fp_of(make("ML Engineer", "Acme Inc.", "Boston", english_text(1))), day(101), 2);
  EXPECT_EQ(v.match, Match::near);
  EXPECT_EQ(v.canonical, 1u);
  EXPECT_EQ(idx.add(fp_of(make("ML Engineer", "Acme", "NYC", english_text())), day(102), 3).match, Match::exact);
  // Another title or another company: when unsure, both are kept.
  EXPECT_EQ(idx.add(fp_of(make("Senior ML Engineer", "Acme", "NYC", english_text())), day(103), 4).match,
            Match::none);
  EXPECT_EQ(idx.add(fp_of(make("ML Engineer", "Globex", "NYC", english_text())), day(104), 5).match, Match::none);
  // Outside the window of every sighting.
  EXPECT_EQ(idx.add(fp_of(make("ML Engineer", "Acme", "NYC", english_text(2))), day(300), 6).match, Match::none);
}

TEST(DedupIndex, ARepeatOfARepeatLeadsToTheUniquePosting) {
  dedup::Index idx(options(dedup::Mode::near));
  idx.add(fp_of(make("t", "c", "", english_text())), day(1), 10);
  idx.add(fp_of(make("t", "c", "", english_text(1))), day(2), 11);
  const auto v = idx.add(fp_of(make("t", "c", "", english_text(1) + " Thanks.")), day(3), 12);
  EXPECT_NE(v.match, Match::none);
  EXPECT_EQ(v.canonical, 10u);
}

TEST(DedupIndex, NoneModeRecordsNothing) {
  dedup::Index idx(options(dedup::Mode::none));
  const auto fp = fp_of(make("a", "b", "c", "d"));
  EXPECT_EQ(idx.add(fp, day(1), 1).match, Match::none);
  EXPECT_EQ(idx.add(fp, day(1), 2).match, Match::none);
  EXPECT_EQ(idx.stats().entries, 0u);
}

TEST(DedupIndex, FindRecordsNothingAndAbsorbJoinsIndexes) {
  dedup::Index first(options(dedup::Mode::near)), second(options(dedup::Mode::near));
  const auto a = fp_of(make("t", "c", "", english_text()));
  const auto b = fp_of(make("x", "c", "y", "short text"));
  first.add(a, day(5), 1);
  second.add(b, day(5), 2);
  EXPECT_EQ(first.find(b, day(6)).match, Match::none);
  EXPECT_EQ(first.find(b, day(6)).match, Match::none);
  first.absorb(second);
  EXPECT_EQ(first.find(b, day(6)).match, Match::exact);
  EXPECT_EQ(first.find(a, day(6)).match, Match::exact);
  EXPECT_EQ(first.stats().entries, 2u);
}

TEST(DedupIndex, SavedAndLoadedAnswersTheSame) {
  dedup::Index idx(options(dedup::Mode::near));
  idx.add(fp_of(make("t", "c", "", english_text())), day(5), 1);
  idx.add(fp_of(make("a", "b", "c", "short")), Days{}, 2);
  const auto bytes = idx.save();
  auto back = dedup::Index::load(bytes, options(dedup::Mode::near));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->find(fp_of(make("t", "c", "z", english_text(1))), day(30)).match, Match::near);
  EXPECT_EQ(back->find(fp_of(make("a", "b", "c", "short")), day(999)).match, Match::exact);
  EXPECT_EQ(back->save(), bytes);

  auto wrong = dedup::Index::load(bytes, options(dedup::Mode::near, 30));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error(), "dedup index: made with other --dedup or --dedup-window options");
  auto cut = dedup::Index::load(bytes.substr(0, bytes.size() - 3), options(dedup::Mode::near));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error(), "dedup index: truncated near entries");
  EXPECT_EQ(dedup::Index::load("nope", options(dedup::Mode::near)).error(), "dedup index: not an index (bad magic)");
}

TEST(DedupIndex, FullIndexForgetsTheOldestAndCountsWhatItCouldNotCheck) {
  auto o = options(dedup::Mode::exact, 10);
  o.memory_bytes = std::size_t{1} << 20;  // room for a few tens of thousands of entries
  dedup::Index idx(o);
  Fingerprint fp;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    fp.exact = util::hash64(std::to_string(i));
    idx.add(fp, day(i / 100), static_cast<std::uint64_t>(i));  // dates rise with the input
  }
  auto st = idx.stats();
  EXPECT_GT(st.evicted, 0u);
  EXPECT_LE(st.bytes, o.memory_bytes);
  EXPECT_EQ(st.entries + st.evicted, static_cast<std::uint64_t>(n));
  ASSERT_TRUE(st.horizon);
  // In date order, each eviction drops postings far older than the window: none unchecked
  // except those dated within the window of the last eviction's horizon.
  EXPECT_LT(st.unchecked, 2000u);
  // A posting dated before the horizon is compared with what is left, and counted.
  fp.exact = util::hash64("0");
  const auto before = idx.stats().unchecked;
  EXPECT_EQ(idx.add(fp, day(0), 0).match, Match::none);
  EXPECT_EQ(idx.stats().unchecked, before + 1);
}

TEST(DedupModes, NamesRoundTrip) {
  for (auto m : {dedup::Mode::none, dedup::Mode::exact, dedup::Mode::near})
    EXPECT_EQ(dedup::mode_from_name(dedup::mode_name(m)), m);
  EXPECT_FALSE(dedup::mode_from_name("fuzzy"));
}
