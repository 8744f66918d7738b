#include <jobmarket/aggregate/report.hpp>

#include <jobmarket/aggregate/article_check.hpp>
#include <jobmarket/aggregate/split_inputs.hpp>
#include <jobmarket/util/base64.hpp>

#include <fmt/format.h>

namespace jobmarket::aggregate {

namespace {

using Json = nlohmann::ordered_json;

// The first key whose values differ, "" when equal.
std::string first_difference(const Json& a, const Json& b) {
  for (const auto& [key, value] : a.items())
    if (!b.contains(key) || b.at(key) != value) return key;
  for (const auto& [key, value] : b.items())
    if (!a.contains(key)) return key;
  return {};
}

// What both forms start with: versions, options and inputs.
Json header(const ReportMeta& meta) {
  Json r;
  r["schema_version"] = kReportSchemaVersion;
  r["generator"] = {{"name", "jobmarket"}, {"version", meta.version}};
  r["rules_version"] = meta.rules_version;
  r["as_of"] = meta.as_of;
  r["options"] = meta.options;
  r["inputs"] = meta.inputs;
  return r;
}

// Every number of a partial outside the quantile sketches (which check themselves) is a
// count: a non-negative integer up to kMaxCount. Only shares (in [0, 1]) and the salary
// claim thresholds may be fractions. A negative count read as unsigned would wrap around
// to 18446744073709551611 and silently become the report's answer.
std::string bad_number(const Json& j, const std::string& path, const std::string& key) {
  if (j.is_object()) {
    if (j.contains("relative_accuracy")) return {};  // a sketch: QuantileSketch::from_json
    for (auto it = j.begin(); it != j.end(); ++it)
      if (auto e = bad_number(it.value(), path.empty() ? it.key() : path + "." + it.key(), it.key()); !e.empty())
        return e;
    return {};
  }
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      if (auto e = bad_number(j[i], path + "[" + std::to_string(i) + "]", key); !e.empty()) return e;
    return {};
  }
  if (!j.is_number()) return {};
  if (key.starts_with("share") || key == "threshold") {  // "threshold": the dedup similarity
    const double v = j.get<double>();
    return v >= 0 && v <= 1 ? "" : path + ": " + j.dump() + " is not a share (from 0 to 1)";
  }
  if (path.starts_with("salary.claim[")) return j.get<double>() >= 0 ? "" : path + ": a negative threshold";
  // Parsed text holds non-negative integers as unsigned; a report built in memory as signed.
  if ((j.is_number_unsigned() || (j.is_number_integer() && j.get<std::int64_t>() >= 0)) &&
      j.get<std::uint64_t>() <= kMaxCount)
    return {};
  return path + ": " + j.dump() + " is not a count (an integer from 0 to 2^53)";
}

// The sections count the same postings: a partial whose sections disagree was edited or
// cut, and merging it would give a report that does not add up.
std::string inconsistency(const Json& j) {
  const auto& ov = j.at("overview");
  const std::uint64_t records = ov.at("records").get<std::uint64_t>();
  std::uint64_t by_direction = 0;
  for (const char* d : {"research", "engineering", "other"}) {
    const auto& dj = ov.at("directions").at(d);
    const std::uint64_t n = dj.at("count").get<std::uint64_t>();
    by_direction += n;
    for (const auto& [tag, count] : dj.at("tags").items())
      if (count.get<std::uint64_t>() > n)
        return fmt::format("overview: tag '{}' on {} of {} {} postings", tag, count.get<std::uint64_t>(), n, d);
    const std::uint64_t barriers = j.at("barriers").at("directions").at(d).at("postings").get<std::uint64_t>();
    if (barriers != n) return fmt::format("barriers count {} {} postings, the overview {}", barriers, d, n);
  }
  if (by_direction != records)
    return fmt::format("overview: {} records but {} by direction", records, by_direction);
  const std::uint64_t salary = j.at("salary").at("overall").at("postings").get<std::uint64_t>();
  if (salary != records) return fmt::format("salary counts {} postings, the overview {}", salary, records);
  const auto& t = j.at("trends");
  std::uint64_t trends = t.at("undated").get<std::uint64_t>();
  for (const auto& b : t.at("buckets"))
    for (const auto& d : b.at("directions")) trends += d.at("postings").get<std::uint64_t>();
  for (const auto& c : t.at("coarse"))
    for (const auto& n : c.at("counts")) trends += n.get<std::uint64_t>();
  if (trends != records) return fmt::format("trends count {} postings, the overview {}", trends, records);
  return {};
}

// Sections of the report a unique posting adds to.
void add_sections(Report& r, const pipeline::Analysis& a, const Annual& annual) {
  const auto dir = a.classification.direction;
  r.salary.add(a, annual);
  r.barriers.add(dir, a.barriers);
  std::optional<double> mid;
  if (annual && *annual && !(*annual)->outlier) mid = (*annual)->mid;
  r.trends.add(a.posted, dir, a.classification.tags, mid, a.barriers.min_education >= extract::Education::master);
  if (a.unparsed_date) r.trends.add_unparsed_date(*a.unparsed_date);
}

// A unique posting as kept in a partial report: u32 length of the rest, its fingerprint,
// its days (two i32), then its facts as MessagePack. Little-endian.
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

void put32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
std::uint32_t get32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t{static_cast<unsigned char>(s[at + i])} << (8 * i);
  return v;
}

