"""Structure-aware chunking: heading paths, exact spans, nothing lost, token limits, long passages."""

from __future__ import annotations

import itertools
import json
import time

import pytest

from knowledge.chunking import chunk_text
from knowledge.documents import Chunk
from knowledge.structure import detect_heading, split_sections
from knowledge.tokens import TokenCounter, get_token_counter
from tests.conftest import gd_service_items

MEASURES = """江临市住房公积金提取管理办法

第一章　总则

第一条　为了规范住房公积金提取管理，维护缴存职工合法权益，根据《住房公积金管理条例》，制定本办法。
第二条　本办法适用于本市行政区域内住房公积金的提取及其管理。

第三章　提取条件

第十二条　职工有下列情形之一的，可以提取本人住房公积金账户内的存储余额：
（一）购买、建造、翻建、大修自住住房的；
（二）离休、退休的；
（三）完全丧失劳动能力，并与单位终止劳动关系的；
（四）出境定居的。
第十三条　职工提取住房公积金，应当提交本人有效身份证件和提取原因证明材料。

第七章　附则

第四十条　本办法自2024年3月1日起施行。

附件1
住房公积金提取申请表
申请人姓名、身份证号码、提取原因、提取金额。
"""

GUIDE = """# 社会保障卡补办办事指南

本指南适用于江临市参保人员社会保障卡的挂失与补办。

## 一、办理条件
社会保障卡遗失或损坏，且已办理挂失的参保人员。

## 二、办理地点
江临市政务服务中心一楼人社窗口，或各区社保经办网点。

四、申请材料
1. 申请人有效身份证件原件；
2. 近期一寸白底免冠彩色照片1张；
3. 代办的，另需提供代办人有效身份证件原件。

五、办理流程
（一）申请
申请人可通过“江临人社”APP在线申请，也可到经办网点现场申请。
（二）受理
经办窗口对材料进行审核，材料齐全、符合条件的当场受理。
"""

NOTICE = """江临市人民政府办公室关于做好2025年社会保障卡服务工作的通知

各区人民政府，市政府各部门：
　　为进一步提升社会保障卡服务水平，现将有关事项通知如下。
　　一、总体要求
　　（一）加强组织领导。各区要把社会保障卡服务纳入民生实事统筹推进。
　　1.明确责任分工
　　（1）区人社局负责窗口服务。
　　（2）街道负责政策宣传。
　　2.细化工作方案
　　（二）强化信息共享。市大数据局要做好数据共享支撑。
　　二、工作任务
　　1.推进即时制卡
　　各区至少设立一个即时制卡网点。
"""


@pytest.fixture(scope="module")
def counter() -> TokenCounter:
    return get_token_counter()


def headings(chunks: list[Chunk]) -> list[str]:
    return [chunk.heading for chunk in chunks]


def chunk_of(chunks: list[Chunk], needle: str) -> Chunk:
    return next(chunk for chunk in chunks if needle in chunk.text)


def assert_exact_complete_and_bounded(text: str, chunks: list[Chunk], counter: TokenCounter, limit: int) -> None:
    """Spans index the text exactly, no visible character is lost, and no chunk is over the limit."""
    covered = bytearray(len(text))
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.text == chunk.text.strip(), "whitespace is trimmed by moving offsets"
        assert counter.count(chunk.text) <= limit
        covered[chunk.start : chunk.end] = b"\x01" * (chunk.end - chunk.start)
    lost = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not lost, f"characters outside every chunk: {text[lost[0] : lost[0] + 20]!r}"
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)


def test_measures_articles_get_chapter_and_article_path(counter: TokenCounter) -> None:
    chunks = chunk_text(MEASURES, counter=counter)
    assert headings(chunks) == [
        "",
        "第一章 总则 > 第一条",
        "第一章 总则 > 第二条",
        "第三章 提取条件 > 第十二条",
        "第三章 提取条件 > 第十三条",
        "第七章 附则 > 第四十条",
        "附件1",
    ]
    assert_exact_complete_and_bounded(MEASURES, chunks, counter, 350)


