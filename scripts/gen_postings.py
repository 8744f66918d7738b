#!/usr/bin/env python3
"""Writes synthetic, bilingual AI job postings as CSV (fixed seed: same arguments, same bytes).

The postings are made up from templates: Chinese (BOSS直聘-style) and English
(LinkedIn-style) research, engineering and non-LLM roles, with multi-line quoted
descriptions, realistic salary strings and posting dates from 2023 to 2025. Demand shifts
over time the way the article describes it (engineering grows, embodied AI / world models
rise late), so trends have something to find.

Usage: gen_postings.py [-n N] [--seed S] [--size-mb MB] [-o FILE]
  -n N         number of postings (default 400)
  --size-mb MB instead of -n: write postings until the file reaches MB megabytes
"""
import argparse
import csv
import io
import random
import sys
from datetime import date, timedelta

CN_COMPANIES = ["星河智能", "云帆科技", "深度求索实验室", "青藤医疗AI", "蓝海金融科技", "启明教育",
                "智造未来机器人", "北辰数据", "灵犀互动", "天枢芯片"]
EN_COMPANIES = ["Northwind AI", "Helios Labs", "Quantum Ledger", "MedSight", "Brightpath Learning",
                "Forge Robotics", "Atlas Cloud", "Lumen Analytics", "Vector Works", "Nimbus Data"]
CN_CITIES = ["北京·海淀区", "上海·浦东新区", "深圳·南山区", "杭州·余杭区", "南京·雨花台区", "成都·高新区"]
EN_CITIES = ["San Francisco, CA", "New York, NY", "Seattle, WA", "Austin, TX", "Boston, MA", "Remote"]

