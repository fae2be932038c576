"""Regenerate ``eval/catalog/cards/*.yaml`` from ``eval/catalog/taxonomy.yaml``: ``python -m eval.catalog_build``."""

from __future__ import annotations

from pathlib import Path

import yaml

from eval.catalog import CATALOG_DIR, build_cards, load_taxonomy

HEADER = "# 场景卡片（由 `python -m eval.catalog_build` 从 taxonomy.yaml 生成；可手工调整阈值或数据分级）\n"


def write_cards(directory: Path = CATALOG_DIR) -> list[Path]:
    """Write one YAML file of cards per domain; returns the paths written."""
    cards = build_cards(load_taxonomy(directory / "taxonomy.yaml"))
    out = directory / "cards"
    out.mkdir(exist_ok=True)
    written = []
    for domain in dict.fromkeys(card.domain for card in cards):
        items = [card.model_dump() for card in cards if card.domain == domain]
        path = out / f"{domain}.yaml"
        body = yaml.safe_dump({"scenarios": items}, allow_unicode=True, sort_keys=False, width=200)
        path.write_text(HEADER + body, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_cards():
        print(written_path)
