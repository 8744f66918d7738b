#pragma once
// The inputs of reports made from parts of one file (`report --range`, the parts of
// `jobmarket split`): merge keeps parts of a file from overlapping, and with the split
// plan joins them back into the file's own entry, as one run over the whole file lists it.
// Pure: JSON in, JSON out.
#include <nlohmann/json.hpp>

#include <jobmarket/util/expected.hpp>

namespace jobmarket::aggregate {

// An error when an input of `added` covers bytes of a file that a part in `inputs` covers
// already (the same part merged twice, or parts cut from different plans).
Expected<bool> check_disjoint_parts(const nlohmann::ordered_json& inputs,
                                    const nlohmann::ordered_json& added);

// `inputs` with the parts of the plan's file (the JSON of `jobmarket split --parts`)
// replaced by the file's entry (file, bytes, sha256, format, encoding). The parts must be
// the plan's, all of them, in order, each with the plan's SHA-256: otherwise an error says
// which is missing, extra or changed.
Expected<nlohmann::ordered_json> join_split_parts(const nlohmann::ordered_json& inputs,
                                                  const nlohmann::ordered_json& plan);

}  // namespace jobmarket::aggregate
