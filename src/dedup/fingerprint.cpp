#include <jobmarket/dedup/fingerprint.hpp>

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <limits>

#include <jobmarket/normalize/text.hpp>
#include <jobmarket/util/hash.hpp>
#include <jobmarket/util/utf8.hpp>

namespace jobmarket::dedup {

namespace {

constexpr std::uint64_t kPrime = 0x100000001b3ULL;

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Scripts written without spaces: one character is one token.
bool is_cjk(char32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) ||    // kana
         (cp >= 0x3400 && cp <= 0x4DBF) ||    // CJK extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK unified ideographs
         (cp >= 0xAC00 && cp <= 0xD7AF) ||    // Hangul syllables
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // compatibility ideographs
         (cp >= 0x20000 && cp <= 0x3134F);    // extensions B..G
}

bool is_word_cp(char32_t cp) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

std::uint64_t hash_tokens(const std::uint64_t* t, std::size_t n, std::uint64_t seed) {
  std::uint64_t h = mix(seed + n);
  for (std::size_t i = 0; i < n; ++i) h = (h ^ t[i]) * kPrime;
  return mix(h);
}

constexpr std::uint64_t kOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kCjkSeed = 0x43a5a9e1d3c5b7f1ULL;

// Token hashes need only be distinct and spread: every use mixes them again (a shingle's
// four, the exact key's all), so one multiply each is enough.
constexpr std::uint64_t kSpread = 0x9e3779b97f4a7c15ULL;
std::uint64_t cjk_hash(char32_t cp) { return (std::uint64_t{cp} ^ kCjkSeed) * kSpread; }
std::uint64_t word_hash(std::uint64_t fnv) { return (fnv ^ fnv >> 29) * kSpread; }

// normalize::is_word_byte as a table: one load per byte in the tokenizer's inner loop.
constexpr std::array<bool, 256> kWordByte = [] {
  std::array<bool, 256> t{};
  for (unsigned c = 0; c < 256; ++c)
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return t;
}();

// Calls f(hash, begin, end) for each token of folded text: a run of letters and digits
// (hashed byte by byte as it is read: FNV-1a, then mixed), or one CJK character (its code
// point mixed). One pass, no copy: this runs over every description.
template <class F>
void scan_tokens(std::string_view s, F&& f) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0, begin = 0;
  bool in_word = false;
  std::uint64_t h = kOffset;
  auto end_word = [&](std::size_t at) {
    if (!in_word) return;
    f(word_hash(h), begin, at);
    in_word = false;
    h = kOffset;
  };
  while (i < n) {
    unsigned c = p[i];
    if (c < 0x80) {
      if (kWordByte[c]) {
        if (!in_word) in_word = true, begin = i;
        // The rest of the ASCII run of the word in one tight loop: most bytes of an
        // English description are here, and the tests above cost more than the hash.
        do {
          h = (h ^ c) * kPrime;
          ++i;
        } while (i < n && kWordByte[c = p[i]]);
        continue;
      }
      end_word(i);
      ++i;
      continue;
    }
    const std::size_t at = i;
    char32_t cp;
    if ((c & 0xF0) == 0xE0 && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
      cp = static_cast<char32_t>((c & 0x0F) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu));
      i += 3;  // most of Chinese text: no call to decode
    } else {
      cp = utf8::decode(s, i);
    }
    if (is_cjk(cp)) {
      end_word(at);
      f(cjk_hash(cp), at, i);
      // Ideographs come in runs: take the rest of the run here. Lead bytes E5-E9 are
      // U+5000-U+9FFF, all of them CJK, so no test of the code point is needed.
      while (i + 2 < n && p[i] >= 0xE5 && p[i] <= 0xE9 && (p[i + 1] & 0xC0) == 0x80 &&
             (p[i + 2] & 0xC0) == 0x80) {
        cp = static_cast<char32_t>((p[i] & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 |
                                   (p[i + 2] & 0x3Fu));
        f(cjk_hash(cp), i, i + 3);
        i += 3;
      }
    } else if (is_word_cp(cp)) {
      if (!in_word) in_word = true, begin = at;
      for (std::size_t k = at; k < i; ++k) h = (h ^ p[k]) * kPrime;
    } else {
      end_word(at);
    }
  }
  end_word(n);
}

