#include <jobmarket/classify/eval.hpp>

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace jobmarket::classify {

namespace {

constexpr std::array<Direction, 3> kDirections = {Direction::research, Direction::engineering,
                                                  Direction::other};

std::size_t idx(Direction d) { return static_cast<std::size_t>(d); }

double ratio(std::uint64_t a, std::uint64_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

double f1_of(double p, double r) { return p + r == 0.0 ? 0.0 : 2.0 * p * r / (p + r); }

// Metrics are printed and serialized with 4 decimals so reports are byte-stable.
double round4(double x) {
  return static_cast<double>(static_cast<long long>(x * 10000.0 + 0.5)) / 10000.0;
}

}  // namespace

double TagCounts::precision() const { return ratio(tp, tp + fp); }
double TagCounts::recall() const { return ratio(tp, tp + fn); }
double TagCounts::f1() const { return f1_of(precision(), recall()); }

void Evaluation::add(Direction gold, Direction predicted, const std::vector<std::string>& gold_tags,
                     const std::vector<std::string>& predicted_tags) {
  ++m_count;
  ++m_confusion[idx(gold)][idx(predicted)];
  std::set<std::string> g(gold_tags.begin(), gold_tags.end());
  std::set<std::string> p(predicted_tags.begin(), predicted_tags.end());
  for (const auto& t : g) {
    if (p.contains(t))
      ++m_tags[t].tp;
    else
      ++m_tags[t].fn;
  }
  for (const auto& t : p) {
    if (!g.contains(t)) ++m_tags[t].fp;
  }
}

void Evaluation::merge(const Evaluation& other) {
  m_count += other.m_count;
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j) m_confusion[i][j] += other.m_confusion[i][j];
  for (const auto& [k, v] : other.m_tags) {
    auto& t = m_tags[k];
    t.tp += v.tp;
    t.fp += v.fp;
    t.fn += v.fn;
  }
}

std::uint64_t Evaluation::correct() const {
  return m_confusion[0][0] + m_confusion[1][1] + m_confusion[2][2];
}

double Evaluation::accuracy() const { return ratio(correct(), m_count); }

double Evaluation::class_precision(Direction d) const {
  std::uint64_t predicted = 0;
  for (std::size_t g = 0; g < 3; ++g) predicted += m_confusion[g][idx(d)];
  return ratio(m_confusion[idx(d)][idx(d)], predicted);
}

double Evaluation::class_recall(Direction d) const {
  std::uint64_t gold = 0;
  for (std::size_t p = 0; p < 3; ++p) gold += m_confusion[idx(d)][p];
  return ratio(m_confusion[idx(d)][idx(d)], gold);
}

double Evaluation::class_f1(Direction d) const {
  return f1_of(class_precision(d), class_recall(d));
}

double Evaluation::macro_f1() const {
  double sum = 0.0;
  for (auto d : kDirections) sum += class_f1(d);
  return sum / 3.0;
}

TagCounts Evaluation::tag_micro() const {
  TagCounts total;
  for (const auto& [k, v] : m_tags) {
    total.tp += v.tp;
    total.fp += v.fp;
    total.fn += v.fn;
  }
  return total;
}

nlohmann::ordered_json Evaluation::to_json() const {
  nlohmann::ordered_json j;
  j["count"] = m_count;
  j["correct"] = correct();
  j["accuracy"] = round4(accuracy());
  j["macro_f1"] = round4(macro_f1());
  nlohmann::ordered_json classes;
  for (auto d : kDirections) {
    nlohmann::ordered_json c;
    c["precision"] = round4(class_precision(d));
    c["recall"] = round4(class_recall(d));
    c["f1"] = round4(class_f1(d));
    classes[std::string(direction_name(d))] = c;
  }
  j["classes"] = classes;
  nlohmann::ordered_json confusion;
  for (auto g : kDirections) {
    nlohmann::ordered_json row;
    for (auto p : kDirections) row[std::string(direction_name(p))] = m_confusion[idx(g)][idx(p)];
    confusion[std::string(direction_name(g))] = row;
  }
  j["confusion"] = confusion;
  auto micro = tag_micro();
  nlohmann::ordered_json tags;
  tags["micro_precision"] = round4(micro.precision());
  tags["micro_recall"] = round4(micro.recall());
  tags["micro_f1"] = round4(micro.f1());
  nlohmann::ordered_json per;
  for (const auto& [k, v] : m_tags) {
    nlohmann::ordered_json t;
    t["tp"] = v.tp;
    t["fp"] = v.fp;
    t["fn"] = v.fn;
    t["support"] = v.tp + v.fn;
    t["precision"] = round4(v.precision());
    t["recall"] = round4(v.recall());
    t["f1"] = round4(v.f1());
    per[k] = t;
  }
  tags["per_tag"] = per;
  j["tags"] = tags;
  return j;
}

std::string Evaluation::to_text() const {
  std::string out;
  out += fmt::format("items {}  correct {}  accuracy {:.4f}  macro-F1 {:.4f}\n", m_count, correct(),
                     accuracy(), macro_f1());
  out += fmt::format("{:<12} {:>9} {:>9} {:>9}\n", "class", "precision", "recall", "f1");
  for (auto d : kDirections)
    out += fmt::format("{:<12} {:>9.4f} {:>9.4f} {:>9.4f}\n", direction_name(d), class_precision(d),
                       class_recall(d), class_f1(d));
  out += fmt::format("confusion (rows gold, columns predicted)\n{:<12} {:>9} {:>12} {:>6}\n", "",
                     "research", "engineering", "other");
  for (auto g : kDirections)
    out += fmt::format("{:<12} {:>9} {:>12} {:>6}\n", direction_name(g), m_confusion[idx(g)][0],
                       m_confusion[idx(g)][1], m_confusion[idx(g)][2]);
  auto micro = tag_micro();
  out += fmt::format("tags micro  precision {:.4f}  recall {:.4f}  F1 {:.4f}\n", micro.precision(),
                     micro.recall(), micro.f1());
  out += fmt::format("{:<24} {:>7} {:>4} {:>4} {:>4} {:>9} {:>9} {:>9}\n", "tag", "support", "tp",
                     "fp", "fn", "precision", "recall", "f1");
  for (const auto& [k, v] : m_tags)
    out += fmt::format("{:<24} {:>7} {:>4} {:>4} {:>4} {:>9.4f} {:>9.4f} {:>9.4f}\n", k, v.tp + v.fn,
                       v.tp, v.fp, v.fn, v.precision(), v.recall(), v.f1());
  return out;
}

}  // namespace jobmarket::classify
