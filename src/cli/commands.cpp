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
      {"barriers", "Entry barriers per direction (education, school, major, papers, experience) and the article's claims",
       "  jobmarket barriers postings.csv\n"
       "  jobmarket barriers postings.csv --format json | jq .claims",
       setup_barriers},
      {"match", "Share of postings per direction whose stated requirements a profile meets, and what it misses",
       "  jobmarket match --degree master --school-tier 985 --major cs --papers 1 --years 2 --english postings.csv\n"
       "  jobmarket match --degree bachelor --years 0 --format json postings.csv",
       setup_match},
      {"salary", "Parse salary strings, annualize, convert currency, and summarize per direction",
       "  jobmarket salary postings.csv\n"
       "  jobmarket salary --currency USD --show-unparsed postings.csv\n"
       "  jobmarket salary postings.csv --format json | jq .directions.research",
       setup_salary},
      {"trends", "Postings per time bucket, per direction and tag, with growth and the frontier topics",
       "  jobmarket trends --as-of 2025-12-31 postings.csv\n"
       "  jobmarket trends --bucket quarter --since 2024-01-01 postings.csv\n"
       "  jobmarket trends postings.csv --format json | jq .directions",
       setup_trends},
      {"report", "One report: accounting, directions, salary, barriers, trends, the article checked",
       "  jobmarket report postings.csv\n"
       "  jobmarket report postings.csv --format json | jq .article_check\n"
       "  jobmarket report scrape.ndjson --as-of 2025-12-31 -o report.json -o report.html -o report.md",
       setup_report},
      {"merge", "One report from partial reports of disjoint inputs (report --partial), made anywhere",
       "  jobmarket report --partial -o part-1.json jan.csv   # on one machine\n"
       "  jobmarket report --partial -o part-2.json feb.csv   # on another\n"
       "  jobmarket merge part-1.json part-2.json -o report.json -o report.html",
       setup_merge},
      {"ingest", "Add input files to a history store (SQLite): postings, labels, sightings, duplicates across days",
       "  jobmarket ingest scrape-2025-12-01.ndjson --db market.sqlite --seen 2025-12-01\n"
       "  jobmarket report --db market.sqlite --since 2025-10-01 -o report.json\n"
       "  jobmarket db stats --db market.sqlite",
       setup_ingest},
      {"relabel", "Label every posting of a history store again with this version's rules",
       "  jobmarket relabel --db market.sqlite\n"
       "  jobmarket relabel --db market.sqlite --rules my-rules.json",
       setup_relabel},
      {"db", "What a history store holds (db stats), or bring it to this schema version (db migrate)",
       "  jobmarket db stats --db market.sqlite\n"
       "  jobmarket db stats --db market.sqlite --format json | jq .sightings\n"
       "  jobmarket db migrate --db market.sqlite",
       setup_db},
      {"split", "Cut one input into parts at record boundaries (byte ranges, as Hadoop splits) for several processes",
       "  jobmarket split big.csv --parts 8                  # the plan: ranges, rows, SHA-256\n"
       "  jobmarket split big.csv --parts 8 --format json -o plan.json\n"
       "  jobmarket report --partial big.csv --range 0:134217800@2:1 -o part-1.json   # a part's exact_range\n"
       "  jobmarket split big.csv --range 0:134217800 -o part-1.csv   # a part as a file of its own\n"
       "  jobmarket merge --plan plan.json part-1.json part-2.json ... part-8.json -o report.json",
       setup_split},
      {"diff", "What changed between two reports; --fail-if thresholds for alerts from cron",
       "  jobmarket diff yesterday.json today.json\n"
       "  jobmarket diff old.json new.json --only overview.directions --format json\n"
       "  jobmarket diff old.json new.json --fail-if 'engineering.share < 0.5' -q || mail ...",
       setup_diff},
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
      {"completion", "Print a shell completion script (bash)",
       "  jobmarket completion bash > ~/.local/share/bash-completion/completions/jobmarket\n"
       "  source <(jobmarket completion bash)",
       setup_completion},
  };
  return table;
}

}  // namespace jobmarket::cli
