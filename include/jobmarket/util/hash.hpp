#pragma once
// A fast 64-bit hash for counting (distinct postings), not for security.
#include <cstdint>
#include <string_view>

namespace jobmarket::util {

// 64-bit hash with good mixing (splitmix-finalized FNV-1a over 8-byte words). Stable across
// runs and machines: partial reports hash the same posting alike.
std::uint64_t hash64(std::string_view s, std::uint64_t seed = 0);

}  // namespace jobmarket::util
