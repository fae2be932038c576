"""Load benchmark of the chat API (not a test: it prints figures).

    make bench-api
    .venv/bin/python bench/api_load.py [--duration 60] [--clients 50] [--agent citizen-qa] [--home .shuzhi/demo]
    .venv/bin/python bench/api_load.py --url http://127.0.0.1:8000 --key sz-…   # an already running server

Without --url it starts `shuzhi serve` on a free loopback port over --home (the knowledge base `make demo`
builds), with the offline model and rate limiting off, creates a citizen key there, and stops the server at
the end. N clients each send one question after another (the demo questions, in turn; with --unique each
text made distinct so that no query embedding comes from the server's cache) for --duration seconds.
Prints requests/s, latency percentiles (ms) and the error count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.keys import KeyStore  # noqa: E402

DEMO = (REPO / "data" / "kb" / "demo_questions.jsonl").read_text("utf-8")
QUESTIONS = [json.loads(line)["query"] for line in DEMO.splitlines() if line.strip()]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(home: Path, workers: int) -> tuple[subprocess.Popen[bytes], str, str]:
    if not (home / "manifest.sqlite").exists():
        sys.exit(f"no knowledge base under {home}; run `make demo` first (or pass --home / --url)")
    key, _ = KeyStore(home / "keys.sqlite").create("citizen", name="bench-api")
    port = _free_port()
    env = {**os.environ, "SHUZHI_HOME": str(home), "SHUZHI_LLM_PROVIDER": "offline"}
    env["SHUZHI_RATE_LIMIT_PER_MINUTE"] = "0"  # one key drives all clients; measure the service, not the limiter
    command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/readyz", timeout=30).status_code == 200:
                return server, url, key
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            sys.exit(f"server exited with code {server.returncode}")
        time.sleep(0.5)
    server.kill()
    sys.exit("server did not become ready")


async def _client(
    url: str, key: str, agent: str, until: float, offset: int, out: list[float], errors: list[str], unique: bool
) -> None:
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
                    errors.append(f"HTTP {response.status_code}")
            except (httpx.HTTPError, ValueError) as exc:
                errors.append(type(exc).__name__)
            out.append(time.perf_counter() - began)


async def _drive(
    url: str, key: str, agent: str, clients: int, duration: float, unique: bool = False
) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    # One warm-up request so that model loading is not counted as latency.
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=300) as client:
        warm = {"model": agent, "messages": [{"role": "user", "content": QUESTIONS[0]}]}
        (await client.post("/v1/chat/completions", json=warm)).raise_for_status()
    began = time.perf_counter()
    until = began + duration
    await asyncio.gather(
        *(_client(url, key, agent, until, i * 1000, latencies, errors, unique) for i in range(clients))
    )
    return latencies, errors, time.perf_counter() - began


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


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
        server, url, key = _start_server(args.home.resolve(), args.workers)
    try:
        latencies, errors, elapsed = asyncio.run(_drive(url, key, args.agent, args.clients, args.duration, args.unique))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    questions = "all distinct" if args.unique else f"{len(QUESTIONS)} demo questions in turn"
    print(f"agent {args.agent}, {args.clients} clients, {elapsed:.1f}s, server workers {args.workers}, {questions}")
    print(f"requests {len(latencies)}, {len(latencies) / elapsed:.1f} requests/s, errors {len(errors)}")
    if latencies:
        print(
            f"latency ms: p50 {_percentile(latencies, 0.50):.0f}, p95 {_percentile(latencies, 0.95):.0f}, "
            f"p99 {_percentile(latencies, 0.99):.0f}, mean {statistics.fmean(latencies) * 1000:.0f}"
        )
    if errors:
        print("error kinds:", {kind: errors.count(kind) for kind in sorted(set(errors))})


if __name__ == "__main__":
    main()
