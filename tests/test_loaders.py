"""Loaders: each format in, SourceDocuments out; every unreadable file is one LoadError naming it and why."""

from __future__ import annotations

import io
import random
from pathlib import Path

import docx
import pypdf
import pytest

from knowledge.errors import LoadError
from knowledge.loaders import InputFile, guess_title, iter_input_files, load_file
from knowledge.records import RecordOptions

ARTICLE = "第一条 为了规范社会保障卡管理，保障持卡人合法权益，根据有关规定，制定本办法。"


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return path


def load_one(path: Path, root: Path | None = None) -> tuple[str, str, str]:
    """(doc_id, title, text) of a file that yields exactly one document."""
    [document] = load_file(path, root or path.parent)
    return document.doc_id, document.title, document.text


def load_error(path: Path, **kwargs: object) -> LoadError:
    with pytest.raises(LoadError) as caught:
        load_file(path, path.parent, **kwargs)  # type: ignore[arg-type]
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)
    return caught.value


def noise(seed: int, size: int, low: int = 0) -> bytes:
    """Reproducible random bytes."""
    rng = random.Random(seed)
    return bytes(rng.randrange(low, 256) for _ in range(size))


def minimal_pdf(page_text: str | None) -> bytes:
    """A one-page PDF whose page shows ``page_text`` in Helvetica, or has no content at all."""
    content = f"BT /F1 18 Tf 72 720 Td ({page_text}) Tj ET".encode("ascii") if page_text else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- walking inputs -----------------------------------------------------------------------------------


def test_folder_recurses_sorted_skipping_hidden_sidecars_and_lock_files(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.md", "a/c.txt", ".hidden.txt", ".git/config.txt", "b.meta.yaml", "~$b.docx"]:
        write(tmp_path / name, "内容")
    found = [item.path.relative_to(tmp_path).as_posix() for item in iter_input_files([tmp_path])]
    assert found == ["a/c.txt", "a/z.md", "b.txt"]
    assert all(item.root == tmp_path and item.error is None for item in iter_input_files([tmp_path]))


def test_missing_path_is_reported_and_the_rest_still_listed(tmp_path: Path) -> None:
    real = write(tmp_path / "real.txt", "内容")
    missing = tmp_path / "nope"
    items = list(iter_input_files([missing, real]))
    assert items[0] == InputFile(missing, tmp_path, "path does not exist / 路径不存在")
    assert items[1] == InputFile(real, tmp_path)


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.txt", "内容")
    (tmp_path / "docs" / "loop").symlink_to(tmp_path / "docs", target_is_directory=True)
    assert [item.path.name for item in iter_input_files([tmp_path])] == ["a.txt"]


def test_unsupported_files_in_a_folder_are_listed_so_they_get_reported(tmp_path: Path) -> None:
    write(tmp_path / "scan.png", b"\x89PNG")
    [item] = iter_input_files([tmp_path])
    assert "unsupported file type '.png'" in load_error(item.path).reason


# --- plain text, encodings, normalisation ---------------------------------------------------------------


def test_doc_id_is_the_relative_path_without_suffix(tmp_path: Path) -> None:
    path = write(tmp_path / "guides" / "社会保障卡补办.txt", "社会保障卡补办指南\n\n" + ARTICLE)
    [document] = load_file(path, tmp_path)
    assert document.doc_id == "guides/社会保障卡补办"
    assert document.title == "社会保障卡补办指南"
    assert document.source == str(path)
    assert document.meta_hints == {}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_chinese_text_decodes_in_common_encodings(tmp_path: Path, encoding: str) -> None:
    text = "示例市社会保障卡管理办法\n" + ARTICLE
    _, title, loaded = load_one(write(tmp_path / "办法.txt", text, encoding))
    assert loaded == text
    assert title == "示例市社会保障卡管理办法"


def test_gb18030_keeps_characters_outside_gbk(tmp_path: Path) -> None:
    text = "第一条 为了规范社会保障卡管理，持卡人姓名含生僻字䶮、𠀀、㐂时按原字制卡。"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    _, _, loaded = load_one(write(tmp_path / "生僻字.txt", text, "gb18030"))
    assert loaded == text


def test_text_is_normalised(tmp_path: Path) -> None:
    raw = "\n\n标题  \r\n\u3000\u3000第一条 正文\u200b内容。\t\r\n\n\n\n\n第二条 结\x00束。\n"
    _, _, text = load_one(write(tmp_path / "n.txt", raw))
    assert text == "标题\n\u3000\u3000第一条 正文内容。\n\n\n第二条 结束。"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary content"),
        (noise(0, 3000, low=1), "binary content"),
        (b"", "empty file"),
        (b"  \n\t\r\n ", "empty file"),
    ],
    ids=["nul-bytes", "noise", "empty", "whitespace"],
)
def test_binary_or_empty_txt_is_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    assert reason in load_error(write(tmp_path / "notes.txt", content)).reason


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", ARTICLE * 10)
    error = load_error(path, max_bytes=100)
    assert "over the 100 bytes limit (SHUZHI_MAX_UPLOAD_MB)" in error.reason
    assert load_file(path, tmp_path, max_bytes=10_000)


