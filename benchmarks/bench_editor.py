"""One keystroke on a 1,000-line-item order: time to refresh the JSON preview (target < 8 ms, half a frame).

Baseline in the same run: the same keystroke on a 1-line order. Then the keystroke's parts, each timed on its
own (best of the same number of runs): reading the form, validating (pydantic), formatting the JSON preview,
and putting it into the preview widget.
"""

from __future__ import annotations

import json
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from spectrum_desktop.domain.validation import validate_order  # noqa: E402
from spectrum_desktop.ui.order_editor import OrderEditor, items_text, preview_text  # noqa: E402

KEYSTROKES = 30


def order(lines: int) -> dict:
    return {
        "purchaseOrderNumber": "PO-BENCH",
        "lineItems": [{"recipeSetId": f"RS-{i}", "sku": f"SKU-{i}", "quantity": 1} for i in range(lines)],
    }


def keystroke_ms(editor: OrderEditor, app: QApplication) -> float:
    field = editor.fields["purchaseOrderNumber"]
    times = []
    for i in range(KEYSTROKES):
        started = time.perf_counter()
        field.setText(f"PO-BENCH-{i}")
        app.processEvents()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    small, big = OrderEditor(), OrderEditor()
    small.load(order(1))
    big.load(order(1000))
    small.show()
    big.show()
    one = keystroke_ms(small, app)
    thousand = keystroke_ms(big, app)
    print(f"1-line order:     {one:.1f} ms per keystroke (median of {KEYSTROKES})")
    print(f"1,000-line order: {thousand:.1f} ms per keystroke (target < 8 ms: {'meets' if thousand < 8 else 'MISSES'})")
    print(f"ratio: {thousand / one:.1f}")
    form = big.order()
    result = validate_order(form, big.kind())
    body = result.body if result.body is not None else form  # what the preview shows
    known = {"lineItems": items_text(body["lineItems"])}  # the editor keeps this until a line item changes
    text = preview_text(body, known)
    parts = {
        "read the form (order())": big.order,
        "validate (pydantic, the order schema)": lambda: validate_order(form, big.kind()),
        "format the JSON preview (line items kept)": lambda: preview_text(body, known),
        "format the JSON preview (a line item changed)":
            lambda: preview_text(body, {"lineItems": items_text(body["lineItems"])}),
        "for comparison, setPlainText of the whole preview (the editor replaces only changed lines)":
            lambda: big.preview.setPlainText(text),
        "for comparison, json.dumps indent=2 (the old preview)": lambda: json.dumps(body, indent=2, ensure_ascii=False),
    }
    print("parts of a keystroke in the 1,000-line order (best of %d):" % KEYSTROKES)
    for name, part in parts.items():
        print(f"  {name}: {best_ms(part):.2f} ms")


def best_ms(fn) -> float:
    best = float("inf")
    for _ in range(KEYSTROKES):
        started = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


if __name__ == "__main__":
    main()
