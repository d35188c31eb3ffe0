"""Which secret token opens which feed, and each feed version ready to send.

The store says which token belongs to which audience, which version (content hash) of its feed
is current and when it changed, and holds the feed's bytes: every instance serving one store
answers with the same bytes, ETag and Last-Modified, whichever instance built them. The index
keeps the records in memory and reloads them at most every `max_age` seconds. A store whose
bytes were never kept (built before they were) falls back to the file in calendars/ when its
hash is the recorded one. The file name a URL asks for is only looked up in this map; no path
from a request ever reaches the file system.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cached_property
from pathlib import Path

import anyio
import anyio.to_thread

from notifier.feeds.names import audience_filename
from notifier.store.engine import Store
from notifier.store.feeds import FeedRecord, feed_body, feed_records

_NO_TOKEN = b"\x00" * 43  # compared against when the file is unknown, so timing stays the same
_VersionKey = tuple[str, datetime | None]  # content hash, changed_at
Headers = Sequence[tuple[bytes, bytes]]


@dataclass(frozen=True)
class FeedVersion:
    """One version of one feed file: bodies, validators and the headers of each reply."""

    body: bytes
    gzipped: bytes
    etag: bytes
    gzip_etag: bytes
    last_modified: datetime
    headers: Headers
    gzip_headers: Headers
    not_modified: Headers
    gzip_not_modified: Headers

    @cached_property
    def lines(self) -> dict[tuple[int, bool], tuple[bytes, bytes]]:
        """Each reply's status line and header lines as sent (HTTP/1.1), by (status, gzip), for
        a server that writes a known reply without the ASGI round trip."""
        replies = {
            (200, False): self.headers,
            (200, True): self.gzip_headers,
            (304, False): self.not_modified,
            (304, True): self.gzip_not_modified,
        }
        status = {200: b"HTTP/1.1 200 OK\r\n", 304: b"HTTP/1.1 304 Not Modified\r\n"}
        return {
            key: (status[key[0]], b"".join(b"%s: %s\r\n" % pair for pair in headers))
            for key, headers in replies.items()
        }

    @classmethod
    def of(cls, body: bytes, last_modified: datetime, extra: Headers = ()) -> FeedVersion:
        """The version's replies, each with `extra` headers added (those every response of the
        server carries: composed once here, not per request)."""
        digest = hashlib.sha256(body).hexdigest()
        etag = f'"{digest}"'.encode()
        gzip_etag = f'"{digest}-gz"'.encode()
        gzipped = gzip.compress(body, compresslevel=9, mtime=0)  # mtime=0: same bytes each time
        moment = last_modified.astimezone(UTC)
        validators = [
            (b"last-modified", format_datetime(moment, usegmt=True).encode("ascii")),
            (b"cache-control", b"private"),
            (b"vary", b"accept-encoding"),
        ]
        calendar = (b"content-type", b"text/calendar; charset=utf-8")
        return cls(
            body=body,
            gzipped=gzipped,
            etag=etag,
            gzip_etag=gzip_etag,
            last_modified=moment,
            headers=[
                calendar,
                (b"etag", etag),
                *validators,
                (b"content-length", str(len(body)).encode()),
                *extra,
            ],
            gzip_headers=[
                calendar,
                (b"etag", gzip_etag),
                *validators,
                (b"content-encoding", b"gzip"),
                (b"content-length", str(len(gzipped)).encode()),
                *extra,
            ],
            not_modified=[(b"etag", etag), *validators, *extra],
            gzip_not_modified=[(b"etag", gzip_etag), *validators, *extra],
        )


class FeedIndex:
    def __init__(
        self,
        store: Store,
        directory: Path,
        max_age: float,
        monotonic: Callable[[], float],
        extra: Headers = (),
    ) -> None:
        self.store = store
        self.extra = tuple(extra)  # headers every reply carries (see FeedVersion.of)
        self.directory = directory.resolve()
        self.max_age = max_age
        self.monotonic = monotonic
        self._by_file: dict[str, FeedRecord] = {}
        self._loaded_at: float | None = None
        self._versions: dict[str, tuple[_VersionKey, FeedVersion]] = {}
        self._last_modified: dict[str, datetime] = {}  # per file; never moves backwards

    async def count(self) -> int:
        await self._refresh()
        return len(self._by_file)

    async def version(self, token: str, filename: str) -> FeedVersion | None:
        """The feed's current version if the token opens it; None for anything else."""
        await self._refresh()
        for attempt in (1, 2):
            record = self._match(token, filename)
            if record is None or record.content_hash is None:
                return None
            key = (record.content_hash, record.changed_at)
            cached = self._versions.get(filename)
            if cached is not None and cached[0] == key:
                return cached[1]
            loaded = await anyio.to_thread.run_sync(self._load, filename, record)
            if loaded is not None:
                self._versions[filename] = (key, loaded)
                return loaded
            if attempt == 1:
                await self._reload()  # a build replaced that version meanwhile
        return None

    def known(self, token: str, filename: str) -> FeedVersion | None:
        """The feed's version if it is known now without reading the store: the records are
        fresh, the token opens the feed, and its current version is the one loaded. None means
        "ask `version`", never "not found"."""
        if self._stale():
            return None
        record = self._match(token, filename)
        if record is None or record.content_hash is None:
            return None
        cached = self._versions.get(filename)
        if cached is None or cached[0] != (record.content_hash, record.changed_at):
            return None
        return cached[1]

    def _match(self, token: str, filename: str) -> FeedRecord | None:
        """The file's record if `token` is its token, compared in constant time."""
        record = self._by_file.get(filename)
        expected = record.token.encode() if record is not None else _NO_TOKEN
        if hmac.compare_digest(expected, token.encode("utf-8", "replace")):
            return record
        return None

    def expire(self) -> None:
        """Read the records again at the next request: a build in another process (the
        daemon's child) has just published, and this process's server must answer for it at
        once, not after `max_age`."""
        self._loaded_at = None

    def _stale(self) -> bool:
        return self._loaded_at is None or self.monotonic() - self._loaded_at >= self.max_age

    async def _refresh(self) -> None:
        if self._stale():
            await self._reload()

    async def _reload(self) -> None:
        records = await anyio.to_thread.run_sync(feed_records, self.store)
        self._by_file = {audience_filename(r.audience): r for r in records.values()}
        self._loaded_at = self.monotonic()

    def _load(self, filename: str, record: FeedRecord) -> FeedVersion | None:
        assert record.content_hash is not None
        body = feed_body(self.store, record.audience, record.content_hash)
        if body is None:
            body = self._file_with_hash(filename, record.content_hash)
        if body is None:
            return None
        assert record.changed_at is not None  # set together with content_hash
        modified = record.changed_at.astimezone(UTC).replace(microsecond=0)
        previous = self._last_modified.get(filename)
        if previous is not None and previous > modified:
            modified = previous
        self._last_modified[filename] = modified
        return FeedVersion.of(body, modified, self.extra)

    def _file_with_hash(self, filename: str, content_hash: str) -> bytes | None:
        """The file in calendars/, if it is the recorded version (a store from before feed
        bytes were kept, until the next build keeps them)."""
        try:
            body = (self.directory / filename).read_bytes()
        except OSError:
            return None
        return body if hashlib.sha256(body).hexdigest() == content_hash else None
