// Salary parsing, annualization and the rate table: every format of issue 4 and the
// edge cases (one-sided ranges, plus signs, spaces, full-width forms, k/K/千/万/元,
// thousands separators of several locales).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include <jobmarket/extract/fx.hpp>
#include <jobmarket/extract/salary.hpp>

namespace je = jobmarket::extract;
using je::Period;

namespace {

struct Want {
  double low;
  double high;
  std::string currency;
  Period period;
  std::optional<int> months = std::nullopt;
  bool estimated = false;
};

::testing::AssertionResult parses_to(const std::string& raw, const Want& w,
                                     const je::SalaryHints& hints = {}) {
  auto r = je::parse_salary(raw, hints);
  if (!r.salary)
    return ::testing::AssertionFailure() << "'" << raw << "' not parsed"
                                         << (r.unparsed ? " (unparsed)" : " (empty)");
  const auto& s = *r.salary;
  std::string got = std::to_string(s.low.value_or(-1)) + " " + std::to_string(s.high.value_or(-1)) +
                    " " + s.currency + " " + std::string(je::period_name(s.period)) + " " +
                    std::to_string(s.months_per_year.value_or(0)) + " " +
                    (s.estimated ? "est" : "-");
  std::string want = std::to_string(w.low) + " " + std::to_string(w.high) + " " + w.currency +
                     " " + std::string(je::period_name(w.period)) + " " +
                     std::to_string(w.months.value_or(0)) + " " + (w.estimated ? "est" : "-");
  if (got != want || s.negotiable || s.raw != raw)
    return ::testing::AssertionFailure() << "'" << raw << "': got " << got << ", want " << want;
  return ::testing::AssertionSuccess();
}

je::SalaryHints cjk() {
  je::SalaryHints h;
  h.cjk_context = true;
  return h;
}

}  // namespace

TEST(SalaryParse, BossFormats) {
  EXPECT_TRUE(parses_to("30-50K·16薪", {30000, 50000, "CNY", Period::month, 16}));
  EXPECT_TRUE(parses_to("50-80K·15薪", {50000, 80000, "CNY", Period::month, 15}));
  EXPECT_TRUE(parses_to("100-150k·14薪", {100000, 150000, "CNY", Period::month, 14}));
  EXPECT_TRUE(parses_to("120-200K", {120000, 200000, "CNY", Period::month}, cjk()));
  EXPECT_TRUE(parses_to("150-180元/天", {150, 180, "CNY", Period::day}));
  EXPECT_TRUE(parses_to("1000-1200元/周", {1000, 1200, "CNY", Period::week}));
  EXPECT_TRUE(parses_to("30-35元/时", {30, 35, "CNY", Period::hour}));
  EXPECT_TRUE(parses_to("2-3万/月", {20000, 30000, "CNY", Period::month}));
  EXPECT_TRUE(parses_to("40万-60万/年", {400000, 600000, "CNY", Period::year}));
  EXPECT_TRUE(parses_to("11000-13000元/月", {11000, 13000, "CNY", Period::month}));
}

