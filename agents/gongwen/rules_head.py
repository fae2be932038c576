"""Rules on the 文种, the title and the 版头 (T1–T10, T13); registered in ``registry.RULES`` on import."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from agents.gongwen.doctypes import DOC_TYPE_INFO, DOC_TYPES, UPWARD
from agents.gongwen.parse import ParsedDocument
from agents.gongwen.registry import (
    DATE_OK,
    ENDING_TYPES,
    LEADER,
    NUMBER_OK,
    ORDER_NUMBER_OK,
    PLACEHOLDER,
    REQUEST,
    REQUIRED_ENDINGS,
    UNTITLED,
    Hit,
    ending,
    rule,
)

# -- 文种 and title -------------------------------------------------------------------------------


@rule("T1", "文种应为法定15种之一", "warning", "条例第八条")
def _t1(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc.title is None or doc.doc_type:
        return
    word = doc.title_type or doc.title.text[-4:]
    fix = "标题以法定文种结尾：" + "、".join(DOC_TYPES)
    if doc.title_type == "请示报告":
        fix = "请示与报告不得混用：请求批准用“请示”，汇报工作用“报告”"
    yield Hit(doc.title, "标题", word, "标题未以法定文种结尾", fix)


@rule("T2", "标题由发文机关、事由、文种组成（关于…的…），末尾不加标点", "warning", "条例第九条（八）；GB/T 9704 §7.3.1")
def _t2(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc.title is None or doc.doc_type is None:
        return  # a title naming no 文种 (or a sentence taken for one) is T1's finding
    title = doc.title.text
    if re.search(r"[。！？；，.!?;,]$", title):
        yield Hit(doc.title, "标题", title[-6:], "标题末尾有标点", "删去标题末尾的标点")
        return
    named = doc.doc_type
    if named in UNTITLED or doc_type in UNTITLED:
        return
    if "关于" not in title or not re.search(r"的(?:紧急)?(?:" + "|".join(map(re.escape, _names(named))) + r")$", title):
        fix = f"改为“××关于××的{named}”"
        yield Hit(doc.title, "标题", title, "标题不是“发文机关+关于+事由+的+文种”的形式", fix)


def _names(doc_type: str) -> list[str]:
    return ["令", "命令"] if doc_type == "命令（令）" else [doc_type, "复函"] if doc_type == "函" else [doc_type]


@rule("T3", "文种与正文意图、行文方向一致", "warning", "条例第八条、第十五条")
def _t3(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc_type is None:
        return
    closing = ending(doc)
    # A 报告 ending like a 请示 is T5's finding; a 函 may ask for 审批 between unrelated organs.
    if closing and closing[1] != doc_type and (doc_type, closing[1]) not in (("报告", "请示"), ("函", "请示")):
        yield Hit(
            closing[0],
            "正文结尾",
            closing[0].text,
            f"结尾是{closing[1]}的用语，标题文种却是{doc_type}",
            f"按正文意图统一文种：改标题为“…的{closing[1]}”或改结尾",
        )
    if doc_type in UPWARD and doc.recipients and re.match(r"^各", doc.recipients.text):
        yield Hit(
            doc.recipients,
            "主送机关",
            doc.recipients.text,
            f"{doc_type}是上行文，主送却是下级机关",
            "上行文主送一个上级机关；对下级用通知等下行文",
        )


@rule("T4", "请示一文一事", "blocking", "条例第十五条（四）")
def _t4(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc_type != "请示":
        return
    requests = [ln for ln in doc.body if REQUEST.search(_strip_ending(ln.text))]
    framed = next((m.group(1) for ln in doc.body for m in [_FRAMED.search(ln.text)] if m), None)
    # “现就X有关事项请示如下” states the matter X; an explicit request about something else is a second one.
    if framed and len(requests) == 1 and _other_matter(requests[0].text, framed):
        requests = [*requests, requests[0]]
    if len(requests) > 1:
        yield Hit(
            requests[1],
            "正文",
            requests[1].text,
            f"一件请示提出了{len(requests)}项请求",
            "请示应当一文一事：每个请求事项单独行文",
        )


_FRAMED = re.compile(r"现就(.{4,40}?)(?:有关事项|有关问题|事宜|问题)?请示如下")


def _other_matter(request: str, matter: str) -> bool:
    """True when the request names an object (≥4 characters) sharing no two-character word with the matter."""
    found = REQUEST.search(request)
    obj = re.sub(r"[^\u4e00-\u9fa5]", "", request[found.end() :] if found else "")
    obj = re.sub(r"^(市政府|市人民政府|上级|贵单位|予以|给予)", "", obj)
    if len(obj) < 4:
        return False  # “请予批准。” refers to the matter already stated
    pairs = {matter[i : i + 2] for i in range(len(matter) - 1)}
    return not any(obj[i : i + 2] in pairs for i in range(len(obj) - 1))


def _strip_ending(text: str) -> str:
    return ENDING_TYPES[0][0].sub("", text)


@rule("T5", "报告不得夹带请示事项", "blocking", "条例第十五条（四）")
def _t5(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc_type != "报告":
        return
    pattern = re.compile(r"请批示|妥否|当否|恳请|(?<![申提邀])(?:请求|请予|请.{0,10}?(?:批准|审批|同意|拨付|支持))")
    for line in doc.body:
        match = pattern.search(line.text)
        if match:
            yield Hit(line, "正文", match.group(), "报告中夹带请示事项", "删去请求事项，需要批准的事项另行请示")
            return


@rule("T6", "结尾用语与文种相符", "warning", "公文写作规范（实践）")
def _t6(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    pattern = REQUIRED_ENDINGS.get(doc_type or "")
    if pattern is None or not doc.body or ending(doc) is not None:
        return
    if any(pattern.search(ln.text) for ln in doc.body[-3:]):
        return
    usual = DOC_TYPE_INFO[doc_type or ""].endings[0]
    yield Hit(doc.body[-1], "正文结尾", doc.body[-1].text, f"{doc_type}缺少惯用结尾", f"结尾另起一段写“{usual}”")


# -- 版头 --------------------------------------------------------------------------------------------


@rule("T7a", "上行文标注签发人", "warning", "条例第九条（五）；GB/T 9704 §7.2.6")
def _t7a(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    if doc_type in UPWARD and doc.number is not None and not doc.signer:
        yield Hit(
            doc.number,
            "发文字号",
            doc.number.text,
            f"{doc_type}是上行文，未标注签发人",
            "在发文字号同行右侧标注“签发人：姓名”",
        )


@rule("T7b", "上行文原则上主送一个上级机关", "prompt", "条例第十五条（一）“原则上主送一个上级机关”")
def _t7b(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    names = doc.recipient_names
    if doc_type in UPWARD and len(names) > 1 and doc.recipients:
        yield Hit(
            doc.recipients,
            "主送机关",
            doc.recipients.text,
            f"上行文主送了{len(names)}个机关",
            "确认是否只主送一个上级机关，其余改为抄送",
        )


@rule("T8", "不得以本机关名义向上级机关负责人个人报送公文", "warning", "条例第十五条（五）")
def _t8(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    for name in doc.recipient_names:
        if LEADER.search(name.strip()) and doc.recipients:
            yield Hit(
                doc.recipients, "主送机关", name, "主送的是领导个人", "主送机关写机关名称；领导直接交办的事项除外"
            )
            return


@rule("T9", "发文字号：机关代字〔年份〕序号号", "warning", "GB/T 9704 §7.2.4")
def _t9(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    number = doc.number_text
    if doc.number is None or not number or PLACEHOLDER.search(number):
        return
    if ORDER_NUMBER_OK.match(number):
        return  # a 令号 (第12号)
    if doc_type == "命令（令）" and number.startswith("第"):
        if not ORDER_NUMBER_OK.match(number):
            yield Hit(doc.number, "令号", number, "令号格式不对", "写作“第12号”")
        return
    if NUMBER_OK.match(number):
        return
    yield Hit(
        doc.number,
        "发文字号",
        number,
        _number_problem(number),
        "写作“机关代字〔2026〕12号”：六角括号、四位年份、序号不编虚位、不加“第”",
    )


def _number_problem(number: str) -> str:
    if re.search(r"[\[\]［］()（）【】]", number):
        return "年份应用六角括号〔〕"
    if re.search(r"〔\d{2}〕", number):
        return "年份应写全四位"
    if "第" in number:
        return "序号前不加“第”"
    if re.search(r"〕0\d*", number):
        return "序号不编虚位（不写01）"
    if not number.endswith("号"):
        return "序号后缺“号”"
    return "发文字号格式不规范"


@rule("T10", "成文日期用阿拉伯数字，年月日齐全，不编虚位", "warning", "GB/T 9704 §7.3.5.4")
def _t10(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    line = doc.date
    if line is None or PLACEHOLDER.search(line.text):
        return
    problem = date_problem(line.text)
    if problem:
        yield Hit(line, "成文日期", line.text, problem, "写作“2026年7月2日”：阿拉伯数字，年份写全，月日不编虚位")


def date_problem(text: str) -> str | None:
    match = DATE_OK.match(text)
    if not match:
        if re.search(r"[〇○零一二三四五六七八九十]", text):
            return "成文日期应使用阿拉伯数字"
        if re.search(r"年0|月0", text):
            return "月、日不编虚位"
        if re.match(r"^\d{2}年", text):
            return "年份应写全四位"
        return "成文日期应写作“××××年×月×日”"
    try:
        dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return "日期不存在"
    return None


@rule("T13", "紧急程度标注“特急”或“加急”", "warning", "条例第九条（三）；GB/T 9704 §7.2.3")
def _t13(doc: ParsedDocument, doc_type: str | None) -> Iterator[Hit]:
    for line in doc.head:
        if re.fullmatch(r"紧急|急件|特提|平急|急|特急件|加急件", line.text):
            yield Hit(
                line, "紧急程度", line.text, "紧急程度用语不规范", "公文标注“特急”或“加急”（“特提”“平急”仅用于电报）"
            )
