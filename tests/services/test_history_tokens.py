import csv
import io

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.services import history
from spectrum_desktop.services.submission import Target
from tests.services.orders import service, submit
from spectrum_desktop.services.tokens import test_connection as check_connection
from tests.services.orders import order


def test_page_detail_and_export_without_personal_data(journal, server):
    target = Target("staging", "Staging", server.url, server.token)
    personal = {**order("H-1"), "phoneNumber": "+1 555 0100"}
    first = submit(journal, target, personal)
    submit(journal, target, order("H-2", "FAIL-1"))
    failed = history.page(service(journal), "staging", [SubmissionState.FAILED])
    assert [r.purchase_orders for r in failed.rows] == [("H-2",)] and failed.total == 1
    shown = history.detail(service(journal), first.id)
    assert "+1 555 0100" in shown.request_body and shown.results[0].success and shown.notice == ""
    rows = history.page(service(journal)).rows
    plain, full = io.StringIO(), io.StringIO()
    assert history.export_csv(service(journal), rows, plain) == 2
    history.export_csv(service(journal), rows, full, include_personal_data=True)
    assert "H-1" in plain.getvalue() and "555 0100" not in plain.getvalue()
    assert "555 0100" in full.getvalue()
    exported = list(csv.DictReader(io.StringIO(plain.getvalue())))
    assert [row["sent_by"] for row in exported] == [r.sender or "" for r in rows]


def test_connection_check(server):
    assert check_connection(server.url, server.token).ok
    refused = check_connection(server.url, "wrong")
    assert not refused.ok and "refused the token" in refused.message
    assert not check_connection("http://127.0.0.1:9", server.token).ok
