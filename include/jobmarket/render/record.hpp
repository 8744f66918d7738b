#pragma once
// One analyzed posting as an output record: the record contract of docs/records.md
// (JSON Schema: docs/schema/record.schema.json). Names follow ../shared/labeled/GUIDE.md.
#include <string>
#include <string_view>
#include <vector>

#include <jobmarket/pipeline/analysis.hpp>

namespace jobmarket::render {

struct RecordOptions {
  std::string rules_version;   // travels into every record
  bool evidence = true;        // include the evidence list
  // Include "duplicate_of" (null, or the file, row and kind of match of the unique posting
  // this one repeats): set when the run deduplicates.
  bool duplicate_of = false;
};

// Appends one JSON object (no trailing newline). Key order is fixed; numbers are
// formatted deterministically, so the same input gives byte-identical output.
void append_record_json(std::string& out, const pipeline::Analysis& a, const RecordOptions& o);

// Flat columns for CSV and the terminal table.
const std::vector<std::string>& record_columns();
std::vector<std::string> record_row(const pipeline::Analysis& a, const RecordOptions& o);

// Integral values without decimals, others with up to 2 (trailing zeros trimmed).
std::string format_number(double v);

}  // namespace jobmarket::render
