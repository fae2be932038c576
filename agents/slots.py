"""Slot extraction for the offline model: values a tool argument can be filled from, by pattern only."""

from __future__ import annotations

import re
from datetime import date

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_NUMBER = re.compile(r"(\d+)\s*(?:个)?(?:工作日|天|日)?")
_TITLE = re.compile(r"《([^》]{2,80})》")
# 「比较A和B」「A与暂行办法相比有什么变化」: the words around document names, dropped when no 《》 is given.
_COMPARE_WORDS = re.compile(
    r"请|帮我|比较|对比|一下|相比|有什么|有哪些|哪些|什么|变化|区别|不同|差异|修改|改动|[？?。，,]"
)
_CN_NUMBER = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# 「我有身份证、户口本」「带了……」「已经准备了……」: what follows is the citizen's list of materials.
_HAVE = re.compile(
    r"(?:我|已经|现在)?(?:有|带了|带着|准备了|准备好了|手上有|手里有)(.+?)(?:[，,。？?！!]|还|够|可以|能|$)"
)


def extract_slots(question: str, today: date | None = None) -> dict[str, str]:
    """Slots found in ``question``: question, text, matter, materials, date (ISO), number, title, title2."""
    slots = {"question": question.strip(), "text": question.strip(), "matter": question.strip()}
    titles = _TITLE.findall(question)
    slots["title"] = titles[0] if titles else _COMPARE_WORDS.sub("", question).strip()
    if len(titles) > 1:
        slots["title2"] = titles[1]
    have = _HAVE.search(question)
    if have:
        slots["materials"] = have.group(1).strip()
        # The matter is what remains once the citizen's list of materials is taken out.
        rest = (question[: have.start()] + " " + question[have.end() :]).strip(" ，,。？?")
        slots["matter"] = rest or question.strip()
    match = _DATE.search(question)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            slots["date"] = date(year, month, day).isoformat()
        except ValueError:
            slots["date"] = match.group()  # let the tool report the bad date to the model
    elif any(word in question for word in ("今天", "今日")):
        slots["date"] = (today or date.today()).isoformat()
    remainder = _DATE.sub(" ", question)
    number = _NUMBER.search(remainder)
    if number:
        slots["number"] = number.group(1)
    else:
        for word, value in _CN_NUMBER.items():
            if re.search(f"{word}个?(?:工作日|天)", remainder):
                slots["number"] = str(value)
                break
    return slots
