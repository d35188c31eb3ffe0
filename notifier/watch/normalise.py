"""What counts as "the content" of a watched page: its readable text, without markup noise.

A page whose scripts, styles, attributes, comments or layout whitespace change, but whose text
does not, is the same page: hashing the raw bytes would report a revision every time a site
rotates a tracking script or a cache-busting URL. Pure functions, no I/O.
"""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser

# Their content is not text a reader sees (not <head>: HTML lets a page omit its end tag).
_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg"})
# Tags that separate words when rendered; inline tags (a, b, span, em...) do not, so that
# wrapping a word in <b> is not a change while "one</p><p>two" does not become "onetwo".
_BREAKING = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "option", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr",
        "ul", "body", "html",
    }
)  # fmt: skip
HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities are unescaped as text arrives
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden_depth += 1
        elif tag in _BREAKING:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKING:  # <br/>: no content, so never opens a hidden region
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BREAKING:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)


def collapse_whitespace(text: str) -> str:
    """Every run of whitespace (Unicode's, so no-break spaces too) becomes one space."""
    return " ".join(text.split())


def html_text(markup: str) -> str:
    """The text a reader sees: hidden elements, tags, comments and attributes dropped,
    character references unescaped, whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return collapse_whitespace("".join(extractor.parts))


def normalise(text: str, *, html: bool) -> str:
    return html_text(text) if html else collapse_whitespace(text)


def looks_like_html(text: str) -> bool:
    """For a server that names no media type: does the body start like an HTML document?"""
    start = text.lstrip("\ufeff \t\r\n")[:100].lower()
    return start.startswith(("<!doctype html", "<html", "<?xml"))


def content_hash(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
