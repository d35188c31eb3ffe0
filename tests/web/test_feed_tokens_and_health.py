"""Tokens (rotation, caching), new file versions, /healthz and the app's extension points."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from notifier.cli.serving import http_app
from notifier.store.feeds import rotate_token

from .conftest import NOW, Site


def test_rotation_makes_the_old_url_404_and_the_new_one_work(
    client: TestClient, site: Site
) -> None:
    old = site.published["person:legal"].url_path
    assert client.get(old).status_code == 200
    record = rotate_token(site.store, "person:legal", NOW, "test")
    assert client.get(old).status_code == 404
    assert client.get(f"/feeds/{record.token}/person-legal.ics").status_code == 200
    assert client.get(site.published["organisation"].url_path).status_code == 200


def test_a_running_server_sees_a_rotation_once_its_token_cache_expires(site: Site) -> None:
    ticks = [100.0]
    app = http_app(site.calendars, site.store, token_cache_seconds=5, monotonic=lambda: ticks[0])
    old = site.published["person:legal"].url_path
    with TestClient(app) as client:
        assert client.get(old).status_code == 200
        rotate_token(site.store, "person:legal", NOW, "test")
        ticks[0] += 4.9
        assert client.get(old).status_code == 200  # still cached
        ticks[0] += 0.1
        assert client.get(old).status_code == 404


def test_a_rebuilt_feed_is_served_with_a_new_etag_and_a_later_last_modified(
    client: TestClient, site: Site
) -> None:
    url = site.published["model:nimbus-2"].url_path
    first = client.get(url)
    later = NOW + timedelta(hours=3)
    site.publish(site.text.replace("2026-03-16", "2026-04-20"), now=later)
    second = client.get(url, headers={"if-none-match": first.headers["etag"]})
    assert second.status_code == 200
    assert second.headers["etag"] != first.headers["etag"]
    assert parsedate_to_datetime(second.headers["last-modified"]) == later
    assert second.content == site.published["model:nimbus-2"].path.read_bytes()


def test_last_modified_never_moves_backwards_even_if_the_clock_does(
    client: TestClient, site: Site
) -> None:
    url = site.published["model:nimbus-2"].url_path
    site.publish(site.text.replace("2026-03-16", "2026-04-20"), now=NOW + timedelta(hours=3))
    ahead = parsedate_to_datetime(client.get(url).headers["last-modified"])
    site.publish(site.text, now=NOW - timedelta(days=1))
    back = client.get(url)
    assert back.content == site.published["model:nimbus-2"].path.read_bytes()
    assert parsedate_to_datetime(back.headers["last-modified"]) == ahead


def test_a_feed_whose_file_is_gone_answers_404(client: TestClient, site: Site) -> None:
    feed = site.published["model:atlas-7b"]
    feed.path.unlink()
    assert client.get(feed.url_path).status_code == 404


def test_healthz_reports_ok_and_the_fields_a_daemon_adds(site: Site) -> None:
    app = http_app(
        site.calendars,
        site.store,
        token_cache_seconds=0,
        health=lambda: {"scheduler": "running", "last_dispatch": None},
    )
    with TestClient(app) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "feeds": len(site.published),
        "scheduler": "running",
        "last_dispatch": None,
    }
    assert response.headers["cache-control"] == "no-store"


def test_a_daemon_can_add_routes_beside_the_feeds(site: Site) -> None:
    async def timeline_json(request: Request) -> PlainTextResponse:
        return PlainTextResponse("{}", media_type="application/json")

    app = http_app(site.calendars, site.store, routes=[Route("/timeline.json", timeline_json)])
    with TestClient(app) as client:
        assert client.get("/timeline.json").text == "{}"
        assert client.get(site.published["organisation"].url_path).status_code == 200
