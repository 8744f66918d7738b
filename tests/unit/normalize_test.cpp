#include <gtest/gtest.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include <jobmarket/normalize/clauses.hpp>
#include <jobmarket/normalize/text.hpp>
#include <jobmarket/rules/matcher.hpp>
#include <jobmarket/util/utf8.hpp>

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

TEST(Fold, MarksAcrossADroppedControlAreOrderedOnce) {
  // U+031A (class 232), a control character, U+FE27 (class 220): the control is dropped and
  // the marks meet, so they are put in canonical order now, as a second fold would (found
  // by fuzz_normalizer).
  const std::string in = "-\xf5\xcd\xcc\x9a\xf5\xc3\xcd\xcc\x9a\x06\xef\xb8\xa7\xbb\xef\xcc\x9a\x06\xef\xb8\xbb\xbf";
  EXPECT_EQ(fold(fold(in)), fold(in));
  EXPECT_EQ(fold("a\xcc\x9a\x06\xef\xb8\xa7"), fold("a\xcc\x9a\xef\xb8\xa7"));
}

TEST(Fold, ListNumbersStayListMarkers) {
  // NFKC alone would give "13年以上" and "1.3年": a list number glued to the item's digits.
  EXPECT_EQ(fold("①3年以上；②本科"), "(1)3年以上;(2)本科");
  EXPECT_EQ(fold("⑳5年"), "(20)5年");
  EXPECT_EQ(fold("⒈3年"), "(1)3年");
  EXPECT_EQ(fold("⑴3年"), "(1)3年");  // what NFKC gives the parenthesized form
  EXPECT_EQ(fold(fold("①3年")), fold("①3年"));
}

TEST(Fold, CjkPassesThrough) { EXPECT_EQ(fold("大模型算法研究员"), "大模型算法研究员"); }

namespace reference {
// The folding before the fast paths (SIMD ASCII, punctuation table), byte for byte but for
// one fix (DEL, below): every run that is not ASCII or a CJK ideograph goes through
// utf8proc. fold() must agree with it.
bool is_space_cp(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
         cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200D) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
         cp == 0xFEFF || cp == 0x2060;
}
void push_space(std::string& out) {
  if (!out.empty() && out.back() != ' ') out += ' ';
}
void fold_slow(std::string_view run, std::string& out) {
  namespace utf8 = jobmarket::utf8;
  utf8proc_uint8_t* mapped = nullptr;
  auto options = static_cast<utf8proc_option_t>(
      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(run.data()),
                                    static_cast<utf8proc_ssize_t>(run.size()), &mapped, options);
  if (n < 0) {
    // Valid stretches folded whole (issue 9: folding must be idempotent), bad sequences
    // replaced by U+FFFD.
    std::size_t valid = 0;
    auto flush = [&](std::size_t end) {
      if (end == valid) return;
      if (valid == 0 && end == run.size()) utf8::append(out, 0xFFFD);
      else fold_slow(run.substr(valid, end - valid), out);
    };
    for (std::size_t i = 0; i < run.size();) {
      std::size_t start = i;
      utf8::decode(run, i);
      if (utf8::is_valid(run.substr(start, i - start))) continue;
      flush(start);
      utf8::append(out, 0xFFFD);
      valid = i;
    }
    flush(run.size());
    return;
  }
  std::string_view m(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
  for (std::size_t i = 0; i < m.size();) {
    std::size_t start = i;
    char32_t cp = utf8::decode(m, i);
    if (is_space_cp(cp))
      push_space(out);
    else
      out.append(m.substr(start, i - start));
  }
  std::free(mapped);
}
std::string fold(std::string_view s) {
  std::string out;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      if (c <= ' ' || c == 0x7F) {
        if (c == ' ' || (c >= '\t' && c <= '\r')) push_space(out);
      } else {
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      }
      ++i;
      continue;
    }
    if (c >= 0xE4 && c <= 0xE9 && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
        (p[i + 2] & 0xC0) == 0x80) {
      out.append(s.substr(i, 3));
      i += 3;
      continue;
    }
    // The last ASCII character of the output joins the run, even across a dropped
    // control character (Fold.DelBeforeNonAscii, Fold.ControlBeforeCombiningMark).
    std::string run;
    if (!out.empty() && static_cast<unsigned char>(out.back()) < 0x80 && out.back() != ' ') {
      run += out.back();
      out.pop_back();
    }
    // The run goes on over dropped control characters (Fold.MarksAcrossADroppedControl...).
    auto dropped = [](unsigned char b) { return (b < ' ' && !(b >= '\t' && b <= '\r')) || b == 0x7F; };
    do {
      if (!dropped(p[i])) run += static_cast<char>(p[i]);
      ++i;
    } while (i < n && ((p[i] >= 0x80 && !(p[i] >= 0xE4 && p[i] <= 0xE9)) || dropped(p[i])));
    fold_slow(run, out);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}
}  // namespace reference

