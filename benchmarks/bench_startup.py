"""Start-up to the main window shown and idle, against a bare QApplication + empty QMainWindow.

The window is opened as `spectrum-desktop` opens it (ui.startup.open_main_window: the single-window check on
the data folder's local socket, then the window).

Each measurement is a fresh Python process (imports included). Prints medians and the ratio (target <= 2.0).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 7

CHILD = r"""
import sys, time
start = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
if sys.argv[1] == "app":  # as `spectrum-desktop` opens it: the one-window-per-data-folder check included
    from spectrum_desktop.store.paths import data_dir
    from spectrum_desktop.ui.startup import open_main_window
    window = open_main_window(data_dir())
elif sys.argv[1] == "window-only":  # the same window without the single-window check
    from spectrum_desktop.ui.startup import build_main_window
    window = build_main_window()
else:
    window = QMainWindow()
window.show()
def idle():
    print(time.perf_counter() - start)
    app.quit()
QTimer.singleShot(0, idle)
app.exec()
"""


def measure(mode: str, home: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), SPECTRUM_DESKTOP_HOME=home)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up run compiles, as an installed application is
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", CHILD, mode], env=env, capture_output=True, check=True)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        measure("app", home)  # warm the file cache and write first-run settings
        bare, app, window_only = [], [], []
        for _ in range(RUNS):
            bare.append(measure("bare", home))
            app.append(measure("app", home))
            window_only.append(measure("window-only", home))
    b, a, w = statistics.median(bare), statistics.median(app), statistics.median(window_only)
    print(f"bare QApplication + QMainWindow: {b * 1000:.0f} ms (median of {RUNS}, process start to idle)")
    print(f"Spectrum Desktop main window:   {a * 1000:.0f} ms")
    print(f"ratio: {a / b:.2f} (target <= 2.0)")
    print(f"the same window without the one-window-per-data-folder check: {w * 1000:.0f} ms "
          f"(the check costs {(a - w) * 1000:+.0f} ms, {a / w:.3f}x)")


if __name__ == "__main__":
    main()
