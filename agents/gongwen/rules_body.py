"""Rules on the 主送, 正文, 附件 and 版记 (T14–T31, G1); registered in ``registry.RULES`` on import."""

from __future__ import annotations

import re
from collections.abc import Iterator

from agents.gongwen.numbering import LEVELS, heading_level
from agents.gongwen.parse import DATE_LIKE, Line, ParsedDocument
from agents.gongwen.registry import (
    BAD_MARKERS,
    HALF_PUNCT,
    NEEDS_RECIPIENTS,
    NUMBER_OK,
    PLACEHOLDER,
    RELATIVE_TIME,
    REPEALED,
    Hit,
    rule,
)
from agents.gongwen.rules_head import date_problem
from agents.guardrails.pii import PiiKind, find_pii

# -- 主体 --------------------------------------------------------------------------------------------


@rule("T14", "主送机关后标全角冒号", "warning", "GB/T 9704 §7.3.2")
def _t14(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc.recipients and not doc.recipients.text.endswith("："):
        yield Hit(
            doc.recipients,
            "主送机关",
            doc.recipients.text[-8:],
            "主送机关末尾不是全角冒号",
            "在最后一个主送机关名称后加“：”",
        )


@rule("G1", "需要主送机关的文种标注主送机关", "warning", "条例第九条（九）")
def _g1(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc_type in NEEDS_RECIPIENTS and doc.recipients is None and doc.title is not None:
        yield Hit(
            doc.title,
            "主送机关",
            doc.title.text[-10:],
            f"{doc_type}缺少主送机关",
            "标题下空一行顶格写主送机关，后加全角冒号",
        )


@rule("T15", "结构层次序数：一、（一）1.（1），不越级、不断号", "warning", "GB/T 9704 §7.3.3")
def _t15(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    counters = [0, 0, 0, 0]
    reported: set[str] = set()
    fix = "层次序数依次为“一、”“（一）”“1.”“（1）”，逐级使用，同一层次连续编号"
    for line in doc.body:
        bad = next((problem for pattern, problem in BAD_MARKERS if pattern.match(line.text)), None)
        if bad is not None and bad not in reported:
            reported.add(bad)  # one finding per kind of wrong marker, not one per paragraph
            yield Hit(line, "正文层次", line.text[:6], bad, fix)
        found = heading_level(line.text)
        if found is None:
            continue
        level, number = found
        deepest = max((i + 1 for i, c in enumerate(counters) if c), default=0)
        marker = LEVELS[level - 1].match(line.text)
        shown = marker.group() if marker else line.text[:4]
        if bad is None and level > deepest + 1:
            yield Hit(line, "正文层次", shown, f"层次越级：第{deepest or '零'}层之后直接出现第{level}层", fix)
        elif bad is None and number != counters[level - 1] + 1:
            yield Hit(line, "正文层次", shown, f"序号不连续：应为第{counters[level - 1] + 1}项", fix)
        # Carry on from the number as written, so one slip is reported once, not at every later item.
        counters[level - 1] = number
        for deeper in range(level, 4):
            counters[deeper] = 0


@rule("T16", "附件说明：序号、名称与附件一致，名称后不加标点", "warning", "GB/T 9704 §7.3.4、§7.3.7")
def _t16(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    names: list[tuple[Line, str]] = []
    for i, line in enumerate(doc.attachment_note):
        text = re.sub(r"^附\s*件\s*[：:]", "", line.text).strip() if i == 0 else line.text
        names.append((line, text))
    fix = "“附件：1.名称”，多个附件依次编号，名称后不加标点，与附件标题一致"
    for i, (line, text) in enumerate(names, start=1):
        if re.search(r"[。；，、.;,]$", text):
            yield Hit(line, "附件说明", text[-6:], "附件名称后加了标点", fix)
            return
        if len(names) > 1 and not re.match(rf"^{i}[.．]", text):
            yield Hit(line, "附件说明", text[:6], f"多个附件应依次编号“{i}.”", fix)
            return
    listed = [re.sub(r"^\d+[.．、]", "", t) for _, t in names]
    for label, name in doc.attachment_pages:
        number = re.sub(r"\D", "", label.text)
        index = int(number) - 1 if number else 0
        if name is not None and index < len(listed) and name.text != listed[index]:
            yield Hit(name, "附件", name.text, f"附件标题与附件说明“{listed[index]}”不一致", fix)
            return


@rule("T17", "附注加圆括号，居左空二字", "warning", "GB/T 9704 §7.3.6")
def _t17(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    for line in doc.notes:
        if not re.match(r"^[（(].*[）)]$", line.text):
            yield Hit(line, "附注", line.text, "附注未加圆括号", "写作“（此件公开发布）”")
            return


@rule("T20", "引用公文先引标题后引发文字号", "warning", "条例第二十条；GB/T 9704 §7.2.4")
def _t20(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    reversed_form = re.compile(r"[（(][\u4e00-\u9fa5]{1,12}[〔\[［(（]\d{2,4}[〕\]］)）]\S{0,4}?号[）)]\s*《")
    cited = re.compile(r"》[（(]([^）)《》]{2,24}?号)[）)]")
    for line in doc.body:
        found = reversed_form.search(line.text)
        if found:
            yield Hit(line, "正文引文", found.group(), "先引了发文字号后引标题", "写作“《标题》（文号）”")
            return
        for match in cited.finditer(line.text):
            number = match.group(1)
            if not NUMBER_OK.match(number) and not PLACEHOLDER.search(number):
                yield Hit(line, "正文引文", number, "所引文号不规范", "文号写作“机关代字〔2025〕3号”")
                return


@rule("T21", "不得引用已废止的依据", "blocking", "条例第二十条；条例第四十二条（2000年办法已废止）")
def _t21(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    for line in doc.body:
        for pattern, name in REPEALED:
            match = pattern.search(line.text)
            if match:
                yield Hit(
                    line,
                    "正文引文",
                    match.group(),
                    f"{name}已废止，不能作为依据",
                    "改引《党政机关公文处理工作条例》（中办发〔2012〕14号）或现行有效的业务依据",
                )
                return


@rule("T22", "正文使用全角标点，括号书名号成对", "warning", "GB/T 15834-2011")
def _t22(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    for line in doc.body:
        match = HALF_PUNCT.search(line.text)
        if match:
            start = max(0, match.start() - 4)
            yield Hit(
                line,
                "正文",
                line.text[start : match.end() + 4],
                f"中文中使用了半角标点“{match.group()}”",
                "改用全角标点",
            )
            return
        for left, right in ("《》", "（）", "“”"):
            if line.text.count(left) != line.text.count(right):
                yield Hit(line, "正文", line.text[:12], f"“{left}{right}”不成对", "补齐成对的标点")
                return


@rule("T24", "不用相对时间，写明具体日期", "prompt", "公文写作规范（实践）")
def _t24(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    for line in doc.body:
        match = RELATIVE_TIME.search(line.text)
        if match:
            yield Hit(
                line,
                "正文",
                match.group(),
                f"“{match.group()}”是相对时间，公文流转后含义会变",
                "确认是否改为具体年月日",
            )
            return


@rule("T26", "批复引用来文标题和发文字号", "warning", "公文写作规范（实践）")
def _t26(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc_type != "批复" or not doc.body:
        return
    opening = doc.body[0].text
    if not re.search(r"《[^》]+》[（(][^）)]+[）)]", opening):
        yield Hit(
            doc.body[0],
            "正文开头",
            opening[:20],
            "批复未引用来文标题和发文字号",
            "开头写“你单位《××的请示》（××〔2026〕×号）收悉”",
        )


@rule("T27", "令由有权机关发布，议案只由人民政府提出", "blocking", "条例第八条；宪法和地方组织法")
def _t27(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc_type not in ("议案", "命令（令）") or doc.title is None:
        return
    # The issuer named in the title (a 令 or 议案 is signed by the 市长 in person, so the 落款 may name no organ).
    issuer = re.split(r"关于|令$", doc.title.text)[0].strip() or (doc.signature.text if doc.signature else "")
    if issuer and "人民政府" not in issuer:
        what = "议案只能由人民政府向同级人大或其常委会提出" if doc_type == "议案" else "部门无权发布命令（令）"
        yield Hit(doc.signature or doc.title, "发文机关", issuer, what, "改由有权机关行文，或改用通知等文种")


@rule("T29", "公文不含个人身份证号、银行卡号", "warning", "个人信息保护法；数据最小化")
def _t29(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    for line in doc.body + doc.notes:
        for match in find_pii(line.text):
            if match.kind in (PiiKind.RESIDENT_ID, PiiKind.BANK_CARD):
                yield Hit(line, "正文", match.text, "含个人身份证号或银行卡号", "删除或脱敏后再发文")
                return


@rule("T19", "印发机关和印发日期：“机关 ××××年×月×日印发”", "warning", "GB/T 9704 §7.4.3")
def _t19(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc.printed is None:
        return
    if not doc.printed.text.endswith("印发"):
        where, fix = "印发机关和印发日期", "写作“2026年7月2日印发”"
        yield Hit(doc.printed, where, doc.printed.text[-12:], "印发日期后缺“印发”二字", fix)
        return
    match = re.match(r"^(.*?)[\s　]+(\S+)印发$", doc.printed.text)
    if match is None or not match.group(1).strip():
        yield Hit(
            doc.printed,
            "印发机关和印发日期",
            doc.printed.text,
            "缺少印发机关",
            "写作“江临市人民政府办公室　2026年7月2日印发”",
        )
        return
    when = match.group(2)
    if PLACEHOLDER.search(when):
        return
    if DATE_LIKE.match(when) is None or date_problem(when):
        yield Hit(doc.printed, "印发日期", when, date_problem(when) or "印发日期格式不对", "写作“2026年7月2日印发”")


@rule("T18", "抄送机关用全角逗号分隔，末尾加句号，不重复主送", "warning", "GB/T 9704 §7.4.2")
def _t18(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc.cc is None:
        return
    text = doc.cc.text
    fix = "写作“抄送：甲机关，乙机关。”"
    if not re.match(r"^抄送：", text):
        yield Hit(doc.cc, "抄送机关", text[:4], "“抄送”后应为全角冒号", fix)
    elif not text.endswith("。"):
        yield Hit(doc.cc, "抄送机关", text[-6:], "抄送机关末尾缺句号", fix)
    elif "、" in text:
        yield Hit(doc.cc, "抄送机关", text, "抄送机关之间应用全角逗号", fix)
    else:
        cc = {n.strip() for n in re.split(r"[，,]", text[3:].rstrip("。"))}
        both = [n for n in doc.recipient_names if n.strip() in cc]
        if both:
            yield Hit(doc.cc, "抄送机关", both[0], "同一机关既主送又抄送", "从抄送中删去主送机关")


@rule("T31", "文号、日期、签发人等占位符须由发文流程填写", "blocking", "条例第二十二、二十五条（不得由起草工具编造）")
def _t31(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    for line in doc.lines:
        for match in PLACEHOLDER.finditer(line.text):
            yield Hit(
                line,
                "待补",
                match.group(),
                f"{_placeholder_kind(match.group())}未填写",
                "由发文流程按登记结果填写，起草工具不编造",
            )


def _placeholder_kind(text: str) -> str:
    if text.startswith("【待补"):
        return text.strip("【】").removeprefix("待补").lstrip("：:") or "内容"
    if "年" in text:
        return "日期"
    return "发文字号" if "〔" in text or "号" in text else "内容"
