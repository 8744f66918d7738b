#include <gtest/gtest.h>

#include <jobmarket/normalize/text.hpp>
#include <jobmarket/rules/matcher.hpp>

using jobmarket::normalize::fold;

TEST(Fold, FullWidthAndCaseFold) {
  EXPECT_EQ(fold("ＲＡＧ"), "rag");
  EXPECT_EQ(fold("Rag"), "rag");
  EXPECT_EQ(fold("ＬｏＲＡ微调"), "lora微调");
}

TEST(Fold, CollapsesWhitespaceAndZeroWidth) {
  EXPECT_EQ(fold("  Large\n\n Language\u3000Model \t"), "large language model");
  // Zero-width characters (inserted by scrapers inside words) are dropped, not spaces.
  EXPECT_EQ(fold("Py\u200bthon"), "python");
  EXPECT_EQ(fold("岗位职责：\r\n1. 负责"), "岗位职责: 1. 负责");
}

TEST(Fold, ComposesCombiningMarks) { EXPECT_EQ(fold("Ebe\xcc\x81ne"), "eb\xc3\xa9ne"); }

TEST(Fold, InvalidUtf8BecomesReplacement) {
  EXPECT_EQ(fold("a\xff" "b"), "a\xef\xbf\xbd" "b");
  EXPECT_EQ(fold("\xe4\xb8"), "\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(Fold, CjkPassesThrough) { EXPECT_EQ(fold("大模型算法研究员"), "大模型算法研究员"); }

namespace {
std::vector<std::uint32_t> ids(const jobmarket::rules::Matcher& m, std::string_view text) {
  auto scratch = m.make_scratch();
  std::vector<jobmarket::rules::Match> out;
  m.scan(text, scratch, out);
  std::vector<std::uint32_t> r;
  for (auto& x : out) r.push_back(x.id);
  return r;
}
}  // namespace

TEST(Matcher, LatinWordBoundaries) {
  auto m = jobmarket::rules::Matcher::compile({{"RAG", false, 1}, {"agent", false, 2}});
  ASSERT_TRUE(m) << m.error();
  EXPECT_TRUE(ids(*m, fold("storage and leverage")).empty());
  EXPECT_TRUE(ids(*m, fold("reagent supply")).empty());
  EXPECT_EQ(ids(*m, fold("build RAG and Agent systems")), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(ids(*m, fold("ＲＡＧ/agent")), (std::vector<std::uint32_t>{1, 2}));
}

TEST(Matcher, CjkMatchesWithoutBoundaries) {
  auto m = jobmarket::rules::Matcher::compile({{"智能体", false, 7}, {"rag", false, 8}});
  ASSERT_TRUE(m);
  EXPECT_EQ(ids(*m, fold("负责智能体开发，熟悉RAG技术")), (std::vector<std::uint32_t>{7, 8}));
}

TEST(Matcher, RejectsPatternsMatchingEverything) {
  auto m = jobmarket::rules::Matcher::compile({{"a*", true, 1}});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error(), "pattern 0 ('a*'): matches the empty string, so it would match every posting");
  auto bad = jobmarket::rules::Matcher::compile({{"(unclosed", true, 1}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("pattern 0 ('(unclosed')"), std::string::npos);
}

TEST(Matcher, RegexReportsStart) {
  auto m = jobmarket::rules::Matcher::compile({{"\\d+\\+? years", true, 3}});
  ASSERT_TRUE(m);
  auto scratch = m->make_scratch();
  std::vector<jobmarket::rules::Match> out;
  std::string t = "at least 5+ years of";
  m->scan(t, scratch, out);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(t.substr(out.back().begin, out.back().end - out.back().begin), "5+ years");
}

#include <jobmarket/util/utf8.hpp>

TEST(Utf8, FirstInvalid) {
  using jobmarket::utf8::first_invalid;
  EXPECT_FALSE(first_invalid("plain ascii text that is longer than sixteen bytes"));
  EXPECT_FALSE(first_invalid("大模型算法研究员 and 𝔘 and é"));
  EXPECT_EQ(first_invalid("abcdefghijklmnopqrstu\xff"), 21u);
  EXPECT_EQ(first_invalid("\xe4\xb8"), 0u);            // truncated 3-byte sequence
  EXPECT_EQ(first_invalid("x\xc0\xaf"), 1u);           // overlong '/'
  EXPECT_EQ(first_invalid("\xe0\x80\xaf"), 0u);        // overlong 3-byte
  EXPECT_EQ(first_invalid("\xed\xa0\x80"), 0u);        // surrogate
  EXPECT_EQ(first_invalid("\xf4\x90\x80\x80"), 0u);    // above U+10FFFF
  EXPECT_EQ(first_invalid("ok\x80"), 2u);              // lone continuation
}
