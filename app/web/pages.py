"""Routes of the web pages. Pages are static shells: the browser calls the /v1 API with the key the user enters."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")

# (path, template, nav title, who it is for); the order is the navigation order.
PAGES: list[tuple[str, str, str, str]] = [
    ("/", "chat.html", "市民咨询", "市民"),
    ("/drafting", "drafting.html", "公文起草台", "工作人员"),
    ("/kb-admin", "kb.html", "知识库管理", "管理员"),
    ("/eval", "eval.html", "评测报告", "评测员"),
]


def _page(template: str, title: str) -> Callable[[Request], HTMLResponse]:
    def render(request: Request) -> HTMLResponse:
        nav = [(path, name) for path, _, name, _ in PAGES]
        return templates.TemplateResponse(request, template, {"title": title, "nav": nav})

    return render


def mount_web(app: FastAPI, extra_pages: list[tuple[str, str, str, str]] | None = None) -> None:
    """Add the pages and their static files to ``app``."""
    router = APIRouter(include_in_schema=False)
    for path, template, title, _audience in PAGES + (extra_pages or []):
        router.add_api_route(path, _page(template, title), methods=["GET"], response_class=HTMLResponse)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
