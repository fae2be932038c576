"""Every web page renders: Chinese UI, utf-8 declared, nothing loaded from another host."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from app.server import create_app
from app.settings import Settings
from app.web.pages import HERE, PAGES


def test_every_page_renders_with_charset_and_no_remote_assets(tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(home=tmp_path, embedder="hashing")))
    for path, _template, title, _audience in PAGES:
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
        html = response.text
        assert '<meta charset="utf-8">' in html and f"<h1>{title}</h1>" in html
        assert not re.search(r"""(src|href)=["'](https?:)?//""", html), "pages must not load from a CDN"
        for asset in re.findall(r"""(?:src|href)="(/static/[^"]+)""", html):
            assert client.get(asset).status_code == 200, asset


def test_static_files_reference_no_remote_hosts() -> None:
    for file in (HERE / "static").iterdir():
        assert "http://" not in file.read_text(encoding="utf-8") and "https://" not in file.read_text(encoding="utf-8")