TEST(SalaryParse, JoinedColumns) {
  EXPECT_TRUE(parses_to("18-25K\n13薪", {18000, 25000, "CNY", Period::month, 13}));
  EXPECT_TRUE(parses_to("18-25K\nNULL", {18000, 25000, "CNY", Period::month}, cjk()));
  EXPECT_TRUE(parses_to("150-200元/天\nNULL", {150, 200, "CNY", Period::day}));
  EXPECT_TRUE(parses_to("160000\nUSD", {160000, 160000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("5000000\nJPY", {5000000, 5000000, "JPY", Period::year}));
}

TEST(SalaryParse, Negotiable) {
  for (const char* raw : {"薪资面议", "面议", "Negotiable", "Salary negotiable"}) {
    auto r = je::parse_salary(raw);
    ASSERT_TRUE(r.salary) << raw;
    EXPECT_TRUE(r.salary->negotiable) << raw;
    EXPECT_FALSE(r.salary->low) << raw;
    EXPECT_FALSE(r.salary->high) << raw;
    EXPECT_FALSE(r.unparsed);
  }
  // Amounts beside the word are kept: the pay is stated and open to negotiation (found by
  // fuzz_salary when the fuzz target still assumed negotiable meant "no amount").
  auto stated = je::parse_salary("15-25K, negotiable");
  ASSERT_TRUE(stated.salary);
  EXPECT_TRUE(stated.salary->negotiable);
  EXPECT_EQ(*stated.salary->low, 15000);
  EXPECT_EQ(*stated.salary->high, 25000);
  // "Competitive" is not a statement of negotiability: not guessed, listed as unparsed.
  auto r = je::parse_salary("Competitive");
  EXPECT_FALSE(r.salary);
  ASSERT_TRUE(r.unparsed);
  EXPECT_EQ(*r.unparsed, "Competitive");
}

TEST(SalaryParse, GlassdoorFormats) {
  EXPECT_TRUE(parses_to("$53K-$91K (Glassdoor est.)", {53000, 91000, "USD", Period::year, {}, true}));
  EXPECT_TRUE(parses_to("$21-$34 Per Hour(Glassdoor est.)", {21, 34, "USD", Period::hour, {}, true}));
  EXPECT_TRUE(parses_to("$79K-$131K(Employer est.)", {79000, 131000, "USD", Period::year, {}, true}));
  EXPECT_TRUE(parses_to("Employer Provided Salary:$120K-$140K", {120000, 140000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("Employer Provided Salary:$39-$53 Per Hour", {39, 53, "USD", Period::hour}));
}

TEST(SalaryParse, CurrencyInferredWhenTheStringStatesNone) {
  // English listing: USD; a Chinese posting (cjk_context): CNY; --default-currency wins
  // over both; a written currency is never inferred.
  auto bare = je::parse_salary(" 84K+");
  ASSERT_TRUE(bare.salary);
  EXPECT_EQ(bare.salary->currency, "USD");
  EXPECT_TRUE(bare.salary->currency_inferred);
  je::SalaryHints cjk;
  cjk.cjk_context = true;
  auto boss = je::parse_salary("18-25K", cjk);
  EXPECT_EQ(boss.salary->currency, "CNY");
  EXPECT_EQ(boss.salary->period, je::Period::month);
  EXPECT_TRUE(boss.salary->currency_inferred);
  je::SalaryHints eur;
  eur.default_currency = "EUR";
  eur.cjk_context = true;
  EXPECT_EQ(je::parse_salary("129K+ *", eur).salary->currency, "EUR");
  EXPECT_TRUE(je::parse_salary("129K+ *", eur).salary->currency_inferred);
  auto stated = je::parse_salary("GBP 45K+", eur);
  EXPECT_EQ(stated.salary->currency, "GBP");
  EXPECT_FALSE(stated.salary->currency_inferred);
  auto months = je::parse_salary("30-50K·16薪");  // 薪 makes the string Chinese
  EXPECT_EQ(months.salary->currency, "CNY");
  EXPECT_TRUE(months.salary->currency_inferred);
}

TEST(SalaryParse, PayInChineseAndEnglishTextWithoutASign) {
  auto month = je::find_salary_in_text("### 测试工程师 薪资待遇：15000~30000元/月，具体面议");
  ASSERT_TRUE(month.salary);
  EXPECT_EQ(*month.salary->low, 15000);
  EXPECT_EQ(*month.salary->high, 30000);
  EXPECT_EQ(month.salary->currency, "CNY");
  EXPECT_EQ(month.salary->period, je::Period::month);
  EXPECT_TRUE(month.salary->negotiable);
  auto k = je::find_salary_in_text("【薪资范围】 应届生：8k ~ 12k");
  ASSERT_TRUE(k.salary);
  EXPECT_EQ(*k.salary->high, 12000);
  EXPECT_TRUE(k.salary->currency_inferred);
  auto yen = je::find_salary_in_text("💰 月薪范围：¥35,000–¥45,000（特别优秀者面议）");
  ASSERT_TRUE(yen.salary);
  EXPECT_EQ(yen.salary->currency, "CNY");
  EXPECT_EQ(*yen.salary->low, 35000);
  auto en = je::find_salary_in_text("the anticipated base salary range for the position is 120k - 130k.");
  ASSERT_TRUE(en.salary);
  EXPECT_EQ(en.salary->currency, "USD");
  EXPECT_EQ(en.salary->period, je::Period::year);
  // A bare range without a pay word in English text is not pay; nor is a negotiable word
  // alone outside the compound forms.
  EXPECT_FALSE(je::find_salary_in_text("we process 10k - 20k requests per second").salary);
  auto hourly = je::find_salary_in_text("$42.00 - $60.00 (est. hourly pay rate)");
  ASSERT_TRUE(hourly.salary);
  EXPECT_EQ(hourly.salary->period, je::Period::hour);
  auto card = je::find_salary_in_text("杭州-西湖区\n40-60k·18薪\n3-5年");
  ASSERT_TRUE(card.salary);
  EXPECT_EQ(card.salary->months_per_year, 18);
  auto open = je::find_salary_in_text("上海-浦东新区 薪资面议 5-10年 博士");
  ASSERT_TRUE(open.salary);
  EXPECT_TRUE(open.salary->negotiable);
  EXPECT_FALSE(open.salary->low);
}

TEST(SalaryParse, OtherEnglishFormats) {
  EXPECT_TRUE(parses_to("$230K  $385K  Offers Equity", {230000, 385000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("$189K  $220.5K  Offers Equity  $189K  $220.5K  Commission",
                        {189000, 220500, "USD", Period::year}));
  EXPECT_TRUE(parses_to(" 115K+ *", {115000, 115000, "USD", Period::year, {}, true}));
  je::SalaryHints usd;
  usd.default_currency = "USD";
  EXPECT_TRUE(parses_to(" 108K+", {108000, 108000, "USD", Period::year}, usd));
  EXPECT_TRUE(parses_to("$110- $120,000", {110000, 120000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("$62/hr", {62, 62, "USD", Period::hour}));
  EXPECT_TRUE(parses_to("$200k/yr", {200000, 200000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("GBP 45K+", {45000, 45000, "GBP", Period::year}));
  EXPECT_TRUE(parses_to("EUR 81K", {81000, 81000, "EUR", Period::year}));
  EXPECT_TRUE(parses_to("USD 120,000 - 180,000 per year", {120000, 180000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("$150,000 - $200,000 a year", {150000, 200000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("$80.00 to $86.65/hr", {80, 86.65, "USD", Period::hour}));
  EXPECT_TRUE(parses_to("$118,000-182,000 per year", {118000, 182000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("$120,000 – $130,000 annually", {120000, 130000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("C$90,000 - C$110,000", {90000, 110000, "CAD", Period::year}));
  EXPECT_TRUE(parses_to("£40,000 - £50,000", {40000, 50000, "GBP", Period::year}));
}

TEST(SalaryParse, LocaleSeparators) {
  EXPECT_TRUE(parses_to("€60.000–€75.000", {60000, 75000, "EUR", Period::year}));
  EXPECT_TRUE(parses_to("€60.000,50 - €75.000,00", {60000.5, 75000, "EUR", Period::year}));
  EXPECT_TRUE(parses_to("1,200 元/周", {1200, 1200, "CNY", Period::week}));
  EXPECT_TRUE(parses_to("1 200 - 1 500 元/周", {1200, 1500, "CNY", Period::week}));
  EXPECT_TRUE(parses_to("CHF 120 000 - 140 000", {120000, 140000, "CHF", Period::year}));
  EXPECT_TRUE(parses_to("$130,000.00 - $230,000.00", {130000, 230000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("₹12,00,000", {1200000, 1200000, "INR", Period::year}));
}

TEST(SalaryParse, FullWidthAndCjkUnits) {
  EXPECT_TRUE(parses_to("３０－５０Ｋ·１６薪", {30000, 50000, "CNY", Period::month, 16}));
  EXPECT_TRUE(parses_to("１５０～１８０元／天", {150, 180, "CNY", Period::day}));
  EXPECT_TRUE(parses_to("8千-1.2万/月", {8000, 12000, "CNY", Period::month}));
  EXPECT_TRUE(parses_to("1.5万-2万", {15000, 20000, "CNY", Period::month}));
  EXPECT_TRUE(parses_to("30万-50万", {300000, 500000, "CNY", Period::year}));
  EXPECT_TRUE(parses_to("20-30k", {20000, 30000, "CNY", Period::month}, cjk()));
  EXPECT_TRUE(parses_to("20-30K", {20000, 30000, "CNY", Period::month}, cjk()));
  EXPECT_TRUE(parses_to("20k-30k", {20000, 30000, "CNY", Period::month}, cjk()));
  EXPECT_TRUE(parses_to("8000-12000元", {8000, 12000, "CNY", Period::month}));
  EXPECT_TRUE(parses_to("¥25,000 – ¥35,000 / 月", {25000, 35000, "CNY", Period::month}));
  EXPECT_TRUE(parses_to("200元/天", {200, 200, "CNY", Period::day}));
  EXPECT_TRUE(parses_to("20 - 30 K", {20000, 30000, "CNY", Period::month}, cjk()));
}

TEST(SalaryParse, OneSidedAndPlus) {
  EXPECT_TRUE(parses_to("15K+", {15000, 15000, "CNY", Period::month}, cjk()));
  EXPECT_TRUE(parses_to("GBP 45K", {45000, 45000, "GBP", Period::year}));
  EXPECT_TRUE(parses_to("$120K+", {120000, 120000, "USD", Period::year}));
}

TEST(SalaryParse, EmptyMarkersGiveNoSalary) {
  for (const char* raw : {"", "-1", "NULL", "nan", " ", "N/A"}) {
    auto r = je::parse_salary(raw);
    EXPECT_FALSE(r.salary) << raw;
    EXPECT_FALSE(r.unparsed) << raw;
  }
}

TEST(SalaryParse, ReversedRangesPutInOrder) {
  // A range written high first is put in order when its ends are within a factor of 3.
  EXPECT_TRUE(parses_to("20k-15k", {15000, 20000, "CNY", Period::month}, cjk()));
  EXPECT_TRUE(parses_to("50-30K", {30000, 50000, "CNY", Period::month}, cjk()));
  EXPECT_TRUE(parses_to("$100,000- $75,000", {75000, 100000, "USD", Period::year}));
  // Further apart it is no range of pay: reported, not guessed.
  auto r = je::parse_salary("2024-12", cjk());
  EXPECT_FALSE(r.salary);
  ASSERT_TRUE(r.unparsed);
  EXPECT_EQ(*r.unparsed, "2024-12");
  EXPECT_TRUE(je::parse_salary("90-20K").unparsed);
}

TEST(SalaryParse, MultiplierNotSharedWithAFigureInUnits) {
  // "100,000K" beside "$464,000" is a typo for 100,000, not 100 million.
  EXPECT_TRUE(parses_to("$100,000K - $464,000", {100000, 464000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("$100,000 - $150,000K", {100000, 150000, "USD", Period::year}));
  EXPECT_TRUE(parses_to("8000-1.2万/月", {8000, 12000, "CNY", Period::month}));
  // Shared as before when the figure without it is small.
  EXPECT_TRUE(parses_to("$150-160k", {150000, 160000, "USD", Period::year}));
}

TEST(SalaryParse, RatesAndCjkPayPeriods) {
  EXPECT_TRUE(parses_to("$45/hr", {45, 45, "USD", Period::hour}));
  EXPECT_TRUE(parses_to("$45 an hour", {45, 45, "USD", Period::hour}));
  EXPECT_TRUE(parses_to("45 USD per hour", {45, 45, "USD", Period::hour}));
  EXPECT_TRUE(parses_to("时薪200元", {200, 200, "CNY", Period::hour}));
  EXPECT_TRUE(parses_to("日薪300-400", {300, 400, "CNY", Period::day}));
  EXPECT_TRUE(parses_to("CHY 250K-300K/year", {250000, 300000, "CNY", Period::year}));
  auto talk = je::parse_salary("8-12K 面谈");
  ASSERT_TRUE(talk.salary);
  EXPECT_TRUE(talk.salary->negotiable);
}

TEST(SalaryParse, NeverGuessed) {
  // Two different currencies or periods in one string are not guessed.
  EXPECT_TRUE(je::parse_salary("$100K - €120K").unparsed);
  EXPECT_TRUE(je::parse_salary("$30/hr or $60,000/yr").unparsed);
  // A small figure with no currency and no period is not guessed.
  EXPECT_TRUE(je::parse_salary("62").unparsed);
  EXPECT_TRUE(je::parse_salary("$62").unparsed);
  EXPECT_TRUE(je::parse_salary("see description").unparsed);
  // The hints fill what the string leaves open; the string always wins.
  je::SalaryHints h;
  h.default_currency = "EUR";
  h.default_period = Period::hour;
  EXPECT_TRUE(parses_to("62", {62, 62, "EUR", Period::hour}, h));
  EXPECT_TRUE(parses_to("$62/day", {62, 62, "USD", Period::day}, h));
}

TEST(SalaryText, UsPayTransparencyForms) {
  auto text = [](const std::string& t) { return je::find_salary_in_text(t); };
  struct Case {
    const char* text;
    double low, high;
    const char* currency;
    Period period;
  } cases[] = {
      {"Pay: $150,000 - $200,000 a year. Benefits...", 150000, 200000, "USD", Period::year},
      {"The base pay range for this role is $140K - $220K.", 140000, 220000, "USD", Period::year},
      {"Rate: $80.00 to $86.65/hr on W2", 80, 86.65, "USD", Period::hour},
      {"Salary $118,000-182,000 per year plus equity", 118000, 182000, "USD", Period::year},
      {"$120,000 – $130,000 annually", 120000, 130000, "USD", Period::year},
      {"Salary: $65,000 - $75,000 per annum", 65000, 75000, "USD", Period::year},
      {"Compensation: $120,000 -$140,000\nApply now", 120000, 140000, "USD", Period::year},
      {"Pay $30-$32 per hour", 30, 32, "USD", Period::hour},
      {"$15-$20 / hr", 15, 20, "USD", Period::hour},
      {"range is $110- $120,000 depending on experience", 110000, 120000, "USD", Period::year},
      {"We raised $5M in funding. Offer: $152,000 to $205,000. Also a 401k plan.", 152000,
       205000, "USD", Period::year},
      {"CA: $140,100—$210,100 USD\nWA: $130,000—$200,000 USD", 130000, 210100, "USD",
       Period::year},
      {"US: $120,800 - $275,750 USD + equity. Canada: $122,471 - $279,565 CAD + equity.",
       120800, 275750, "USD", Period::year},
      {"Hourly: $62/hr", 62, 62, "USD", Period::hour},
      {"The U.S. pay range is $135,200 -- $250,900 annually.", 135200, 250900, "USD", Period::year},
      {"The range is $170,000–$350,000 cash, $10,000–$2,000,000 in equity", 170000, 350000, "USD",
       Period::year},
      {"$113,000-$130,000 per year, plus additional bonus ranging $12,000-$14,000.", 113000,
       130000, "USD", Period::year},
      {"the base pay range is between $167,200 and $250,800 for the level", 167200, 250800,
       "USD", Period::year},
  };
  for (const auto& c : cases) {
    auto r = text(c.text);
    ASSERT_TRUE(r.salary) << c.text;
    EXPECT_EQ(*r.salary->low, c.low) << c.text;
    EXPECT_EQ(*r.salary->high, c.high) << c.text;
    EXPECT_EQ(r.salary->currency, c.currency) << c.text;
    EXPECT_EQ(r.salary->period, c.period) << c.text;
    EXPECT_EQ(r.salary->source, je::SalarySource::text) << c.text;
    EXPECT_FALSE(r.unparsed);
  }
}

TEST(SalaryText, RatesReversedRangesAndOtherShapes) {
  struct Case {
    const char* text;
    double low, high;
    const char* currency;
    Period period;
  } cases[] = {
      // Reversed, and a K after a figure already in units.
      {"Data Specialist Atlanta, GA $100,000- $75,000 Our Client", 75000, 100000, "USD",
       Period::year},
      {"The range for this role is $100,000K - $464,000.", 100000, 464000, "USD", Period::year},
      // A rate by its size, without a period, near a pay word.
      {"The pay for this role in New York: $50—$60 USD. What we offer", 50, 60, "USD",
       Period::hour},
      {"Contract pay: £450 - £550 depending on experience", 450, 550, "GBP", Period::day},
      // A minimum and a maximum amount: one range.
      {"Pay Type Hourly Min Hiring Rate $18.35 Max Hiring Rate $22.93", 18.35, 22.93, "USD",
       Period::hour},
      {"Salary: minimum $100,000, maximum $150,000 per year", 100000, 150000, "USD",
       Period::year},
      // A currency code after the number.
      {"Rate: 45 USD per hour", 45, 45, "USD", Period::hour},
      {"Salary 60000 - 70000 EUR per year", 60000, 70000, "EUR", Period::year},
      {"Rate: $45 an hour", 45, 45, "USD", Period::hour},
      // 时薪, 日薪, 年薪 before an amount give its period.
      {"岗位待遇：时薪：150元，每周至少三天", 150, 150, "CNY", Period::hour},
      {"实习生日薪 200-300元", 200, 300, "CNY", Period::day},
      {"年薪 60-80k，十三薪", 60000, 80000, "CNY", Period::year},
      {"Salary Range: CHY $250K-300K/year", 250000, 300000, "CNY", Period::year},
      // A lone amount right after a pay label: with its period (Chinese), yearly-sized
      // (English).
      {"薪酬：>30k/月，具体需依据offer定级确定。", 30000, 30000, "CNY", Period::month},
      {"工作地点：北京 薪资：8000元/月", 8000, 8000, "CNY", Period::month},
      {"Job Type: regular, full-time\n\nSalary: $130,000 +\n\nBenefits", 130000, 130000, "USD",
       Period::year},
      {"💰 Base – up to $200,000\n\n📍 Location – Carlsbad, CA", 200000, 200000, "USD", Period::year},
      // A period word or "rate" shortly before a lone amount.
      {"The hourly rate for this position is $18.50 and will be", 18.5, 18.5, "USD", Period::hour},
      {"The annual salary for this role is $120,000 depending on", 120000, 120000, "USD",
       Period::year},
      {"Location: San Jose CA\n * Rate: $65 on C2C\n * Client", 65, 65, "USD", Period::hour},
      {"Job location- Remote\n\nRate-$75.87 on w2", 75.87, 75.87, "USD", Period::hour},
      // Whole amounts grouped in thousands after a pay word, no currency: an English
      // listing's yearly pay (USD, inferred).
      {"Salary range\n\n120.000 - 150.000 yearly, stock options", 120000, 150000, "USD",
       Period::year},
      {"Job Type: Full-Time Salary\n\nSalary range: 98,100 - 171,398", 98100, 171398, "USD",
       Period::year},
      {"Compensation: 85,000–95,000.", 85000, 95000, "USD", Period::year},
  };
  for (const auto& c : cases) {
    auto r = je::find_salary_in_text(c.text);
    ASSERT_TRUE(r.salary) << c.text;
    EXPECT_EQ(*r.salary->low, c.low) << c.text;
    EXPECT_EQ(*r.salary->high, c.high) << c.text;
    EXPECT_EQ(r.salary->currency, c.currency) << c.text;
    EXPECT_EQ(r.salary->period, c.period) << c.text;
  }
  // Not rates: counts of money, a range's second half alone, something else after "min".
  for (const char* t : {"Salary fund: $5-$10 million", "Pay $20 - $30 per share",
                        ",000-$130,000 per year, plus eligibility", "Min order $20 Max $5,000",
                        "Pay $150 - $400", "Salary: $500 gift card", "Pay: $10,000 signing bonus",
                        "薪资：8000", "薪资：15-25", "Annual $2,000 learning budget",
                        "an annual bonus of $20,000", "interest rate: $5,000 loans",
                        // grouped ranges: a count, no pay word, thousands only, a version
                        "We serve 10,000 - 20,000 users", "pay: 1,000-2,000 users",
                        "Salary grows 10,000-20,000%", "Salary: 12,345-67,8901"}) {
    EXPECT_FALSE(je::find_salary_in_text(t).salary) << t;
  }
}

TEST(SalaryText, NegotiableInTheClauseOrAnywhere) {
  auto talk = je::find_salary_in_text("岗位为初级岗位薪资范围8k-12k,具体可面试详谈任职要求：1、大专");
  ASSERT_TRUE(talk.salary);
  EXPECT_EQ(*talk.salary->low, 8000);
  EXPECT_TRUE(talk.salary->negotiable);
  // A parenthesis that limits it to some candidates does not make the range negotiable.
  auto some = je::find_salary_in_text("💰 月薪范围：¥35,000–¥45,000（特别优秀者面议）");
  ASSERT_TRUE(some.salary);
  EXPECT_FALSE(some.salary->negotiable);
  auto paren = je::find_salary_in_text("Salary: $82,000-$129,000 (negotiable)");
  ASSERT_TRUE(paren.salary);
  EXPECT_TRUE(paren.salary->negotiable);
  // Negotiable pay with no amount, far past the first KiB (a long Japanese text).
  std::string filler;
  for (int i = 0; i < 200; ++i) filler += "機械学習の研究開発を行います。";
  auto deep = je::find_salary_in_text(filler + "年収額：応相談。" + filler);
  ASSERT_TRUE(deep.salary);
  EXPECT_TRUE(deep.salary->negotiable);
  EXPECT_EQ(deep.salary->raw, "応相談");
  EXPECT_FALSE(deep.salary->low);
  auto cn = je::find_salary_in_text(filler + "工作地点：上海 薪资面议" + filler);
  ASSERT_TRUE(cn.salary);
  EXPECT_EQ(cn.salary->raw, "薪资面议");
  // A pay word, then spaces, a colon, a comma, a bracket or 可, then 面议.
  auto card = je::find_salary_in_text(filler + "【薪资】\n面议\n【地点】上海" + filler);
  ASSERT_TRUE(card.salary);
  EXPECT_TRUE(card.salary->negotiable);
  EXPECT_EQ(card.salary->raw, "薪资】 面议");
  auto colon = je::find_salary_in_text("职位：算法工程师 薪资范围：面议");
  ASSERT_TRUE(colon.salary);
  EXPECT_EQ(colon.salary->raw, "薪资范围:面议");
  auto comma = je::find_salary_in_text("具体待遇，面议");
  ASSERT_TRUE(comma.salary);
  EXPECT_EQ(comma.salary->raw, "待遇,面议");
  // "面议" alone (an interview arrangement) is not negotiable pay.
  EXPECT_FALSE(je::find_salary_in_text(filler + "时间面议" + filler).salary);
}

TEST(SalaryText, IgnoresNonSalaryAmounts) {
  for (const char* t :
       {"We raised $5M in seed funding from top investors.", "401k matching and a $500 budget",
        "a $10,000 signing bonus", "Revenue: $1 to $5 million (USD)", "up to $2,000 annual bonus",
        "We have 300-500 employees", "", "no money here"}) {
    auto r = je::find_salary_in_text(t);
    EXPECT_FALSE(r.salary) << t;
    EXPECT_FALSE(r.unparsed) << t;
  }
}

TEST(SalaryText, RawIsTheMatchedRange) {
  auto r = je::find_salary_in_text("Intro. The base pay range for this role is $150,000 - $200,000 a year. Bye");
  ASSERT_TRUE(r.salary);
  EXPECT_EQ(r.salary->raw, "$150,000 - $200,000 a year");
}

// Only windows around possible amounts are tokenized: ranges far apart in a long text,
// their context words and amounts in other currencies must read as in a short one.
TEST(SalaryText, LongTextsReadLikeShortOnes) {
  std::string filler;
  for (int i = 0; i < 300; ++i) filler += "We build 3 products with 20 teams in 2024. ";
  auto r = je::find_salary_in_text(filler + "Pay is between $150,000 and $200,000 per year. " + filler +
                                   "In New York: $160,000 - $210,000 a year. " + filler);
  ASSERT_TRUE(r.salary);
  EXPECT_EQ(*r.salary->low, 150000);
  EXPECT_EQ(*r.salary->high, 210000);
  EXPECT_EQ(r.salary->raw, "$150,000 and $200,000 per year; $160,000 - $210,000 a year");
  EXPECT_FALSE(je::find_salary_in_text(filler + "and $50,000 - $80,000 in equity. " + filler).salary);
  EXPECT_FALSE(je::find_salary_in_text(filler + "a $10,000 signing bonus " + filler).salary);
  auto eur = je::find_salary_in_text(filler + "USD budget. Salary EUR 60,000 - 75,000 per year. " + filler);
  ASSERT_TRUE(eur.salary);
  EXPECT_EQ(eur.salary->currency, "EUR");
  // Thousands grouped with spaces right at the edge of a window stay one number.
  auto spaced = je::find_salary_in_text(filler + "$120 000 - $140 000 per year " + filler);
  ASSERT_TRUE(spaced.salary);
  EXPECT_EQ(*spaced.salary->low, 120000);
}

// Pay that only the title states is read from the title, after the description.
TEST(SalaryExtract, TitleAfterTheDescription) {
  jobmarket::Posting p;
  p.get(jobmarket::Field::title) = "Lead Machine Learning Engineer - up to $250k-$350k";
  p.get(jobmarket::Field::text) = "We build LLM products.";
  auto r = je::extract_salary(p);
  ASSERT_TRUE(r.salary);
  EXPECT_EQ(*r.salary->low, 250000);
  EXPECT_EQ(*r.salary->high, 350000);
  EXPECT_EQ(r.salary->source, je::SalarySource::text);
  p.get(jobmarket::Field::text) = "Base pay range: $200,000 - $240,000 per year.";
  r = je::extract_salary(p);
  ASSERT_TRUE(r.salary);
  EXPECT_EQ(*r.salary->low, 200000);  // the description first
  jobmarket::Posting q;
  q.get(jobmarket::Field::title) = "ML Engineer (Series B, raised $20M)";
  EXPECT_FALSE(je::extract_salary(q).salary);
}

TEST(SalaryExtract, FieldFirstThenText) {
  jobmarket::Posting p;
  p.get(jobmarket::Field::title) = "大模型算法工程师";
  p.get(jobmarket::Field::salary) = "18-25K\nNULL";
  auto r = je::extract_salary(p);
  ASSERT_TRUE(r.salary);
  EXPECT_EQ(r.salary->currency, "CNY");
  EXPECT_EQ(r.salary->period, Period::month);
  EXPECT_EQ(r.salary->source, je::SalarySource::field);
  jobmarket::Posting q;
  q.get(jobmarket::Field::title) = "ML Engineer";
  q.get(jobmarket::Field::text) = "Salary: $65,000 - $75,000 per annum";
  r = je::extract_salary(q);
  ASSERT_TRUE(r.salary);
  EXPECT_EQ(r.salary->source, je::SalarySource::text);
  EXPECT_EQ(*r.salary->low, 65000);
  jobmarket::Posting e;
  r = je::extract_salary(e);
  EXPECT_FALSE(r.salary);
  EXPECT_FALSE(r.unparsed);
}

// The memo must return what parse_salary returns: for repeats, for strings whose slots
// collide (more strings than slots), for the same string under other hints, and for strings
// too long to keep.
TEST(SalaryMemo, AnswersAsParseDoes) {
  auto same = [](const je::SalaryResult& a, const je::SalaryResult& b) {
    if (a.unparsed != b.unparsed || a.salary.has_value() != b.salary.has_value()) return false;
    if (!a.salary) return true;
    const auto& x = *a.salary;
    const auto& y = *b.salary;
    return x.low == y.low && x.high == y.high && x.currency == y.currency &&
           x.period == y.period && x.months_per_year == y.months_per_year &&
           x.negotiable == y.negotiable && x.estimated == y.estimated && x.source == y.source &&
           x.raw == y.raw;
  };
  std::vector<std::string> strings = {"18-25K", "18-25K·14薪", "面议", "$80K-$160K", "-1", "",
                                      "40万-60万", "120000", "abc", "2-3万/月", "200-300元/天"};
  for (int k = 0; k < 3000; ++k) strings.push_back(std::to_string(10 + k % 90) + "-" +
                                                   std::to_string(100 + k) + "K");
  strings.push_back("$" + std::string(70, '1') + " per year");  // over kMaxLength
  je::SalaryMemo memo;
  je::SalaryHints cn;
  cn.cjk_context = true;
  je::SalaryHints usd;
  usd.default_currency = "USD";
  usd.default_period = Period::year;
  je::SalaryHints eur = usd;  // same slot as usd (the hash reads only the CJK flag)
  eur.default_currency = "EUR";
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& s : strings)
      for (const auto* h : {&cn, &usd, &eur}) {
        ASSERT_TRUE(same(memo.parse(s, *h), je::parse_salary(s, *h))) << s;
      }
  EXPECT_GT(memo.hits(), 0u);
}

TEST(Fx, BuiltinTableIsDatedAndComplete) {
  const auto& fx = je::FxTable::builtin();
  EXPECT_EQ(fx.date(), "2025-02-28");
  EXPECT_EQ(fx.base(), "USD");
  EXPECT_FALSE(fx.source().empty());
  for (const char* code : {"CNY", "USD", "EUR", "GBP", "CAD", "AUD", "INR", "JPY", "CHF", "SGD",
                           "HKD", "PLN", "BRL", "PHP", "DKK", "HUF", "TRY", "CZK", "MXN", "ILS",
                           "ZAR", "NOK", "THB", "SEK", "NZD", "CLP"})
    EXPECT_TRUE(fx.has(code)) << code;
  EXPECT_EQ(*fx.rate("USD"), 1.0);
  EXPECT_NEAR(*fx.convert(7.5782, "CNY", "EUR"), 1.0, 1e-5);
  EXPECT_FALSE(fx.convert(1, "XXX", "USD"));
}

// rate() answers from a packed index; it must agree with the table it was built from, for
// every code in it and for codes close to them that are not.
TEST(Fx, LookupAgreesWithTheTable) {
  const auto& fx = je::FxTable::builtin();
  ASSERT_GT(fx.rates().size(), 20u);
  for (const auto& [code, r] : fx.rates()) {
    ASSERT_TRUE(fx.rate(code)) << code;
    EXPECT_EQ(*fx.rate(code), r) << code;
    std::string lower = code;
    for (auto& c : lower) c = static_cast<char>(c - 'A' + 'a');
    EXPECT_FALSE(fx.rate(lower)) << lower;
    EXPECT_FALSE(fx.rate(code + "X")) << code;
    EXPECT_FALSE(fx.rate(code.substr(0, 2))) << code;
  }
  for (const char* absent : {"", "AAA", "ZZZ", "XXX", "CN", "CNYY", "C\xC3\x91Y"})
    EXPECT_FALSE(fx.rate(absent)) << absent;
}

TEST(Fx, LoadErrorsNameTheFile) {
  auto bad = [](const char* json) {
    auto t = je::FxTable::load(json, "my.json");
    return t ? std::string("ok") : t.error();
  };
  EXPECT_EQ(bad("{"), "my.json: not valid JSON");
  EXPECT_EQ(bad("[]"), "my.json: expected a JSON object");
  EXPECT_EQ(bad(R"({"base":"USD","rates":{}})"), "my.json: \"date\" must be a YYYY-MM-DD string");
  EXPECT_EQ(bad(R"({"date":"2025-01-01","base":"usd","rates":{}})"),
            "my.json: \"base\" must be a 3-letter upper-case currency code");
  EXPECT_EQ(bad(R"({"date":"2025-01-01","base":"USD"})"),
            "my.json: \"rates\" must be an object of currency code to number");
  EXPECT_EQ(bad(R"({"date":"2025-01-01","base":"USD","rates":{"eur":1}})"),
            "my.json: rate key \"eur\" is not a 3-letter upper-case currency code");
  EXPECT_EQ(bad(R"({"date":"2025-01-01","base":"USD","rates":{"EUR":-1}})"),
            "my.json: rate of EUR must be a positive number");
  EXPECT_EQ(bad(R"({"date":"2025-01-01","base":"USD","rates":{"USD":2}})"),
            "my.json: rate of the base currency USD must be 1");
  auto ok = je::FxTable::load(R"({"date":"2024-01-01","base":"EUR","rates":{"USD":0.9}})", "x");
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok->rate("EUR"), 1.0);
  EXPECT_NEAR(*ok->convert(100, "USD", "EUR"), 90, 1e-9);
}

TEST(Annualize, Conventions) {
  const auto& fx = je::FxTable::builtin();
  je::SalaryConventions c;
  auto annual = [&](const std::string& raw, const char* cur) {
    auto r = je::parse_salary(raw);
    EXPECT_TRUE(r.salary) << raw;
    return je::annualize(*r.salary, c, fx, cur);
  };
  auto a = annual("30-50K·16薪", "CNY");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->low, 480000);
  EXPECT_EQ(a->high, 800000);
  EXPECT_EQ(a->mid, 640000);
  EXPECT_EQ(a->currency, "CNY");
  EXPECT_FALSE(a->outlier);
  a = annual("2-3万/月", "CNY");
  EXPECT_EQ(a->low, 240000);  // 12 months unless N薪
  a = annual("150-180元/天", "CNY");
  EXPECT_EQ(a->low, 150 * 250.0);
  a = annual("1000-1200元/周", "CNY");
  EXPECT_EQ(a->high, 1200 * 52.0);
  a = annual("$21-$34 Per Hour(Glassdoor est.)", "USD");
  EXPECT_EQ(a->low, 21 * 2080.0);
  a = annual("160000\nUSD", "CNY");
  EXPECT_NEAR(a->low, 160000 * 1.0 / 0.137381, 1e-6);
  // Options change the conventions.
  c.days_per_year = 261;
  a = annual("150-180元/天", "CNY");
  EXPECT_EQ(a->low, 150 * 261.0);
}

TEST(Annualize, OutliersAndReasons) {
  const auto& fx = je::FxTable::builtin();
  je::SalaryConventions c;
  auto annual = [&](const std::string& raw) {
    auto r = je::parse_salary(raw);
    EXPECT_TRUE(r.salary) << raw;
    return je::annualize(*r.salary, c, fx, "CNY");
  };
  EXPECT_TRUE(annual("5元/月")->outlier);             // a monthly salary of 5 yuan
  EXPECT_TRUE(annual("5000万/年")->outlier);          // an annual one of 50 million
  EXPECT_TRUE(annual("500-260000元/月")->outlier);    // a low end of 500 a month
  EXPECT_FALSE(annual("10-15K·13薪")->outlier);
  auto n = annual("面议");
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error(), je::NotAnnual::negotiable);
  EXPECT_EQ(je::not_annual_name(n.error()), "negotiable");
  je::Salary no_code;  // a salary whose currency is not known (a user's --fx table lacks it)
  no_code.low = no_code.high = 1000;
  no_code.period = je::Period::month;
  auto u = je::annualize(no_code, c, fx, "CNY");
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error(), je::NotAnnual::unknown_currency);
  auto r = je::parse_salary("GBP 45K+");
  EXPECT_FALSE(je::annualize(*r.salary, c, fx, "XYZ"));
}

// ---- SalarySummary -------------------------------------------------------------------

#include <jobmarket/aggregate/salary_summary.hpp>

namespace {

using jobmarket::aggregate::SalarySummary;
using jobmarket::aggregate::SalarySummaryOptions;
using jobmarket::classify::Direction;
using jobmarket::extract::Education;

struct Row {
  Direction direction;
  std::optional<Education> education;
  std::optional<int> years;
  std::string salary;
  bool cjk = true;  // the posting is Chinese
};

void add_rows(SalarySummary& s, const std::vector<Row>& rows) {
  const auto& fx = je::FxTable::builtin();
  je::SalaryConventions c;
  for (const auto& row : rows) {
    je::SalaryHints h;
    h.cjk_context = row.cjk;
    auto r = je::parse_salary(row.salary, h);
    std::optional<jobmarket::Expected<je::AnnualSalary, je::NotAnnual>> annual;
    if (r.salary) annual.emplace(je::annualize(*r.salary, c, fx, s.options().currency));
    s.add(row.direction, row.education, row.years, r, annual);
  }
}

std::vector<Row> sample_rows() {
  std::vector<Row> rows;
  // 40 research postings for fresh master's at 30-50K·16薪 (640k mid) and 20-30K (300k).
  for (int i = 0; i < 30; ++i) rows.push_back({Direction::research, Education::master, 0, "30-50K·16薪"});
  for (int i = 0; i < 10; ++i) rows.push_back({Direction::research, Education::phd, 1, "20-30K"});
  // Seniors: 100-150K·14薪 is 1.4M-2.1M a year.
  for (int i = 0; i < 3; ++i) rows.push_back({Direction::research, Education::bachelor, 5, "100-150K·14薪"});
  rows.push_back({Direction::engineering, Education::bachelor, 3, "面议"});
  rows.push_back({Direction::engineering, std::nullopt, std::nullopt, "see description"});
  rows.push_back({Direction::engineering, std::nullopt, std::nullopt, "see description"});
  rows.push_back({Direction::engineering, std::nullopt, std::nullopt, "5元/月"});
  rows.push_back({Direction::other, std::nullopt, std::nullopt, ""});
  rows.push_back({Direction::other, std::nullopt, std::nullopt, " 115K+ *", false});
  return rows;
}

}  // namespace

TEST(SalarySummary, CountsQuantilesAndInsufficient) {
  SalarySummary s;
  add_rows(s, sample_rows());
  auto j = s.to_json();
  EXPECT_EQ(j["currency"], "CNY");
  EXPECT_EQ(j["overall"]["postings"], 49);
  EXPECT_EQ(j["overall"]["with_salary"], 48);
  EXPECT_EQ(j["overall"]["parsed"], 45);
  EXPECT_EQ(j["overall"]["negotiable"], 1);
  EXPECT_EQ(j["overall"]["unparsed"], 2);
  // " 115K+ *" states no currency: inferred USD (an English string), so it is counted.
  EXPECT_EQ(j["overall"]["unknown_currency"], 0);
  EXPECT_EQ(j["overall"]["outliers"], 1);
  EXPECT_EQ(j["overall"]["estimated"], 1);
  EXPECT_EQ(j["overall"]["in_statistics"], 44);
  EXPECT_EQ(j["overall"]["insufficient"], false);
  const auto& research = j["directions"]["research"];
  EXPECT_EQ(research["in_statistics"], 43);
  // 10 values of 300k then 30 of 640k then 3 of 1.75M: the median is 640k within 0.5%.
  EXPECT_NEAR(research["annual_mid"]["median"].get<double>(), 640000, 640000 * 0.005);
  EXPECT_NEAR(research["annual_mid"]["p10"].get<double>(), 300000, 300000 * 0.005);
  EXPECT_EQ(research["annual_low"]["mean"], (30 * 480000 + 10 * 240000 + 3 * 1400000) / 43);
  // Below the minimum sample: no numbers, "insufficient".
  const auto& eng = j["directions"]["engineering"];
  EXPECT_EQ(eng["insufficient"], true);
  EXPECT_TRUE(eng["annual_mid"].is_null());
  EXPECT_EQ(research["by_education"]["master"]["postings"], 30);
  EXPECT_EQ(research["by_education"]["master"]["insufficient"], false);
  EXPECT_EQ(research["by_experience"]["5-9"]["postings"], 3);
  EXPECT_EQ(research["by_experience"]["5-9"]["insufficient"], true);
  // The article check: 40 fresh master+ postings, 30 of them at 640k (above 600k).
  const auto& check = j["article_check"];
  EXPECT_EQ(check["fresh_master_research"]["postings"], 40);
  EXPECT_EQ(check["fresh_master_research"]["share_mid_within"], 0.0);
  EXPECT_EQ(check["fresh_master_research"]["share_mid_above"], 0.75);
  EXPECT_EQ(check["fresh_master_research"]["share_mid_below"], 0.25);
  EXPECT_EQ(check["senior_research"]["postings"], 3);
  EXPECT_EQ(check["senior_research"]["insufficient"], true);
  EXPECT_TRUE(check["senior_research"]["share_mid_above_senior"].is_null());
  EXPECT_EQ(j["unparsed"]["total"], 2);
  EXPECT_EQ(j["unparsed"]["listed"], nlohmann::ordered_json::array({"see description"}));
  EXPECT_EQ(j["unparsed"]["truncated"], false);
}

TEST(SalarySummary, MinSampleIsConfigurable) {
  SalarySummaryOptions o;
  o.min_sample = 3;
  SalarySummary s(o);
  add_rows(s, sample_rows());
  auto j = s.to_json();
  EXPECT_EQ(j["article_check"]["senior_research"]["insufficient"], false);
  EXPECT_EQ(j["article_check"]["senior_research"]["share_mid_above_senior"], 1.0);
}

TEST(SalarySummary, MergeEqualsOnePassAndPartialRoundTrip) {
  auto rows = sample_rows();
  SalarySummary all, a, b;
  add_rows(all, rows);
  std::vector<Row> first(rows.begin(), rows.begin() + 20), second(rows.begin() + 20, rows.end());
  add_rows(a, first);
  add_rows(b, second);
  // Through partial JSON, as separate processes would hand them over.
  auto a2 = SalarySummary::from_partial_json(a.to_partial_json());
  auto b2 = SalarySummary::from_partial_json(b.to_partial_json());
  ASSERT_TRUE(a2) << a2.error();
  ASSERT_TRUE(b2) << b2.error();
  ASSERT_TRUE(a2->merge(*b2));
  EXPECT_EQ(a2->to_json().dump(), all.to_json().dump());
  EXPECT_EQ(a2->to_partial_json().dump(), all.to_partial_json().dump());
  SalarySummary usd(jobmarket::aggregate::salary_summary_options("USD", je::FxTable::builtin()));
  EXPECT_FALSE(all.merge(usd));
  auto bad = SalarySummary::from_partial_json(nlohmann::ordered_json::parse(R"({"currency":"CNY"})"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "salary summary: \"min_sample\" and \"max_unparsed\" must be non-negative integers");
}

TEST(SalarySummary, ClaimThresholdsFollowTheReportCurrency) {
  auto o = jobmarket::aggregate::salary_summary_options("USD", je::FxTable::builtin(), 10);
  EXPECT_EQ(o.min_sample, 10u);
  EXPECT_NEAR(o.claim_senior, 1000000 * 0.137381, 1e-6);
  EXPECT_EQ(jobmarket::aggregate::experience_band(std::nullopt), "unknown");
  EXPECT_EQ(jobmarket::aggregate::experience_band(0), "0");
  EXPECT_EQ(jobmarket::aggregate::experience_band(2), "1-2");
  EXPECT_EQ(jobmarket::aggregate::experience_band(4), "3-4");
  EXPECT_EQ(jobmarket::aggregate::experience_band(5), "5-9");
  EXPECT_EQ(jobmarket::aggregate::experience_band(12), "10+");
}
