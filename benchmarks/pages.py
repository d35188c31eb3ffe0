"""The pages at scale, signed in: latency of `/`, `/models/{id}` and a done mark's POST -> 303
against `notifier serve` on loopback, by a bounded httpx load loop (issue 22).

Run alone: .venv/bin/python benchmarks/pages.py [--models 1000] [--seconds 30]
(benchmarks/run.py runs it as its part 6). One client, one request at a time, as a person
waits: each phase runs for a third of `--seconds` after one request that is not counted
("after the first request"). The POST phase opens the item's page (counted apart) and then
sends the form, as a person does; every POST records a real done mark.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from common import free_port, register_text, running, settings_file

ITEM = "model-0001/art-53-1-c-copyright-policy"  # not recurring: marked again each time
MODEL = "model-0001"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def sign_in(client: httpx.Client, config: Path) -> None:
    """A sign-in link issued in the store (as the mail would carry it), used like a browser."""
    from notifier import clock
    from notifier.context import load_context
    from notifier.store.sessions import issue_link

    now = clock.system_now()
    context = load_context(config, None, now)
    try:
        token = issue_link(context.store, "person-01", now, timedelta(minutes=15))
    finally:
        context.store.close()
    page = client.get("/sign-in/link", params={"token": token})
    page.raise_for_status()
    csrf = CSRF.search(page.text)
    assert csrf is not None, "no CSRF token on the sign-in page"
    used = client.post("/sign-in/link", data={"token": token, "csrf_token": csrf.group(1)})
    assert used.status_code == 303, used.status_code


def timed(
    request: Callable[..., httpx.Response], target: str, expect: int, **options: Any
) -> float:
    """Seconds of one request, which must answer `expect`."""
    started = time.perf_counter()
    response = request(target, **options)
    elapsed = time.perf_counter() - started
    if response.status_code != expect:
        raise RuntimeError(f"{response.request.url}: {response.status_code}, not {expect}")
    return elapsed


def load(root: Path, models: int, seconds: float) -> dict[str, list[float]]:
    """Seconds per request by kind: 'home', 'model', 'item page', 'done POST'."""
    path = root / "register.toml"
    path.write_text(register_text(models), encoding="utf-8")
    port = free_port()
    config = settings_file(root, path, port)
    command = [sys.executable, "-m", "notifier", "serve", "--config", str(config)]
    found: dict[str, list[float]] = {"home": [], "model": [], "item page": [], "done POST": []}
    phase = seconds / 3
    with (
        running(command, port, root, root / "serve.log"),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client,
    ):
        sign_in(client, config)
        for kind, target in (("home", "/"), ("model", f"/models/{MODEL}")):
            timed(client.get, target, 200)  # the first request, not counted
            end = time.monotonic() + phase
            while time.monotonic() < end:
                found[kind].append(timed(client.get, target, 200))
        end = time.monotonic() + phase
        while time.monotonic() < end:
            started = time.perf_counter()
            page = client.get(f"/items/{ITEM}")
            found["item page"].append(time.perf_counter() - started)
            csrf = CSRF.search(page.text)
            assert csrf is not None, f"no CSRF token on the item's page ({page.status_code})"
            form = {"csrf_token": csrf.group(1), "action": "done", "note": "benchmark"}
            found["done POST"].append(timed(client.post, f"/items/{ITEM}", 303, data=form))
    return found


def main(argv: list[str] | None = None) -> int:
    import tempfile

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="notifier-bench-pages-") as root:
        found = load(Path(root), args.models, args.seconds)
    for kind, values in found.items():
        p50 = 1000 * sorted(values)[len(values) // 2]
        print(f"{kind:<12} n={len(values):>5}  p50 {p50:7.1f} ms  p95 {1000 * p95(values):7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
