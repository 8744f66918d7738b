#include <jobmarket/aggregate/trends.hpp>

#include <algorithm>
#include <cmath>

namespace jobmarket::aggregate {

namespace {

using classify::Direction;
using extract::Date;

constexpr std::size_t kMaxUnparsedExamples = 10;
constexpr std::array<Direction, 3> kDirections = {Direction::research, Direction::engineering,
                                                  Direction::other};

// Local names (GUIDE spelling) so the aggregate does not depend on the classifier library.
std::string_view direction_key(Direction d) {
  switch (d) {
    case Direction::research: return "research";
    case Direction::engineering: return "engineering";
    case Direction::other: return "other";
  }
  return "other";
}

std::size_t slot(Direction d) { return static_cast<std::size_t>(d); }

std::optional<double> ratio(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

// Growth is only claimed from a base of at least min_sample postings.
std::optional<double> growth(std::uint64_t now, std::uint64_t base, std::uint64_t min_sample) {
  if (base == 0 || base < min_sample) return std::nullopt;
  return (static_cast<double>(now) - static_cast<double>(base)) / static_cast<double>(base);
}

double round_to(double v, double scale) { return std::round(v * scale) / scale; }

nlohmann::ordered_json num(const std::optional<double>& v, double scale) {
  if (!v) return nullptr;
  return round_to(*v, scale);
}

}  // namespace

Trends::Trends(TrendsOptions options) : m_options(std::move(options)) {}

void Trends::add(const std::optional<Date>& date, Direction direction,
                 const std::vector<std::string>& tags, std::optional<double> annual_salary_mid,
                 bool master_or_above_required) {
  if (!date) {
    ++m_undated;
    return;
  }
  if (!m_options.range.contains(*date)) {
    ++m_filtered_out;
    return;
  }
  const auto bucket = bucket_of(*date, m_options.bucket);
  if (!bucket) {
    // Too coarse for this bucket size: tallied under its own period, never spread.
    ++m_coarse[extract::format_date(*date)][slot(direction)];
    return;
  }
  const Date first = extract::first_day(*date), last = extract::last_day(*date);
  if (!m_first || first < *m_first) m_first = first;
  if (!m_last || last > *m_last) m_last = last;
  auto& cell = m_buckets[*bucket];
  auto& d = cell.directions[slot(direction)];
  ++d.postings;
  if (master_or_above_required) ++d.master_or_above;
  if (annual_salary_mid && std::isfinite(*annual_salary_mid)) d.salary.add(*annual_salary_mid);
  for (const auto& t : tags) ++cell.tags[t];
}

void Trends::add_unparsed_date(std::string_view raw) {
  ++m_unparsed;
  m_unparsed_examples.emplace(raw);
  if (m_unparsed_examples.size() > kMaxUnparsedExamples)
    m_unparsed_examples.erase(std::prev(m_unparsed_examples.end()));
}

void Trends::merge(const Trends& other) {
  for (const auto& [bucket, cell] : other.m_buckets) {
    auto& mine = m_buckets[bucket];
    for (std::size_t i = 0; i < 3; ++i) {
      mine.directions[i].postings += cell.directions[i].postings;
      mine.directions[i].master_or_above += cell.directions[i].master_or_above;
      mine.directions[i].salary.merge(cell.directions[i].salary);
    }
    for (const auto& [tag, n] : cell.tags) mine.tags[tag] += n;
  }
  for (const auto& [period, counts] : other.m_coarse) {
    auto& mine = m_coarse[period];
    for (std::size_t i = 0; i < 3; ++i) mine[i] += counts[i];
  }
  if (other.m_first && (!m_first || *other.m_first < *m_first)) m_first = other.m_first;
  if (other.m_last && (!m_last || *other.m_last > *m_last)) m_last = other.m_last;
  m_undated += other.m_undated;
  m_unparsed += other.m_unparsed;
  m_filtered_out += other.m_filtered_out;
  // The 10 smallest of a union are the 10 smallest of the parts' 10 smallest: merge order
  // does not matter.
  for (const auto& e : other.m_unparsed_examples) m_unparsed_examples.insert(e);
  while (m_unparsed_examples.size() > kMaxUnparsedExamples)
    m_unparsed_examples.erase(std::prev(m_unparsed_examples.end()));
}

TrendsReport Trends::report() const {
  TrendsReport r;
  r.options = m_options;
  // add(no date) + add_unparsed_date() for the same posting count it once, as unparsed.
  r.undated = m_undated - std::min(m_undated, m_unparsed);
  r.unparsed_dates = m_unparsed;
  r.filtered_out = m_filtered_out;
  r.unparsed_examples.assign(m_unparsed_examples.begin(), m_unparsed_examples.end());
  for (const auto& [period, counts] : m_coarse) r.coarse.push_back({period, counts});
  r.first_date = m_first;
  r.last_date = m_last;

  // The span: the filter range where given, else the data's first and last day.
  std::optional<Date> start = m_options.range.since ? std::optional(extract::first_day(*m_options.range.since)) : m_first;
  std::optional<Date> end = m_options.range.until ? std::optional(extract::last_day(*m_options.range.until)) : m_last;
  if (!start || !end || *end < *start) return r;
  const Bucket first = *bucket_of(*start, m_options.bucket);
  const Bucket last = *bucket_of(*end, m_options.bucket);
  for (Bucket b = first; b <= last; b = next_bucket(b)) r.buckets.push_back(b);
  r.partial.assign(r.buckets.size(), false);
  r.partial.front() = bucket_first_day(first) < *start;
  if (bucket_last_day(last) > *end) r.partial.back() = true;

  static const BucketCell kEmpty{};
  auto cell_of = [&](const std::optional<Bucket>& b) -> const BucketCell& {
    if (!b) return kEmpty;
    auto it = m_buckets.find(*b);
    return it == m_buckets.end() ? kEmpty : it->second;
  };

  const std::uint64_t min_sample = m_options.min_sample;
  std::set<std::string> tag_names;
  std::vector<std::uint64_t> totals(r.buckets.size(), 0);
  for (std::size_t i = 0; i < r.buckets.size(); ++i) {
    const Bucket& b = r.buckets[i];
    const BucketCell& cell = cell_of(b);
    const BucketCell& prev = cell_of(previous_bucket(b));
    const BucketCell& yoy = cell_of(year_earlier(b));
    const std::uint64_t ai = cell.directions[slot(Direction::research)].postings +
                             cell.directions[slot(Direction::engineering)].postings;
    for (Direction d : kDirections) {
      const DirectionCell& c = cell.directions[slot(d)];
      totals[i] += c.postings;
      SeriesPoint p;
      p.bucket = b;
      p.direction = d;
      p.postings = c.postings;
      if (d != Direction::other) p.share = ratio(c.postings, ai);
      p.growth_prev = growth(c.postings, prev.directions[slot(d)].postings, min_sample);
      p.growth_yoy = growth(c.postings, yoy.directions[slot(d)].postings, min_sample);
      p.salary_sample = c.salary.count();
      if (p.salary_sample > 0 && p.salary_sample >= min_sample) p.median_salary = c.salary.median();
      p.partial = r.partial[i];
      r.series.push_back(p);
      r.barrier_drift.push_back({b, d, c.postings, c.master_or_above, ratio(c.master_or_above, c.postings)});
    }
    r.dated += totals[i];
    for (const auto& [tag, n] : cell.tags) tag_names.insert(tag);
  }

  for (const auto& tag : tag_names) {
    TagSeries ts{tag, {}};
    for (std::size_t i = 0; i < r.buckets.size(); ++i) {
      const auto& tags = cell_of(r.buckets[i]).tags;
      auto it = tags.find(tag);
      const std::uint64_t n = it == tags.end() ? 0 : it->second;
      ts.points.push_back({r.buckets[i], n, totals[i], ratio(n, totals[i])});
    }
    r.tags.push_back(std::move(ts));
  }

  // Rising and falling: the last `window` buckets against the `window` before them.
  const std::size_t k = r.buckets.size();
  r.window = std::min(m_options.window, k / 2);
  if (r.window > 0) {
    const std::size_t recent_begin = k - r.window, before_begin = k - 2 * r.window;
    for (const auto& ts : r.tags) {
      TagTrend t;
      t.tag = ts.tag;
      for (std::size_t i = before_begin; i < k; ++i) {
        const bool recent = i >= recent_begin;
        (recent ? t.recent_mentions : t.before_mentions) += ts.points[i].mentions;
        (recent ? t.recent_postings : t.before_postings) += ts.points[i].postings;
      }
      if (t.before_postings < min_sample || t.recent_postings < min_sample ||
          t.before_mentions + t.recent_mentions < min_sample || t.before_postings == 0 ||
          t.recent_postings == 0)
        continue;
      t.before_share = static_cast<double>(t.before_mentions) / static_cast<double>(t.before_postings);
      t.recent_share = static_cast<double>(t.recent_mentions) / static_cast<double>(t.recent_postings);
      // Compared after rounding, so ties and signs match what the JSON shows.
      t.change = round_to(round_to(t.recent_share, 1e4) - round_to(t.before_share, 1e4), 1e4);
      if (t.change > 0) r.rising.push_back(t);
      else if (t.change < 0) r.falling.push_back(t);
    }
    std::sort(r.rising.begin(), r.rising.end(), [](const TagTrend& a, const TagTrend& b) {
      return a.change != b.change ? a.change > b.change : a.tag < b.tag;
    });
    std::sort(r.falling.begin(), r.falling.end(), [](const TagTrend& a, const TagTrend& b) {
      return a.change != b.change ? a.change < b.change : a.tag < b.tag;
    });
  }
  return r;
}

nlohmann::ordered_json Trends::to_json() const { return aggregate::to_json(report()); }

nlohmann::ordered_json Trends::to_partial_json() const {
  using json = nlohmann::ordered_json;
  auto opt_date = [](const std::optional<Date>& d) { return d ? json(extract::format_date(*d)) : json(nullptr); };
  json j;
  j["kind"] = "trends_partial";
  j["version"] = 1;
  j["bucket_size"] = bucket_size_name(m_options.bucket);
  j["min_sample"] = m_options.min_sample;
  j["window"] = m_options.window;
  j["since"] = opt_date(m_options.range.since);
  j["until"] = opt_date(m_options.range.until);
  j["first"] = opt_date(m_first);
  j["last"] = opt_date(m_last);
  json& buckets = j["buckets"] = json::array();
  for (const auto& [bucket, cell] : m_buckets) {
    json dirs = json::array();
    for (const auto& d : cell.directions)
      dirs.push_back({{"postings", d.postings},
                      {"master_or_above", d.master_or_above},
                      {"salary", d.salary.sketch().to_json()}});
    json tags = json::object();
    for (const auto& [tag, n] : cell.tags) tags[tag] = n;
    buckets.push_back({{"bucket", bucket_key(bucket)}, {"directions", std::move(dirs)}, {"tags", std::move(tags)}});
  }
  json& coarse = j["coarse"] = json::array();
  for (const auto& [period, counts] : m_coarse) coarse.push_back({{"period", period}, {"counts", counts}});
  j["undated"] = m_undated;
  j["unparsed_dates"] = m_unparsed;
  j["unparsed_examples"] = m_unparsed_examples;
  j["filtered_out"] = m_filtered_out;
  return j;
}

Expected<Trends> Trends::from_partial_json(const nlohmann::ordered_json& j) {
  auto fail = [](const std::string& why) { return unexpected("invalid trends partial: " + why); };
  auto opt_date = [](const nlohmann::ordered_json& v) -> Expected<std::optional<Date>> {
    if (v.is_null()) return std::optional<Date>();
    auto d = extract::parse_date(v.get<std::string>());
    if (!d) return unexpected(d.error());
    return std::optional<Date>(*d);
  };
  try {
    if (!j.is_object() || j.value("kind", "") != "trends_partial") return fail("not a trends partial");
    if (j.at("version").get<int>() != 1) return fail("unsupported version");
    TrendsOptions o;
    const auto size = bucket_size_from_name(j.at("bucket_size").get<std::string>());
    if (!size) return fail("unknown bucket_size");
    o.bucket = *size;
    o.min_sample = j.at("min_sample").get<std::uint64_t>();
    o.window = j.at("window").get<std::size_t>();
    auto since = opt_date(j.at("since")), until = opt_date(j.at("until"));
    auto first = opt_date(j.at("first")), last = opt_date(j.at("last"));
    for (const auto* d : {&since, &until, &first, &last})
      if (!*d) return fail(d->error());
    o.range = {*since, *until};
    Trends t(o);
    t.m_first = *first;
    t.m_last = *last;
    for (const auto& b : j.at("buckets")) {
      auto bucket = parse_bucket(b.at("bucket").get<std::string>());
      if (!bucket) return fail(bucket.error());
      if (bucket->size != o.bucket) return fail("bucket " + bucket_key(*bucket) + " does not match bucket_size");
      auto& cell = t.m_buckets[*bucket];
      const auto& dirs = b.at("directions");
      if (!dirs.is_array() || dirs.size() != 3) return fail("directions must have 3 entries");
      for (std::size_t i = 0; i < 3; ++i) {
        cell.directions[i].postings = dirs[i].at("postings").get<std::uint64_t>();
        cell.directions[i].master_or_above = dirs[i].at("master_or_above").get<std::uint64_t>();
        auto sketch = QuantileSketch::from_json(dirs[i].at("salary"));
        if (!sketch) return fail(sketch.error());
        cell.directions[i].salary.sketch() = *sketch;
      }
      for (const auto& [tag, n] : b.at("tags").items()) cell.tags[tag] = n.get<std::uint64_t>();
    }
    for (const auto& c : j.at("coarse"))
      t.m_coarse[c.at("period").get<std::string>()] = c.at("counts").get<std::array<std::uint64_t, 3>>();
    t.m_undated = j.at("undated").get<std::uint64_t>();
    t.m_unparsed = j.at("unparsed_dates").get<std::uint64_t>();
    t.m_filtered_out = j.at("filtered_out").get<std::uint64_t>();
    for (const auto& e : j.at("unparsed_examples")) t.m_unparsed_examples.insert(e.get<std::string>());
    return t;
  } catch (const nlohmann::json::exception& e) {
    // The JSON library reports shape errors by throwing; they become a value here.
    return fail(e.what());
  }
}

nlohmann::ordered_json to_json(const TrendsReport& r) {
  using json = nlohmann::ordered_json;
  constexpr double kShare = 1e4;
  json j;
  j["bucket_size"] = bucket_size_name(r.options.bucket);
  j["min_sample"] = r.options.min_sample;
  j["since"] = r.options.range.since ? json(extract::format_date(*r.options.range.since)) : json(nullptr);
  j["until"] = r.options.range.until ? json(extract::format_date(*r.options.range.until)) : json(nullptr);
  j["first_bucket"] = r.buckets.empty() ? json(nullptr) : json(bucket_key(r.buckets.front()));
  j["last_bucket"] = r.buckets.empty() ? json(nullptr) : json(bucket_key(r.buckets.back()));
  j["first_date"] = r.first_date ? json(extract::format_date(*r.first_date)) : json(nullptr);
  j["last_date"] = r.last_date ? json(extract::format_date(*r.last_date)) : json(nullptr);
  j["dated"] = r.dated;

  json& series = j["series"] = json::array();
  for (const auto& p : r.series) {
    json s;
    s["bucket"] = bucket_key(p.bucket);
    s["direction"] = direction_key(p.direction);
    s["postings"] = p.postings;
    s["share"] = num(p.share, kShare);
    s["growth_prev"] = num(p.growth_prev, kShare);
    s["growth_yoy"] = num(p.growth_yoy, kShare);
    s["median_salary"] = num(p.median_salary, 1.0);
    s["salary_sample"] = p.salary_sample;
    s["partial"] = p.partial;
    series.push_back(std::move(s));
  }

  json& tags = j["tags"] = json::array();
  for (const auto& ts : r.tags) {
    json points = json::array();
    for (const auto& p : ts.points)
      points.push_back({{"bucket", bucket_key(p.bucket)}, {"mentions", p.mentions},
                        {"postings", p.postings}, {"share", num(p.share, kShare)}});
    tags.push_back({{"tag", ts.tag}, {"series", std::move(points)}});
  }

  json window;
  window["buckets"] = r.window;
  if (r.window > 0) {
    const std::size_t k = r.buckets.size();
    window["before"] = {bucket_key(r.buckets[k - 2 * r.window]), bucket_key(r.buckets[k - r.window - 1])};
    window["recent"] = {bucket_key(r.buckets[k - r.window]), bucket_key(r.buckets[k - 1])};
  } else {
    window["before"] = nullptr;
    window["recent"] = nullptr;
  }
  j["window"] = std::move(window);
  auto trend_list = [&](const std::vector<TagTrend>& list) {
    json a = json::array();
    for (const auto& t : list)
      a.push_back({{"tag", t.tag},
                   {"before_mentions", t.before_mentions},
                   {"before_postings", t.before_postings},
                   {"before_share", round_to(t.before_share, kShare)},
                   {"recent_mentions", t.recent_mentions},
                   {"recent_postings", t.recent_postings},
                   {"recent_share", round_to(t.recent_share, kShare)},
                   {"change", t.change}});
    return a;
  };
  j["rising"] = trend_list(r.rising);
  j["falling"] = trend_list(r.falling);

  json& drift = j["barrier_drift"] = json::array();
  for (const auto& d : r.barrier_drift)
    drift.push_back({{"bucket", bucket_key(d.bucket)},
                     {"direction", direction_key(d.direction)},
                     {"postings", d.postings},
                     {"master_or_above", d.master_or_above},
                     {"share", num(d.share, kShare)}});

  json& coarse = j["coarse_dates"] = json::array();
  for (const auto& c : r.coarse)
    coarse.push_back({{"period", c.period},
                      {"research", c.postings[0]},
                      {"engineering", c.postings[1]},
                      {"other", c.postings[2]},
                      {"postings", c.postings[0] + c.postings[1] + c.postings[2]}});
  j["undated"] = r.undated;
  j["unparsed_dates"] = r.unparsed_dates;
  j["unparsed_examples"] = r.unparsed_examples;
  j["filtered_out"] = r.filtered_out;
  return j;
}

}  // namespace jobmarket::aggregate