// Legal forms that say nothing about which employer it is ("Acme Inc." = "Acme").
bool is_legal_form(std::uint64_t token) {
  static const std::array<std::uint64_t, 14> forms = [] {
    std::array<std::uint64_t, 14> f{};
    const char* names[] = {"inc", "llc", "ltd", "limited", "corp", "corporation", "co",
                           "gmbh", "plc", "ag", "sa", "bv", "pte", "lp"};
    for (std::size_t i = 0; i < f.size(); ++i) f[i] = token_hash(names[i]);
    return f;
  }();
  return std::find(forms.begin(), forms.end(), token) != forms.end();
}

std::string_view strip_cjk_legal_form(std::string_view s) {
  static constexpr std::string_view kSuffixes[] = {"股份有限公司", "有限责任公司", "有限公司",
                                                   "(集团)", "集团"};
  for (bool again = true; again;) {
    again = false;
    while (!s.empty() && (s.back() == ' ' || s.back() == '.')) s.remove_suffix(1);
    for (auto suffix : kSuffixes) {
      if (s.size() > suffix.size() && s.ends_with(suffix)) {
        s.remove_suffix(suffix.size());
        again = true;
      }
    }
  }
  return s;
}

bool is_number(std::string_view word) {
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Hash of the tokens of folded text.
std::uint64_t folded_hash(std::string_view folded, FingerprintScratch& s, std::uint64_t seed) {
  s.tokens.clear();
  scan_tokens(folded, [&](std::uint64_t t, std::size_t, std::size_t) { s.tokens.push_back(t); });
  return hash_tokens(s.tokens.data(), s.tokens.size(), seed);
}

// Hash of a raw short field's normalized tokens (location). A company loses its legal form
// and a trailing number (Glassdoor's rating, "Acme\n3.9").
std::uint64_t field_hash(std::string_view raw, FingerprintScratch& s, std::uint64_t seed, bool company) {
  s.folded.clear();
  normalize::fold_into(raw, s.folded);
  if (!company) return folded_hash(s.folded, s, seed);
  const std::string_view text = strip_cjk_legal_form(s.folded);
  s.tokens.clear();
  s.spans.clear();
  scan_tokens(text, [&](std::uint64_t t, std::size_t b, std::size_t e) {
    s.tokens.push_back(t);
    s.spans.emplace_back(b, e);
  });
  while (!s.tokens.empty()) {
    const auto [b, e] = s.spans.back();
    if (!is_number(text.substr(b, e - b)) && !is_legal_form(s.tokens.back())) break;
    s.tokens.pop_back();
    s.spans.pop_back();
  }
  return hash_tokens(s.tokens.data(), s.tokens.size(), seed);
}

}  // namespace

std::uint64_t token_hash(std::string_view token) {
  std::size_t i = 0;
  if (!token.empty() && static_cast<unsigned char>(token[0]) >= 0x80) {
    const char32_t cp = utf8::decode(token, i);
    if (i == token.size() && is_cjk(cp)) return cjk_hash(cp);
  }
  std::uint64_t h = kOffset;
  for (unsigned char c : token) h = (h ^ c) * kPrime;
  return word_hash(h);
}

void tokenize(std::string_view folded, std::vector<std::uint64_t>& out) {
  scan_tokens(folded, [&](std::uint64_t t, std::size_t, std::size_t) { out.push_back(t); });
}

