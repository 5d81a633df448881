import csv
import io

import pytest
from cryptography.fernet import Fernet
from PySide6.QtCore import QTimer

from spectrum_desktop.domain.importing import CSV_COLUMNS, load_csv_text
from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.services.bulk import send_many
from spectrum_desktop.services.pacing import RateBudget
from spectrum_desktop.services.submit import Target
from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database
from spectrum_desktop.store.journal import HistoryQuery, Journal
from spectrum_desktop.ui.bulk_view import BulkView
from tests.services.spectrum_server import TOKEN, SpectrumServer


@pytest.fixture
def journal(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    db = Database(tmp_path / "b.sqlite3")
    yield Journal(db, BodyCipher(Fernet.generate_key()))
    db.close()


def orders_csv(n, invalid_every=100):
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for i in range(n):
        quantity = "0" if invalid_every and i % invalid_every == 7 else "1"
        writer.writerow({"purchaseOrderNumber": f"PO-{i}", "orderDate": "2024-05-01T10:00:00Z",
                         "lineItems.recipeSetId": f"R-{i}", "lineItems.sku": "100003-0001-S",
                         "lineItems.quantity": quantity})
    return out.getvalue()


def sender(journal, server, budget):
    target = Target("staging", "Staging", server.url, TOKEN)
    return lambda raws, progress, cancel: send_many(journal, target, raws, batch_size=50, budget=budget,
                                                    progress=progress, cancel=cancel)


def test_thousand_row_csv_invalid_rows_never_sent_and_gui_stays_responsive(qtbot, journal, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(1000))
    assert len(load_csv_text(path.read_text())) == 1000
    with SpectrumServer() as server:
        view = BulkView(sender(journal, server, RateBudget(100, 1.0)))
        qtbot.addWidget(view)
        assert view.open_path(str(path))
        assert len(view.model.invalid_rows()) == 10
        assert "quantity" in " ".join(view.model.invalid_rows()[0].problems).lower()
        ticks = []
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(__import__("time").monotonic()))
        timer.start()
        with qtbot.waitSignal(view.send_finished, timeout=30_000) as done:
            view.send_valid()
        timer.stop()
        outcome = done.args[0]
        assert len(outcome.records) == 990
        assert {r.state for r in outcome.records} == {SubmissionState.SUCCEEDED}
        assert len(server.acknowledged) == 990
        assert not {r.purchase_order for r in view.model.invalid_rows()} & set(server.acknowledged)
        assert all(r.outcome is not None for r in view.model.valid_rows())
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        assert gaps and max(gaps) < 0.1, max(gaps)
        assert view.progress.value() == 990


def test_cancel_half_way_then_resume_sends_every_order_exactly_once(qtbot, journal, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(200, invalid_every=0))
    with SpectrumServer() as server:
        view = BulkView(sender(journal, server, RateBudget(1, 0.3)))
        qtbot.addWidget(view)
        view.open_path(str(path))
        with qtbot.waitSignal(view.send_finished, timeout=10_000) as first:
            task = view.send_valid()
            qtbot.waitUntil(lambda: len(server.acknowledged) >= 50, timeout=5000)
            task.cancel()
        assert first.args[0].cancelled
        sent_first = len(server.acknowledged)
        assert 50 <= sent_first < 200
        assert "resume" in view.summary.text()
        view.send_valid.__self__._send = sender(journal, server, RateBudget(100, 1.0))
        with qtbot.waitSignal(view.send_finished, timeout=10_000) as second:
            view.send_valid()
        assert len(second.args[0].records) == 200 - sent_first
        assert sorted(server.acknowledged) == sorted(f"PO-{i}" for i in range(200))
        assert server.requests == 4
        delivered = journal.history(HistoryQuery(states=frozenset({SubmissionState.SUCCEEDED}), page_size=500))
        assert delivered.total == 200


def test_production_asks_once_naming_the_count(qtbot, journal, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(5, invalid_every=0))
    asked = []
    with SpectrumServer() as server:
        view = BulkView(sender(journal, server, RateBudget(100, 1.0)), is_production=True,
                        confirm=lambda n: asked.append(n) or False)
        qtbot.addWidget(view)
        view.open_path(str(path))
        assert view.send_valid() is None
        assert asked == [5]
        assert server.requests == 0


def test_csv_template_round_trips(qtbot, tmp_path):
    view = BulkView(lambda *a: None)
    qtbot.addWidget(view)
    view.save_template(str(tmp_path / "t.csv"))
    assert view.open_path(str(tmp_path / "t.csv"))
    assert len(view.model.rows) == 1 and view.model.rows[0].valid
