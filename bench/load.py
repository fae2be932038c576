"""Load under write: chat clients plus a concurrent ingest against `shuzhi serve --workers N` (prints figures).

    make bench-load
    .venv/bin/python bench/load.py [--duration 120] [--clients 100] [--workers 2] [--home .shuzhi/demo]
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --key sz-… [--admin-key sz-…]

Without --url it copies --home (the knowledge base `make demo` builds; traces and eval output are left
out) to a temporary directory, so the bench never changes it, creates a citizen and an admin key in the
copy and starts `shuzhi serve` there on a free loopback port (offline model, rate limiting off). Then
--clients chat clients ask the demo questions one after another: unmeasured for --warmup seconds (every worker
loads its models), alone for --baseline seconds, then for
--duration seconds while one uploader posts batches of fresh small documents to
`POST /v1/kb/load-ingest/documents` (a separate knowledge base, so chat answers stay comparable); with
--cli-ingest a `shuzhi kb ingest` process loops on the same home too (knowledge base load-cli).

Prints per phase chat requests/s and latency percentiles, errors by kind (target 0), documents ingested and
whether each one is listed afterwards, the with-ingest/chat-only ratios (the machine is shared, so the ratio
is the figure to compare across runs), the peak RSS of the server processes (read from /proc) and the bench
client's own CPU time beside wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_load import (
    REPO,
    chat_client,
    create_key,
    error_kind,
    error_kinds,
    latency_line,
    percentile,
    start_server,
    stop_server,
    warm_up,
)

INGEST_KB = "load-ingest"
CLI_KB = "load-cli"
_OUTPUTS = ("traces", "eval", "eval-demo", "out", "uploads", "write.lock")  # written by runs, not read by serve


@dataclass
class IngestStats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ingested: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def copy_home(source: Path) -> Path:
    """A private copy of ``source`` under a temporary directory (SQLite files through the backup API)."""
    if not (source / "manifest.sqlite").exists():
        sys.exit(f"no knowledge base under {source}; run `make demo` first (or pass --home / --url)")
    target = Path(tempfile.mkdtemp(prefix="shuzhi-load-")) / "home"

    def sqlite_aware_copy(src: str, dst: str) -> None:
        # A plain copy of a live WAL database can miss committed pages; the backup API cannot.
        if src.endswith((".sqlite", ".sqlite3")):
            with sqlite3.connect(src) as source_db, sqlite3.connect(dst) as target_db:
                source_db.backup(target_db)
        elif not src.endswith(("-wal", "-shm")):
            shutil.copy2(src, dst)

    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*_OUTPUTS), copy_function=sqlite_aware_copy)
    return target


def _document(run: str, n: int) -> tuple[str, bytes]:
    """A small fresh 办事指南-like document with a phrase only it contains."""
    title = f"压测事项{run}-{n:05d}办理须知"
    body = "\n\n".join(
        [
            title,
            f"一、办理地点：滨江区政务服务中心{n % 40 + 1}号窗口。",
            f"二、申请材料：身份证原件；压测专属材料编码 L{run}{n:05d}。",
            f"三、办理时限：{n % 15 + 1}个工作日。",
        ]
    )
    return f"{title}.txt", body.encode("utf-8")


async def upload_loop(url: str, key: str, run: str, batch: int, until: float, stats: IngestStats) -> None:
    """Post ``batch`` fresh documents per request, one request after another, until ``until``."""
    headers = {"Authorization": f"Bearer {key}"}
    n = 0
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=300) as client:
        while time.perf_counter() < until:
            files = []
            for _ in range(batch):
                name, data = _document(run, n)
                files.append(("files", (name, data, "text/plain")))
                n += 1
            began = time.perf_counter()
            try:
                response = await client.post(f"/v1/kb/{INGEST_KB}/documents", files=files)
                if response.status_code == 200:
                    report = response.json()
                    stats.ingested += report["ingested"]
                    stats.failed += [f"file failed: {f['reason']}" for f in report["failed"]]
                else:
                    stats.errors.append(error_kind(response))
            except (httpx.HTTPError, ValueError) as exc:
                stats.errors.append(type(exc).__name__)
            stats.latencies.append(time.perf_counter() - began)


def cli_ingest_loop(home: Path, run: str, batch: int, until: float, stats: IngestStats) -> None:
    """`shuzhi kb ingest` of ``batch`` fresh files, in a new process each round, until ``until``."""
    env = {**os.environ, "SHUZHI_HOME": str(home), "SHUZHI_LLM_PROVIDER": "offline"}
    n = 0
    while time.perf_counter() < until:
        folder = home.parent / f"cli-docs-{run}-{n:05d}"
        folder.mkdir()
        for _ in range(batch):
            name, data = _document(f"c{run}", n)
            (folder / name).write_bytes(data)
            n += 1
        began = time.perf_counter()
        command = [sys.executable, "-m", "app.cli", "kb", "ingest", str(folder), "--kb", CLI_KB]
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
        stats.latencies.append(time.perf_counter() - began)
        if done.returncode != 0:
            stats.errors.append(f"cli exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}")


class RssSampler:
    """Peak resident memory of a process tree, sampled from /proc (psutil is not a dependency)."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_total_kb = 0
        self.peak_by_pid: dict[int, int] = {}  # VmHWM, the kernel's own per-process peak

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the command name may contain spaces
            children.setdefault(ppid, []).append(int(entry))
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        return tree

    @staticmethod
    def _status_kb(pid: int, field_name: str) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def sample(self) -> None:
        total = 0
        for pid in self._tree():
            total += self._status_kb(pid, "VmRSS")
            self.peak_by_pid[pid] = max(self.peak_by_pid.get(pid, 0), self._status_kb(pid, "VmHWM"))
        self.peak_total_kb = max(self.peak_total_kb, total)

    async def run(self, until: float) -> None:
        while time.perf_counter() < until:
            self.sample()
            await asyncio.sleep(0.5)
        self.sample()


