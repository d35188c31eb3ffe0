"""A feed build whose inputs did not change is not done again (issue 22).

Every feed is a pure function of its inputs: the code (every file of the notifier package, with
the rules and the Code of Practice data it holds, icalendar's and Python's versions), the
settings (all of them but the database's address, whose store is compared below), the register,
the timeline options (done marks, events, findings, business-day calendars: what the store held
when the context was loaded), the day evaluated and the folder written. They are hashed
together (`inputs_of`). After a successful build, `remember` writes a record to
`cache_dir/feed-build.json` (replaced whole): that digest, the store's feed state as the build
left it (notifier.store.feeds.build_state: each feed's current version, a summary of the events'
SEQUENCE and stamps, the digest of what people were last shown), and each feed's listing and
file facts (sha256, size, inode, mtime and ctime).

`unchanged` lists the feeds from that record, computing no timeline, only when all of this
holds; any doubt means a build:
- the record reads back whole, in this format, for the same inputs digest and folder;
- the store still names each recorded version as its feed's current one, and no other feed
  has one (another instance on the store built something else meanwhile);
- the events' stored state is as the build left it (no build advanced them since);
- when the caller also records what moved (issue 23), the build did too and the shown
  snapshot is the one it left;
- every recorded file is in the folder with the recorded inode, size, mtime and ctime (an edit,
  a replacement, a `touch` all change the ctime), a file with whole-second stamps (a file
  system whose coarse stamps could hide an edit in the same second) is read and hashed, and no
  other feed file is there (a build would remove it).
The tokens (secret URLs) are read from the store each time: a rotation changes no file, only
the listing, which then shows the new URL.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from importlib.metadata import version
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from notifier.feeds.feed import Listed, warn_over_limit
from notifier.feeds.files import FileMemo, Published, is_feed_name
from notifier.feeds.names import audience_filename, audiences
from notifier.output_files import replace_whole
from notifier.store.feeds import BuildState, build_state

if TYPE_CHECKING:
    from notifier.context import Context

logger = logging.getLogger(__name__)

RECORD_NAME = "feed-build.json"
FORMAT = "notifier-feed-build 1"
_SECOND = 1_000_000_000  # nanoseconds


@dataclass(frozen=True)
class Inputs:
    """What a build is asked for: the digest of everything it reads, the folder it writes, and
    whether what moved is detected first (`notifier calendars` without --as-of)."""

    digest: str
    directory: Path
    moves: bool


@dataclass(frozen=True)
class _Entry:
    audience: str
    digest: str
    events: int
    dropped: int
    over_limit: bool
    size: int
    stat: tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns


@dataclass(frozen=True)
class _Record:
    inputs: str
    directory: str
    moves: bool
    events: tuple[str, ...]
    shown: str | None
    feeds: tuple[_Entry, ...]


class _Uncanonical(TypeError):
    """A value the digest cannot write out the same way in every process."""


def inputs_of(
    context: Context,
    now: datetime,
    *,
    as_of: date | datetime | None,
    out: Path | None,
    moves: bool,
) -> Inputs | None:
    """The digest of everything a build as of `as_of` (default: the day of `now`) reads; None
    if some input cannot be written out (then every call builds)."""
    settings = context.settings
    directory = (out or settings.calendars_dir).resolve()
    digest = hashlib.sha256()
    try:
        parts: list[object] = [
            FORMAT,
            code_version(),
            settings.model_dump_json(exclude={"database_url", "database_owner_url"}),
            context.register.source,
            context.register.model_dump_json(),
            context.rules.model_dump_json(),
            context.options,
            repr(as_of),
            context.day(now),
            str(directory),
        ]
        for part in parts:
            digest.update(canonical(part).encode("utf-8", "surrogatepass"))
            digest.update(b"\x1e")
    except _Uncanonical as error:
        logger.info("feed build inputs not hashed (%s): every build is done", error)
        return None
    return Inputs(digest.hexdigest(), directory, moves)


@cache
def code_version() -> str:
    """A digest of every file of the notifier package (code, rules, Code of Practice data,
    templates) and of the versions of Python and icalendar."""
    import notifier

    root = Path(notifier.__file__).parent
    digest = hashlib.sha256(f"{sys.version}\x1f{version('icalendar')}".encode())
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(folder, name)
            digest.update(f"\x1e{path.relative_to(root).as_posix()}\x1f".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def canonical(value: object) -> str:
    """`value` written out in full and in one order whatever the process (sets and mappings
    sorted), so that equal values give equal text; _Uncanonical for a type it does not know."""
    if value is None or isinstance(value, bool | int | float | str | bytes | Decimal):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, date | time | timedelta | PurePath | enum.Enum):
        return f"{type(value).__name__}:{value!r}"  # datetime included, with its tzinfo
    if isinstance(value, BaseModel):
        return f"{type(value).__qualname__}{canonical(value.model_dump())}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
        inner = ",".join(f"{name}={canonical(field)}" for name, field in fields)
        return f"{type(value).__qualname__}({inner})"
    if isinstance(value, Mapping):
        pairs = sorted(f"{canonical(k)}:{canonical(v)}" for k, v in value.items())
        return "{" + ",".join(pairs) + "}"
    if isinstance(value, set | frozenset):
        return "set{" + ",".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    raise _Uncanonical(f"{type(value).__qualname__} is not a plain value")


def unchanged(context: Context, inputs: Inputs) -> list[Published] | None:
    """The feeds of the last build, listed as that build listed them (none written), if a
    build now would make exactly them (see the module's text); None: build."""
    record = _read(context.settings.cache_dir)
    if record is None or record.inputs != inputs.digest:
        return None
    if record.directory != str(inputs.directory) or (inputs.moves and not record.moves):
        return None
    state = build_state(context.store)
    if not _same_state(record, state, moves=inputs.moves):
        return None
    by_key = {audience.key: audience for audience in audiences(context.register)}
    if list(by_key) != [entry.audience for entry in record.feeds]:
        return None
    if not _same_files(inputs.directory, record.feeds):
        return None
    published = []
    for entry in record.feeds:
        feed = Listed(
            by_key[entry.audience],
            entry.digest,
            entry.events,
            entry.dropped,
            entry.over_limit,
            entry.size,
        )
        stored = state.records[entry.audience]
        assert stored.changed_at is not None  # set with its content hash
        path = inputs.directory / feed.audience.filename
        published.append(Published(feed, path, stored.token, stored.changed_at, written=False))
    logger.info(
        "the feeds' inputs are as the last build left them: %d listed, none built", len(published)
    )
    max_bytes = context.settings.feeds.max_bytes
    for listed in published:
        if listed.feed.over_limit:
            warn_over_limit(listed.feed.audience.filename, listed.feed.size, max_bytes)
    return published


def _same_state(record: _Record, state: BuildState, *, moves: bool) -> bool:
    current = {a: r.content_hash for a, r in state.records.items() if r.content_hash is not None}
    if current != {entry.audience: entry.digest for entry in record.feeds}:
        return False
    if state.events != record.events:
        return False
    return not moves or state.shown == record.shown


def _same_files(directory: Path, entries: Sequence[_Entry]) -> bool:
    wanted = {audience_filename(entry.audience): entry for entry in entries}
    try:
        present = {e.name for e in os.scandir(directory) if is_feed_name(e.name)}
        if present != wanted.keys():
            return False
        for name, entry in wanted.items():
            path = directory / name
            stat = path.stat()
            facts = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
            if facts != entry.stat or stat.st_size != entry.size:
                return False
            coarse = stat.st_mtime_ns % _SECOND == 0 or stat.st_ctime_ns % _SECOND == 0
            if coarse and hashlib.sha256(path.read_bytes()).hexdigest() != entry.digest:
                return False
    except OSError:
        return False
    return True


def remember(
    context: Context, inputs: Inputs, published: Sequence[Published], files: FileMemo
) -> None:
    """Record a successful build of `inputs` (see the module's text). Nothing is recorded if
    another build changed the store's versions meanwhile or a file's facts are not known; a
    record that cannot be written only means the next call builds."""
    state = build_state(context.store)
    entries = []
    for p in published:
        known = files.get(str(p.path))
        record = state.records.get(p.feed.audience.key)
        if known is None or known[1] != p.feed.digest:
            return
        if record is None or record.content_hash != p.feed.digest:
            return  # another build recorded another version since
        feed = p.feed
        entries.append(
            _Entry(
                feed.audience.key,
                feed.digest,
                feed.events,
                feed.dropped,
                feed.over_limit,
                feed.size,
                known[0],
            )
        )
    made = _Record(
        inputs.digest,
        str(inputs.directory),
        inputs.moves,
        state.events,
        state.shown,
        tuple(entries),
    )
    if not _same_state(made, state, moves=False):
        return  # a feed not built here has a current version: another instance's
    _write(context.settings.cache_dir, made)


def forget(cache_dir: Path) -> None:
    """Drop the record (before a build: a build that fails half-way leaves none)."""
    try:
        (cache_dir / RECORD_NAME).unlink(missing_ok=True)
    except OSError as error:
        logger.warning("feed build record %s not removed: %s", cache_dir / RECORD_NAME, error)


def _write(cache_dir: Path, record: _Record) -> None:
    data = json.dumps(
        {
            "format": FORMAT,
            "inputs": record.inputs,
            "directory": record.directory,
            "moves": record.moves,
            "events": list(record.events),
            "shown": record.shown,
            "feeds": [
                [e.audience, e.digest, e.events, e.dropped, e.over_limit, e.size, list(e.stat)]
                for e in record.feeds
            ],
        },
        separators=(",", ":"),
    ).encode("utf-8")
    path = cache_dir / RECORD_NAME
    try:
        replace_whole(path, data)
    except OSError as error:
        logger.warning("feed build record not written to %s: %s", path, error)


def _read(cache_dir: Path) -> _Record | None:
    path = cache_dir / RECORD_NAME
    try:
        raw: Any = json.loads(path.read_bytes())
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            return None
        return _Record(
            _text(raw["inputs"]),
            _text(raw["directory"]),
            raw["moves"] is True,
            tuple(_text(v) for v in raw["events"]),
            None if raw["shown"] is None else _text(raw["shown"]),
            tuple(_entry(item) for item in raw["feeds"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
        logger.info("feed build record %s not used (%s)", path, error)
        return None


def _entry(item: Any) -> _Entry:
    audience, digest, events, dropped, over, size, stat = item
    numbers = (events, dropped, size, *stat)
    if not all(type(n) is int for n in numbers) or type(over) is not bool or len(stat) != 4:
        raise ValueError("a feed entry of another shape")
    inode, length, modified, changed = stat
    facts = (inode, length, modified, changed)
    return _Entry(_text(audience), _text(digest), events, dropped, over, size, facts)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("a text field of another type")
    return value
