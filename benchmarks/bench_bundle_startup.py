"""Bundle build time and size (trimmed vs untrimmed), and start-up of the bundle vs `python -m spectrum_desktop`.

Start-up = wall time of `--selftest` (start offscreen, build the real main window, exit), median of N runs,
both measured in this run. Prints the ratio bundle / python.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
from build import build, folder_size  # noqa: E402

RUNS = 5


def timed_build(out: Path, trim: bool) -> tuple[Path, float]:
    started = time.perf_counter()
    bundle = build(out / "dist", out / "work", trim=trim)
    return bundle, time.perf_counter() - started


def startup(command: list[str], home: Path) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SPECTRUM_DESKTOP_HOME=str(home))
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = subprocess.run(command + ["--selftest"], env=env, capture_output=True, text=True, timeout=120)
        times.append(time.perf_counter() - started)
        if "main window opened" not in result.stdout:
            raise SystemExit(f"selftest did not open the window: {result.stdout}{result.stderr}")
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        full, full_seconds = timed_build(tmp_path / "full", trim=False)
        trimmed, trimmed_seconds = timed_build(tmp_path / "trimmed", trim=True)
        full_mb, trimmed_mb = folder_size(full) / 1e6, folder_size(trimmed) / 1e6
        python_s = startup([sys.executable, "-m", "spectrum_desktop"], tmp_path / "home-py")
        bundle_s = startup([str(trimmed / "spectrum-desktop")], tmp_path / "home-bundle")
    print(f"build time (untrimmed): {full_seconds:.1f} s")
    print(f"build time (trimmed, shipped): {trimmed_seconds:.1f} s")
    print(f"bundle size before trimming: {full_mb:.1f} MB")
    print(f"bundle size after trimming:  {trimmed_mb:.1f} MB  ({100 * (1 - trimmed_mb / full_mb):.0f}% smaller)")
    print(f"start-up python -m spectrum_desktop --selftest: {python_s * 1000:.0f} ms (median of {RUNS})")
    print(f"start-up bundle spectrum-desktop --selftest:    {bundle_s * 1000:.0f} ms (median of {RUNS})")
    print(f"ratio bundle / python: {bundle_s / python_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