def test_unknown_extension_lists_supported_types(tmp_path: Path) -> None:
    error = load_error(write(tmp_path / "data.xyz", "内容"))
    assert "unsupported file type '.xyz'" in error.reason
    assert ".docx" in error.reason and ".jsonl" in error.reason


def test_legacy_word_file_gets_a_conversion_hint(tmp_path: Path) -> None:
    assert "save it as .docx" in load_error(write(tmp_path / "旧文件.doc", b"\xd0\xcf\x11\xe0")).reason


def test_missing_file_is_a_load_error(tmp_path: Path) -> None:
    assert "does not exist" in load_error(tmp_path / "gone.txt").reason


# --- titles -------------------------------------------------------------------------------------------


def test_markdown_title_is_the_first_h1(tmp_path: Path) -> None:
    path = write(tmp_path / "guide.md", "前言说明\n\n# 社保卡补办指南\n\n## 办理材料\n\n- 身份证\n")
    _, title, text = load_one(path)
    assert title == "社保卡补办指南"
    assert "## 办理材料" in text


def test_title_skips_issuer_and_doc_number_lines() -> None:
    text = "示例市人民政府\n示市府〔2025〕12号\n示例市社会保障卡管理办法\n第一章 总则\n" + ARTICLE
    assert guess_title(text) == "示例市社会保障卡管理办法"


def test_long_first_line_falls_back_to_the_file_stem(tmp_path: Path) -> None:
    _, title, _ = load_one(write(tmp_path / "社保卡说明.txt", ARTICLE * 2))
    assert title == "社保卡说明"


# --- html ---------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>社保卡补办指南</title>
<style>p {{ color: red }}</style><script>var secret = "不应出现";</script></head>
<body><nav><a href="/">首页</a> 导航栏</nav>
<h1>社会保障卡补办</h1><!-- 注释 -->
<p>持卡人可到
社保经办机构补办。</p>
<ul><li>身份证原件</li><li>近期照片</li></ul>
<table><tr><th>事项</th><th>时限</th></tr><tr><td>补办</td><td>1个工作日</td></tr></table>
</body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_keeps_blocks_as_lines_and_drops_scripts_and_navigation(tmp_path: Path, charset: str) -> None:
    path = write(tmp_path / "page.html", PAGE.format(charset=charset), charset)
    _, title, text = load_one(path)
    assert title == "社保卡补办指南"
    assert text.split("\n") == [
        "社会保障卡补办",
        "持卡人可到社保经办机构补办。",
        "身份证原件",
        "近期照片",
        "事项 | 时限",
        "补办 | 1个工作日",
    ]


def test_html_title_falls_back_to_first_h1(tmp_path: Path) -> None:
    _, title, _ = load_one(write(tmp_path / "p.htm", "<h1>补办 指南</h1><p>正文内容</p>"))
    assert title == "补办 指南"


# --- docx ---------------------------------------------------------------------------------------------


def make_docx(path: Path, *, title: str = "") -> Path:
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "张三的电脑"
    document.add_paragraph("示例市社会保障卡管理办法")
    document.add_paragraph(ARTICLE)
    table = document.add_table(rows=2, cols=2)
    for (row, col), value in {(0, 0): "材料", (0, 1): "份数", (1, 0): "身份证", (1, 1): "1"}.items():
        table.cell(row, col).text = value
    document.add_paragraph("第二条 本办法自发布之日起施行。")
    document.save(str(path))
    return path


def test_docx_paragraphs_and_table_rows_in_order(tmp_path: Path) -> None:
    [document] = load_file(make_docx(tmp_path / "办法.docx"), tmp_path)
    assert document.text == (
        f"示例市社会保障卡管理办法\n{ARTICLE}\n材料 | 份数\n身份证 | 1\n第二条 本办法自发布之日起施行。"
    )
    assert document.title == "示例市社会保障卡管理办法"
    assert document.meta_hints == {}  # the author is the PC owner, not the issuing authority


