// Barrier extraction per extractor, in Chinese and English, including the traps listed in
// issue 5 and the GUIDE's conventions; the rule table's error messages.
#include <gtest/gtest.h>

#include <string>

#include <jobmarket/aggregate/barrier_summary.hpp>
#include <jobmarket/aggregate/profile_match.hpp>
#include <jobmarket/extract/barriers.hpp>

namespace je = jobmarket::extract;
using je::Education;
using je::Requirement;

namespace {

const je::BarrierExtractor& extractor() {
  static const je::BarrierExtractor ex = [] {
    auto e = je::BarrierExtractor::builtin();
    if (!e) throw std::runtime_error(e.error());
    return std::move(*e);
  }();
  return ex;
}

je::Barriers run(const std::string& text, const std::string& education = "",
                 const std::string& experience = "", const std::string& title = "") {
  jobmarket::Posting p;
  p.get(jobmarket::Field::text) = text;
  p.get(jobmarket::Field::education) = education;
  p.get(jobmarket::Field::experience) = experience;
  p.get(jobmarket::Field::title) = title;
  return extractor().extract(p);
}

std::string pref(const je::Barriers& b) {
  return b.preferred_education ? std::string(je::education_name(*b.preferred_education)) : "null";
}

}  // namespace

// ---- education ----

TEST(BarriersEducation, BachelorRequiredMasterPreferred) {
  auto b = run("任职要求：1、本科及以上学历，硕士优先；2、熟悉Python");
  EXPECT_EQ(b.min_education, Education::bachelor);
  EXPECT_EQ(pref(b), "master");
}

TEST(BarriersEducation, MsPhdIsMaster) {
  auto b = run("Requirements: MS/PhD in Computer Science or a related field.");
  EXPECT_EQ(b.min_education, Education::master);
  EXPECT_EQ(pref(b), "null");
}

TEST(BarriersEducation, BachelorOrEquivalentExperience) {
  auto b = run("Bachelor's degree or equivalent experience. 3+ years of experience with Python.");
  EXPECT_EQ(b.min_education, Education::bachelor);
}

TEST(BarriersEducation, TitleNamesTheDegreeWhenNothingElseDoes) {
  EXPECT_EQ(run("", "", "", "Quantitative Researcher - PhD: 2027").min_education, Education::phd);
  EXPECT_EQ(run("", "", "", "ML Engineer Intern - Search Ads - 2026 Fall - BS/MS").min_education,
            Education::bachelor);
  EXPECT_EQ(run("", "", "", "MBA Internship - GTM Analytics").min_education, Education::master);
  // The text's requirement wins; a school type names the employer, not a degree.
  EXPECT_EQ(run("Bachelor's degree in CS required.", "", "", "Research Intern - PhD").min_education,
            Education::bachelor);
  EXPECT_EQ(run("", "", "", "AI大模型课程讲师【高职院校】").min_education, Education::none_stated);
  // Only a preferred degree in the text: no minimum, whatever the title says.
  EXPECT_EQ(run("A PhD is preferred.", "", "", "Research Scientist - PhD").min_education,
            Education::none_stated);
}

TEST(BarriersEducation, ExcellentLowerDegreeMakesTheHigherPreferred) {
  auto b = run("任职要求：1、计算机、自动化等专业的博士和优秀硕士；2、熟悉PyTorch");
  EXPECT_EQ(b.min_education, Education::master);
  EXPECT_EQ(pref(b), "phd");
  auto c = run("任职要求：1.计算机相关专业，硕士及以上学历或优秀本科生；");
  EXPECT_EQ(c.min_education, Education::bachelor);
  EXPECT_EQ(pref(c), "master");
  EXPECT_EQ(pref(run("Requirements: MS/PhD in Computer Science.")), "null");  // plain alternatives
}

TEST(BarriersEducation, PhdPreferredOnly) {
  auto b = run("Experience with PyTorch. PhD preferred.");
  EXPECT_EQ(b.min_education, Education::none_stated);
  EXPECT_EQ(pref(b), "phd");
}

TEST(BarriersEducation, MasterOrAbove) {
  EXPECT_EQ(run("硕士及以上学历，计算机相关专业").min_education, Education::master);
}

TEST(BarriersEducation, FullTimeBachelor) {
  EXPECT_EQ(run("统招本科，3年以上开发经验").min_education, Education::bachelor);
}

