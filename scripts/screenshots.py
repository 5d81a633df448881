"""Write screenshots of the window's main states (offscreen) for the README and for review.

Usage: python scripts/screenshots.py [OUTPUT_DIR] [--only SIZE-SCHEME ...]   (default docs/screenshots)

For each size (1024x700, 1600x1000) and scheme (light, dark), in OUTPUT_DIR/<size>-<scheme>/:
order-empty, order-errors (after Send was pressed), order-full (both addresses), order-partial (a partial
result), history-states, history-detail, order-correction (the partial row opened from History), bulk-imported, bulk-sending, bulk-done, preferences,
preferences-not-production (the question before un-marking production), token-dialog, production-confirm.
Each pass uses a fresh data folder and its own loopback sandbox: nothing leaves the computer.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

SIZES = ((1024, 700), (1600, 1000))
SCHEMES = ("light", "dark")
DATE = "2024-05-01T10:00:00+02:00"

VALID = {
    "purchaseOrderNumber": "PO-2024-0815",
    "orderDate": DATE,
    "lineItems": [
        {"recipeSetId": "RS-1001", "sku": "MUG-BLUE-11OZ", "quantity": 2},
        {"recipeSetId": "RS-1002", "sku": "TEE-WHITE-L", "quantity": 1, "giftMessage": "Happy birthday!"},
    ],
}
WITH_ERRORS = {
    "purchaseOrderNumber": "",
    "orderDate": DATE,
    "lineItems": [
        {"recipeSetId": "RS-1001", "sku": "MUG-BLUE-11OZ", "quantity": 0},
        {"recipeSetId": "", "sku": "TEE-WHITE-L", "quantity": 1},
    ],
}
ADDRESS = {"firstName": "Ana", "lastName": "Silva", "address1": "12 Harbour Street", "city": "Portland",
           "state": "OR", "postalCode": "97201", "country": "US"}
FULL = {
    "purchaseOrderNumber": "PO-2024-0901",
    "orderDate": DATE,
    "emailAddress": "ana.silva@example.com",
    "phoneNumber": "+1 503 555 0100",
    "customerAddress": ADDRESS,
    "shippingAddress": {**ADDRESS, "firstName": "Rui", "address1": "400 Market Street", "city": "Seattle",
                        "state": "WA", "postalCode": "98101"},
    "lineItems": [
        {"recipeSetId": "RS-3001", "sku": "MUG-BLUE-11OZ", "quantity": 2},
        {"recipeSetId": "RS-3002", "sku": "TEE-WHITE-L", "quantity": 1},
        {"recipeSetId": "RS-3003", "sku": "CAP-RED", "quantity": 4},
    ],
}
PARTIAL = {
    "purchaseOrderNumber": "PO-2024-0816",
    "orderDate": DATE,
    "lineItems": [
        {"recipeSetId": "RS-2001", "sku": "MUG-BLUE-11OZ", "quantity": 2},
        {"recipeSetId": "FAIL-2002", "sku": "TEE-WHITE-L", "quantity": 1},
        {"recipeSetId": "RS-2003", "sku": "CAP-RED", "quantity": 3},
    ],
}


def wait_until(app, done, timeout_s: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        app.processEvents()
        if done():
            return True
        time.sleep(0.01)
    return False


def send_and_wait(app, window, timeout_s: float = 20.0, answer_already_sent: bool = True) -> None:
    """Press Send the way a user does and wait for the result (or for the refusal) on the event loop; the
    "Already sent" warning is answered as a person sending it again on purpose would."""
    from PySide6.QtWidgets import QMessageBox

    def answered() -> bool:
        box = window.findChild(QMessageBox, "alreadySentWarning")
        if answer_already_sent and box is not None and box.isVisible():
            next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole).click()
        return bool(done)

    done: list[object] = []
    window.send_finished.connect(done.append)
    window.send_not_sent.connect(done.append)
    try:
        window.send_current()
        wait_until(app, answered, timeout_s)
        if os.environ.get("SCREENSHOTS_DEBUG"):
            print("sent:", window.current_order().get("purchaseOrderNumber"), done, window.results.headline.text(),
                  file=sys.stderr)
    finally:
        window.send_finished.disconnect(done.append)
        window.send_not_sent.disconnect(done.append)
    app.processEvents()


def composite(window, dialog, path: Path) -> None:
    """The window with a dialog over it, as the person sees them."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QPainter

    for _ in range(5):  # let texts set a moment ago lay out, as they have by the time a person looks
        QApplication.processEvents()
        time.sleep(0.02)
    picture = window.grab()
    over = dialog.grab()
    painter = QPainter(picture)
    painter.drawPixmap(QPoint(max((picture.width() - over.width()) // 2, 0),
                              max((picture.height() - over.height()) // 3, 0)), over)
    painter.end()
    picture.save(str(path))
    print(path)


def one_pass(app, out: Path, size: tuple[int, int], scheme: str) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QMessageBox

    from spectrum_desktop.sandbox import SandboxServer
    from spectrum_desktop.services.context import AppContext
    from spectrum_desktop.ui.colour_scheme import follow_system_scheme
    from spectrum_desktop.ui.startup import build_main_window

    out.mkdir(parents=True, exist_ok=True)
    follower = follow_system_scheme(app)
    follower.apply(Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light)
    with tempfile.TemporaryDirectory() as home, SandboxServer(rate_limit=None, slow_delay=1.5) as sandbox:
        os.environ["SPECTRUM_DESKTOP_HOME"] = home
        window = build_main_window(AppContext(sandbox=sandbox))
        window.resize(*size)
        window.show()
        wait_until(app, lambda: window.isVisible(), 2)
        wait_until(app, lambda: window.rate_label.text() != "", 3)

        def shoot(name: str) -> None:
            app.processEvents()
            path = out / f"{name}.png"
            window.grab().save(str(path))
            print(path)

        shoot("order-empty")
        window.load_order(WITH_ERRORS)
        send_and_wait(app, window)
        shoot("order-errors")
        window.load_order(FULL)
        shoot("order-full")
        send_and_wait(app, window)
        window.load_order(VALID)
        send_and_wait(app, window)
        window.load_order(dict(VALID, purchaseOrderNumber="ERR500-0817"))
        send_and_wait(app, window)
        window.load_order(dict(VALID, purchaseOrderNumber="SLOW-0818"))  # cancelled while waiting: unknown
        QTimer.singleShot(600, window.results.cancel_button.click)
        send_and_wait(app, window)
        window.load_order(VALID)  # the same purchase order again: already submitted
        send_and_wait(app, window)
        window.load_order(PARTIAL)
        send_and_wait(app, window)
        shoot("order-partial")

        window.show_page("History")
        history = window.pages.currentWidget().page()
        wait_until(app, lambda: history.model.total >= 6, 5)
        shoot("history-states")
        partial_row = next(r for r in range(history.model.rowCount())
                           if history.model.record(r).purchase_orders[0] == PARTIAL["purchaseOrderNumber"])
        history.table.selectRow(partial_row)
        wait_until(app, lambda: "Recipe sets:" in history.detail.toPlainText(), 5)
        shoot("history-detail")
        history.open_selected_in_editor()  # the partial row: only its failed recipe set, the accepted ones noted
        wait_until(app, lambda: window.editor.note() != "", 5)
        shoot("order-correction")

        window.show_page("Bulk")
        bulk = window.pages.currentWidget().page()
        csv_path = Path(home) / "orders.csv"
        csv_path.write_text(bulk_csv(), encoding="utf-8")
        bulk.open_path(str(csv_path))
        shoot("bulk-imported")
        bulk.send_valid()
        wait_until(app, lambda: bulk.progress.value() > 0, 10)
        shoot("bulk-sending")
        wait_until(app, lambda: not bulk.is_sending(), 30)
        shoot("bulk-done")

        window.show_page("Order")
        preferences = window.tools.open_preferences()
        page = preferences.environments
        page.list.setCurrentRow(2)  # Production
        app.processEvents()
        composite(window, preferences, out / "preferences.png")
        page.form.is_production.setChecked(False)
        page.save()
        question = page.not_production_question
        if question is not None:
            wait_until(app, question.isVisible, 2)
            composite(window, question, out / "preferences-not-production.png")
            question.reject()
        preferences.environments.revert_button.click()
        preferences.reject()

        window.set_environment("staging")
        token = window.tools.open_token_dialog()
        wait_until(app, token.location_known, 10)
        composite(window, token, out / "token-dialog.png")
        token.reject()

        window.load_order(dict(VALID, purchaseOrderNumber="PO-2024-0820"))
        window.set_environment("production")
        os.environ["SPECTRUM_API_TOKEN"] = "screenshot-only-never-sent"  # production asks only once a token is set
        try:
            window.send_current()
            found = wait_until(app, lambda: (box := window.findChild(QMessageBox, "confirmSend")) is not None
                               and box.isVisible(), 10)
            box = window.findChild(QMessageBox, "confirmSend")
            if found:
                composite(window, box, out / "production-confirm.png")
                box.button(QMessageBox.StandardButton.Cancel).click()
            else:
                print("no confirmation appeared", file=sys.stderr)
        finally:
            del os.environ["SPECTRUM_API_TOKEN"]
        app.processEvents()
        window.set_environment("local-sandbox")
        window.close()
        window.deleteLater()  # its timers must not outlive this pass's data folder
        app.processEvents()


def bulk_csv(count: int = 150) -> str:
    """Orders for the Bulk page: one invalid (quantity 0), one accepted only in part, one slow batch."""
    lines = ["purchaseOrderNumber,orderDate,lineItems.recipeSetId,lineItems.sku,lineItems.quantity"]
    for n in range(count):
        po = f"BULK-{n:03d}" if n != 70 else "SLOW-BULK-070"
        quantity = "0" if n == 7 else "1"
        lines.append(f"{po},{DATE},R-{n},MUG-BLUE-11OZ,{quantity}")
        if n == 12:
            lines.append(f"{po},{DATE},FAIL-{n},TEE-WHITE-L,1")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("--only", nargs="*", help="e.g. 1024x700-light")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    for width, height in SIZES:
        for scheme in SCHEMES:
            name = f"{width}x{height}-{scheme}"
            if args.only and name not in args.only:
                continue
            one_pass(app, Path(args.out) / name, (width, height), scheme)
    return 0


if __name__ == "__main__":
    sys.exit(main())
