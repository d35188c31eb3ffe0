"""Every figure of issue 13 beside its anchor, as a ratio, on one machine in one run.

Run: .venv/bin/python benchmarks/run.py [--runs 9] [--rounds 3] [--seconds 3] [--idle 60]
     [--skip serving,idle]

1. The prompt: CPU seconds of a new process (user + system) of `notifier check` and the other
   commands at the prompt on the example register (store and caches in place, as after
   `make run`), against `python -c "import pydantic, sqlalchemy"`, run in turns; medians.
2. Scale: 10,000 models (benchmarks/common.py's generator) parsed and their timeline computed,
   CPU seconds in this process (median of 3), also with every model worked out (the generator
   repeats shapes: 534 among 10,000, see core/timeline/shapes.py); `notifier check` (wall and
   CPU) and `timeline --format json` on them in a new process, store and caches in place.
3. `notifier calendars` at 1,000 models with nothing changed, in a new process (CPU and wall);
   the same rebuild inside a long-running process, and as the daemon now does it, in a child
   process (app.feeds.build_in_child).
4. Serving one 10.6 kB feed beside nginx serving the same bytes (benchmarks/serving.py).
5. `notifier run` at rest with 1,000 models: share of one core and resident memory over
   `--idle` seconds once it has started and written its feeds.
6. The pages at 1,000 models, signed in, after the first request (benchmarks/pages.py): p95
   latency of `/`, `/models/{id}` and a done mark's POST -> 303, one client on loopback, a
   bounded httpx loop over `--pages` seconds.

notifier's modules are byte-compiled first where their .pyc is missing or stale (as `make` does;
the first line says which), so that no figure includes compiling them from source.

Other engineers' jobs share this machine: CPU time is reported where it can be, each figure is a
median, and the load average is printed at the start and the end. Needs wrk and nginx for 4
(skipped without them). Only 127.0.0.1 is used; every process and loop is bounded in time.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pages
import serving
from common import (
    AS_OF,
    REPO,
    child_cpu,
    free_port,
    lineage_text,
    load_average,
    machine,
    median,
    register_text,
    settings_file,
    wait_ready,
)

from notifier.core.law import load_ruleset
from notifier.core.register import parse_register
from notifier.core.timeline import TimelineOptions, timeline

PYTHON = sys.executable
NOTIFIER = [PYTHON, "-m", "notifier"]
ANCHOR = [PYTHON, "-c", "import pydantic, sqlalchemy"]
EXAMPLE = REPO / "config" / "register.toml"
CPU = "CPU seconds (user + system)"


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    anchor: float | None  # what the figure is measured against (the ratio's denominator)
    anchor_name: str  # e.g. 'goal' or 'issue' (the issue's own measurement) or 'nginx'
    goal: str = ""  # "<= 1.5": the ratio must satisfy it; "": no goal
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return None if not self.anchor else self.value / self.anchor

    @property
    def met(self) -> str:
        if not self.goal or self.ratio is None:
            return ""
        bound = float(self.goal.split()[1])
        ok = self.ratio <= bound if self.goal.startswith("<=") else self.ratio >= bound
        return "met" if ok else "NOT MET"


Part = tuple[list[Figure], str]  # the figures and a line on how they were measured


def number(value: float, unit: str) -> str:
    return f"{value:,.3f} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def show(title: str, figures: Sequence[Figure], note: str = "") -> None:
    print(f"\n== {title}")
    if note:
        print(f"   {note}")
    print(f"   {'figure':<54} {'value':>14}  {'anchor':<30} {'ratio':>6}  {'goal':<8}")
    for f in figures:
        anchor = "" if f.anchor is None else f"{f.anchor_name} {number(f.anchor, f.unit)}"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}"
        print(
            f"   {f.name:<54} {number(f.value, f.unit):>14}  {anchor:<30} {ratio:>6}  "
            f"{f.goal:<8} {f.met:<8} {f.note}".rstrip()
        )
    sys.stdout.flush()


def bytecode() -> str:
    """Compile notifier's modules whose .pyc is missing or stale, as `make` does, so that no
    command measured compiles them from source (an editable install gets no .pyc from pip, and
    PYTHONDONTWRITEBYTECODE keeps Python from writing any); says what it found."""
    package = REPO / "notifier"
    sources = sorted(package.rglob("*.py"))
    stale = 0
    for source in sources:
        compiled = Path(importlib.util.cache_from_source(str(source)))
        try:
            header = compiled.read_bytes()[:16]
        except OSError:
            header = b""
        # What the import system checks (PEP 552): magic number, then source mtime and size.
        stat = source.stat()
        mtime, size = int(stat.st_mtime) & 0xFFFFFFFF, stat.st_size & 0xFFFFFFFF
        recorded = mtime.to_bytes(4, "little") + size.to_bytes(4, "little")
        if header[:4] != importlib.util.MAGIC_NUMBER or header[8:16] != recorded:
            stale += 1
    if stale and not compileall.compile_dir(package, quiet=1):
        return f"{stale} of {len(sources)} modules without current bytecode; compiling failed"
    if stale:
        return f"{stale} of {len(sources)} modules had no current bytecode: compiled now"
    return f"all {len(sources)} modules had current bytecode"


def notifier(config: Path, *argv: str) -> list[str]:
    return [*NOTIFIER, *argv, "--config", str(config)]


def cpu_medians(commands: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, float]:
    """Each command run `runs` times, in turns; the median CPU seconds of each."""
    seen: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            seen[name].append(child_cpu(command, cwd))
    return {name: median(values) for name, values in seen.items()}


# ---------------------------------------------------------------- 1. the prompt


def prompt(root: Path, runs: int) -> Part:
    config = settings_file(root, EXAMPLE)
    subprocess.run(notifier(config, "calendars"), cwd=root, check=True, capture_output=True)
    item = "atlas-7b/art-53-1-c-copyright-policy"  # not recurring: marked again each run
    commands = {
        "anchor": ANCHOR,
        "check": notifier(config, "check"),
        "timeline": notifier(config, "timeline"),
        "done": notifier(config, "done", item, "--note", "benchmark"),
        "audit": notifier(config, "audit"),
        "advise": notifier(config, "advise"),
    }
    found = cpu_medians(commands, runs, root)
    anchor = found.pop("anchor")
    figures = [
        Figure("notifier check", found.pop("check"), "s", anchor, "anchor", "<= 1.5",
               "issue: 1.1 s, ratio 3.5"),
    ]  # fmt: skip
    figures += [
        Figure(f"notifier {command}", seconds, "s", anchor, "anchor")
        for command, seconds in found.items()
    ]
    note = (
        f"{CPU} of a new process, median of {runs} runs in turns; anchor: "
        'python -c "import pydantic, sqlalchemy"'
    )
    return figures, note


# ---------------------------------------------------------------- 2. scale


def scale(root: Path, runs: int) -> Part:
    text = register_text(10_000)
    rules = load_ruleset()
    parsing, computing = [], []
    for _ in range(runs):
        started = time.process_time()
        register = parse_register(text, "benchmark.toml", AS_OF)
        parsed = time.process_time()
        timeline(register, rules, AS_OF)
        parsing.append(parsed - started)
        computing.append(time.process_time() - parsed)
        del register
    both = median([p + c for p, c in zip(parsing, computing, strict=True)])
    # The same without reusing the timelines of models of one shape (core/timeline/shapes.py):
    # as for a register where no two models share one.
    register = parse_register(text, "benchmark.toml", AS_OF)
    each = []
    for _ in range(runs):
        started = time.process_time()
        timeline(register, rules, AS_OF, TimelineOptions(reuse_shapes=False))
        each.append(time.process_time() - started)
    del register
    # One model in 10,000 versions: each version's lineage was walked from every model.
    versions = lineage_text(10_000)
    one_line = []
    for _ in range(runs):
        started = time.process_time()
        timeline(parse_register(versions, "versions.toml", AS_OF), rules, AS_OF)
        one_line.append(time.process_time() - started)
    path = root / "register.toml"
    path.write_text(text, encoding="utf-8")
    config = settings_file(root, path)
    as_of = ("--as-of", AS_OF.isoformat())
    # The store and caches in place, as in use: a command that writes creates the store, and
    # the first `check` keeps the holidays in the cache folder the daemon or `calendars` made.
    item = "model-0000/art-53-1-c-copyright-policy"
    done = notifier(config, "done", item, "--on", AS_OF.isoformat())
    subprocess.run(done, cwd=root, check=True, capture_output=True)
    (root / "var" / "cache").mkdir(parents=True, exist_ok=True)
    check_command = notifier(config, "check", *as_of)
    check, walls = [], []
    child_cpu(check_command, root)
    for _ in range(runs):
        started = time.perf_counter()
        check.append(child_cpu(check_command, root))
        walls.append(time.perf_counter() - started)
    json_timeline = child_cpu(notifier(config, "timeline", "--format", "json", *as_of), root)
    figures = [
        Figure(f"parse + timeline, in process (median of {runs})", both, "s", 1.0, "goal",
               "<= 1", "issue: 4.04 s"),
        Figure("  of which parse", median(parsing), "s", 1.07, "issue"),
        Figure("  of which timeline", median(computing), "s", 2.97, "issue"),
        Figure("  timeline, no shape reused", median(each), "s", 2.97, "issue",
               note="as if no two models shared a shape"),
        Figure("parse + timeline, one model in 10,000 versions", median(one_line), "s", None,
               "", note="before lineage.py: 3.7 s at 2,000 versions, 17 s at 4,000"),
        Figure(f"notifier check, new process, wall (median of {runs})", median(walls), "s",
               1.5, "goal", "<= 1", f"CPU {median(check):.2f} s; issue: 4.9 s CPU"),
        Figure("notifier timeline --format json, new process", json_timeline, "s", 12.0,
               "issue"),
    ]  # fmt: skip
    return figures, f"{CPU}; the issue's figures as anchors where it set no goal"


# ---------------------------------------------------------------- 3. calendars


def calendars(root: Path, runs: int) -> Part:
    path = root / "register.toml"
    path.write_text(register_text(1000), encoding="utf-8")
    config = settings_file(root, path)
    command = notifier(config, "calendars", "--as-of", AS_OF.isoformat())
    first = child_cpu(command, root)  # the first build: empty store and cache
    cpu, wall = [], []
    for _ in range(runs):
        started = time.perf_counter()
        cpu.append(child_cpu(command, root))
        wall.append(time.perf_counter() - started)
    figures = [
        Figure(f"no change, new process (median of {runs})", median(cpu), "s", 1.0, "goal",
               "<= 1", f"wall {median(wall):.2f} s; issue: 5.5 s"),
        Figure("no change, inside a long-running process", daemon_rebuild(config), "s", 0.49,
               "issue"),
        Figure("no change, the daemon's build in its child (median of 3)",
               daemon_child_rebuild(config), "s", None, "", note="CPU of the child process"),
        Figure("first build, empty store and cache", first, "s", None, ""),
    ]  # fmt: skip
    return figures, f"{CPU}; 1,021 feeds, 11,009 dated items"


def daemon_rebuild(config: Path) -> float:
    """A rebuild with nothing changed by the publisher a daemon keeps (CPU, median of 3)."""
    from notifier import clock
    from notifier.context import load_context
    from notifier.feeds.publish import CalendarPublisher

    now = clock.system_now()
    context = load_context(config, None, now)
    try:
        publisher = CalendarPublisher()
        publisher(context, now, as_of=AS_OF)
        seen = []
        for _ in range(3):
            started = time.process_time()
            publisher(context, now, as_of=AS_OF)
            seen.append(time.process_time() - started)
        return median(seen)
    finally:
        context.store.close()


def daemon_child_rebuild(config: Path) -> float:
    """A rebuild with nothing changed as `notifier run` does it (issue 22): a new process handed
    the daemon's settings and register (app.feeds.build_in_child). CPU of the child, median of 3
    after one build as of today."""
    import resource

    from notifier import clock
    from notifier.app.feeds import build_in_child
    from notifier.context import load_context

    now = clock.system_now()
    context = load_context(config, None, now)
    try:
        build_in_child(context, now)
        seen = []
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            build_in_child(context, now)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            seen.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return median(seen)
    finally:
        context.store.close()


# ---------------------------------------------------------------- 4. serving


def serve(root: Path, rounds: int, seconds: int) -> Part:
    if shutil.which("wrk") is None or shutil.which("nginx") is None:
        return [], "skipped: apt-get install wrk nginx"
    path = root / "register.toml"
    path.write_text(register_text(20), encoding="utf-8")
    config = settings_file(root, path)
    listed = subprocess.run(
        notifier(config, "calendars", "--as-of", AS_OF.isoformat(), "--format", "json"),
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    import json

    feed = next(e for e in json.loads(listed) if e["audience"] == "model:model-0000")
    size = Path(feed["file"]).stat().st_size
    with serving.servers(root, path, Path(feed["file"]), feed["url"]) as found:
        serving.load(found, feed["url"], seconds, rounds)
    nginx = found[-1]
    figures = []
    issue = {"200": "issue: ratio 0.19", "304": "issue: ratio 0.13", "gzip": ""}
    for served in found:
        for kind in serving.KINDS:
            rate = served.median(kind)
            if served is nginx:
                figures.append(Figure(f"{served.name}: {kind}", rate, "req/s", None, ""))
                continue
            ours = served is found[0]
            goal = ">= 0.25" if ours and kind in ("200", "304") else ""
            figures.append(
                Figure(f"{served.name}: {kind}", rate, "req/s", nginx.median(kind), "nginx",
                       goal, issue[kind] if ours else "")
            )  # fmt: skip
    note = f"one {size:,}-byte feed; requests/s, wrk -c32 -t2 -d{seconds}s, median of {rounds}"
    return figures, note + " rounds in turns"


# ---------------------------------------------------------------- 5. at rest


def idle(root: Path, seconds: int) -> Part:
    path = root / "register.toml"
    path.write_text(register_text(1000), encoding="utf-8")
    port = free_port()
    config = settings_file(root, path, port)
    log = (root / "daemon.log").open("wb")
    process = subprocess.Popen(notifier(config, "run"), cwd=root, stdout=log, stderr=log)
    try:
        wait_ready(port, process)
        settle(root, process)
        ticks = os.sysconf("SC_CLK_TCK")
        before, started = cpu_ticks(process.pid), time.monotonic()
        time.sleep(seconds)
        used, elapsed = cpu_ticks(process.pid) - before, time.monotonic() - started
        rss, peak = memory_mb(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    share = 100 * used / ticks / elapsed
    figures = [
        Figure("share of one core at rest", share, "%", 1.0, "goal", "<= 1",
               f"{used} ticks in {elapsed:.0f} s; issue: 14 %"),
        Figure("resident memory at rest", rss, "MB", 120.0, "goal", "<= 1", "issue: 203 MB"),
        Figure("peak resident memory since start", peak, "MB", None, ""),
    ]  # fmt: skip
    return figures, "CPU ticks and VmRSS of `notifier run` from /proc, after it wrote its feeds"


def settle(root: Path, process: subprocess.Popen[bytes], limit: float = 300) -> None:
    """Wait until the daemon has written every feed and then used no CPU for two seconds."""
    deadline = time.monotonic() + limit
    expected = 1 + 1000 + 20  # the organisation, each model, each person
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the daemon exited with {process.returncode}; see daemon.log")
        written = len(list((root / "calendars").glob("*.ics")))
        if written >= expected:
            before = cpu_ticks(process.pid)
            time.sleep(2)
            if cpu_ticks(process.pid) == before:
                return
        else:
            time.sleep(1)
    raise RuntimeError("the daemon did not settle; see daemon.log")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def memory_mb(pid: int) -> tuple[float, float]:
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


# ---------------------------------------------------------------- 6. the pages


def web_pages(root: Path, seconds: int) -> Part:
    found = pages.load(root, 1000, seconds)
    goals = {"home": ("GET /", 0.1), "model": ("GET /models/{id}", 0.1),
             "done POST": ("POST a done mark -> 303", 0.2)}  # fmt: skip
    figures = []
    for kind, values in found.items():
        ms = 1000 * pages.p95(values)
        if kind in goals:
            name, goal = goals[kind]
            figures.append(
                Figure(f"{name}, p95 (n={len(values)})", ms, "ms", 1000 * goal, "goal", "<= 1",
                       f"p50 {1000 * median(values):.0f} ms")
            )  # fmt: skip
        else:
            note = "the item's page before each POST: reloads what the last POST recorded"
            figures.append(Figure(f"GET /items/{{id}}, p95 (n={len(values)})", ms, "ms", None,
                                  "", note=note))  # fmt: skip
    note = f"notifier serve, one signed-in client, {seconds} s in three phases (pages.py)"
    return figures, note


# ---------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    logging.getLogger("notifier").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each timed command")
    parser.add_argument("--rounds", type=int, default=3, help="wrk rounds per server and kind")
    parser.add_argument("--seconds", type=int, default=3, help="wrk duration per round")
    parser.add_argument("--idle", type=int, default=60, help="seconds the daemon is watched")
    parser.add_argument("--pages", type=int, default=30, help="seconds of load on the pages")
    names = "prompt,scale,calendars,serving,idle,pages"
    parser.add_argument("--skip", default="", help=f"comma-separated, of {names}")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    print(f"machine: {machine()}")
    print(f"load average at start: {load_average()}")
    print(f"notifier's bytecode: {bytecode()}")
    started = time.monotonic()
    parts: list[tuple[str, str, Callable[[Path], Part]]] = [
        ("prompt", "The prompt: a new process at the prompt, example register",
         lambda root: prompt(root, args.runs)),
        ("scale", "Scale: 10,000 models", lambda root: scale(root, 3)),
        ("calendars", "notifier calendars at 1,000 models",
         lambda root: calendars(root, max(3, args.runs // 2))),
        ("serving", "Serving one feed beside nginx, side by side",
         lambda root: serve(root, args.rounds, args.seconds)),
        ("idle", f"The daemon at rest with 1,000 models ({args.idle} s watched)",
         lambda root: idle(root, args.idle)),
        ("pages", "The pages at 1,000 models, signed in",
         lambda root: web_pages(root, args.pages)),
    ]  # fmt: skip
    for key, title, part in parts:
        if key in skip:
            continue
        root = Path(tempfile.mkdtemp(prefix=f"notifier-bench-{key}-"))
        try:
            figures, note = part(root)
            show(title, figures, note)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\nload average at end: {load_average()}; {time.monotonic() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