TEST(BarriersEducation, AssociateDegree) {
  EXPECT_EQ(run("大专以上学历，有银行项目经验者优先").min_education, Education::associate);
}

TEST(BarriersEducation, TextWinsOverColumn) {
  auto b = run("硕士及以上学历，博士优先", "博士及以上");
  EXPECT_EQ(b.min_education, Education::master);
  EXPECT_EQ(pref(b), "phd");
}

TEST(BarriersEducation, ColumnWhenTextSilent) {
  EXPECT_EQ(run("负责大模型应用开发", "本科").min_education, Education::bachelor);
  EXPECT_EQ(run("负责大模型应用开发", "学历不限").min_education, Education::none_stated);
}

TEST(BarriersEducation, InternColumnsAreNotEducation) {
  auto b = run("负责AI产品设计", "3个月", "3天/周");
  EXPECT_EQ(b.min_education, Education::none_stated);
  EXPECT_EQ(b.experience_years_min, std::nullopt);
}

TEST(BarriersEducation, PostdocIsNotAPhdRequirement) {
  EXPECT_EQ(run("与博士后团队合作，本科及以上学历").min_education, Education::bachelor);
}

TEST(BarriersEducation, MsOfficeIsNotADegree) {
  EXPECT_EQ(run("Proficient with MS Office and Excel.").min_education, Education::none_stated);
}

TEST(BarriersEducation, PreferredSectionHeading) {
  auto b = run("Minimum qualifications: Bachelor's degree in Computer Science. "
               "Preferred qualifications: Master's degree or PhD in Machine Learning.");
  EXPECT_EQ(b.min_education, Education::bachelor);
  EXPECT_EQ(pref(b), "master");
}

TEST(BarriersEducation, FoundInLabeledData) {
  EXPECT_EQ(run("参与国家重大专项研发。硕士及以上学历").min_education, Education::master);
  EXPECT_EQ(run("Degree in Mathematics, Statistics or Computer Science.").min_education, Education::bachelor);
  EXPECT_EQ(run("We have a high degree of ownership.").min_education, Education::none_stated);
  auto adv = run("Advanced degree, ideally a Ph.D., in Computer Science.");
  EXPECT_EQ(adv.min_education, Education::master);
  EXPECT_EQ(pref(adv), "phd");
  EXPECT_EQ(run("We are looking for someone with a BA/BS alongside 4-6 years of experience").min_education,
            Education::bachelor);
  auto aside = run("Masters in Computer Science or equivalent experience (PHD in CS is a huge plus)");
  EXPECT_EQ(aside.min_education, Education::master);
  EXPECT_EQ(pref(aside), "phd");
  EXPECT_EQ(run("MS degree in a quantitative discipline plus 5 years of experience").min_education,
            Education::master);
  EXPECT_EQ(run("计算机相关领域的本硕博在校生").min_education, Education::bachelor);
  EXPECT_EQ(run("我们的团队成员均为硕士").min_education, Education::none_stated);
}

// ---- experience ----

