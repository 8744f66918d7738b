#pragma once
// Base64 (RFC 4648, with padding) for binary data inside JSON (partial reports).
#include <optional>
#include <string>
#include <string_view>

namespace jobmarket::util {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not canonical padded base64 (the encoding of some bytes).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace jobmarket::util
