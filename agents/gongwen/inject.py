"""Seeded error injection for the benchmark: one function per checker rule that breaks a clean draft's text.

Each injector takes the clean draft, its text and a seeded Random, and returns the broken text, or None
when the rule does not apply to this draft (e.g. T26 on anything but a 批复). The errors are the ones
writers make in practice (wrong brackets in the 文号, 二〇二六年 dates, “（一）、”, a 请示 with two requests …).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from agents.gongwen.doctypes import UPWARD, title_suffix
from agents.gongwen.model import NUMBER_PLACEHOLDER, GongwenDraft
from agents.guardrails.checksums import id_check_char

Injector = Callable[[GongwenDraft, str, random.Random], str | None]
INJECTORS: dict[str, Injector] = {}
UNTITLED = ("命令（令）", "公报", "纪要")


def injector(rule_id: str) -> Callable[[Injector], Injector]:
    def register(func: Injector) -> Injector:
        INJECTORS[rule_id] = func
        return func

    return register


def _replace_line(text: str, old: str, new: str, *, last: bool = False) -> str | None:
    """Replace the first (or last) line equal to ``old``; None when there is none."""
    lines = text.split("\n")
    order = range(len(lines) - 1, -1, -1) if last else range(len(lines))
    for i in order:
        line = lines[i]
        if line.strip(" 　") == old:
            lines[i] = line.replace(old, new)
            return "\n".join(lines)
    return None


def _body_line(draft: GongwenDraft, text: str, rng: random.Random, need: str = "") -> str | None:
    """A random body paragraph (not the ending) containing ``need``."""
    candidates = [p.text for p in draft.body[:-1] if need in p.text and p.text in text]
    return rng.choice(candidates) if candidates else None


@injector("T1")
def _t1(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    suffix = title_suffix(draft.doc_type)
    wrong = rng.choice(["汇报", "方案", "总结", "请示报告", "说明"])
    return _replace_line(text, draft.title, draft.title.removesuffix(suffix) + wrong, last=True)


@injector("T2")
def _t2(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if draft.doc_type in UNTITLED:
        return _replace_line(text, draft.title, draft.title + "。", last=True)
    broken = rng.choice([draft.title.replace("关于", "", 1), draft.title + "。"])
    return _replace_line(text, draft.title, broken, last=True)


@injector("T3")
def _t3(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if draft.doc_type in UPWARD and draft.recipients and rng.random() < 0.5:
        return _replace_line(text, draft.recipients_line, "各区人民政府：")
    if draft.doc_type not in ("通知", "请示", "报告", "批复", "函", "通报", "公告", "通告"):
        return None
    # Without a 主送 the new 文种 is one that needs none, so only T3 is at stake (not G1 as well).
    choices = ("通知", "通报", "意见", "决定") if draft.recipients else ("意见", "决定")
    other = rng.choice([t for t in choices if t != draft.doc_type])
    return _replace_line(text, draft.title, draft.title.removesuffix(draft.doc_type) + other, last=True)


@injector("T4")
def _t4(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if draft.doc_type != "请示":
        return None
    extra = rng.choice(["同时，请求市政府同意增加2名事业编制。", "另请市政府批准在高新区增设一处服务站点。"])
    return _replace_line(text, draft.body[-1].text, extra + "\n　　" + draft.body[-1].text)


@injector("T5")
def _t5(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if draft.doc_type != "报告":
        return None
    extra = rng.choice(["为此，请市政府批准安排专项资金300万元。", "以上意见妥否，请批示。", "恳请市政府予以支持。"])
    return _replace_line(text, draft.body[-1].text, extra + "\n　　" + draft.body[-1].text)


@injector("T6")
def _t6(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if draft.doc_type not in ("请示", "批复", "函"):
        return None
    return _replace_line(text, draft.body[-1].text, "")


@injector("T7a")
def _t7a(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if draft.signer is None:
        return None
    return _replace_line(text, draft.number_line, draft.doc_number)


@injector("T7b")
def _t7b(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if draft.doc_type not in UPWARD or not draft.recipients:
        return None
    return _replace_line(text, draft.recipients_line, draft.recipients_line.replace("：", "、中共江临市委：", 1))


@injector("T8")
def _t8(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if not draft.recipients:
        return None
    leader = rng.choice(["王明市长：", "李华局长：", "张伟同志："])
    return _replace_line(text, draft.recipients_line, leader)


@injector("T9")
def _t9(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    number = draft.doc_number
    match = re.match(r"^(.+)〔(\d{4})〕(\d+)号$", number)
    if match is None:
        return None
    code, year, serial = match.groups()
    broken = rng.choice(
        [
            f"{code}[{year}]{serial}号",
            f"{code}（{year}）{serial}号",
            f"{code}〔{year[2:]}〕{serial}号",
            f"{code}〔{year}〕第{serial}号",
            f"{code}〔{year}〕0{serial}号",
            f"{code}〔{year}〕{serial}",
        ]
    )
    return _replace_line(text, draft.number_line, draft.number_line.replace(number, broken))


@injector("T10")
def _t10(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    match = re.match(r"^(\d{4})年(\d+)月(\d+)日$", draft.date_text)
    if match is None:
        return None
    y, m, d = (int(g) for g in match.groups())
    cn = "〇一二三四五六七八九"
    chinese = "".join(cn[int(c)] for c in str(y)) + f"年{_cn(m)}月{_cn(d)}日"
    options = [chinese, f"{y}.{m}.{d}", f"{y}-{m:02d}-{d:02d}", f"{y % 100}年{m}月{d}日", f"{y}年2月30日"]
    if m < 10 or d < 10:
        options.append(f"{y}年{m:02d}月{d:02d}日")
    return _replace_line(text, draft.date_text, rng.choice(options))


def _cn(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("十" if tens == 1 else digits[tens] + "十") + (digits[ones] if ones else "")


@injector("T13")
def _t13(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    wrong = rng.choice(["紧急", "急件", "特急件"])
    if draft.urgency:
        return _replace_line(text, draft.urgency, wrong)
    return wrong + "\n" + text


@injector("T14")
def _t14(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if not draft.recipients:
        return None
    return _replace_line(text, draft.recipients_line, draft.recipients_line[:-1] + rng.choice(["", ":"]))


@injector("G1")
def _g1(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if draft.doc_type not in ("通知", "通报", "请示", "报告", "批复", "函", "议案") or not draft.recipients:
        return None
    return _replace_line(text, draft.recipients_line, "")


@injector("T15")
def _t15(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    level1 = [p.text for p in draft.body if p.level == 1]
    level2 = [p.text for p in draft.body if p.level == 2]
    options: list[tuple[str, str]] = []
    if len(level1) >= 2:
        options.append((level1[1], "三、" + level1[1][2:] if level1[1].startswith("二、") else level1[1]))
        options.append((level1[1], "二." + level1[1][2:] if level1[1].startswith("二、") else level1[1]))
    if level2:
        first = level2[0]
        options.append((first, first.replace("（一）", "（一）、", 1)))
        options.append((first, first.replace("（一）", "1.", 1)))
    options = [(old, new) for old, new in options if old != new]
    if not options:
        return None
    old, new = rng.choice(options)
    return _replace_line(text, old, new)


@injector("T16")
def _t16(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    lines = draft.attachment_lines()
    if not lines:
        return None
    options = [(lines[-1], lines[-1] + rng.choice(["。", "；"]))]
    if len(lines) > 1:
        options.append((lines[1].strip("　"), re.sub(r"^\d+\.", "", lines[1].strip("　"))))
    if draft.attachments:
        page = draft.attachments[0]
        options.append((page.name, page.name + "（修订稿）"))
    old, new = rng.choice(options)
    return _replace_line(text, old, new)


@injector("T17")
def _t17(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if not draft.note:
        return None
    return _replace_line(text, f"（{draft.note}）", draft.note)


@injector("T18")
def _t18(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if not draft.cc:
        return None
    options = [draft.cc_line[:-1]]
    if len(draft.cc) > 1:
        options.append(draft.cc_line.replace("，", "、"))
    if draft.recipients and not draft.recipients[0].startswith("【"):
        options.append(f"抄送：{draft.recipients[0]}，{'，'.join(draft.cc)}。")
    return _replace_line(text, draft.cc_line, rng.choice(options))


@injector("T19")
def _t19(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    match = re.match(r"^(\d{4})年(\d+)月(\d+)日$", draft.print_date_text)
    if match is None:
        return None
    y, m, d = match.groups()
    options = [
        f"{draft.printer}　　　　{y}.{m}.{d}印发",
        f"{draft.print_date_text}印发",
        f"{draft.printer}　　　　{y}年{m}月{d}日",
    ]
    return _replace_line(text, draft.print_line, rng.choice(options))


@injector("T20")
def _t20(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    line = _body_line(draft, text, rng, "》（")
    if line is None or draft.doc_type == "批复":  # a 批复's citation of the 来文 is T26's concern
        return None
    match = re.search(r"《([^》]+)》（([^）]+)）", line)
    if match is None:
        return None
    title, number = match.groups()
    wrong_number = number.replace("〔", "[").replace("〕", "]")
    broken = rng.choice([f"（{number}）《{title}》", f"《{title}》（{wrong_number}）"])
    return _replace_line(text, line, line.replace(match.group(), broken))


@injector("T21")
def _t21(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    first = draft.body[0].text
    basis = rng.choice(["《国家行政机关公文处理办法》（国发〔2000〕23号）", "《国家行政机关公文处理办法》"])
    return _replace_line(text, first, f"根据{basis}有关要求，" + first)


@injector("T22")
def _t22(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    line = _body_line(draft, text, rng, "，")
    if line is None:
        return None
    return _replace_line(text, line, line.replace("，", rng.choice([",", ";"]), 1))


@injector("T24")
def _t24(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    first = draft.body[0].text
    return _replace_line(text, first, rng.choice(["近日，", "今年以来，", "下周起，"]) + first)


@injector("T26")
def _t26(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if draft.doc_type != "批复":
        return None
    return _replace_line(text, draft.body[0].text, "你单位的请示收悉。经研究，现批复如下：")


@injector("T27")
def _t27(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    if draft.doc_type not in ("议案", "命令（令）") or "江临市人民政府" not in text:
        return None
    return text.replace("江临市人民政府", rng.choice(["江临市财政局", "江临市公安局"]))


@injector("T29")
def _t29(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    area, year, month = rng.choice(["110101", "330102", "440305"]), rng.randint(1960, 1999), rng.randint(1, 9)
    first17 = f"{area}{year}0{month}1{rng.randint(0, 9)}{rng.randint(100, 999)}"
    person = f"经核查，当事人张某（身份证号：{first17}{id_check_char(first17)}）已整改到位。"
    return _replace_line(text, draft.body[-1].text, person + "\n　　" + draft.body[-1].text)


@injector("T31")
def _t31(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    options = [(draft.date_text, "XXXX年X月X日")]
    code = re.match(r"^(.+)〔\d{4}〕\d+号$", draft.doc_number)
    if code:
        options.append(
            (draft.number_line, draft.number_line.replace(draft.doc_number, code.group(1) + NUMBER_PLACEHOLDER))
        )
    line = _body_line(draft, text, rng)
    if line:
        options.append((line, line + "【待补：具体措施】"))
    old, new = rng.choice(options)
    return _replace_line(text, old, new)


@injector("T12")
def _t12(draft: GongwenDraft, text: str, rng: random.Random) -> str | None:
    return rng.choice(["机密★1年", "秘密★6个月", "绝密"]) + "\n" + text