TEST(BarriersExperience, ChineseRange) { EXPECT_EQ(run("3-5年工作经验").experience_years_min, 3); }
TEST(BarriersExperience, ChineseAtLeast) { EXPECT_EQ(run("5年以上相关工作经验").experience_years_min, 5); }
TEST(BarriersExperience, CircledListNumberIsNotADigit) {
  EXPECT_EQ(run("任职要求：①3年以上Python开发经验；②本科及以上学历").experience_years_min, 3);
}
TEST(BarriersExperience, ListNumberBeforeTheYears) {
  // "2.5年" after item 1 is item 2 asking 5 years; "1.3年" with an item 2 after it, 3.
  EXPECT_EQ(run("任职要求：1.计算机专业本科及以上学历；2.5年及以上后台开发经验").experience_years_min, 5);
  EXPECT_EQ(run("要求：\n1.3年以上PHP开发经验；\n2.熟悉MySQL").experience_years_min, 3);
  // No list around it: a decimal, which states no whole minimum.
  EXPECT_EQ(run("at least 2.5 years of professional experience").experience_years_min, std::nullopt);
  EXPECT_EQ(run("工作经验1.5年以上").experience_years_min, std::nullopt);
}
TEST(BarriersExperience, YearsPerDegreeWithNumberWords) {
  // "five (5) years" is cut into clauses at the "(": the degree before the word still pairs.
  auto b = run("Requirements: BS with ten (10) years of relevant experience, MS with eight (8) "
               "years of experience, or PhD with five (5) years of experience.");
  EXPECT_EQ(b.experience_years_min, 5);
  EXPECT_EQ(b.min_education, Education::bachelor);
}
TEST(BarriersExperience, EnglishPlus) { EXPECT_EQ(run("3+ years of experience in ML").experience_years_min, 3); }
TEST(BarriersExperience, EnglishAtLeast) {
  EXPECT_EQ(run("At least 5 years of industry experience.").experience_years_min, 5);
}
TEST(BarriersExperience, ChineseNumeralsInColumn) {
  EXPECT_EQ(run("", "", "五年以上工作经验").experience_years_min, 5);
  EXPECT_EQ(run("", "", "两年以上工作经验").experience_years_min, 2);
  EXPECT_EQ(run("", "", "十年以上工作经验").experience_years_min, 10);
  EXPECT_EQ(run("", "", "十五年以上").experience_years_min, 15);
  EXPECT_EQ(run("", "", "二十年以上").experience_years_min, 20);
  EXPECT_EQ(run("", "", "三至五年").experience_years_min, 3);
  EXPECT_EQ(run("", "", "二十五年").experience_years_min, std::nullopt);  // over 20: not a duration
}
TEST(BarriersExperience, EnglishNumberWords) {
  EXPECT_EQ(run("three (3) years of experience").experience_years_min, 3);
  EXPECT_EQ(run("five or more years of experience with PyTorch").experience_years_min, 5);
  EXPECT_EQ(run("Twelve years of experience").experience_years_min, 12);
  EXPECT_EQ(run("often years of practice").experience_years_min, std::nullopt);  // "ten" inside a word
}
TEST(BarriersExperience, ColumnValues) {
  EXPECT_EQ(run("", "", "3-5年").experience_years_min, 3);
  EXPECT_EQ(run("", "", "1-3年").experience_years_min, 1);
  EXPECT_EQ(run("", "", "10年以上").experience_years_min, 10);
  EXPECT_EQ(run("", "", "经验不限").experience_years_min, 0);
  EXPECT_EQ(run("", "", "在校/应届").experience_years_min, 0);
  EXPECT_EQ(run("", "", "1年以内").experience_years_min, 0);
  EXPECT_EQ(run("", "", "实习生").experience_years_min, 0);
  EXPECT_EQ(run("", "", "应届生").experience_years_min, 0);
  EXPECT_EQ(run("", "", "").experience_years_min, std::nullopt);
  EXPECT_EQ(run("", "", "Mid-Senior level").experience_years_min, std::nullopt);
  // A board's category column (speedyapply's "list", "Job Type").
  EXPECT_EQ(run("", "", "new_grad_usa").experience_years_min, 0);
  EXPECT_EQ(run("", "", "intern_intl").experience_years_min, 0);
  EXPECT_EQ(run("", "", "Internship").experience_years_min, 0);
  EXPECT_EQ(run("", "", "Full Time").experience_years_min, std::nullopt);
  EXPECT_EQ(run("", "", "校招").experience_years_min, 0);
}
TEST(BarriersExperience, NoExperienceAndNewGrad) {
  EXPECT_EQ(run("No experience required, we train you.").experience_years_min, 0);
  EXPECT_EQ(run("Open to new grads with a strong ML background.").experience_years_min, 0);
  EXPECT_EQ(run("欢迎应届毕业生").experience_years_min, 0);
  EXPECT_EQ(run("Build LLM agents.", "", "", "Machine Learning Intern").experience_years_min, 0);
}
TEST(BarriersExperience, MainRequirementWins) {
  EXPECT_EQ(run("8-10 years of software experience, 2+ years with LLMs").experience_years_min, 8);
}
TEST(BarriersExperience, PerDegreeSmallest) {
  EXPECT_EQ(run("Experience: BS+5 / MS+3 / PhD+1 years of relevant experience").experience_years_min, 1);
}
TEST(BarriersExperience, TextWinsOverColumn) {
  EXPECT_EQ(run("2年以上算法开发经验", "", "3-5年").experience_years_min, 2);
}
TEST(BarriersExperience, NotDurations) {
  EXPECT_EQ(run("公司成立于2014年，年薪30万").experience_years_min, std::nullopt);
  EXPECT_EQ(run("Our company has grown for 10 years.").experience_years_min, std::nullopt);
}
TEST(BarriersExperience, CueBeforeColon) {
  EXPECT_EQ(run("Experience Level : 10+ years. Job Description: 5+ years of industry experience").experience_years_min, 10);
  EXPECT_EQ(run("经验要求：3年").experience_years_min, 3);
}
TEST(BarriersExperience, PerDegreeLongForm) {
  EXPECT_EQ(run("Bachelor's in Computer Science or related field with 12+ years experience, Master's with "
                "10+ years experience, or PhD with 5+ years experience").experience_years_min, 5);
}
TEST(BarriersExperience, PlusStatesARequirementWithoutACueWord) {
  EXPECT_EQ(run("Skills Needed:\n· 5+ years AI/deep learning development for medical products").experience_years_min, 5);
  EXPECT_EQ(run("Remote\n10+ yrs needed\nRequirements").experience_years_min, 10);
  EXPECT_EQ(run("We have grown for 5 years.").experience_years_min, std::nullopt);
  // Not in the duties: there it is about the work, not the candidate.
  EXPECT_EQ(run("Responsibilities:\n- Modernize our 10+ years old platform").experience_years_min, std::nullopt);
}
TEST(BarriersExperience, NotStated) { EXPECT_EQ(run("熟悉PyTorch").experience_years_min, std::nullopt); }

