// Salary strings -> Salary. A hand-written tokenizer over the folded string (NFKC +
// case fold, so full-width digits and punctuation are ASCII already), then a small
// grammar over the tokens. Every convention is stated in docs/salary.md.
#include <jobmarket/extract/salary.hpp>


#include <jobmarket/util/scan.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

#include <jobmarket/extract/fx.hpp>
#include <jobmarket/normalize/text.hpp>
#include <jobmarket/util/hash.hpp>
#include <jobmarket/util/utf8.hpp>

namespace jobmarket::extract {

std::string_view period_name(Period p) {
  switch (p) {
    case Period::hour: return "hour";
    case Period::day: return "day";
    case Period::week: return "week";
    case Period::month: return "month";
    case Period::year: return "year";
  }
  return "month";
}

std::optional<Period> period_from_name(std::string_view name) {
  for (Period p : {Period::hour, Period::day, Period::week, Period::month, Period::year}) {
    if (period_name(p) == name) return p;
  }
  return std::nullopt;
}

std::string_view salary_source_name(SalarySource s) {
  return s == SalarySource::field ? "field" : "text";
}

namespace {

enum class Kind { number, currency, dash, period, months, negotiable, estimate, plus, word, sep };

// Multipliers written after a number.
enum class Mult { none, thousand, ten_thousand, million };

double mult_value(Mult m) {
  switch (m) {
    case Mult::none: return 1;
    case Mult::thousand: return 1e3;
    case Mult::ten_thousand: return 1e4;
    case Mult::million: return 1e6;
  }
  return 1;
}

struct Token {
  Kind kind = Kind::sep;
  double value = 0;          // number: as written, before the multiplier
  Mult mult = Mult::none;
  bool symbol = false;       // currency: a sign ($ € £ ¥ ₹ 元), not a code
  bool cjk = false;          // written with a CJK unit (元 万 千 月 天 ...)
  std::string code;          // currency code
  Period period = Period::month;
  std::string word;          // word tokens (lower case)
  bool negative = false;     // number: a minus sign glued to it ("-30K")
  bool exponent = false;     // number: written with an exponent ("1e308")
  std::size_t begin = 0;     // byte offsets in the folded string
  std::size_t end = 0;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return c >= 'a' && c <= 'z'; }

bool starts_with(std::string_view s, std::size_t i, std::string_view prefix) {
  return s.substr(i, prefix.size()) == prefix;
}

// Currency codes recognised as words: those of the built-in table plus a few aliases.
std::optional<std::string> code_for_word(std::string_view w) {
  // "chy": how some English listings of Chinese employers misspell CNY ("CHY $250K-300K").
  if (w == "rmb" || w == "cny" || w == "yuan" || w == "chy") return std::string("CNY");
  if (w.size() != 3) return std::nullopt;
  std::string upper(w);
  for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
  if (FxTable::builtin().has(upper)) return upper;
  return std::nullopt;
}

// "us$", "c$", "hk$"...: the letters before a '$'.
std::optional<std::string> dollar_prefix(std::string_view w) {
  if (w == "us" || w == "usd") return std::string("USD");
  if (w == "c" || w == "ca" || w == "cad") return std::string("CAD");
  if (w == "a" || w == "au" || w == "aud") return std::string("AUD");
  if (w == "hk" || w == "hkd") return std::string("HKD");
  if (w == "s" || w == "sg" || w == "sgd") return std::string("SGD");
  if (w == "nz" || w == "nzd") return std::string("NZD");
  if (w == "r" || w == "brl") return std::string("BRL");
  return std::nullopt;
}

std::optional<Period> period_for_word(std::string_view w) {
  static const std::pair<std::string_view, Period> table[] = {
      {"hour", Period::hour},     {"hours", Period::hour},   {"hourly", Period::hour},
      {"hr", Period::hour},       {"hrs", Period::hour},     {"h", Period::hour},
      {"day", Period::day},       {"daily", Period::day},    {"days", Period::day},
      {"week", Period::week},     {"weekly", Period::week},  {"wk", Period::week},
      {"month", Period::month},   {"monthly", Period::month}, {"mo", Period::month},
      {"mth", Period::month},     {"year", Period::year},    {"yearly", Period::year},
      {"yr", Period::year},       {"annum", Period::year},   {"annually", Period::year},
      {"annual", Period::year},   {"pa", Period::year},      {"years", Period::year},
  };
  for (const auto& [name, p] : table) {
    if (name == w) return p;
  }
  return std::nullopt;
}

struct Lexer {
  std::string_view s;
  std::size_t i = 0;
  std::vector<Token> out;
  // number()'s scratch, kept across the numbers of one string.
  std::vector<std::string_view> groups;
  std::vector<char> seps;

  void push(Kind k) {
    Token t;
    t.kind = k;
    out.push_back(std::move(t));
  }
  void push_currency(std::string code, bool symbol, bool cjk = false) {
    Token t;
    t.kind = Kind::currency;
    t.code = std::move(code);
    t.symbol = symbol;
    t.cjk = cjk;
    out.push_back(std::move(t));
  }
  void push_period(Period p, bool cjk) {
    Token t;
    t.kind = Kind::period;
    t.period = p;
    t.cjk = cjk;
    out.push_back(std::move(t));
  }

