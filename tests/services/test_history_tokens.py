from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.services import history
from spectrum_desktop.services.submission import Target
from tests.services.orders import service, submit
from spectrum_desktop.services.tokens import test_connection as check_connection
from tests.services.orders import order


def test_page_and_detail(journal, server):
    target = Target("staging", "Staging", server.url, server.token)
    personal = {**order("H-1"), "phoneNumber": "+1 555 0100"}
    first = submit(journal, target, personal)
    submit(journal, target, order("H-2", "FAIL-1"))
    failed = history.page(service(journal), "staging", [SubmissionState.FAILED])
    assert [r.purchase_orders for r in failed.rows] == [("H-2",)] and failed.total == 1
    shown = history.detail(service(journal), first.id)
    assert "+1 555 0100" in shown.request_body and shown.results[0].success and shown.notice == ""


def test_connection_check(server):
    assert check_connection(server.url, server.token).ok
    refused = check_connection(server.url, "wrong")
    assert not refused.ok and "refused the token" in refused.message
    assert not check_connection("http://127.0.0.1:9", server.token).ok