// ---- papers and venues ----

TEST(BarriersPapers, PreferredChinese) {
  auto b = run("有顶会论文者优先");
  EXPECT_EQ(b.papers, Requirement::preferred);
  EXPECT_EQ(b.venues, (std::vector<std::string>{"顶会"}));
}
TEST(BarriersPapers, RequiredFirstAuthor) {
  EXPECT_EQ(run("任职要求：须有顶会一作论文").papers, Requirement::required);
}
TEST(BarriersPapers, DutyIsNotARequirement) {
  auto b = run("岗位职责：1、研究大模型预训练，发表高水平论文；任职要求：1、硕士及以上学历");
  EXPECT_EQ(b.papers, Requirement::none);
  auto e = run("Responsibilities: publish papers at top venues such as NeurIPS. Requirements: PhD.");
  EXPECT_EQ(e.papers, Requirement::none);
}
TEST(BarriersPapers, VenuesAsWritten) {
  auto b = run("在NeurIPS、ICML、ICLR等国际会议上发表过论文者优先");
  EXPECT_EQ(b.papers, Requirement::preferred);
  EXPECT_EQ(b.venues, (std::vector<std::string>{"NeurIPS", "ICML", "ICLR"}));
}
TEST(BarriersPapers, GenericVenueWordsOnlyWhenNoVenueIsNamed) {
  auto b = run("在NeurIPS、ICML等国际顶级会议上发表过论文者优先");
  EXPECT_EQ(b.venues, (std::vector<std::string>{"NeurIPS", "ICML"}));
  EXPECT_EQ(run("有顶会论文者优先").venues, (std::vector<std::string>{"顶会"}));
}
TEST(BarriersPapers, GenericVenuePhraseAsWritten) {
  using V = std::vector<std::string>;
  EXPECT_EQ(run("在顶级期刊或学术会议发表过论文者优先").venues, V{"顶级期刊或学术会议"});
  EXPECT_EQ(run("有顶会顶刊论文者优先").venues, V{"顶会顶刊"});
  EXPECT_EQ(run("有顶会、顶刊论文者优先").venues, (V{"顶会", "顶刊"}));  // listed: two
  EXPECT_EQ(run("publications in top conferences or journals are a plus").venues,
            V{"top conferences or journals"});
  EXPECT_EQ(run("有国际一流会议或期刊论文者优先").venues, V{"国际一流会议或期刊"});
}
TEST(BarriersPapers, MoreNamedVenues) {
  using V = std::vector<std::string>;
  EXPECT_EQ(run("在SIGMOD、VLDB、COLING发表过论文").venues, (V{"SIGMOD", "VLDB", "COLING"}));
  // An abbreviation that is also a common word counts only beside a paper word.
  EXPECT_EQ(run("熟悉CCS等协议").venues, V{});
}
TEST(BarriersPapers, AlternativesAndCuesMakePapersPreferred) {
  // One of alternatives, "更优", "论文者优先", a "Preferred:" lead-in.
  EXPECT_EQ(run("职位要求：5. 在NeurIPS、ICML等顶级会议有高质量论文发表记录，或在相关领域有深厚的工程落地经验。").papers,
            Requirement::preferred);
  EXPECT_EQ(run("职位要求：4. 在核心开源AI项目有代码贡献，或顶级会议发表过论文者更优；").papers,
            Requirement::preferred);
  EXPECT_EQ(run("职位要求：3、在大模型领域，主导过有影响力的项目或论文者优先；").papers, Requirement::preferred);
  EXPECT_EQ(run("Qualifications: Strong coding. Preferred: Experience publishing papers in top conferences.").papers,
            Requirement::preferred);
}
TEST(BarriersSections, HeadingWordStartingASentenceIsNoHeading) {
  // "Experience publishing papers…" under "Desired Experience:" stays in the preferred
  // section; a short heading line or one ending in ':' still starts a section.
  EXPECT_EQ(run("Desired Experience:\nExperience with publications at NeurIPS or ICML.").papers,
            Requirement::preferred);
  EXPECT_EQ(run("Responsibilities\nBuild models.\nPreferred Skills And Qualifications\n"
                "Bachelor's degree in computer science").min_education,
            Education::none_stated);
  EXPECT_EQ(run("Nice to have: Kaggle.\nQualifications and capabilities:\nPhD in biology with a strong "
                "publication record").papers,
            Requirement::required);
}
TEST(BarriersPapers, ReadingPapersIsASkill) {
  EXPECT_EQ(run("能够快速复现论文中的算法").papers, Requirement::none);
  EXPECT_EQ(run("Implement techniques from research papers.").papers, Requirement::none);
}
TEST(BarriersPapers, EnglishRequiredAndPreferred) {
  EXPECT_EQ(run("Requirements: publications in top ML venues (NeurIPS, ICML).").papers, Requirement::required);
  EXPECT_EQ(run("A track record of publications is a plus.").papers, Requirement::preferred);
}
// The cue may close the sentence, not the paper clause: after an aside of examples, after
// a comma beside CJK text, or before an aside that lists the venues.
TEST(BarriersPapers, CueAtTheEndOfTheSentence) {
  for (const char* t : {"有计算机顶会(CVPR，ICCV，ECCV)等相关会议发表论文者优先。",
                        "在ICCV，CVPR等会议上发表论文，或在主流benchmark上取得优异成绩的优先。",
                        "在相关国际会议或期刊上发表论文者优先（ICASSP，Interspeech）",
                        "在AI、机器人顶级会议，如CVPR、ICML等会议以一作发表论文者优先；"})
    EXPECT_EQ(run(t).papers, Requirement::preferred) << t;
  // A "must" in the paper clause itself, or a cue past the sentence end, does not count.
  EXPECT_EQ(run("须有顶会一作论文，有开源经验者优先").papers, Requirement::required);
  EXPECT_EQ(run("任职要求：有顶会论文；有开源经验者优先").papers, Requirement::required);
}
// A lead-in sentence with a preference cue heads the list after it like a heading.
TEST(BarriersPapers, LeadInSentenceHeadsAPreferredList) {
  for (const char* t : {"任职要求：1.熟悉PyTorch。具备以下经验者优先 1.在一流会议上发表过学术论文；2.有项目经验。",
                        "若满足如下条件的其中一个，可适当加分：- 在CV领域发表高质量论文；- 熟悉TensorFlow"})
    EXPECT_EQ(run(t).papers, Requirement::preferred) << t;
  // A list item with a cue is not a lead-in: the next item keeps its own level.
  EXPECT_EQ(run("任职要求：3.有生成式算法经验者优先；4.须有顶会一作论文。").papers, Requirement::required);
}
TEST(BarriersPapers, AmbiguousVenueNeedsPaperContext) {
  auto b = run("Configure ACL rules and fast networking.");
  EXPECT_TRUE(b.venues.empty());
  EXPECT_EQ(b.papers, Requirement::none);
}

