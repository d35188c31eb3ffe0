"""What a feed build rendered, kept on disk for the next process (setting cache_dir).

Rendering events with icalendar is most of a build; the daemon keeps its renders in memory, and
this file gives a new `notifier calendars` process the same: the bytes of each VEVENT and each
calendar head, and each feed's sha256, every entry under a key that is a digest of everything its
bytes depend on (an event: its item id, its text's content key, SEQUENCE, CREATED, LAST-MODIFIED
and the ORGANIZER; a head: the audience, its title and the settings it shows; a feed: its head's
and its events' keys). A key that matches is those bytes, so an entry is never stale; the file's
version is a digest of the rendering code and the icalendar version, so new code starts empty.
It also keeps, per feed file, the (inode, size, mtime, ctime) it had when its sha256 was known, so
an unchanged file is not read again.

One file, replaced whole (written to a temporary file, then renamed): a reader sees the old or the
new file, never half of one, and two writers at once each leave a complete file. A file that is
unreadable, of another version or fails its checksum is ignored and the next build rewrites it.
It is derived data, never the state store: deleting it only costs one slow build.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from notifier.output_files import replace_whole

logger = logging.getLogger(__name__)

FILE_NAME = "feed-renders.bin"
MAGIC = b"NOTIFIER-FEED-RENDERS 1\n"
_RECORD = struct.Struct(">B32sI")  # kind, key, payload length
_FILE = struct.Struct(">QQqq")  # inode, size, mtime_ns, ctime_ns (a feed file's payload prefix)
EVENT, HEAD, FEED, FILE = 1, 2, 3, 4
# The modules whose code shapes the bytes kept here: a change of any starts an empty cache.
_SOURCES = ("events.py", "fold.py", "render.py", "cache.py")

Key = bytes  # a sha256 digest
FileStat = tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns


def key_of(*parts: object) -> Key:
    """The digest of `parts` (strings, numbers, dates, None), each written out in full."""
    text = "\x1f".join(_NONE if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).digest()


def event_key(
    item_id: str,
    content_key: str,
    sequence: int,
    created: datetime,
    last_modified: datetime,
    organizer: str | None,
) -> Key:
    """Everything a VEVENT's bytes depend on: the item's id (its UID), the digest of all its
    text (summary, date, status, description, categories, url), its stored state and the
    ORGANIZER (address and name) when the feeds carry one."""
    # key_of("event", item_id, ...), written out: a build computes one per event.
    text = (
        f"event\x1f{item_id}\x1f{content_key}\x1f{sequence}\x1f{_iso(created)}\x1f"
        f"{_iso(last_modified)}\x1f{_NONE if organizer is None else organizer}"
    )
    return hashlib.sha256(text.encode("utf-8")).digest()


_NONE = "\x00"  # how key_of writes None


@functools.lru_cache(maxsize=1024)
def _iso(moment: datetime) -> str:
    """Most events share the stamp of the build that made or last changed them."""
    return str(moment)


def code_version() -> str:
    """A digest of the rendering code and of the icalendar library it calls."""
    digest = hashlib.sha256(MAGIC + version("icalendar").encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


@dataclass
class RenderCache:
    """The entries of one file, and the ones a build used (which the next file keeps)."""

    path: Path | None
    version: str
    events: dict[Key, bytes] = field(default_factory=dict)
    heads: dict[Key, bytes] = field(default_factory=dict)
    feeds: dict[Key, tuple[str, int]] = field(default_factory=dict)  # sha256 hex, length
    files: dict[str, tuple[FileStat, str]] = field(default_factory=dict)  # path: stat, sha256
    changed: bool = False  # entries were added or dropped since the file was read

    @classmethod
    def open(cls, directory: Path | None) -> RenderCache:
        """The cache kept in `directory` (None: in memory only), empty if there is none yet or
        it cannot be used."""
        path = directory / FILE_NAME if directory is not None else None
        cache = cls(path, code_version())
        if path is not None:
            try:
                cache._read(path.read_bytes())
            except FileNotFoundError:
                pass
            except (OSError, ValueError, struct.error) as error:
                logger.info("feed render cache %s not used (%s); it is rebuilt", path, error)
                cache.events, cache.heads, cache.feeds, cache.files = {}, {}, {}, {}
        return cache

    def _read(self, data: bytes) -> None:
        head = MAGIC + self.version.encode() + b"\n"
        if not data.startswith(head):
            raise ValueError("another version")
        end = len(data) - 4
        if end < len(head) or zlib.crc32(data[:end]) != int.from_bytes(data[end:], "big"):
            raise ValueError("checksum mismatch")
        offset = len(head)
        while offset < end:
            kind, key, length = _RECORD.unpack_from(data, offset)
            offset += _RECORD.size
            payload = data[offset : offset + length]
            offset += length
            if len(payload) != length:
                raise ValueError("truncated")
            if kind == EVENT:
                self.events[key] = payload
            elif kind == HEAD:
                self.heads[key] = payload
            elif kind == FEED:
                self.feeds[key] = (payload[4:].decode("ascii"), int.from_bytes(payload[:4], "big"))
            elif kind == FILE:
                stat = _FILE.unpack_from(payload)
                digest, name = payload[_FILE.size : _FILE.size + 64], payload[_FILE.size + 64 :]
                self.files[name.decode("utf-8")] = (stat, digest.decode("ascii"))
            else:
                raise ValueError(f"unknown record kind {kind}")

    def keep(
        self,
        events: Mapping[Key, bytes],
        heads: Mapping[Key, bytes],
        feeds: Mapping[Key, tuple[str, int]],
    ) -> None:
        """Make these a build's renders: the next file holds exactly them. (`files`, the memo
        of the feed files, is kept up to date by whoever writes them.)"""
        if (
            events.keys() != self.events.keys()
            or heads.keys() != self.heads.keys()
            or feeds.keys() != self.feeds.keys()
        ):
            self.changed = True
        self.events, self.heads, self.feeds = dict(events), dict(heads), dict(feeds)

    def keep_files(self, files: Mapping[str, tuple[FileStat, str]]) -> None:
        """The memo of the feed files after a build wrote or checked them."""
        if files != self.files:
            self.changed = True
            self.files = dict(files)

    def save(self) -> None:
        """Write the file whole if anything changed; a folder that cannot be written only means
        the next process renders again."""
        if self.path is None or not self.changed:
            return
        chunks = [MAGIC, self.version.encode(), b"\n"]
        for kind, entries in ((EVENT, self.events), (HEAD, self.heads)):
            for key, payload in entries.items():
                chunks += [_RECORD.pack(kind, key, len(payload)), payload]
        for key, (digest, length) in self.feeds.items():
            payload = length.to_bytes(4, "big") + digest.encode("ascii")
            chunks += [_RECORD.pack(FEED, key, len(payload)), payload]
        for name, (stat, digest) in self.files.items():
            payload = _FILE.pack(*stat) + digest.encode("ascii") + name.encode("utf-8")
            chunks += [_RECORD.pack(FILE, bytes(32), len(payload)), payload]
        data = b"".join(chunks)
        try:
            _replace(self.path, data + zlib.crc32(data).to_bytes(4, "big"))
        except OSError as error:
            logger.warning("feed render cache not written to %s: %s", self.path, error)
            return
        self.changed = False


def _replace(path: Path, data: bytes) -> None:
    replace_whole(path, data)