async def _listed(url: str, key: str, kb: str) -> set[str]:
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=120) as client:
        response = await client.get(f"/v1/kb/{kb}/documents")
        return {d["doc_id"] for d in response.json()} if response.status_code == 200 else set()


@dataclass
class Phase:
    name: str
    latencies: list[float]
    errors: list[str]
    elapsed: float
    cpu: float  # the bench client's own user+sys seconds
    uploads: IngestStats
    cli: IngestStats | None
    listed: set[str]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed


@dataclass
class IngestPlan:
    admin_key: str | None  # uploads through the API
    batch: int
    cli_home: Path | None  # `shuzhi kb ingest` processes on this home


async def run_phase(
    name: str, url: str, key: str, agent: str, clients: int, duration: float, plan: IngestPlan | None,
    sampler: RssSampler | None,
) -> Phase:
    """``clients`` chat clients (and the ingest of ``plan``) for ``duration`` seconds."""
    latencies: list[float] = []
    errors: list[str] = []
    uploads, cli = IngestStats(), IngestStats() if plan and plan.cli_home else None
    cpu_before, began = os.times(), time.perf_counter()
    until = began + duration
    tasks = [chat_client(url, key, agent, until, i, latencies, errors) for i in range(clients)]
    run = uuid.uuid4().hex[:6]
    if plan and plan.admin_key:
        tasks.append(upload_loop(url, plan.admin_key, run, plan.batch, until, uploads))
    if plan and plan.cli_home and cli is not None:
        tasks.append(asyncio.to_thread(cli_ingest_loop, plan.cli_home, run, plan.batch, until, cli))
    if sampler:
        tasks.append(sampler.run(until))
    await asyncio.gather(*tasks)
    elapsed, cpu_after = time.perf_counter() - began, os.times()
    cpu = cpu_after.user - cpu_before.user + cpu_after.system - cpu_before.system
    listed = set()
    if plan and plan.admin_key and uploads.ingested:
        listed = await _listed(url, plan.admin_key, INGEST_KB)
    return Phase(name, latencies, errors, elapsed, cpu, uploads, cli, listed)


async def drive(
    url: str, key: str, agent: str, clients: int, durations: tuple[float, float, float], plan: IngestPlan | None,
    sampler: RssSampler | None,
) -> list[Phase]:
    """Unmeasured warm-up, a chat-only baseline (skipped when its duration is 0), then chat with the ingest."""
    await warm_up(url, key, agent)
    warmup, baseline, duration = durations
    # Each worker process loads its models on its own first requests, so one request per client at once
    # (they spread over the workers), then --warmup seconds of steady load, none of it measured.
    await asyncio.gather(*(warm_up(url, key, agent) for _ in range(clients)))
    await run_phase("warm-up", url, key, agent, clients, warmup, None, None)
    phases = []
    if baseline > 0:
        phases.append(await run_phase("chat only", url, key, agent, clients, baseline, None, sampler))
    phases.append(await run_phase("chat + ingest", url, key, agent, clients, duration, plan, sampler))
    return phases