// ---- school tiers and majors ----

TEST(BarriersSchool, ChineseTiers) {
  auto b = run("硕士及以上学历，985/211院校优先");
  EXPECT_EQ(b.school_tier, (std::vector<std::string>{"985", "211"}));
  EXPECT_EQ(b.school_tier_level, Requirement::preferred);
}
TEST(BarriersSchool, DoubleFirstClassAndQs) {
  EXPECT_EQ(run("双一流高校本科").school_tier, (std::vector<std::string>{"double_first_class"}));
  EXPECT_EQ(run("QS前100海外院校硕士").school_tier, (std::vector<std::string>{"qs_top"}));
}
TEST(BarriersSchool, TopUniversities) {
  auto b = run("PhD from a top university in Computer Science.");
  EXPECT_EQ(b.school_tier, (std::vector<std::string>{"top_generic"}));
  EXPECT_EQ(b.school_tier_level, Requirement::required);
}
TEST(BarriersSchool, TeamDescriptionIsNotARequirement) {
  EXPECT_TRUE(run("团队成员来自国内外名校").school_tier.empty());
}
TEST(BarriersSchool, NumbersInIdsAreNotTiers) {
  EXPECT_TRUE(run("Job id 98521199, salary 985 per day").school_tier.empty());
}
TEST(BarriersMajor, ChineseAndEnglish) {
  EXPECT_EQ(run("计算机、数学或统计相关专业").majors, (std::vector<std::string>{"cs", "math", "stats"}));
  EXPECT_EQ(run("Degree in Physics or Electrical Engineering").majors,
            (std::vector<std::string>{"physics", "ee"}));
  EXPECT_TRUE(run("熟悉计算机视觉算法").majors.empty());
}

