// jobmarket relabel --db STORE: labels every stored posting again with this jobmarket's
// rules (after an upgrade or a --rules change), in one transaction. Deduplication is not
// touched: it depends on the text, not on the labels.
#include <fmt/format.h>

#include "analysis.hpp"
#include "command.hpp"
#include "io.hpp"
#include <jobmarket/cli/app.hpp>
#include <jobmarket/store/store.hpp>

namespace jobmarket::cli {

namespace {

struct RelabelArgs {
  std::string db;
  std::string rules_file;
  std::string rules_mode = "extend";
  int busy_timeout = 600;
};

int run_relabel(const RelabelArgs& a, const Globals& g) {
  if (a.busy_timeout < 0 || a.busy_timeout > 86400)
    throw UsageError{fmt::format("--busy-timeout {}: expected seconds from 0 to 86400", a.busy_timeout)};
  AnalysisArgs args;
  args.rules_file = a.rules_file;
  args.rules_mode = a.rules_mode;
  auto setup = build_analysis(args, /*evidence=*/false);
  auto st = store::Store::open(a.db, {.write = true, .busy_timeout_ms = a.busy_timeout * 1000});
  if (!st) throw UsageError{st.error()};
  auto before = st->rules_versions();
  if (!before) throw UsageError{before.error()};
  auto ws = setup.analyzer->make_workspace();
  std::uint64_t postings = 0;
  auto changed = st->relabel(
      [&](const store::StoredPosting& p) {
        pipeline::Analysis an;
        an.posting = p.posting;
        setup.analyzer->analyze(an, ws);
        ++postings;
        return an;
      },
      setup.rules_version);
  if (!changed) throw UsageError{changed.error()};
  if (!g.quiet) {
    std::string was;
    for (const auto& [version, n] : *before) was += fmt::format("{}{} {}", was.empty() ? "" : ", ", n, version);
    fmt::print(stderr, "jobmarket: relabelled {} postings in {} with rules {} (were: {}): {} changed direction\n",
               postings, a.db, setup.rules_version, was.empty() ? "none" : was, *changed);
  }
  return kExitOk;
}

}  // namespace

Run setup_relabel(CLI::App& app) {
  auto a = std::make_shared<RelabelArgs>();
  app.add_option("--db", a->db, "The history store to relabel")->type_name("STORE")->required();
  app.add_option("--rules", a->rules_file, "Classification rule table (JSON) to use with the built-in one")
      ->type_name("FILE");
  app.add_option("--rules-mode", a->rules_mode, "extend: built-in + FILE; replace: FILE only")
      ->check(CLI::IsMember({"extend", "replace"}));
  app.add_option("--busy-timeout", a->busy_timeout,
                 "Seconds to wait while an ingest writes the store (0 to 86400)")
      ->default_str("600");
  return [a](const Globals& g) { return run_relabel(*a, g); };
}

}  // namespace jobmarket::cli
