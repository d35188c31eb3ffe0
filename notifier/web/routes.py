"""Everything the serving commands add to the app for people: the pages (site.Web, including
/advice, the result of `notifier advise`), sign-in, the recording forms, the feed links and the
static files (CSS)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from notifier.web import actions, feed_links, oidc, pages, paperwork, scan_page, signin, tokens
from notifier.web.feed_links import FeedPath
from notifier.web.site import Web


def web_routes(web: Web, feed_path: FeedPath | None = None) -> list[BaseRoute]:
    return [
        *oidc.routes(web),
        *signin.routes(web),
        *scan_page.routes(web),
        *pages.routes(web),
        *actions.routes(web),
        *paperwork.routes(web),
        *feed_links.routes(web, feed_path),
        *tokens.routes(web),
        Mount("/static", StaticFiles(packages=[("notifier.web", "static")]), name="static"),
    ]
