"""Small wording rules every face of the app shares (window, command line): counts with the right plural."""

from __future__ import annotations


def count(number: int, singular: str, plural: str | None = None) -> str:
    """`count(1, "submission")` -> "1 submission"; `count(2, "problem")` -> "2 problems"; never "(s)"."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"
