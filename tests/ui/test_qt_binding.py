"""The installed Qt binding must not corrupt Python's reference counts (PySide6 6.12.0 did)."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    bare = Signal()
    carrying = Signal(object)


def test_signal_emits_keep_none_true_false_reference_counts(qapp):
    emitter = _Emitter()
    emitter.bare.connect(lambda: None)
    emitter.carrying.connect(lambda value: None)
    before = [sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)]
    for _ in range(2000):
        emitter.bare.emit()
        emitter.carrying.emit(1)
        emitter.blockSignals(False)
    after = [sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)]
    # A broken binding loses one reference per emit (thousands here); allow a little unrelated churn.
    lost = [b - a for b, a in zip(before, after)]
    assert all(n < 100 for n in lost), f"references lost to None/True/False: {lost}"
