"""Magic values that make the sandbox answer a chosen way, like a payment provider's test cards."""

from __future__ import annotations

from dataclasses import dataclass

FAIL_RECIPE_SET = "FAIL"  # recipeSetId prefix: that status answers success: false
ERR500 = "ERR500"  # purchaseOrderNumber prefix: 500 with a trace ID
SLOW = "SLOW"  # purchaseOrderNumber prefix: answer delayed by slow_delay (order still recorded)
HTML502 = "HTML502"  # purchaseOrderNumber prefix: an HTML 502 page as a proxy would send
BADJSON = "BADJSON"  # purchaseOrderNumber prefix: 200 with a malformed JSON body
RATE403 = "RATE403"  # purchaseOrderNumber prefix: 403 with Retry-After, as if rate limited
DENY403 = "DENY403"  # purchaseOrderNumber prefix: 403 without rate-limit signs (forbidden)
DROP = "DROP"  # purchaseOrderNumber prefix: order recorded, connection closed without an answer

@dataclass(frozen=True)
class MagicValue:
    """One test value: the README's row (for developers, Markdown) and what a person at the desk reads in Help."""

    value: str
    where: str
    answer: str
    field: str | None = None
    """The order field it goes in (its API name): Help names it by the form's label."""
    seen: str = ""
    """What the window shows, in the words of the person at the desk; "" = not something to try from the window."""
    desk: tuple[str, str] = ()
    """Help's "type this" and "in" when `value` and `field` do not say it in the desk's words."""


MAGIC_VALUES: tuple[MagicValue, ...] = (
    MagicValue(f"`{FAIL_RECIPE_SET}...` (e.g. `FAIL-1`)", "a line item's `recipeSetId`",
               "200 with that recipe set `success: false` and a message (`allSuccessful: false`); the order is not "
               "marked as received, so it can be resent", "recipeSetId",
               "That recipe set is refused with a reason, the others are accepted: partly accepted. Correct it and "
               "send again."),
    MagicValue(f"`{ERR500}...`", "`purchaseOrderNumber`", "500 with an error text holding a trace log ID",
               "purchaseOrderNumber",
               "A server error at Spectrum, with a reference number for Spectrum support; nothing was accepted."),
    MagicValue(f"`{SLOW}...`", "`purchaseOrderNumber`",
               "the answer waits `--slow-delay` seconds (default 35, longer than the app's 30 s read timeout); the "
               "order **is** recorded, as a real server would, so the app shows \"outcome unknown\" and \"Check in "
               "Spectrum\" finds it", "purchaseOrderNumber",
               "No answer in time: the outcome is unknown. Check in Spectrum then finds that the order arrived."),
    MagicValue(f"`{HTML502}...`", "`purchaseOrderNumber`",
               "502 with an HTML page, as a proxy in front of Spectrum would send", "purchaseOrderNumber",
               "A server error from the network in front of Spectrum; nothing was accepted."),
    MagicValue(f"`{BADJSON}...`", "`purchaseOrderNumber`",
               "200 with a broken JSON body (the app keeps the raw answer and calls it unrecognised)",
               "purchaseOrderNumber", "An answer the app cannot read; it keeps the answer and says so."),
    MagicValue(f"`{RATE403}...`", "`purchaseOrderNumber`", "403 with `Retry-After: 1`, as if rate limited",
               "purchaseOrderNumber", "Too many requests at once: the app waits a moment and tries again."),
    MagicValue(f"`{DENY403}...`", "`purchaseOrderNumber`",
               "403 without rate-limit headers (the token may not use this endpoint)", "purchaseOrderNumber",
               "Refused: the token may not send this kind of order."),
    MagicValue(f"`{DROP}...`", "`purchaseOrderNumber`",
               "the order is recorded, then the connection closes without an answer", "purchaseOrderNumber",
               "The connection closes without an answer: the outcome is unknown. Check in Spectrum finds it "
               "arrived."),
    MagicValue("the same `purchaseOrderNumber` twice", "any order",
               "409 \"Purchase order has already been submitted.\" once every recipe set of it was accepted", None,
               "\"Already submitted\": Spectrum has the whole order already, and nothing is processed twice.",
               ("a purchase order number sent before", "any order")),
    MagicValue("a recipe set accepted earlier", "a second request for a partly accepted order",
               "that recipe set `success: false`, \"RecipeSet has already been submitted; it was not processed "
               "again.\"; the others are processed", None,
               "That recipe set is reported as accepted before and not processed again; the others are.",
               ("an accepted recipe set, sent again", "a partly accepted order")),
    MagicValue("a wrong token", "`SPECTRUM_API_TOKEN` header", "401"),
)
"""The sandbox's test values: one home for the README's table (checked by tests/sandbox/test_magic_table.py) and
Help › Sandbox test values (which shows the rows a person can try from the window, in their words)."""

MAGIC_HEADER = ("Put this", "in", "and the sandbox answers")


def magic_table_markdown() -> str:
    """The README's table, line by line."""
    lines = ["| " + " | ".join(MAGIC_HEADER) + " |", "| --- | --- | --- |"]
    lines += [f"| {row.value} | {row.where} | {row.answer} |" for row in MAGIC_VALUES]
    return "\n".join(lines)
