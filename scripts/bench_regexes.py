#!/usr/bin/env python3
"""Prints the regex pattern set of scripts/bench.sh's second reference row, one a line.

`rg --count-matches -i -f REGEXES` with these is what a user would grep job postings with
for pay, degrees, schools, papers and experience: the shapes documented in docs/salary.md
and docs/barriers.md, written as regexes by hand, not exported from the rule tables (the
first reference row, `rules export --format terms`, is the tables' literal terms). Chinese
and English; Rust regex syntax (no look-around, no back-references) and no `\\b`, which
makes ripgrep's DFA give up on non-ASCII text and would make the reference slower than a
user's grep needs to be. Deterministic: the same lines in the same order on every run.

Usage: scripts/bench_regexes.py [--check]   (--check: counts only, to stderr)
"""
import sys

NUM = r"\d+(\.\d+)?"  # 30, 1.2
SEP = r"\s*[-~～–—]\s*"  # the dashes and tildes between the ends of a range


def salary():
    out = [
        # thousands and 万 ranges, the column shapes ("30-50K·16薪", "2-3万/月")
        rf"\d+[kK]{SEP}\d+[kK]",
        rf"\d+{SEP}\d+[kK]",
        rf"\d+{SEP}\d+[kK]·\d+薪",
        rf"\d+{SEP}\d+[kK]\s*\d+薪",
        r"·\d{2}薪",
        r"\d{2}薪",
        rf"\d+{SEP}\d+万",
        rf"\d+万{SEP}\d+万",
        rf"{NUM}千{SEP}{NUM}万",
        rf"\d+{SEP}\d+[wW]",
        r"\d+[wW]\+?",
        rf"\d+{SEP}\d+元",
        rf"\d{{4,6}}{SEP}\d{{4,6}}元?/月",
        rf"\d+{SEP}\d+k\s*/\s*月",
        r"\d+[kK]\s*以上",
        r"\d+[kK]\+",
    ]
    # amount per period in Chinese: "150-180元/天", "40万-60万/年", "2-3万/月"
    for unit in ("元", "万", "k", "K", "千"):
        for period in ("天", "日", "周", "时", "小时", "月", "年"):
            out.append(rf"\d+{unit}?(?:{SEP})?\d*{unit}/{period}")
    for word in ("时薪", "日薪", "周薪", "月薪", "年薪"):
        out.append(rf"{word}\s*[:：]?\s*\d+")
        out.append(word)
    out += [
        # pay words and negotiable pay
        "薪资", "薪酬", "工资", "待遇", "薪水", "薪资范围", "薪酬范围",
        "面议", "薪资面议", "薪资可面议", "面谈", "详谈", "具体面议", "応相談", "要相談", "年収",
        r"薪[资酬]\s*[:：]\s*>?\d+",
        r"negotiable",
        # dollars and the other signs: "$53K-$91K", "$110- $120,000", "$21-$34 Per Hour"
        r"\$\d{2,3},\d{3}",
        r"\$\d{1,3}(,\d{3})+(\.\d{2})?",
        r"\$\d{2,3}[kK]",
        rf"\$\d+[kK]?{SEP}\$?\d+[kK]?",
        rf"\$\d{{2,3}},\d{{3}}{SEP}\$\d{{2,3}},\d{{3}}",
        rf"\$\d+(\.\d+)?{SEP}\$\d+(\.\d+)?\s*per hour",
        r"\$\d+(\.\d{2})?\s*/\s*(hr|hour|yr|year)",
        r"\$\d+(\.\d{2})?\s*(an|a|per)\s*hour",
        r"\$\d{2,3}[kK]\s*\+",
        r"\d{2,3}[kK]\+\s*\*",
        r"\(glassdoor est\.\)",
        r"\(employer est\.\)",
        r"employer provided salary",
        r"offers equity",
        r"C\$\s?\d+", r"HK\$\s?\d+", r"A\$\s?\d+", r"S\$\s?\d+",
        r"£\s?\d+", r"€\s?\d+", r"¥\s?\d+", r"₹\s?\d+", r"￥\s?\d+",
        r"€\d{2,3}\.\d{3}",
        rf"€\d{{2,3}}\.\d{{3}}{SEP}€\d{{2,3}}\.\d{{3}}",
        r"\d{1,3}(,\d{3}){2}",
        r"\d{1,3},\d{3}\.\d{2}",
        r"\d{1,3}\.\d{3},\d{2}",
        r"\d{1,2},\d{2},\d{3}",
        r"\d{1,3} \d{3} \d{3}",
        r"\d+\s*元",
        r"RMB\s?\d+",
        r"CNY\s?\d+",
        r"CHY\s?\$",
        r"\d+\s*CNY",
    ]
    # a code before or after the amount: "GBP 45K+", "USD 120,000 - 180,000 per year",
    # "45 USD per hour", "60000 - 70000 EUR per year"
    for code in ("USD", "EUR", "GBP", "CAD", "AUD", "SGD", "INR", "JPY", "CHF", "HKD"):
        out.append(rf"{code}\s?\d+([.,]\d+)?[kK]?")
        out.append(rf"\d+([.,]\d+)?[kK]?\s?{code}")
    # period words after an amount
    for period in ("per hour", "an hour", "a year", "per year", "per annum", "per month",
                   "per day", "per week", "/hr", "/hour", "/yr", "/year", "/month", "hourly",
                   "annually", "annual salary", "hourly rate", "daily rate", "day rate"):
        out.append(rf"\d+[kK]?\s*{period}" if period.startswith("/") else period)
    out += [
        # pay labels and amounts in English prose ("the base salary range is 120k - 130k")
        r"base salary",
        r"salary range",
        r"pay range",
        rf"salary range (is|of)\s*\$?\d+[kK]?{SEP}\$?\d+[kK]?",
        r"salary\s*:\s*\$\d+",
        r"pay\s*:\s*\$\d+",
        r"compensation\s*:\s*\$\d+",
        r"wages?\s*:\s*\$\d+",
        r"total compensation",
        r"between \$\d+[kK,\d]* and \$\d+",
        rf"\$\d+[kK,\d]* to \$\d+",
        r"min(imum)? hiring rate",
        r"max(imum)? hiring rate",
        r"rate\s*[:-]\s*\$\d+",
        r"\$\d+(\.\d+)? on (c2c|w2)",
        r"\(est\. hourly pay rate\)",
        r"\$\d+(\.\d+)?[mM] in",
        r"\$\d+(\.\d+)? million",
        r"in equity",
        r"signing bonus",
        r"bonus",
        r"stock options",
        r"\d{3}\(?k\)?",
    ]
    return out


