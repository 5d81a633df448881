"""Two `spectrum-desktop send` processes on one data folder vs one sender with all their orders.

Against the in-process sandbox enforcing 20 requests per 2 s per endpoint (as Spectrum does, scaled), batch
size 1 so every order is one request. Baseline in the same run: one `send` process with all the orders.
While the two senders run, a third process loops `resend --failed --yes` on the same data folder (each sender's
file holds a few orders with a recipe set the sandbox refuses, so those loops have real work: the refused recipe
set alone, again). Also shown: the same two senders each on its own data folder (a budget per process, as before
issue 13). Prints wall times, the ratio two/one, 403 refusals, orders POSTed more than once (from the sandbox's
request log; the partly refused orders are counted apart: resending their refused recipe set is the point) and
whether a resend ever carried an accepted recipe set. Run: .venv/bin/python benchmarks/bench_two_senders.py
[ORDERS_PER_SENDER]
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402

from spectrum_desktop.sandbox import SandboxServer  # noqa: E402
from tests.secret_service_fixture import running_secret_service  # noqa: E402

TOKEN = "bench-two-senders-token"
RATE = (20, 2.0)


PARTLY_REFUSED = 3
"""Orders per sender with a second recipe set the sandbox refuses (FAIL-...): `resend --failed` has work."""


def order(po: str, *recipe_sets: str) -> dict:
    return {"purchaseOrderNumber": po, "orderDate": "2024-05-01T10:00:00Z", "organizationId": "1000345201",
            "lineItems": [{"recipeSetId": r, "sku": "100003-0001-S", "quantity": 1} for r in recipe_sets or ("R1",)]}


def orders(prefix: str, count: int) -> list[dict]:
    return [order(f"{prefix}-{n}") for n in range(count)] + [
        order(f"{prefix}-PART-{n}", "R1", f"FAIL-{n}") for n in range(PARTLY_REFUSED)]


def cli(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "SPECTRUM_DESKTOP_HOME": str(home), "SPECTRUM_API_TOKEN": TOKEN}
    return subprocess.Popen([sys.executable, "-m", "spectrum_desktop", *args],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def configure(home: Path, url: str) -> None:
    """The data folder's one environment, as Preferences saves it: the sandbox's address, its limit, batch size 1.
    Sends and resends alike take their pace from it (a resend has no --rate-limit of its own)."""
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "environments.json").write_text(json.dumps({
        "environments": [{"id": "bench", "name": "Bench", "base_url": url, "rate_limit_requests": RATE[0],
                          "rate_limit_seconds": RATE[1], "batch_size": 1}],
        "active_id": "bench"}))


def run(files: list[Path], homes: list[Path], resend_loops: bool = False) -> dict:
    with SandboxServer(token=TOKEN, rate_limit=RATE) as server:
        for home in set(homes):
            configure(home, server.url)
        start = time.monotonic()
        processes = [cli(home, "send", str(file), "--env", "Bench") for file, home in zip(files, homes)]
        ended: list[float] = []
        waiter = threading.Thread(target=lambda: ([p.wait(timeout=600) for p in processes],
                                                  ended.append(time.monotonic())))
        waiter.start()
        resends = 0
        while resend_loops and waiter.is_alive():
            cli(homes[0], "resend", "--failed", "--yes").wait(timeout=600)
            resends += 1
        waiter.join()
        codes = [p.returncode for p in processes]
        wall = ended[0] - start  # the senders' time; a resend still running at their end is not theirs
        posts = collections.Counter()
        refusals = 0
        accepted_again = 0
        requests = 0
        for r in server.received():
            if r.method == "POST" and r.path.startswith("/api/"):
                refusals += r.status == 403
                requests += r.status != 403 and r.at <= ended[0]  # while the senders ran
                if r.status != 403 and isinstance(r.body, dict):
                    po = r.body.get("purchaseOrderNumber")
                    posts[po] += 1
                    items = [i.get("recipeSetId") for i in r.body.get("lineItems") or []]
                    accepted_again += posts[po] > 1 and "R1" in items
        twice = sum(1 for po, n in posts.items() if n > 1 and "-PART-" not in po)
        refused_resent = sum(n - 1 for po, n in posts.items() if "-PART-" in po)
        return {"refused_resent": refused_resent, "requests": requests, "wall": wall, "403": refusals, "twice": twice, "orders": len(posts), "codes": codes,
                "resends": resends, "accepted_again": accepted_again}


def main() -> None:
    per_sender = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        tmp = Path(tmp)
        (tmp / "keyring").mkdir()
        # A real keyring (the tests' private gnome-keyring): resend opens the saved contents of the partly refused
        # orders with the key kept there, as on a person's computer.
        with running_secret_service(tmp / "keyring", patch.setenv):
            a, b, both = tmp / "a.json", tmp / "b.json", tmp / "both.json"
            a.write_text(json.dumps(orders("A", per_sender)))
            b.write_text(json.dumps(orders("B", per_sender)))
            both.write_text(json.dumps(orders("A", per_sender) + orders("B", per_sender)))
            one = run([both], [tmp / "one"])
            two = run([a, b], [tmp / "two", tmp / "two"], resend_loops=True)
            apart = run([a, b], [tmp / "apart-a", tmp / "apart-b"])
    total = 2 * (per_sender + PARTLY_REFUSED)
    print(f"sandbox limit {RATE[0]} requests / {RATE[1]:g} s, batch size 1, {total} orders in all "
          f"({2 * PARTLY_REFUSED} of them with a recipe set the sandbox refuses)")

    def line(name: str, r: dict) -> str:
        loops = (f"  resend --failed runs {r['resends']} (refused recipe sets sent again: {r['refused_resent']})"
                 if r["resends"] else "")
        return (f"{name:<40} {r['wall']:6.1f} s  {r['requests'] / r['wall']:4.1f} req/s  403s {r['403']:3d}  POSTed twice {r['twice']}  "
                f"accepted recipe set resent {r['accepted_again']}  orders delivered {r['orders']}  "
                f"exit {r['codes']}{loops}")

    print(line(f"one sender, all {total} orders:", one))
    print(line("two senders + resend loops, one folder:", two))
    print(line("two senders, separate folders (before):", apart))
    print(f"ratio two senders / one sender (wall time): {two['wall'] / one['wall']:.2f}; the resend loops' own "
          f"requests included, throughput two / one: {two['requests'] / two['wall'] / (one['requests'] / one['wall']):.2f} "
          f"(the budget allows {RATE[0] / RATE[1]:g} req/s; >= 1.0 - start-up noise is the goal)")


if __name__ == "__main__":
    main()
