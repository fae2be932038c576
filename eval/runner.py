"""Runs cases end to end through AgentService (the path `shuzhi ask` takes) and writes samples as it goes.

Resumable: ``samples.jsonl`` in the output folder is appended one line per finished case; a re-run with
the same output folder skips the cases already there. Concurrent with threads (the work is embedding and
SQLite, which release the GIL).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.context import Caller
from agents.loop import AgentResult
from app.agent_service import AgentService
from eval.cases import Case
from eval.catalog import ScenarioCard
from eval.scorers import CaseScore, RunOutput, score_case
from knowledge.tokens import get_token_counter

SAMPLES = "samples.jsonl"


@dataclass
class CaseRecord:
    """One line of samples.jsonl."""

    case_id: str
    scenario: str
    agent: str
    split: str
    input: dict[str, Any]
    expected: dict[str, Any]
    output: dict[str, Any]
    score: float
    passed: bool
    abstained: bool
    error: str
    timeout: bool
    latency_s: float
    tokens_in: int
    tokens_out: int
    scorers: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    judge: dict[str, Any] | None = None

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, default=str)


def caller_for(case: Case, audience: str) -> Caller:
    """Staff agents run as staff with internal clearance; citizen agents as an ordinary citizen."""
    who = case.audience or audience
    return Caller(audience="staff", clearance="internal") if who == "staff" else Caller(audience="citizen")


def run_output(result: AgentResult, audience: str) -> RunOutput:
    """What scorers read: the answer, citations, calls, each tool's last parsed result and the evidence."""
    results: dict[str, Any] = {}
    for step in result.trace.steps:
        for call in step.tool_calls:
            try:
                results[call.name] = json.loads(call.result) if call.result else {"error": call.error}
            except ValueError:
                results[call.name] = {"text": call.result}
    return RunOutput(
        answer=result.answer,
        refused=result.refused,
        citations=list(result.citations),
        tool_calls=list(result.tool_calls),
        tool_results=results,
        evidence=list(result.trace.evidence),
        audience=audience,
    )


def read_done(out: Path) -> dict[str, dict[str, Any]]:
    """Samples already written (case id → record); a torn last line from a killed run is ignored."""
    path = out / SAMPLES
    done: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return done
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        done[record["case_id"]] = record
    return done


class Runner:
    """Runs one list of cases for their scenario cards; ``judge`` optionally adds a judge column."""

    def __init__(
        self,
        service: AgentService,
        cards: dict[str, ScenarioCard],
        out: Path,
        concurrency: int = 2,
        judge: Callable[[Case, RunOutput], dict[str, Any]] | None = None,
        case_timeout_s: float = 120.0,
    ) -> None:
        self.service = service
        self.cards = cards
        self.out = out
        self.concurrency = max(1, concurrency)
        self.judge = judge
        self.case_timeout_s = case_timeout_s
        self.counter = get_token_counter()
        self._write_lock = threading.Lock()

    def runnable(self, case: Case) -> bool:
        card = self.cards.get(case.scenario)
        return card is not None and card.agent in self.service.specs

    def run(self, cases: list[Case], progress: Callable[[int], None] | None = None) -> dict[str, dict[str, Any]]:
        """Run the cases not yet in samples.jsonl; returns every sample (old and new) by case id."""
        self.out.mkdir(parents=True, exist_ok=True)
        done = read_done(self.out)
        todo = [c for c in cases if c.id not in done and self.runnable(c)]
        if progress:
            progress(len(cases) - len(todo))
        with (self.out / SAMPLES).open("a", encoding="utf-8") as handle, ThreadPoolExecutor(self.concurrency) as pool:
            futures = [pool.submit(self.run_case, case) for case in todo]
            for future in as_completed(futures):
                record = future.result()
                with self._write_lock:
                    handle.write(record.to_json() + "\n")
                    handle.flush()
                done[record.case_id] = json.loads(record.to_json())
                if progress:
                    progress(1)
        return done

    def run_case(self, case: Case) -> CaseRecord:
        card = self.cards[case.scenario]
        spec = self.service.spec(card.agent)
        caller = caller_for(case, spec.audience)
        started = time.perf_counter()
        error = ""
        try:
            result = self.service.ask(card.agent, case.question, caller)
            output = run_output(result, caller.audience)
        except Exception as exc:  # a failing case is a result (error rate), not a crash of the whole run
            error = f"{type(exc).__name__}: {exc}"
            output = RunOutput(error=error, audience=caller.audience)
        latency = time.perf_counter() - started
        timeout = latency > self.case_timeout_s
        try:
            scored = score_case(case, output)
        except Exception as exc:  # a broken scorer or case config is reported on the case, not a crashed run
            error = error or f"scoring failed: {type(exc).__name__}: {exc}"
            scored = CaseScore(0.0, False, False, {})
        failed = bool(error) or timeout
        judge = self.judge(case, output) if self.judge and not failed else None
        return CaseRecord(
            case_id=case.id,
            scenario=case.scenario,
            agent=card.agent,
            split=case.split,
            input=case.input,
            expected=case.expected,
            output={k: v for k, v in output.to_dict().items() if k != "audience"},
            score=0.0 if failed else scored.score,
            passed=scored.passed and not failed,
            abstained=scored.abstained,
            error=error,
            timeout=timeout,
            latency_s=round(latency, 4),
            tokens_in=self.counter.count(case.question),
            tokens_out=self.counter.count(output.answer),
            scorers=scored.scorers,
            provenance=case.provenance.model_dump(),
            judge=judge,
        )
