"""`/feeds/{token}/{filename}`: the calendar feeds over HTTP, 200/304/404 with HEAD and gzip.

A pure ASGI app in front of everything else, composed by the command that serves HTTP: every
subscribed calendar polls its feed, so a feed request touches nothing but this module. Feeds are
read from calendars/, never rebuilt per request: each file version's body, its gzip form,
validators and complete reply headers (the server's own headers, such as the security headers,
included) are computed once, when the file's (inode, size, mtime) changes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from email.utils import parsedate_to_datetime

from starlette.types import ASGIApp, Receive, Scope, Send

from notifier.feeds.index import FeedIndex, FeedVersion

logger = logging.getLogger(__name__)

Headers = Sequence[tuple[bytes, bytes]]
NOT_FOUND = b"Not Found"  # the same bytes as Starlette's own 404, so no path tells more
NOT_FOUND_HEADERS = [
    (b"content-length", str(len(NOT_FOUND)).encode()),
    (b"content-type", b"text/plain; charset=utf-8"),
]
NOT_ALLOWED = b"Method Not Allowed"
NOT_ALLOWED_HEADERS = [
    (b"allow", b"GET, HEAD"),
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"content-length", str(len(NOT_ALLOWED)).encode()),
]
FAILED = b"Internal Server Error"
FAILED_HEADERS = [
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"content-length", str(len(FAILED)).encode()),
]
_CONDITIONS = (b"accept-encoding", b"if-none-match", b"if-modified-since")


class FeedRoute:
    """`/feeds/{token}/{filename}`: 200, 304 or 404, with HEAD and gzip; the rest passes on.

    `extra`: headers every reply of the server carries (the security headers), added here since
    feed replies do not pass through the app that adds them elsewhere. A defect here answers 500,
    with them too.
    """

    def __init__(self, app: ASGIApp, index: FeedIndex, extra: Headers = ()) -> None:
        self.app = app
        self.index = index
        self.not_found = [*NOT_FOUND_HEADERS, *extra]
        self.not_allowed = [*NOT_ALLOWED_HEADERS, *extra]
        self.failed = [*FAILED_HEADERS, *extra]
        self._gzip: dict[bytes, bool] = {}  # Accept-Encoding values seen: clients send a few

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/feeds/"):
            await self.app(scope, receive, send)
            return
        try:
            status, headers, body = await self._reply(scope)
        except Exception:
            logger.exception("feed request failed: %s", scope["path"].rsplit("/", 1)[-1])
            status, headers, body = 500, self.failed, FAILED
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )

    def known(
        self, method: str, raw_path: bytes, headers: Sequence[tuple[bytes, bytes]]
    ) -> tuple[bytes, bytes, bytes] | None:
        """A 200 or 304 answer known without waiting for anything (see FeedIndex.known): its
        status line, its header lines and its body (empty for HEAD and 304), as sent. None:
        answer through the app. For an HTTP server that writes them directly (web.guard)."""
        if method not in ("GET", "HEAD") or not raw_path.startswith(b"/feeds/"):
            return None
        if b"%" in raw_path:
            return None
        segments = raw_path.decode("ascii", "replace").split("/")
        if len(segments) != 4:
            return None
        version = self.index.known(segments[2], segments[3])
        if version is None:
            return None
        accept, if_none_match, if_modified_since = _conditions(headers)
        gzip = self._gzip.get(accept)
        if gzip is None:
            return None  # the app's path learns this Accept-Encoding first
        if not_modified(version, if_none_match, if_modified_since):
            return (*version.lines[304, gzip], b"")
        body = b"" if method == "HEAD" else version.gzipped if gzip else version.body
        return (*version.lines[200, gzip], body)

    async def _reply(self, scope: Scope) -> tuple[int, Headers, bytes]:
        if scope["method"] not in ("GET", "HEAD"):  # before the token check: it reveals nothing
            return 405, self.not_allowed, NOT_ALLOWED
        version = None
        segments = _segments(scope)
        if segments is not None and len(segments) == 4:
            version = await self.index.version(segments[2], segments[3])
        if version is None:
            return 404, self.not_found, NOT_FOUND
        accept, if_none_match, if_modified_since = _conditions(scope["headers"])
        gzip = self._gzip.get(accept)
        if gzip is None:
            gzip = accepts_gzip(accept)
            if len(self._gzip) < 256:
                self._gzip[accept] = gzip
        if not_modified(version, if_none_match, if_modified_since):
            return 304, version.gzip_not_modified if gzip else version.not_modified, b""
        if gzip:
            return 200, version.gzip_headers, version.gzipped
        return 200, version.headers, version.body


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


def _conditions(headers: Sequence[tuple[bytes, bytes]]) -> tuple[bytes, bytes | None, bytes | None]:
    """Accept-Encoding (empty if absent), If-None-Match and If-Modified-Since; of a header sent
    twice, the last."""
    found: dict[bytes, bytes] = {}
    for name, value in headers:
        lowered = name.lower()
        if lowered in _CONDITIONS:
            found[lowered] = value
    return (
        found.get(b"accept-encoding", b""),
        found.get(b"if-none-match"),
        found.get(b"if-modified-since"),
    )


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


def not_modified(
    version: FeedVersion, if_none_match: bytes | None, if_modified_since: bytes | None
) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present; else If-Modified-Since."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix(b"W/") for tag in if_none_match.split(b",")}
        return b"*" in tags or bool(tags & {version.etag, version.gzip_etag})
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since.decode("latin-1"))
    except (TypeError, ValueError, IndexError):
        return False  # an invalid date is ignored (RFC 9110 13.1.3)
    if since.tzinfo is None:
        return False
    return version.last_modified <= since
