"""公文 endpoints: draft from a brief, edits carried into the check and the .docx, classified input refused."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from tests.test_api_fixtures import ApiHarness, api, api_service  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
BRIEF = {
    "doc_type": "通知",
    "issuer": "江临市示例局",
    "recipients": ["各区示例分局", "局属各单位"],
    "subject": "开展2026年春季安全生产检查",
    "points": ["成立检查组", "4月30日前报送检查情况"],
    "date": "2026-03-02",
}


def test_draft_returns_text_body_and_findings(api: ApiHarness) -> None:  # noqa: F811
    response = api.client.post("/v1/doc/draft", json={"brief": BRIEF}, headers=api.headers("staff"))
    assert response.status_code == 200, response.text
    draft = response.json()
    assert draft["title"] == "江临市示例局关于开展2026年春季安全生产检查的通知"
    assert "各区示例分局、局属各单位：" in draft["text"] and "成立检查组" in draft["body"]
    # The 文号 was not given, so it stays a placeholder and the check lists it as a to-do.
    assert draft["placeholders"] and draft["check"]["counts"]["todo"] >= 1


def test_edited_body_reaches_the_check_and_the_docx(api: ApiHarness) -> None:  # noqa: F811
    body = "一、成立检查组。\n二、各单位于4月30日前报送检查情况。\n三、新增：检查结果纳入年度考核。"
    edited = {"brief": BRIEF, "title": "江临市示例局关于开展春季安全生产大检查的通知", "body": body}
    draft = api.client.post("/v1/doc/draft", json=edited, headers=api.headers("staff")).json()
    assert draft["title"] == edited["title"] and "检查结果纳入年度考核" in draft["text"]
    response = api.client.post("/v1/doc/docx", json=edited, headers=api.headers("admin"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "检查结果纳入年度考核" in text and "春季安全生产大检查" in text


def test_check_reports_findings_on_a_flawed_text(api: ApiHarness) -> None:  # noqa: F811
    flawed = (REPO / "data" / "gongwen" / "notice_with_errors.txt").read_text(encoding="utf-8")
    report = api.client.post("/v1/doc/check", json={"text": flawed}, headers=api.headers("staff")).json()
    assert report["ready_to_send"] is False and report["counts"]["blocking"] >= 1


def test_bad_briefs_are_422_with_the_field(api: ApiHarness) -> None:  # noqa: F811
    wrong_type = api.client.post("/v1/doc/draft", json={"brief": {**BRIEF, "doc_type": "便条"}}, headers=api.headers("staff"))
    assert wrong_type.status_code == 422 and wrong_type.json()["error"]["field"] == "brief.doc_type"
    extra = api.client.post("/v1/doc/draft", json={"brief": {**BRIEF, "colour": "red"}}, headers=api.headers("staff"))
    assert extra.status_code == 422 and extra.json()["error"]["field"] == "brief.colour"


def test_classified_brief_is_refused(api: ApiHarness) -> None:  # noqa: F811
    secret = {**BRIEF, "subject": "机密★1年 关于某专项工作"}
    response = api.client.post("/v1/doc/draft", json={"brief": secret}, headers=api.headers("staff"))
    assert response.status_code == 422 and response.json()["error"]["code"] == "classified"
