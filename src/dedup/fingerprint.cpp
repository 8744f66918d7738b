#include <jobmarket/dedup/fingerprint.hpp>

#include <utf8proc.h>

#include <algorithm>
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
  return util::hash64(std::string_view(reinterpret_cast<const char*>(t), n * sizeof(*t)), seed);
}

// Legal forms that say nothing about which employer it is ("Acme Inc." = "Acme"), and a
// trailing rating (Glassdoor exports "Acme\n3.9" as the company).
bool is_legal_form(std::uint64_t token) {
  static const std::array<std::uint64_t, 14> forms = [] {
    std::array<std::uint64_t, 14> f{};
    const char* names[] = {"inc", "llc", "ltd", "limited", "corp", "corporation", "co",
                           "gmbh", "plc", "ag", "sa", "bv", "pte", "lp"};
    for (std::size_t i = 0; i < f.size(); ++i) f[i] = util::hash64(names[i]);
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

// Calls f(token) for each token of folded text: a run of letters and digits, or one CJK
// character.
template <class F>
void for_each_token(std::string_view folded, F&& f) {
  std::size_t i = 0, word = std::string_view::npos;
  auto end_word = [&](std::size_t at) {
    if (word != std::string_view::npos) f(folded.substr(word, at - word));
    word = std::string_view::npos;
  };
  while (i < folded.size()) {
    const auto c = static_cast<unsigned char>(folded[i]);
    if (c < 0x80) {
      if (normalize::is_word_byte(c)) {
        if (word == std::string_view::npos) word = i;
      } else {
        end_word(i);
      }
      ++i;
      continue;
    }
    const std::size_t at = i;
    const char32_t cp = utf8::decode(folded, i);
    if (is_cjk(cp)) {
      end_word(at);
      f(folded.substr(at, i - at));
    } else if (is_word_cp(cp)) {
      if (word == std::string_view::npos) word = at;
    } else {
      end_word(at);
    }
  }
  end_word(folded.size());
}

// Hash of the normalized tokens of a short field (title, company, location). A company
// loses its legal form and a trailing number (Glassdoor's rating).
std::uint64_t field_hash(std::string_view raw, FingerprintScratch& s, std::uint64_t seed, bool company) {
  s.folded.clear();
  normalize::fold_into(raw, s.folded);
  std::string_view text = s.folded;
  if (company) text = strip_cjk_legal_form(text);
  s.words.clear();
  for_each_token(text, [&](std::string_view t) { s.words.push_back(t); });
  if (company)
    while (!s.words.empty() && (is_number(s.words.back()) || is_legal_form(util::hash64(s.words.back()))))
      s.words.pop_back();
  s.tokens.clear();
  for (auto w : s.words) s.tokens.push_back(util::hash64(w));
  return hash_tokens(s.tokens.data(), s.tokens.size(), seed);
}

}  // namespace

void tokenize(std::string_view folded, std::vector<std::uint64_t>& out) {
  for_each_token(folded, [&](std::string_view t) { out.push_back(util::hash64(t)); });
}

void fingerprint(const Posting& posting, const normalize::NormalizedPosting& norm,
                 FingerprintScratch& scratch, Fingerprint& out, bool signature) {
  const std::uint64_t title = field_hash(posting.get(Field::title), scratch, 1, false);
  const std::uint64_t company = field_hash(posting.get(Field::company), scratch, 2, true);
  const std::uint64_t location = field_hash(posting.get(Field::location), scratch, 3, false);

  auto& tokens = scratch.tokens;
  tokens.clear();
  tokenize(norm.text, tokens);
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
  for (std::size_t i = 0; i < shingles; ++i) {
    std::uint64_t h = tokens[i];
    for (std::size_t k = 1; k < kShingleTokens; ++k) h = h * kPrime ^ tokens[i + k];
    h = mix(h);
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
