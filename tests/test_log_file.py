"""The log file: it never stops the program when it cannot be written, and never holds customer data."""

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from spectrum_desktop.api import RetryPolicy, SpectrumClient
from spectrum_desktop.domain.schema import FullOrder
from spectrum_desktop.logging_setup import LOG_FILE_NAME, configure_logging
from spectrum_desktop.sandbox import SandboxServer

ADDRESS = {"firstName": "Marguerite", "lastName": "Tanaka-Oyelaran", "address1": "17 Quillfeather Lane",
           "address2": "Flat 9b Hollowmere", "city": "Wexhampton", "state": "OR", "postalCode": "97201-4410",
           "country": "US"}
SHIPPING = {**ADDRESS, "firstName": "Bartholomew", "address1": "88 Cinderwick Row", "city": "Dunmorrow"}
CUSTOMER_TEXT = [v for v in {**ADDRESS}.values() if len(v) > 2] + [SHIPPING["firstName"], SHIPPING["address1"],
                                                                     SHIPPING["city"]]
ROOT = Path(__file__).resolve().parents[1]
ORDER_FILE = {"purchaseOrderNumber": "LOGPRIV-1", "orderDate": "2022-01-31",
              "lineItems": [{"recipeSetId": "R1", "sku": "S", "quantity": 1}]}


def full_order(po, *rids):
    return {"purchaseOrderNumber": po, "orderDate": "2022-01-31T13:15:05-05:00",
            "emailAddress": "m.tanaka@example.org", "phoneNumber": "+1 555 013 7788",
            "lineItems": [{"recipeSetId": r, "sku": "S", "quantity": 1} for r in rids or ("R1",)],
            "customerAddress": ADDRESS, "shippingAddress": SHIPPING}


@pytest.fixture
def root_logging():
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def run_validate(home: Path, tmp_path: Path, wrap: list[str] | None = None) -> subprocess.CompletedProcess:
    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps(ORDER_FILE))
    env = {"PATH": "/usr/bin:/bin", "SPECTRUM_DESKTOP_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run([*(wrap or []), sys.executable, "-m", "spectrum_desktop", "validate", str(orders)],
                          env=env, capture_output=True, text=True, timeout=60)


def assert_validated_without_a_log(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "carrying on without a log" in lines[0], result.stderr


def test_validate_works_when_the_data_folder_cannot_be_made(tmp_path):
    """Portable stand-in for a read-only folder (tests run as root, where chmod stops nothing): the data
    folder's parent is a file, so neither the log folder nor the log file can be made."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert_validated_without_a_log(run_validate(blocker / "home", tmp_path))


def _can_mount_privately() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_privately(), reason="needs `unshare -m` (Linux, root or user namespaces)")
def test_validate_works_on_a_truly_read_only_data_folder(tmp_path):
    """A real read-only file system: the data folder, with its log file, bind-mounted read-only in a private
    mount namespace (nothing is mounted for the rest of the machine)."""
    home = tmp_path / "home"
    (home / "logs").mkdir(parents=True)
    (home / "logs" / LOG_FILE_NAME).write_text("an older log\n")
    (home / "data").mkdir()
    script = f'mount --bind "{home}" "{home}" && mount -o remount,ro,bind "{home}" "{home}" && exec "$@"'
    result = run_validate(home, tmp_path, wrap=["unshare", "-m", "sh", "-c", script, "sh"])
    assert_validated_without_a_log(result)
    assert "read-only file system" in result.stderr
    assert (home / "logs" / LOG_FILE_NAME).read_text() == "an older log\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full to stand for a full disk")
def test_a_log_that_fills_up_says_so_once_and_the_program_goes_on(tmp_path, root_logging, capsys):
    (tmp_path / LOG_FILE_NAME).symlink_to("/dev/full")  # every write: "No space left on device"
    assert configure_logging(tmp_path) == tmp_path / LOG_FILE_NAME
    for n in range(5):
        logging.getLogger("spectrum_desktop.test").warning("line %d", n)
    err = capsys.readouterr().err
    assert err.count("carrying on without a log") == 1 and "no space left on device" in err
    assert "Logging error" not in err and "Traceback" not in err


def test_the_log_begins_afresh_at_its_size_limit_and_keeps_three_older_files(tmp_path, root_logging, monkeypatch):
    from spectrum_desktop import logging_setup

    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2_000)
    path = configure_logging(tmp_path)
    log = logging.getLogger("spectrum_desktop.test")
    for n in range(200):
        log.warning("line %03d %s", n, "x" * 40)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [LOG_FILE_NAME, f"{LOG_FILE_NAME}.1", f"{LOG_FILE_NAME}.2", f"{LOG_FILE_NAME}.3"]
    sizes = [(tmp_path / name).stat().st_size for name in files]
    assert all(0 < size <= 2_000 for size in sizes), sizes
    newest, older = path.read_text(), (tmp_path / f"{LOG_FILE_NAME}.1").read_text()
    assert "line 199" in newest and "line 000" not in newest + older
    last_older = int(older.strip().splitlines()[-1].split("line ")[1][:3])
    first_newest = int(newest.splitlines()[0].split("line ")[1][:3])
    assert first_newest == last_older + 1, "no line lost between the files"


def test_a_full_order_sent_to_the_sandbox_leaves_no_address_in_the_log(tmp_path, root_logging):
    path = configure_logging(tmp_path, level=logging.DEBUG)  # DEBUG: urllib3's request lines too
    with SandboxServer(token="log-token", rate_limit=None) as server, \
            SpectrumClient(server.url, "log-token", retry=RetryPolicy.none()) as client:
        assert client.send_full_order(full_order("LOGPRIV-1")).label
        client.send_full_order(full_order("LOGPRIV-2", "R1", "FAIL-2"))
        client.send_full_order(full_order("ERR500-LOGPRIV"))
        client.send_full_order(full_order("LOGPRIV-1"))  # 409
        client.lookup("LOGPRIV-1")
    try:  # an unhandled error whose text quotes the order, as pydantic's does (input_value=...)
        missing_country = {k: v for k, v in ADDRESS.items() if k != "country"}
        FullOrder.model_validate({**full_order("LOGPRIV-3"), "customerAddress": missing_country})
    except ValidationError:
        logging.getLogger("spectrum_desktop.test").exception("Unhandled error, application closing")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "LOGPRIV-1" in text and "LOGPRIV-2" in text and "ValidationError" in text  # the log was written
    for value in CUSTOMER_TEXT + ["m.tanaka@example.org", "013 7788", "log-token"]:
        assert value not in text, f"{value!r} is in the log file"