def education():
    out = []
    # Chinese degrees and the words around them ("本科及以上，硕士优先")
    for degree in ("博士", "硕士", "本科", "大专", "专科", "学士", "研究生", "博士后"):
        out.append(degree)
        out.append(rf"{degree}(及|或)以上")
        out.append(rf"{degree}(学历|学位)")
        out.append(rf"{degree}优先")
    out += [
        r"学历不限", r"统招", r"全日制", r"学历要求",
        r"(985|211)(院校|高校|大学|工程)",
        r"985", r"211", r"双一流", r"qs\s*前\s*\d+", r"qs\s*top\s*\d+", r"海外名校", r"名校",
        r"top (universities|schools)", r"top[- ]tier (university|school)",
        r"c9", r"清北", r"清华", r"北大",
    ]
    # English degrees: "MS/PhD", "BS+5 / MS+3 / PhD+1", "Bachelor's degree or equivalent"
    for degree in (r"ph\.?d\.?", r"master'?s", r"bachelor'?s", r"doctorate", r"m\.?s\.?c?",
                   r"b\.?s\.?c?", r"b\.?a\.?", r"m\.?eng", r"b\.?tech", r"m\.?tech", r"mba"):
        out.append(rf"{degree} (degree|in)")
    out += [
        r"ph\.?d", r"master'?s degree", r"bachelor'?s degree", r"associate'?s degree",
        r"(bs|ms|phd)\s*/\s*(ms|phd)", r"(bs|ms|phd)\s*\+\s*\d+", r"or equivalent experience",
        r"degree in (computer science|mathematics|statistics|physics|electrical engineering)",
        r"advanced degree", r"graduate degree", r"undergraduate",
    ]
    # majors, only useful beside a degree or a major word; a user greps them anyway
    for major in ("计算机", "软件工程", "人工智能", "数学", "统计", "电子", "通信", "自动化",
                  "物理", "电子工程"):
        out.append(rf"{major}(相关)?专业")
    for major in ("computer science", "mathematics", "statistics", "electrical engineering",
                  "physics", "applied math", "operations research", "data science"):
        out.append(major)
    out += [r"related field", r"stem field", r"理工科", r"相关专业"]
    return out


