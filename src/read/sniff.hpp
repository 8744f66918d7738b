#pragma once
// Opening an input and deciding how to read it (encoding, format, delimiter) from its
// first bytes: shared by the readers (open.cpp) and the splitter (split.cpp), so a range
// of a file is read exactly as the whole file would be. Private to the read layer.
#include <memory>
#include <string>

#include <jobmarket/read/byte_source.hpp>
#include <jobmarket/read/reader.hpp>
#include <jobmarket/util/expected.hpp>

namespace jobmarket::read {

struct SniffedInput {
  std::unique_ptr<FileSource> file;  // positioned at the start (nothing consumed)
  FileInfo info;                     // file, format, encoding, delimiter, stats
  std::size_t bom = 0;               // bytes of a byte-order mark to skip before reading
  std::string iconv_from;            // the encoding to convert from; "" for UTF-8
};

// Errors (missing file, unreadable, unknown encoding) name the file.
Expected<SniffedInput> sniff_input(const std::string& path, const ReadOptions& options);

}  // namespace jobmarket::read
