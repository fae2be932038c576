"""Report-side changes that must not move a figure: the bulk bootstrap gives the old loop's intervals bit for bit,
and the report follows the taxonomy's order."""

from __future__ import annotations

import random
import re
from statistics import fmean

from eval.catalog import load_catalog, load_taxonomy
from eval.metrics import bootstrap_ci
from eval.report import bars, heatmap


def _loop_bootstrap(values: list[float], seed: int, rounds: int = 1000) -> tuple[float, float]:
    """The per-round implementation the bulk one replaced."""
    rng = random.Random(seed)
    means = sorted(fmean(rng.choices(values, k=len(values))) for _ in range(rounds))
    return (round(means[int(0.025 * rounds)], 4), round(means[int(0.975 * rounds) - 1], 4))


def test_bulk_bootstrap_gives_exactly_the_intervals_of_the_per_round_loop() -> None:
    rng = random.Random(4)
    for _ in range(300):
        n = rng.choice([2, 3, 3, 4, 7, 40, 400])
        values = [rng.choice([0.0, 1.0, 0.5, 0.3333, round(rng.random(), 4)]) for _ in range(n)]
        seed = rng.randrange(10**6)
        assert bootstrap_ci(values, seed) == _loop_bootstrap(values, seed), (values, seed)


def _results_in_alphabetical_order() -> dict:
    cards = sorted(load_catalog(), key=lambda c: c.id)
    rows = [
        {"id": c.id, "title": c.title, "domain": c.domain, "sector": c.sector_id, "capability": c.capability}
        for c in cards
    ]
    groups = {
        "sector": {c.sector_id: {"score": 0.9} for c in cards},
        "capability": {code: {"score": 0.8, "n_scenarios": 1} for code in sorted({c.capability for c in cards})},
    }
    return {"scenarios": rows, "groups": groups}


def test_heatmap_rows_and_capability_bars_follow_the_taxonomy_not_the_alphabet() -> None:
    taxonomy = load_taxonomy()
    results = _results_in_alphabetical_order()
    rows = re.findall(r'<text x="0" y="\d+" font-size="12">([A-Z]{2}) ', heatmap(results))
    assert rows == list(taxonomy.domains) and rows != sorted(rows)
    capabilities = re.findall(r"</title>([A-Z]{2})</text>", bars(results))
    assert capabilities == list(taxonomy.capabilities) and capabilities != sorted(capabilities)
    assert "<title>BG1 公文办理: 0.90</title>" in heatmap(results)
