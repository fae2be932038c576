"""The 公文 checker: rules on hand-written documents, severities, to-dos, 涉密 refusal, files and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from agents.gongwen import DOC_TYPES, DocumentBrief, check_document, check_file, draft_document, write_docx
from agents.gongwen.inject import INJECTORS
from agents.gongwen.registry import RULES
from agents.gongwen.synth import random_brief
from app.cli import app

REPO = Path(__file__).resolve().parent.parent

# Hand-written documents and mistakes (not from synth.py): Word-paste layouts, 联合行文, attachment pages.
HANDWRITTEN = yaml.safe_load((REPO / "data" / "gongwen" / "handwritten.yaml").read_text(encoding="utf-8"))
CLEAN = HANDWRITTEN["documents"]["notice"]


def _rules(text: str, **kwargs: object) -> set[str]:
    return check_document(text, **kwargs).rules()  # type: ignore[arg-type]


@pytest.mark.parametrize("name", list(HANDWRITTEN["documents"]))
def test_hand_written_clean_documents_raise_nothing(name: str) -> None:
    report = check_document(HANDWRITTEN["documents"][name])
    assert report.findings == [] and report.doc_type in DOC_TYPES and report.ready_to_send


def _mistake(case: dict[str, str]) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case["known_miss"])] if "known_miss" in case else []
    return pytest.param(case, id=f"{case['doc']}-{case['rule']}", marks=marks)


@pytest.mark.parametrize("case", [_mistake(c) for c in HANDWRITTEN["mistakes"]])
def test_each_hand_written_mistake_is_caught(case: dict[str, str]) -> None:
    base = HANDWRITTEN["documents"][case["doc"]]
    assert case["old"] in base
    assert case["rule"] in _rules(base.replace(case["old"], case["new"], 1))


def test_a_qingshi_with_two_requests_and_a_report_with_a_request_block() -> None:
    qingshi = draft_document(random_brief(random.Random(1), "请示")).to_text()
    two = qingshi.replace("妥否，请批示。", "同时，恳请市政府同意增加编制2名。\n　　妥否，请批示。")
    report = check_document(two)
    assert [f.severity for f in report.findings if f.rule == "T4"] == ["blocking"] and report.blocking_count == 1
    baogao = draft_document(random_brief(random.Random(2), "报告")).to_text()
    assert "T5" in _rules(baogao.replace("特此报告。", "以上报告，请批准。\n　　特此报告。"))


def test_upward_rules_signer_one_recipient_prompt_and_wrong_number() -> None:
    draft = draft_document(random_brief(random.Random(3), "请示"))
    text = draft.to_text()
    assert "签发人：" in text and _rules(text) == set()
    assert "T7a" in _rules(text.replace(draft.number_line, draft.doc_number))
    many = check_document(text.replace(draft.recipients_line, "江临市人民政府、江临市财政局："))
    assert [(f.rule, f.severity) for f in many.findings] == [("T7b", "prompt")]
    broken = text.replace(draft.doc_number, draft.doc_number.replace("〔", "[").replace("〕", "]"))
    (finding,) = check_document(broken).findings
    assert finding.rule == "T9" and "六角括号" in finding.message and finding.location.startswith("发文字号（第")


def test_title_type_against_the_ending_and_the_direction() -> None:
    text = CLEAN.replace("工作的通知", "工作的通报")
    (finding,) = check_document(text).findings
    assert finding.rule == "T3" and finding.text == "特此通知。"
    assert check_document(CLEAN, doc_type="通知").findings == []


def test_placeholders_are_todos_not_errors() -> None:
    draft = draft_document(DocumentBrief(doc_type="函", issuer="江临市教育局", subject="商请协助", recipients=["江临市财政局"]))
    report = check_document(draft.to_text())
    assert report.rules() == {"T31"} and report.blocking_count == 0 and report.todo_count == 4
    assert all(f.todo for f in report.findings) and not report.ready_to_send
    assert {f.message for f in report.findings} == {"发文字号未填写", "日期未填写", "正文要点未填写"}


@pytest.mark.parametrize("marking", ["机密★1年", "秘密", "绝密★长期"])
def test_classified_documents_are_refused_without_reading_on(marking: str) -> None:
    report = check_document(marking + "\n" + CLEAN)
    assert report.refused and [f.rule for f in report.findings] == ["T12"]
    assert report.findings[0].severity == "blocking" and "涉密" in report.findings[0].fix
    assert "滨江区" not in json.dumps(report.to_json(), ensure_ascii=False)  # nothing of the text is echoed


def test_every_rule_has_an_id_severity_and_basis() -> None:
    assert len(RULES) >= 25
    for rule in RULES.values():
        assert rule.severity in ("blocking", "warning", "prompt") and rule.basis and rule.name
    assert {"T4", "T5", "T21", "T27"} <= {r.id for r in RULES.values() if r.severity == "blocking"}
    assert {"T7b", "T24"} <= {r.id for r in RULES.values() if r.severity == "prompt"}


def test_seeded_injections_are_found_on_one_document_of_each_type() -> None:
    rng = random.Random(11)
    for doc_type in DOC_TYPES:
        draft = draft_document(random_brief(rng, doc_type))
        text = draft.to_text()
        assert check_document(text).findings == [], doc_type
        for rule, inject in INJECTORS.items():
            broken = inject(draft, text, rng)
            if broken is not None and broken != text:
                assert rule in _rules(broken), (doc_type, rule)


def test_docx_round_trip_and_layout_check(tmp_path: Path) -> None:
    brief = random_brief(random.Random(5), "通知").model_copy(update={"date": dt.date(2026, 3, 9)})
    path = tmp_path / "n.docx"
    write_docx(draft_document(brief), path)
    report = check_file(path)
    assert report.findings == [] and report.source == str(path)
    import docx
    from docx.shared import Mm

    document = docx.Document(str(path))
    document.sections[0].top_margin = Mm(25)
    document.save(str(path))
    (finding,) = check_file(path).findings
    assert finding.rule == "T30" and finding.text == "25.0mm" and "37" in finding.fix
    plain = tmp_path / "plain.docx"
    bare = docx.Document()
    for line in CLEAN.splitlines():
        bare.add_paragraph(line)
    bare.save(str(plain))
    layout = {f.location for f in check_file(plain).findings if f.rule == "T30"}
    assert {"页面（上白边）", "页面（文档网格）", "页码", "正文字体", "正文字号"} <= layout


def test_check_file_rejects_other_suffixes(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ValueError, match=r"\.docx, \.txt or \.md"):
        check_file(path)


def test_cli_check_json_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "good.txt"
    good.write_text(CLEAN, encoding="utf-8")
    result = runner.invoke(app, ["doc", "check", str(good), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["doc_type"] == "通知" and data["findings"] == [] and data["counts"]["blocking"] == 0
    bad = tmp_path / "bad.md"
    bad.write_text(CLEAN.replace("根据《江临市地质灾害防治办法》（江政发〔2024〕7号）", "根据《国家行政机关公文处理办法》"), "utf-8")
    result = runner.invoke(app, ["doc", "check", str(bad)])
    assert result.exit_code == 1 and "T21" in result.stdout
    secret = tmp_path / "secret.txt"
    secret.write_text("机密★1年\n" + CLEAN, encoding="utf-8")
    assert runner.invoke(app, ["doc", "check", str(secret)]).exit_code == 3


def test_the_shipped_sample_with_errors_reports_each_planted_mistake() -> None:
    report = check_file(REPO / "data" / "gongwen" / "notice_with_errors.txt")
    assert report.rules() == {"T2", "T9", "T10", "T14", "T15", "T16", "T18", "T21", "T22", "T24"}
    t15 = [f.message for f in report.findings if f.rule == "T15"]
    assert t15 == ["“（一）”后不加标点", "序号不连续：应为第2项"]
    assert report.blocking_count == 1 and report.prompt_count == 1



def test_applying_for_funds_is_a_fact_not_a_second_request() -> None:
    text = HANDWRITTEN["documents"]["qingshi"].replace("优化人才服务，", "优化人才服务，我区已申请省级资金支持，")
    assert check_document(text).findings == []


def test_cited_documents_are_checked_against_given_records(tmp_path: Path) -> None:
    from types import SimpleNamespace

    records = [
        SimpleNamespace(title="江临市地质灾害防治办法", doc_number="江政发〔2024〕7号", validity="已废止"),
        SimpleNamespace(title="江临市防汛条例", doc_number="江临人大常〔2022〕1号", validity="现行有效"),
    ]
    (finding,) = check_document(CLEAN, documents=records).findings
    assert (finding.rule, finding.severity, finding.text) == ("T21", "blocking", "《江临市地质灾害防治办法》")
    path = tmp_path / "n.md"
    path.write_text(CLEAN.replace("江政发〔2024〕7号", "江政发〔2024〕8号"), encoding="utf-8")
    records[0].validity = "现行有效"
    (finding,) = check_file(path, documents=records).findings
    assert finding.rule == "T20" and "江政发〔2024〕7号" in finding.fix


@pytest.mark.parametrize(
    ("added", "second_request"),
    [
        ("同时，恳请市政府同意增加编制2名。", True),
        ("特请求批准设立高新区人才服务中心。", False),  # the framed matter itself
        ("请予批准。", False),  # names no other object
        ("恳请市政府批准设立该中心并核定编制。", False),
    ],
)
def test_a_request_is_compared_with_the_framed_matter(added: str, second_request: bool) -> None:
    base = HANDWRITTEN["documents"]["qingshi"]
    text = base.replace("    以上请示妥否，请批示。", f"    {added}\n    以上请示妥否，请批示。")
    assert ("T4" in _rules(text)) == second_request
