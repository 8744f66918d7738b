#include <jobmarket/read/column_map.hpp>

#include <fmt/format.h>

#include <algorithm>

#include <jobmarket/normalize/text.hpp>

namespace jobmarket::read {

namespace {

// Header synonyms per field, compared after key() below (folded; spaces, '_', '-', '.'
// removed). Order matters: earlier synonyms win when a file has several candidates.
// `join` fields take every matching column (岗位描述 + 岗位要求); the others take one.
struct Synonyms {
  Field field;
  bool join;
  std::vector<std::string_view> names;
  std::vector<std::string_view> extras;  // appended to the chosen column (salary_type)
};

const std::vector<Synonyms>& synonyms() {
  static const std::vector<Synonyms> table = {
      {Field::id, false,
       {"id", "jobid", "postingid", "postid", "externalid", "职位id", "岗位id", "url", "joburl",
        "详情网址", "职位链接", "postingurl", "sourcefile"},
       {}},
      {Field::title, false,
       {"title", "jobtitle", "jobname", "position", "positiontitle", "positionname", "role",
        "职位名称", "岗位名称", "职位", "岗位", "职位标题", "jobtitlefrompagetitle",
        "recruitpostname", "name"},
       {}},
      {Field::company, false,
       {"company", "companyname", "employer", "organization", "jobcompany", "公司", "公司名称",
        "企业", "企业名称", "companyfrompagetitle"},
       {}},
      {Field::location, false,
       {"location", "joblocation", "city", "jobarea", "jobcity", "地点", "工作地点", "城市",
        "岗位位置", "工作城市", "locationname", "area"},
       {}},
      {Field::salary, false,
       {"salary", "salaryrange", "salaryestimate", "pay", "payrange", "compensation",
        "薪资", "薪酬", "月薪", "岗位待遇", "薪资范围", "salaryfirstmatch"},
       {"salarytype", "salarycurrency", "薪资类型"}},
      {Field::posted, false,
       {"posted", "postedat", "postdate", "dateposted", "date", "publishedat", "published",
        "publishdate", "firstpublished", "createtime", "createdat", "发布时间", "发布日期",
        "更新时间", "workyear", "age"},
       {}},
      {Field::education, false,
       {"education", "jobeducation", "degree", "educationlevel", "学历", "学历要求"}, {}},
      {Field::experience, false,
       {"experience", "jobexperience", "yearsofexperience", "workexperience", "工作经验", "经验",
        "经验要求", "experiencelevel",
        // Last: a board's category of the posting, read for "intern" or "new grad" (GUIDE:
        // experience 0) when no experience column names the years (speedyapply's "list":
        // new_grad_usa, intern_intl; "Job Type": Internship).
        "招聘类型", "recruittype", "jobtype", "employmenttype", "list"},
       {}},
      {Field::text, true,
       {"description", "jobdescription", "text", "body", "content", "details", "职位描述",
        "岗位描述", "职位详情", "工作内容", "工作职责", "岗位职责", "任职要求", "岗位要求",
        "职位要求", "工作文字信息", "responsibilities", "requirements", "qualifications",
        "requirmentofthecompany", "skills", "技能", "技能要求", "职业标签", "jobtaglist"},
       {}},
  };
  return table;
}

std::string key(std::string_view header) {
  std::string folded = normalize::fold(header);
  std::string out;
  for (char c : folded)
    if (c != ' ' && c != '_' && c != '-' && c != '.' && c != '"') out += c;
  return out;
}

std::string join_names(const std::vector<std::string>& header, const std::vector<std::size_t>& cols) {
  std::string s;
  for (auto c : cols) s += (s.empty() ? "'" : ", '") + header[c] + "'";
  return s;
}

bool is_null_token(std::string_view v) {
  return v == "NULL" || v == "null" || v == "nan" || v == "NaN" || v == "None" || v == "N/A" ||
         v == "n/a" || v == "-1";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

Expected<MapOverride> parse_map_override(std::string_view spec) {
  auto eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == spec.size())
    return unexpected(fmt::format("--map '{}': expected FIELD=COLUMN[,COLUMN...]", spec));
  auto field = field_from_name(spec.substr(0, eq));
  if (!field)
    return unexpected(fmt::format(
        "--map '{}': unknown field '{}' (fields: id, title, company, location, salary, posted, "
        "education, experience, text)",
        spec, spec.substr(0, eq)));
  MapOverride o{*field, {}};
  std::string_view rest = spec.substr(eq + 1);
  while (!rest.empty()) {
    auto comma = rest.find(',');
    o.columns.emplace_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return o;
}

Expected<ColumnMap> map_columns(const std::vector<std::string>& header,
                                const std::vector<MapOverride>& overrides) {
  ColumnMap map;
  std::vector<std::string> keys;
  keys.reserve(header.size());
  for (auto& h : header) keys.push_back(key(h));
  std::vector<bool> used(header.size(), false);

  for (const auto& o : overrides) {
    auto& fm = map.fields[static_cast<std::size_t>(o.field)];
    fm = {};
    for (const auto& col : o.columns) {
      auto it = std::find(header.begin(), header.end(), col);
      std::size_t idx;
      if (it != header.end()) {
        idx = static_cast<std::size_t>(it - header.begin());
      } else if (!col.empty() && std::all_of(col.begin(), col.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                 std::stoul(col) >= 1 && std::stoul(col) <= header.size()) {
        idx = std::stoul(col) - 1;
      } else {
        return unexpected(fmt::format("--map {}={}: no column '{}' in the header", field_name(o.field),
                                      col, col));
      }
      fm.columns.push_back(idx);
      used[idx] = true;
    }
    fm.why = fmt::format("--map {}", field_name(o.field));
  }

  for (const auto& syn : synonyms()) {
    auto& fm = map.fields[static_cast<std::size_t>(syn.field)];
    if (!fm.columns.empty()) continue;  // set by --map
    for (auto name : syn.names) {
      for (std::size_t i = 0; i < keys.size(); ++i) {
        if (used[i] || keys[i] != name) continue;
        fm.columns.push_back(i);
        used[i] = true;
        if (!syn.join) break;
      }
      if (!fm.columns.empty() && !syn.join) break;
    }
    if (fm.columns.empty()) continue;
    if (syn.join) std::sort(fm.columns.begin(), fm.columns.end());  // file order reads naturally
    for (auto extra : syn.extras) {
      for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!used[i] && keys[i] == extra) {
          fm.columns.push_back(i);
          used[i] = true;
        }
      }
    }
    fm.why = fm.columns.size() == 1
                 ? fmt::format("header {} is a synonym of {}", join_names(header, fm.columns),
                               field_name(syn.field))
                 : fmt::format("headers {} are synonyms of {} (joined)",
                               join_names(header, fm.columns), field_name(syn.field));
  }
  return map;
}

void apply_map(const ColumnMap& map, const std::vector<std::string>& values, Posting& out) {
  for (std::size_t f = 0; f < kFieldCount; ++f) {
    auto& dst = out.fields[f];
    dst.clear();
    const auto field = static_cast<Field>(f);
    // Missing-value markers only mean "empty" in the structured columns; in a title or a
    // description they are text.
    const bool structured = field == Field::salary || field == Field::posted ||
                            field == Field::education || field == Field::experience;
    for (auto col : map.fields[f].columns) {
      if (col >= values.size()) continue;
      std::string_view v = values[col];
      if (structured) {
        v = trim(v);
        if (is_null_token(v)) continue;
      }
      if (v.empty()) continue;
      if (!dst.empty()) dst += '\n';
      dst.append(v);
    }
  }
  // A title of several lines is a scraped list card ("AI Scientist\n上海\n薪资面议\n5-10年\n
  // 博士"): its first line is the title. The others describe the posting and go before the
  // text, where salary and barriers are looked for, as a tag list ("['上海', '薪资面议',
  // '5-10年', '博士']"): the form other boards give such values in a column of their own,
  // so a bare "5-10年" or "博士" reads as the card's requirement (docs/barriers.md).
  auto& title = out.fields[static_cast<std::size_t>(Field::title)];
  if (auto nl = title.find('\n'); nl != std::string::npos) {
    auto& text = out.fields[static_cast<std::size_t>(Field::text)];
    std::string tags;
    std::string_view rest = std::string_view(title).substr(nl + 1);
    while (!rest.empty()) {
      const auto end = rest.find('\n');
      const std::string_view line = trim(rest.substr(0, end));
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
      // Brackets a card draws around a value ("【\n成都\n】") are not values.
      if (line.empty() || line == "【" || line == "】" || line == "[" || line == "]") continue;
      tags += tags.empty() ? "['" : "', '";
      tags.append(line);
    }
    title.resize(nl);
    while (!title.empty() && (title.back() == '\r' || title.back() == ' ')) title.pop_back();
    if (!tags.empty()) {
      tags += "']";
      if (!text.empty()) tags += '\n';
      text.insert(0, tags);
    }
  }
}

}  // namespace jobmarket::read