void fingerprint(const Posting& posting, const normalize::NormalizedPosting& norm,
                 FingerprintScratch& scratch, Fingerprint& out, bool signature) {
  const std::uint64_t title = folded_hash(norm.title, scratch, 1);
  const std::uint64_t company = field_hash(posting.get(Field::company), scratch, 2, true);
  const std::uint64_t location = field_hash(posting.get(Field::location), scratch, 3, false);

  auto& tokens = scratch.tokens;
  tokens.clear();
  tokenize(norm.text, tokens);  // last: the shingles below read these
  const std::uint64_t text = hash_tokens(tokens.data(), tokens.size(), 4);
  const std::uint64_t fields[] = {title, company, location, text};
  out.exact = hash_tokens(fields, 4, 5);
  out.block = static_cast<std::uint32_t>(mix(company * kPrime ^ title));

  const std::size_t shingles = tokens.size() >= kShingleTokens ? tokens.size() - kShingleTokens + 1 : 0;
  out.has_signature = signature && shingles >= kMinShingles;
  out.signature.fill(0);
  out.bands.fill(0);
  if (!out.has_signature) return;

  // One pass: each shingle's hash picks its bin (top bits) and competes for its minimum.
  constexpr std::uint64_t kEmpty = std::numeric_limits<std::uint64_t>::max();
  std::array<std::uint64_t, kBins> bins;
  bins.fill(kEmpty);
  constexpr unsigned kBinShift = 64 - std::countr_zero(kBins);
  static_assert(kShingleTokens == 4);
  for (std::size_t i = 0; i < shingles; ++i) {
    // Token hashes are mixed already: rotations keep their order, one mix spreads them.
    const std::uint64_t h = mix(tokens[i] ^ std::rotl(tokens[i + 1], 17) ^ std::rotl(tokens[i + 2], 31) ^
                                std::rotl(tokens[i + 3], 47));
    auto& bin = bins[h >> kBinShift];
    const std::uint64_t value = h & ((std::uint64_t{1} << kBinShift) - 1);
    if (value < bin) bin = value;
  }
  // Optimal densification (Shrivastava 2017): an empty bin takes the value of the first
  // non-empty bin on its own pseudo-random probe sequence, so two similar texts fill their
  // empty bins alike.
  std::array<std::uint64_t, kBins> filled = bins;
  for (std::size_t b = 0; b < kBins; ++b) {
    if (bins[b] != kEmpty) continue;
    for (std::uint64_t attempt = 1;; ++attempt) {
      const auto from = mix(b * 0x9e3779b97f4a7c15ULL + attempt) % kBins;
      if (bins[from] != kEmpty) {
        filled[b] = bins[from];
        break;
      }
    }
  }
  for (std::size_t b = 0; b < kBins; ++b) {
    const auto low = static_cast<std::uint8_t>(filled[b] & 0xF);
    out.signature[b / 2] |= static_cast<std::uint8_t>(b % 2 ? low << 4 : low);
  }
  out.bands = band_keys(out.block, out.signature);
}

void append_fingerprint(std::string& out, const Fingerprint& fp) {
  auto put = [&](auto v) {
    for (std::size_t i = 0; i < sizeof(v); ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  put(fp.exact);
  put(fp.block);
  out += static_cast<char>(fp.has_signature ? 1 : 0);
  out.append(reinterpret_cast<const char*>(fp.signature.data()), kSignatureBytes);
}

bool read_fingerprint(std::string_view bytes, Fingerprint& out) {
  if (bytes.size() != kFingerprintBytes) return false;
  auto get = [&](std::size_t at, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= std::uint64_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
    return v;
  };
  const auto flag = static_cast<unsigned char>(bytes[12]);
  if (flag > 1) return false;
  out.exact = get(0, 8);
  out.block = static_cast<std::uint32_t>(get(8, 4));
  out.has_signature = flag == 1;
  std::memcpy(out.signature.data(), bytes.data() + 13, kSignatureBytes);
  out.bands = out.has_signature ? band_keys(out.block, out.signature) : std::array<std::uint32_t, kBands>{};
  return true;
}

unsigned equal_bins(const Signature& a, const Signature& b) {
  unsigned differ = 0;
  for (std::size_t i = 0; i < kSignatureBytes; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    std::uint64_t d = x ^ y;
    d |= d >> 1;
    d |= d >> 2;
    differ += static_cast<unsigned>(std::popcount(d & 0x1111111111111111ULL));
  }
  return static_cast<unsigned>(kBins) - differ;
}

double similarity(const Signature& a, const Signature& b) {
  constexpr double chance = 1.0 / (1u << kBitsPerBin);
  const double agree = static_cast<double>(equal_bins(a, b)) / static_cast<double>(kBins);
  return std::clamp((agree - chance) / (1.0 - chance), 0.0, 1.0);
}

std::array<std::uint32_t, kBands> band_keys(std::uint32_t block, const Signature& s) {
  static_assert(kBinsPerBand * kBitsPerBin == 32, "a band is one 32-bit word of the signature");
  std::array<std::uint32_t, kBands> keys{};
  for (std::size_t b = 0; b < kBands; ++b) {
    std::uint32_t word;
    std::memcpy(&word, s.data() + b * 4, 4);
    keys[b] = static_cast<std::uint32_t>(mix((std::uint64_t{block} << 32 | word) ^ (b + 1) * 0x9e3779b97f4a7c15ULL));
  }
  return keys;
}

}  // namespace jobmarket::dedup