  // Reads a number with thousands separators of several locales ("1,200", "60.000",
  // "1 200", "130,000.00", "60.000,50") and a multiplier ("k", "千", "万", "w", "m").
  void number() {
    groups.clear();
    seps.clear();
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    groups.push_back(s.substr(start, i - start));
    while (i + 1 < s.size()) {
      char c = s[i];
      if (c != ',' && c != '.' && c != ' ') break;
      std::size_t j = i + 1;
      while (j < s.size() && is_digit(s[j])) ++j;
      std::size_t len = j - (i + 1);
      if (len == 0) break;
      if (c == ' ') {
        // A space groups thousands only in the strict "1 200 000" shape.
        bool ok = len == 3 && groups.back().size() <= 3 &&
                  (groups.size() == 1 || groups.back().size() == 3) &&
                  (seps.empty() || seps.back() == ' ');
        if (!ok) break;
      }
      seps.push_back(c);
      groups.push_back(s.substr(i + 1, len));
      i = j;
    }
    // "1e308": an exponent is never how pay is written. It is read (so "308" does not
    // become a second amount) and refused by parse_salary.
    bool exponent = false;
    if (i < s.size() && s[i] == 'e') {
      std::size_t k = i + 1;
      if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
      if (k < s.size() && is_digit(s[k])) {
        exponent = true;
        while (k < s.size() && is_digit(s[k])) ++k;
        i = k;
      }
    }
    // Multiplier, glued or after one space for CJK units.
    Mult mult = Mult::none;
    bool cjk_unit = false;
    std::size_t k = i;
    if (k + 1 < s.size() && s[k] == ' ' &&
        (starts_with(s, k + 1, "万") || starts_with(s, k + 1, "千") ||
         (s[k + 1] == 'k' && (k + 2 >= s.size() || !is_alpha(s[k + 2])))))
      ++k;
    if (starts_with(s, k, "万")) {
      mult = Mult::ten_thousand;
      cjk_unit = true;
      i = k + 3;
    } else if (starts_with(s, k, "千")) {
      mult = Mult::thousand;
      cjk_unit = true;
      i = k + 3;
    } else if (k < s.size() && (s[k] == 'k' || s[k] == 'w' || s[k] == 'm') &&
               (k + 1 >= s.size() || !is_alpha(s[k + 1]) ||
                (s[k] == 'm' && starts_with(s, k + 1, "m") &&
                 (k + 2 >= s.size() || !is_alpha(s[k + 2]))))) {
      mult = s[k] == 'k' ? Mult::thousand : s[k] == 'w' ? Mult::ten_thousand : Mult::million;
      i = k + 1;
      if (s[k] == 'm' && i < s.size() && s[i] == 'm') ++i;  // "mm" = million
    }
    // Interpret the separators.
    std::string digits;
    auto all_three = [&](std::size_t from) {
      for (std::size_t g = from; g < groups.size(); ++g) {
        // Indian grouping "12,00,000": pairs before the last three digits.
        bool last = g + 1 == groups.size();
        if (groups[g].size() != 3 && (last || groups[g].size() != 2)) return false;
      }
      return true;
    };
    bool decimal_last = false;
    if (!seps.empty()) {
      char last = seps.back();
      std::size_t count_last = static_cast<std::size_t>(std::count(seps.begin(), seps.end(), last));
      bool mixed = count_last != seps.size();
      if (last == ' ') {
        decimal_last = false;
      } else if (mixed) {
        decimal_last = count_last == 1;  // "130,000.00": the last, different one
      } else if (seps.size() == 1) {
        // One separator: thousands when three digits follow and no multiplier is written
        // ("60.000", "1,200"); otherwise a decimal point ("220.5k", "86.65", "2,5万").
        decimal_last = !(groups.back().size() == 3 && groups.front().size() <= 3 &&
                         mult == Mult::none);
      } else {
        decimal_last = !all_three(1);
      }
    }
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (g > 0 && g + 1 == groups.size() && decimal_last) digits += '.';
      digits.append(groups[g]);
    }
    Token t;
    t.kind = Kind::number;
    t.value = std::strtod(digits.c_str(), nullptr);
    t.mult = mult;
    t.cjk = cjk_unit;
    t.exponent = exponent;
    // "16薪": a month count, not an amount.
    if (mult == Mult::none && starts_with(s, i, "薪") && seps.empty()) {
      t.kind = Kind::months;
      i += 3;
    }
    out.push_back(std::move(t));
  }

  // Whether the minus sign (`len` bytes) at i is the sign of the number right after it
  // ("-30K", "$-30K") rather than a range dash ("30-50K", "30元-50元", "30K/月-50K/月"): a
  // digit follows at once and no amount stands before it (currencies looked through).
  bool sign_of_number(std::size_t len) const {
    if (i + len >= s.size() || !is_digit(s[i + len])) return false;
    for (std::size_t k = out.size(); k > 0; --k) {
      const Kind prev = out[k - 1].kind;
      if (prev == Kind::currency) continue;
      return prev != Kind::number && prev != Kind::months && prev != Kind::period &&
             prev != Kind::dash;
    }
    return true;
  }

  void word() {
    std::size_t start = i;
    while (i < s.size() && is_alpha(s[i])) ++i;
    std::string_view w = s.substr(start, i - start);
    if (i < s.size() && s[i] == '$') {
      if (auto code = dollar_prefix(w)) {
        ++i;
        push_currency(*code, true);
        return;
      }
    }
    if (auto code = code_for_word(w)) {
      push_currency(*code, false);
      return;
    }
    if (auto p = period_for_word(w)) {
      push_period(*p, false);
      return;
    }
    if (w == "to") {
      push(Kind::dash);
      return;
    }
    if (w == "est" || w == "estimate" || w == "estimated") {
      push(Kind::estimate);
      return;
    }
    if (w == "negotiable") {
      push(Kind::negotiable);
      return;
    }
    Token t;
    t.kind = Kind::word;
    t.word = std::string(w);
    out.push_back(std::move(t));
  }

  void run() {
    while (i < s.size()) {
      std::size_t start = i;
      std::size_t count = out.size();
      step();
      for (std::size_t n = count; n < out.size(); ++n) {
        out[n].begin = start;
        out[n].end = i;
      }
    }
  }

  void step() {
    {
      char c = s[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
      } else if (is_digit(c)) {
        number();
      } else if (is_alpha(c)) {
        word();
      } else if (c == '$') {
        ++i;
        push_currency("USD", true);
      } else if (c == '-' && sign_of_number(1)) {
        ++i;
        number();
        out.back().negative = true;
      } else if (c == '-' || c == '~') {
        ++i;
        push(Kind::dash);
      } else if (c == '+') {
        ++i;
        push(Kind::plus);
      } else if (c == '*') {
        ++i;
        push(Kind::estimate);
      } else if (static_cast<unsigned char>(c) < 0x80) {
        ++i;
        push(Kind::sep);
      } else {
        multibyte();
      }
    }
  }

