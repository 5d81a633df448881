"""Write screenshots of the main window's main states (offscreen) for the README and for review.

Usage: python scripts/screenshots.py [OUTPUT_DIR]   (default docs/screenshots)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

VALID = {
    "purchaseOrderNumber": "PO-2024-0815",
    "orderDate": "2024-05-01T10:00:00+02:00",
    "lineItems": [
        {"recipeSetId": "RS-1001", "sku": "MUG-BLUE-11OZ", "quantity": 2},
        {"recipeSetId": "RS-1002", "sku": "TEE-WHITE-L", "quantity": 1, "giftMessage": "Happy birthday!"},
    ],
}
WITH_ERRORS = {
    "purchaseOrderNumber": "",
    "orderDate": "2024-05-01T10:00:00+02:00",
    "lineItems": [
        {"recipeSetId": "RS-1001", "sku": "MUG-BLUE-11OZ", "quantity": 0},
        {"recipeSetId": "", "sku": "TEE-WHITE-L", "quantity": 1},
    ],
}


PARTIAL = {
    "purchaseOrderNumber": "PO-2024-0816",
    "orderDate": "2024-05-01T10:00:00+02:00",
    "lineItems": [
        {"recipeSetId": "RS-2001", "sku": "MUG-BLUE-11OZ", "quantity": 2},
        {"recipeSetId": "FAIL-2002", "sku": "TEE-WHITE-L", "quantity": 1},
        {"recipeSetId": "RS-2003", "sku": "CAP-RED", "quantity": 3},
    ],
}


def send_and_wait(window, timeout_ms: int = 15_000) -> None:
    """Press Send the way a user does and wait for the result on the event loop."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    window.send_finished.connect(loop.quit)
    window.send_not_sent.connect(loop.quit)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(timeout_ms)
    window.send_current()
    loop.exec()
    deadline.stop()


def shoot_confirmation(app, window, path: Path) -> None:
    """Press Send on production and photograph the window with its confirmation over it; then answer Cancel."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QMessageBox

    os.environ["SPECTRUM_API_TOKEN"] = "screenshot-only-never-sent"  # production needs a token before it asks
    window.send_current()
    box = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        app.processEvents()
        box = window.findChild(QMessageBox, "confirmSend")
        if box is not None and box.isVisible():
            break
        time.sleep(0.01)
    if box is None:
        print("no confirmation appeared", file=sys.stderr)
        return
    app.processEvents()
    picture = window.grab()
    dialog = box.grab()
    painter = QPainter(picture)
    painter.drawPixmap(QPoint((picture.width() - dialog.width()) // 2, (picture.height() - dialog.height()) // 3),
                       dialog)
    painter.end()
    picture.save(str(path))
    print(path)
    box.button(QMessageBox.StandardButton.Cancel).click()
    app.processEvents()
    del os.environ["SPECTRUM_API_TOKEN"]


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ["SPECTRUM_DESKTOP_HOME"] = home
        app = QApplication.instance() or QApplication([])
        from spectrum_desktop.ui.startup import build_main_window

        window = build_main_window()
        window.resize(1280, 1060)
        window.show()

        def shoot(name: str) -> None:
            app.processEvents()
            path = out / f"{name}.png"
            window.grab().save(str(path))
            print(path)

        shoot("empty-form")
        window.load_order(WITH_ERRORS)
        shoot("errors-shown")
        window.load_order(VALID)
        send_and_wait(window)
        shoot("results-sent")
        window.load_order(PARTIAL)
        send_and_wait(window)
        shoot("results-partial")
        window.load_order(dict(VALID, purchaseOrderNumber="ERR500-0817"))
        send_and_wait(window)
        shoot("results-server-error")
        window.load_order(dict(VALID, purchaseOrderNumber="PO-2024-0818"))
        window.set_environment("production")
        shoot("production-band")
        shoot_confirmation(app, window, out / "production-confirm.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
