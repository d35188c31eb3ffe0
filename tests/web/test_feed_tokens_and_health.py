"""Tokens (rotation, caching), new file versions, /healthz and the app's extension points."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

from sqlalchemy import delete
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from notifier.cli.serving import http_app
from notifier.store.feeds import rotate_token
from notifier.store.schema import feed_bodies

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


def test_the_feed_of_a_model_removed_from_the_register_answers_404(
    client: TestClient, site: Site
) -> None:
    """Feeds are served from the bytes kept in the store: a removed model's go with it (its
    file in calendars/ is removed too)."""
    gone = site.published["model:support-bot"]
    assert client.get(gone.url_path).status_code == 200
    text = site.text
    site.publish(text[: text.index("# Built on two upstream")], now=NOW + timedelta(hours=1))
    assert client.get(gone.url_path).status_code == 404
    assert not gone.path.exists()
    assert client.get(site.published["organisation"].url_path).status_code == 200


def test_an_instance_without_the_files_serves_the_same_bytes_etag_and_last_modified(
    site: Site, tmp_path: Path
) -> None:
    """A second instance (another machine: no calendars/ of its own) serves what the first
    built, from the store: subscribers see one feed whichever instance answers."""
    url = site.published["model:atlas-7b"].url_path
    elsewhere = http_app(tmp_path / "another-machine", site.store, token_cache_seconds=0)
    with TestClient(site_app(site)) as here, TestClient(elsewhere) as there:
        mine, theirs = here.get(url), there.get(url)
        zipped = there.get(url, headers={"accept-encoding": "gzip"})
    assert theirs.status_code == 200
    assert theirs.content == mine.content == site.published["model:atlas-7b"].path.read_bytes()
    assert theirs.headers["etag"] == mine.headers["etag"]
    assert theirs.headers["last-modified"] == mine.headers["last-modified"]
    assert zipped.headers["etag"] == here_gzip_etag(site, url)
    assert not (tmp_path / "another-machine").exists()


def test_a_store_without_feed_bytes_serves_the_file_whose_hash_it_recorded(site: Site) -> None:
    """A store upgraded from before feed bytes were kept has hashes but no bytes: the file in
    calendars/ is served while it is the version recorded, until the next build keeps them."""
    feed = site.published["model:atlas-7b"]
    recorded = feed.path.read_bytes()
    with site.store.engine.begin() as connection:
        connection.execute(delete(feed_bodies))
    with TestClient(site_app(site)) as client:
        assert client.get(feed.url_path).content == recorded
    feed.path.write_bytes(recorded.replace(b"Atlas", b"Other"))
    with TestClient(site_app(site)) as client:
        assert client.get(feed.url_path).status_code == 404  # not the recorded version
    site.publish(now=NOW + timedelta(hours=1))
    with TestClient(site_app(site)) as client:
        assert client.get(feed.url_path).content == recorded


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


def site_app(site: Site) -> Starlette:
    return http_app(site.calendars, site.store, token_cache_seconds=0)


def here_gzip_etag(site: Site, url: str) -> str:
    with TestClient(site_app(site)) as client:
        return client.get(url, headers={"accept-encoding": "gzip"}).headers["etag"]