  void multibyte() {
    struct Entry {
      std::string_view text;
      Kind kind;
      const char* code;
      Period period;
    };
    static const Entry table[] = {
        {"–", Kind::dash, "", Period::month},  {"—", Kind::dash, "", Period::month},
        {"−", Kind::dash, "", Period::month},  {"〜", Kind::dash, "", Period::month},
        {"至", Kind::dash, "", Period::month},  {"到", Kind::dash, "", Period::month},
        {"€", Kind::currency, "EUR", Period::month},
        {"£", Kind::currency, "GBP", Period::month},
        {"¥", Kind::currency, "CNY", Period::month},
        {"₹", Kind::currency, "INR", Period::month},
        {"円", Kind::currency, "JPY", Period::month},
        {"元", Kind::currency, "CNY", Period::month},
        {"块", Kind::currency, "CNY", Period::month},
        {"人民币", Kind::currency, "CNY", Period::month},
        {"zł", Kind::currency, "PLN", Period::month},
        {"小时", Kind::period, "", Period::hour}, {"时", Kind::period, "", Period::hour},
        {"天", Kind::period, "", Period::day},    {"日", Kind::period, "", Period::day},
        {"周", Kind::period, "", Period::week},   {"月", Kind::period, "", Period::month},
        {"年", Kind::period, "", Period::year},
        {"薪资面议", Kind::negotiable, "", Period::month},
        {"面议", Kind::negotiable, "", Period::month},
        {"面谈", Kind::negotiable, "", Period::month},  // "薪资面谈"
        {"详谈", Kind::negotiable, "", Period::month},  // "8k-12k,具体可面试详谈"
    };
    if (starts_with(s, i, "每")) {  // "300元每天": "per"
      i += std::string_view("每").size();
      Token t;
      t.kind = Kind::word;
      t.word = "per";
      out.push_back(std::move(t));
      return;
    }
    if (starts_with(s, i, "−") && sign_of_number(std::string_view("−").size())) {
      i += std::string_view("−").size();
      number();
      out.back().negative = true;
      return;
    }
    for (const auto& e : table) {
      if (!starts_with(s, i, e.text)) continue;
      i += e.text.size();
      if (e.kind == Kind::currency) {
        push_currency(e.code, true, e.text != "€" && e.text != "£" && e.text != "₹" &&
                                        e.text != "zł");
      } else if (e.kind == Kind::period) {
        push_period(e.period, true);
      } else {
        push(e.kind);
      }
      return;
    }
    // Any other character: a separator; CJK ideographs mark a Chinese string.
    std::size_t before = i;
    char32_t cp = utf8::decode(s, i);
    if (i == before) ++i;
    Token t;
    t.kind = Kind::sep;
    t.cjk = cp >= 0x4E00 && cp <= 0x9FFF;
    out.push_back(std::move(t));
  }
};

std::vector<Token> lex(std::string_view folded) {
  Lexer lx{folded, 0, {}, {}, {}};
  lx.out.reserve(folded.size() / 3 + 4);  // one allocation instead of a chain of moves
  lx.run();
  return std::move(lx.out);
}

// One amount or range found in the tokens, with what stood next to it.
struct Span {
  double low = 0;
  double high = 0;
  bool low_has_mult = false;
  Mult mult = Mult::none;
  std::string currency;
  std::optional<Period> period;
  bool cjk = false;
  bool range = false;
  bool conflict = false;  // two different currencies
  std::size_t end = 0;  // token index after the span and its trailing words
};

// A low at most this many times the high is a range written high first ("20k-15k",
// "$100,000- $75,000"); further apart ("2024-12") it is not a range of pay at all.
constexpr double kMaxReversedRatio = 3;

// Applies the shared multiplier ("30-50K": K on both sides, but not to a figure already in
// units: "$100,000K - $464,000", where the lexer reads "100,000K" as 100.000 thousand, is
// 100,000-464,000), the lost-thousands rule ("$110- $120,000" is 110,000-120,000) and puts
// a range written high first in order ("20k-15k").
void settle_range(const Token& a, const Token& b, Span& span) {
  Mult ma = a.mult, mb = b.mult;
  if (ma == Mult::none && mb != Mult::none && a.value < 1000) ma = mb;
  if (mb == Mult::none && ma != Mult::none && b.value < 1000) mb = ma;
  span.low = a.value * mult_value(ma);
  span.high = b.value * mult_value(mb);
  span.mult = mb;
  if (a.mult == Mult::none && b.mult == Mult::none && span.low < 1000 && span.high >= 10000 &&
      span.low * 1000 <= span.high)
    span.low *= 1000;
  if (span.low > span.high && span.high > 0 && span.low <= span.high * kMaxReversedRatio)
    std::swap(span.low, span.high);
}

bool skippable_connector(const Token& t) {
  // Punctuation and "(est. hourly pay rate)"; not a CJK ideograph ("150元，每周三天": the
  // 周 of another clause is not the period).
  if ((t.kind == Kind::sep && !t.cjk) || t.kind == Kind::estimate) return true;
  if (t.kind == Kind::word) return t.word == "per" || t.word == "a" || t.word == "an";
  return false;
}

// Reads an amount or range starting at token index k (which is a currency or a number).
// Returns nullopt when k does not start one.
std::optional<Span> read_span(const std::vector<Token>& toks, std::size_t k, bool field_mode) {
  Span span;
  std::size_t j = k;
  bool plain_dollar = false;  // the currency so far is a bare '$', which a code refines
  auto take_currency = [&](std::size_t idx) {
    const Token& c = toks[idx];
    if (c.cjk) span.cjk = true;
    bool is_plain_dollar = c.symbol && c.code == "USD" && c.end - c.begin == 1;
    if (span.currency.empty()) {
      span.currency = c.code;
      plain_dollar = is_plain_dollar;
    } else if (span.currency == c.code) {
    } else if (plain_dollar && !c.symbol) {
      span.currency = c.code;  // "$122,471 CAD"
      plain_dollar = false;
    } else if (!is_plain_dollar) {
      span.conflict = true;  // "$100K - €120K"
    }
  };
  while (j < toks.size() && toks[j].kind == Kind::currency) take_currency(j++);
  if (j >= toks.size() || toks[j].kind != Kind::number) return std::nullopt;
  const Token& a = toks[j++];
  if (a.cjk) span.cjk = true;
  std::size_t after_a = j;
  // Currency written after the first amount ("60000 EUR - 70000 EUR", "30元-50元").
  while (j < toks.size() && toks[j].kind == Kind::currency) take_currency(j++);
  std::size_t m = j;
  bool dash = m < toks.size() && toks[m].kind == Kind::dash;
  // "between $167,200 and $250,800"
  if (!dash && m < toks.size() && toks[m].kind == Kind::word && toks[m].word == "and" &&
      k > 0 && toks[k - 1].kind == Kind::word && toks[k - 1].word == "between")
    dash = true;
  if (dash) ++m;
  while (dash && m < toks.size() && toks[m].kind == Kind::dash) ++m;  // "$135,200 -- $250,900"
  while (m < toks.size() && toks[m].kind == Kind::currency) take_currency(m++);
  bool lost_dash = !dash && field_mode && m > after_a;  // "$230K  $385K": currency between
  if (m < toks.size() && toks[m].kind == Kind::number && (dash || lost_dash)) {
    settle_range(a, toks[m], span);
    if (toks[m].cjk) span.cjk = true;
    span.range = true;
    j = m + 1;
  } else {
    span.low = span.high = a.value * mult_value(a.mult);
    span.mult = a.mult;
  }
  // Trailing currency code, period and connectors: "USD per year", "/hr", "元/天".
  std::size_t t = j;
  std::size_t guard = 0;
  while (t < toks.size() && guard < 6) {
    const Token& x = toks[t];
    if (x.kind == Kind::currency) {
      take_currency(t);
    } else if (x.kind == Kind::period) {
      span.period = x.period;
      if (x.cjk) span.cjk = true;
      ++t;
      break;
    } else if (!skippable_connector(x)) {
      break;
    }
    ++t;
    ++guard;
  }
  span.end = span.period ? t : j;
  return span;
}

bool is_empty_marker(std::string_view folded) {
  return folded.empty() || folded == "-1" || folded == "null" || folded == "nan" ||
         folded == "none" || folded == "n/a" || folded == "na" || folded == "-";
}

// Period when none is written, by the conventions in docs/salary.md.
std::optional<Period> default_period(const std::string& currency, const Span& span,
                                     const SalaryHints& hints) {
  if (hints.default_period) return hints.default_period;
  if (currency == "CNY") {
    // "40万-60万" without a period is yearly; "18-25K", "8000-12000" monthly.
    if (span.mult == Mult::ten_thousand && span.high >= 100000) return Period::year;
    return Period::month;
  }
  if (span.high >= 1000) return Period::year;
  return std::nullopt;  // "$62" with no period: not guessed
}

}  // namespace

bool has_cjk(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    char32_t cp = utf8::decode(s, i);
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)) return true;
  }
  return false;
}