def test_articles_are_never_packed_together_even_when_small(counter: TokenCounter) -> None:
    chunks = chunk_text(MEASURES, counter=counter, max_tokens=2000)
    for chunk in chunks:
        articles = ("第一条", "第二条", "第十二条", "第十三条", "第四十条")
        assert sum(f"{n}　" in chunk.text for n in articles) <= 1


def test_bare_chapter_title_travels_with_its_first_article(counter: TokenCounter) -> None:
    chunks = chunk_text(MEASURES, counter=counter)
    first = chunk_of(chunks, "第十二条")
    assert first.text.startswith("第三章　提取条件")
    assert not any(chunk.text == "第三章　提取条件" for chunk in chunks)


def test_enumerated_items_inside_an_article_stay_in_the_article(counter: TokenCounter) -> None:
    chunks = chunk_text(MEASURES, counter=counter)
    article = chunk_of(chunks, "（四）出境定居的")
    assert article.heading == "第三章 提取条件 > 第十二条"
    assert "（一）购买" in article.text


def test_annex_line_closes_the_articles_but_attachment_list_in_body_does_not() -> None:
    assert detect_heading("附件1") is not None
    assert detect_heading("附件2：江临市社会保障卡补办申请表") is not None
    assert detect_heading("附件：1.江临市社会保障卡补办申请表") is None
    sections = split_sections(MEASURES)
    assert sections[-1].path == ("附件1",)


def test_guide_gets_markdown_and_outline_paths(counter: TokenCounter) -> None:
    chunks = chunk_text(GUIDE, counter=counter, max_tokens=80, overlap_tokens=10)
    assert chunk_of(chunks, "挂失与补办").heading == "社会保障卡补办办事指南"
    assert chunk_of(chunks, "已办理挂失").heading == "社会保障卡补办办事指南 > 一、办理条件"
    assert chunk_of(chunks, "政务服务中心").heading == "社会保障卡补办办事指南 > 二、办理地点"
    assert chunk_of(chunks, "照片1张").heading == "社会保障卡补办办事指南 > 四、申请材料"
    assert chunk_of(chunks, "当场受理").heading == "社会保障卡补办办事指南 > 五、办理流程 > （二）受理"
    assert_exact_complete_and_bounded(GUIDE, chunks, counter, 80)


def test_section_that_fits_keeps_its_list_items_together(counter: TokenCounter) -> None:
    chunks = chunk_text(GUIDE, counter=counter, max_tokens=80, overlap_tokens=10)
    materials = chunk_of(chunks, "1. 申请人有效身份证件原件")
    assert materials.text.startswith("四、申请材料")
    assert "3. 代办的" in materials.text
    assert materials.heading == "社会保障卡补办办事指南 > 四、申请材料"


def test_small_items_of_a_long_section_are_packed_under_the_section(counter: TokenCounter) -> None:
    items = "\n".join(f"{i}. 申请人有效身份证件第{i}项材料原件；" for i in range(1, 21))
    text = f"四、申请材料\n{items}\n五、办理时限\n十五个工作日。"
    chunks = chunk_text(text, counter=counter, max_tokens=100, overlap_tokens=10)
    materials = [c for c in chunks if "项材料原件" in c.text]
    assert 1 < len(materials) < 20
    packed = [c for c in materials if c.text.count("项材料原件") > 1]
    assert packed and {c.heading for c in packed} == {"四、申请材料"}
    assert materials[0].text.startswith("四、申请材料\n1. ")
    assert chunks[-1].heading == "五、办理时限"
    assert_exact_complete_and_bounded(text, chunks, counter, 100)


def test_short_document_that_fits_is_one_chunk_under_its_title(counter: TokenCounter) -> None:
    chunks = chunk_text(GUIDE, counter=counter, max_tokens=1000)
    assert len(chunks) == 1
    assert chunks[0].heading == "社会保障卡补办办事指南"
    assert chunks[0].text == GUIDE.strip()


