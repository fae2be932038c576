"""Evaluation runs started from the API: a `shuzhi eval run` subprocess per run, its state kept on disk.

Each run lives in ``$SHUZHI_HOME/eval/runs/<run_id>/`` next to the harness's own outputs: ``job.json`` (who
started it, when, which scenarios), ``job.log`` (the CLI's output) and ``job.exit`` (its exit code, written
when it ends). State on disk rather than in memory means any worker process, or a restarted server, can
list and serve the runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Status = Literal["running", "done", "failed"]
_WAITING: set[str] = set()  # runs this process started and still waits for (their exit code is coming)
RUN_ID = r"^[0-9]{8}T[0-9]{6}-[0-9a-f]{6}$"


@dataclass
class EvalJob:
    run_id: str
    started: str
    started_by: str
    scenarios: str
    status: Status = "running"
    exit_code: int | None = None
    has_report: bool = False
    pid: int | None = None


class EvalJobs:
    def __init__(self, root: Path, home: Path, command: list[str]) -> None:
        self.root = Path(root)
        self.home = Path(home)
        self.command = command

    def start(self, scenarios: str, started_by: str) -> EvalJob:
        """Start the evaluation CLI (``python -m app.cli eval run``) in the background; returns at once."""
        run_id = f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        folder = self.root / run_id
        folder.mkdir(parents=True)
        job = EvalJob(run_id, datetime.now(UTC).isoformat(timespec="seconds"), started_by, scenarios)
        (folder / "job.json").write_text(json.dumps(asdict(job), ensure_ascii=False), encoding="utf-8")
        command = [*self.command, "--out", str(folder)]
        if scenarios:
            command.append(f"--scenarios={scenarios}")  # one token: a value can never be read as another option
        env = {**os.environ, "SHUZHI_HOME": str(self.home)}
        log = (folder / "job.log").open("wb")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        log.close()
        job.pid = process.pid
        (folder / "job.json").write_text(json.dumps(asdict(job), ensure_ascii=False), encoding="utf-8")

        def wait() -> None:
            code = process.wait()
            (folder / "job.exit").write_text(str(code), encoding="utf-8")
            _WAITING.discard(run_id)

        _WAITING.add(run_id)

        threading.Thread(target=wait, name=f"eval-{run_id}", daemon=True).start()
        return job

    def get(self, run_id: str) -> EvalJob | None:
        meta = self.root / run_id / "job.json"
        if not meta.is_file():
            return None
        job = EvalJob(**json.loads(meta.read_text(encoding="utf-8")))
        exit_file = meta.parent / "job.exit"
        if exit_file.exists():
            job.exit_code = int(exit_file.read_text(encoding="utf-8").strip() or -1)
            job.status = "done" if job.exit_code == 0 and (meta.parent / "results.json").exists() else "failed"
        elif job.pid is not None and run_id not in _WAITING and not _alive(job.pid):
            job.status = "failed"  # the server died with the run: nobody recorded an exit code
        job.has_report = (meta.parent / "report.html").exists()
        return job

    def list(self) -> list[EvalJob]:
        if not self.root.is_dir():
            return []
        jobs = [self.get(folder.name) for folder in sorted(self.root.iterdir(), reverse=True)]
        return [job for job in jobs if job is not None]

    def file(self, run_id: str, name: str) -> Path | None:
        path = self.root / run_id / name
        return path if self.get(run_id) is not None and path.is_file() else None

    def log_tail(self, run_id: str, chars: int = 2000) -> str:
        path = self.root / run_id / "job.log"
        return path.read_text(encoding="utf-8", errors="replace")[-chars:] if path.exists() else ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