struct UniqueRecord {
  dedup::Fingerprint fp;
  dedup::Days days;
  std::string_view facts;  // MessagePack
  std::string_view whole;  // the record as stored, length included
};

// Calls f(record) for every record of the chunks; an error names what is malformed.
template <class F>
Expected<bool> for_each_unique(const std::vector<std::string>& chunks, F&& f) {
  for (const auto& chunk : chunks) {
    std::string_view c = chunk;
    std::size_t at = 0;
    while (at < c.size()) {
      constexpr std::size_t kFixed = dedup::kFingerprintBytes + 8;
      if (c.size() - at < 4) return unexpected("dedup: truncated unique posting");
      const std::uint32_t n = get32(c, at);
      if (n < kFixed || c.size() - at - 4 < n) return unexpected("dedup: truncated unique posting");
      UniqueRecord u;
      if (!dedup::read_fingerprint(c.substr(at + 4, dedup::kFingerprintBytes), u.fp))
        return unexpected("dedup: malformed fingerprint");
      const std::size_t d = at + 4 + dedup::kFingerprintBytes;
      u.days = {static_cast<std::int32_t>(get32(c, d)), static_cast<std::int32_t>(get32(c, d + 4))};
      if (u.days.first > u.days.last) return unexpected("dedup: unique posting with an empty date range");
      u.facts = c.substr(d + 8, n - kFixed);
      u.whole = c.substr(at, n + 4);
      if (auto ok = f(u); !ok) return ok;
      at += 4 + n;
    }
  }
  return true;
}

// A record of a posting: fingerprint, days and, for a unique one, its facts.
std::string make_record(const pipeline::Analysis& a, const Annual* annual) {
  std::string record;
  put32(record, 0);
  dedup::append_fingerprint(record, a.fingerprint);
  const auto days = dedup::days_of(a.posted);
  put32(record, static_cast<std::uint32_t>(days.first));
  put32(record, static_cast<std::uint32_t>(days.last));
  if (annual) nlohmann::json::to_msgpack(encode_facts(a, *annual), record);
  const auto n = static_cast<std::uint32_t>(record.size() - 4);
  for (int i = 0; i < 4; ++i) record[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return record;
}

// The same record with its facts left out (a unique posting that is a duplicate now).
std::string without_facts(std::string_view whole) {
  constexpr std::size_t kFixed = dedup::kFingerprintBytes + 8;
  std::string r;
  put32(r, static_cast<std::uint32_t>(kFixed));
  r.append(whole.substr(4, kFixed));
  return r;
}

void append_record(std::vector<std::string>& chunks, std::string_view record) {
  if (chunks.empty() || chunks.back().size() + record.size() > kChunkBytes) chunks.emplace_back();
  chunks.back().append(record);
}

Json chunks_json(std::string_view bytes) {
  Json a = Json::array();
  for (std::size_t at = 0; at < bytes.size(); at += kChunkBytes)
    a.push_back(util::base64_encode(bytes.substr(at, kChunkBytes)));
  return a;
}

Expected<std::vector<std::string>> chunks_from_json(const Json& a, const char* what) {
  std::vector<std::string> out;
  for (const auto& c : a) {
    auto bytes = util::base64_decode(c.get<std::string>());
    if (!bytes) return unexpected(std::string("dedup: ") + what + ": not base64");
    out.push_back(std::move(*bytes));
  }
  return out;
}

Json dedup_json(const ReportDedup& d) {
  const bool on = d.options.mode != dedup::Mode::none;
  Json j;
  j["mode"] = dedup::mode_name(d.options.mode);
  j["window_days"] = on ? Json(d.options.window_days) : Json(nullptr);
  j["threshold"] = on && d.options.mode == dedup::Mode::near ? Json(dedup::kThreshold) : Json(nullptr);
  const auto st = d.index ? d.index->stats() : dedup::Index::Stats{};
  j["evicted"] = st.evicted;
  j["unchecked"] = st.unchecked;
  j["horizon"] = st.horizon ? Json(extract::format_date(extract::civil_from_days(*st.horizon))) : Json(nullptr);
  return j;
}

}  // namespace