def test_outline_levels_nest_and_pop_per_gb_t_9704() -> None:
    paths = [s.path for s in split_sections(NOTICE)]
    assert paths == [
        (),
        ("一、总体要求",),
        ("一、总体要求", "（一）加强组织领导"),
        ("一、总体要求", "（一）加强组织领导", "1.明确责任分工"),
        ("一、总体要求", "（一）加强组织领导", "1.明确责任分工", "（1）区人社局负责窗口服务"),
        ("一、总体要求", "（一）加强组织领导", "1.明确责任分工", "（2）街道负责政策宣传"),
        ("一、总体要求", "（一）加强组织领导", "2.细化工作方案"),
        ("一、总体要求", "（二）强化信息共享"),
        ("二、工作任务",),
        ("二、工作任务", "1.推进即时制卡"),
    ]


def test_outline_paragraph_label_is_marker_and_first_clause() -> None:
    heading = detect_heading("　　（一）加强组织领导。各区要把社会保障卡服务纳入民生实事统筹推进。")
    assert heading is not None and heading.label == "（一）加强组织领导"
    long = detect_heading(
        "一、为进一步提升我市社会保障卡服务水平" + "和群众办事便利程度以及参保人员满意度，制定本方案。"
    )
    assert long is not None and long.label == "一、为进一步提升我市社会保障…"


def test_plain_outline_heading_closes_a_markdown_heading_of_the_same_rank() -> None:
    sections = split_sections("# 指南\n## 一、总则\n正文。\n二、材料\n正文。\n### 说明\n正文。")
    assert [s.path for s in sections] == [
        ("指南",),
        ("指南", "一、总则"),
        ("指南", "二、材料"),
        ("指南", "二、材料", "说明"),
    ]


def test_article_marker_needs_a_space_so_body_lines_are_not_articles() -> None:
    assert detect_heading("第十二条　职工有下列情形之一的") is not None
    assert detect_heading("第十二条") is not None
    assert detect_heading("第十二条规定的情形，按照本办法办理。") is None
    assert detect_heading("1.5万元以下的，当场办结。") is None


def test_long_article_is_split_with_sentence_overlap_and_exact_spans(counter: TokenCounter) -> None:
    sentences = [f"第{i}项，职工申请提取公积金的，管理中心应当在{i + 2}个工作日内审核。" for i in range(1, 41)]
    text = "第三章　提取条件\n第十二条　" + "".join(sentences) + "\n第十三条　本条很短。"
    chunks = chunk_text(text, counter=counter, max_tokens=120, overlap_tokens=40)
    article = [c for c in chunks if c.heading == "第三章 提取条件 > 第十二条"]
    assert len(article) >= 4
    assert article[0].text.startswith("第三章　提取条件\n第十二条")
    for previous, following in itertools.pairwise(article):
        assert following.start < previous.end, "consecutive pieces overlap"
        overlap = text[following.start : previous.end]
        assert text[following.start - 1] == "。", "the overlap starts at a sentence boundary"
        assert 0 < counter.count(overlap) <= 40 + 2
    assert chunks[-1].heading == "第三章 提取条件 > 第十三条"
    assert_exact_complete_and_bounded(text, chunks, counter, 120)


def test_long_sentence_is_cut_at_commas_before_characters(counter: TokenCounter) -> None:
    text = "，".join(f"第{i}类人员可以凭本人身份证件办理" for i in range(60)) + "。"
    chunks = chunk_text(text, counter=counter, max_tokens=80, overlap_tokens=20)
    assert len(chunks) > 1
    assert all(text[c.end - 1] in "，。" for c in chunks)
    assert_exact_complete_and_bounded(text, chunks, counter, 80)


