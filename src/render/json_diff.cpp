#include <jobmarket/render/json_diff.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace jobmarket::render {

namespace {

using Json = nlohmann::ordered_json;

// Arrays of objects are matched by a natural key rather than by position, so a new tag or
// bucket does not shift every later item.
std::optional<std::string> item_key(const Json& item) {
  if (!item.is_object()) return std::nullopt;
  std::string key;
  for (const char* k : {"claim", "tag", "bucket", "direction", "level", "band", "field", "name", "file"}) {
    auto it = item.find(k);
    if (it != item.end() && (it->is_string() || it->is_number())) {
      if (!key.empty()) key += '/';
      key += it->is_string() ? it->get<std::string>() : it->dump();
    }
  }
  if (key.empty()) return std::nullopt;
  return key;
}

std::string scalar_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "null";
  return v.dump();
}

bool ignored(const std::string& path, const std::vector<std::string>& ignore) {
  for (const auto& p : ignore)
    if (path == p || (path.size() > p.size() && path.compare(0, p.size(), p) == 0 && path[p.size()] == '.'))
      return true;
  return false;
}

void walk(const std::string& path, const Json* a, const Json* b, const std::vector<std::string>& ignore,
          std::vector<Change>& out) {
  if (!path.empty() && ignored(path, ignore)) return;
  auto child = [&](const std::string& k) { return path.empty() ? k : path + "." + k; };
  if (a && b && a->is_object() && b->is_object()) {
    std::set<std::string> seen;
    for (auto it = a->begin(); it != a->end(); ++it) {
      seen.insert(it.key());
      auto jt = b->find(it.key());
      walk(child(it.key()), &it.value(), jt == b->end() ? nullptr : &*jt, ignore, out);
    }
    for (auto it = b->begin(); it != b->end(); ++it)
      if (!seen.count(it.key())) walk(child(it.key()), nullptr, &it.value(), ignore, out);
    return;
  }
  if (a && b && a->is_array() && b->is_array()) {
    bool keyed = !a->empty() || !b->empty();
    for (const auto* arr : {a, b})
      for (const auto& item : *arr)
        if (!item_key(item)) keyed = false;
    if (keyed) {
      std::vector<std::string> order;
      std::map<std::string, std::pair<const Json*, const Json*>> items;
      for (const auto& item : *a) {
        auto k = *item_key(item);
        if (!items.count(k)) order.push_back(k);
        items[k].first = &item;
      }
      for (const auto& item : *b) {
        auto k = *item_key(item);
        if (!items.count(k)) order.push_back(k);
        items[k].second = &item;
      }
      for (const auto& k : order) walk(child(k), items[k].first, items[k].second, ignore, out);
      return;
    }
    if (*a != *b) out.push_back({path, a->dump(), b->dump(), std::nullopt, std::nullopt});
    return;
  }
  if (a && b && *a == *b) return;
  if ((a && (a->is_object() || a->is_array())) || (b && (b->is_object() || b->is_array()))) {
    // Structure appeared or disappeared: report the leaves of the side that has it.
    const Json* side = a ? a : b;
    if (side->is_object()) {
      for (auto it = side->begin(); it != side->end(); ++it)
        walk(child(it.key()), a ? &it.value() : nullptr, b ? &it.value() : nullptr, ignore, out);
      return;
    }
    out.push_back({path, a ? a->dump() : "", b ? b->dump() : "", std::nullopt, std::nullopt});
    return;
  }
  Change c{path, a ? scalar_text(*a) : "", b ? scalar_text(*b) : "", std::nullopt, std::nullopt};
  if (a && b && a->is_number() && b->is_number()) {
    double x = a->get<double>(), y = b->get<double>();
    c.delta = y - x;
    if (x != 0) c.relative = (y - x) / std::fabs(x);
  }
  out.push_back(std::move(c));
}

}  // namespace

std::vector<Change> diff_json(const Json& before, const Json& after, const std::vector<std::string>& ignore) {
  std::vector<Change> out;
  walk("", &before, &after, ignore, out);
  return out;
}

const Json* find_path(const Json& doc, const std::string& path) {
  const Json* cur = &doc;
  std::size_t pos = 0;
  while (pos <= path.size() && cur) {
    auto dot = path.find('.', pos);
    std::string part = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    if (cur->is_object()) {
      auto it = cur->find(part);
      cur = it == cur->end() ? nullptr : &*it;
    } else if (cur->is_array()) {
      const Json* found = nullptr;
      for (const auto& item : *cur)
        if (item_key(item) == part) found = &item;
      cur = found;
    } else {
      cur = nullptr;
    }
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return cur;
}

Expected<Condition> parse_condition(const std::string& condition) {
  auto bad = [&](const std::string& why) {
    return unexpected(fmt::format("--fail-if '{}': {}", condition, why));
  };
  if (condition.size() > kMaxConditionLength)
    return unexpected(fmt::format("--fail-if: a condition of {} bytes; at most {}", condition.size(),
                                  kMaxConditionLength));
  const auto at = condition.find_first_of("<>=!");
  if (at == std::string::npos)
    return bad("expected PATH OP NUMBER with OP one of < <= > >= == !=, e.g. "
               "'overview.directions.engineering.share < 0.5'");
  Condition c;
  const bool two = at + 1 < condition.size() && condition[at + 1] == '=';
  c.op = condition.substr(at, two ? 2 : 1);
  if (c.op == "=" || c.op == "!") return bad("'" + c.op + "' is not an operator: use == or !=");
  auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return std::string(v);
  };
  c.path = trim(std::string_view(condition).substr(0, at));
  const std::string number = trim(std::string_view(condition).substr(at + c.op.size()));
  if (c.path.empty()) return bad("no PATH before " + c.op);
  if (c.path.find_first_of(" \t") != std::string::npos) return bad("PATH '" + c.path + "' holds a space");
  if (c.path.front() == '.' || c.path.back() == '.' || c.path.find("..") != std::string::npos)
    return bad("PATH '" + c.path + "' has an empty part");
  if (number.empty()) return bad("no NUMBER after " + c.op);
  const char* end = number.data() + number.size();
  auto [p, ec] = std::from_chars(number.data(), end, c.number);
  if (ec != std::errc() || p != end || !std::isfinite(c.number))
    return bad("'" + number + "' is not a finite number");
  return c;
}

Expected<bool> evaluate_condition(const Json& doc, const std::string& condition) {
  auto parsed = parse_condition(condition);
  if (!parsed) return unexpected(parsed.error());
  const auto& [path, o, rhs] = *parsed;
  // Short paths such as "engineering.share" name the report's direction counts.
  const Json* v = find_path(doc, path);
  if (!v) v = find_path(doc, "overview.directions." + path);
  if (!v) return unexpected(fmt::format("--fail-if '{}': no value at '{}'", condition, path));
  if (!v->is_number())
    return unexpected(fmt::format("--fail-if '{}': '{}' is {}, not a number", condition, path, v->dump()));
  const double lhs = v->get<double>();
  if (o == "<") return lhs < rhs;
  if (o == "<=") return lhs <= rhs;
  if (o == ">") return lhs > rhs;
  if (o == ">=") return lhs >= rhs;
  if (o == "==") return lhs == rhs;
  return lhs != rhs;
}

}  // namespace jobmarket::render
