"""Case generators: code that turns the repository's structured sample data into evaluation cases.

Interface (see README.md here): a generator is ``generate(card, ctx) -> list[Case]`` registered for one or
more capability codes with ``@register("GD", ...)``. ``ctx.rng(card)`` gives a random generator seeded by
the scenario id, so the same repository always yields the same cases.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eval.cases import Case
from eval.catalog import ScenarioCard
from eval.generators.sources import SAMPLE_KB, Sources, load_sources

SEED = 20251125


@dataclass(frozen=True)
class GeneratorContext:
    """What a generator may read: the sample knowledge base folder and a base seed."""

    kb_dir: Path = SAMPLE_KB
    seed: int = SEED
    per_scenario: int = 3

    @property
    def sources(self) -> Sources:
        return load_sources(self.kb_dir)

    def rng(self, card: ScenarioCard) -> random.Random:
        """A random generator seeded by the base seed and the scenario id (stable across runs and machines)."""
        return random.Random(f"{self.seed}:{card.id}")


Generator = Callable[[ScenarioCard, GeneratorContext], list[Case]]
GENERATORS: dict[str, Generator] = {}


def register(*capabilities: str) -> Callable[[Generator], Generator]:
    """Register ``generate(card, ctx)`` for the given capability codes (one generator per code)."""

    def decorate(func: Generator) -> Generator:
        for code in capabilities:
            if code in GENERATORS:
                raise ValueError(f"capability {code} already has a generator: {GENERATORS[code].__module__}")
            GENERATORS[code] = func
        return func

    return decorate


def generate_cases(cards: list[ScenarioCard], ctx: GeneratorContext | None = None) -> list[Case]:
    """Cases for every card whose capability has a generator, in card order."""
    ctx = ctx or GeneratorContext()
    cases: list[Case] = []
    for card in cards:
        generator = GENERATORS.get(card.capability)
        if generator is not None:
            cases.extend(generator(card, ctx))
    return cases


# Generator modules register themselves on import; import them after the registry exists.
from eval.generators import (  # noqa: E402
    briefing,
    casework,
    cityops,
    documents,
    extraction,
    forms,
    guides,
    minutes,
    plans,
    policies,
    quality,
    review,
    tickets,
    tracking,
)

__all__ = [
    "GENERATORS",
    "SEED",
    "Generator",
    "GeneratorContext",
    "briefing",
    "casework",
    "cityops",
    "documents",
    "extraction",
    "forms",
    "generate_cases",
    "guides",
    "minutes",
    "plans",
    "policies",
    "quality",
    "register",
    "review",
    "tickets",
    "tracking",
]
