"""The journal is private to the services: ui/ and cli/ reach the history through services (AppContext,
SubmissionService, services.team), never by holding a journal object. import-linter cannot see attribute use, so
this reads the source."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "spectrum_desktop"
JOURNAL_NAMES = {"journal", "local_journal"}
JOURNAL_TAKERS = {"export_history", "open_shared"}
"""services.team functions that take or give journal objects: for the services (and tests) only."""


def _offences(folder: str) -> list[str]:
    found = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = ""
            if isinstance(node, ast.Attribute) and node.attr in JOURNAL_NAMES | JOURNAL_TAKERS:
                name = node.attr
            elif isinstance(node, ast.ImportFrom):
                name = ", ".join(a.name for a in node.names if a.name in JOURNAL_TAKERS)
            if name:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}")
    return found


def test_the_window_never_touches_a_journal_object():
    assert _offences("ui") == []


def test_the_command_line_never_touches_a_journal_object():
    assert _offences("cli") == []
