#pragma once
// What deduplication knows about one posting, computed on the worker thread that analyzed
// it (the text is in that core's cache): hashes of its normalized fields and, for a
// description long enough, a MinHash signature of its shingles. Signatures, never texts,
// are what the index keeps (docs/dedup.md). Pure: no I/O.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <jobmarket/model/posting.hpp>
#include <jobmarket/normalize/posting.hpp>

namespace jobmarket::dedup {

// One-permutation MinHash: every shingle is hashed once, into one of kBins bins by its top
// bits; each bin keeps its minimum, empty bins borrow a neighbour's (densification). Only
// the low kBitsPerBin bits of each minimum are kept (b-bit MinHash): 64 bins of 4 bits are
// 32 bytes and estimate a Jaccard similarity of 0.9 within about +-0.04 (one standard
// deviation).
inline constexpr std::size_t kBins = 64;
inline constexpr unsigned kBitsPerBin = 4;
inline constexpr std::size_t kSignatureBytes = kBins * kBitsPerBin / 8;
// LSH: kBands bands of kBinsPerBand bins (the first half of the bins; all of them count in
// the similarity); two postings are compared when one band is equal. At a true similarity
// of 0.95 a pair shares a band with probability 0.99, at 0.9 with 0.91, at 0.85 with 0.72;
// unrelated postings of one company and title (similarity 0.3) with 0.0008. Four bands
// keep the index at about 72 bytes a posting (docs/dedup.md).
inline constexpr std::size_t kBands = 4;
inline constexpr std::size_t kBinsPerBand = 8;
// A shingle is kShingleTokens consecutive tokens: a token is a word of letters and digits,
// or one CJK character (Chinese is not written with spaces), so English gets word
// shingles and Chinese character shingles, and mixed text both.
inline constexpr std::size_t kShingleTokens = 4;
// Descriptions with fewer shingles get no signature: they are compared exactly, with the
// location (a short skill list says too little to tell two postings apart).
inline constexpr std::size_t kMinShingles = 32;

using Signature = std::array<std::uint8_t, kSignatureBytes>;

struct Fingerprint {
  // Hash of normalized title, company, location and description: the exact rule's key.
  std::uint64_t exact = 0;
  // Hash of normalized company and title: near duplicates are looked for only within it.
  std::uint32_t block = 0;
  bool has_signature = false;  // the description had at least kMinShingles shingles
  Signature signature{};
  // Band keys (hash of block and the band's bins), derived from `signature`.
  std::array<std::uint32_t, kBands> bands{};
};

// A fingerprint as kFingerprintBytes bytes (exact, block, signature flag, signature; little
// endian), for partial reports and the history store; the band keys are recomputed.
inline constexpr std::size_t kFingerprintBytes = 8 + 4 + 1 + kSignatureBytes;
void append_fingerprint(std::string& out, const Fingerprint& fp);
// False when `bytes` is not kFingerprintBytes long or its flag byte is not 0 or 1.
bool read_fingerprint(std::string_view bytes, Fingerprint& out);

// Per-thread buffers, reused between postings.
struct FingerprintScratch {
  std::string folded;
  std::vector<std::uint64_t> tokens;
  std::vector<std::pair<std::size_t, std::size_t>> spans;
};

// Fills `out` from a posting and its normalized form (normalize_posting(posting)); without
// `signature`, only the hashes (what --dedup exact needs).
void fingerprint(const Posting& posting, const normalize::NormalizedPosting& norm,
                 FingerprintScratch& scratch, Fingerprint& out, bool signature = true);

// Hashes of the tokens of folded text, appended to `out`; each is token_hash() of the
// token (exposed for tests).
void tokenize(std::string_view folded, std::vector<std::uint64_t>& out);
std::uint64_t token_hash(std::string_view token);

// Number of bins (0..kBins) whose kept bits agree.
unsigned equal_bins(const Signature& a, const Signature& b);
// Estimated Jaccard similarity of the two shingle sets: the share of agreeing bins,
// corrected for the 1 in 2^kBitsPerBin chance that unrelated minima agree. Clamped to [0, 1].
double similarity(const Signature& a, const Signature& b);

// The band keys of a signature within a block (what Fingerprint::bands holds).
std::array<std::uint32_t, kBands> band_keys(std::uint32_t block, const Signature& s);

}  // namespace jobmarket::dedup
