"""Feeds at scale: build time and memory for 1,000 models, then HTTP throughput beside nginx.

Run: .venv/bin/python benchmarks/feeds.py [--models 1000] [--seconds 5]

1. Builds every feed of a generated register from scratch, rebuilds with no change (warm event
   cache, as the daemon does; and cold, as a fresh `notifier calendars` process does) and with
   one model's placement date changed; prints seconds and peak traced memory for each.
2. Serves one model feed with `notifier serve` (and other ASGI server set-ups for comparison)
   and with nginx (Debian's package, a private config on a loopback port), loads each with wrk
   for 200, 304 and gzip, and prints requests per second and the ratio ours/nginx.
Missing wrk or nginx skips that part. Only 127.0.0.1 is used; every run is bounded.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from importlib.metadata import version
from pathlib import Path

from notifier.core.law import load_ruleset
from notifier.core.register import Register, parse_register
from notifier.core.timeline import timeline
from notifier.feeds.files import FileMemo, Published, publish
from notifier.feeds.publish import build
from notifier.feeds.render import FeedBuilder
from notifier.settings import FeedSettings
from notifier.store.engine import Store

AS_OF = date(2026, 11, 24)
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
PEOPLE = 20
READY_SECONDS = 20.0


def register_text(models: int) -> str:
    """An organisation with `models` models of every kind the rules distinguish."""
    lines = [
        "[organisation]",
        'name = "Benchmark AI SAS"',
        'established_in = "FR"',
        'timezone = "Europe/Paris"',
        'contacts = ["person-00"]',
        "[organisation.code_of_practice]",
        'transparency = "signed"',
        'copyright = "signed"',
        'safety_and_security = "signed"',
        "version_reviewed = 2025-07-10",
        "checked_on = 2026-10-15",
    ]
    for n in range(PEOPLE):
        lines += ["[[people]]", f'id = "person-{n:02}"', f'name = "Person {n:02}"']
        lines += [f'email = "person{n:02}@example.com"']
    for n in range(models):
        owners = f'["person-{n % PEOPLE:02}", "person-{(n + 7) % PEOPLE:02}"]'
        lines += ["[[models]]", f'id = "model-{n:04}"', f'name = "Model {n:04}"']
        lines += [f"owners = {owners}", *_model_kind(n)]
    return "\n".join(lines) + "\n"


def _model_kind(n: int) -> list[str]:
    day = 1 + n % 28
    match n % 5:
        case 0:  # legacy: Art 111(3) transition
            return ['role = "provider"', f"placed_on_market = 2024-11-{day:02}"]
        case 1:  # Chapter V from placing
            return ['role = "provider"', f"placed_on_market = 2026-0{1 + n % 9}-{day:02}"]
        case 2:  # planned, systemic risk presumed by compute
            return [
                'role = "provider"',
                f"planned_placement = 2027-0{1 + n % 9}-{day:02}",
                "training_compute_flop = 2.4e25",
                "threshold_known_on = 2026-12-01",
            ]
        case 3:  # downstream
            return [
                'role = "downstream"',
                'upstream = [{ provider = "Up", model = "Big-1", signatory = "partial", '
                'chapters = ["copyright"], last_verified = 2026-11-02 }]',
            ]
        case _:  # designated systemic risk
            return [
                'role = "provider"',
                "placed_on_market = 2025-10-01",
                'systemic_risk = "designated"',
                "designated_on = 2026-05-20",
            ]


@dataclass
class Phase:
    name: str
    seconds: float
    timeline_seconds: float  # of `seconds`: the core's timeline, before any feed work
    peak_mb: float
    written: int
    rendered: int


class Bench:
    """One store and calendars/ folder; build() times timeline + feeds + files together."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.chmod(0o755)  # nginx's worker (user nobody) serves from inside it
        self.store = Store.open(f"sqlite:///{root / 'notifier.db'}", START)
        self.calendars = root / "calendars"
        self.builder = FeedBuilder(FeedSettings())
        self.files: FileMemo = {}
        self.timeline_seconds = 0.0
        self.rules = load_ruleset()

    def build(self, register: Register, now: datetime) -> list[Published]:
        started = time.perf_counter()
        result = timeline(register, self.rules, AS_OF)
        self.timeline_seconds = time.perf_counter() - started
        feeds = build(self.builder, result, register, self.store, now)
        return publish(feeds, self.calendars, self.store, now, self.files)


