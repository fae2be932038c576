"""回访质检员: 答非所问, 避重就轻, required elements, verdicts, the 回访 script, the tool and the agent."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import agents.quality.tools  # noqa: F401  (registers inspect_reply)
from agents.context import Caller, RunContext
from agents.errors import ToolInputError
from agents.guardrails import SensitiveLexicon
from agents.quality import inspect_reply, split_ticket_reply
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, build_tools
from app.agent_service import AgentService
from app.settings import Settings
from knowledge import HashingEmbedder
from prompts import render

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples" / "QC" / "pairs.jsonl"
PAIRS = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines()]
TICKET = PAIRS[0]["工单"]


@pytest.mark.parametrize("pair", PAIRS, ids=[p["expected"] for p in PAIRS])
def test_sample_pairs_get_their_labelled_verdict(pair: dict) -> None:
    assert inspect_reply(pair["工单"], pair["答复"]).verdict == pair["expected"]


def test_a_full_reply_answers_every_demand_and_has_every_element() -> None:
    result = inspect_reply(TICKET, PAIRS[0]["答复"])
    assert [d.text for d in result.demands] == ["要求停止夜间施工", "并对施工单位进行处罚"]
    assert all(d.answered for d in result.demands) and result.missing_elements == []
    assert (
        result.elements["依据"] == "依据《中华人民共和国噪声污染防治法》第七十七条"
        and result.elements["时限"] == "6月20日前"
    )


def test_a_reply_that_stops_the_work_but_ignores_the_penalty_is_evasive() -> None:
    result = inspect_reply(TICKET, PAIRS[1]["答复"])
    assert result.evasive and not result.off_topic
    assert result.problems == ["避重就轻：未回应诉求「并对施工单位进行处罚」"]


def test_a_boilerplate_reply_is_off_topic_and_lacks_all_elements() -> None:
    result = inspect_reply(PAIRS[2]["工单"], PAIRS[2]["答复"])
    assert result.off_topic and result.problems[:2] == [
        "答非所问：答复与工单的关键内容（饭店）重合度仅0%",
        "避重就轻：未回应诉求「要求整改」",
    ]
    assert result.missing_elements == ["办理结果", "依据", "承办人/联系方式", "时限"]
    assert "承办单位是否与您联系过？" in result.to_dict()["callback_script"]


class _Similar:
    """An embedder that calls every pair of texts near-identical, standing in for a paraphrase."""

    name = "similar"

    def embed_query(self, text: str) -> np.ndarray:
        return np.ones(4, dtype=np.float32) / 2

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.embed_query(t) for t in texts])


def test_high_embedding_similarity_clears_a_lexical_off_topic_flag_and_is_reported() -> None:
    ticket, reply = "楼下烧烤摊半夜还在营业", "夜市商户经营时间已调整为二十二时结束"
    assert inspect_reply(ticket, reply).off_topic
    paraphrase = inspect_reply(ticket, reply, _Similar())
    assert not paraphrase.off_topic and paraphrase.similarity == pytest.approx(1.0)


def test_ticket_and_reply_split_on_their_marks() -> None:
    assert split_ticket_reply("工单内容：路灯坏了\n办理答复：已修复") == ("路灯坏了", "已修复")
    assert split_ticket_reply("路灯坏了") == ("", "")


def test_the_tool_accepts_marked_text_or_json_and_the_template_renders() -> None:
    tool = build_tools(RunContext(Caller("staff")), ["inspect_reply"])[0]
    marked = json.loads(tool.invoke({"text": f"工单：{PAIRS[2]['工单']}\n答复：{PAIRS[2]['答复']}"}))
    as_json = json.loads(
        tool.invoke({"text": json.dumps({"工单": PAIRS[2]["工单"], "答复": PAIRS[2]["答复"]}, ensure_ascii=False)})
    )
    assert marked == as_json and marked["verdict"] == "不合格"
    answer = render("answers/reply_inspection.j2", data=marked, question="", evidence=[])
    assert "质检结论：不合格" in answer and "答非所问" in answer and "回访话术" in answer and "办理结果✗" in answer
    with pytest.raises(ToolInputError, match="答复"):
        tool.invoke({"text": "只有工单没有答复"})


def test_the_reply_inspector_answers_through_the_agent_service(tmp_path: Path) -> None:
    spec = load_spec(BUILTIN_DIR / "reply_inspector.yaml", set(TOOL_REGISTRY))
    knowledge = SimpleNamespace(embedder=HashingEmbedder())  # one intent: the model-free embedder picks it
    service = AgentService(Settings(home=tmp_path), knowledge, {spec.id: spec}, SensitiveLexicon.default())  # type: ignore[arg-type]
    result = service.ask("reply-inspector", f"工单：{TICKET}\n答复：{PAIRS[1]['答复']}", Caller("staff"))
    assert [c["name"] for c in result.tool_calls] == ["inspect_reply"] and not result.refused
    assert "质检结论：基本合格" in result.answer and "并对施工单位进行处罚——未回应" in result.answer
