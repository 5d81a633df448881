"""The one submission service: partial resends, the body Open in editor gets, counted HTTP attempts, the
machine-wide rate budget and typed errors for broken local data."""

import threading

import pytest

from spectrum_desktop.api import RetryPolicy
from spectrum_desktop.domain.errors import LocalDataError, LocalDataProblem
from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.submission import SubmissionService, Target
from tests.services.orders import order, resend, service, submit


def target(server, **options):
    return Target("staging", "Staging", server.url, server.token, **options)


def sent_bodies(server, po):
    return [r.body for r in server.received()
            if r.method == "POST" and isinstance(r.body, dict) and r.body.get("purchaseOrderNumber") == po]


def test_a_partial_order_is_resent_without_its_accepted_recipe_sets(journal, server):
    partial = submit(journal, target(server), order("PART-1", "R1", "FAIL-2", "R3"))
    assert partial.state is SubmissionState.PARTIAL
    body = service(journal).resend_body(partial.id)  # what Open in editor loads
    assert [i["recipeSetId"] for i in body["lineItems"]] == ["FAIL-2"]
    again = resend(journal, partial.id, lambda _r: target(server))
    bodies = sent_bodies(server, "PART-1")
    assert [[i["recipeSetId"] for i in b["lineItems"]] for b in bodies] == [["R1", "FAIL-2", "R3"], ["FAIL-2"]]
    assert again.original_id == partial.id and again.recipe_set_ids == ("FAIL-2",)
    if again.state is SubmissionState.ALREADY_SUBMITTED:  # a sandbox that answers a known PO with 409
        assert "FAIL-2" in again.message and "Spectrum support" in again.message
        assert "R1" in again.message  # what Spectrum has


def recipe_sets_posted(server, po):
    return [[i["recipeSetId"] for i in b.get("lineItems") or b.get("recipeSets") or []]
            for b in sent_bodies(server, po)] + [
        [i["recipeSetId"] for i in o.get("lineItems") or []]
        for r in server.received() if r.method == "POST" and isinstance(r.body, list)
        for o in r.body if isinstance(o, dict) and o.get("purchaseOrderNumber") == po]


@pytest.mark.parametrize("force", [False, True])
def test_a_run_of_orders_never_sends_an_accepted_recipe_set_again(journal, server, force):
    """Bulk and multi-order files: a partly accepted order goes without its accepted recipe sets, one with
    nothing else left is not sent, the others in the run go whole (sandbox log)."""
    svc = service(journal)
    first = svc.send(svc.check_many([order("MIX-1", "R1", "FAIL-2", "R3"), order("MIX-2", "S1", "FAIL-S2")],
                                    None, target(server)))
    assert [r.state for r in first.records] == [SubmissionState.PARTIAL, SubmissionState.PARTIAL]
    # The file again, FAIL-2 corrected as R2, one new recipe set R4; MIX-2 holds only its accepted S1 now.
    again = [order("MIX-1", "R1", "R2", "R3", "R4"), order("MIX-2", "S1"), order("MIX-3", "T1")]
    report = svc.send(svc.check_many(again, None, target(server)), force=force)
    assert report.accepted_left_out == {"MIX-1": ("R1", "R3"), "MIX-2": ("S1",)}
    assert report.skipped_accepted == ["MIX-2"]
    assert recipe_sets_posted(server, "MIX-1") == [["R1", "FAIL-2", "R3"], ["R2", "R4"]]
    assert recipe_sets_posted(server, "MIX-2") == [["S1", "FAIL-S2"]]
    assert recipe_sets_posted(server, "MIX-3") == [["T1"]]
    assert {r.purchase_orders[0]: r.recipe_set_ids for r in report.records} == {
        "MIX-1": ("R2", "R4"), "MIX-3": ("T1",)}
    assert all(r.state is SubmissionState.SUCCEEDED for r in report.records)
    assert server.accepted_recipe_sets("MIX-1") == {"R1", "R2", "R3", "R4"}
    assert not server.posts()["MIX-1"]["recipeSets"]["R1"]["alreadyAccepted"]


def test_every_http_attempt_is_counted(journal, server):
    quick = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.02, jitter=0)
    record = submit(journal, target(server, retry=quick), order("ERR500-COUNT"))
    assert record.attempts == 4
    assert [a.requests for a in journal.attempts(record.id)] == [4]


def test_send_skips_what_history_shows_delivered_unless_forced(journal, server):
    svc = service(journal)
    first = svc.send(svc.check_many([order("DUP-1"), order("DUP-2")], None, target(server)))
    assert len(first.records) == 2
    checked = svc.check_many([order("DUP-1"), order("DUP-3")], None, target(server))
    assert [c.already_delivered for c in checked] == [True, False]
    second = svc.send(checked)
    assert second.skipped_delivered == ["DUP-1"] and [r.purchase_orders for r in second.records] == [("DUP-3",)]
    forced = svc.send(svc.check_many([order("DUP-1")], None, target(server)), force=True)
    assert forced.records[0].state is SubmissionState.ALREADY_SUBMITTED


