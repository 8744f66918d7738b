// The deduplication parsers on arbitrary bytes: a dedup index (partial reports), a
// fingerprint, a posting's facts (MessagePack and JSON) and base64. Each loads or fails with
// a message; what loads saves back stably; similarities stay in [0, 1]. The first byte
// picks the parser.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <jobmarket/aggregate/facts.hpp>
#include <jobmarket/dedup/fingerprint.hpp>
#include <jobmarket/dedup/index.hpp>
#include <jobmarket/util/base64.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace jobmarket;
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 5) {
    case 0: {
      dedup::Options o;
      o.memory_bytes = std::size_t{1} << 20;
      // Make the header's options match sometimes: mode byte and window after the magic.
      auto idx = dedup::Index::load(in, o);
      if (!idx) {
        if (idx.error().empty()) __builtin_trap();
        break;
      }
      const auto once = idx->save();
      auto again = dedup::Index::load(once, o);
      if (!again || again->save() != once) __builtin_trap();
      break;
    }
    case 1: {
      dedup::Fingerprint a, b;
      if (!dedup::read_fingerprint(in.substr(0, dedup::kFingerprintBytes), a)) break;
      const auto sim = dedup::similarity(a.signature, a.signature);
      if (sim != 1.0) __builtin_trap();
      if (in.size() >= 2 * dedup::kFingerprintBytes &&
          dedup::read_fingerprint(in.substr(dedup::kFingerprintBytes, dedup::kFingerprintBytes), b)) {
        const auto s = dedup::similarity(a.signature, b.signature);
        if (!(s >= 0.0 && s <= 1.0)) __builtin_trap();
      }
      break;
    }
    case 2:
    case 3: {
      const auto j = data[0] % 5 == 2 ? nlohmann::json::from_msgpack(in, true, false)
                                      : nlohmann::json::parse(in, nullptr, false);
      auto facts = aggregate::decode_facts(j);
      if (!facts) {
        if (facts.error().empty()) __builtin_trap();
        break;
      }
      // What decodes encodes back to the same facts.
      const auto back = aggregate::encode_facts(facts->analysis, facts->annual);
      auto twice = aggregate::decode_facts(back);
      if (!twice || aggregate::encode_facts(twice->analysis, twice->annual) != back) __builtin_trap();
      break;
    }
    default: {
      auto bytes = util::base64_decode(in);
      if (bytes && util::base64_encode(*bytes) != in) __builtin_trap();
      std::vector<std::uint64_t> tokens;
      dedup::tokenize(in, tokens);  // any bytes: never reads past the end
      break;
    }
  }
  return 0;
}
