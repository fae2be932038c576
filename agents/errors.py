"""Errors aimed at whoever must act on them. Here: errors for the model, returned to it as a retry message."""

from __future__ import annotations


class ToolInputError(ValueError):
    """A tool argument the model got wrong; the message says what was wrong and the expected form.

    The loop returns the message to the model as the tool result so it can call again with a fixed
    argument, e.g. ``start_date '2025/13/01' is not a date; use YYYY-MM-DD``.
    """
