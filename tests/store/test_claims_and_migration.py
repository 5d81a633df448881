"""Schema v4 on a journal of the previous schema with data; claims (owner + lease) and recovery by owner."""

import json
import sqlite3
import subprocess
import sys
import time

from cryptography.fernet import Fernet

from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import MIGRATIONS, Database
from spectrum_desktop.store.journal import HistoryQuery, Journal

ACK = "/api/order/acknowledgement"


def _v3_journal(path):
    """A journal exactly as the previous release wrote it: lists as `|a|b|` text."""
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:3]:
        conn.executescript(script)
    conn.execute("PRAGMA user_version = 3")
    rows = [
        ("staging", "|LOSTA|", "|R1|FAIL-2|", "|SKU-1|SKU-2|", "partial"),
        ("staging", "|PO-7|", "|R7|", "|SKU-7|", "succeeded"),
        ("production", "|PO-8|", "", "", "failed"),
    ]
    for env, pos, recipe_sets, skus, state in rows:
        conn.execute(
            "INSERT INTO submissions (environment_id, kind, endpoint, purchase_orders, recipe_set_ids, skus, state,"
            " attempts, created_at, updated_at) VALUES (?, 'ack', ?, ?, ?, ?, ?, 1, '2026-01-01T00:00:00+00:00',"
            " '2026-01-01T00:00:00+00:00')", (env, ACK, pos, recipe_sets, skus, state))
    conn.execute("INSERT INTO attempts (submission_id, number, started_at, state) VALUES (1, 1, '2026-01-01T00:00:00+00:00', 'partial')")
    conn.commit()
    conn.close()


def test_a_journal_of_the_previous_schema_is_converted_with_its_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    _v3_journal(path)
    db = Database(path)
    journal = Journal(db, BodyCipher(Fernet.generate_key()))
    assert db.schema_version == len(MIGRATIONS)
    first = journal.get(1)
    assert (first.purchase_orders, first.recipe_set_ids, first.skus) == (("LOSTA",), ("R1", "FAIL-2"),
                                                                          ("SKU-1", "SKU-2"))
    assert journal.get(3).recipe_set_ids == ()
    assert journal.succeeded_before("staging", "PO-7") and not journal.succeeded_before("production", "PO-7")
    assert [r.id for r in journal.history(HistoryQuery(search="FAIL")).rows] == [1]
    assert journal.attempts(1)[0].requests == 1
    columns = {r[1] for r in db.connect().execute("PRAGMA table_info(submissions)")}
    assert "recipe_set_ids" not in columns and {"owner", "lease_until"} <= columns
    db.close()


def test_a_bar_in_a_purchase_order_does_not_hide_another_one(tmp_path):
    db = Database(tmp_path / "j.sqlite3")
    journal = Journal(db, BodyCipher(Fernet.generate_key()))
    failed = journal.record("staging", OrderKind.ACK, ACK, ["LOSTA"], ["R1"], [], "{}")
    journal.finish(failed, SubmissionState.FAILED)
    later = journal.record("staging", OrderKind.ACK, ACK, ["LOSTA|Z"], ["R1"], [], "{}")
    journal.finish(later, SubmissionState.SUCCEEDED)
    assert journal.delivered("staging", ["LOSTA", "LOSTA|Z"]) == {"LOSTA|Z"}
    assert journal.get(later).purchase_orders == ("LOSTA|Z",)
    assert journal.claim([failed], "me:1:0", time.time() + 30, latest_only=True) == [failed]
    db.close()


def test_claims_skip_a_live_owner_and_recovery_touches_only_gone_owners(tmp_path):
    db = Database(tmp_path / "j.sqlite3")
    journal = Journal(db, BodyCipher(Fernet.generate_key()))
    now = time.time()
    live, dead, expired = "live:1:0", "dead:2:0", "expired:3:0"
    a = journal.record("staging", OrderKind.ACK, ACK, ["A"], [], [], "{}", owner=live, lease_until=now + 30)
    b = journal.record("staging", OrderKind.ACK, ACK, ["B"], [], [], "{}", owner=dead, lease_until=now + 30)
    c = journal.record("staging", OrderKind.ACK, ACK, ["C"], [], [], "{}", owner=expired, lease_until=now - 1)
    for row, owner in ((a, live), (b, dead), (c, expired)):
        assert journal.start_sending([row], owner, now + 30) == [row]
    journal.finish(c, SubmissionState.FAILED)  # finished rows are free again
    assert journal.start_sending([a, b], "other:4:0", now + 30) == []  # held by their owners' leases
    assert journal.claim([a, b, c], "other:4:0", now + 30) == [c]
    assert journal.held_elsewhere("staging", ["A", "B", "C"], "other:4:0") == {"A", "B"}
    recovered = journal.recover(lambda owner: owner == live, me="other:4:0")
    assert [r.id for r in recovered.unknown] == [b]
    assert journal.get(a).state is SubmissionState.SENDING and journal.get(a).owner == live
    assert journal.get(b).state is SubmissionState.UNKNOWN and journal.get(b).owner is None
    db.close()


def test_two_processes_claiming_the_same_rows_take_each_row_once(tmp_path):
    db = Database(tmp_path / "j.sqlite3")
    journal = Journal(db, BodyCipher(Fernet.generate_key()))
    ids = [journal.record("staging", OrderKind.ACK, ACK, [f"P{n}"], [], [], "{}") for n in range(200)]
    db.close()
    script = (
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "from spectrum_desktop.store.crypto import BodyCipher\n"
        "from spectrum_desktop.store.database import Database\n"
        "from spectrum_desktop.store.journal import Journal\n"
        "j = Journal(Database(Path(sys.argv[1])), BodyCipher(None))\n"
        "ids = json.loads(sys.argv[2]); got = []\n"
        "for i in range(0, len(ids), 5):\n"
        "    got += j.start_sending(ids[i:i + 5], sys.argv[3], time.time() + 30)\n"
        "print(json.dumps(got))\n"
    )
    runs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "j.sqlite3"), json.dumps(ids),
                              f"owner{n}:{n}:0"], stdout=subprocess.PIPE, text=True) for n in range(2)]
    taken = [json.loads(p.communicate(timeout=60)[0]) for p in runs]
    assert sorted(taken[0] + taken[1]) == ids  # every row once, none twice