SalaryResult parse_salary(std::string_view raw, const SalaryHints& hints) {
  SalaryResult result;
  // Joined columns arrive as "18-25K\nNULL": fold() makes the newline a space and the
  // "null" word is ignored below.
  std::string folded = normalize::fold(raw);
  if (is_empty_marker(folded)) return result;
  auto fail = [&] {
    result.unparsed = std::string(raw);
    return result;
  };
  std::vector<Token> toks = lex(folded);
  // A sign or an exponent makes the amount something other than pay as people write it:
  // dropping the sign or reading "1e308" as 1 and 308 would be a silent wrong answer.
  for (const auto& t : toks) {
    if (t.kind != Kind::number) continue;
    if (t.negative) result.reason = "negative amount";
    else if (t.exponent) result.reason = "exponent notation";
    else continue;
    return fail();
  }
  Salary sal;
  sal.raw = std::string(raw);
  sal.source = SalarySource::field;
  bool cjk = hints.cjk_context;
  bool negotiable = false;
  std::vector<Span> spans;
  std::vector<std::string> currencies;
  std::vector<Period> periods;
  for (std::size_t k = 0; k < toks.size();) {
    const Token& t = toks[k];
    if (t.kind == Kind::negotiable) {
      negotiable = true;
    } else if (t.kind == Kind::estimate) {
      sal.estimated = true;
    } else if (t.kind == Kind::months) {
      if (t.value < 1 || t.value > 24) return fail();
      sal.months_per_year = static_cast<int>(t.value);
      cjk = true;
    } else if (t.kind == Kind::sep && t.cjk) {
      cjk = true;
    } else if (t.kind == Kind::currency || t.kind == Kind::number) {
      if (auto span = read_span(toks, k, /*field_mode=*/true)) {
        if (span->cjk) cjk = true;
        if (span->conflict) return fail();
        spans.push_back(*span);
        k = std::max(span->end, k + 1);
        continue;
      }
      if (t.kind == Kind::currency) currencies.push_back(t.code);  // "160000\nUSD" order
    } else if (t.kind == Kind::period) {
      periods.push_back(t.period);
    }
    ++k;
  }
  if (spans.empty()) {
    if (negotiable) {
      sal.negotiable = true;
      sal.currency = "";
      result.salary = std::move(sal);
      return result;
    }
    return fail();
  }
  // One currency and one period for the whole string; disagreement is not guessed.
  std::string currency;
  std::optional<Period> period;
  for (const auto& sp : spans) {
    if (!sp.currency.empty()) currencies.push_back(sp.currency);
    if (sp.period) periods.push_back(*sp.period);
  }
  for (const auto& c : currencies) {
    if (currency.empty()) currency = c;
    else if (currency != c) return fail();
  }
  for (const auto& p : periods) {
    if (!period) period = p;
    else if (*period != p) return fail();
  }
  double low = spans.front().low, high = spans.front().high;
  for (const auto& sp : spans) {
    if (sp.low > sp.high) return fail();  // reversed beyond kMaxReversedRatio: not guessed
    low = std::min(low, sp.low);
    high = std::max(high, sp.high);
  }
  Span whole = spans.front();
  whole.low = low;
  whole.high = high;
  for (const auto& sp : spans) {
    if (sp.mult == Mult::ten_thousand) whole.mult = Mult::ten_thousand;
  }
  // No currency written: --default-currency, else what the posting's language implies
  // (docs/salary.md). The period conventions follow the inferred currency.
  if (currency.empty()) {
    currency = !hints.default_currency.empty() ? hints.default_currency : cjk ? "CNY" : "USD";
    sal.currency_inferred = true;
  }
  if (!period) {
    if (sal.currency_inferred && !cjk && hints.default_currency.empty()) {
      // A bare amount of an English listing: yearly (the aijobs survey, "115K+"), unless it
      // is too small to be a year's pay and nothing says so.
      if (!hints.default_period && high < 1000) return fail();
      period = hints.default_period ? *hints.default_period : Period::year;
    } else {
      period = default_period(currency, whole, hints);
      if (!period) return fail();
    }
  }
  if (!(low > 0) || !std::isfinite(high)) return fail();
  if (high >= kMaxSalaryAmount) {
    result.reason = "amount of 10^13 or more";
    return fail();
  }
  sal.low = low;
  sal.high = high;
  sal.currency = currency;
  sal.period = *period;
  sal.negotiable = negotiable;  // "15-25K, negotiable": amounts stated, open to negotiation
  result.salary = std::move(sal);
  return result;
}

namespace {

// Bounds on a believable amount per period in a description, so "$5M in funding" or a
// "$25 gift card" never become a salary. Whole units of the stated currency.
bool plausible_in_text(double low, double high, Period p) {
  double lo = 0, hi = 0;
  switch (p) {
    case Period::hour: lo = 5; hi = 2000; break;
    case Period::day: lo = 40; hi = 20000; break;
    case Period::week: lo = 200; hi = 100000; break;
    case Period::month: lo = 800; hi = 500000; break;
    case Period::year: lo = 10000; hi = 5000000; break;
  }
  return low >= lo && high <= hi && low <= high;
}

// Words that make an amount something other than pay: "$10,000–$2,000,000 in equity",
// "bonus ranging $12,000-$14,000", "$5M in funding".
bool non_pay_word(const Token& t) {
  static const std::string_view words[] = {"bonus", "bonuses", "equity", "stock", "rsu", "rsus",
                                           "signing", "relocation", "stipend", "funding",
                                           "raised", "revenue", "commission", "commissions"};
  if (t.kind != Kind::word) return false;
  return std::find(std::begin(words), std::end(words), t.word) != std::end(words);
}

// True when a word right before the anchor or right after the span says it is not pay.
bool about_something_else(const std::vector<Token>& toks, std::size_t anchor, std::size_t end) {
  for (std::size_t n = 0, k = anchor; n < 3 && k > 0 && toks[k - 1].kind == Kind::word; ++n, --k) {
    if (non_pay_word(toks[k - 1])) return true;
  }
  // "... in equity" / "... bonus", but not "... per year plus equity".
  std::size_t k = end;
  if (k < toks.size() && toks[k].kind == Kind::word && toks[k].word == "in") ++k;
  return k < toks.size() && non_pay_word(toks[k]);
}

}  // namespace

namespace {

// Index of the first "面议" or "相談" (negotiable pay: "薪资面议", "年収額：応相談") in
// p[0, n), or n. One pass over the text for both words, 16 bytes at a time: a candidate is
// a position whose third and sixth bytes are those of either word (the last bytes of its
// two 3-byte characters: continuation bytes spread over 64 values, lead bytes of CJK text
// over a handful), checked in full. Searching a CJK text for a CJK word
// with find() restarts at every lead byte (every third byte); this costs well under an
// instruction a byte.
std::size_t find_negotiable_word(const char* p, std::size_t n) {
  static constexpr std::string_view kA = "面议", kB = "相談";
  static_assert(kA.size() == 6 && kB.size() == 6);
  auto at = [&](std::size_t i) {
    return std::memcmp(p + i, kA.data(), 6) == 0 || std::memcmp(p + i, kB.data(), 6) == 0;
  };
  if (n < 6) return n;
  const std::size_t last = n - 6;  // the last position a word can start at
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i a2 = _mm_set1_epi8(kA[2]), a5 = _mm_set1_epi8(kA[5]);
  const __m128i b2 = _mm_set1_epi8(kB[2]), b5 = _mm_set1_epi8(kB[5]);
  for (; i + 16 <= last + 1; i += 16) {
    __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 2));
    __m128i v5 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 5));
    __m128i m = _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(v2, a2), _mm_cmpeq_epi8(v5, a5)),
                             _mm_and_si128(_mm_cmpeq_epi8(v2, b2), _mm_cmpeq_epi8(v5, b5)));
    for (auto mask = static_cast<unsigned>(_mm_movemask_epi8(m)); mask; mask &= mask - 1) {
      std::size_t k = i + static_cast<std::size_t>(__builtin_ctz(mask));
      if (at(k)) return k;
    }
  }
