"""One command: icons, then the PyInstaller one-folder bundle in dist/spectrum-desktop/.

    python packaging/build.py [--dist DIR] [--work DIR] [--no-trim]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "spectrum-desktop.spec"
BUNDLE_NAME = "spectrum-desktop"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path, trim: bool = True) -> Path:
    sys.path.insert(0, str(ROOT / "packaging"))
    from icons import generate

    if trim and sys.platform.startswith("linux") and shutil.which("strip") is None:
        print("warning: 'strip' not found (install binutils); the bundle will be about 35 MB larger", file=sys.stderr)
    generate(ROOT / "resources" / "spectrum-desktop.svg", ROOT / "resources" / "icons")
    env = dict(os.environ, SPECTRUM_TRIM="1" if trim else "0", QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    subprocess.run(command, check=True, cwd=ROOT, env=env)
    return dist / BUNDLE_NAME


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the Spectrum Desktop one-folder bundle.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--no-trim", action="store_true", help="keep every Qt module (for size comparison)")
    args = parser.parse_args()
    started = time.perf_counter()
    bundle = build(args.dist, args.work, trim=not args.no_trim)
    seconds = time.perf_counter() - started
    print(f"bundle: {bundle}")
    print(f"build time: {seconds:.1f} s")
    print(f"bundle size: {folder_size(bundle) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