TEST(Fold, FastPathsAgreeWithUtf8proc) {
  // Pieces that meet at every boundary the fast paths have: 16-byte ASCII blocks with
  // and without double spaces, ideographs, table punctuation (，。、（ ＡＢ　), combining
  // marks right after them, other scripts, controls and invalid bytes.
  const std::vector<std::string> pieces = {"a",
                                           "B",
                                           " ",
                                           "  ",
                                           "\t",
                                           "\n",
                                           "\r\n",
                                           "x",
                                           "Hello World",
                                           "LARGE LANGUAGE MODELS ",
                                           "0123456789abcdef",
                                           "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                           "\x01",
                                           "\x7f",
                                           "大模型",
                                           "算法",
                                           "，",
                                           "。",
                                           "、",
                                           "（",
                                           "）",
                                           "：",
                                           "\u3000",
                                           "Ａ",
                                           "ｂ",
                                           "１",
                                           "～",
                                           "｡",
                                           "ｶ",
                                           "ﾞ",
                                           "\u3008",
                                           "\u3099",
                                           "\xcc\x81",
                                           "\xcc\xb8",
                                           "é",
                                           "ß",
                                           "İ",
                                           "Σ",
                                           "ﬁ",
                                           "㈱",
                                           "\u200b",
                                           "\ufeff",
                                           "\xe2\x80\xa2",
                                           "\xff",
                                           "\xe4\xb8",
                                           "\xe3\x80",
                                           "\xef\xbc",
                                           "<",
                                           "=",
                                           "ＲＡＧ",
                                           "\xef\xbf\xa0",
                                           "\xef\xbe\xa0",
                                           "\xef\xbf\xbd"};
  std::mt19937 rng(8);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> len(0, 40);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    for (int k = len(rng); k > 0; --k) s += pieces[pick(rng)];
    ASSERT_EQ(fold(s), reference::fold(s)) << "input: " << s;
  }
}

TEST(Fold, AppendsToExistingText) {
  std::string out = "prefix ";
  jobmarket::normalize::fold_into("  ABC  DEF\u3000，", out);
  EXPECT_EQ(out, "prefix abc def ,");
}

// A DEL (dropped) before a non-ASCII run used to pull the byte before it into the run:
// "x\x7fé" folded to "\x7fé".
// Folding line by line gives the text fold gives, and where each line after a break starts.
TEST(Fold, LineByLineIsTheSameText) {
  std::vector<std::uint32_t> starts;
  std::string out;
  jobmarket::normalize::fold_lines_into("任职要求\r\n\n  1. 硕士\nPreferred Qualifications\n", out, starts);
  EXPECT_EQ(out, fold("任职要求\r\n\n  1. 硕士\nPreferred Qualifications\n"));
  EXPECT_EQ(out, "任职要求 1. 硕士 preferred qualifications");
  EXPECT_EQ(starts, (std::vector<std::uint32_t>{13, 23}));
  // Random texts of line breaks, spaces, CJK, combining marks, full-width space and
  // punctuation, case and invalid bytes.
  const std::vector<std::string> pieces = {"\n", "\r\n", " ", "\t", "A", "b", "\xcc\x81", "e",
                                           "\xe3\x80\x80", "\xef\xbc\x8c", "模型", "\xff", "\xe6\xa8",
                                           "\xe2\x80\x8b", "1.", "Ａ"};
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    const int n = static_cast<int>(rng() % 24);
    for (int k = 0; k < n; ++k) s += pieces[rng() % pieces.size()];
    out.clear();
    starts.clear();
    jobmarket::normalize::fold_lines_into(s, out, starts);
    ASSERT_EQ(out, fold(s)) << s;
    // Reference: fold each line alone, join with one space.
    std::string joined;
    std::vector<std::uint32_t> want;
    std::string_view rest = s;
    for (;;) {
      const auto nl = rest.find('\n');
      const std::string line = fold(rest.substr(0, nl));
      if (!line.empty()) {
        if (!joined.empty()) {
          joined += ' ';
          want.push_back(static_cast<std::uint32_t>(joined.size()));
        }
        joined += line;
      }
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
    ASSERT_EQ(out, joined) << s;
    ASSERT_EQ(starts, want) << s;
  }
}

