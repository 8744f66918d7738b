#include <iconv.h>

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "csv_reader.hpp"
#include "json_reader.hpp"
#include "sniff.hpp"
#include <jobmarket/read/byte_source.hpp>
#include <jobmarket/read/reader.hpp>
#include <jobmarket/read/split.hpp>

namespace jobmarket::read {

namespace {
constexpr std::array<std::string_view, 5> kFormatNames = {"auto", "csv", "tsv", "json", "ndjson"};

std::string lower_extension(const std::string& path) {
  auto slash = path.find_last_of('/');
  auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

// The delimiter that occurs most often outside quotes in the first record.
char sniff_delimiter(std::string_view head) {
  const std::array<char, 4> candidates = {',', '\t', ';', '|'};
  std::array<std::size_t, 4> counts{};
  bool quoted = false;
  for (char c : head) {
    if (c == '"') quoted = !quoted;
    else if (!quoted && c == '\n') break;
    else if (!quoted)
      for (std::size_t i = 0; i < candidates.size(); ++i)
        if (c == candidates[i]) ++counts[i];
  }
  auto best = std::max_element(counts.begin(), counts.end());
  return *best == 0 ? ',' : candidates[static_cast<std::size_t>(best - counts.begin())];
}

}  // namespace

std::string_view format_name(Format f) { return kFormatNames[static_cast<std::size_t>(f)]; }

std::optional<Format> format_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kFormatNames.size(); ++i)
    if (kFormatNames[i] == name) return static_cast<Format>(i);
  if (name == "jsonl") return Format::ndjson;
  return std::nullopt;
}

Expected<SniffedInput> sniff_input(const std::string& path, const ReadOptions& options) {
  SniffedInput in;
  auto stats = std::make_shared<InputStats>();
  try {
    in.file = std::make_unique<FileSource>(path, stats, options.digest);
  } catch (const std::system_error& e) {
    return unexpected(fmt::format("{}: cannot open: {}", path, e.code().message()));
  }
  FileInfo& info = in.info;
  info.file = path == "-" ? "<stdin>" : path;
  info.stats = stats;

  std::string_view head;
  try {
    head = in.file->peek(1 << 16);
  } catch (const std::system_error& e) {
    return unexpected(fmt::format("{}: cannot read: {}", info.file, e.code().message()));
  }
  std::string enc = options.encoding;
  std::transform(enc.begin(), enc.end(), enc.begin(), [](unsigned char c) { return std::tolower(c); });
  const bool utf8_bom = head.size() >= 3 && head.substr(0, 3) == "\xEF\xBB\xBF";
  const bool utf16le = head.size() >= 2 && head.substr(0, 2) == "\xFF\xFE";
  const bool utf16be = head.size() >= 2 && head.substr(0, 2) == "\xFE\xFF";
  if (!enc.empty() && enc != "utf-8" && enc != "utf8") {
    in.iconv_from = enc == "latin1" ? "ISO-8859-1" : enc;
    info.encoding = enc;
  } else if (utf16le || utf16be) {
    in.iconv_from = utf16le ? "UTF-16LE" : "UTF-16BE";
    info.encoding = utf16le ? "utf-16le (BOM)" : "utf-16be (BOM)";
    in.bom = 2;
  } else if (utf8_bom) {
    info.encoding = "utf-8 (BOM)";
    in.bom = 3;
  } else {
    info.encoding = "utf-8";
  }
  if (!in.iconv_from.empty()) {
    iconv_t cd = ::iconv_open("UTF-8", in.iconv_from.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1))
      return unexpected(fmt::format(
          "{}: unknown encoding '{}' (try gb18030, gbk, cp1252, latin1, utf-16)", info.file,
          options.encoding));
    ::iconv_close(cd);
  }
  // Format and delimiter are sniffed on the raw first bytes: the delimiters and brackets
  // we look for are ASCII in every supported encoding (UTF-16 interleaves NULs, harmless).
  const std::string_view decoded_head = head.substr(std::min(in.bom, head.size()));

  Format format = options.format;
  if (format == Format::automatic) {
    auto ext = lower_extension(path);
    if (ext == "csv") format = Format::csv;
    else if (ext == "tsv" || ext == "tab") format = Format::tsv;
    else if (ext == "jsonl" || ext == "ndjson") format = Format::ndjson;
    else {
      auto first = decoded_head.find_first_not_of(" \t\r\n");
      char c = first == std::string::npos ? '\0' : decoded_head[first];
      if (c == '[') format = Format::json;
      else if (c == '{') format = Format::ndjson;
      else if (ext == "json") format = Format::json;
      else format = Format::csv;
    }
  }
  info.format = format;
  if (format == Format::json || format == Format::ndjson) info.delimiter = '\0';
  else
    info.delimiter = options.delimiter ? *options.delimiter
                     : format == Format::tsv ? '\t'
                                             : sniff_delimiter(decoded_head);
  return in;
}

Expected<std::unique_ptr<RecordReader>> open_records(const std::string& path,
                                                     const ReadOptions& options) {
  auto sniffed = sniff_input(path, options);
  if (!sniffed) return unexpected(sniffed.error());
  auto& file = sniffed->file;
  FileInfo info = std::move(sniffed->info);
  std::size_t bom = sniffed->bom;
  if (options.range) {
    // Only the records that start in the range, with the header (or the JSON array's
    // brackets) the reader expects, and the file's own line and row numbers.
    auto layout = split_layout(path, options);
    if (!layout) return unexpected("--range: " + layout.error());
    auto range = align_range(*layout, *options.range);
    if (!range) return unexpected("--range: " + range.error());
    auto segments = range_segments(*layout, *range, /*standalone=*/false);
    if (segments.empty() || !segments.front().literal.empty() || segments.front().start != 0) bom = 0;
    file->select(std::move(segments));
    info.range = *range;
  }
  file->skip(bom);
  std::unique_ptr<io::ByteSourceBase> source = std::move(file);
  if (!sniffed->iconv_from.empty()) {
    try {
      source = std::make_unique<IconvSource>(std::move(source), sniffed->iconv_from);
    } catch (const std::invalid_argument&) {
      return unexpected(fmt::format(
          "{}: unknown encoding '{}' (try gb18030, gbk, cp1252, latin1, utf-16)", info.file,
          options.encoding));
    }
  }
  if (info.format == Format::json || info.format == Format::ndjson)
    return make_json_reader(std::move(source), std::move(info));
  return make_csv_reader(std::move(source), std::move(info), options);
}

}  // namespace jobmarket::read
