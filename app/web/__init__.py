"""Web pages (Jinja2 + small vanilla JS, no CDN, no build step): 市民咨询, 知识库管理, 公文起草台, 评测报告."""

from app.web.pages import mount_web

__all__ = ["mount_web"]