// ---- English and portfolio ----

TEST(BarriersEnglish, Levels) {
  EXPECT_EQ(run("英语六级，能阅读英文文档").english, Requirement::required);
  EXPECT_EQ(run("CET-6 preferred").english, Requirement::preferred);
  EXPECT_EQ(run("Fluent English required.").english, Requirement::required);
  EXPECT_EQ(run("加分项：具备基本的英文表达能力").english, Requirement::preferred);
  EXPECT_EQ(run("Partners such as the English Premier League").english, Requirement::none);
}
TEST(BarriersPortfolio, Levels) {
  EXPECT_EQ(run("有GitHub开源项目者优先").portfolio, Requirement::preferred);
  EXPECT_EQ(run("Kaggle competition record required").portfolio, Requirement::required);
  EXPECT_EQ(run("Manage the investment portfolio").portfolio, Requirement::none);
}

// ---- evidence and the rule table ----

TEST(BarriersEvidence, NamesRuleFieldAndText) {
  auto b = run("本科及以上学历", "", "", "");
  ASSERT_FALSE(b.evidence.empty());
  EXPECT_EQ(b.evidence[0].rule, "degree.bachelor");
  EXPECT_EQ(b.evidence[0].field, jobmarket::Field::text);
  EXPECT_EQ(b.evidence[0].text, "本科");
}

TEST(BarriersRules, Errors) {
  auto bad = je::BarrierExtractor::create("{", "t.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "t.json: not valid JSON");
  auto kind = je::BarrierExtractor::create(
      R"({"rules":[{"id":"x","kind":"nope","terms":["a"],"source":"s"}]})", "t.json");
  ASSERT_FALSE(kind);
  EXPECT_EQ(kind.error(), "t.json: rule 0 (x): unknown kind 'nope'");
  auto src = je::BarrierExtractor::create(R"({"rules":[{"id":"x","kind":"english","terms":["a"]}]})", "t.json");
  ASSERT_FALSE(src);
  EXPECT_EQ(src.error(), "t.json: rule 0 (x): missing \"source\"");
  auto deg = je::BarrierExtractor::create(
      R"({"rules":[{"id":"x","kind":"degree","value":"mba","terms":["a"],"source":"s"}]})", "t.json");
  ASSERT_FALSE(deg);
  EXPECT_EQ(deg.error(), "t.json: rule 0 (x): unknown degree 'mba'");
  auto dup = je::BarrierExtractor::create(
      R"({"rules":[{"id":"x","kind":"english","terms":["a"],"source":"s"},{"id":"x","kind":"english","terms":["b"],"source":"s"}]})",
      "t.json");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error(), "t.json: rule 1 (x): duplicate id");
}

TEST(BarriersRules, EveryBuiltinRuleHasASource) {
  EXPECT_GT(extractor().rule_count(), 50u);
}

TEST(BarriersNames, RoundTrip) {
  EXPECT_EQ(je::education_from_name("master"), Education::master);
  EXPECT_EQ(je::education_from_name("x"), std::nullopt);
  EXPECT_EQ(je::requirement_from_name("preferred"), Requirement::preferred);
  EXPECT_EQ(je::requirement_name(Requirement::required), "required");
}

// ---- BarrierSummary ----