def papers_and_skills():
    out = [
        r"发表过", r"论文发表", r"发表.{0,8}论文", r"一作", r"第一作者", r"顶会", r"顶刊",
        r"(ccf|CCF)[- ]?[abAB]", r"sci(论文|期刊)", r"publications?", r"published", r"first[- ]author",
        r"peer[- ]reviewed", r"top[- ]tier (conferences?|venues?)",
    ]
    for venue in ("neurips", "nips", "icml", "iclr", "cvpr", "iccv", "eccv", "acl", "emnlp",
                  "naacl", "aaai", "ijcai", "kdd", "sigir", "www", "siggraph", "icra", "iros",
                  "osdi", "sosp", "isca", "ieee micro", "tpami", "jmlr"):
        out.append(venue)
    out += [
        r"cet-?[46]", r"(大学)?英语[四六]级", r"英语", r"英文", r"fluent (in )?english",
        r"(written|spoken) english", r"toefl", r"ielts", r"雅思", r"托福",
        r"github", r"kaggle", r"开源项目", r"open[- ]source contributions?", r"技术博客",
        r"竞赛", r"acm[- ]?icpc", r"competitions?", r"portfolio",
        # section headings and cues a user would cut a posting with
        r"岗位职责", r"工作职责", r"任职要求", r"任职资格", r"岗位要求", r"加分项", r"优先",
        r"minimum qualifications", r"preferred qualifications", r"basic qualifications",
        r"responsibilities", r"requirements", r"nice to have", r"a plus", r"preferably",
        r"is preferred", r"must have", r"required",
    ]
    return out


def experience():
    cn_numbers = "一二三四五六七八九十两"
    out = [
        r"\d+年以上", r"\d+\s*年及以上", r"\d+\s*[-~～]\s*\d+\s*年", r"\d+年以内", r"\d+年(工作)?经验",
        rf"[{cn_numbers}]年以上", rf"[{cn_numbers}]年(工作)?经验",
        r"\d+\s*年.{0,6}经验", r"\d+\+?\s*年",
        r"经验不限", r"工作经验", r"相关经验", r"项目经验", r"实习经验", r"应届", r"应届生",
        r"在校", r"校招", r"实习生", r"\d+天\s*/\s*周", r"每周\d+天", r"\d+个月",
        r"\d+\+? years", r"\d+\+? yrs", r"\d+\s*-\s*\d+ years", r"\d+ to \d+ years",
        r"at least \d+ years", r"minimum of \d+ years", r"\d+\+? years of (industry |relevant "
        r"|professional |hands-on )?experience", r"\d+ or more years",
        r"(one|two|three|four|five|six|seven|eight|nine|ten) \(\d+\) years",
        r"(one|two|three|four|five|six|seven|eight|nine|ten)\+? years",
        r"years of experience", r"experience (in|with)", r"new grad", r"recent graduate",
        r"no experience required", r"entry[- ]level", r"mid-senior level", r"senior level",
        r"internship", r"近\d+年", r"past \d+ years",
    ]
    return out


def patterns():
    seen, out = set(), []
    for p in salary() + education() + papers_and_skills() + experience():
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def main():
    ps = patterns()
    if "--check" in sys.argv[1:]:
        print(f"{len(ps)} patterns", file=sys.stderr)
        return
    sys.stdout.write("".join(p + "\n" for p in ps))


if __name__ == "__main__":
    main()
