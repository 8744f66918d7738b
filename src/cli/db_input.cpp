#include "db_input.hpp"

#include <fmt/format.h>

#include "command.hpp"
#include "io.hpp"
#include <jobmarket/aggregate/facts.hpp>
#include <jobmarket/cli/app.hpp>

namespace jobmarket::cli {

namespace {

std::optional<extract::Date> stored_date(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  auto d = extract::parse_date(*s);
  if (!d) return std::nullopt;
  return *d;
}

std::int64_t day_number(const std::string& iso) {
  auto d = extract::parse_date(iso);
  return d ? extract::days_from_civil(d->year, d->month, d->day) : 0;
}

}  // namespace

store::Store open_store_for_reading(const std::string& path, const AnalysisSetup& setup) {
  auto st = store::Store::open(path, {});
  if (!st) throw UsageError{st.error()};
  auto versions = st->rules_versions();
  if (!versions) throw UsageError{versions.error()};
  for (const auto& [version, n] : *versions)
    if (version != setup.rules_version)
      throw UsageError{fmt::format("{}: {} postings are labeled with rules {}, not {} (the rules of this run): run "
                                   "`jobmarket relabel --db {}`",
                                   path, n, version, setup.rules_version, path)};
  return std::move(*st);
}

RunSummary run_store(const std::string& path, const AnalysisSetup& setup, const Globals& g,
                     const std::function<void(const pipeline::Analysis&)>& on_posting,
                     aggregate::LifetimeSummary* lifetime) {
  auto st = open_store_for_reading(path, setup);
  RunSummary summary;
  auto files = st.files();
  if (!files) throw UsageError{files.error()};
  std::map<std::int64_t, std::size_t> file_index;  // store id -> position in summary.files
  for (const auto& f : *files) {
    read::FileInfo info;
    info.file = f.path;
    info.format = read::format_from_name(f.format).value_or(read::Format::csv);
    info.encoding = f.encoding;
    auto stats = std::make_shared<read::InputStats>();
    stats->bytes = f.bytes;
    stats->sha256 = f.sha256;
    info.stats = stats;
    file_index[f.id] = summary.files.size();
    summary.files.push_back(std::move(info));
    summary.overview.add_rejects(f.reject_reasons, f.rejected_rows, f.file_errors);
  }
  if (setup.dedup.mode != dedup::Mode::none) summary.index = std::make_shared<dedup::Index>(setup.dedup);
  pipeline::Analysis a;
  auto ok = st.for_each_sighting(0, [&](const store::Sighting& s) -> Expected<bool> {
    a.posted = stored_date(s.posted);
    a.unparsed_date = s.unparsed_date;
    if (!setup.range.empty() && (!a.posted || !setup.range.contains(*a.posted))) {
      ++summary.filtered_out;
      return true;
    }
    if (!dedup::read_fingerprint(s.fingerprint, a.fingerprint))
      return unexpected(fmt::format("{}: posting {}: malformed fingerprint", path, s.posting));
    a.duplicate = dedup::Match::none;
    if (summary.index)
      a.duplicate = summary.index->add(a.fingerprint, dedup::days_of(a.posted), static_cast<std::uint64_t>(s.posting)).match;
    a.identity = static_cast<std::uint64_t>(s.identity);
    a.posting.source = SourceRef{summary.files[file_index[s.file]].file, s.row, s.line};
    if (a.duplicate != dedup::Match::none) {
      // Duplicates count only in the totals: their direction is all that is read.
      auto dir = classify::direction_from_name(s.direction);
      if (!dir) return unexpected(fmt::format("{}: posting {}: unknown direction '{}'", path, s.posting, s.direction));
      a.classification.direction = *dir;
      a.classification.tags.clear();
      summary.overview.add(a);
      return true;
    }
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(s.facts);
    } catch (const nlohmann::json::parse_error& e) {
      return unexpected(fmt::format("{}: posting {}: facts: {}", path, s.posting, e.what()));
    }
    auto facts = aggregate::decode_facts(j);
    if (!facts) return unexpected(fmt::format("{}: posting {}: {}", path, s.posting, facts.error()));
    auto& f = facts->analysis;
    a.classification.direction = f.classification.direction;
    a.classification.tags = std::move(f.classification.tags);
    a.salary = std::move(f.salary);
    a.barriers = std::move(f.barriers);
    summary.overview.add(a);
    on_posting(a);
    return true;
  });
  if (!ok) throw UsageError{ok.error()};
  if (lifetime) {
    auto lt = st.lifetimes();
    if (!lt) throw UsageError{lt.error()};
    const auto& [spans, last] = *lt;
    for (const auto& l : spans) {
      auto dir = classify::direction_from_name(l.direction);
      if (!dir) continue;
      lifetime->add(*dir, day_number(l.last_seen) - day_number(l.first_seen), last && l.last_seen == *last);
    }
  }
  // Rows rejected at ingest still count against the report, as with merge.
  summary.exit_code = summary.overview.rejected_rows() > 0 ? kExitDataErrors : kExitOk;
  (void)g;
  return summary;
}

}  // namespace jobmarket::cli
