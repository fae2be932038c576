"""A bar chart as inline SVG, written by hand: no plotting library, no fonts to load, safe to embed in a page."""

from __future__ import annotations

from html import escape

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH, VALUE_WIDTH = 560, 22, 8, 120, 70


def bar_chart(title: str, items: list[tuple[str, float]], unit: str = "") -> str:
    """Horizontal bars, one per (label, value), longest bar = the largest value; labels and values as text."""
    top = 36
    height = top + len(items) * (BAR_HEIGHT + GAP) + 10
    largest = max((value for _, value in items), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<text x="{WIDTH // 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(items):
        y = top + index * (BAR_HEIGHT + GAP)
        length = round(span * value / largest, 1)
        shown = f"{value:g}{unit}"
        parts += [
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" font-size="13">{escape(label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="#3b6ea8">'
            f"<title>{escape(label)}：{escape(shown)}</title></rect>",
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 16}" font-size="13">{escape(shown)}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts)