def test_an_unknown_row_is_checked_by_lookup_without_its_body(tmp_path, server):
    """No keyring: bodies are kept for the session only; a later process can still look the order up."""
    from spectrum_desktop.store.crypto import BodyCipher
    from spectrum_desktop.store.database import Database
    from spectrum_desktop.store.journal import Journal

    db = Database(tmp_path / "nokey.sqlite3")
    record = SubmissionService(Journal(db, BodyCipher(None))).submit(order("SLOW-NK"),
                                                                    target(server, read_timeout=0.2))
    assert record.state is SubmissionState.UNKNOWN
    db.close()
    db = Database(tmp_path / "nokey.sqlite3")
    later = SubmissionService(Journal(db, BodyCipher(None)), lambda _r: target(server))
    report = later.resend_failed()
    assert [r.state for r in report.records] == [SubmissionState.ALREADY_SUBMITTED] and not report.problems
    db.close()


def test_two_processes_worth_of_budgets_share_one_limit(tmp_path, monkeypatch):
    """Two AppContexts (as two processes would have) on one data folder send together and draw no 403."""
    from spectrum_desktop.services.context import AppContext

    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    with SandboxServer(rate_limit=(6, 1.0)) as server:
        contexts = [AppContext(sandbox=server), AppContext(sandbox=server)]
        environment = contexts[0].environment("local-sandbox")
        reports = []

        def run(n, context):
            svc = context.submissions
            t = Target("local-sandbox", "Local sandbox", server.url, server.token,
                       limits=context.budget("local-sandbox", 6, 1.0))
            reports.append(svc.send(svc.check_many([order(f"SH{n}-{i}") for i in range(15)], None, t),
                                    batch_size=1))

        threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(contexts)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        statuses = [r.status for r in server.received() if r.path.startswith("/api/")]
        for context in contexts:
            context.close()
    assert environment.id == "local-sandbox"
    assert len(statuses) == 30 and 403 not in statuses
    assert sum(len(r.records) for r in reports) == 30


def test_a_damaged_database_is_a_typed_error_naming_where_it_went(tmp_path):
    from spectrum_desktop.store.database import Database

    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(LocalDataError) as raised:
        Database(path)
    assert raised.value.problem is LocalDataProblem.DAMAGED
    assert raised.value.moved_to.exists() and raised.value.moved_to.read_bytes().startswith(b"not a database")
    fresh = Database(path)  # the next open starts a new one
    assert fresh.schema_version > 0
    fresh.close()


def test_the_lease_is_renewed_while_a_slow_request_is_in_flight(journal):
    """Lease 0.6 s, answer after 2.5 s: another owner still cannot take the row mid-flight."""
    with SandboxServer(rate_limit=None, slow_delay=2.5) as server:
        _lease_renewed(journal, server)


def _lease_renewed(journal, server):
    import time

    sender = SubmissionService(journal, lease_seconds=0.6)
    other = SubmissionService(journal)
    done = []
    thread = threading.Thread(target=lambda: done.append(sender.submit(order("SLOW-LEASE"), target(server))))
    thread.start()
    assert _wait(lambda: server.accepted_count("SLOW-LEASE") == 1)
    time.sleep(1.2)  # twice the lease: only renewal keeps it
    row = other.needs_attention()  # runs recovery: the live owner's row is left alone
    from spectrum_desktop.store.journal import HistoryQuery

    held = journal.history(HistoryQuery())
    assert row == [] and held.rows[0].state is SubmissionState.SENDING and held.rows[0].owner == sender.owner.id
    assert journal.start_sending([held.rows[0].id], other.owner.id, time.time() + 30) == []
    thread.join(10)
    assert done[0].state is SubmissionState.SUCCEEDED and done[0].attempts == 1


def _wait(condition, seconds=10.0):
    import time

    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def test_needs_attention_reads_past_one_page_and_leaves_out_orders_delivered_since(journal):
    """More failed rows than one page of the journal: every one that was not delivered later is offered once."""
    from spectrum_desktop.domain.states import OrderKind
    from spectrum_desktop.store.journal import NewSubmission

    count = 2_300
    failed = journal.record_many([NewSubmission("staging", OrderKind.ACK, "/api/x", [f"NA-{n}"], ["R1"], ["S"], "{}")
                                  for n in range(count)], state=SubmissionState.FAILED)
    assert len(failed) == count
    journal.record_many([NewSubmission("production", OrderKind.ACK, "/api/x", ["NA-7"], ["R1"], ["S"], "{}")],
                        state=SubmissionState.FAILED)
    delivered_later = {f"NA-{n}" for n in range(0, count, 3)}
    journal.record_many([NewSubmission("staging", OrderKind.ACK, "/api/x", [po], ["R1"], ["S"], "{}")
                         for po in sorted(delivered_later)], state=SubmissionState.SUCCEEDED)
    offered = [r.purchase_orders[0] for r in service(journal).needs_attention("staging")]
    expected = {f"NA-{n}" for n in range(count)} - delivered_later
    assert len(offered) == len(set(offered)) == len(expected)
    assert set(offered) == expected
    assert [r.purchase_orders[0] for r in service(journal).needs_attention()].count("NA-7") == 2  # two environments
