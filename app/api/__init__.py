"""The HTTP API behind ``app.server.create_app``: routers (chat, knowledge, 公文, eval, health), auth, errors."""

from app.api.errors import ApiError, error_body

__all__ = ["ApiError", "error_body"]
