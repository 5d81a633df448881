"""What the shared history (PostgreSQL) adds to the journal suite: schema versions, claims, leases, the team's
rate budget, senders, the team key. Runs against the throwaway cluster of tests/pg_fixture.py."""

import threading
import time

import psycopg
import pytest
from cryptography.fernet import Fernet

from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.store.crypto import BodyCipher, BodyUnreadable
from spectrum_desktop.store.journal import HistoryQuery
from spectrum_desktop.store.pg_journal import (
    MIGRATIONS,
    PgDatabase,
    PgJournal,
    SchemaTooNew,
    SharedHistoryUnavailable,
    TeamKeyMissing,
    WrongTeamKey,
    check_team_key,
    create_team_key,
)
from spectrum_desktop.store.shared_url import parse_journal_url


@pytest.fixture
def address(pg_url):
    return parse_journal_url(pg_url)


@pytest.fixture
def opened():
    items = []
    yield items
    for item in items:
        item.close()


@pytest.fixture
def make(address, opened):
    def make(sender="ann", key=b"", lease_seconds=60.0):
        journal = PgJournal(PgDatabase(address), BodyCipher(key if key != b"" else KEY), sender=sender,
                            lease_seconds=lease_seconds)
        opened.append(journal)
        return journal
    return make


KEY = Fernet.generate_key()


def _record(journal, po="PO-1", env="staging"):
    return journal.record(env, OrderKind.ACK, "/api/order/acknowledgement", [po], [f"RS-{po}"], [f"SKU-{po}"],
                          '{"purchaseOrderNumber": "%s", "name": "Jo Secret"}' % po)


def test_schema_version_is_kept_in_the_database(address, opened, pg_url):
    db = PgDatabase(address)
    opened.append(db)
    assert db.schema_version == len(MIGRATIONS)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(len(MIGRATIONS),)]


def test_two_programs_starting_at_once_migrate_once(address, opened, pg_url):
    start = threading.Barrier(4)
    errors = []

    def open_one():
        start.wait()
        try:
            opened.append(PgDatabase(address))
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'submissions'").fetchone()[0] == 1


def test_a_newer_schema_is_refused_with_a_clear_typed_error(address, opened, pg_url):
    opened.append(PgDatabase(address))
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE schema_version SET version = %s", (len(MIGRATIONS) + 5,))
    with pytest.raises(SchemaTooNew) as caught:
        PgDatabase(address)
    assert caught.value.found == len(MIGRATIONS) + 5 and caught.value.known == len(MIGRATIONS)


def test_rows_record_their_sender_and_history_filters_by_sender(make):
    ann, bob = make("ann"), make("bob")
    a, b = _record(ann, "PO-A"), _record(bob, "PO-B")
    assert bob.get(a).sender == "ann" and ann.get(b).sender == "bob"
    page = ann.history(HistoryQuery(sender="bob"))
    assert [r.id for r in page.rows] == [b] and page.rows[0].sender == "bob"


def test_a_live_owners_sending_row_is_not_recovered_until_its_lease_expires(make):
    ann, bob = make("ann", lease_seconds=0.6), make("bob")
    sid = _record(ann)
    ann.mark_sending(sid)
    time.sleep(1.0)  # longer than the lease: only ann's heartbeat keeps it
    assert bob.recover().unknown == () and bob.get(sid).state is SubmissionState.SENDING
    ann._stop.set()  # ann's machine dies: no more heartbeats, no finish
    ann._heartbeat.join()
    time.sleep(0.8)
    [row] = bob.recover().unknown
    assert row.id == sid and row.state is SubmissionState.UNKNOWN


