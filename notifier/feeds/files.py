"""Feeds on disk: calendars/ holds one .ics file per audience, each replaced atomically (for a
static web server; `notifier serve` and `notifier run` serve the bytes kept in the store).

A file is rewritten only when its bytes change (temp file in the same folder, then rename), so
a calendar server or a static web server never sees half a file, and an unchanged feed keeps its
mtime. The store is updated before the files: a crash in between leaves files that the next build
sees differ and rewrites.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from notifier.errors import RuntimeFailure
from notifier.feeds.cache import FileStat
from notifier.feeds.feed import Feed, Listed, feed_stamp
from notifier.feeds.names import feed_url_path
from notifier.output_files import replace_whole
from notifier.store.engine import Store
from notifier.store.feeds import ensure_tokens, record_versions

logger = logging.getLogger(__name__)

FILE_MODE = 0o644  # feeds hold no secret (the token is in the URL, not the file)


@dataclass(frozen=True)
class Published:
    """One feed as written: where it is, the secret URL path it is served under, and whether
    this build changed it."""

    feed: Listed  # a Feed when this call built it
    path: Path
    token: str
    changed_at: datetime
    written: bool

    @property
    def url_path(self) -> str:
        return feed_url_path(self.token, self.feed.audience.filename)


# What was last written or checked: path -> ((inode, size, mtime_ns, ctime_ns), sha256 of the
# bytes). Kept in memory by a daemon, and on disk by the render cache (notifier.feeds.cache).
FileMemo = dict[str, tuple[FileStat, str]]


def publish(
    feeds: Sequence[Feed],
    directory: Path,
    store: Store,
    now: datetime,
    memo: FileMemo | None = None,
) -> list[Published]:
    """Record each feed's version, token and bytes in the store (whence every instance serves
    it), then write the files that changed.

    With a memo kept across calls (as a daemon does, or the render cache across processes), a
    file whose inode, size, mtime and ctime are as last seen is known without being read again.
    """
    stamp = feed_stamp(now)
    ensure_tokens(store, [feed.audience.key for feed in feeds], stamp)
    records = record_versions(
        store,
        {feed.audience.key: feed.digest for feed in feeds},
        stamp,
        bodies=_Bodies(feeds),
    )
    directory = directory.resolve()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        published = []
        for feed in feeds:
            record = records[feed.audience.key]
            assert record.changed_at is not None  # record_versions sets it for every feed
            path = directory / feed.audience.filename
            written = _write(path, feed, memo)
            published.append(Published(feed, path, record.token, record.changed_at, written))
        remove_stale(directory, {feed.audience.filename for feed in feeds})
    except OSError as error:
        raise RuntimeFailure(
            f"cannot write the feeds to {directory}: {error.strerror or error}; "
            "check that the folder (setting calendars_dir) is writable"
        ) from None
    return published


class _Bodies(Mapping[str, bytes]):
    """Each feed's bytes by audience, joined only when asked for: the store takes the bytes
    of the feeds that changed, and an unchanged feed is never joined (53 MB at 1,000 models)."""

    def __init__(self, feeds: Sequence[Feed]) -> None:
        self._feeds = {feed.audience.key: feed for feed in feeds}

    def __getitem__(self, audience: str) -> bytes:
        return self._feeds[audience].body

    def __iter__(self) -> Iterator[str]:
        return iter(self._feeds)

    def __len__(self) -> int:
        return len(self._feeds)


def _write(path: Path, feed: Feed, memo: FileMemo | None) -> bool:
    if memo is None:
        return write_if_changed(path, feed.body)
    name = str(path)
    try:
        if memo.get(name) == (_stat(path), feed.digest):
            return False
    except FileNotFoundError:
        pass
    written = write_if_changed(path, feed.body)
    memo[name] = (_stat(path), feed.digest)
    return written


def _stat(path: Path) -> FileStat:
    stat = path.stat()
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Replace the file atomically if its bytes differ; True if it was written."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    # A file torn by a power cut differs from the next build's bytes, so that build rewrites it.
    replace_whole(path, data, mode=FILE_MODE)
    logger.info("wrote %s (%d bytes)", path, len(data))
    return True


def remove_stale(directory: Path, keep: set[str]) -> list[Path]:
    """Remove feed files of audiences that are no longer in the register (a removed model)."""
    removed = []
    for name in sorted(entry.name for entry in os.scandir(directory)):
        if name not in keep and is_feed_name(name):
            path = directory / name
            path.unlink(missing_ok=True)
            removed.append(path)
            logger.info("removed %s: its audience is no longer in the register", path)
    return removed


def is_feed_name(name: str) -> bool:
    return name == "organisation.ics" or (
        name.endswith(".ics") and name.startswith(("model-", "person-"))
    )
