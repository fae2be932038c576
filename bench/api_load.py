"""Load benchmark of the chat API (not a test: it prints figures).

    make bench-api
    .venv/bin/python bench/api_load.py [--duration 60] [--clients 50] [--agent citizen-qa] [--home .shuzhi/demo]
    .venv/bin/python bench/api_load.py --url http://127.0.0.1:8000 --key sz-…   # an already running server

Without --url it starts `shuzhi serve` on a free loopback port over --home (the knowledge base `make demo`
builds), with the offline model and rate limiting off, creates a citizen key there, and stops the server at
the end. After a warm-up (each demo question once per worker), N clients each send one question after
another (the demo questions, in turn; with --unique each text made distinct, so that nothing comes from the
server's embedding caches: the cold path) for --duration seconds.
Prints requests/s, latency percentiles (ms) and the error count.

The helpers here (start_server, chat_client, percentile …) are shared with bench/load.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.keys import KeyStore  # noqa: E402

DEMO = (REPO / "data" / "kb" / "demo_questions.jsonl").read_text("utf-8")
QUESTIONS = [json.loads(line)["query"] for line in DEMO.splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def create_key(home: Path, audience: str, name: str) -> str:
    """A fresh API key in ``home``'s key store (the server reads it on the next request)."""
    return KeyStore(home / "keys.sqlite").create(audience, name=name)[0]


def start_server(
    home: Path, workers: int, log: IO[bytes] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """`shuzhi serve` over ``home`` on a free loopback port, offline model, no rate limit; waits for /readyz.

    Args:
        log: where the server's stderr goes (default: discarded).
    """
    if not (home / "manifest.sqlite").exists():
        sys.exit(f"no knowledge base under {home}; run `make demo` first (or pass --home / --url)")
    port = free_port()
    env = {**os.environ, "SHUZHI_HOME": str(home), "SHUZHI_LLM_PROVIDER": "offline"}
    env["SHUZHI_RATE_LIMIT_PER_MINUTE"] = "0"  # one key drives all clients; measure the service, not the limiter
    command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", str(workers)]
    # A session of its own, so that stopping it also stops the worker processes uvicorn spawned.
    output = log or subprocess.DEVNULL
    server = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=output, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/readyz", timeout=30).status_code == 200:
                return server, url
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            stop_server(server)
            sys.exit(f"server exited with code {server.returncode}")
        time.sleep(0.5)
    stop_server(server)
    sys.exit("server did not become ready")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn stops its workers), then SIGKILL whatever of the server's session is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)


def error_kind(response: httpx.Response) -> str:
    """``HTTP 503 write_busy``: the status and, when the body is the API's error JSON, its code."""
    try:
        code = response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        code = ""
    return f"HTTP {response.status_code} {code}".rstrip()


async def chat_client(
    url: str,
    key: str,
    agent: str,
    until: float,
    offset: int,
    out: list[float],
    errors: list[str],
    unique: bool = False,
) -> None:
    """Send the demo questions one after another until ``until``; latencies to ``out``, failures to ``errors``."""
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as client:
        n = offset
        while time.perf_counter() < until:
            question = QUESTIONS[n % len(QUESTIONS)]
            if unique:  # a distinct text defeats the server's query-embedding cache: the cold path
                question = f"{question}（第{n}位来电）"
            body = {"model": agent, "messages": [{"role": "user", "content": question}]}
            n += 1
            began = time.perf_counter()
            try:
                response = await client.post("/v1/chat/completions", json=body)
                ok = response.status_code == 200 and response.json()["choices"][0]["message"]["content"]
                if not ok:
                    errors.append(error_kind(response))
            except (httpx.HTTPError, ValueError) as exc:
                errors.append(type(exc).__name__)
            out.append(time.perf_counter() - began)


async def warm_up(url: str, key: str, agent: str, questions: list[str] | None = None) -> None:
    """Send ``questions`` (default: the first demo question) once so that loading is not counted as latency."""
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=300) as client:
        for question in questions or QUESTIONS[:1]:
            warm = {"model": agent, "messages": [{"role": "user", "content": question}]}
            (await client.post("/v1/chat/completions", json=warm)).raise_for_status()


async def warm_every_question(url: str, key: str, agent: str, workers: int) -> None:
    """Each demo question once per worker (separate connections, so each worker's caches fill): the measured
    phase is then the steady state of a service whose common questions it has seen; --unique measures the
    cold path, where every question is new."""
    await asyncio.gather(*(warm_up(url, key, agent, QUESTIONS) for _ in range(2 * workers)))


async def _drive(
    url: str, key: str, agent: str, clients: int, duration: float, unique: bool = False, workers: int = 1
) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    if unique:
        await warm_up(url, key, agent)
    else:
        await warm_every_question(url, key, agent, workers)
    began = time.perf_counter()
    until = began + duration
    await asyncio.gather(
        *(chat_client(url, key, agent, until, i * 1000, latencies, errors, unique) for i in range(clients))
    )
    return latencies, errors, time.perf_counter() - began


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile of seconds, in milliseconds (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def latency_line(latencies: list[float]) -> str:
    return (
        f"latency ms: p50 {percentile(latencies, 0.50):.0f}, p95 {percentile(latencies, 0.95):.0f}, "
        f"p99 {percentile(latencies, 0.99):.0f}, mean {statistics.fmean(latencies) * 1000:.0f}"
    )


def error_kinds(errors: list[str]) -> dict[str, int]:
    return {kind: errors.count(kind) for kind in sorted(set(errors))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--agent", default="citizen-qa")
    parser.add_argument("--home", type=Path, default=REPO / ".shuzhi" / "demo", help="SHUZHI_HOME of the server")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--url", help="an already running server (then --key is required)")
    parser.add_argument("--key", help="API key for --url")
    parser.add_argument(
        "--unique", action="store_true", help="make every question text distinct (no query-embedding cache hits)"
    )
    args = parser.parse_args()
    server = None
    if args.url:
        if not args.key:
            parser.error("--url needs --key")
        url, key = args.url.rstrip("/"), args.key
    else:
        home = args.home.resolve()
        server, url = start_server(home, args.workers)
        key = create_key(home, "citizen", "bench-api")
    try:
        latencies, errors, elapsed = asyncio.run(
            _drive(url, key, args.agent, args.clients, args.duration, args.unique, args.workers)
        )
    finally:
        if server is not None:
            stop_server(server)
    questions = "all distinct" if args.unique else f"{len(QUESTIONS)} demo questions in turn"
    print(f"agent {args.agent}, {args.clients} clients, {elapsed:.1f}s, server workers {args.workers}, {questions}")
    print(f"requests {len(latencies)}, {len(latencies) / elapsed:.1f} requests/s, errors {len(errors)}")
    if latencies:
        print(latency_line(latencies))
    if errors:
        print("error kinds:", error_kinds(errors))


if __name__ == "__main__":
    main()
