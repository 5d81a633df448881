"""One keystroke on a 1,000-line-item order: time to refresh the JSON preview (target < 50 ms).

Baseline in the same run: the same keystroke on a 1-line order.
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from spectrum_desktop.ui.order_editor import OrderEditor  # noqa: E402

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
    print(f"1,000-line order: {thousand:.1f} ms per keystroke (target < 50 ms)")
    print(f"ratio: {thousand / one:.1f}")


if __name__ == "__main__":
    main()
