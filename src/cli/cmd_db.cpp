// jobmarket db stats|migrate --db STORE: what a history store holds (files, sightings,
// postings, duplicates, dates, size), and bringing an older store's schema up to date.
#include <fmt/format.h>

#include "command.hpp"
#include "io.hpp"
#include <jobmarket/cli/app.hpp>
#include <jobmarket/render/table.hpp>
#include <jobmarket/store/store.hpp>

namespace jobmarket::cli {

namespace {

struct DbArgs {
  std::string db;
  std::string format = "auto";
  std::string output = "-";
};

using Json = nlohmann::ordered_json;

std::string cell(const Json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string stats_text(const Json& j) {
  render::Table t;
  t.title = "Store " + j["store"].get<std::string>();
  t.columns = {"what", "value"};
  t.align = {render::Align::left, render::Align::right};
  auto row = [&](std::string what, const Json& v) { t.rows.push_back({std::move(what), cell(v)}); };
  row("schema version", j["schema_version"]);
  row("files ingested", j["files"]["ingested"]);
  row("rows read", j["files"]["rows"]);
  row("rows rejected", j["files"]["rejected_rows"]);
  row("sightings", j["sightings"]["total"]);
  row("  unique", j["sightings"]["unique"]);
  row("  exact duplicates", j["sightings"]["exact"]);
  row("  near duplicates", j["sightings"]["near"]);
  row("postings stored", j["postings"]["stored"]);
  row("  unique", j["postings"]["unique"]);
  for (const auto& [dir, v] : j["directions"].items()) row("  unique " + dir, v["unique"]);
  row("posted from", j["sightings"]["posted_from"]);
  row("posted to", j["sightings"]["posted_to"]);
  row("seen from", j["sightings"]["seen_from"]);
  row("seen to", j["sightings"]["seen_to"]);
  std::string rules;
  for (const auto& [version, n] : j["rules_versions"].items()) rules += fmt::format("{}{} ({})", rules.empty() ? "" : ", ", version, cell(n));
  t.rows.push_back({"rules", rules.empty() ? "-" : rules});
  t.rows.push_back({"dedup", fmt::format("{} ({} days)", cell(j["dedup"]["mode"]), cell(j["dedup"]["window_days"]))});
  row("bytes", j["bytes"]);
  return render::to_text(t);
}

int run_stats(const DbArgs& a, const Globals&) {
  auto st = store::Store::open(a.db, {});
  if (!st) throw UsageError{st.error()};
  auto j = st->stats();
  if (!j) throw UsageError{j.error()};
  Output out(a.output);
  std::string format = a.format;
  if (format == "auto") format = out.is_tty() ? "table" : "json";
  out.write(format == "json" ? j->dump(2) + "\n" : stats_text(*j));
  out.commit();
  return kExitOk;
}

int run_migrate(const DbArgs& a, const Globals& g) {
  auto st = store::Store::open(a.db, {.write = true});
  if (!st) throw UsageError{st.error()};
  if (!g.quiet) fmt::print(stderr, "jobmarket: {}: schema version {}\n", a.db, st->schema_version());
  return kExitOk;
}

}  // namespace

Run setup_db(CLI::App& app) {
  auto a = std::make_shared<DbArgs>();
  app.require_subcommand(1, 1);
  auto* stats = app.add_subcommand("stats", "Files, sightings, postings, duplicates, dates and size of a store");
  stats->add_option("--db", a->db, "The history store")->type_name("STORE")->required();
  stats->add_option("-f,--format", a->format, "Output: table (default on a terminal) or json (default in a pipe)")
      ->check(CLI::IsMember({"auto", "table", "json"}));
  stats->add_option("-o,--output", a->output, "Write to FILE atomically instead of stdout");
  auto* migrate = app.add_subcommand("migrate", "Bring a store made by an older jobmarket to this schema version");
  migrate->add_option("--db", a->db, "The history store")->type_name("STORE")->required();
  return [a, stats](const Globals& g) { return stats->parsed() ? run_stats(*a, g) : run_migrate(*a, g); };
}

}  // namespace jobmarket::cli
