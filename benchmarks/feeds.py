"""Feed builds at scale: seconds and peak memory of each kind of build at 1,000 models.

Run: .venv/bin/python benchmarks/feeds.py [--models 1000]

Builds every feed of a generated register (benchmarks/common.py) from scratch, again with no
change in the same process (the daemon's case: its renders in memory), with one model's placement
date changed, and with no change from a new builder with the render cache on disk (a new
`notifier calendars` process's case) and without it (an empty cache). In process, so that the
timeline's share can be told; benchmarks/run.py times the real command in a new process.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from common import AS_OF, START, machine, register_text

from notifier.core.law import load_ruleset
from notifier.core.register import Register, parse_register
from notifier.core.timeline import timeline
from notifier.feeds.cache import RenderCache
from notifier.feeds.files import FileMemo, Published, publish
from notifier.feeds.publish import build
from notifier.feeds.render import FeedBuilder
from notifier.settings import FeedSettings
from notifier.store.engine import Store


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
        self.store = Store.open(f"sqlite:///{root / 'notifier.db'}", START)
        self.calendars = root / "calendars"
        self.cache = RenderCache.open(root / "cache")
        self.builder = FeedBuilder(FeedSettings(), None, self.cache)
        self.files: FileMemo = {}
        self.timeline_seconds = 0.0
        self.rules = load_ruleset()

    def build(self, register: Register, now: datetime) -> list[Published]:
        started = time.perf_counter()
        result = timeline(register, self.rules, AS_OF)
        self.timeline_seconds = time.perf_counter() - started
        feeds = build(self.builder, result, register, self.store, now)
        published = publish(feeds, self.calendars, self.store, now, self.files)
        self.cache.keep_files(self.files)
        self.cache.save()
        return published


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
            ("new process, no change, render cache", partial(_new, bench, changed, later, True)),
            ("new process, no change, no cache", partial(_new, bench, changed, later, False)),
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


def _new(bench: Bench, register: Register, now: datetime, cached: bool) -> list[Published]:
    """What a new `notifier calendars` process has: the render cache on disk, or nothing."""
    bench.cache = RenderCache.open(bench.root / "cache" if cached else None)
    bench.builder = FeedBuilder(FeedSettings(), None, bench.cache)
    bench.files = dict(bench.cache.files)
    return bench.build(register, now)


def main() -> int:
    logging.getLogger("notifier").setLevel(logging.ERROR)  # over-limit feeds: counted below
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--models", type=int, default=1000)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    phases, bench, published = build_phases(args.models)
    feeds = len(published)
    events = sum(p.feed.events for p in published)
    megabytes = sum(p.feed.size for p in published) / 1e6
    print(f"\n{args.models} models: {feeds} feeds, {events} events, {megabytes:.1f} MB in all")
    print(
        f"{'phase':<38} {'seconds':>8} {'timeline':>9} {'peak MB':>8} {'written':>8} "
        f"{'rendered':>9}"
    )
    for phase in phases:
        print(
            f"{phase.name:<38} {phase.seconds:>8.3f} {phase.timeline_seconds:>9.3f} "
            f"{phase.peak_mb:>8.1f} {phase.written:>8} {phase.rendered:>9}"
        )
    over = [p.feed.audience.filename for p in published if p.feed.over_limit]
    if over:
        print(f"over the {FeedSettings().max_bytes}-byte limit: {len(over)} feeds ({over[0]}, ...)")
    bench.store.close()
    shutil.rmtree(bench.root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
