"""The window started on a damaged history database: it says so once, in words, with where the old file was moved
(kept, never deleted), and sending works on the new history."""

from PySide6.QtWidgets import QMessageBox

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.ui.startup import build_main_window


def test_a_damaged_history_at_start_is_moved_aside_named_in_a_message_and_sending_still_works(qtbot, tmp_path,
                                                                                             monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    data = tmp_path / "data"
    data.mkdir()
    (data / "spectrum.sqlite3").write_bytes(b"not a database " * 100)
    with SandboxServer(rate_limit=None) as server:
        win = build_main_window(AppContext(sandbox=server))
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        qtbot.waitUntil(lambda: bool(win.findChildren(QMessageBox)), timeout=5000)
        kept = [p for p in data.iterdir() if p.name.startswith("spectrum.sqlite3.damaged-")]
        assert len(kept) == 1 and kept[0].read_bytes() == b"not a database " * 100
        texts = [b.text() for b in win.findChildren(QMessageBox)]
        assert any(str(kept[0]) in t and "Traceback" not in t and "\n" not in t for t in texts), texts

        win.set_environment("local-sandbox")
        win.load_order({"purchaseOrderNumber": "AFTER-DAMAGE", "orderDate": "2024-05-01T10:00:00Z",
                        "lineItems": [{"recipeSetId": "R1", "sku": "S-1", "quantity": 1}]})
        with qtbot.waitSignal(win.send_finished, timeout=10_000) as sent:
            assert win.send_current()
        assert sent.args[0].state == SubmissionState.SUCCEEDED
