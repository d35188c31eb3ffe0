"""HTML to PDF with WeasyPrint: the pages' own templates and print stylesheet, printed. Nothing
is fetched: the HTML carries its stylesheets inline, and any other resource is refused (an
address a note holds is text and a link, never a request)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any


def pdf_bytes(html: str, made_at: datetime) -> bytes:
    # The screen stylesheet's rules WeasyPrint does not support are expected: not worth a log line.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    # Imported here: WeasyPrint loads Pango (a system library); only a pack needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class Refuse(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"a pack fetches nothing ({url})")

    document = HTML(string=html, base_url="about:blank", url_fetcher=Refuse())
    rendered: Any = document.render()
    stamp = made_at.isoformat(timespec="seconds")
    rendered.metadata.created = rendered.metadata.modified = stamp
    data: bytes = rendered.write_pdf()
    return data