def measure(name: str, run: Callable[[], list[Published]], bench: Bench) -> Phase:
    started = time.perf_counter()
    published = run()
    seconds = time.perf_counter() - started
    rendered = bench.builder.renderer.rendered  # after the run: _cold replaces the builder
    written = sum(p.written for p in published)
    return Phase(name, seconds, bench.timeline_seconds, 0.0, written, rendered)


def build_phases(models: int) -> tuple[list[Phase], Bench, list[Published]]:
    original = parse_register(register_text(models), "benchmark.toml", AS_OF)
    changed_text = register_text(models).replace(
        "placed_on_market = 2026-02-02", "placed_on_market = 2026-02-09", 1
    )
    changed = parse_register(changed_text, "benchmark.toml", AS_OF)
    phases: dict[str, Phase] = {}
    published: list[Published] = []
    bench: Bench | None = None
    for traced in (False, True):  # timings without tracemalloc's overhead, then peak memory
        if bench is not None:
            bench.store.close()
            shutil.rmtree(bench.root, ignore_errors=True)
        bench = Bench(Path(tempfile.mkdtemp(prefix="feeds-bench-")))
        later = START + timedelta(hours=1)
        steps: list[tuple[str, Callable[[], list[Published]]]] = [
            ("full build, empty store", partial(bench.build, original, START)),
            ("rebuild, no change (warm cache)", partial(bench.build, original, later)),
            ("rebuild, one model changed", partial(bench.build, changed, later)),
            ("rebuild, no change (cold cache)", partial(_cold, bench, changed, later)),
        ]
        for name, step in steps:
            if traced:
                tracemalloc.start()
                published = step()
                peak = tracemalloc.get_traced_memory()[1] / 1e6
                tracemalloc.stop()
                phases[name].peak_mb = peak
            else:
                phases[name] = measure(name, step, bench)
    assert bench is not None
    return list(phases.values()), bench, published


def _cold(bench: Bench, register: Register, now: datetime) -> list[Published]:
    bench.builder = FeedBuilder(FeedSettings())  # what a new `notifier calendars` process has
    bench.files = {}
    return bench.build(register, now)


# ---------------------------------------------------------------- HTTP


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {READY_SECONDS} s")


