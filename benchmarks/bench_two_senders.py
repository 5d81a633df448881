"""Two `spectrum-desktop send` processes on one data folder vs one sender with all their orders.

Against the in-process sandbox enforcing 20 requests per 2 s per endpoint (as Spectrum does, scaled), batch
size 1 so every order is one request. Baseline in the same run: one `send` process with all the orders.
Also shown: the same two senders each on its own data folder (a budget per process, as before issue 13).
Prints wall times, the ratio two/one, 403 refusals, and orders POSTed more than once (from the sandbox's
request log). Run: .venv/bin/python benchmarks/bench_two_senders.py [ORDERS_PER_SENDER]
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spectrum_desktop.sandbox import SandboxServer  # noqa: E402

TOKEN = "bench-two-senders-token"
RATE = (20, 2.0)


def order(po: str) -> dict:
    return {"purchaseOrderNumber": po, "orderDate": "2024-05-01T10:00:00Z", "organizationId": "1000345201",
            "lineItems": [{"recipeSetId": "R1", "sku": "100003-0001-S", "quantity": 1}]}


def sender(home: Path, file: Path, url: str) -> subprocess.Popen:
    env = {**os.environ, "SPECTRUM_DESKTOP_HOME": str(home), "SPECTRUM_API_TOKEN": TOKEN,
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.Popen([sys.executable, "-m", "spectrum_desktop", "send", str(file), "--base-url", url,
                             "--batch-size", "1", "--rate-limit", f"{RATE[0]}/{RATE[1]:g}"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def run(files: list[Path], homes: list[Path]) -> tuple[float, int, int, int, list[int]]:
    with SandboxServer(token=TOKEN, rate_limit=RATE) as server:
        start = time.monotonic()
        processes = [sender(home, file, server.url) for file, home in zip(files, homes)]
        codes = [p.wait(timeout=600) for p in processes]
        wall = time.monotonic() - start
        posts = collections.Counter()
        refusals = 0
        for r in server.received():
            if r.method == "POST" and r.path.startswith("/api/"):
                refusals += r.status == 403
                if r.status != 403 and isinstance(r.body, dict):
                    posts[r.body.get("purchaseOrderNumber")] += 1
        twice = sum(1 for n in posts.values() if n > 1)
        return wall, refusals, twice, len(posts), codes


def main() -> None:
    per_sender = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        a, b, both = tmp / "a.json", tmp / "b.json", tmp / "both.json"
        a.write_text(json.dumps([order(f"A-{n}") for n in range(per_sender)]))
        b.write_text(json.dumps([order(f"B-{n}") for n in range(per_sender)]))
        both.write_text(json.dumps([order(f"A-{n}") for n in range(per_sender)]
                                   + [order(f"B-{n}") for n in range(per_sender)]))
        one = run([both], [tmp / "one"])
        two = run([a, b], [tmp / "two", tmp / "two"])
        apart = run([a, b], [tmp / "apart-a", tmp / "apart-b"])
    total = 2 * per_sender
    print(f"sandbox limit {RATE[0]} requests / {RATE[1]:g} s, batch size 1, {total} orders in all")
    print(f"one sender, all {total} orders:        {one[0]:6.1f} s  403s {one[1]:3d}  POSTed twice {one[2]}  "
          f"orders delivered {one[3]}  exit {one[4]}")
    print(f"two senders, one data folder:         {two[0]:6.1f} s  403s {two[1]:3d}  POSTed twice {two[2]}  "
          f"orders delivered {two[3]}  exit {two[4]}")
    print(f"two senders, separate folders (before): {apart[0]:4.1f} s  403s {apart[1]:3d}  POSTed twice {apart[2]}  "
          f"orders delivered {apart[3]}  exit {apart[4]}")
    print(f"ratio two senders / one sender (wall time): {two[0] / one[0]:.2f}  (<= 1.0 + start-up noise is the goal)")


if __name__ == "__main__":
    main()
