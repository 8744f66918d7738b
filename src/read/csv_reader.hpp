#pragma once
// CSV/TSV records through fast-cpp-csv-parser's LineReader, fed by QuoteMaskSource so
// quoted fields may span lines. Private to the read layer.
#include <memory>

#include <jobmarket/read/byte_source.hpp>
#include <jobmarket/read/reader.hpp>

namespace jobmarket::read {

std::unique_ptr<RecordReader> make_csv_reader(std::unique_ptr<io::ByteSourceBase> source,
                                              FileInfo info, const ReadOptions& options);

// Splits one logical line (masked newlines restored) into fields with RFC 4180 quoting.
// Returns false when a quoted field is not closed before the end of the line. Exposed for
// unit tests and the fuzzer.
bool split_csv_line(std::string_view line, char delimiter, std::vector<std::string>& fields);

// Makes header names unique and non-empty: "" -> "column_N", a repeated "x" -> "x_2".
std::vector<std::string> unique_header(std::vector<std::string> names);

}  // namespace jobmarket::read
