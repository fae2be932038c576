"""材料预审: which of a guide's 申请材料 the citizen's list covers, what is missing, what they need not bring.

Matching is deterministic and explainable. Each item is normalised (份数, 原件/复印件 and （…） notes
dropped) and read for known document kinds through a small synonym table (身份证 ↔ 居民身份证, 户口本 ↔
居民户口簿, 照片 ↔ 证件照 …). Kinds joined by 「或」 (or listed with 「之一」「等」) are alternatives; kinds
joined by 「、」「和」「及」 are all needed; 「；」 separates alternative situations. Items naming no known kind
match by character-bigram overlap. An item that applies only in a stated situation (「委托他人代办的，…」)
is *conditional*, never *missing*; one the office obtains itself (「共享核验，无需提交」「现场免费采集」)
is *exempt*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # service_guide reads document kinds from here; the guide type is only annotated
    from agents.tools.service_guide import ServiceGuide

# canonical kind → the ways guides and citizens name it; longest names are tried first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "身份证": ("居民身份证", "身份证件", "身份证明", "身份证", "二代证"),
    "户口簿": ("居民户口簿", "户口簿", "户口本", "户籍簿", "户口"),
    "照片": ("证件照片", "证件照", "免冠照片", "照片", "相片", "寸照", "登记照"),
    "社会保障卡": ("社会保障卡", "社保卡"),
    "结婚证": ("结婚证书", "结婚证"),
    "离婚证": ("离婚证书", "离婚证"),
    "银行卡": ("银行借记卡", "借记卡", "银行卡", "储蓄卡", "存折"),
    "营业执照": ("营业执照", "执照"),
    "不动产权证书": ("不动产权证书", "不动产权证", "不动产证", "房屋所有权证", "房产证", "房本"),
    "驾驶证": ("机动车驾驶证", "驾驶证", "驾照"),
    "行驶证": ("机动车行驶证", "行驶证"),
    "出生医学证明": ("出生医学证明", "出生证明", "出生证"),
    "居住证": ("居住证",),
    "毕业证书": ("毕业证书", "毕业证", "学历证书", "学历证明"),
    "护照": ("护照",),
    "委托书": ("授权委托书", "委托书", "授权书"),
    "租赁合同": ("房屋租赁合同", "租赁合同", "租房合同"),
    "购房合同": ("商品房买卖合同", "购房合同", "买房合同"),
    "劳动合同": ("劳动合同",),
    "残疾人证": ("残疾人证", "残疾证"),
    "学生证": ("学生证",),
    "退休证": ("退休证",),
}
_VARIANTS = sorted(((v, k) for k, vs in SYNONYMS.items() for v in vs), key=lambda pair: -len(pair[0]))

EXEMPT_MARKERS = ("无需提交", "无需另行提交", "无需材料", "免费采集", "现场采集", "无需本人提交", "无需提前准备")
_GENERIC = frozenset({"证明", "材料", "文件", "资料", "证件", "证书", "申请", "表格"})
_MATERIAL_SUFFIXES = ("证明", "凭证", "照片", "材料", "证", "书", "表", "合同", "执照", "卡")
_CONDITION = re.compile(
    r"^(?:如|若|如果|凡|属于)|^[^，,：:；;（(]{1,24}?的(?:提供|提交|交回|出示|须|需)"
    r"|^[^，,：:；;（(]{1,30}[，,](?:须|需|应)?(?:提供|提交|交回|出示)|有则提供|如有|[（(][^（）()]*的[）)]$"
)
_SUBJECT = re.compile(r"^([^，,：:；;（(]{2,12}?)(?:提供|提交|出示)")
_LABEL = re.compile(r"^([^，,：:；;（(]{2,10})[：:]")
_PARENS = re.compile(r"[（(][^（）()]*[）)]")
_QUALIFIERS = re.compile(
    r"原件|复印件|扫描件|影印件|电子版|纸质|一式[^，,。；;]{0,3}份|[各共]?[0-9一二两三四五六七八九十]+(?:份|张|本|套|页|寸)"
    r"|本人|有效|近期|彩色|合格|名下|我的|我们|我有|带了|的"
)
_ANY_OF = ("之一", "任一", "其中一", "等")


@dataclass(frozen=True)
class MaterialMatch:
    required: str  # the guide's item, as written
    provided: str  # the citizen's item that covers it (or part of it)


@dataclass
class MaterialCheck:
    """The result of 材料预审 against one guide."""

    matter: str
    matched: list[MaterialMatch] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # needed in every case, not (fully) covered
    conditional: list[str] = field(default_factory=list)  # needed only in a stated situation, not covered
    exempt: list[str] = field(default_factory=list)  # the office obtains or produces it on site
    unrecognised: list[str] = field(default_factory=list)  # provided items no required material asks for

    @property
    def complete(self) -> bool:
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        return {
            "matter": self.matter,
            "complete": self.complete,
            "missing": self.missing,
            "matched": [{"required": m.required, "provided": m.provided} for m in self.matched],
            "conditional": self.conditional,
            "exempt": self.exempt,
            "unrecognised": self.unrecognised,
        }


_LEADS = re.compile(r"^(?:我们?|本人)?(?:现在|目前|已经|手上|手头|只|都)?(?:有|带了|带着|准备了|备好了|拿了|持有)")
_NEGATED = re.compile(r"没有|没带|缺少|忘带|忘了带|还差|^(?:我们?)?(?:无|缺|差|没)")
_SPLIT = re.compile(r"以及|还有|另外|[、，,；;。/\n]|和|及|与|跟|\s+")


def split_materials(text: str) -> list[str]:
    """Turn what a citizen says they have into items: 「我有身份证、户口本和两张照片」 → 身份证, 户口本, 两张照片.

    Items the citizen says they lack (「没有户口本」) are dropped.
    """
    items: list[str] = []
    for raw in re.split(r"[，,；;。\n]|但是?|不过|可是", text):
        clause = raw.strip()
        if not clause or _NEGATED.search(clause):
            continue
        clause = _LEADS.sub("", clause)
        for part in _SPLIT.split(clause):
            part = _LEADS.sub("", part.strip()).strip("：: ")
            part = re.sub(r"^\d+[.．、)）]\s*", "", part)
            if part and part not in items:
                items.append(part)
    return items


def check_materials(guide: ServiceGuide, provided: list[str]) -> MaterialCheck:
    """Compare a guide's 申请材料 with the items a citizen has.

    Args:
        guide: the guide whose materials are required.
        provided: the citizen's items, e.g. from :func:`split_materials`.

    Returns:
        matched pairs, missing and conditional items, exempt items and provided items nothing asks for.
    """
    check = MaterialCheck(matter=guide.matter or guide.title)
    used: set[str] = set()
    for item in guide.materials:
        covered_by, complete = _cover(item, provided)
        used.update(covered_by)
        if complete:
            check.matched.extend(MaterialMatch(item, p) for p in covered_by)
        elif any(marker in item for marker in EXEMPT_MARKERS):
            check.exempt.append(item)
        elif is_conditional(item):
            check.conditional.append(item)
        else:
            # Partly covered (身份证 of 「身份证、户口簿」): show what is there, list the item as missing.
            check.matched.extend(MaterialMatch(item, p) for p in covered_by)
            check.missing.append(item)
    check.unrecognised = [p for p in provided if p not in used]
    return check


def is_conditional(item: str) -> bool:
    """True when the item applies only in a situation it names (「委托他人代办的，…」「企业提供…」「随迁子女：…」)."""
    if _CONDITION.search(item):
        return True
    subject = _SUBJECT.match(item)
    if subject and subject.group(1) not in ("本人", "申请人", "经办人"):
        return True
    label = _LABEL.match(item)
    return bool(label and not label.group(1).endswith(_MATERIAL_SUFFIXES))


def normalise(text: str) -> str:
    """Drop notes in brackets, 《》, 份数 and 原件/复印件-type qualifiers, and spaces."""
    for _ in range(2):  # brackets may nest once: （共享核验（线上））
        text = _PARENS.sub("", text)
    return re.sub(r"[\s《》“”\"']", "", _QUALIFIERS.sub("", text))


def kinds(text: str) -> list[tuple[int, int, str]]:
    """Known document kinds named in ``text`` as (start, end, canonical kind), in order, not overlapping."""
    found: list[tuple[int, int, str]] = []
    taken = [False] * len(text)
    for variant, kind in _VARIANTS:
        for match in re.finditer(re.escape(variant), text):
            start, end = match.span()
            if any(taken[start:end]) or (variant.endswith("证") and text[end : end + 1] == "明"):
                continue  # 居住证明 is a proof of residence, not a 居住证
            taken[start:end] = [True] * (end - start)
            found.append((start, end, kind))
    return sorted(found)


def _groups(clause: str) -> list[set[str]]:
    """Kinds a clause needs: each set is one requirement any of whose kinds satisfies it."""
    found = kinds(clause)
    if any(word in clause for word in _ANY_OF):
        return [{kind for _, _, kind in found}] if found else []
    groups: list[set[str]] = []
    for index, (start, _, kind) in enumerate(found):
        between = clause[found[index - 1][1] : start] if index else ""
        if index and "或" in between:
            groups[-1].add(kind)
        else:
            groups.append({kind})
    return groups


def _cover(item: str, provided: list[str]) -> tuple[list[str], bool]:
    """Provided items that cover (part of) ``item``, and whether some situation of it is fully covered."""
    covering: list[str] = []
    complete = False
    provided_kinds = {p: {kind for _, _, kind in kinds(normalise(p))} for p in provided}
    text = normalise(item)
    # 「以下证明之一：A；B；C」 lists alternatives across its 「；」 too, so it is read as one clause.
    clauses = [text] if any(word in text for word in _ANY_OF) else re.split(r"[；;]", text)
    for clause in clauses:
        groups = _groups(clause)
        hits: list[str] = []
        if groups:
            satisfied = [any(provided_kinds[p] & group for p in provided) for group in groups]
            hits = [p for p in provided if any(provided_kinds[p] & group for group in groups)]
            complete = complete or all(satisfied)
        # Items naming no known kind, and citizen items naming none, fall back to text similarity.
        similar = [p for p in provided if (not groups or not provided_kinds[p]) and _similar(normalise(p), clause)]
        complete = complete or bool(similar and not groups)
        covering.extend(p for p in hits + similar if p not in covering)
    return covering, complete


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _similar(provided: str, required: str) -> bool:
    """Most of the citizen's words appear in the item, or the (short) item appears in the citizen's words."""
    if provided in _GENERIC or len(provided) < 2:
        return False
    mine, theirs = _bigrams(provided), _bigrams(required)
    shared = len(mine & theirs)
    return shared / len(mine) >= 0.6 or (bool(theirs) and shared / len(theirs) >= 0.8)
