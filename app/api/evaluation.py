"""Evaluation endpoints (evaluator and admin keys): start a run in the background, list runs, results, report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from app.api.auth import require
from app.api.errors import ApiError
from app.api.eval_jobs import RUN_ID, EvalJob, EvalJobs
from app.api.runtime import Runtime, RuntimeDep
from app.api.schemas import errors
from app.keys import ApiKey

router = APIRouter(prefix="/v1/eval", tags=["eval"])
EvalKey = Annotated[ApiKey, Depends(require("evaluator", "admin"))]
MAX_RUNNING = 2  # each run loads the models and uses the CPU fully; more at once only slows them all
RunId = Annotated[str, Path(pattern=RUN_ID, description="run id from POST /v1/eval/runs")]


class StartRun(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenarios: str = Field(
        "", max_length=500, pattern=r"^([A-Za-z0-9*][A-Za-z0-9*,\-]*)?$", description="ids or patterns: FW4-PM,ZL1-*"
    )


class RunInfo(BaseModel):
    run_id: str
    started: str
    started_by: str
    scenarios: str
    status: str
    exit_code: int | None
    has_report: bool
    log_tail: str = ""


def _jobs(runtime: Runtime) -> EvalJobs:
    home = runtime.settings.home
    return EvalJobs(home / "eval" / "runs", home, runtime.eval_command)


def _info(jobs: EvalJobs, job: EvalJob, with_log: bool = False) -> RunInfo:
    tail = jobs.log_tail(job.run_id) if with_log and job.status == "failed" else ""
    return RunInfo(**job.__dict__, log_tail=tail)


def _missing(run_id: str, what: str) -> ApiError:
    return ApiError(404, "unknown_run", f"评测 {run_id} 不存在或尚无{what}", f"run {run_id!r} has no {what} (yet)")


@router.post("/runs", response_model=RunInfo, status_code=202, responses=errors(401, 403, 409, 422, 429))
def start_run(body: StartRun, key: EvalKey, runtime: RuntimeDep) -> RunInfo:
    """后台启动一次评测 / start an evaluation run in the background."""
    jobs = _jobs(runtime)
    running = [job.run_id for job in jobs.list() if job.status == "running"]
    if len(running) >= MAX_RUNNING:
        raise ApiError(
            409,
            "runs_busy",
            f"已有 {len(running)} 个评测在运行，请待其结束后再发起",
            f"{len(running)} runs are still running ({', '.join(running)}); the limit is {MAX_RUNNING}",
        )
    return _info(jobs, jobs.start(body.scenarios, key.name))


@router.get("/runs", response_model=list[RunInfo], responses=errors(401, 403, 429))
def list_runs(key: EvalKey, runtime: RuntimeDep) -> list[RunInfo]:
    """评测记录，最新在前 / runs, newest first."""
    jobs = _jobs(runtime)
    return [_info(jobs, job) for job in jobs.list()]


@router.get("/runs/{run_id}", response_model=RunInfo, responses=errors(401, 403, 404, 422, 429))
def get_run(run_id: RunId, key: EvalKey, runtime: RuntimeDep) -> RunInfo:
    """一次评测的状态（失败时附日志末尾）/ one run's state (with the log tail when it failed)."""
    jobs = _jobs(runtime)
    job = jobs.get(run_id)
    if job is None:
        raise _missing(run_id, "记录")
    return _info(jobs, job, with_log=True)


@router.get("/runs/{run_id}/results", response_model=dict[str, Any], responses=errors(401, 403, 404, 422, 429))
def results(run_id: RunId, key: EvalKey, runtime: RuntimeDep) -> FileResponse:
    """results.json."""
    path = _jobs(runtime).file(run_id, "results.json")
    if path is None:
        raise _missing(run_id, " results.json")
    return FileResponse(path, media_type="application/json")


@router.get(
    "/runs/{run_id}/report",
    response_class=FileResponse,
    responses={**errors(401, 403, 404, 422, 429), 200: {"content": {"text/html": {}}}},
)
def report(run_id: RunId, key: EvalKey, runtime: RuntimeDep) -> FileResponse:
    """report.html."""
    path = _jobs(runtime).file(run_id, "report.html")
    if path is None:
        raise _missing(run_id, "报告")
    return FileResponse(path, media_type="text/html; charset=utf-8")
