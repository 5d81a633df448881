"""Start-up to the main window shown and idle, against a bare QApplication + empty QMainWindow.

The window is opened as `spectrum-desktop` opens it (ui.startup.open_main_window: the single-window check on
the data folder's local socket, then the window).

Each measurement is a fresh Python process (interpreter start and imports included). The clock runs from just
before the process is started to the first idle turn of the event loop with the window shown, read on the
system-wide monotonic clock in both processes; tearing the process down afterwards is not start-up and is reported
apart. Prints medians and the ratio (target <= 2.0).
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
    print(time.clock_gettime(time.CLOCK_MONOTONIC))
    app.quit()
QTimer.singleShot(0, idle)
app.exec()
"""


def now() -> float:
    return time.clock_gettime(time.CLOCK_MONOTONIC)  # the same clock in every process on this machine


def measure(mode: str, home: str) -> tuple[float, float]:
    """(seconds to the window shown and idle, seconds to the process ended)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), SPECTRUM_DESKTOP_HOME=home)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up run compiles, as an installed application is
    started = now()
    done = subprocess.run([sys.executable, "-c", CHILD, mode], env=env, capture_output=True, check=True, text=True)
    ended = now()
    return float(done.stdout.split()[-1]) - started, ended - started


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        measure("app", home)  # warm the file cache and write first-run settings
        bare, app, window_only = [], [], []
        for _ in range(RUNS):
            bare.append(measure("bare", home))
            app.append(measure("app", home))
            window_only.append(measure("window-only", home))
    def median(runs: list[tuple[float, float]], which: int) -> float:
        return statistics.median(run[which] for run in runs)

    b, a, w = median(bare, 0), median(app, 0), median(window_only, 0)
    print(f"bare QApplication + QMainWindow: {b * 1000:.0f} ms (median of {RUNS}, process start to shown and idle)")
    print(f"Spectrum Desktop main window:   {a * 1000:.0f} ms")
    print(f"ratio: {a / b:.2f} (target <= 2.0)")
    print(f"the same window without the one-window-per-data-folder check: {w * 1000:.0f} ms "
          f"(the check costs {(a - w) * 1000:+.0f} ms, {a / w:.3f}x)")
    be, ae = median(bare, 1), median(app, 1)
    print(f"whole process, exit included: bare {be * 1000:.0f} ms, Spectrum Desktop {ae * 1000:.0f} ms, "
          f"ratio {ae / be:.2f}")


if __name__ == "__main__":
    main()
