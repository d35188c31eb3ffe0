"""HTML to PDF with WeasyPrint: the pages' own templates and print stylesheet, printed. Nothing
is fetched: the HTML carries its stylesheets inline, and any other resource is refused (an
address a note holds is text and a link, never a request).

A large pack comes as several HTML documents: they are printed side by side, one process per
core (WeasyPrint is pure Python, one core per document), and joined with pypdf."""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any


def pdf_bytes(parts: list[str], made_at: datetime) -> bytes:
    stamp = made_at.isoformat(timespec="seconds")
    if len(parts) == 1:
        return _print(parts[0], stamp)
    workers = max(1, min(len(parts), os.cpu_count() or 1))
    # spawn: a fresh interpreter per worker, never a fork of a threaded server process.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        printed = list(pool.map(_print, parts, [stamp] * len(parts)))
    return _join(printed)


def _print(html: str, stamp: str) -> bytes:
    # Imported here: WeasyPrint loads Pango (a system library); only a pack needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The screen stylesheet's rules WeasyPrint does not support are expected: not worth a log line.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    class Refuse(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"a pack fetches nothing ({url})")

    document = HTML(string=html, base_url="about:blank", url_fetcher=Refuse())
    rendered: Any = document.render()
    rendered.metadata.created = rendered.metadata.modified = stamp
    data: bytes = rendered.write_pdf()
    return data


def _join(printed: list[bytes]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in printed:
        writer.append(PdfReader(io.BytesIO(data)))
    first = PdfReader(io.BytesIO(printed[0])).metadata
    if first is not None:
        writer.add_metadata({key: str(value) for key, value in first.items()})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