RESEARCH_CN = {
    "titles": ["大模型算法研究员", "大模型训练优化工程师", "推理加速算法专家", "CUDA算子开发工程师",
               "多模态预训练研究员", "具身智能算法研究员", "世界模型算法研究员", "强化学习后训练研究员"],
    "duties": ["负责大模型预训练与后训练（SFT、RLHF）算法研究", "编写并优化CUDA/Triton算子，提升训练与推理吞吐",
               "设计分布式训练策略，包括数据并行、张量并行与流水线并行", "研究混合精度训练与梯度累积方案",
               "负责模型量化、KV Cache优化与投机解码（Speculative Decoding）", "探索新的模型架构与训练范式",
               "跟踪前沿论文并复现，在顶会发表研究成果"],
    "reqs": ["计算机、数学等相关专业硕士及以上学历，985/211院校优先",
             "在NeurIPS、ICML、ICLR、CVPR、ACL、AAAI等顶会发表过论文者优先",
             "熟悉PyTorch、Megatron-LM、DeepSpeed等训练框架", "具备扎实的数学基础和C++/CUDA编程能力",
             "博士学历优先，有一作顶会论文者优先"],
}
ENGINEERING_CN = {
    "titles": ["大模型应用开发工程师", "AI Agent开发工程师", "RAG检索增强工程师", "大模型微调工程师",
               "AI全栈开发工程师", "知识图谱与GraphRAG工程师", "计算机视觉应用工程师", "大模型部署运维工程师"],
    "duties": ["基于DeepSeek、通义千问、OpenAI等大模型API开发业务应用", "使用LangChain、LlamaIndex搭建智能体（Agent）与多智能体协作系统",
               "负责RAG系统：文档解析、文本切分、Embedding向量化、Milvus向量数据库与重排序（Rerank）",
               "使用LoRA对开源模型做业务数据微调（SFT）", "结合知识图谱实现GraphRAG问答",
               "调用YOLO等视觉模型完成图像检测与质检", "负责Prompt工程与效果评测", "使用Docker完成模型服务化部署"],
    "reqs": ["本科及以上学历，计算机相关专业", "熟练掌握Python，熟悉FastAPI或Flask后端开发",
             "有大模型应用落地经验者优先", "熟悉向量数据库（Milvus、Weaviate、Pinecone）", "1-3年相关工作经验"],
}
OTHER_CN = {
    "titles": ["AI产品经理", "数据分析师", "大模型数据标注员", "AI解决方案销售", "Java后端开发工程师", "运营专员"],
    "duties": ["负责产品需求分析与原型设计", "负责业务数据分析与报表", "完成文本与图像数据的标注与质检",
               "负责客户拓展与商务谈判", "负责后端服务开发与维护", "负责社区运营与用户增长"],
    "reqs": ["本科及以上学历", "沟通能力强", "熟悉Excel与SQL", "有相关行业经验优先", "大专及以上学历"],
}
RESEARCH_EN = {
    "titles": ["Research Scientist, LLM Pretraining", "Machine Learning Researcher, Post-Training",
               "GPU Kernel Engineer (CUDA/Triton)", "Inference Optimization Research Engineer",
               "Research Scientist, Embodied AI", "Research Scientist, World Models"],
    "duties": ["Design and run large-scale pretraining and RLHF experiments",
               "Write and optimize CUDA and Triton kernels for attention and matmul",
               "Scale distributed training with data, tensor and pipeline parallelism and mixed precision",
               "Research quantization, KV cache compression and speculative decoding",
               "Explore new model architectures and publish at top venues"],
    "reqs": ["PhD or MS in Computer Science, Mathematics or a related field",
             "Publications at NeurIPS, ICML, ICLR or CVPR are strongly preferred",
             "Deep experience with PyTorch and distributed training", "Strong C++ and CUDA skills"],
}
ENGINEERING_EN = {
    "titles": ["Applied AI Engineer", "LLM Application Engineer", "AI Agent Engineer",
               "Machine Learning Engineer, RAG", "GenAI Solutions Engineer", "MLOps Engineer"],
    "duties": ["Build LLM-powered features on the OpenAI and Anthropic APIs",
               "Develop agents with LangChain, LlamaIndex and CrewAI, including tool calling",
               "Build retrieval-augmented generation pipelines: chunking, embeddings, Pinecone, reranking",
               "Fine-tune open models with LoRA on customer data", "Deploy models with Docker and Kubernetes",
               "Integrate computer vision models such as YOLO into products"],
    "reqs": ["Bachelor's degree in Computer Science or equivalent experience",
             "3+ years of software engineering experience in Python",
             "Experience with vector databases and prompt engineering", "Cloud experience (AWS, GCP) is a plus"],
}
OTHER_EN = {
    "titles": ["Data Analyst", "Account Executive, AI Platform", "Product Manager, AI", "Recruiter, Technical",
               "Business Intelligence Developer", "Customer Success Manager"],
    "duties": ["Build dashboards and reports for business stakeholders", "Own a sales territory and close deals",
               "Define product roadmaps with engineering", "Source and screen candidates",
               "Maintain SQL data models and BI tooling", "Onboard and support enterprise customers"],
    "reqs": ["Bachelor's degree", "2+ years of relevant experience", "Excellent communication skills",
             "Experience with SQL and Tableau"],
}
INDUSTRY_CN = ["金融风控", "医疗辅助诊断", "个性化教育", "智能制造质检", ""]
INDUSTRY_EN = ["financial services", "healthcare", "education", "manufacturing", ""]


def pick_direction(rng, t):
    """Engineering share grows over time; research stays scarce."""
    eng = 0.30 + 0.20 * t
    research = 0.22
    r = rng.random()
    return "research" if r < research else "engineering" if r < research + eng else "other"


def cn_salary(rng, direction):
    if direction == "other" and rng.random() < 0.3:
        return rng.choice(["150-200元/天", "面议", "8000-12000元/月"])
    lo = {"research": rng.choice([35, 40, 50, 60]), "engineering": rng.choice([15, 20, 25, 30]),
          "other": rng.choice([8, 10, 12, 15])}[direction]
    hi = lo + rng.choice([10, 15, 20, 30])
    months = rng.choice(["", "·13薪", "·14薪", "·15薪", "·16薪"])
    if rng.random() < 0.1:
        return f"{lo // 10}-{hi // 10}万/月" if lo >= 20 else "面议"
    return f"{lo}-{hi}K{months}"


