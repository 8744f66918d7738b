#include "command.hpp"

namespace jobmarket::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"classify", "Label each posting research, engineering or other, with evidence, salary, barriers, date",
       "  jobmarket classify postings.csv\n"
       "  jobmarket classify postings.csv --format ndjson | jq 'select(.direction==\"research\")'\n"
       "  jobmarket classify --rules my-rules.json --format csv -o labeled.csv postings.csv",
       setup_classify},
      {"explain", "Show, for people, why each posting got its label (rules, fields, matched text)",
       "  jobmarket explain postings.csv | less\n"
       "  jobmarket explain --map text=JD export.csv",
       setup_explain},
      {"convert", "Read postings (CSV, TSV, JSON, NDJSON) and write the raw fields as read",
       "  jobmarket convert postings.csv | head\n"
       "  jobmarket convert --encoding gb18030 export.csv --format csv -o utf8.csv\n"
       "  cat a.ndjson | jobmarket convert - --format json",
       setup_convert},
      {"inspect", "Show how a file is read: format, encoding, columns, mapping, rows, rejects",
       "  jobmarket inspect postings.csv\n"
       "  jobmarket inspect --map title=岗位 --format json data.csv",
       setup_inspect},
      {"rules", "See and check the classification rules: list, show ID, validate FILE, export",
       "  jobmarket rules list\n"
       "  jobmarket rules show engineering.rag\n"
       "  jobmarket rules validate my-rules.json\n"
       "  jobmarket rules export --rules my-rules.json > effective.json",
       setup_rules},
      {"eval", "Measure the classifier against hand labels: accuracy, macro-F1, confusion, tags",
       "  jobmarket eval --labels ../shared/labeled/dev.jsonl\n"
       "  jobmarket eval --labels dev.jsonl --corpora ../shared/corpora --errors --format json",
       setup_eval},
  };
  return table;
}

}  // namespace jobmarket::cli
