"""Token buckets: burst then refusal with a wait; with a file, worker processes share one bucket per key."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from app.ratelimit import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_wait_then_refill() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_minute=6, burst=2, clock=clock)
    assert [limiter.check("k"), limiter.check("k")] == [0, 0]
    assert limiter.check("k") == 10  # one token every 10 s
    assert limiter.check("other") == 0  # keys do not share
    clock.now += 10
    assert limiter.check("k") == 0


def test_disabled_limiter_never_refuses(tmp_path: Path) -> None:
    limiter = RateLimiter(per_minute=0, burst=1, path=tmp_path / "rl.sqlite")
    assert all(limiter.check("k") == 0 for _ in range(100))
    assert not limiter.shared and not (tmp_path / "rl.sqlite").exists()


def test_two_workers_share_one_bucket(tmp_path: Path) -> None:
    clock = FakeClock()
    first = RateLimiter(per_minute=6, burst=3, clock=clock, path=tmp_path / "rl.sqlite")
    second = RateLimiter(per_minute=6, burst=3, clock=clock, path=tmp_path / "rl.sqlite")
    assert first.shared and second.shared
    results = [first.check("k"), second.check("k"), first.check("k"), second.check("k")]
    assert results[:3] == [0, 0, 0] and results[3] > 0  # burst 3 in total, not 3 per worker
    clock.now += 10
    assert second.check("k") == 0


def _take_many(path: str, n: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    limiter = RateLimiter(per_minute=1, burst=50, path=Path(path))
    out.put(sum(1 for _ in range(n) if limiter.check("k") == 0))


def test_processes_racing_never_exceed_the_burst(tmp_path: Path) -> None:
    # Four processes take 30 tokens each from one bucket of 50 (refill is 1/min, negligible here).
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_take_many, args=(str(tmp_path / "rl.sqlite"), 30, out)) for _ in range(4)]
    for proc in procs:
        proc.start()
    granted = sum(out.get(timeout=120) for _ in procs)
    for proc in procs:
        proc.join(timeout=60)
    assert 50 <= granted <= 51  # 50 at once (+1 if a refill slipped in), never 4 × 30


def test_unwritable_store_falls_back_to_process_buckets(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    limiter = RateLimiter(per_minute=6, burst=1, path=blocker / "rl.sqlite")  # a path under a file
    assert not limiter.shared
    assert limiter.check("k") == 0 and limiter.check("k") > 0