def en_salary(rng, direction):
    base = {"research": 180, "engineering": 130, "other": 80}[direction]
    lo = base + rng.choice([0, 10, 20, 40])
    hi = lo + rng.choice([30, 50, 80])
    form = rng.random()
    if form < 0.4:
        return f"${lo}K-${hi}K"
    if form < 0.7:
        return f"${lo},000 - ${hi},000 a year"
    return ""


def make_posting(rng, i, when, t):
    direction = pick_direction(rng, t)
    chinese = rng.random() < 0.6
    if chinese:
        table = {"research": RESEARCH_CN, "engineering": ENGINEERING_CN, "other": OTHER_CN}[direction]
    else:
        table = {"research": RESEARCH_EN, "engineering": ENGINEERING_EN, "other": OTHER_EN}[direction]
    titles = table["titles"]
    if direction == "research" and t < 0.6:  # embodied AI and world models come late
        titles = [x for x in titles if "具身" not in x and "世界模型" not in x and "Embodied" not in x
                  and "World" not in x]
    title = rng.choice(titles)
    duties = rng.sample(table["duties"], k=min(3, len(table["duties"])))
    reqs = rng.sample(table["reqs"], k=min(3, len(table["reqs"])))
    salary = cn_salary(rng, direction) if chinese else en_salary(rng, direction)
    if chinese:
        industry = rng.choice(INDUSTRY_CN)
        lines = ["岗位职责："] + [f"{k + 1}. {d}{'，服务' + industry + '场景' if industry and k == 0 else ''}；"
                                 for k, d in enumerate(duties)]
        lines += ["任职要求："] + [f"{k + 1}. {r}；" for k, r in enumerate(reqs)]
        lines += ["公司介绍：", f"{rng.choice(CN_COMPANIES)}成立于{rng.randint(2010, 2022)}年，提供五险一金、带薪年假。"]
        edu = "硕士" if direction == "research" else rng.choice(["本科", "本科", "大专", "学历不限"])
        exp = rng.choice(["经验不限", "1-3年", "3-5年", "5-10年", "在校/应届"])
        company, city = rng.choice(CN_COMPANIES), rng.choice(CN_CITIES)
        posted = when.strftime("%Y-%m-%d") if rng.random() < 0.8 else f"{when.year}/{when.month}/{when.day}"
    else:
        industry = rng.choice(INDUSTRY_EN)
        lines = ["About the role", f"We are hiring in {industry or 'our platform team'}.", "", "Responsibilities:"]
        lines += [f"- {d}" for d in duties] + ["", "Qualifications:"] + [f"- {r}" for r in reqs]
        if salary.endswith("a year"):
            lines += ["", f"The base pay range for this role is {salary}."]
            salary = ""
        lines += ["", "Benefits: medical, dental, 401(k) and flexible time off."]
        edu, exp = "", ""
        company, city = rng.choice(EN_COMPANIES), rng.choice(EN_CITIES)
        posted = when.strftime("%Y-%m-%d")
    return [f"JM-{i:07d}", title, company, city, salary, posted, edu, exp, "\n".join(lines)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=400)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--size-mb", type=float, default=0)
    ap.add_argument("-o", "--output", default="-")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["id", "title", "company", "location", "salary", "posted", "education", "experience",
                "description"])
    start, days = date(2023, 1, 1), (date(2025, 12, 31) - date(2023, 1, 1)).days
    limit = int(args.size_mb * 1024 * 1024)
    i = 0
    buf = io.StringIO()
    bw = csv.writer(buf, lineterminator="\r\n")
    written = 0
    while (limit and written < limit) or (not limit and i < args.n):
        # Later dates are more frequent: the market grows.
        offset = int(days * (rng.random() ** 0.7))
        t = offset / days
        bw.writerow(make_posting(rng, i + 1, start + timedelta(days=offset), t))
        i += 1
        if buf.tell() > (1 << 20) or not limit:
            chunk = buf.getvalue()
            out.write(chunk)
            written += len(chunk.encode("utf-8")) if limit else 0
            buf.seek(0)
            buf.truncate()
    out.write(buf.getvalue())
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
