"""Errors aimed at whoever must act on them. Here: errors for the model, returned to it as a retry message."""

from __future__ import annotations

from pydantic import ValidationError


class ToolInputError(ValueError):
    """A tool argument the model got wrong; the message says what was wrong and the expected form.

    The loop returns the message to the model as the tool result so it can call again with a fixed
    argument, e.g. ``start_date '2025/13/01' is not a date; use YYYY-MM-DD``.
    """


def validation_problems(exc: ValidationError, field_prefix: str = "", root: str = "") -> str:
    """One line naming each invalid field of a user-authored file: ``points.0.text: Field required; …``.

    Args:
        exc: the pydantic error.
        field_prefix: written before each location, e.g. ``"field "``.
        root: the location shown for an error about the whole document (empty location).
    """
    return "; ".join(f"{field_prefix}{'.'.join(map(str, e['loc'])) or root}: {e['msg']}" for e in exc.errors())
