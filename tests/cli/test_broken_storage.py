"""A damaged, empty, read-only or full data folder: one paragraph, exit code 4, no traceback, old file kept."""

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from spectrum_desktop.sandbox import SandboxServer
from tests.cli.helpers import TOKEN, run_cli, write_orders
from tests.services.orders import order

EXIT_LOCAL_DATA = 4


def database(home):
    return home / "data" / "spectrum.sqlite3"


def one_paragraph(text):
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return len(lines) == 1 and "Traceback" not in text


@pytest.fixture
def sent_once(tmp_path, secret_service):
    """A data folder with one delivered order in its history."""
    with SandboxServer(token=TOKEN, rate_limit=None) as server:
        orders = write_orders(tmp_path / "one.json", [order("KEEP-1")])
        result = run_cli(tmp_path, "send", orders, "--base-url", server.url)
        assert result.returncode == 0, result.stderr
    return tmp_path


@pytest.mark.parametrize("damage", ["random bytes", "truncated", "zero bytes"])
def test_a_damaged_database_is_moved_aside_and_the_next_run_starts_afresh(sent_once, damage):
    home = sent_once
    path = database(home)
    for side in ("-wal", "-shm"):
        side_path = path.with_name(path.name + side)
        if side_path.exists():
            side_path.unlink()  # a clean shutdown checkpoints; drop leftovers so the damage is what we wrote
    original = path.read_bytes()
    if damage == "random bytes":
        path.write_bytes(os.urandom(len(original)))
    elif damage == "truncated":
        path.write_bytes(original[: len(original) // 3])
    else:
        path.write_bytes(b"")
    damaged = path.read_bytes()
    result = run_cli(home, "history")
    assert result.returncode == EXIT_LOCAL_DATA, result.stdout + result.stderr
    assert one_paragraph(result.stderr), result.stderr
    kept = sorted(p for p in path.parent.glob("spectrum.sqlite3.damaged-*") if not p.name.endswith(("-wal", "-shm")))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert str(kept[0]) in result.stderr and "damaged" in result.stderr
    again = run_cli(home, "history", "--json")
    assert again.returncode == 0 and json.loads(again.stdout) == [], again.stderr


def test_a_read_only_data_folder_gives_a_clear_message_and_exit_4(sent_once):
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders")
    home = sent_once
    folder = database(home).parent
    orders = write_orders(home / "two.json", [order("RO-1")])
    folder.chmod(0o555)
    database(home).chmod(0o444)
    try:
        for args in (("history",), ("send", orders, "--base-url", "http://127.0.0.1:9"), ("validate", orders)):
            result = run_cli(home, *args)
            if args[0] == "validate":  # needs no history at all
                assert result.returncode == 0, result.stderr
                continue
            assert result.returncode == EXIT_LOCAL_DATA, (args, result.stderr)
            assert one_paragraph(result.stderr) and "read-only" in result.stderr, result.stderr
    finally:
        folder.chmod(0o755)
        database(home).chmod(0o644)


def test_a_full_disk_while_journaling_gives_exit_4_and_no_orphan_rows(sent_once):
    """SQLITE_FULL is produced with max_page_count (no loop-mounted filesystem needed on the test machine)."""
    home = sent_once
    path = database(home)
    conn = sqlite3.connect(path)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    orders = write_orders(home / "many.json", [order(f"FULL-{n}", *[f"R{i}" for i in range(40)])
                                                for n in range(200)])
    with SandboxServer(token=TOKEN, rate_limit=None) as server:
        result = subprocess.run(
            [sys.executable, "-c",
             "import sqlite3, sys\n"
             "real = sqlite3.connect\n"
             f"def capped(*a, **k):\n    c = real(*a, **k)\n    c.execute('PRAGMA max_page_count = {pages + 2}')\n"
             "    return c\n"
             "sqlite3.connect = capped\n"
             "from spectrum_desktop.app import main\n"
             "sys.exit(main(sys.argv[1:]))",
             "send", orders, "--base-url", server.url],
            env={**os.environ, "SPECTRUM_DESKTOP_HOME": str(home), "SPECTRUM_API_TOKEN": TOKEN},
            capture_output=True, text=True, timeout=60,
        )
        posted = [r for r in server.received() if r.method == "POST"]
    assert result.returncode == EXIT_LOCAL_DATA, result.stdout + result.stderr
    assert one_paragraph(result.stderr) and "disk is full" in result.stderr, result.stderr
    assert posted == []  # the journal comes first: nothing left without being written down
    history = json.loads(run_cli(home, "history", "--json").stdout)
    assert [r["purchase_orders"] for r in history] == [["KEEP-1"]]


def _mount_tmpfs(where, size):
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small filesystem needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")


def _unmount(where):
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_a_data_folder_on_a_read_only_filesystem_gives_exit_4(sent_once, tmp_path_factory):
    home = sent_once
    with _data_on_tmpfs(home, tmp_path_factory, "4m") as folder:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        orders = write_orders(home / "ro.json", [order("RO-2")])
        for args in (("history",), ("send", orders, "--base-url", "http://127.0.0.1:9")):
            result = run_cli(home, *args)
            assert result.returncode == EXIT_LOCAL_DATA, (args, result.stdout, result.stderr)
            assert one_paragraph(result.stderr) and "read-only" in result.stderr, result.stderr
        assert run_cli(home, "validate", orders).returncode == 0


def test_a_really_full_disk_gives_exit_4_and_keeps_the_history(sent_once, tmp_path_factory):
    home = sent_once
    with _full_disk(home, tmp_path_factory) as filler:
        orders = write_orders(home / "big.json", [order(f"DISK-{n}", *[f"R{i}" for i in range(60)])
                                                  for n in range(300)])
        with SandboxServer(token=TOKEN, rate_limit=None) as server:
            result = run_cli(home, "send", orders, "--base-url", server.url)
            posted = [r for r in server.received() if r.method == "POST"]
        assert result.returncode == EXIT_LOCAL_DATA, result.stdout + result.stderr
        assert one_paragraph(result.stderr) and "the disk is full" in result.stderr, result.stderr
        assert posted == []
        filler.unlink()
        history = json.loads(run_cli(home, "history", "--json").stdout)
        assert [r["purchase_orders"] for r in history] == [["KEEP-1"]]


def test_a_damaged_environments_file_is_a_local_data_problem_not_a_traceback(tmp_path):
    from tests.cli.helpers import run_cli, write_orders
    from tests.services.orders import order

    (tmp_path / "config").mkdir(exist_ok=True)
    settings = tmp_path / "config" / "environments.json"
    orders = write_orders(tmp_path / "o.json", [order("ENV-BROKEN")])
    said = []
    for broken in (b'{"environments": [{"name": 5}], "active_id": "x"}', b"\xff\xfe{"):
        settings.write_bytes(broken)
        result = run_cli(tmp_path, "send", orders, "--env", "Staging")
        assert result.returncode == 4, result.stderr
        assert "Traceback" not in result.stderr and str(settings) in result.stderr
        assert "nothing was sent" in result.stderr
        assert "environments[" not in result.stderr and "active_id" not in result.stderr, "no JSON paths"
        said.append(result.stderr)
    assert "environment 1 in the list: Id: is required; Base URL: is required." in said[0], said[0]
    assert "the file is not text" in said[1], said[1]


def test_a_full_disk_without_a_keyring_says_the_disk_is_full(tmp_path, tmp_path_factory):
    """Without a keyring the first write to a full disk is SQLite growing its shared-memory file, which SQLite
    reports as a disk I/O error (SQLITE_IOERR_SHMSIZE), not as "full": the person must still read "full"."""
    home = tmp_path
    with SandboxServer(token=TOKEN, rate_limit=None) as server:
        assert run_cli(home, "send", write_orders(home / "one.json", [order("KEEP-2")]), "--base-url",
                       server.url, token=TOKEN).returncode == 0
        with _full_disk(home, tmp_path_factory):
            before = len(server.received())
            result = run_cli(home, "send", write_orders(home / "next.json", [order("DISK-X")]), "--base-url",
                             server.url)
            assert result.returncode == EXIT_LOCAL_DATA, result.stdout + result.stderr
            assert one_paragraph(result.stderr) and "the disk is full" in result.stderr, result.stderr
            assert len(server.received()) == before, "nothing leaves before it is written down"


@contextlib.contextmanager
def _data_on_tmpfs(home, tmp_path_factory, size):
    """The home's data folder, contents kept, moved onto a tmpfs of `size` (yielded; unmounted afterwards)."""
    folder = database(home).parent
    saved = tmp_path_factory.mktemp("saved")
    shutil.copytree(folder, saved / "data")
    shutil.rmtree(folder)
    _mount_tmpfs(folder, size)
    try:
        shutil.copytree(saved / "data", folder, dirs_exist_ok=True)
        yield folder
    finally:
        _unmount(folder)


@contextlib.contextmanager
def _full_disk(home, tmp_path_factory):
    """The home's data folder on a 1 MB tmpfs with every byte left taken by a filler file (yielded)."""
    with _data_on_tmpfs(home, tmp_path_factory, "1m") as folder:
        filler = folder / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        yield filler
