"""Builds the one-folder bundle from this checkout and runs its --selftest offscreen (about 20-60 s)."""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIZE_LIMIT_MB = 160
"""150 MB until the shared history (team mode): psycopg's binary wheel brings libpq with its own OpenSSL,
Kerberos and LDAP libraries (10.3 MB), which libpq links and so cannot be trimmed."""

pytestmark = [pytest.mark.bundle, pytest.mark.slow, pytest.mark.timeout(900)]


def _window_can_send() -> bool:
    if importlib.util.find_spec("spectrum_desktop.ui.startup") is None:
        return False
    from spectrum_desktop.ui.main_window import MainWindow

    return all(hasattr(MainWindow, name) for name in ("load_order", "send_current", "send_finished"))


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    if shutil.which("objdump") is None:
        pytest.skip("PyInstaller on Linux needs objdump and strip: install binutils (add it to .ci/run APT_PACKAGES)")
    out = tmp_path_factory.mktemp("bundle")
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--dist", str(out / "dist"), "--work", str(out / "work")],
        check=True,
        cwd=ROOT,
        timeout=840,
    )
    return out / "dist" / "spectrum-desktop"


def test_bundle_has_executable_resources_and_fits_the_size_budget(bundle):
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from build import folder_size
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    assert os.access(bundle / "spectrum-desktop", os.X_OK)
    assert (bundle / "_internal" / "resources" / "icons" / "spectrum-desktop-256.png").is_file()
    assert not list(bundle.rglob("libQt6Qml*")), "unused Qt modules must be trimmed"
    assert folder_size(bundle) / 1e6 < SIZE_LIMIT_MB


def test_bundle_selftest(bundle, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SPECTRUM_DESKTOP_HOME=str(tmp_path))
    result = subprocess.run(
        [str(bundle / "spectrum-desktop"), "--selftest"], env=env, capture_output=True, text=True, timeout=120
    )
    assert "selftest: main window opened" in result.stdout, result.stdout + result.stderr
    if not _window_can_send():
        # Until the real window can send, the selftest must say so and fail with code 3.
        assert result.returncode == 3 and "cannot send yet" in result.stdout
    else:
        assert result.returncode == 0, result.stdout + result.stderr
        assert "selftest OK" in result.stdout
    log_text = (tmp_path / "logs" / "spectrum-desktop.log").read_text(encoding="utf-8")
    assert "Spectrum Desktop" in log_text and "selftest" in log_text


def test_bundle_reports_version_from_package_metadata(bundle):
    from spectrum_desktop import __version__

    result = subprocess.run([str(bundle / "spectrum-desktop"), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and __version__ in result.stdout