namespace {

using jobmarket::classify::Direction;
namespace ja = jobmarket::aggregate;

je::Barriers barriers(Education min, Requirement papers, std::vector<std::string> tiers = {},
                      std::vector<std::string> majors = {}, std::optional<int> years = std::nullopt) {
  je::Barriers b;
  b.min_education = min;
  b.papers = papers;
  b.school_tier = std::move(tiers);
  b.school_tier_level = b.school_tier.empty() ? Requirement::none : Requirement::required;
  b.majors = std::move(majors);
  b.major_level = b.majors.empty() ? Requirement::none : Requirement::required;
  b.experience_years_min = years;
  return b;
}

std::vector<std::pair<Direction, je::Barriers>> sample() {
  return {
      {Direction::research, barriers(Education::master, Requirement::preferred, {"985"}, {"cs"}, 3)},
      {Direction::research, barriers(Education::phd, Requirement::required, {}, {"math"})},
      {Direction::research, barriers(Education::bachelor, Requirement::none, {}, {"ee"}, 5)},
      {Direction::research, barriers(Education::none_stated, Requirement::none)},
      {Direction::engineering, barriers(Education::bachelor, Requirement::none, {}, {}, 3)},
      {Direction::engineering, barriers(Education::associate, Requirement::none, {}, {}, 0)},
      {Direction::engineering, barriers(Education::master, Requirement::none)},
      {Direction::engineering, barriers(Education::none_stated, Requirement::none)},
      {Direction::other, barriers(Education::none_stated, Requirement::none)},
  };
}

}  // namespace

TEST(BarrierSummary, ClaimsWithDenominators) {
  ja::BarrierSummary s;
  for (const auto& [d, b] : sample()) s.add(d, b);
  auto j = s.to_json();
  const auto& c = j["claims"];
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0]["id"], "research_master_or_higher");
  EXPECT_EQ(c[0]["meeting"], 2u);
  EXPECT_EQ(c[0]["denominator"], 3u);  // the research posting stating no education is left out
  EXPECT_EQ(c[0]["share"], 0.6667);
  EXPECT_EQ(c[1]["id"], "research_top_school");
  EXPECT_EQ(c[1]["meeting"], 1u);
  EXPECT_EQ(c[1]["denominator"], 4u);
  EXPECT_EQ(c[2]["id"], "research_papers");
  EXPECT_EQ(c[2]["meeting"], 2u);
  EXPECT_EQ(c[2]["meeting_required"], 1u);
  EXPECT_EQ(c[3]["id"], "research_cs_or_math");
  EXPECT_EQ(c[3]["meeting"], 2u);
  EXPECT_EQ(c[3]["naming_a_major"], 3u);
  EXPECT_EQ(c[4]["id"], "engineering_bachelor_accepted");
  EXPECT_EQ(c[4]["meeting"], 2u);
  EXPECT_EQ(c[4]["denominator"], 3u);
  EXPECT_EQ(j["directions"]["research"]["postings"], 4u);
  EXPECT_EQ(j["directions"]["research"]["min_education"]["master"]["count"], 1u);
  EXPECT_EQ(j["directions"]["research"]["min_education"]["master"]["share"], 0.25);
  EXPECT_EQ(j["directions"]["engineering"]["experience_years_min"]["not_stated"]["count"], 2u);
  EXPECT_EQ(j["directions"]["engineering"]["experience_years_min"]["0"]["count"], 1u);
}

TEST(BarrierSummary, MergeEqualsOnePass) {
  ja::BarrierSummary all, a, b;
  auto rows = sample();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    all.add(rows[i].first, rows[i].second);
    (i % 2 ? a : b).add(rows[i].first, rows[i].second);
  }
  a.merge(b);
  EXPECT_EQ(a.to_json().dump(), all.to_json().dump());
}

TEST(BarrierSummary, JsonRoundTrip) {
  ja::BarrierSummary s;
  for (const auto& [d, b] : sample()) s.add(d, b);
  auto back = ja::BarrierSummary::from_json(nlohmann::json::parse(s.to_json().dump()));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->to_json().dump(), s.to_json().dump());
  auto bad = ja::BarrierSummary::from_json(nlohmann::json::object());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "barrier summary: expected an object with \"directions\"");
}

TEST(BarrierSummary, KeyOrderIsStable) {
  ja::BarrierSummary s;
  auto j = s.to_json();
  std::vector<std::string> keys;
  for (const auto& [k, v] : j["directions"]["research"].items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"postings", "min_education", "preferred_education", "school_tier",
                                            "majors", "papers", "venues", "experience_years_min", "english",
                                            "portfolio"}));
  EXPECT_EQ(j["claims"][0]["share"], 0.0);
}

// ---- ProfileMatch ----