def test_giant_line_without_punctuation_is_hard_split(counter: TokenCounter) -> None:
    text = "社会保障卡补办申请材料审核" * 400
    chunks = chunk_text(text, counter=counter, max_tokens=100, overlap_tokens=20)
    assert len(chunks) > 10
    assert all(following.start < previous.end for previous, following in itertools.pairwise(chunks))
    assert_exact_complete_and_bounded(text, chunks, counter, 100)


def test_text_without_structure_is_chunked_with_an_empty_heading(counter: TokenCounter) -> None:
    text = "\n".join(f"第{i}段：参保人员可以在线申请补办社会保障卡，审核通过后邮寄到家。" for i in range(30))
    chunks = chunk_text(text, counter=counter, max_tokens=100, overlap_tokens=20)
    assert len(chunks) > 1
    assert set(headings(chunks)) == {""}
    assert_exact_complete_and_bounded(text, chunks, counter, 100)


@pytest.mark.parametrize("text", ["", "   \n\u3000\n\t"])
def test_blank_text_gives_no_chunks(text: str, counter: TokenCounter) -> None:
    assert chunk_text(text, counter=counter) == []


def test_crlf_and_full_width_indentation_are_handled(counter: TokenCounter) -> None:
    text = NOTICE.replace("\n", "\r\n")
    chunks = chunk_text(text, counter=counter, max_tokens=40, overlap_tokens=5)
    assert chunk_of(chunks, "即时制卡网点").heading == "二、工作任务 > 1.推进即时制卡"
    assert_exact_complete_and_bounded(text, chunks, counter, 40)


@pytest.mark.parametrize("limit", [8, 30, 60, 120, 350])
@pytest.mark.parametrize("text", [MEASURES, GUIDE, NOTICE], ids=["measures", "guide", "notice"])
def test_every_document_is_exact_complete_and_within_limit(text: str, limit: int, counter: TokenCounter) -> None:
    chunks = chunk_text(text, counter=counter, max_tokens=limit, overlap_tokens=limit // 5)
    assert_exact_complete_and_bounded(text, chunks, counter, limit)


def test_invalid_limits_are_rejected_with_the_value(counter: TokenCounter) -> None:
    with pytest.raises(ValueError, match="got 0"):
        chunk_text("正文", counter=counter, max_tokens=0)
    with pytest.raises(ValueError, match="overlap_tokens"):
        chunk_text("正文", counter=counter, max_tokens=50, overlap_tokens=50)


def test_two_hundred_page_law_chunks_quickly(counter: TokenCounter) -> None:
    article = "职工有下列情形之一的，可以提取住房公积金账户内的存储余额。管理中心应当在三个工作日内作出决定。"
    parts = []
    for chapter in range(1, 56):
        parts.append(f"第{chapter}章　第{chapter}章标题\n")
        parts.extend(f"第{chapter * 100 + n}条　{article * (1 + n % 13)}\n" for n in range(20))
    text = "".join(parts)
    assert len(text) > 300_000
    began = time.perf_counter()
    chunks = chunk_text(text, counter=counter)
    elapsed = time.perf_counter() - began
    assert elapsed < 5, f"{elapsed:.1f}s for {len(text)} characters"  # about 0.5 s; generous for slow CI
    assert_exact_complete_and_bounded(text, chunks, counter, 350)


@pytest.mark.realdata
def test_real_service_item_texts_are_chunked_exactly(counter: TokenCounter) -> None:
    with gd_service_items().open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    for record in records:
        materials = "\n".join(f"{i}. {m}" for i, m in enumerate(record.get("material_intro") or [], 1))
        conditions = record.get("accept_standard") or ""
        text = f"# {record['TASK_NAME']}\n一、受理条件\n{conditions}\n二、申请材料\n{materials}"
        chunks = chunk_text(text, counter=counter, max_tokens=120, overlap_tokens=20)
        assert_exact_complete_and_bounded(text, chunks, counter, 120)
        assert all(chunk.heading.startswith(record["TASK_NAME"].strip()[:40]) for chunk in chunks)
