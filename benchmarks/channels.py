"""A round over every channel: e-mail (outbox), Slack-, Teams- and ntfy-shaped receivers and a
signed webhook, on loopback; then the same across a kill -9 of the sender and a receiver that
is down for a while.

Run: .venv/bin/python benchmarks/channels.py [--models 60] [--down-seconds 60]

Each of 20 generated people chose every channel, so every channel gets every item reminded
once (a channel several people chose gets each reminder once). Phases:

1. clean: one `notifier remind` process; its wall time, and per channel the messages and the
   items received; each item must arrive exactly once per channel, each webhook must verify
   with the Standard Webhooks reference library;
2. faults: a fresh store; the Slack receiver is down, the webhook receiver holds its second
   request unanswered and the sender is killed (-9) meanwhile; then `notifier remind` runs
   every few seconds (the killed process's claims come back when its lease lapses) and the
   Slack receiver comes back after `--down-seconds`. Every item must reach every channel
   exactly once; rounds and wall time until then are printed.
"""

from __future__ import annotations

import argparse
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the tests' receivers

from common import machine, register_text  # noqa: E402 - benchmarks/common.py, beside this file
from standardwebhooks.webhooks import Webhook  # noqa: E402

from tests.channels.conftest import EXTRACT, KINDS, SECRET, channel_settings  # noqa: E402
from tests.support.processes import CLI_ENTRY  # noqa: E402
from tests.support.receivers import Receiver, receivers, restart  # noqa: E402

AS_OF = "2026-11-24T09:00:00+01:00"
ROUND_EVERY_SECONDS = 3.0
BOUND_SECONDS = 600.0


def workspace(root: Path, models: int, hubs: dict[str, Receiver]) -> Path:
    text = register_text(models)
    listed = ", ".join(f'"{name}"' for name in ["email", *KINDS])
    text = re.sub(r'(email = "person\d+@example.com")', rf"\1\nchannels = [{listed}]", text)
    register = root / "register.toml"
    register.write_text(text, encoding="utf-8")
    config = root / "notifier.toml"
    config.write_text(
        f'register = "{register}"\n'
        f'database_url = "sqlite:///{root / "notifier.db"}"\n'
        f'outbox_dir = "{root / "outbox"}"\n'
        f'calendars_dir = "{root / "calendars"}"\n'
        f'cache_dir = "{root / "cache"}"\n'
        "[reminders]\nretry_delays_seconds = [0]\n"
        "[instances]\nlease_seconds = 2\n" + channel_settings(hubs),
        encoding="utf-8",
    )
    return config


def remind(config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", CLI_ENTRY, "remind", "--as-of", AS_OF, "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def items(receiver: Receiver) -> list[str]:
    return [i for r in receiver.accepted for i in EXTRACT[receiver.name](r.json)]


def emailed(root: Path) -> list[str]:
    """The items the e-mail digests carried (each person's, once), read from the ledger."""
    with sqlite3.connect(root / "notifier.db") as connection:
        rows = connection.execute(
            "SELECT DISTINCT item_id FROM reminder_ledger WHERE channel = 'email' "
            "AND status = 'sent'"
        ).fetchall()
    return sorted(row[0] for row in rows)


def check(hubs: dict[str, Receiver], expected: Sequence[str]) -> list[str]:
    """What is wrong: a channel missing an item or holding one twice; a forged signature."""
    wrong = []
    for name, receiver in hubs.items():
        counts = Counter(items(receiver))
        if sorted(counts) != sorted(expected):
            wrong.append(f"{name}: {len(counts)} distinct items, expected {len(expected)}")
        twice = [i for i, n in counts.items() if n > 1]
        if twice:
            wrong.append(f"{name}: {len(twice)} item(s) twice")
    verifier = Webhook(SECRET)
    for message in hubs["hooks"].accepted:
        verifier.verify(message.body, message.headers)
    return wrong


def until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def clean_round(models: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder, receivers(*KINDS) as hubs:
        root = Path(folder)
        config = workspace(root, models, hubs)
        started = time.perf_counter()
        code = remind(config).wait(timeout=BOUND_SECONDS)
        seconds = time.perf_counter() - started
        expected = sorted(set(items(hubs["hooks"])))
        lines = [
            f"clean round: exit {code}, {seconds:.2f} s wall for {len(expected)} items on "
            f"{len(hubs) + 1} channels (e-mail to the outbox)"
        ]
        for name, receiver in hubs.items():
            lines.append(
                f"  {name:<11} {KINDS[name]:<8} {len(receiver.accepted):>3} message(s), "
                f"{len(items(receiver)):>4} item(s)"
            )
        wrong = check(hubs, expected)
        lines.append("  exactly once on every channel: " + ("yes" if not wrong else str(wrong)))
        return lines


def faults(models: int, down_seconds: float) -> list[str]:
    with tempfile.TemporaryDirectory() as folder, receivers(*KINDS) as hubs:
        root = Path(folder)
        config = workspace(root, models, hubs)
        slack, hooks = hubs["team-slack"], hubs["hooks"]
        slack.stop()
        hooks.hold_at = 2
        started = time.monotonic()
        first = remind(config)
        if not until(lambda: bool(hooks.held), BOUND_SECONDS):
            return ["faults: the webhook was never in flight"]
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        hooks.release.set()
        rounds, back = 1, False
        expected = emailed(root)
        while time.monotonic() - started < BOUND_SECONDS:
            if not back and time.monotonic() - started >= down_seconds:
                restart(slack)
                back = True
            remind(config).wait(timeout=BOUND_SECONDS)
            rounds += 1
            expected = emailed(root)
            if back and not check(hubs, expected):
                break
            time.sleep(ROUND_EVERY_SECONDS)
        seconds = time.monotonic() - started
        wrong = check(hubs, expected)
        resent = hooks.held[0].headers["webhook-id"] in [
            m.headers["webhook-id"] for m in hooks.accepted
        ]
        return [
            f"faults: kill -9 mid-round (webhook in flight), Slack receiver down "
            f"{down_seconds:.0f} s: {rounds} round(s), {seconds:.1f} s until every channel had "
            f"all {len(expected)} items",
            "  exactly once on every channel: " + ("yes" if not wrong else str(wrong)),
            f"  the webhook cut off by the kill was resent under its id: {resent}",
        ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=60)
    parser.add_argument("--down-seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    print(machine())
    for line in clean_round(args.models):
        print(line)
    for line in faults(args.models, args.down_seconds):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