#endif
  for (; i <= last; ++i)
    if (at(i)) return i;
  return n;
}

// Where a CJK pay word would end before an amount at `digit`: spaces, a colon (":" or "：")
// and a ">" ("薪酬：>30k/月") looked through; npos when the byte there cannot end one
// (most digits of a text: a quick test, this runs at every number).
std::size_t cjk_label_end(std::string_view s, std::size_t digit) {
  std::size_t e = digit;
  while (e > 0 && s[e - 1] == ' ') --e;
  if (e == 0) return std::string_view::npos;
  const char last = s[e - 1];
  if (last != ':' && last != '>' && last != '\x9a' && last != '\xaa' && last != '\x84' &&
      last != '\x87' && last != '\xb4' && last != '\xac')
    return std::string_view::npos;  // none of ':', '>', "：", "薪", "资", "酬", "水", "遇"
  if (s[e - 1] == '>') --e;
  if (e >= 1 && s[e - 1] == ':') --e;
  else if (e >= 3 && s.substr(e - 3, 3) == "：") e -= 3;
  while (e > 0 && s[e - 1] == ' ') --e;
  return e;
}

// "薪资", "薪酬", "工资", "待遇", "薪水" right before an amount ("薪酬：>30k/月", "薪资：8000元/月"):
// the amount is pay, like one after a currency sign.
bool cjk_pay_word_before(std::string_view s, std::size_t digit) {
  const std::size_t e = cjk_label_end(s, digit);
  if (e == std::string_view::npos || e < 6) return false;
  const std::string_view w = s.substr(e - 6, 6);
  return w == "薪资" || w == "薪酬" || w == "工资" || w == "待遇" || w == "薪水";
}

// "时薪", "日薪", "周薪", "月薪", "年薪" (hourly, daily... pay) right before an amount at
// `digit` ("时薪：150元", "日薪 200-300元"): the period of that amount. Works on the folded
// text (":") and the raw one ("：").
std::optional<Period> cjk_pay_period_before(std::string_view s, std::size_t digit) {
  const std::size_t e = cjk_label_end(s, digit);
  if (e == std::string_view::npos || e < 6 || s.substr(e - 3, 3) != "薪") return std::nullopt;
  static const std::pair<std::string_view, Period> table[] = {
      {"时", Period::hour}, {"日", Period::day}, {"周", Period::week},
      {"月", Period::month}, {"年", Period::year}};
  const std::string_view unit = s.substr(e - 6, 3);
  for (const auto& [w, p] : table)
    if (unit == w) return p;
  return std::nullopt;
}

bool ascii_letter(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// A currency code of three letters, any case, starting at i and ending at e (a word of
// its own): "EUR", "gbp".
bool code_between(std::string_view s, std::size_t i, std::size_t e) {
  if (e - i != 3 || (i > 0 && ascii_letter(s[i - 1])) || (e < s.size() && ascii_letter(s[e])))
    return false;
  char w[3];
  for (std::size_t k = 0; k < 3; ++k) {
    if (!ascii_letter(s[i + k])) return false;
    w[k] = static_cast<char>(s[i + k] | 0x20);
  }
  return code_for_word(std::string_view(w, 3)).has_value();
}

// A currency code starting at i ("60000 EUR": i after the number and a space).
bool code_at(std::string_view s, std::size_t i) {
  return i + 3 <= s.size() && ascii_letter(s[i]) && code_between(s, i, i + 3);
}

// A currency code ending right before b, or before one space ("EUR 60,000", "GBP45k").
bool code_before_digit(std::string_view s, std::size_t b) {
  std::size_t e = b;
  if (e > 0 && s[e - 1] == ' ') --e;
  return e >= 3 && ascii_letter(s[e - 1]) && code_between(s, e - 3, e);
}

// A range of whole amounts of ten thousand or more, written with thousands separators and
// no currency ("120,000 - 150,000", "120.000 - 150.000"), starting at `digit`: an English
// listing's pay when a pay word stands before it ("Salary: 120.000 - 150.000 yearly"). The
// separators tell an amount of money from a count ("10000-20000 requests").
bool bare_grouped_range(std::string_view s, std::size_t digit) {
  std::size_t i = digit;
  auto grouped = [&] {
    const std::size_t from = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    const std::size_t lead = i - from;
    if (lead == 0 || lead > 3) return false;
    int groups = 0;
    while (i + 3 < s.size() && (s[i] == ',' || s[i] == '.') && is_digit(s[i + 1]) &&
           is_digit(s[i + 2]) && is_digit(s[i + 3]) && (i + 4 >= s.size() || !is_digit(s[i + 4]))) {
      i += 4;
      ++groups;
    }
    return groups >= 2 || (groups == 1 && lead >= 2);
  };
  if (!grouped()) return false;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i < s.size() && (s[i] == '-' || s[i] == '~')) {
    ++i;
  } else if (starts_with(s, i, "–") || starts_with(s, i, "—")) {
    i += 3;
  } else {
    return false;
  }
  while (i < s.size() && s[i] == ' ') ++i;
  return grouped() && (i >= s.size() || (!is_digit(s[i]) && s[i] != '%'));
}

// A text without any of these states no pay range the search would take: a currency sign
// or code, a number written with thousands, 万 or 元 or after ¥ or 时薪/日薪... ("15-25K",
// "20-35万", "15000元", "￥35,000", "日薪：300"), or negotiable pay ("薪资面议", "応相談")
// anywhere (one pass, find_negotiable_word). Every posting without a salary field passes
// through here: the other multi-byte tests look only at the bytes around digits, since
// searching a CJK text for a CJK word with find() restarts at every lead byte.
bool may_state_pay(std::string_view text) {
  if (text.find('$') != std::string_view::npos || text.find("€") != std::string_view::npos ||
      text.find("£") != std::string_view::npos || text.find("usd") != std::string_view::npos ||
      text.find("USD") != std::string_view::npos)
    return true;
  const char* p = text.data();
  const std::size_t n = text.size();
  if (find_negotiable_word(p, n) < n) return true;
  for (std::size_t i = scan::find_digit(p, n); i < n;) {
    std::size_t b = i > 0 && p[i - 1] == ' ' ? i - 1 : i;
    if (bare_grouped_range(text, i)) return true;  // "Salary: 120,000 - 150,000"
    if ((b >= 2 && starts_with(text, b - 2, "¥")) || (b >= 3 && starts_with(text, b - 3, "￥")))
      return true;
    if (cjk_pay_period_before(text, i) || cjk_pay_word_before(text, i)) return true;
    if (code_before_digit(text, b)) return true;  // "EUR 60,000"
    while (i + 1 < n && (is_digit(p[i + 1]) || p[i + 1] == ',' || p[i + 1] == '.')) ++i;
    std::size_t j = i + 1;
    if (j < n && p[j] == ' ') ++j;
    if (j < n && (p[j] == 'k' || p[j] == 'K')) return true;
    if (starts_with(text, j, "万") || starts_with(text, j, "千") || starts_with(text, j, "元")) return true;
    if (code_at(text, j)) return true;  // "60000 EUR"
    if (j >= n) break;
    i = j + scan::find_digit(p + j, n - j);
  }
  return false;
}

