import csv
import io
import socket

import pytest
from cryptography.fernet import Fernet
from PySide6.QtCore import QItemSelectionModel, Qt

from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.services.resend import resend
from spectrum_desktop.services.submit import Target, submit
from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database
from spectrum_desktop.store.journal import HistoryQuery, Journal
from spectrum_desktop.ui.history_detail import SubmissionDetail
from spectrum_desktop.ui.history_format import export_csv
from spectrum_desktop.ui.history_view import HistorySource, HistoryView
from tests.services.spectrum_server import TOKEN, SpectrumServer, order


@pytest.fixture
def journal(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    db = Database(tmp_path / "h.sqlite3")
    yield Journal(db, BodyCipher(Fernet.generate_key()))
    db.close()


def source_for(journal, target_for=None):
    def fetch(f, page, size):
        result = journal.history(HistoryQuery(environment_id=f.environment_id, states=f.states, since=f.since,
                                               until=f.until, search=f.search, page=page, page_size=size))
        return list(result.rows), result.total

    def detail(record_id):
        return SubmissionDetail(journal.get(record_id), journal.request_body(record_id),
                                journal.response_body(record_id), journal.results(record_id),
                                journal.attempts(record_id))

    return HistorySource(fetch, detail, lambda record_id: resend(journal, record_id, target_for))


def fill(journal, n, state=SubmissionState.SUCCEEDED):
    for i in range(n):
        journal.record("staging", OrderKind.ACK, "/ack", [f"PO-{i}"], [f"R-{i}"], ["SKU-1"], "{}", state=state)


def closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_pages_load_as_the_user_scrolls(qtbot, journal):
    fill(journal, 450)
    view = HistoryView(source_for(journal))
    qtbot.addWidget(view)
    model = view.model
    assert model.total == 450
    assert model.rowCount() == 200
    assert model.data(model.index(0, 3)) == "PO-449"
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 450
    assert not model.canFetchMore()
    assert len({model.record(r).id for r in range(450)}) == 450


def test_needs_attention_and_search_filter(qtbot, journal):
    fill(journal, 3)
    journal.record("staging", OrderKind.ACK, "/ack", ["BAD-1"], ["R-x"], ["S"], "{}", state=SubmissionState.QUEUED)
    view = HistoryView(source_for(journal))
    qtbot.addWidget(view)
    qtbot.mouseClick(view.attention_button, Qt.MouseButton.LeftButton)
    assert view.model.total == 1
    assert view.model.data(view.model.index(0, 3)) == "BAD-1"
    view.state.setCurrentIndex(0)
    view.search.setText("PO-2")
    view.apply_filter()
    assert [view.model.record(r).purchase_orders for r in range(view.model.rowCount())] == [("PO-2",)] or \
        [list(view.model.record(r).purchase_orders) for r in range(view.model.rowCount())] == [["PO-2"]]


def select_row(view, row):
    index = view.model.index(row, 0)
    view.table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)


def test_fail_is_partial_and_detail_shows_rejected_recipe_set(qtbot, journal):
    with SpectrumServer() as server:
        submit(journal, Target("staging", "Staging", server.url, TOKEN), order("PO-P", "R1", "FAIL-2"))
    view = HistoryView(source_for(journal))
    qtbot.addWidget(view)
    assert view.model.data(view.model.index(0, 2)) == "Partly accepted"
    select_row(view, 0)
    qtbot.waitUntil(lambda: "FAIL-2" in view.detail.toPlainText(), timeout=3000)
    text = view.detail.toPlainText()
    assert "REJECTED" in text and '"purchaseOrderNumber": "PO-P"' in text


def test_resend_needing_attention_succeeds_then_resend_of_delivered_is_already_submitted(qtbot, journal):
    failed = submit(journal, Target("staging", "Staging", closed_port_url(), TOKEN), order("PO-R"))
    assert failed.state == SubmissionState.FAILED
    with SpectrumServer() as server:
        view = HistoryView(source_for(journal, lambda _r: Target("staging", "Staging", server.url, TOKEN)))
        qtbot.addWidget(view)
        qtbot.mouseClick(view.attention_button, Qt.MouseButton.LeftButton)
        select_row(view, 0)
        with qtbot.waitSignal(view.resend_finished, timeout=5000) as first:
            view.resend_selected()
        assert [r.state for r in first.args[0]] == [SubmissionState.SUCCEEDED]
        view.state.setCurrentIndex(0)
        original_row = next(r for r in range(view.model.rowCount()) if view.model.record(r).id == failed.id)
        select_row(view, original_row)
        with qtbot.waitSignal(view.resend_finished, timeout=5000) as second:
            view.resend_selected()
        assert [r.state for r in second.args[0]] == [SubmissionState.ALREADY_SUBMITTED]
        assert len(server.acknowledged) == 1


def test_export_has_identifiers_and_every_row(qtbot, journal, tmp_path):
    fill(journal, 250)
    view = HistoryView(source_for(journal))
    qtbot.addWidget(view)
    path = tmp_path / "out.csv"
    view.export(str(path))
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert len(rows) == 250
    assert {r["purchase_orders"] for r in rows} == {f"PO-{i}" for i in range(250)}
    assert "address" not in export_csv([]).lower()
