"""Render the project's Jinja2 templates (system prompts, answer templates, 公文 and record templates).

Templates live in ``prompts/templates`` and load through importlib.resources, so they work from a wheel.
Rendering is strict: a variable the caller forgot is an error, not an empty string in front of a citizen.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.resources import files
from typing import Any

import jinja2

TEMPLATE_ROOT = files("prompts").joinpath("templates")


class TemplateError(ValueError):
    """A template is missing or failed to render; the message names the template and the fix."""


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(_source)
    return jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _source(name: str) -> str | None:
    resource = TEMPLATE_ROOT.joinpath(*name.split("/"))
    return resource.read_text(encoding="utf-8") if resource.is_file() else None


def template_names(folder: str) -> list[str]:
    """Names like ``system/citizen_qa.j2`` of the templates in one folder."""
    directory = TEMPLATE_ROOT.joinpath(folder)
    return sorted(f"{folder}/{entry.name}" for entry in directory.iterdir() if entry.name.endswith(".j2"))


def render(name: str, **variables: Any) -> str:
    """Render ``prompts/templates/<name>`` with ``variables`` (all referenced variables are required)."""
    try:
        return environment().get_template(name).render(**variables).strip()
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template {name!r} not found under prompts/templates") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"template {name!r}: {exc.message}; pass it to render()") from exc


def template_version(name: str) -> str:
    """A short content hash, recorded in traces so an answer can be tied to the prompt that made it."""
    source = _source(name)
    if source is None:
        raise TemplateError(f"template {name!r} not found under prompts/templates")
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]
