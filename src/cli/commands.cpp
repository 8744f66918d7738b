#include "command.hpp"

namespace jobmarket::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"convert", "Read postings (CSV, TSV, JSON, NDJSON) and write the raw fields as read",
       "  jobmarket convert postings.csv | head\n"
       "  jobmarket convert --encoding gb18030 export.csv --format csv -o utf8.csv\n"
       "  cat a.ndjson | jobmarket convert - --format json",
       setup_convert},
      {"inspect", "Show how a file is read: format, encoding, columns, mapping, rows, rejects",
       "  jobmarket inspect postings.csv\n"
       "  jobmarket inspect --map title=岗位 --format json data.csv",
       setup_inspect},
  };
  return table;
}

}  // namespace jobmarket::cli
