"""Reading a watched source: an HTTP page with a conditional GET, or a local file.

Every way of failing (refused connection, time-out, an answer other than 200 or 304, a body
that does not decode, a missing file) raises FetchError: the caller records it, and a failure
is never mistaken for a change.
"""

from __future__ import annotations

import asyncio
import codecs
from pathlib import Path

import httpx

from notifier.errors import FetchError
from notifier.settings import WatchSource
from notifier.store.watch import Observation, SourceState
from notifier.watch.normalise import (
    HTML_MEDIA_TYPES,
    HTML_SUFFIXES,
    content_hash,
    looks_like_html,
    normalise,
)

MAX_BYTES = 20_000_000  # far above any Code of Practice page; guards the daemon's memory


async def observe(
    client: httpx.AsyncClient, source: WatchSource, state: SourceState | None
) -> Observation:
    """The source's current content hash (and validators); FetchError if it cannot be read."""
    if source.path is not None:
        return await _read_file(source, source.path)
    known = state is not None and state.validates(source.kind, source.location)
    return await _get(client, source, state if known else None)


async def _get(
    client: httpx.AsyncClient, source: WatchSource, known: SourceState | None
) -> Observation:
    """GET, sending back the validators of the content we hold (only then can a 304 mean it)."""
    assert source.url is not None
    headers = {}
    if known is not None:
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
    try:
        async with client.stream("GET", source.url, headers=headers) as response:
            if response.status_code == 304 and known is not None and headers:
                assert known.content_hash is not None
                return Observation(
                    known.content_hash,
                    response.headers.get("etag", known.etag),
                    response.headers.get("last-modified", known.last_modified),
                )
            if response.status_code != 200:
                raise _failed(source, f"the server answered {_status(response)}")
            body = await _body(response, source)
    except httpx.TimeoutException as error:
        raise _failed(source, f"no answer in time ({type(error).__name__})") from error
    except httpx.HTTPError as error:
        raise _failed(source, f"{type(error).__name__}: {error}") from error
    text = _decode(body, response.charset_encoding or "utf-8", source)
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    html = media_type in HTML_MEDIA_TYPES or (
        media_type in ("", "application/octet-stream") and looks_like_html(text)
    )
    return Observation(
        _hash(text, html, source),
        response.headers.get("etag"),
        response.headers.get("last-modified"),
    )


async def _body(response: httpx.Response, source: WatchSource) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise _failed(source, f"the page is larger than {MAX_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _status(response: httpx.Response) -> str:
    return f"{response.status_code} {response.reason_phrase}".strip()


async def _read_file(source: WatchSource, path: Path) -> Observation:
    try:
        body = await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        raise _failed(source, f"cannot read the file: {error.strerror or error}") from error
    text = _decode(body, "utf-8", source)
    return Observation(_hash(text, path.suffix.lower() in HTML_SUFFIXES, source))


def _decode(body: bytes, encoding: str, source: WatchSource) -> str:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise _failed(source, f"unknown character encoding '{encoding}'") from None
    try:
        # A byte-order mark is not content.
        return body.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as error:
        raise _failed(source, f"the content is not valid {codec} (byte {error.start})") from None


def _hash(text: str, html: bool, source: WatchSource) -> str:
    normalised = normalise(text, html=html)
    if not normalised:
        # An empty page is an outage or a placeholder, not a revision of the Code.
        raise _failed(source, "no text left once markup is removed (an empty page)")
    return content_hash(normalised)


def _failed(source: WatchSource, reason: str) -> FetchError:
    return FetchError(source.name, source.location, reason)