void Report::add(const pipeline::Analysis& a, const extract::SalaryConventions& conventions,
                 const extract::FxTable& fx) {
  Annual annual;
  if (a.salary.salary) annual.emplace(extract::annualize(*a.salary.salary, conventions, fx, salary.options().currency));
  add_sections(*this, a, annual);
  if (!dedup.keep_uniques) return;
  append_record(dedup.uniques, make_record(a, &annual));
  ++dedup.unique_count;
}

void Report::add_duplicate(const pipeline::Analysis& a) {
  if (dedup.keep_uniques && a.duplicate == dedup::Match::near) append_record(dedup.near, make_record(a, nullptr));
}

void Report::add_unique(const pipeline::Analysis& a, const Annual& annual) {
  overview.add_unique(a.classification.direction, a.classification.tags);
  add_sections(*this, a, annual);
}

Expected<bool> Report::merge(const Report& other) {
  if (other.meta.version != meta.version)
    return unexpected("made by jobmarket " + other.meta.version + ", not " + meta.version);
  if (other.meta.rules_version != meta.rules_version)
    return unexpected("rules version " + other.meta.rules_version + ", not " + meta.rules_version);
  if (other.meta.as_of != meta.as_of)
    return unexpected("--as-of " + other.meta.as_of.dump() + ", not " + meta.as_of.dump());
  if (auto key = first_difference(meta.options, other.meta.options); !key.empty())
    return unexpected("option '" + key + "' is " + other.meta.options.value(key, Json()).dump() +
                      ", not " + meta.options.value(key, Json()).dump());
  if (overview.records() + other.overview.records() > kMaxCount ||
      overview.rejected_rows() + other.overview.rejected_rows() > kMaxCount ||
      filtered_out + other.filtered_out > kMaxCount)
    return unexpected("more than 2^53 postings together: the counts would lose precision");
  if (auto disjoint = check_disjoint_parts(meta.inputs, other.meta.inputs); !disjoint)
    return unexpected(disjoint.error());
  if (other.salary.options().currency != salary.options().currency)
    return unexpected("salary currency " + other.salary.options().currency + ", not " +
                      salary.options().currency);
  if (other.dedup.options.mode != dedup.options.mode)
    return unexpected(std::string("--dedup ") + std::string(dedup::mode_name(other.dedup.options.mode)) +
                      ", not " + std::string(dedup::mode_name(dedup.options.mode)));
  if (dedup.options.mode != dedup::Mode::none) {
    if (!dedup.index || !other.dedup.index) return unexpected("deduplicated report without its index");
    // Every posting of `other` comes after ours: its unique ones that repeat one of ours
    // are duplicates now, the others keep their facts. Its own duplicates repeat one of its
    // earlier postings, which still comes before them, so they stay duplicates.
    // Verdicts first, against our index alone: within `other` its unique postings repeat
    // none of each other. Its records were checked when it was read (from_partial_json).
    std::vector<std::pair<dedup::Match, std::string_view>> verdicts;
    auto ok = for_each_unique(other.dedup.uniques, [&](const UniqueRecord& u) -> Expected<bool> {
      verdicts.emplace_back(dedup.index->find(u.fp, u.days).match, u.whole);
      return true;
    });
    if (!ok) return ok;
    // Its near duplicates are exact ones when one of ours is identical to them.
    std::vector<std::pair<bool, std::string_view>> near;
    ok = for_each_unique(other.dedup.near, [&](const UniqueRecord& u) -> Expected<bool> {
      near.emplace_back(dedup.index->find(u.fp, u.days).match == dedup::Match::exact, u.whole);
      return true;
    });
    if (!ok) return ok;
    overview.merge_totals(other.overview);
    for (const auto& [exact, whole] : near) {
      if (exact) overview.reclassify_near_as_exact();
      else if (dedup.keep_uniques) append_record(dedup.near, whole);
    }
    for (const auto& [match, whole] : verdicts) {
      if (match != dedup::Match::none) {
        overview.count_duplicate(match);
        if (match == dedup::Match::near && dedup.keep_uniques)
          append_record(dedup.near, without_facts(whole));
        continue;
      }
      auto facts = decode_facts(nlohmann::json::from_msgpack(whole.substr(4 + dedup::kFingerprintBytes + 8), true, false));
      if (!facts) return unexpected(facts.error());
      add_unique(facts->analysis, facts->annual);
      if (dedup.keep_uniques) append_record(dedup.uniques, whole);
      ++dedup.unique_count;
    }
    dedup.index->absorb(*other.dedup.index);
    filtered_out += other.filtered_out;
    for (const auto& input : other.meta.inputs) meta.inputs.push_back(input);
    return true;
  }
  salary.merge(other.salary);
  overview.merge(other.overview);
  filtered_out += other.filtered_out;
  barriers.merge(other.barriers);
  trends.merge(other.trends);
  for (const auto& input : other.meta.inputs) meta.inputs.push_back(input);
  return true;
}