// A range of thousands or 万 starting at `digit` with no currency before it ("15-25k",
// "20~35万"): how Chinese postings write monthly (K) or yearly (万) pay, and English ones
// a yearly range after a pay word ("the base salary range is 120k - 130k").
bool bare_range(std::string_view s, std::size_t digit) {
  std::size_t i = digit;
  auto digits = [&] {
    std::size_t from = i;
    while (i < s.size() && (is_digit(s[i]) || s[i] == '.')) ++i;
    return i > from;
  };
  if (!digits()) return false;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i < s.size() && (s[i] == 'k' || starts_with(s, i, "千"))) i += s[i] == 'k' ? 1 : 3;  // "15k-25k"
  while (i < s.size() && s[i] == ' ') ++i;
  if (i < s.size() && (s[i] == '-' || s[i] == '~')) {
    ++i;
  } else if (starts_with(s, i, "–") || starts_with(s, i, "—") || starts_with(s, i, "到") ||
             starts_with(s, i, "至")) {
    i += 3;
  } else {
    return false;
  }
  while (i < s.size() && s[i] == ' ') ++i;
  if (!digits()) return false;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i < s.size() && s[i] == 'k') return i + 1 >= s.size() || !is_alpha(s[i + 1]);
  return starts_with(s, i, "万") || starts_with(s, i, "元");  // "15000~30000元/月"
}

// A pay word shortly before `at` in folded English text: what lets a bare range of
// thousands be read as pay there ("salary range: 120k - 130k").
bool pay_word_before(std::string_view s, std::size_t at) {
  const std::size_t from = at > 48 ? at - 48 : 0;
  const std::string_view before = s.substr(from, at - from);
  for (std::string_view w : {"salary", "pay", "compensation", "wage", "base", "range", "ote"})
    if (before.find(w) != std::string_view::npos) return true;
  return false;
}

// A range with no currency starting at `digit` of `window` that is pay: in a Chinese text
// any range of thousands or 万; in an English one, after a pay word (looked for in `text`,
// the whole folded text, before `at`, where the digit is in it), a range of thousands
// ("120k - 130k") or of whole amounts grouped in thousands ("98,100 - 171,398").
bool bare_pay_range(std::string_view window, std::size_t digit, bool cjk, std::string_view text,
                    std::size_t at) {
  if (bare_range(window, digit)) return cjk || pay_word_before(text, at);
  return !cjk && bare_grouped_range(window, digit) && pay_word_before(text, at);
}

// Where an amount may follow a currency sign or code: a digit that starts a number, with
// only spaces between it and a '$', '€', '£', '₹', 'zł' or a currency word before it. Every
// amount the text search can take (a currency token right before a number token) is at
// one of these; most are not.
bool after_currency(std::string_view s, std::size_t digit) {
  std::size_t e = digit;
  while (e > 0 && s[e - 1] == ' ') --e;
  if (e == 0) return false;
  if (s[e - 1] == '$') return true;
  auto ends_with = [&](std::string_view t) { return e >= t.size() && s.substr(e - t.size(), t.size()) == t; };
  if (ends_with("€") || ends_with("£") || ends_with("₹") || ends_with("zł") || ends_with("¥"))
    return true;
  std::size_t b = e;
  while (b > 0 && is_alpha(s[b - 1])) --b;
  return b < e && code_for_word(s.substr(b, e - b)).has_value();
}

// Whether the number starting at `digit` is followed by a currency code or sign ("45 USD
// per hour", "60000 EUR", "75 € an hour"): a number, an optional multiplier, spaces, then
// the currency.
bool before_currency(std::string_view s, std::size_t digit) {
  std::size_t i = digit;
  while (i < s.size() && (is_digit(s[i]) || s[i] == ',' || s[i] == '.')) ++i;
  if (i < s.size() && (s[i] == 'k' || s[i] == 'm')) ++i;
  while (i < s.size() && s[i] == ' ') ++i;
  if (starts_with(s, i, "€") || starts_with(s, i, "£")) return true;
  std::size_t e = i;
  while (e < s.size() && is_alpha(s[e])) ++e;
  return e > i && (e >= s.size() || s[e] != '$') && code_for_word(s.substr(i, e - i)).has_value();
}

// Byte ranges of `folded` around every such digit, cut at spaces that no number or
// multiplier runs across, merged when they overlap. The tokens of a range are those of
// the whole text there; the context the search reads around an amount ("between ... and",
// three words before, "a year", "in equity" after) is well inside the margins.
std::vector<std::pair<std::size_t, std::size_t>> amount_windows(std::string_view s, bool cjk) {
  constexpr std::size_t kBefore = 64, kAfter = 160;
  auto clean_cut = [&](std::size_t at) {  // at is a space, no digit on either side
    return s[at] == ' ' && (at == 0 || !is_digit(s[at - 1])) &&
           (at + 1 >= s.size() || !is_digit(s[at + 1]));
  };
  std::vector<std::pair<std::size_t, std::size_t>> windows;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1]))) continue;
    if (!after_currency(s, i) && !before_currency(s, i) && !cjk_pay_period_before(s, i) &&
        !cjk_pay_word_before(s, i) && !bare_pay_range(s, i, cjk, s, i))
      continue;
    std::size_t b = i > kBefore ? i - kBefore : 0;
    while (b > 0 && !clean_cut(b)) --b;
    std::size_t e = std::min(s.size(), i + kAfter);
    while (e < s.size() && !clean_cut(e)) ++e;
    if (!windows.empty() && b <= windows.back().second) windows.back().second = std::max(windows.back().second, e);
    else windows.emplace_back(b, e);
  }
  return windows;
}

}  // namespace

SalaryResult find_salary_in_text(std::string_view text) {
  if (!may_state_pay(text)) return {};
  return find_salary_in_folded(normalize::fold(text));
}

