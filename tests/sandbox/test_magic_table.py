"""The README's table of sandbox test values is the one in spectrum_desktop.sandbox.magic (Help shows the same)."""

from pathlib import Path

from spectrum_desktop.sandbox import magic

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_shows_the_magic_values_table_verbatim():
    assert magic.magic_table_markdown() in README.read_text(encoding="utf-8")


def test_every_magic_prefix_is_in_the_table():
    prefixes = [magic.FAIL_RECIPE_SET, magic.ERR500, magic.SLOW, magic.HTML502, magic.BADJSON, magic.RATE403,
                magic.DENY403, magic.DROP]
    firsts = " ".join(row.value for row in magic.MAGIC_VALUES)
    assert all(f"`{p}..." in firsts for p in prefixes)