Json Report::to_json() const {
  Json r = header(meta);
  auto o = overview.to_json();
  o["filtered_out"] = filtered_out;
  o["dedup"] = dedup_json(dedup);
  r["overview"] = std::move(o);
  r["salary"] = salary.to_json();
  r["barriers"] = barriers.to_json();
  r["trends"] = trends.to_json();
  r["lifetime"] = lifetime ? lifetime->to_json(salary.options().min_sample) : Json(nullptr);
  r["article_check"] = check_article(r);
  return r;
}

Json Report::to_partial_json() const {
  Json r;
  r["kind"] = kPartialKind;
  r.update(header(meta));
  if (dedup.options.mode == dedup::Mode::none) {
    r["overview"] = overview.to_partial_json();
    r["filtered_out"] = filtered_out;
    r["salary"] = salary.to_partial_json();
    r["barriers"] = barriers.to_json();
    r["trends"] = trends.to_partial_json();
    return r;
  }
  // Deduplicated: the totals, empty sections (for their options), and what rebuilds the
  // sections and lets a merge find cross-part duplicates (docs/report.md).
  r["overview"] = overview.to_partial_json(false);
  r["filtered_out"] = filtered_out;
  r["salary"] = SalarySummary(salary.options()).to_partial_json();
  r["barriers"] = BarrierSummary().to_json();
  r["trends"] = Trends(trends.options()).to_partial_json();
  Json d = dedup_json(dedup);
  d["unique_postings"] = dedup.unique_count;
  d["index"] = chunks_json(dedup.index ? dedup.index->save() : dedup::Index(dedup.options).save());
  Json uniques = Json::array();
  for (const auto& c : dedup.uniques) uniques.push_back(util::base64_encode(c));
  d["uniques"] = std::move(uniques);
  Json near = Json::array();
  for (const auto& c : dedup.near) near.push_back(util::base64_encode(c));
  d["near_duplicates"] = std::move(near);
  r["dedup"] = std::move(d);
  return r;
}

