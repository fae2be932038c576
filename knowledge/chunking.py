"""Chunking that follows Chinese document structure, so every chunk can be cited by its heading path.

Sections (see ``knowledge.structure``) form a tree. A section that fits in ``max_tokens`` together with its
sub-sections becomes one chunk, unless it holds more than one 第X条: citations need 第X条 exactness, so
articles are never packed together. A section that does not fit is cut at its sub-sections; runs of small
consecutive sub-sections (under a quarter of ``max_tokens`` each) are packed into one chunk headed by their
parent. A bare title line (第三章 提取条件, 四、申请材料) travels with the first chunk of its first
sub-section instead of standing alone. A single passage longer than ``max_tokens`` is cut at sentence ends
(。！？； and line breaks), then at ，、：, then by characters; consecutive pieces of one passage overlap by
about ``overlap_tokens``, in whole sentences where possible, and all keep the passage's heading path.

Every chunk is verified by counting its own text, so no chunk exceeds ``max_tokens`` (a single character
that alone is over the limit is the only exception). Each span is counted at most once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.documents import Chunk
from knowledge.structure import split_sections
from knowledge.tokens import TokenCounter

_SENTENCE_BOUNDARY = re.compile(r"(?:[。！？；!?;…]+[”’」』）)】\"']*|[\r\n])\s*")
_CLAUSE_BOUNDARY = re.compile(r"[，、,：:]\s*")
_SMALL_FRACTION = 4  # sub-sections under max_tokens / 4 are packed with their siblings
# Text longer than this many characters per allowed token is treated as over budget without counting:
# BPE on one giant run of letters (a page of CJK without punctuation) is slow, and it must be cut anyway.
_MAX_CHARS_PER_TOKEN = 16


@dataclass
class _Node:
    """A section with its sub-sections; token counts are estimates (sums of counted parts)."""

    path: tuple[str, ...]
    own: tuple[int, int] | None  # the section's own span (heading line and body), None for a bare root
    own_tokens: int = 0
    is_article: bool = False
    heading_only: bool = False
    children: list[_Node] = field(default_factory=list)
    start: int = 0
    end: int = 0
    tokens: int = 0
    articles: int = 0
    bodies: int = 0  # non-article sections with body text
    heading: tuple[str, ...] = ()  # heading of the whole subtree as one chunk


@dataclass
class _Part:
    """One unit to place while cutting a section: its own text or one sub-section."""

    start: int
    end: int
    tokens: int
    heading: tuple[str, ...]
    node: _Node | None  # None for the section's own text
    packable: bool


def chunk_text(text: str, *, counter: TokenCounter, max_tokens: int = 350, overlap_tokens: int = 50) -> list[Chunk]:
    """Cut a document into structure-aware chunks whose spans index the original text.

    Args:
        text: The document text.
        counter: Counts tokens; the only measure of size used.
        max_tokens: Upper bound on a chunk's tokens (only a single character can exceed it).
        overlap_tokens: Tokens repeated between consecutive pieces of one over-long passage.

    Returns:
        Chunks in document order, ``chunk.text == text[chunk.start:chunk.end]``; empty for blank text.
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    if not 0 <= overlap_tokens < max_tokens:
        raise ValueError(f"overlap_tokens must be in [0, max_tokens={max_tokens}), got {overlap_tokens}")
    return _Chunker(text, counter, max_tokens, overlap_tokens).run()


