"""Everything the serving commands add to the app for people: the pages (site.Web, including
/advice, the result of `notifier advise`), sign-in, the recording forms, the feed links and the
static files (CSS)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from notifier.web import actions, feed_links, pages, paperwork, scan_page, signin, tokens
from notifier.web.feed_links import FeedPath
from notifier.web.site import Web


def web_routes(web: Web, feed_path: FeedPath | None = None) -> list[BaseRoute]:
    return [
        *single_sign_on(web),
        *signin.routes(web),
        *scan_page.routes(web),
        *pages.routes(web),
        *actions.routes(web),
        *paperwork.routes(web),
        *feed_links.routes(web, feed_path),
        *tokens.routes(web),
        Mount("/static", StaticFiles(packages=[("notifier.web", "static")]), name="static"),
    ]


def single_sign_on(web: Web) -> list[BaseRoute]:
    """The single sign-on routes when the settings turn it on (as `oidc.routes` decides); its
    libraries (Authlib, joserfc, cryptography) load only then (issue 22: the daemon's memory)."""
    if not web.current().settings.oidc.enabled:
        return []
    from notifier.web import oidc

    return oidc.routes(web)