TEST(Fold, DelBeforeNonAscii) {
  EXPECT_EQ(fold("x\x7f\xc3\xa9"), "x\xc3\xa9");
  EXPECT_EQ(fold("af\x7f\u3008"), "af\u3008");
}

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

TEST(Matcher, ScanSplitSendsHighIdsToTheirOwnListRebased) {
  // Ids 0-1 are one table's, 2-3 the other's (as pipeline::Analyzer combines them).
  auto m = jobmarket::rules::Matcher::compile(
      {{"rag", false, 0}, {"agent", false, 1}, {"phd", false, 2}, {"优先", false, 3}});
  ASSERT_TRUE(m) << m.error();
  const std::string text = fold("PhD优先, RAG and agent work; rag");
  auto scratch = m->make_scratch();
  std::vector<jobmarket::rules::Match> all, low, high;
  m->scan(text, scratch, all);
  m->scan_split(text, scratch, 2, low, high);
  std::vector<jobmarket::rules::Match> want_low, want_high;
  for (const auto& x : all) {
    if (x.id < 2) want_low.push_back(x);
    else want_high.push_back({x.id - 2, x.begin, x.end});
  }
  auto same = [](const std::vector<jobmarket::rules::Match>& a,
                 const std::vector<jobmarket::rules::Match>& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](auto& x, auto& y) {
             return x.id == y.id && x.begin == y.begin && x.end == y.end;
           });
  };
  EXPECT_EQ(want_low.size(), 3u);
  EXPECT_EQ(want_high.size(), 2u);
  EXPECT_TRUE(same(low, want_low));
  EXPECT_TRUE(same(high, want_high));
}

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

