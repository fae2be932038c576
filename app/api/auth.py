"""Bearer API keys → the caller's key record; role checks; the per-key rate limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.api.errors import ApiError
from app.api.runtime import Runtime, audit_entry, get_runtime
from app.keys import ApiKey

_bearer = HTTPBearer(auto_error=False, description="API 密钥：`shuzhi keys create --audience …` 生成")
_AUDIENCE_ZH = {"citizen": "市民", "staff": "工作人员", "admin": "管理员", "evaluator": "评测员"}


def current_key(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    runtime: Annotated[Runtime, Depends(get_runtime)],
) -> ApiKey:
    """The live key of the request, after the rate limit; 401 without one, 429 over the limit."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise ApiError(
            401,
            "unauthorized",
            "缺少 API 密钥：请在请求头加入 Authorization: Bearer <密钥>",
            "missing API key: send the header Authorization: Bearer <key>",
            challenge,
        )
    key = runtime.keys.lookup(credentials.credentials)
    if key is None:
        raise ApiError(401, "unauthorized", "API 密钥无效或已吊销", "invalid or revoked API key", challenge)
    entry = audit_entry(request)
    entry.key_name, entry.audience = key.name, key.audience
    wait = runtime.limiter.check(key.key_id)
    if wait:
        raise ApiError(
            429,
            "rate_limited",
            f"请求过于频繁，请 {wait} 秒后再试",
            f"rate limit of {runtime.settings.rate_limit_per_minute}/min exceeded; retry in {wait}s",
            {"Retry-After": str(wait)},
        )
    return key


def require(*audiences: str) -> Callable[[ApiKey], ApiKey]:
    """A dependency admitting only keys of the given audiences (403 otherwise)."""

    def check(key: Annotated[ApiKey, Depends(current_key)]) -> ApiKey:
        if key.audience not in audiences:
            allowed = "、".join(_AUDIENCE_ZH[a] for a in audiences)
            raise ApiError(
                403,
                "forbidden",
                f"该功能仅限{allowed}密钥使用",
                f"this endpoint needs a key of audience {' or '.join(audiences)}; this key is {key.audience}",
            )
        return key

    return check


KeyDep = Annotated[ApiKey, Depends(current_key)]