def test_docx_title_comes_from_core_properties_when_set(tmp_path: Path) -> None:
    _, title, _ = load_one(make_docx(tmp_path / "x.docx", title="社保卡办法（2025年修订）"))
    assert title == "社保卡办法（2025年修订）"


@pytest.mark.parametrize("content", [noise(1, 500), b"PK\x03\x04junk"])
def test_corrupt_docx_is_a_load_error(tmp_path: Path, content: bytes) -> None:
    assert "not a readable .docx" in load_error(write(tmp_path / "坏文件.docx", content)).reason


# --- pdf ----------------------------------------------------------------------------------------------


def test_pdf_text_layer_is_extracted(tmp_path: Path) -> None:
    doc_id, title, text = load_one(write(tmp_path / "notice.pdf", minimal_pdf("Social security card notice")))
    assert (doc_id, title, text) == ("notice", "Social security card notice", "Social security card notice")


def test_pdf_without_text_layer_asks_for_ocr(tmp_path: Path) -> None:
    error = load_error(write(tmp_path / "scan.pdf", minimal_pdf(None)))
    assert "no text layer" in error.reason and "OCR" in error.reason


def test_corrupt_pdf_is_a_load_error(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.pdf", b"%PDF-1.4\n garbage \x00\x01")
    assert "not a readable PDF" in load_error(path).reason


def encrypted_pdf(user_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(minimal_pdf("Locked text"))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_password_protected_pdf_is_a_load_error(tmp_path: Path) -> None:
    assert "encrypted PDF" in load_error(write(tmp_path / "locked.pdf", encrypted_pdf("secret"))).reason


def test_pdf_with_empty_user_password_opens(tmp_path: Path) -> None:
    _, _, text = load_one(write(tmp_path / "print-locked.pdf", encrypted_pdf("")))
    assert text == "Locked text"


# --- sidecars -----------------------------------------------------------------------------------------

SIDECAR = """doc_id: sz-2025-12
title: 示例市社会保障卡管理办法
issuer: 示例市人民政府
doc_number: 示市府〔2025〕12号
date: 2025-03-01
validity: 已修订
access: internal
department: 人社局
"""


def test_sidecar_overrides_id_and_title_and_gives_meta_hints(tmp_path: Path) -> None:
    path = write(tmp_path / "办法.md", "# 旧标题\n\n" + ARTICLE)
    write(tmp_path / "办法.meta.yaml", SIDECAR)
    [document] = load_file(path, tmp_path)
    assert (document.doc_id, document.title) == ("sz-2025-12", "示例市社会保障卡管理办法")
    assert document.meta_hints == {
        "issuer": "示例市人民政府",
        "doc_number": "示市府〔2025〕12号",
        "date": "2025-03-01",
        "validity": "已修订",
        "access": "internal",
        "department": "人社局",
    }


@pytest.mark.parametrize(
    ("sidecar", "expected"),
    [
        ("author: 张三\n", "unknown key 'author'; valid keys: doc_id, title, issuer"),
        ("access: secret\n", "access 'secret' is not one of public, internal, confidential"),
        ("validity: 有效\n", "validity '有效' is not one of 现行有效, 已废止, 已修订"),
        ("date: 2025年3月1日\n", "must be yyyy-mm-dd"),
        ("department: [a, b]\n", "department must be text"),
        ("- just\n- a list\n", "expected key: value pairs"),
        ("title: [unclosed\n", "not valid YAML"),
        (b"\x00\x01\x02\x03\xff", "binary content"),
    ],
)
def test_bad_sidecar_names_the_sidecar_key_and_options(tmp_path: Path, sidecar: str | bytes, expected: str) -> None:
    path = write(tmp_path / "办法.txt", ARTICLE)
    write(tmp_path / "办法.meta.yaml", sidecar)
    reason = load_error(path).reason
    assert reason.startswith("sidecar 办法.meta.yaml: ")
    assert expected in reason


def test_sidecar_hints_apply_to_every_record_but_ids_cannot_be_set(tmp_path: Path) -> None:
    path = write(tmp_path / "items.jsonl", '{"name": "甲"}\n{"name": "乙"}\n')
    write(tmp_path / "items.meta.yaml", "access: internal\n")
    documents = load_file(path, tmp_path, records=RecordOptions())
    assert [d.meta_hints for d in documents] == [{"access": "internal"}] * 2
    write(tmp_path / "items.meta.yaml", "doc_id: x\n")
    assert "cannot be set for a records file" in load_error(path).reason