namespace {

bool word_is(const Token& t, std::initializer_list<std::string_view> words) {
  if (t.kind != Kind::word) return false;
  for (auto w : words)
    if (t.word == w) return true;
  return false;
}

// "Min Hiring Rate $18.35 Max Hiring Rate $22.93", "minimum $100,000, maximum $150,000": a
// lone amount after "min" and one of the same currency after "max" are the two ends of
// one range. Widens `span` (read at k) to it and returns true.
bool pair_min_max(const std::vector<Token>& toks, std::size_t k, Span& span) {
  bool min_before = false;
  for (std::size_t n = 0, i = k; n < 4 && i > 0; ++n, --i)
    min_before = min_before || word_is(toks[i - 1], {"min", "minimum"});
  if (!min_before) return false;
  std::size_t i = span.end;
  while (i < toks.size() && i < span.end + 4 && !word_is(toks[i], {"max", "maximum"})) {
    if (toks[i].kind != Kind::word && toks[i].kind != Kind::sep) return false;
    ++i;
  }
  if (i >= toks.size() || !word_is(toks[i], {"max", "maximum"})) return false;
  const std::size_t limit = i + 5;
  for (++i; i < toks.size() && i < limit; ++i) {
    if (toks[i].kind == Kind::currency) break;
    if (toks[i].kind != Kind::word && toks[i].kind != Kind::sep) return false;
  }
  if (i >= toks.size() || i >= limit) return false;
  auto high = read_span(toks, i, /*field_mode=*/false);
  if (!high || high->range || high->conflict || high->currency != span.currency) return false;
  if (span.period && high->period && *span.period != *high->period) return false;
  if (!(span.low <= high->high)) return false;
  span.high = high->high;
  span.range = true;
  if (!span.period) span.period = high->period;
  span.end = high->end;
  return true;
}

// The period of a range stated without one, from its size ("$50—$60 USD", a minimum and a
// maximum hiring rate of $18.35 and $22.93): up to 200 an hour; from 200 to under 1000 a
// day. Larger ranges are yearly (the caller's rule).
std::optional<Period> period_from_size(const Span& span) {
  if (span.high <= 200) return Period::hour;
  if (span.low >= 200 && span.high < 1000) return Period::day;
  return std::nullopt;
}

// A word right after a range that makes it a count of something, not a rate of pay
// ("$5-$10 million", "$20 - $30 per share", "$10-$20 off").
bool unit_word_after(const std::vector<Token>& toks, std::size_t end) {
  std::size_t i = end;
  while (i < toks.size() && i < end + 2 && (toks[i].kind == Kind::currency || toks[i].kind == Kind::plus))
    ++i;
  return i < toks.size() &&
         word_is(toks[i], {"million", "billion", "thousand", "mn", "bn", "b", "mm", "per", "a",
                           "an", "in", "of", "off", "for", "worth", "each", "value"});
}

// The period named by a word shortly before an amount ("The hourly rate for this position
// is $18.50", "Pay Type Hourly Min Hiring Rate $18.35"): the nearest period word among the
// six words before the anchor at k, not past another number or amount.
std::optional<Period> period_word_before(const std::vector<Token>& toks, std::size_t k) {
  for (std::size_t n = 0, i = k; n < 6 && i > 0; ++n, --i) {
    const Token& t = toks[i - 1];
    if (t.kind == Kind::period && !t.cjk) return t.period;
    if (t.kind != Kind::word && t.kind != Kind::sep) break;
  }
  return std::nullopt;
}

// "rate" among the four words before the anchor at k ("Rate: $65 on C2C", "MAX BILL RATE:
// $65"): a lone amount there is a rate, its period read from its size.
bool rate_word_before(const std::vector<Token>& toks, std::size_t k) {
  for (std::size_t n = 0, i = k; n < 4 && i > 0; ++n, --i) {
    const Token& t = toks[i - 1];
    if (word_is(t, {"rate"})) return true;
    if (t.kind != Kind::word && t.kind != Kind::sep && t.kind != Kind::dash) break;  // "Rate-$75.87"
  }
  return false;
}

// "salary:", "base salary:", "pay:", "compensation:" right before the anchor at k; also
// written with a dash and "up to" ("Base – up to $200,000", a listing's bullet).
bool pay_label_before(std::string_view folded, const std::vector<Token>& toks, std::size_t k) {
  // "to" is lexed as a range dash.
  if (k >= 2 && toks[k - 1].kind == Kind::dash && word_is(toks[k - 2], {"up"})) k -= 2;
  if (k < 2) return false;
  const bool colon = toks[k - 1].kind == Kind::sep && folded[toks[k - 1].begin] == ':';
  return (colon || toks[k - 1].kind == Kind::dash) &&
         word_is(toks[k - 2], {"salary", "pay", "compensation", "wage", "wages", "base"});
}

}  // namespace