Expected<Report> Report::from_partial_json(const Json& j, bool rebuild) {
  if (!j.is_object() || j.value("kind", "") != kPartialKind)
    return unexpected(std::string("not a partial report (\"kind\": \"") + kPartialKind +
                      "\" missing; write one with `jobmarket report --partial`)");
  Report r;
  if (auto e = bad_number(j, "", ""); !e.empty()) return unexpected(e);
  try {
    if (!j.at("schema_version").is_number_integer() || j.at("schema_version").get<int>() != kReportSchemaVersion)
      return unexpected("schema_version " + j.at("schema_version").dump() + " is not supported (expected " +
                        std::to_string(kReportSchemaVersion) + ")");
    // A deduplicated partial carries its postings' facts, not sections (they are empty):
    // its records are checked one by one below instead.
    const bool deduplicated = j.contains("dedup") && j.at("dedup").value("mode", "none") != "none";
    if (!deduplicated)
      if (auto e = inconsistency(j); !e.empty()) return unexpected("inconsistent partial report: " + e);
    r.meta.version = j.at("generator").at("version").get<std::string>();
    r.meta.rules_version = j.at("rules_version").get<std::string>();
    r.meta.as_of = j.at("as_of");
    r.meta.options = j.at("options");
    r.meta.inputs = j.at("inputs");
    r.filtered_out = j.at("filtered_out").get<std::uint64_t>();
    auto overview = Overview::from_partial_json(j.at("overview"));
    if (!overview) return unexpected(overview.error());
    r.overview = std::move(*overview);
    auto salary = SalarySummary::from_partial_json(j.at("salary"));
    if (!salary) return unexpected("salary: " + salary.error());
    r.salary = std::move(*salary);
    auto barriers = BarrierSummary::from_json(nlohmann::json::parse(j.at("barriers").dump()));
    if (!barriers) return unexpected("barriers: " + barriers.error());
    r.barriers = std::move(*barriers);
    auto trends = Trends::from_partial_json(j.at("trends"));
    if (!trends) return unexpected("trends: " + trends.error());
    r.trends = std::move(*trends);
    if (j.contains("dedup")) {
      const auto& d = j.at("dedup");
      auto mode = dedup::mode_from_name(d.at("mode").get<std::string>());
      if (!mode) return unexpected("dedup: unknown mode " + d.at("mode").dump());
      r.dedup.options.mode = *mode;
      r.dedup.options.window_days = d.at("window_days").get<std::int32_t>();
      if (r.meta.options.contains("dedup_memory"))
        r.dedup.options.memory_bytes = r.meta.options.at("dedup_memory").get<std::size_t>();
      auto index = chunks_from_json(d.at("index"), "index");
      if (!index) return unexpected(index.error());
      std::string bytes;
      for (const auto& c : *index) bytes += c;
      auto loaded = dedup::Index::load(bytes, r.dedup.options);
      if (!loaded) return unexpected(loaded.error());
      r.dedup.index = std::make_shared<dedup::Index>(std::move(*loaded));
      auto uniques = chunks_from_json(d.at("uniques"), "uniques");
      if (!uniques) return unexpected(uniques.error());
      r.dedup.uniques = std::move(*uniques);
      r.dedup.keep_uniques = true;
      // Checked whether rebuilt or not: a part that is only merged is read here first.
      auto ok = for_each_unique(r.dedup.uniques, [&](const UniqueRecord& u) -> Expected<bool> {
        auto facts = decode_facts(nlohmann::json::from_msgpack(u.facts, true, false));
        if (!facts) return unexpected(facts.error());
        ++r.dedup.unique_count;
        if (rebuild) r.add_unique(facts->analysis, facts->annual);
        return true;
      });
      if (!ok) return unexpected(ok.error());
      auto near = chunks_from_json(d.at("near_duplicates"), "near_duplicates");
      if (!near) return unexpected(near.error());
      r.dedup.near = std::move(*near);
      ok = for_each_unique(r.dedup.near, [&](const UniqueRecord& u) -> Expected<bool> {
        if (!u.facts.empty()) return unexpected("dedup: a near duplicate with facts");
        return true;
      });
      if (!ok) return unexpected(ok.error());
      if (r.dedup.unique_count != d.at("unique_postings").get<std::uint64_t>())
        return unexpected("dedup: unique_postings " + d.at("unique_postings").dump() + ", but " +
                          std::to_string(r.dedup.unique_count) + " recorded");
    }
  } catch (const nlohmann::json::exception& e) {
    return unexpected(std::string("malformed partial report: ") + e.what());
  }
  return r;
}

}  // namespace jobmarket::aggregate
