"""The evidence pack at scale: `notifier export pack` of a generated register of 1,000 models
(benchmarks/common.py) to a .zip, timed as a new process, with the pack's phases timed in
process (gather, PDF, workbook and CSV) so the share of each is known. The goal (issue 19): under
a minute for 1,000 models.

Run: .venv/bin/python benchmarks/pack.py [--models 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

from common import START, child_cpu, load_average, machine, register_text, settings_file

from notifier.context import load_context
from notifier.documents.pdf import pdf_bytes
from notifier.documents.records import gather
from notifier.documents.sheets import csv_bytes, workbook
from notifier.documents.tables import tables
from notifier.web.printed import pack_html
from notifier.web.render import environment

AS_OF = date(2026, 11, 24)
GOAL_SECONDS = 60.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        register = root / "register.toml"
        register.write_text(register_text(args.models), encoding="utf-8")
        config = settings_file(root, register)
        out = root / "pack.zip"
        command = [
            str(Path(sys.executable).with_name("notifier")), "export", "pack",
            "--config", str(config), "--as-of", AS_OF.isoformat(), "--out", str(out),
        ]  # fmt: skip
        started = time.perf_counter()
        cpu = child_cpu(command)
        wall = time.perf_counter() - started
        with zipfile.ZipFile(out) as archive:
            sizes = {Path(i.filename).suffix: i.file_size for i in archive.infolist()}
        context = load_context(config, None, START, read_only=True)
        try:
            phases = _phases(context)
        finally:
            context.store.close()
    print(f"Evidence pack of {args.models} models, as of {AS_OF} ({machine()})")
    print(f"load average before: {load_average()}")
    print(f"  notifier export pack (new process): {wall:6.1f} s wall, {cpu:6.1f} s CPU")
    print(f"  goal: under {GOAL_SECONDS:.0f} s -> {'met' if wall < GOAL_SECONDS else 'MISSED'}")
    for name, seconds in phases.items():
        print(f"    {name:<28} {seconds:6.1f} s")
    print(f"  sizes: PDF {sizes['.pdf'] / 2**20:.1f} MiB, XLSX {sizes['.xlsx'] / 2**20:.1f} MiB")
    return 0


def _phases(context: object) -> dict[str, float]:
    from notifier.context import Context

    assert isinstance(context, Context)
    times: dict[str, float] = {}
    started = time.perf_counter()
    records = gather(context, START, AS_OF, None)
    times["gather (timeline, store)"] = time.perf_counter() - started
    started = time.perf_counter()
    parts = pack_html(environment(None), context, records)
    times["HTML (templates)"] = time.perf_counter() - started
    started = time.perf_counter()
    pdf_bytes(parts, START)
    times[f"PDF (WeasyPrint, {len(parts)} parts)"] = time.perf_counter() - started
    started = time.perf_counter()
    found = tables(records)
    workbook(found, START)
    for table in found:
        csv_bytes(table)
    times["tables, XLSX, CSV"] = time.perf_counter() - started
    return times


if __name__ == "__main__":
    raise SystemExit(main())
