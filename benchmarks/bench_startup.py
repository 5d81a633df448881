"""Start-up to the main window shown and idle, against a bare QApplication + empty QMainWindow.

The window is opened as `spectrum-desktop` opens it: the same functions app.main calls, in the same order
(arguments, the log file, then QApplication, the one-window check on the data folder and the window), stopping
where app.main would enter the event loop.

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

RUNS = 21

CHILD = r"""
import sys, time
if sys.argv[1] == "bare":
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.show()
else:  # what `spectrum-desktop` does before its event loop (app.main: arguments, log, then the window)
    from spectrum_desktop import app as entry
    entry.build_parser(commands=entry.names_a_command([])).parse_args([])
    log_path = entry.configure_logging()
    folder = entry.data_folder() if sys.argv[1] == "app" else None  # window-only: no one-window check
    app, window = entry.show_window(log_path, folder)
from PySide6.QtCore import QTimer
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
    fastest_bare, fastest_app = min(run[0] for run in bare), min(run[0] for run in app)
    print(f"fastest of {RUNS} (least disturbed by other work on the machine): bare {fastest_bare * 1000:.0f} ms, "
          f"Spectrum Desktop {fastest_app * 1000:.0f} ms, ratio {fastest_app / fastest_bare:.2f}")
    be, ae = median(bare, 1), median(app, 1)
    print(f"whole process, exit included: bare {be * 1000:.0f} ms, Spectrum Desktop {ae * 1000:.0f} ms, "
          f"ratio {ae / be:.2f}")


if __name__ == "__main__":
    main()
