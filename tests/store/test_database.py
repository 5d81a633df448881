import sqlite3
import threading

from spectrum_desktop.store.database import MIGRATIONS, Database
from spectrum_desktop.store.paths import config_dir, data_dir, database_path, log_dir


def test_paths_live_under_spectrum_desktop_home(home):
    assert data_dir() == home / "data"
    assert config_dir() == home / "config"
    assert log_dir().is_dir() and log_dir().parent == home
    assert database_path().parent == home / "data"


def test_schema_is_migrated_and_wal_is_on(database):
    assert database.schema_version == len(MIGRATIONS)
    assert database.connect().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_does_not_rerun_migrations(database):
    database.connect().execute(
        "INSERT INTO drafts (name, kind, body, saved_at) VALUES ('d', 'ack', x'00', '2026-01-01')"
    )
    again = Database(database.path)
    assert again.connect().execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 1
    again.close()


def test_an_old_database_is_migrated_forward(home):
    path = home / "old.sqlite3"
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    db = Database(path)
    assert db.schema_version == len(MIGRATIONS)
    assert db.connect().execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0
    db.close()


def test_each_thread_gets_its_own_connection_and_writes_do_not_collide(database):
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(20):
                with database.transaction() as conn:
                    conn.execute(
                        "INSERT INTO drafts (name, kind, body, saved_at) VALUES (?, 'ack', x'00', '2026')",
                        (f"{n}-{i}",),
                    )
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert database.connect().execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 80