SalaryResult find_salary_in_folded(std::string_view text_folded) {
  SalaryResult result;
  std::optional<Salary> best;
  const bool cjk = has_cjk(text_folded);
  // Only the windows around possible amounts are tokenized, not the whole description
  // (which took a fifth of the analysis time of postings with a "$" in their text).
  for (const auto& [from, to] : amount_windows(text_folded, cjk)) {
    const std::string_view folded = text_folded.substr(from, to - from);
    std::vector<Token> toks = lex(folded);
    for (std::size_t k = 0; k < toks.size(); ++k) {
      const Token& t = toks[k];
      // Anchor: a currency sign or code directly before a number ("¥" too, not a "元" that
      // follows one); a number followed by a currency code ("45 USD per hour"); a number
      // after 时薪/日薪/月薪... ("日薪：300元"); or in a Chinese text a bare range of
      // thousands or 万.
      const bool signed_amount = t.kind == Kind::currency &&
                                 (!t.cjk || starts_with(folded, t.begin, "¥")) &&
                                 k + 1 < toks.size() && toks[k + 1].kind == Kind::number;
      const bool lone_number =
          !signed_amount && t.kind == Kind::number && (k == 0 || toks[k - 1].kind != Kind::currency);
      const std::optional<Period> lead = cjk_pay_period_before(folded, t.begin);
      const bool after_pay_period =
          lone_number && (lead.has_value() || cjk_pay_word_before(folded, t.begin));
      const bool bare = lone_number && !after_pay_period &&
                        bare_pay_range(folded, t.begin, cjk, text_folded, from + t.begin);
      if (!signed_amount && !lone_number) continue;
      // The second half of a range whose first half was not an amount the search takes
      // (",000-$130,000 per year" at the edge of a snippet): not an amount of its own.
      if (k >= 2 && toks[k - 1].kind == Kind::dash && toks[k - 2].kind == Kind::number) continue;
      // A code before a sign names the currency ("CHY $250K-300K/year", "CAD $120,000").
      const bool code_before = signed_amount && k > 0 && toks[k - 1].kind == Kind::currency &&
                               !toks[k - 1].cjk && !toks[k - 1].symbol;
      auto span = read_span(toks, code_before ? k - 1 : k, /*field_mode=*/false);
      if (!span || span->conflict) continue;
      if (lone_number && !after_pay_period && !bare) {
        // Else only a currency code or sign right after one of its numbers ("45 USD",
        // "60000 - 70000 EUR") makes a lone number an amount.
        bool coded = false;
        for (std::size_t n = k + 1; n < toks.size() && n <= span->end; ++n)
          coded = coded || (toks[n].kind == Kind::currency && !toks[n].cjk &&
                            toks[n - 1].kind == Kind::number);
        if (!coded) continue;
      }
      if (bare && !span->range) continue;
      if (!span->range && !span->period) pair_min_max(toks, k, *span);
      // "$-5,000" or "$1e9" in a description is not a pay range (parse_salary refuses them).
      bool odd_number = false;
      for (std::size_t n = k; n < span->end && n < toks.size(); ++n)
        odd_number = odd_number || toks[n].negative || toks[n].exponent;
      if (odd_number) {  // and not its second half either
        k = std::max(k, span->end > 0 ? span->end - 1 : k);
        continue;
      }
      if (about_something_else(toks, k, span->end)) {
        k = std::max(k, span->end > 0 ? span->end - 1 : k);
        continue;
      }
      const std::string currency = !span->currency.empty() ? span->currency
                                   : cjk                   ? "CNY"
                                                           : "USD";
      // 时薪/日薪... name the period before the amount; it wins over a period word after it
      // ("时薪：150元，每周至少三天" is hourly).
      std::optional<Period> period = lead ? lead : span->period;
      if (!period && currency != "CNY") period = period_word_before(toks, code_before ? k - 1 : k);
      if (!period) {
        if (currency == "CNY") {
          // Chinese conventions: K a month, 万 a year (docs/salary.md).
          auto p = default_period("CNY", *span, SalaryHints{});
          if (!p || !span->range) continue;
          period = *p;
        } else {
          // A lone "$5M" or "$10,000" is not a pay range, unless a pay label stands right
          // before it ("Salary: $130,000 +").
          const bool rate = !span->range && span->high < 1000 && rate_word_before(toks, k);
          if (!span->range && !rate && !(span->high >= 1000 && pay_label_before(folded, toks, k)))
            continue;
          if (span->high >= 1000) {
            period = Period::year;
          } else {
            // A rate by its size ("$50—$60 USD", "Rate: $65 on C2C"), near a pay word, not
            // "$5-$10 million".
            period = period_from_size(*span);
            if (!period || unit_word_after(toks, span->end) ||
                !(rate || pay_word_before(text_folded, from + t.begin)))
              continue;
          }
        }
      }
      if (!plausible_in_text(span->low, span->high, *period)) {
        k = std::max(k, span->end > 0 ? span->end - 1 : k);
        continue;
      }
      std::string matched(folded.substr(t.begin, toks[span->end - 1].end - t.begin));
      if (!best) {
        Salary s;
        s.raw = matched;
        s.low = span->low;
        s.high = span->high;
        s.currency = currency;
        s.currency_inferred = span->currency.empty();
        // In the clause after the range: "15000~30000元/月，具体面议", "8k-12k,具体可面试详谈",
        // "$82,000-$129,000+/negotiable"; not a parenthesis that limits it ("(特别优秀者面议)"),
        // nor past the next amount.
        for (std::size_t n = span->end; n < toks.size() && n < span->end + 8; ++n) {
          const Token& x = toks[n];
          if (x.kind == Kind::number) break;
          if (x.kind == Kind::sep) {
            const char c = folded[x.begin];
            if (c == '(' && n + 1 < toks.size() && toks[n + 1].kind == Kind::negotiable)
              s.negotiable = true;  // "(negotiable)"
            if (c == '(' || c == ';' || starts_with(folded, x.begin, "。")) break;
          }
          if (x.kind == Kind::negotiable) s.negotiable = true;
          if (n < span->end + 4 && x.kind == Kind::months && x.value >= 1 && x.value <= 24)
            s.months_per_year = static_cast<int>(x.value);  // "40-60k·18薪"
        }
        s.period = *period;
        s.source = SalarySource::text;
        best = std::move(s);
      } else if (best->currency == currency && best->period == *period) {
        // Several regional ranges: one from the lowest low to the highest high.
        best->low = std::min(*best->low, span->low);
        best->high = std::max(*best->high, span->high);
        best->raw += "; ";
        best->raw += matched;
      }
      k = std::max(k, span->end > 0 ? span->end - 1 : k);
    }
  }
  if (!best) {
    // No amount, but pay stated as negotiable anywhere in the text ("薪资面议", "【薪资】
    // 面议", "具体待遇，面议", "年収額：応相談"): one pass for the two words
    // (find_negotiable_word), then a pay word before 面议 (spaces, ':', ',', '】' and 可
    // between), or 応/要 right before 相談.
    static const std::string_view pay_words[] = {"薪资范围", "薪酬范围", "薪资", "薪酬", "工资",
                                                 "待遇", "薪水", "月薪", "年薪"};
    static const std::string_view gaps[] = {" ", ":", ",", "】", "可"};
    const char* p = text_folded.data();
    const std::size_t n = text_folded.size();
    for (std::size_t at = find_negotiable_word(p, n); at < n && !best;) {
      std::size_t from = at;  // where the pay word and the negotiable word start
      if (starts_with(text_folded, at, "面议")) {
        std::size_t e = at;
        for (int step = 0; step < 4; ++step) {
          bool gap = false;
          for (auto g : gaps) {
            if (e >= g.size() && text_folded.substr(e - g.size(), g.size()) == g) {
              e -= g.size();
              gap = true;
              break;
            }
          }
          if (!gap) break;
        }
        for (auto w : pay_words) {
          if (e >= w.size() && text_folded.substr(e - w.size(), w.size()) == w) {
            from = e - w.size();
            break;
          }
        }
      } else if (at >= 3 && (text_folded.substr(at - 3, 3) == "応" ||
                             text_folded.substr(at - 3, 3) == "要")) {
        from = at - 3;
      }
      if (from < at) {
        Salary s;
        s.raw = std::string(text_folded.substr(from, at + 6 - from));
        s.negotiable = true;
        s.source = SalarySource::text;
        best = std::move(s);
        break;
      }
      at += 6;
      at += find_negotiable_word(p + at, n - at);
    }
  }
  if (best) result.salary = std::move(best);
  return result;
}

const SalaryResult& SalaryMemo::parse(std::string_view raw, const SalaryHints& hints) {
  if (raw.size() > kMaxLength) {
    m_long = parse_salary(raw, hints);
    return m_long;
  }
  if (m_slots.empty()) m_slots.resize(kSlots);
  Slot& slot = m_slots[util::hash64(raw, hints.cjk_context ? 1 : 0) % kSlots];
  if (slot.used && slot.raw == raw && slot.hints == hints) {
    ++m_hits;
    return slot.result;
  }
  slot.result = parse_salary(raw, hints);
  slot.raw.assign(raw);
  slot.hints = hints;
  slot.used = true;
  return slot.result;
}

namespace {

// The hints for a posting's salary field: a Chinese posting reads a bare "18-25K" as CNY.
SalaryHints field_hints(const Posting& posting, const SalaryHints& hints) {
  SalaryHints h = hints;
  const std::string& field = posting.get(Field::salary);
  if (!h.cjk_context)
    h.cjk_context = has_cjk(field) || has_cjk(posting.title()) || has_cjk(posting.text());
  return h;
}

}  // namespace

void extract_salary(const Posting& posting, const SalaryHints& hints,
                    const std::string* text_folded, SalaryMemo& memo, SalaryResult& out) {
  const std::string& field = posting.get(Field::salary);
  if (!field.empty()) {
    out = memo.parse(field, field_hints(posting, hints));
    return;
  }
  out = extract_salary(posting, hints, text_folded);
}

SalaryResult extract_salary(const Posting& posting, const SalaryHints& hints,
                            const std::string* text_folded) {
  const std::string& field = posting.get(Field::salary);
  if (!field.empty()) return parse_salary(field, field_hints(posting, hints));
  SalaryResult found;
  if (!text_folded) found = find_salary_in_text(posting.text());
  else if (may_state_pay(posting.text())) found = find_salary_in_folded(*text_folded);
  // Pay the description does not state may stand in the title ("Lead ML Engineer - up to
  // $250k-$350k"); read with the description's rules.
  if (!found.salary) {
    if (auto in_title = find_salary_in_text(posting.title()); in_title.salary) return in_title;
  }
  return found;
}

}  // namespace jobmarket::extract