@contextmanager
def running(command: list[str], port: int, cwd: Path) -> Iterator[None]:
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_ready(port, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def header_of(port: int, path: str, name: str) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        request = f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        connection.sendall(request.encode())
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    found = re.search(rf"^{name}: *(.+?)\r$", reply.decode("latin-1"), re.I | re.M)
    if found is None:
        raise RuntimeError(f"no {name} header from 127.0.0.1:{port}{path}")
    return found.group(1)


def wrk(port: int, path: str, header: str | None, seconds: int) -> float:
    command = ["wrk", f"-d{seconds}s", "-c32", "-t2", f"http://127.0.0.1:{port}{path}"]
    if header:
        command[1:1] = ["-H", header]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if found is None or non_2xx is not None:
        raise RuntimeError(f"wrk failed or saw errors:\n{output}")
    return float(found.group(1))


def load(port: int, path: str, seconds: int) -> dict[str, float]:
    etag = header_of(port, path, "etag")
    wrk(port, path, None, 1)  # warm-up
    return {
        "200": wrk(port, path, None, seconds),
        "304": wrk(port, path, f"If-None-Match: {etag}", seconds),
        "gzip": wrk(port, path, "Accept-Encoding: gzip", seconds),
    }


NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp;
  fastcgi_temp_path {root}/tmp; uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
  types {{ text/calendar ics; }}
  charset utf-8; charset_types text/calendar;
  sendfile on; tcp_nopush on;
  server {{
    listen 127.0.0.1:{port};
    root {root}/www;
    gzip_static on; gzip_vary on;
    add_header Cache-Control private;
  }}
}}
"""

APP_MODULE = """\
from datetime import UTC, datetime
from pathlib import Path
from notifier.store.engine import Store
from notifier.web.app import build_app
store = Store.open({database!r}, datetime(2026, 1, 1, tzinfo=UTC))
app = build_app(Path({calendars!r}), store)
"""


def http_phases(bench: Bench, feed: Published, seconds: int) -> list[tuple[str, dict[str, float]]]:
    if shutil.which("wrk") is None:
        print("wrk not found (apt-get install wrk): HTTP load skipped")
        return []
    root = bench.root
    (root / "bench_app.py").write_text(
        APP_MODULE.format(
            database=f"sqlite:///{root / 'notifier.db'}", calendars=str(bench.calendars)
        )
    )
    config = root / "notifier.toml"
    results: list[tuple[str, dict[str, float]]] = []
    python = sys.executable

    port = free_port()
    config.write_text(
        f'database_url = "sqlite:///{root / "notifier.db"}"\n'
        f'calendars_dir = "{bench.calendars}"\n[http]\nhost = "127.0.0.1"\nport = {port}\n'
    )
    (root / "register.toml").write_text(register_text(1))  # serve reads a register at start
    serve = [python, "-c", "import sys; from notifier.cli import main; sys.exit(main())"]
    serve += ["serve", "--config", str(config), "--register", str(root / "register.toml")]
    servers: list[tuple[str, list[str], int]] = [
        ("notifier serve: uvicorn+uvloop+httptools", serve, port)
    ]
    port = free_port()
    plain = [
        python, "-c",
        "import sys, uvicorn; from bench_app import app; "
        "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[1]), loop='asyncio', "
        "http='h11', access_log=False, log_level='warning')",
        str(port),
    ]  # fmt: skip
    servers.append(("same app: uvicorn+asyncio+h11", plain, port))
    if _has_module("granian"):
        port = free_port()
        granian = [python, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1"]
        granian += ["--port", str(port), "--no-ws", "--loop", "uvloop", "--log-level", "warning"]
        servers.append(("same app: granian (Rust HTTP)", [*granian, "bench_app:app"], port))
    else:
        print("granian not installed: that comparison skipped")
    for name, command, port in servers:
        with running(command, port, root):
            results.append((name, load(port, feed.url_path, seconds)))

    if shutil.which("nginx") is None:
        print("nginx not found (apt-get install nginx): nginx comparison skipped")
        return results
    www = root / "www" / feed.url_path.lstrip("/")
    www.parent.mkdir(parents=True)
    www.write_bytes(feed.path.read_bytes())
    www.with_name(www.name + ".gz").write_bytes(gzip.compress(www.read_bytes(), 9, mtime=0))
    (root / "tmp").mkdir()
    port = free_port()
    (root / "nginx.conf").write_text(NGINX_CONF.format(root=root, port=port))
    nginx = [shutil.which("nginx") or "nginx", "-p", str(root), "-c", str(root / "nginx.conf")]
    with running(nginx, port, root):
        results.append(
            ("nginx 1 worker, sendfile, gzip_static", load(port, feed.url_path, seconds))
        )
    return results


def _has_module(name: str) -> bool:
    found = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True)
    return found.returncode == 0


# ---------------------------------------------------------------- report


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"{memory:.0f} GiB; Python {platform.python_version()}, icalendar {version('icalendar')}, "
        f"starlette {version('starlette')}, uvicorn {version('uvicorn')}"
    )


def main() -> int:
    logging.getLogger("notifier").setLevel(logging.ERROR)  # over-limit feeds: counted below
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per run")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    phases, bench, published = build_phases(args.models)
    feeds = len(published)
    events = sum(p.feed.events for p in published)
    megabytes = sum(len(p.feed.body) for p in published) / 1e6
    print(f"\n{args.models} models: {feeds} feeds, {events} events, {megabytes:.1f} MB in all")
    print(
        f"{'phase':<34} {'seconds':>8} {'timeline':>9} {'peak MB':>8} {'written':>8} "
        f"{'rendered':>9}"
    )
    for phase in phases:
        print(
            f"{phase.name:<34} {phase.seconds:>8.3f} {phase.timeline_seconds:>9.3f} "
            f"{phase.peak_mb:>8.1f} {phase.written:>8} {phase.rendered:>9}"
        )
    over = [p.feed.audience.filename for p in published if p.feed.over_limit]
    if over:
        print(f"over the {FeedSettings().max_bytes}-byte limit: {len(over)} feeds ({over[0]}, ...)")
    feed = next(p for p in published if p.feed.audience.key == "model:model-0000")
    print(f"\nHTTP: {feed.feed.audience.filename}, {len(feed.feed.body)} bytes; wrk -c32 -t2")
    results = http_phases(bench, feed, args.seconds)
    if results:
        print(f"{'server':<42} {'200 req/s':>10} {'304 req/s':>10} {'gzip req/s':>11}")
        for name, rates in results:
            print(f"{name:<42} {rates['200']:>10.0f} {rates['304']:>10.0f} {rates['gzip']:>11.0f}")
        nginx = dict(results).get("nginx 1 worker, sendfile, gzip_static")
        if nginx is not None:
            print("ratio to nginx:")
            for name, rates in results[:-1]:
                ratios = "  ".join(f"{k} {rates[k] / nginx[k]:.2f}" for k in ("200", "304", "gzip"))
                print(f"  {name:<40} {ratios}")
    shutil.rmtree(bench.root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
