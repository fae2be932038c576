"""End-to-end: the pages in a real headless Chromium against the service on loopback.

Needs the Debian ``chromium`` package (installed by .ci/run); Playwright drives it without downloading a browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_api_fixtures import ApiHarness, LoopbackServer, api, api_service  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium not installed: apt-get install -y chromium (done by .ci/run)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def site(api: ApiHarness) -> Iterator[tuple[ApiHarness, str]]:  # noqa: F811
    with LoopbackServer(api.app) as url:
        yield api, url


def _open(browser: Any, url: str, key: str) -> Any:
    page = browser.new_page()
    page.set_default_timeout(60_000)  # a ceiling for a loaded CI machine, not a speed assertion
    page.goto(url)
    page.fill("#api-key", key)
    page.click("#save-key")
    return page


def test_citizen_asks_and_sees_a_cited_streamed_answer(browser: Any, site: tuple[ApiHarness, str]) -> None:
    harness, url = site
    page = _open(browser, f"{url}/", harness.keys["citizen"])
    page.wait_for_selector("#agent option[value='service-guide']", state="attached")
    options = page.eval_on_selector_all("#agent option", "els => els.map(e => e.value)")
    assert "staff-qa" not in options  # a citizen key is offered citizen agents only
    page.select_option("#agent", "service-guide")
    page.fill("#question", "社保卡丢了要补办，需要带什么材料？")
    page.click("#ask")
    citation = page.wait_for_selector(".turn details.citation")
    assert "身份证" in page.inner_text(".turn .a")
    assert "出处：《" in citation.inner_text()
    citation.click()  # expand the source
    assert page.inner_text(".turn details.citation[open] blockquote").strip()
    page.select_option("#agent", "citizen-qa")
    page.fill("#question", "明天江临会下雨吗")
    page.click("#ask")
    page.wait_for_selector(".turn.refused .refusal-badge")
    assert page.locator(".turn").count() == 2
    page.close()


def test_admin_uploads_a_file_and_finds_it_by_search(browser: Any, site: tuple[ApiHarness, str], tmp_path: Path) -> None:
    harness, url = site
    doc = tmp_path / "游泳馆开放时间.md"
    doc.write_text("# 高新区示例游泳馆开放时间（示例）\n\n## 开放时间\n\n夏季每天早上六点开放，周一上午闭馆清洁。\n", "utf-8")
    bad = tmp_path / "扫描件.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    page = _open(browser, f"{url}/kb-admin", harness.keys["admin"])
    page.fill("#kb-name", "e2e")
    page.select_option("#access", "internal")
    page.fill("#department", "高新区文体局")
    page.set_input_files("#files", [str(doc), str(bad)])
    page.click("#upload")
    page.wait_for_selector("#upload-report")
    report = page.inner_text("#upload-report")
    assert "已导入：游泳馆开放时间" in report and "失败：扫描件.pdf" in report
    page.wait_for_selector("#documents tbody tr")
    row = page.inner_text("#documents tbody tr")
    assert "内部" in row and "高新区文体局" in row
    page.fill("#search-query", "游泳馆几点开门")
    page.click("#search")
    page.wait_for_selector("#search-results li strong")
    assert "游泳馆" in page.inner_text("#search-results li")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#documents button[data-doc='游泳馆开放时间']")
    page.wait_for_selector("#documents tbody tr", state="detached")
    assert harness.client.get("/v1/kb/e2e/documents", headers=harness.headers("admin")).json() == []
    page.close()


def test_a_citizen_key_on_the_admin_page_sees_a_clear_refusal(browser: Any, site: tuple[ApiHarness, str]) -> None:
    harness, url = site
    page = _open(browser, f"{url}/kb-admin", harness.keys["citizen"])
    page.set_input_files("#files", [{"name": "a.md", "mimeType": "text/markdown", "buffer": "# 示例".encode()}])
    page.click("#upload")
    page.wait_for_selector("#notice.error")
    assert "仅限管理员" in page.inner_text("#notice")
    page.close()


def test_staff_drafts_a_notice_edits_it_and_downloads_the_docx(
    browser: Any, site: tuple[ApiHarness, str], tmp_path: Path
) -> None:
    from docx import Document

    harness, url = site
    page = _open(browser, f"{url}/drafting", harness.keys["staff"])
    page.wait_for_selector("#doc-type option[value='通知']", state="attached")
    page.select_option("#doc-type", "通知")
    page.fill("#issuer", "江临市示例局")
    page.fill("#recipients", "各区示例分局、局属各单位")
    page.fill("#subject", "开展2026年春季安全生产检查")
    page.fill("#points", "成立检查组\n4月30日前报送检查情况")
    page.fill("#doc-date", "2026-03-02")
    page.click("#draft")
    page.wait_for_selector("#draft-panel:not([hidden])")
    assert page.input_value("#draft-title") == "江临市示例局关于开展2026年春季安全生产检查的通知"
    assert page.locator("#findings li").count() >= 1  # at least the 文号 placeholder to fill in
    page.fill("#draft-body", page.input_value("#draft-body") + "\n检查结果纳入年度考核。")
    page.click("#recheck")
    page.wait_for_function("document.getElementById('draft-text').textContent.includes('纳入年度考核')")
    with page.expect_download() as download_info:
        page.click("#download")
    target = tmp_path / "draft.docx"
    download_info.value.save_as(target)
    assert download_info.value.suggested_filename.endswith(".docx")
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "检查结果纳入年度考核" in text and "各区示例分局、局属各单位：" in text
    page.close()


def test_evaluator_starts_a_run_and_opens_its_report(browser: Any, site: tuple[ApiHarness, str]) -> None:
    harness, url = site
    page = _open(browser, f"{url}/eval", harness.keys["evaluator"])
    page.fill("#scenarios", "FW4-PM")
    page.click("#start")
    page.wait_for_selector("#runs tr[data-status='done'] button:not([disabled])")  # the page polls while running
    page.click("#runs tr[data-status='done'] button")
    page.wait_for_selector("#report-panel:not([hidden])")
    frame = page.frame_locator("#report")
    assert "评测报告" in frame.locator("h1").inner_text()
    page.close()
