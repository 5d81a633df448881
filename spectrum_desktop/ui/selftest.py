"""`--selftest`: open the real main window offscreen and send one order the way Send does."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

SEND_TIMEOUT_MS = 30_000
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_SEND_UNAVAILABLE = 3


def selftest_order() -> dict[str, Any]:
    """One valid recipe-set acknowledgement; a fresh purchase order number so a rerun is not a duplicate."""
    return {
        "purchaseOrderNumber": f"SELFTEST-{int(time.time())}",
        "orderDate": "2024-01-31T13:15:05-05:00",
        "accountNumber": "2000690402",
        "organizationId": "1000345201",
        "recipeSets": [{"recipeSetId": "SELFTEST1", "skuQuantities": [{"sku": "100003-0001-S", "quantity": 1}]}],
    }


def run_selftest(app: QApplication, build_window: Callable[[], QWidget], report: Callable[[str], None]) -> int:
    window = build_window()
    window.show()
    app.processEvents()
    if not window.isVisible():
        report("selftest FAILED: the main window did not open")
        return EXIT_FAILED
    report(f"selftest: main window opened ({type(window).__name__})")
    missing = [name for name in ("load_order", "send_current", "send_finished") if not hasattr(window, name)]
    if missing:
        report("selftest INCOMPLETE: the main window cannot send yet (missing " + ", ".join(missing) + ")")
        return EXIT_SEND_UNAVAILABLE
    return _send_one(window, report)


def _send_one(window: Any, report: Callable[[str], None]) -> int:
    outcomes: list[object] = []
    refusals: list[str] = []
    loop = QEventLoop()
    window.send_finished.connect(lambda outcome: (outcomes.append(outcome), loop.quit()))
    not_sent = getattr(window, "send_not_sent", None)
    if not_sent is not None:
        not_sent.connect(lambda reason: (refusals.append(reason), loop.quit()))
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(SEND_TIMEOUT_MS)
    window.load_order(selftest_order())
    window.send_current()
    if not outcomes and not refusals:
        loop.exec()
    deadline.stop()
    window.close()
    if refusals:
        report(f"selftest FAILED: nothing was sent ({refusals[0]})")
        return EXIT_FAILED
    if not outcomes:
        report(f"selftest FAILED: no result from the send within {SEND_TIMEOUT_MS // 1000} s")
        return EXIT_FAILED
    ok, detail = outcome_succeeded(outcomes[0])
    if not ok:
        report(f"selftest FAILED: the order was not accepted ({detail})")
        return EXIT_FAILED
    report(f"selftest OK: one order sent through the Send path ({detail})")
    return EXIT_OK


def outcome_succeeded(outcome: object) -> tuple[bool, str]:
    """Read success from the outcome: per-recipeSet results if present, else an overall flag."""
    results = getattr(outcome, "recipe_set_results", None) or getattr(outcome, "results", None)
    if results:
        states = [_is_success(r) for r in results]
        detail = f"{sum(states)}/{len(states)} recipeSets succeeded"
        overall = getattr(outcome, "state", None)
        if overall is not None and not _is_success(outcome):
            return False, f"{detail}, submission {getattr(overall, 'value', overall)}"
        return all(states), detail
    if _is_success(outcome):
        return True, "overall success"
    return False, repr(outcome)[:200]


def _is_success(item: object) -> bool:
    for name in ("ok", "succeeded", "success", "is_success"):
        value = getattr(item, name, None)
        if callable(value):
            value = value()
        if isinstance(value, bool):
            return value
    state = getattr(item, "state", None) or getattr(item, "status", None)
    return str(getattr(state, "value", state)).lower() in {"success", "succeeded", "accepted", "sent"}