TEST(ProfileMatch, MissesWithReasons) {
  auto p = ja::make_profile("master", {"985"}, {"cs"}, 1, 2, true, false);
  ASSERT_TRUE(p) << p.error();
  ja::ProfileMatch m(*p);
  auto misses = m.misses(barriers(Education::phd, Requirement::required, {"211"}, {"math"}, 5));
  ASSERT_EQ(misses.size(), 3u);
  EXPECT_EQ(misses[0].requirement, "education");
  EXPECT_EQ(misses[0].why, "requires phd");
  EXPECT_EQ(misses[1].requirement, "experience");
  EXPECT_EQ(misses[1].why, "requires 5+ years");
  EXPECT_EQ(misses[2].requirement, "major");
  EXPECT_EQ(misses[2].why, "requires math");
  EXPECT_TRUE(m.misses(barriers(Education::master, Requirement::required, {"211"}, {"cs", "math"}, 2)).empty());
}

TEST(ProfileMatch, PerDirectionSharesAndMerge) {
  auto p = ja::make_profile("bachelor", {}, {"cs"}, 0, 3, false, false);
  ASSERT_TRUE(p);
  ja::ProfileMatch all(*p), a(*p), b(*p);
  auto rows = sample();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    all.add(rows[i].first, rows[i].second);
    (i % 2 ? a : b).add(rows[i].first, rows[i].second);
  }
  EXPECT_TRUE(a.merge(b));
  EXPECT_EQ(a.to_json().dump(), all.to_json().dump());
  auto j = all.to_json();
  const auto& r = j["directions"]["research"];
  EXPECT_EQ(r["postings"], 4u);
  EXPECT_EQ(r["meets"]["count"], 1u);  // only the posting stating nothing
  EXPECT_EQ(r["missed"][0]["requirement"], "education");
  EXPECT_EQ(r["missed"][0]["count"], 2u);
  const auto& e = j["directions"]["engineering"];
  EXPECT_EQ(e["meets"]["count"], 3u);
  EXPECT_EQ(e["meets"]["share"], 0.75);
  ja::ProfileMatch other(*ja::make_profile("phd", {}, {}, 0, 0, false, false));
  EXPECT_FALSE(a.merge(other));
}

TEST(ProfileMatch, TierImplicationsAndErrors) {
  EXPECT_EQ(ja::expand_tiers({"985"}), (std::vector<std::string>{"211", "985", "double_first_class", "top_generic"}));
  EXPECT_EQ(ja::expand_tiers({"qs_top"}), (std::vector<std::string>{"qs_top", "top_generic"}));
  auto bad = ja::make_profile("masters", {}, {}, 0, 0, false, false);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), "unknown degree 'masters' (expected none, associate, bachelor, master, phd)");
  auto tier = ja::make_profile("master", {"C9"}, {}, 0, 0, false, false);
  ASSERT_FALSE(tier);
  EXPECT_EQ(tier.error(), "unknown school tier 'C9' (expected 985, 211, double_first_class, qs_top, top_generic)");
}

// A megabyte of text without punctuation is one clause; its per-clause questions must not
// cost the square of its findings (more than 30 s before clauses were capped). The
// decisions stay those of the words: a master's degree, papers, a 985 school.
TEST(BarriersScale, HugeUnpunctuatedClauseIsLinear) {
  std::string text;
  while (text.size() < (std::size_t{1} << 20))
    text += "硕士 985 论文 NeurIPS 优先 岗位职责 任职要求 3年 英语 博士后 postdoc ['硕士'] ";
  auto b = run(text);
  EXPECT_EQ(b.min_education, Education::master);
  EXPECT_FALSE(b.school_tier.empty());
  EXPECT_NE(b.papers, Requirement::none);
}

// Masks are looked up by position: a masked term is still masked among thousands of
// masks ("博士后" is a postdoc, not a PhD), and an unmasked one next to them is not.
TEST(BarriersScale, ManyMasksStillMaskOnlyTheirTerms) {
  std::string masked, open;
  for (int i = 0; i < 20000; ++i) masked += "博士后。";
  EXPECT_EQ(run(masked).min_education, Education::none_stated);
  open = masked + "要求博士学历。";
  EXPECT_EQ(run(open).min_education, Education::phd);
  // A short mask at the start of the text, a longer one later: the first still masks.
  EXPECT_EQ(run("博士后研究经历。熟悉 scrum master 流程。").min_education, Education::none_stated);
}
