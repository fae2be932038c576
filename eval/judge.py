"""Optional LLM judge (OpenAI-compatible, temperature 0), off by default and reported in its own column.

It never feeds the headline score. The endpoint comes from ``--judge-base-url`` / ``--judge-model`` (or
SHUZHI_JUDGE_BASE_URL / SHUZHI_JUDGE_MODEL), read at the CLI edge; results.json records the judge model and
a hash of the prompt template.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from eval.cases import Case
from eval.scorers import RunOutput

PROMPT = """你是政务服务答复的评审员。根据“参考要点”判断“答复”是否正确、完整、有依据，只输出 JSON：
{{"score": 0到1之间的小数, "reason": "一句话理由"}}

问题：{question}
参考要点：{expected}
答复：{answer}"""
PROMPT_HASH = hashlib.sha256(PROMPT.encode()).hexdigest()[:12]


class JudgeConfigError(ValueError):
    """The judge was requested but its endpoint is not configured."""


class LLMJudge:
    """Scores one (case, output) pair with a chat model; a failed call yields ``score: None``, never a crash."""

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout: float = 60.0) -> None:
        from langchain_openai import ChatOpenAI

        self.model = model
        self.info = {"model": model, "base_url": base_url, "prompt_hash": PROMPT_HASH}
        self._chat = ChatOpenAI(
            base_url=base_url, model=model, api_key=api_key or "not-needed", temperature=0, timeout=timeout
        )

    def __call__(self, case: Case, output: RunOutput) -> dict[str, Any]:
        prompt = PROMPT.format(
            question=case.question, expected=json.dumps(case.expected, ensure_ascii=False), answer=output.answer
        )
        try:
            reply = str(self._chat.invoke(prompt).content)
            match = re.search(r"\{.*\}", reply, re.S)
            data = json.loads(match.group()) if match else {}
            score = float(data["score"])
        except Exception as exc:  # a judge outage must not stop the deterministic evaluation
            return {"score": None, "error": f"{type(exc).__name__}: {exc}"[:200]}
        return {"score": min(1.0, max(0.0, score)), "reason": str(data.get("reason", ""))[:200]}


def build_judge(base_url: str, model: str, api_key: str = "", timeout: float = 60.0) -> LLMJudge:
    """The judge for ``--judge``; both the endpoint and the model must be given (no silent default)."""
    if not base_url or not model:
        raise JudgeConfigError(
            "--judge needs --judge-base-url and --judge-model (or SHUZHI_JUDGE_BASE_URL / SHUZHI_JUDGE_MODEL), "
            "an OpenAI-compatible endpoint such as http://127.0.0.1:11434/v1 with model qwen2.5:7b"
        )
    return LLMJudge(base_url, model, api_key, timeout)
