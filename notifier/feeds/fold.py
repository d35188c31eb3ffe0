"""Content-line folding for the feeds: the same bytes as icalendar's, in a fraction of the time.

icalendar folds by walking every character in Python, which was half the cost of rendering an
event. This gives byte-identical output (a test compares the two on every event): segments of
at most 74 octets, continuation lines led by one space, no character split across lines, and a
trailing backslash or caret carried to the next line (icalendar issue #1501: some clients mis-read
an escape split by a fold).
"""

from __future__ import annotations

from icalendar import Component

LIMIT = 75  # octets per line, excluding CRLF (RFC 5545 3.1); a segment holds LIMIT - 1
CARRIED = "\\^"


def fold(line: str) -> str:
    if line.isascii():
        if len(line) < LIMIT:
            return line
        return _fold_ascii(line)
    return _fold_unicode(line)


def _fold_ascii(line: str) -> str:
    segments = []
    start = 0
    while len(line) - start >= LIMIT:
        end = start + LIMIT - 1
        if end - start > 1 and line[end - 1] in CARRIED:
            end -= 1
        segments.append(line[start:end])
        start = end
    segments.append(line[start:])
    return "\r\n ".join(segments)


def _fold_unicode(line: str) -> str:
    segments: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width >= LIMIT:
            if len(current) > 1 and current[-1] in CARRIED:
                carried = current.pop()
                segments.append("".join(current))
                current, size = [carried], 1
            else:
                segments.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    if current:
        segments.append("".join(current))
    return "\r\n ".join(segments)


def serialize(component: Component) -> bytes:
    """`component.to_ical()`, folded here."""
    lines = component.content_lines()
    return ("\r\n".join(fold(line) for line in lines if line) + "\r\n").encode("utf-8")
