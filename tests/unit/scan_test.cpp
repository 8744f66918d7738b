// The byte scanners of the hot path (util/scan.hpp) against a plain loop, for every
// length and position around the 8- and 16-byte blocks, and the JSON escaping built on them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <jobmarket/render/escape.hpp>
#include <jobmarket/util/scan.hpp>

using namespace jobmarket;

namespace {

std::size_t naive_json_special(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto x = static_cast<unsigned char>(s[i]);
    if (x < 0x20 || x == '"' || x == '\\') return i;
  }
  return s.size();
}

}  // namespace

TEST(Scan, FindJsonSpecialMatchesAPlainLoop) {
  // Near misses first (0x20 '!' '#' '[' ']' DEL, high bytes), then the special bytes.
  const std::string plain = " !#[]\x7f\x80\xe5\xff";
  const std::string special = std::string("\0\x1f\n\"\\", 5);
  for (std::size_t n = 0; n <= 48; ++n) {
    for (char fill : plain) {
      std::string s(n, fill);
      ASSERT_EQ(scan::find_json_special(s.data(), s.size()), n) << "n=" << n;
      for (std::size_t at = 0; at < n; ++at) {
        for (char sp : special) {
          std::string t = s;
          t[at] = sp;
          // A second special byte later must not change the answer.
          if (at + 3 < n) t[at + 3] = '"';
          ASSERT_EQ(scan::find_json_special(t.data(), t.size()), naive_json_special(t))
              << "n=" << n << " at=" << at << " byte=" << static_cast<int>(static_cast<unsigned char>(sp));
        }
      }
    }
  }
}

TEST(Scan, FindCountingStopsAtTheFirstStopAndCountsBeforeIt) {
  // Every length around the 16-byte blocks, the stop anywhere (or nowhere), newlines on
  // both sides of it: the count is of the newlines before the stop only.
  for (std::size_t n = 0; n <= 40; ++n) {
    for (std::size_t at = 0; at <= n; ++at) {
      std::string s(n, 'x');
      for (std::size_t i = 0; i < n; i += 3) s[i] = '\n';
      if (at < n) s[at] = '"';
      std::uint64_t count = 5, expected = 5;
      for (std::size_t i = 0; i < at && i < n; ++i) expected += s[i] == '\n';
      std::vector<char> exact(s.begin(), s.end());  // no slack after the bytes, for ASan
      ASSERT_EQ(scan::find_counting(exact.data(), exact.size(), '"', '\n', count), at) << n << " " << at;
      ASSERT_EQ(count, expected) << n << " " << at;
    }
  }
}

// The short-string copy reads exactly p[0, n) (a buffer of that size, so ASan sees any read
// past it) and must say "plain" exactly when find_json_special finds nothing.
TEST(Scan, CopyPlainShortAgreesWithTheScan) {
  const std::string plain = " !#[]\x7f\x80\xe5\xff" "aZ";
  const std::string special = std::string("\0\x1f\n\"\\", 5);
  for (std::size_t n = 0; n <= 16; ++n) {
    for (std::size_t first = 0; first < plain.size(); ++first) {
      for (std::size_t at = 0; at <= n; ++at) {
        for (char sp : special) {
          // Plain bytes that differ along the string, so a misplaced byte shows in the copy.
          std::vector<char> in(n);
          for (std::size_t i = 0; i < n; ++i) in[i] = plain[(first + i) % plain.size()];
          if (at < n) in[at] = sp;  // at == n: no special byte
          std::vector<char> out(n + 1, '\x55');
          const bool plain_copy = scan::copy_plain_short(in.data(), n, out.data());
          const std::string s(in.begin(), in.end());
          ASSERT_EQ(plain_copy, scan::find_json_special(s.data(), n) == n)
              << "n=" << n << " at=" << at << " first=" << first;
          if (plain_copy) {
            ASSERT_EQ(std::string(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n)), s) << "n=" << n;
            ASSERT_EQ(out[n], '\x55') << "wrote past n=" << n;
          }
        }
      }
    }
  }
}

TEST(Scan, AppendJsonStringEscapesEveryLength) {
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string s;
    std::string expected = "\"";
    for (std::size_t i = 0; i < n; ++i) {
      char c = i % 7 == 3 ? '"' : i % 11 == 5 ? '\n' : i % 13 == 7 ? '\x01' : static_cast<char>('a' + i % 26);
      s += c;
      if (c == '"') expected += "\\\"";
      else if (c == '\n') expected += "\\n";
      else if (c == '\x01') expected += "\\u0001";
      else expected += c;
    }
    expected += '"';
    std::string out = "x";
    render::append_json_string(out, s);
    EXPECT_EQ(out, "x" + expected) << "n=" << n;
  }
  std::string cjk;
  render::append_json_string(cjk, "大模型\\算法");
  EXPECT_EQ(cjk, "\"大模型\\\\算法\"");
}

TEST(Scan, FindClauseCandidateMatchesAPlainLoop) {
  auto candidate = [](unsigned char x) {
    return (x >= 0x2A && x <= 0x3B) || x == 0xE2 || x == 0xE3 || x == '!' || x == '(' || x == '?' ||
           x == '|';
  };
  for (std::size_t n = 0; n <= 40; ++n) {
    for (int byte = 0; byte < 256; ++byte) {
      std::string s(n, 'a');
      if (n > 0) s[n / 2 + (byte % 2 == 0 ? 0 : (n - 1) / 2)] = static_cast<char>(byte);
      std::size_t expected = n;
      for (std::size_t i = 0; i < n; ++i)
        if (candidate(static_cast<unsigned char>(s[i]))) {
          expected = i;
          break;
        }
      ASSERT_EQ(scan::find_clause_candidate(s.data(), s.size()), expected) << "n=" << n << " byte=" << byte;
    }
  }
}

TEST(Scan, ForEachClauseCandidateVisitsEveryCandidateInOrder) {
  // Candidates at both ends of 16-byte blocks, several in one block, in the scalar tail.
  for (std::size_t n = 0; n <= 50; ++n) {
    for (int byte = 0; byte < 256; ++byte) {
      std::string s(n, 'a');
      for (std::size_t i = 0; i < n; ++i)
        if (i % 7 == 0 || i % 16 == 15) s[i] = static_cast<char>((byte + i) % 256);
      std::vector<std::size_t> expected;
      for (std::size_t i = 0; i < n; ++i)
        if (scan::is_clause_candidate(static_cast<unsigned char>(s[i]))) expected.push_back(i);
      std::vector<std::size_t> got;
      scan::for_each_clause_candidate(s.data(), s.size(), [&](std::size_t i) { got.push_back(i); });
      ASSERT_EQ(got, expected) << "n=" << n << " byte=" << byte;
    }
  }
}