// Regex hits report their end exactly and, as the matched text, the regex's width when it
// is fixed, else up to Matcher::kRegexWindow bytes before the end, starting on a character.
TEST(Matcher, RegexReportsEndAndContext) {
  auto m = jobmarket::rules::Matcher::compile({{"\\d+\\+? years", true, 3}, {"cet-[46]", true, 4}});
  ASSERT_TRUE(m);
  auto scratch = m->make_scratch();
  std::vector<jobmarket::rules::Match> out;
  std::string t = "英语cet-6, at least 5+ years of";
  m->scan(t, scratch, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(t.substr(out[0].begin, out[0].end - out[0].begin), "cet-6");
  EXPECT_EQ(t.substr(out[1].begin, out[1].end - out[1].begin), t.substr(0, t.size() - 3));
}

// vectorscan 5.4.9 aborts in hs_scan on such patterns when start-of-match is tracked
// (docs/robustness.md); the matcher does not track it, so they scan like any other.
TEST(Matcher, AdjacentRepeatsScanLongText) {
  auto m = jobmarket::rules::Matcher::compile({{"a+bc", true, 1}, {"x+x+y", true, 2}});
  ASSERT_TRUE(m) << m.error();
  std::string t(1000, 'a');
  t += "bc ";
  t += std::string(600, 'x') + "y";
  EXPECT_EQ(ids(*m, t), (std::vector<std::uint32_t>{1, 2}));
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

namespace reference {
// RFC 3629 section 4 read literally, one sequence at a time.
std::optional<std::size_t> first_invalid(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  auto in = [&](std::size_t k, unsigned lo, unsigned hi) {
    return k < s.size() && p[k] >= lo && p[k] <= hi;
  };
  for (std::size_t i = 0; i < s.size();) {
    unsigned c = p[i];
    std::size_t len = 0;
    if (c <= 0x7F) len = 1;
    else if (c >= 0xC2 && c <= 0xDF) len = in(i + 1, 0x80, 0xBF) ? 2 : 0;
    else if (c == 0xE0) len = in(i + 1, 0xA0, 0xBF) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
      len = in(i + 1, 0x80, 0xBF) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
    else if (c == 0xED) len = in(i + 1, 0x80, 0x9F) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
    else if (c == 0xF0)
      len = in(i + 1, 0x90, 0xBF) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
    else if (c >= 0xF1 && c <= 0xF3)
      len = in(i + 1, 0x80, 0xBF) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
    else if (c == 0xF4)
      len = in(i + 1, 0x80, 0x8F) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF) ? 4 : 0;
    if (len == 0) return i;
    i += len;
  }
  return std::nullopt;
}
}  // namespace reference

// Long inputs take the 16-bytes-at-a-time check; every kind of bad sequence, at every
// position of a block and across block boundaries, must give the reference's answer.
TEST(Utf8, BlockCheckAgreesWithReference) {
  const std::vector<std::string> pieces = {
      "a", "0123456789abcdef", " ", "\n", "é", "ß", "大", "模型", "，", "𝔘", "\xf4\x8f\xbf\xbf",
      "\xef\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80", "\xc2\x80", "\xe0\xa0\x80",
      "\xf0\x90\x80\x80",
      // invalid
      "\x80", "\xbf", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xe0\x9f\xbf",
      "\xed\xa0\x80", "\xed\xbf\xbf", "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",
      "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xf8", "\xfe", "\xff", "\xe4\xb8",
      "\xe4", "\xc3", "\xf0\x9f", "\xf0\x9f\x98", "\xe4\xb8\xe4\xb8\xad"};
  std::mt19937 rng(3);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> valid_run(0, 120);
  std::bernoulli_distribution add_bad(0.5);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    // Mostly valid text with at most one bad piece, so the bad one lands anywhere.
    for (int k = valid_run(rng); k > 0; --k) s += pieces[pick(rng) % 17];
    if (add_bad(rng)) s += pieces[pick(rng)];
    for (int k = valid_run(rng) / 4; k > 0; --k) s += pieces[pick(rng) % 17];
    ASSERT_EQ(jobmarket::utf8::first_invalid(s), reference::first_invalid(s))
        << "input of " << s.size() << " bytes";
  }
  // Sequences cut by the end of the input at every block position.
  for (std::size_t pad = 60; pad < 100; ++pad)
    for (std::string_view cut : {"\xe4", "\xe4\xb8", "\xf0\x9f\x98", "\xc3"}) {
      std::string s(pad, 'x');
      s += cut;
      EXPECT_EQ(jobmarket::utf8::first_invalid(s), std::optional<std::size_t>(pad));
    }
}

// Found by fuzz_normalizer: a dropped control character between a letter and a combining
// mark kept them apart, and folding the output again composed them.
TEST(Fold, ControlBeforeCombiningMark) {
  for (const char* in : {"u\x7F\xCC\x80", "u\x01\xCC\x80", "U\x7F\x7F\xCC\x80x"}) {
    std::string once = jobmarket::normalize::fold(in);
    EXPECT_EQ(jobmarket::normalize::fold(once), once) << in;
    EXPECT_EQ(once.substr(0, 2), "\xC3\xB9") << in;  // ù
  }
}

TEST(ClauseCursor, GivesClauseOfAnswersForAnyOrder) {
  // Offsets mostly growing (as matches in end order), with steps back (nested matches)
  // and long jumps (past the cursor's few forward steps), over clauses of random length.
  std::mt19937 rng(7);
  auto rnd = [&](std::uint32_t below) { return static_cast<std::uint32_t>(rng() % below); };
  for (int round = 0; round < 200; ++round) {
    std::vector<std::uint32_t> starts{0};
    const std::uint32_t clauses = rnd(60);
    for (std::uint32_t c = 0; c < clauses; ++c) starts.push_back(starts.back() + 1 + rnd(40));
    const std::uint32_t size = starts.back() + 50;
    jobmarket::normalize::ClauseCursor cursor(starts);
    std::uint32_t at = 0;
    for (int k = 0; k < 300; ++k) {
      const std::uint32_t r = rnd(10);
      if (r < 6) at += rnd(12);
      else if (r < 8) at -= std::min(at, rnd(30));
      else at = rnd(size);
      at = std::min(at, size);
      ASSERT_EQ(cursor(at), jobmarket::normalize::clause_of(starts, at))
          << "round " << round << " at " << at;
    }
  }
}
