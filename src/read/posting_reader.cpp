#include <fmt/format.h>

#include <jobmarket/read/reader.hpp>

namespace jobmarket::read {

PostingReader::~PostingReader() = default;

Expected<std::unique_ptr<PostingReader>> PostingReader::open(const std::vector<std::string>& paths,
                                                             const ReadOptions& options) {
  std::unique_ptr<PostingReader> r(new PostingReader());
  if (options.range && paths.size() != 1)
    return unexpected(fmt::format("--range: applies to one input file, not {}", paths.size()));
  for (const auto& path : paths) {
    auto reader = open_records(path, options);
    if (!reader) return unexpected(reader.error());
    auto info = (*reader)->info();
    auto map = map_columns(info.header, options.map);
    if (!map) return unexpected(fmt::format("{}: {}", info.file, map.error()));
    info.mapping = *map;
    r->m_infos.push_back(std::move(info));
    r->m_maps.push_back(std::move(*map));
    r->m_readers.push_back(std::move(*reader));
  }
  r->m_options = options;
  return r;
}

const std::vector<FileInfo>& PostingReader::files() const { return m_infos; }

Next PostingReader::next(Posting& out, Reject& reject) {
  while (m_current < m_readers.size()) {
    auto& reader = *m_readers[m_current];
    Next n = reader.next(m_raw, reject);
    if (n == Next::end) {
      ++m_current;
      continue;
    }
    if (n == Next::rejected) {
      if (reject.row > 0) ++m_rows;
      ++m_rejected;
      return n;
    }
    ++m_rows;
    // JSON files learn new keys as they go; map again when the header grew.
    const auto& header = reader.info().header;
    if (header.size() != m_infos[m_current].header.size()) {
      auto map = map_columns(header, m_options.map);
      if (map) {
        m_maps[m_current] = *map;
        m_infos[m_current].header = header;
        m_infos[m_current].mapping = *map;
      }
    }
    out.source = m_raw.source;
    apply_map(m_maps[m_current], m_raw.fields, out);
    return n;
  }
  return Next::end;
}

}  // namespace jobmarket::read
