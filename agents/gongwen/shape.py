"""Is a text a pasted 公文 or a request to draft one? Decided by structure, with the checker's own reader.

A pasted 公文 has a title line (…关于…的通知), a 主送 line ending with ：, a body, and a 落款 ending with
the 成文日期; a drafting request is a sentence or a few asking to 起草/写/拟/发个… one. Similarity to example
utterances cannot separate the two when a request names the same organs and subject as a document would,
so the doc-drafter's intents require these shapes (agents/shapes.py) and both tools use them to hand a
text to the right worker whichever tool was called.
"""

from __future__ import annotations

import re

from agents.gongwen.doctypes import ALIASES, DOC_TYPES
from agents.gongwen.parse import parse_document
from agents.shapes import register_shape

# 「请检查下面这份公文：」 and the like, before a pasted document (the checker drops it).
INSTRUCTION = re.compile(
    r"^[^\n]{0,40}(?:检查|校核|核稿|审核|审校|看看|把关|挑|查|对吗|对不对|问题|格式|规范)[^\n]{0,30}[：:？?]?\s*\n"
)
# Any other short first line that introduces what follows: 「请看下面这份通知：」「这样写行吗？」.
_LEAD_LINE = re.compile(r"^[^\n]{1,60}[：:？?]\s*\n")
_TYPE_WORDS = "|".join(sorted({*DOC_TYPES, *ALIASES} - {"命令（令）", "令"}, key=len, reverse=True))
# Asking for a document to be written. 「我起草的」「写的」 describe an existing text, so a verb followed by
# 的 does not count; 填写 is filling in a form.
_DRAFT_VERB = re.compile(
    r"(?:起草|草拟|拟写|拟定|代拟|撰写)(?!的)"
    r"|(?:帮我|给我|替我|请|麻烦)(?:写|拟)"
    r"|(?<!填)写(?:一|个|份|篇)|拟(?:一|个|份|篇)|出(?:一个|一份|个|份)"
    rf"|(?<!填)(?:写|拟|发|下发|印发|上报|呈报|报送)(?:一个|一份|一篇|个|份|篇)?(?:{_TYPE_WORDS})"
)
# 「以江临市教育局名义…」 is how a drafting request names the issuer, unless the sentence is about checking.
_ON_BEHALF = re.compile(r"以[\u4e00-\u9fa5]{2,24}?(?:的)?名义")
_CHECKING = re.compile(r"检查|校核|核稿|审核|审校|看看|把关|对吗|对不对|有没有问题|有什么问题|挑错|纠错")
_QUOTED = re.compile(r"《[^》]*》")
MIN_LINES = 3  # title, 主送 or body, 成文日期: fewer lines are a sentence, not a document


def asks_to_draft(text: str) -> bool:
    """Whether ``text`` asks for a document to be written (quoted 《titles》 are not read)."""
    plain = _QUOTED.sub("《》", text)
    return bool(_DRAFT_VERB.search(plain) or (_ON_BEHALF.search(plain) and not _CHECKING.search(plain)))


def _is_document(text: str) -> bool:
    parsed = parse_document(text)
    if parsed.title is None or sum(1 for line in parsed.lines if line.text) < MIN_LINES:
        return False
    if asks_to_draft(parsed.title.text):
        return False  # 「帮我起草一份通知」 on its own line is a request's first line, not a title
    # Two of the three marks of a 公文: a title naming a 文种, a 主送 line, a 成文日期 closing the 落款. Two,
    # so that a document with a rule broken (no 文种 in the title, no 主送) is still checked, not redrafted.
    marks = (parsed.title_type is not None, parsed.recipients is not None, parsed.date is not None)
    return sum(marks) >= 2


def pasted_document(text: str) -> str | None:
    """The 公文 pasted in ``text``, without a first line that introduces it; None when there is none.

    The text without its first line is tried first, so that 「这样写对吗？」 is not read as a wrapped title;
    a 公文 whose own title says 检查 or 规范 is not a document without it and is then taken whole. A first
    line that asks for a draft (「参照下面这份通知起草一份…：」) makes the text a request quoting a document.
    """
    text = text.strip()
    lead = INSTRUCTION.match(text) or _LEAD_LINE.match(text)
    if lead is not None and not asks_to_draft(lead.group()):
        rest = text[lead.end() :].strip()
        if _is_document(rest):
            return rest
    return text if _is_document(text) else None


@register_shape("gongwen_document")
def looks_like_document(text: str) -> bool:
    """A pasted 公文 (possibly after a line asking to check it), not a request: see the module docstring."""
    return pasted_document(text) is not None


@register_shape("gongwen_request")
def looks_like_request(text: str) -> bool:
    """A request to draft a 公文: it asks for one to be written and holds no pasted document."""
    return asks_to_draft(text) and not looks_like_document(text)