class _Chunker:
    def __init__(self, text: str, counter: TokenCounter, max_tokens: int, overlap_tokens: int) -> None:
        self.text = text
        self.counter = counter
        self.max = max_tokens
        self.overlap = overlap_tokens
        self.small = max(1, max_tokens // _SMALL_FRACTION)
        # Pieces cut by characters are about one overlap long, so the overlap can repeat a whole piece.
        self.hard_piece = min(max_tokens, max(overlap_tokens, max_tokens // 8, 1))
        self.chunks: list[Chunk] = []
        self._counted: dict[tuple[int, int], int] = {}

    def run(self) -> list[Chunk]:
        root = self._tree()
        if root is not None:
            self._emit(root, None)
        return self.chunks

    def _count(self, start: int, end: int) -> int:
        # A section is counted when the tree is built and again when it is emitted: remember the span.
        if (start, end) not in self._counted:
            self._counted[start, end] = self.counter.count(self.text[start:end])
        return self._counted[start, end]

    def _measure(self, start: int, end: int) -> int:
        """Tokens in [start, end), or a stand-in above max_tokens when the span is plainly too long."""
        if end - start > self.max * _MAX_CHARS_PER_TOKEN:
            return (end - start) // _MAX_CHARS_PER_TOKEN + 1
        return self._count(start, end)

    # -- the section tree -------------------------------------------------------------------------

    def _tree(self) -> _Node | None:
        sections = split_sections(self.text)
        if not sections:
            return None
        root = _Node(path=(), own=None)
        stack = [root]
        for section in sections:
            span = (section.start, section.end)
            if not section.path:  # text before the first heading is the root's own text
                root.own, root.own_tokens = span, self._measure(*span)
                continue
            node = _Node(
                path=section.path,
                own=span,
                own_tokens=self._measure(*span),
                is_article=section.is_article,
                heading_only=section.heading_only,
            )
            while len(stack) > 1 and len(stack[-1].path) >= len(node.path):
                stack.pop()
            stack[-1].children.append(node)
            stack.append(node)
        _summarise(root)
        return root

    # -- placing sections -------------------------------------------------------------------------

    def _emit(self, node: _Node, lead: tuple[int, int] | None) -> None:
        """Place a section; ``lead`` is (start, tokens) of bare titles above it that travel with it."""
        start, lead_tokens = lead if lead else (node.start, 0)
        whole = node.articles == 0 or (node.articles == 1 and node.bodies == 0)
        if whole and node.tokens + lead_tokens <= self.max and self._count(start, node.end) <= self.max:
            self._add(start, node.end, node.heading)
            return
        parts: list[_Part] = []
        child_lead = lead
        if node.own is not None and node.heading_only and node.children:
            child_lead = (start, lead_tokens + node.own_tokens)
        elif node.own is not None:
            packable = not node.is_article and node.own_tokens < self.small
            parts.append(_Part(start, node.own[1], node.own_tokens + lead_tokens, node.path, None, packable))
            child_lead = None
        for child in node.children:
            c_start, c_tokens = (
                (child_lead[0], child_lead[1] + child.tokens) if child_lead else (child.start, child.tokens)
            )
            packable = child.articles == 0 and child.tokens < self.small  # a carried title does not count
            parts.append(_Part(c_start, child.end, c_tokens, child.heading, child, packable))
            child_lead = None
        self._place(node, parts)

    def _place(self, parent: _Node, parts: list[_Part]) -> None:
        """Place a section's parts in order, packing runs of small ones under the parent's heading."""
        group: list[_Part] = []
        total = 0
        for part in parts:
            if group and (not part.packable or total + part.tokens > self.max):
                self._flush(parent, group)
                group, total = [], 0
            if part.packable:
                group.append(part)
                total += part.tokens
            else:
                self._single(part)
        self._flush(parent, group)

    def _flush(self, parent: _Node, group: list[_Part]) -> None:
        if len(group) > 1 and self._count(group[0].start, group[-1].end) <= self.max:
            self._add(group[0].start, group[-1].end, parent.path)
        else:  # one part, or token counts were not quite additive: one chunk per part
            for part in group:
                self._single(part)

    def _single(self, part: _Part) -> None:
        if part.node is None:
            self._passage(part.start, part.end, part.heading, part.tokens)
        elif part.start != part.node.start:  # it carries bare titles from above
            self._emit(part.node, (part.start, part.tokens - part.node.tokens))
        else:
            self._emit(part.node, None)

    def _passage(self, start: int, end: int, heading: tuple[str, ...], tokens: int) -> None:
        """Emit one passage of a single section, cutting it if it is too long."""
        if tokens <= self.max and self._count(start, end) <= self.max:
            self._add(start, end, heading)
            return
        pieces = self._pieces(start, end)
        for first, last in self._windows(pieces):
            self._add(pieces[first][0], pieces[last][1], heading)

    # -- cutting one long passage -----------------------------------------------------------------

    def _pieces(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Cut [start, end) into (start, end, tokens) pieces of at most max_tokens, contiguous."""
        pieces: list[tuple[int, int, int]] = []
        for s, e in _spans(_SENTENCE_BOUNDARY, self.text, start, end):
            tokens = self._measure(s, e)
            if tokens <= self.max:
                pieces.append((s, e, tokens))
                continue
            for cs, ce in _spans(_CLAUSE_BOUNDARY, self.text, s, e):
                c_tokens = self._measure(cs, ce)
                if c_tokens <= self.max:
                    pieces.append((cs, ce, c_tokens))
                else:
                    pieces.extend(self._hard_split(cs, ce))
        return pieces

    def _hard_split(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Cut text without usable punctuation by characters into pieces of about ``hard_piece`` tokens."""
        budget = self.hard_piece
        chars_per_token = 1.0  # learnt from each measured piece; CJK is near 1, English near 4
        pieces: list[tuple[int, int, int]] = []
        pos = start
        while pos < end:
            stop = min(end, pos + max(1, int(budget * chars_per_token * 0.9)))
            count = self._count(pos, stop)
            while count > budget and stop - pos > 1:  # shrink in proportion; converges in a step or two
                stop = pos + max(1, min(stop - pos - 1, int((stop - pos) * budget / count * 0.9)))
                count = self._count(pos, stop)
            pieces.append((pos, stop, count))
            if count:
                chars_per_token = (stop - pos) / count
            pos = stop
        return pieces

    def _windows(self, pieces: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
        """Group consecutive pieces into (first, last) windows of at most max_tokens, overlapping."""
        windows: list[tuple[int, int]] = []
        i, n = 0, len(pieces)
        while i < n:
            j, total = i, 0
            while j < n and total + pieces[j][2] <= self.max:
                total += pieces[j][2]
                j += 1
            j = max(j, i + 1)
            while j - 1 > i and self._count(pieces[i][0], pieces[j - 1][1]) > self.max:
                j -= 1  # the joined text counts more than its pieces; drop a piece
            windows.append((i, j - 1))
            if j >= n:
                break
            k, overlap = j, 0
            while k - 1 > i and overlap + pieces[k - 1][2] <= self.overlap:
                k -= 1
                overlap += pieces[k][2]
            while k < j and overlap + pieces[j][2] > self.max:  # leave room for the next new piece
                overlap -= pieces[k][2]
                k += 1
            i = k
        return windows

    def _add(self, start: int, end: int, heading: tuple[str, ...]) -> None:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start < end:
            self.chunks.append(Chunk(text=self.text[start:end], heading=" > ".join(heading), start=start, end=end))


def _spans(boundary: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Contiguous spans of text[start:end], each ending just after a boundary match."""
    spans: list[tuple[int, int]] = []
    pos = start
    for m in boundary.finditer(text, start, end):
        if m.end() > pos:
            spans.append((pos, m.end()))
            pos = m.end()
    if pos < end:
        spans.append((pos, end))
    return spans


def _common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    prefix = paths[0]
    for path in paths[1:]:
        n = 0
        while n < min(len(prefix), len(path)) and prefix[n] == path[n]:
            n += 1
        prefix = prefix[:n]
    return prefix


def _summarise(node: _Node) -> None:
    """Fill in spans, token estimates, article/body counts and whole-subtree headings, bottom up."""
    for child in node.children:
        _summarise(child)
    node.start = node.own[0] if node.own else node.children[0].start
    node.end = node.children[-1].end if node.children else node.own[1] if node.own else node.start
    node.tokens = node.own_tokens + sum(c.tokens for c in node.children)
    node.articles = int(node.is_article) + sum(c.articles for c in node.children)
    has_body = node.own is not None and not node.heading_only and not node.is_article
    node.bodies = int(has_body) + sum(c.bodies for c in node.children)
    if node.is_article:
        node.heading = node.path
    elif node.articles == 1 and node.bodies == 0:
        node.heading = next(c.heading for c in node.children if c.articles == 1)
    elif (node.own is None or node.heading_only) and len(node.children) == 1:
        node.heading = node.children[0].heading  # a bare title over one sub-section: name the sub-section
    elif node.own is None and node.children:
        node.heading = _common_prefix([c.heading for c in node.children])
    else:
        node.heading = node.path
