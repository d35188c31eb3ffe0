"""The register file as the daemon watches it: its digest (a reload only when the bytes
changed) and a file-change notification on its folder (watchfiles: inotify and the like)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from notifier.input_files import Unreadable, read_limited

logger = logging.getLogger(__name__)

CHECK_SECONDS = 2  # how often to look where no file-change notification can be had
DEBOUNCE_MS = 300  # an editor's save often comes as several changes


def digest(path: Path) -> str:
    """The file's sha256, or why it cannot be read (which differs from any digest)."""
    try:
        return hashlib.sha256(read_limited(path)).hexdigest()
    except (OSError, Unreadable) as error:
        return f"unreadable: {error}"


async def watch(
    folder: Path, stopping: asyncio.Event, changed: Callable[[], Awaitable[None]]
) -> bool:
    """Call `changed` after each change in `folder` (the register is often replaced by a
    rename, so the folder is watched, and the digest decides) until `stopping` is set. False
    if no notification can be had (the caller then checks every CHECK_SECONDS)."""
    from watchfiles import awatch  # only the daemon watches files

    try:
        async for _changes in awatch(
            folder,
            watch_filter=None,
            debounce=DEBOUNCE_MS,
            stop_event=stopping,
            recursive=False,
        ):
            await changed()
    except Exception as error:
        logger.warning(
            "cannot watch %s for changes (%s); checking the register every %d s instead",
            folder,
            error,
            CHECK_SECONDS,
        )
        return False
    return True