def report_phase(phase: Phase) -> None:
    print(f"-- {phase.name}: {phase.elapsed:.1f}s wall, bench client CPU {phase.cpu:.1f}s (user+sys)")
    print(f"chat: {len(phase.latencies)} requests, {phase.rate:.1f} requests/s, errors {len(phase.errors)}")
    if phase.latencies:
        print("chat " + latency_line(phase.latencies))
    uploads = phase.uploads
    if uploads.latencies:
        lost = sorted(set(uploads.ingested) - phase.listed)
        print(
            f"upload: {len(uploads.latencies)} requests, documents ingested {len(uploads.ingested)} "
            f"({len(uploads.ingested) / phase.elapsed * 60:.0f}/min), file failures {len(uploads.failed)}, "
            f"errors {len(uploads.errors)}, ingested but not listed afterwards {len(lost)}"
        )
        print("upload " + latency_line(uploads.latencies))
    if phase.cli is not None:
        print(f"cli ingest: {len(phase.cli.latencies)} runs, errors {len(phase.cli.errors)}")
        if phase.cli.latencies:
            print("cli ingest " + latency_line(phase.cli.latencies))
    kinds = error_kinds(phase.errors + uploads.errors + uploads.failed + (phase.cli.errors if phase.cli else []))
    if kinds:
        print("distinct errors:")
        for kind, count in kinds.items():
            print(f"  {count:6d}  {kind}")


def report(args: argparse.Namespace, phases: list[Phase], sampler: RssSampler | None) -> None:
    print(f"agent {args.agent}, {args.clients} chat clients, server workers {args.workers}, upload batch {args.batch}")
    for phase in phases:
        report_phase(phase)
    if len(phases) == 2 and all(p.latencies for p in phases):
        base, load = phases
        ratios = ", ".join(
            f"{label} x{percentile(load.latencies, q) / percentile(base.latencies, q):.2f}"
            for label, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
        )
        print(f"with ingest / chat only: requests/s x{load.rate / base.rate:.2f}, {ratios}")
    if sampler:
        peaks = ", ".join(f"{kb / 1024:.0f}" for _, kb in sorted(sampler.peak_by_pid.items()) if kb)
        print(f"server peak RSS: {sampler.peak_total_kb / 1024:.0f} MB all processes at once; per process MB: {peaks}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of chat + ingest (default 120)")
    parser.add_argument("--baseline", type=float, default=30.0, help="seconds of chat only first (default 30; 0: none)")
    parser.add_argument("--warmup", type=float, default=20.0, help="unmeasured seconds of chat first (default 20)")
    parser.add_argument("--clients", type=int, default=100, help="concurrent chat clients (default 100)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--home", type=Path, default=REPO / ".shuzhi" / "demo", help="home to copy and serve")
    parser.add_argument("--url", help="an already running server (then --key is required)")
    parser.add_argument("--key", help="citizen API key for --url")
    parser.add_argument("--admin-key", help="admin API key for --url uploads (without it: no ingest)")
    parser.add_argument("--agent", default="citizen-qa")
    parser.add_argument("--batch", type=int, default=3, help="documents per upload request (default 3)")
    parser.add_argument("--cli-ingest", action="store_true", help="also loop `shuzhi kb ingest` on the home")
    args = parser.parse_args()

    server, sampler, home = None, None, None
    if args.url:
        if not args.key:
            parser.error("--url needs --key")
        if args.cli_ingest:
            parser.error("--cli-ingest needs the server's home, so it cannot be combined with --url")
        url, key, admin_key = args.url.rstrip("/"), args.key, args.admin_key
    else:
        home = copy_home(args.home.resolve())
        key = create_key(home, "citizen", "bench-load")
        admin_key = create_key(home, "admin", "bench-load-ingest")
        log = (home.parent / "server.log").open("wb")
        server, url = start_server(home, args.workers, log)
        sampler = RssSampler(server.pid)
    plan = IngestPlan(admin_key, args.batch, home if args.cli_ingest else None)
    try:
        durations = (args.warmup, args.baseline, args.duration)
        phases = asyncio.run(drive(url, key, args.agent, args.clients, durations, plan, sampler))
    finally:
        if server is not None:
            stop_server(server)
    report(args, phases, sampler)
    if home is not None:
        print(f"server log: {home.parent / 'server.log'} (the copied home is removed)")
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
