#include <jobmarket/aggregate/split_inputs.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

namespace jobmarket::aggregate {

namespace {

using Json = nlohmann::ordered_json;

struct Part {
  std::uint64_t start = 0, end = 0;
};

bool is_part(const Json& input) { return input.is_object() && input.contains("range"); }

Part part_of(const Json& input) {
  const auto& r = input.at("range");
  return {r.at("start").get<std::uint64_t>(), r.at("end").get<std::uint64_t>()};
}

std::string bytes(const Part& p) { return fmt::format("bytes {}:{}", p.start, p.end); }

}  // namespace

Expected<bool> check_disjoint_parts(const Json& inputs, const Json& added) {
  try {
    for (const auto& b : added) {
      if (!is_part(b)) continue;
      const Part pb = part_of(b);
      if (pb.start == pb.end) continue;
      for (const auto& a : inputs) {
        if (!is_part(a) || a.at("file") != b.at("file")) continue;
        const Part pa = part_of(a);
        if (pa.start < pb.end && pb.start < pa.end)
          return unexpected(fmt::format(
              "{} {} overlaps {} merged already: the same part twice, or parts of different splits",
              b.at("file").get<std::string>(), bytes(pb), bytes(pa)));
      }
    }
  } catch (const Json::exception& e) {
    return unexpected(std::string("malformed inputs: ") + e.what());
  }
  return true;
}

Expected<Json> join_split_parts(const Json& inputs, const Json& plan) {
  try {
    if (!plan.is_object() || plan.value("kind", "") != "jobmarket.split")
      return unexpected(
          "not a split plan (\"kind\": \"jobmarket.split\" missing; write one with "
          "`jobmarket split FILE --parts N --format json`)");
    const auto file = plan.at("file").get<std::string>();
    const auto& parts = plan.at("parts");
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < inputs.size(); ++i)
      if (is_part(inputs[i]) && inputs[i].at("file") == file) found.push_back(i);
    if (found.empty()) return unexpected(fmt::format("no part of {} among the merged parts", file));
    for (std::size_t k = 1; k < found.size(); ++k)
      if (found[k] != found[k - 1] + 1)
        return unexpected(
            fmt::format("the parts of {} are not consecutive among the merged parts: "
                        "give them in the plan's order",
                        file));
    for (std::size_t k = 0; k < parts.size() || k < found.size(); ++k) {
      if (k >= found.size()) {
        const Part want{parts[k].at("start").get<std::uint64_t>(),
                        parts[k].at("end").get<std::uint64_t>()};
        return unexpected(fmt::format("{}: part {} of {} ({}) is missing from the merged parts",
                                      file, k + 1, parts.size(), bytes(want)));
      }
      const auto& input = inputs[found[k]];
      const Part got = part_of(input);
      if (k >= parts.size())
        return unexpected(
            fmt::format("{}: {} is not in the plan ({} parts)", file, bytes(got), parts.size()));
      const Part want{parts[k].at("start").get<std::uint64_t>(),
                      parts[k].at("end").get<std::uint64_t>()};
      if (got.start != want.start || got.end != want.end)
        return unexpected(fmt::format("{}: {} is not part {} of the plan ({}){}", file, bytes(got),
                                      k + 1, bytes(want),
                                      got.start > want.start ? ": that part is missing" : ""));
      const auto sha = input.value("sha256", "");
      if (sha.empty() || sha != parts[k].value("sha256", ""))
        return unexpected(
            fmt::format("{}: {}: its SHA-256 is not the plan's: the file changed after "
                        "`jobmarket split`, or the part was read without a digest",
                        file, bytes(got)));
      if (input.value("bytes", std::uint64_t{0}) != got.end - got.start)
        return unexpected(fmt::format("{}: {}: {} bytes read, not {}", file, bytes(got),
                                      input.value("bytes", std::uint64_t{0}), got.end - got.start));
      if (input.at("format") != plan.at("format") || input.at("encoding") != plan.at("encoding"))
        return unexpected(fmt::format(
            "{}: {}: read as {} {}, the plan says {} {}", file, bytes(got),
            input.at("format").get<std::string>(), input.at("encoding").get<std::string>(),
            plan.at("format").get<std::string>(), plan.at("encoding").get<std::string>()));
    }
    Json out = Json::array();
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (i == found.front())
        out.push_back({{"file", file},
                       {"bytes", plan.at("bytes")},
                       {"sha256", plan.at("sha256")},
                       {"format", plan.at("format")},
                       {"encoding", plan.at("encoding")}});
      else if (i < found.front() || i > found.back())
        out.push_back(inputs[i]);
    }
    return out;
  } catch (const Json::exception& e) {
    return unexpected(std::string("malformed split plan or inputs: ") + e.what());
  }
}

}  // namespace jobmarket::aggregate
