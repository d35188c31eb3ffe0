"""`/feeds/{token}/{filename}`: the calendar feeds over HTTP, 200/304/404 with HEAD and gzip.

A pure ASGI middleware in front of the app's router, composed by the command that serves HTTP.
Feeds are read from calendars/, never rebuilt per request: each file version's body, its gzip
form, validators and headers are computed once, when the file's (inode, size, mtime) changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from starlette.types import ASGIApp, Receive, Scope, Send

from notifier.feeds.index import FeedIndex, FeedVersion

NOT_FOUND = b"Not Found"  # the same bytes as Starlette's own 404, so no path tells more
NOT_FOUND_HEADERS = [
    (b"content-length", str(len(NOT_FOUND)).encode()),
    (b"content-type", b"text/plain; charset=utf-8"),
]
NOT_ALLOWED_HEADERS = [
    (b"allow", b"GET, HEAD"),
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"content-length", b"18"),
]


class FeedRoute:
    """`/feeds/{token}/{filename}`: 200, 304 or 404, with HEAD and gzip; the rest passes on.

    A pure ASGI middleware in front of Starlette's router: feeds are polled by every subscribed
    client, and skipping the router, Request and Response objects on this one path gives about
    1.5 times the requests per second (benchmarks/feeds.py).
    """

    def __init__(self, app: ASGIApp, index: FeedIndex) -> None:
        self.app = app
        self.index = index

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"] if scope["type"] == "http" else ""
        if not path.startswith("/feeds/"):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method not in ("GET", "HEAD"):  # before the token check: it reveals nothing
            await _respond(send, 405, NOT_ALLOWED_HEADERS, b"Method Not Allowed", method)
            return
        version = None
        segments = _segments(scope)
        if segments is not None and len(segments) == 4:
            version = await self.index.version(segments[2], segments[3])
        if version is None:
            await _respond(send, 404, NOT_FOUND_HEADERS, NOT_FOUND, method)
            return
        headers = _headers(scope)
        gzip = accepts_gzip(headers.get(b"accept-encoding", b""))
        if not_modified(version, headers):
            reply = version.gzip_not_modified if gzip else version.not_modified
            await _respond(send, 304, reply, b"", method)
        elif gzip:
            await _respond(send, 200, version.gzip_headers, version.gzipped, method)
        else:
            await _respond(send, 200, version.headers, version.body, method)


def _segments(scope: Scope) -> list[str] | None:
    """The path's segments as sent, or None if any was percent-encoded.

    Routing on the raw path keeps an encoded slash (%2F) or dot from forming a new segment;
    no token or feed name needs escaping, so anything escaped is simply not a feed.
    """
    raw: bytes | None = scope.get("raw_path")
    if raw is None:
        raw = scope["path"].encode("utf-8")
    if b"%" in raw:
        return None
    return raw.decode("ascii", "replace").split("/")


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {name.lower(): value for name, value in scope["headers"]}


async def _respond(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, method: str
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})


def accepts_gzip(accept_encoding: bytes) -> bool:
    """Whether Accept-Encoding allows gzip (RFC 9110 12.5.3: q=0 means 'not acceptable')."""
    weights: dict[str, float] = {}
    for part in accept_encoding.decode("latin-1").lower().split(","):
        coding, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[coding.strip()] = weight
    for coding in ("gzip", "x-gzip", "*"):
        if coding in weights:
            return weights[coding] > 0
    return False


def not_modified(version: FeedVersion, headers: Mapping[bytes, bytes]) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present; else If-Modified-Since."""
    if_none_match = headers.get(b"if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
        return b"*" in tags or bool(tags & {version.etag, version.gzip_etag})
    if_modified_since = headers.get(b"if-modified-since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since.decode("latin-1"))
    except (TypeError, ValueError, IndexError):
        return False  # an invalid date is ignored (RFC 9110 13.1.3)
    if since.tzinfo is None:
        return False
    return version.last_modified <= since
