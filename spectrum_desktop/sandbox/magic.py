"""Magic values that make the sandbox answer a chosen way, like a payment provider's test cards."""

from __future__ import annotations

FAIL_RECIPE_SET = "FAIL"  # recipeSetId prefix: that status answers success: false
ERR500 = "ERR500"  # purchaseOrderNumber prefix: 500 with a trace ID
SLOW = "SLOW"  # purchaseOrderNumber prefix: answer delayed by slow_delay (order still recorded)
HTML502 = "HTML502"  # purchaseOrderNumber prefix: an HTML 502 page as a proxy would send
BADJSON = "BADJSON"  # purchaseOrderNumber prefix: 200 with a malformed JSON body
RATE403 = "RATE403"  # purchaseOrderNumber prefix: 403 with Retry-After, as if rate limited
DENY403 = "DENY403"  # purchaseOrderNumber prefix: 403 without rate-limit signs (forbidden)
DROP = "DROP"  # purchaseOrderNumber prefix: order recorded, connection closed without an answer

MAGIC_VALUES: tuple[tuple[str, str, str], ...] = (
    (f"`{FAIL_RECIPE_SET}...` (e.g. `FAIL-1`)", "a line item's `recipeSetId`",
     "200 with that recipe set `success: false` and a message (`allSuccessful: false`); the order is not marked "
     "as received, so it can be resent"),
    (f"`{ERR500}...`", "`purchaseOrderNumber`", "500 with an error text holding a trace log ID"),
    (f"`{SLOW}...`", "`purchaseOrderNumber`",
     "the answer waits `--slow-delay` seconds (default 35, longer than the app's 30 s read timeout); the order "
     "**is** recorded, as a real server would, so the app shows \"outcome unknown\" and \"Check in Spectrum\" "
     "finds it"),
    (f"`{HTML502}...`", "`purchaseOrderNumber`", "502 with an HTML page, as a proxy in front of Spectrum would send"),
    (f"`{BADJSON}...`", "`purchaseOrderNumber`",
     "200 with a broken JSON body (the app keeps the raw answer and calls it unrecognised)"),
    (f"`{RATE403}...`", "`purchaseOrderNumber`", "403 with `Retry-After: 1`, as if rate limited"),
    (f"`{DENY403}...`", "`purchaseOrderNumber`",
     "403 without rate-limit headers (the token may not use this endpoint)"),
    (f"`{DROP}...`", "`purchaseOrderNumber`", "the order is recorded, then the connection closes without an answer"),
    ("the same `purchaseOrderNumber` twice", "any order",
     "409 \"Purchase order has already been submitted.\" once every recipe set of it was accepted"),
    ("a recipe set accepted earlier", "a second request for a partly accepted order",
     "that recipe set `success: false`, \"RecipeSet has already been submitted; it was not processed again.\"; "
     "the others are processed"),
    ("a wrong token", "`SPECTRUM_API_TOKEN` header", "401"),
)
"""The sandbox's test values as the README's table shows them (Markdown): one home for the README (checked by
tests/sandbox/test_magic_table.py) and Help › Sandbox test values. Columns: put this, in, and the sandbox answers."""

MAGIC_HEADER = ("Put this", "in", "and the sandbox answers")


def magic_table_markdown() -> str:
    """The README's table, line by line."""
    lines = ["| " + " | ".join(MAGIC_HEADER) + " |", "| --- | --- | --- |"]
    lines += ["| " + " | ".join(row) + " |" for row in MAGIC_VALUES]
    return "\n".join(lines)