def test_claims_are_disjoint_between_machines_and_skip_live_owners(make):
    ann, bob = make("ann"), make("bob")
    ids = [_record(ann, f"PO-{i}") for i in range(40)]
    got: dict[str, list[int]] = {}
    start = threading.Barrier(2)

    def claim(name, journal):
        start.wait()
        got[name] = [i for chunk in range(0, 40, 5) for i in journal.claim(ids[chunk:chunk + 5])]

    threads = [threading.Thread(target=claim, args=(n, j)) for n, j in (("ann", ann), ("bob", bob))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(got["ann"]).isdisjoint(got["bob"])
    assert sorted(got["ann"] + got["bob"]) == ids
    assert bob.claim(got["ann"]) == []  # ann is alive: her claims stand
    ann.release(got["ann"])
    assert bob.claim(got["ann"]) == sorted(got["ann"])


def test_an_expired_claim_can_be_taken_and_a_delivered_row_only_on_purpose(make):
    ann, bob = make("ann", lease_seconds=0.3), make("bob")
    sid, done = _record(ann, "PO-1"), _record(ann, "PO-2")
    bob.mark_sending(done)
    bob.finish(done, SubmissionState.SUCCEEDED)
    assert ann.claim([sid, done], latest_only=True) == [sid]  # resend --failed never takes a delivered row
    ann._stop.set()
    ann._heartbeat.join()
    time.sleep(0.5)
    assert bob.claim([sid]) == [sid]
    assert bob.claim([done]) == [done]  # an explicit resend may (Spectrum answers 409)
    assert bob.holder(sid)[0] == bob.owner


def test_the_rate_budget_is_one_for_the_whole_team(make):
    ann, bob = make("ann"), make("bob")
    slots = [j.budget_take("staging", "/api/order", 5, 1.0) for j in (ann, bob, ann, bob, ann)]
    assert all(slot is not None and wait == 0.0 for slot, wait in slots)
    slot, wait = bob.budget_take("staging", "/api/order", 5, 1.0)
    assert slot is None and wait > 0  # all five still in flight: they count until a window after their answer
    assert ann.budget_take("staging", "/api/other", 5, 1.0)[0] is not None  # another endpoint, its own budget
    for taken, _ in slots:
        ann.budget_answered(taken)
    slot, wait = bob.budget_take("staging", "/api/order", 5, 1.0)
    assert slot is None and 0 < wait <= 1.0
    time.sleep(wait + 0.05)
    assert bob.budget_take("staging", "/api/order", 5, 1.0)[0] is not None
    ann.budget_block("staging", "/api/order", 0.5)  # a 403 seen by Ann holds Bob too
    slot, wait = bob.budget_take("staging", "/api/order", 5, 1.0)
    assert slot is None and 0.3 < wait <= 0.5
    assert bob.budget_used("staging", "/api/order", 1.0) == (1, True)


def test_a_tighter_announced_limit_holds_the_whole_team(make):
    ann, bob = make("ann"), make("bob")
    assert ann.budget_take("production", "/api/order", 2, 5.0)[0] is not None  # Ann runs with a tight limit
    assert bob.budget_take("production", "/api/order", 100, 5.0)[0] is not None  # Bob's own limit is loose
    slot, wait = bob.budget_take("production", "/api/order", 100, 5.0)
    assert slot is None and wait > 0  # Ann's 2 per 5 s holds Bob too


def test_without_the_team_key_rows_are_readable_and_bodies_say_why_not(make):
    ann, newcomer = make("ann"), make("cal", key=None)
    sid = _record(ann)
    ann.mark_sending(sid)
    ann.finish(sid, SubmissionState.FAILED, message="bad sku", response_body='{"error": "bad sku"}')
    row = newcomer.get(sid)
    assert row.state is SubmissionState.FAILED and row.message == "bad sku" and row.sender == "ann"
    with pytest.raises(TeamKeyMissing) as caught:
        newcomer.request_body(sid)
    assert isinstance(caught.value, BodyUnreadable)  # History shows it as a notice, resend refuses with it
    with pytest.raises(TeamKeyMissing):
        newcomer.response_body(sid)
    assert newcomer.team_key_problem().state == TeamKeyMissing.NOT_ENTERED and ann.team_key_problem() is None


def test_the_team_key_is_created_once_and_checked(address, opened):
    db = PgDatabase(address)
    opened.append(db)
    key = create_team_key(db, "ann")
    assert key is not None
    assert create_team_key(PgDatabase(address), "bob") is None  # someone else was first
    check_team_key(db, key)
    with pytest.raises(WrongTeamKey):
        check_team_key(db, Fernet.generate_key())


def test_purchase_orders_with_separators_and_wildcards_round_trip(make):
    ann = make()
    odd = ["LOSTA|Z", "A,B", "50% off", "Ünïcode PO", "LOSTA"]
    ids = {po: _record(ann, po) for po in odd}
    for po, sid in ids.items():
        assert ann.get(sid).purchase_orders == (po,)
        ann.mark_sending(sid)
        ann.finish(sid, SubmissionState.SUCCEEDED if po != "LOSTA" else SubmissionState.FAILED)
    assert not ann.succeeded_before("staging", "LOSTA")
    assert ann.succeeded_before("staging", "LOSTA|Z")
    assert ann.history(HistoryQuery(search="50%")).total == 1
    literal = ann.history(HistoryQuery(search="%"))  # a literal "%" anywhere in the number, not a wildcard
    assert [r.purchase_orders for r in literal.rows] == [("50% off",)]
    assert ann.history(HistoryQuery(search="_")).total == 0


def test_an_unreachable_server_is_a_typed_error_naming_no_password(pg_cluster):
    address = parse_journal_url(f"postgresql://nobody@127.0.0.1:{pg_cluster.port + 1}/team")
    with pytest.raises(SharedHistoryUnavailable) as caught:
        PgDatabase(address, connect_timeout=2)
    assert caught.value.where == "team on 127.0.0.1" and caught.value.detail  # the driver's words, for the log


def test_a_row_written_by_one_machine_is_announced_to_the_others_within_a_second(make):
    ann, bob = make("ann"), make("bob")
    seen, arrived = [], threading.Event()

    def heard(payload):
        seen.append(payload)
        if payload["state"] == "failed":
            arrived.set()

    listener = bob.listen(heard)
    try:
        assert listener.listening
        started = time.monotonic()
        sid = _record(ann, "LIVE-1")
        ann.mark_sending(sid)
        ann.finish(sid, SubmissionState.FAILED)
        assert arrived.wait(2.0), seen
        assert time.monotonic() - started < 2.0
        assert [(p["id"], p["state"]) for p in seen] == [(sid, "queued"), (sid, "sending"), (sid, "failed")]
        assert {p["sender"] for p in seen} == {"ann"} and seen[0]["environment_id"] == "staging"
    finally:
        listener.stop()
    assert not listener._thread.is_alive()


def test_start_sending_claims_and_marks_in_one_step_and_skips_a_live_owners_rows(make):
    ann, bob = make("ann"), make("bob")
    ids = [_record(ann, f"SS-{n}") for n in range(4)]
    assert ann.claim(ids[:2]) == ids[:2]
    assert bob.start_sending(ids) == ids[2:]  # ann holds the first two
    assert [bob.get(i).state for i in ids[2:]] == [SubmissionState.SENDING] * 2
    assert bob.attempts(ids[2])[0].state is SubmissionState.SENDING
    assert bob.held_elsewhere("staging", ["SS-0", "SS-2", "SS-9"]) == {"SS-0"}
    assert ann.held_elsewhere("staging", ["SS-0", "SS-2"]) == {"SS-2"}
    bob.finish(ids[2], SubmissionState.SUCCEEDED, requests=3)
    assert bob.get(ids[2]).attempts == 3 and bob.holder(ids[2]) == (None, None)
    assert ann.delivered("staging", ["SS-2", "SS-3"]) == {"SS-2"}
    assert ann.delivered("production", ["SS-2"]) == set()


def test_claim_latest_only_skips_orders_resent_or_delivered_since(make):
    ann = make("ann")
    old = _record(ann, "LO-1")
    _record(ann, "LO-1")  # sent again later
    failed = _record(ann, "LO-2")
    done = _record(ann, "LO-2")
    ann.mark_sending(done)
    ann.finish(done, SubmissionState.SUCCEEDED)
    alone = _record(ann, "LO-3")
    assert ann.claim([old, failed, alone], latest_only=True) == [alone]


def test_recovery_frees_the_queued_claims_of_a_gone_owner(make):
    ann, bob = make("ann", lease_seconds=0.3), make("bob")
    sid = _record(ann, "FREE-1")
    assert ann.claim([sid]) == [sid]
    ann._stop.set()
    ann._heartbeat.join()
    time.sleep(0.5)
    recovered = bob.recover()
    assert recovered.unknown == () and recovered.released == (sid,)
    assert bob.holder(sid) == (None, None) and bob.get(sid).state is SubmissionState.QUEUED


def test_work_on_many_threads_does_not_keep_a_connection_per_thread(address, opened, pg_url):
    db = PgDatabase(address)
    opened.append(db)
    for _ in range(12):  # the window's task helper starts a new thread for every task
        worker = threading.Thread(target=lambda: db.read("SELECT 1"))
        worker.start()
        worker.join()
    with db.transaction() as conn:
        conn.execute("SELECT 1")
    with psycopg.connect(pg_url, autocommit=True) as watcher:
        (open_ones,) = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name = 'spectrum-desktop'").fetchone()
    assert open_ones <= 1, f"{open_ones} connections stay open after the work is done"


def test_senders_are_the_distinct_names_rows_were_sent_by(make):
    ann, bob, nobody = make("ann"), make("Bob"), make("")
    assert ann.senders() == []
    for journal, pos in ((ann, ["S-1", "S-2", "S-3"]), (bob, ["S-4"]), (nobody, ["S-5"])):
        for po in pos:
            _record(journal, po)
    assert sorted(bob.senders()) == ["Bob", "ann"]  # a row without a name is not offered
    assert len(ann.senders(most=1)) == 1


def test_senders_read_a_few_index_pages_not_the_table_on_100000_rows(make, pg_url):
    """Cheap on a big history: the names come from a skip scan of the sender index (buffers touched, not time)."""
    from spectrum_desktop.store.pg_journal import SENDERS_SQL

    journal = make("ann")
    _record(journal, "BIG-0")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO submissions (environment_id, kind, endpoint, purchase_orders, recipe_set_ids, skus, state,"
            " created_at, updated_at, sender)"
            " SELECT 'staging', 'ack', '/api/order/acknowledgement', ARRAY['BIG-' || n], ARRAY[]::text[],"
            " ARRAY[]::text[], 'succeeded', now(), now(), (ARRAY['ann', 'bob', 'cal', 'dee'])[1 + n % 4]"
            " FROM generate_series(1, 100000) AS n")
        conn.execute("ANALYZE submissions")
        plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + SENDERS_SQL.replace("%s", "500")
                            ).fetchone()[0][0]
        pages = conn.execute("SELECT relpages FROM pg_class WHERE relname = 'submissions'").fetchone()[0]
    assert sorted(journal.senders()) == ["ann", "bob", "cal", "dee"]
    touched = plan["Plan"].get("Shared Hit Blocks", 0) + plan["Plan"].get("Shared Read Blocks", 0)
    assert "Seq Scan" not in str(plan) and pages > 1000 and touched < 100, (touched, pages)
