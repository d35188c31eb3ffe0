"""`notifier audit verify`: walk the audit log's hash chain (store/audit.py) and say whether it
holds; exit 1 naming the first entry changed, removed or inserted."""

from __future__ import annotations

import argparse
import re
from typing import TextIO

from notifier.app import audit
from notifier.context import Context
from notifier.errors import InputError, Problem

_HASH = re.compile(r"[0-9a-f]{64}")


def head_value(text: str) -> str:
    """A head hash as `notifier status` and a pack's manifest give it: 64 hex digits."""
    value = text.strip().lower()
    if not _HASH.fullmatch(value):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a head hash: 64 hexadecimal digits, as `notifier status` shows"
        )
    return value


def run_verify(context: Context, pinned: str | None, out: TextIO) -> int:
    verdict = audit.verify(context, pinned)
    if verdict.broken_at is not None:
        out.write(
            f"Audit log: BROKEN at entry {verdict.broken_at}: {verdict.reason}. "
            f"Entries before it that hold: {verdict.checked} (up to head {verdict.head}).\n"
        )
        return 1
    if verdict.pinned_found is False:
        out.write(
            f"Audit log: the chain of {audit.counted(verdict.checked)} holds, but it no longer "
            f"holds the entry with hash {pinned}: entries after it were removed (or the log was "
            f"rewritten). Head now {verdict.head}.\n"
        )
        return 1
    pinned_text = f"; it still holds the entry with hash {pinned}" if pinned else ""
    out.write(
        f"Audit log: the chain holds: {audit.counted(verdict.checked)}, head {verdict.head}"
        f"{pinned_text}.\n"
    )
    return 0


def head_without_verify() -> InputError:
    return InputError(
        [Problem("--head", "is used with `notifier audit verify`; add `verify` before it")]
    )
