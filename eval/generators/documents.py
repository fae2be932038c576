"""DR and PF cases (公文): drafting requests per sector, and clean 通知 with seeded format errors.

PF gold is the set of rules the seeded errors break (GB/T 9704 / 条例 rule ids of the project's checker);
a clean document (no seeded error) is also a case, so false alarms cost precision.
"""

from __future__ import annotations

import random

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case

# sector → (发文机关, 主送机关, 事由) of a fictional 江临市 document; the sector changes what is drafted.
SUBJECTS: dict[str, tuple[str, str, str]] = {
    "BG1": ("江临市人民政府办公室", "各区人民政府，市政府各部门", "进一步规范公文办理工作"),
    "BG2": ("江临市人民政府办公室", "市政府各部门", "召开全市城市运行保障工作会议"),
    "BG3": ("江临市人民政府督查室", "各区人民政府", "开展重点工作任务落实情况专项督查"),
    "BG4": ("江临市统计局", "各区统计局", "开展2026年度营商环境专题调研"),
    "BG5": ("江临市机关事务管理局", "市级各部门", "加强办公用房和公务用车管理"),
    "JC1": ("江临市发展和改革委员会", "各区发展和改革局", "做好一季度经济运行监测分析"),
    "JC2": ("江临市投资促进局", "各区投资促进部门", "开展重点产业链招商引资对接活动"),
    "JC3": ("江临市司法局", "市政府各部门", "开展惠企政策实施效果评估"),
    "JC4": ("江临市12345政务服务便民热线管理办公室", "各承办单位", "加强热线民意分析和舆情研判"),
    "JC5": ("江临市城市运行管理中心", "各区人民政府", "建立城市体征指标月度研判机制"),
}
DOC_TYPES = ["通知", "通知", "函"]
# Seeded errors: (rule id of the checker, description, how to break the clean text).
ERRORS: list[tuple[str, str]] = [
    ("T9", "发文字号用方括号"),
    ("T10", "成文日期用汉字"),
    ("T2", "标题末尾有标点"),
    ("T15", "层次序数后多余标点"),
    ("T16", "附件名称后加标点"),
]


def clean_notice(issuer: str, recipients: str, subject: str, code: str) -> str:
    """A short 通知 that follows the format rules the seeded errors break."""
    return (
        f"{issuer}文件\n\n{code}〔2026〕12号\n\n"
        f"{issuer}关于{subject}的通知\n\n"
        f"{recipients}：\n"
        f"　　为{subject}，现将有关事项通知如下：\n"
        "　　一、提高思想认识\n"
        "　　（一）明确责任分工。各单位要落实主体责任。\n"
        "　　二、抓好工作落实\n"
        "　　各单位要于2026年6月30日前报送工作情况。\n\n"
        "　　附件：工作情况统计表\n\n"
        f"{issuer}\n2026年5月6日\n"
    )


def seed_error(text: str, rule: str) -> str:
    edits = {
        "T9": ("〔2026〕12号", "[2026]12号"),
        "T10": ("2026年5月6日\n", "二〇二六年五月六日\n"),
        "T2": ("的通知\n", "的通知。\n"),
        "T15": ("（一）明确", "（一）、明确"),
        "T16": ("附件：工作情况统计表", "附件：工作情况统计表。"),
    }
    old, new = edits[rule]
    return text.replace(old, new, 1)


def _subject(card: ScenarioCard) -> tuple[str, str, str]:
    return SUBJECTS.get(card.sector_id) or SUBJECTS[f"BG{card.sector}"]


@register("DR")
def generate_dr(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    issuer, recipients, subject = _subject(card)
    cases = []
    for number, doc_type in enumerate(DOC_TYPES[: ctx.per_scenario], 1):
        to = recipients.split("，")[0] if doc_type == "函" else recipients
        question = f"以{issuer}名义给{to}发个{doc_type}，{subject}"
        if number == 2:
            question += "，要求6月30日前报送落实情况"
        scorers = [
            ScorerSpec(name="exact_match", params={"path": "draft_document.doc_type", "gold": "doc_type"}),
            ScorerSpec(name="gongwen_format", params={"path": "draft_document.text"}, threshold=0.7),
            ScorerSpec(name="tool_calls", params={"tools": ["draft_document"]}),
        ]
        cases.append(
            make_case(
                card, number, question, {"doc_type": doc_type}, scorers, "eval/generators/documents.py", "documents.dr"
            )
        )
    return cases


@register("PF")
def generate_pf(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng: random.Random = ctx.rng(card)
    issuer, recipients, subject = _subject(card)
    code = "江政办发" if "人民政府" in issuer else "江临发"
    clean = clean_notice(issuer, recipients, subject, code)
    cases = []
    for number in range(1, ctx.per_scenario + 1):
        rules = [] if number == 1 else sorted(r for r, _ in rng.sample(ERRORS, number))
        text = clean
        for rule in rules:
            text = seed_error(text, rule)
        scorers = [
            ScorerSpec(
                name="set_f1",
                params={"path": "check_document.findings", "pluck": "rule", "gold": "rules"},
                threshold=0.6,
            ),
            ScorerSpec(name="tool_calls", params={"tools": ["check_document"]}),
        ]
        question = f"请检查下面这份公文：\n{text}"
        cases.append(
            make_case(card, number, question, {"rules": rules}, scorers, "eval/generators/documents.py", "documents.pf")
        )
    return cases
