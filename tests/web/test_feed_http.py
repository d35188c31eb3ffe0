"""GET /feeds/<token>/<name>.ics: 200 with strong validators, 304, HEAD, gzip, and 404s."""

from __future__ import annotations

import gzip
import hashlib
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime

from starlette.testclient import TestClient

from .conftest import NOW, Site

IDENTITY = {"accept-encoding": "identity"}  # the client asks for gzip unless told otherwise


def test_a_feed_url_answers_200_with_the_file_bytes_and_strong_validators(
    client: TestClient, site: Site
) -> None:
    feed = site.published["model:atlas-7b"]
    response = client.get(feed.url_path, headers=IDENTITY)
    assert response.status_code == 200
    assert response.content == feed.path.read_bytes()
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["etag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert parsedate_to_datetime(response.headers["last-modified"]) == NOW
    assert response.headers["cache-control"] == "private"
    assert response.headers["vary"].lower() == "accept-encoding"
    assert "content-encoding" not in response.headers


def test_if_none_match_answers_304_repeating_both_validators(
    client: TestClient, site: Site
) -> None:
    url = site.published["organisation"].url_path
    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["last-modified"] == first.headers["last-modified"]


def test_if_none_match_accepts_lists_weak_tags_and_star(client: TestClient, site: Site) -> None:
    url = site.published["organisation"].url_path
    etag = client.get(url).headers["etag"]
    for header in (f'"nope", {etag}', f"W/{etag}", "*"):
        assert client.get(url, headers={"if-none-match": header}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


def test_if_modified_since_answers_304_unless_the_feed_is_newer(
    client: TestClient, site: Site
) -> None:
    url = site.published["organisation"].url_path
    modified = client.get(url).headers["last-modified"]
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    earlier = format_datetime(NOW - timedelta(seconds=1), usegmt=True)
    assert client.get(url, headers={"if-modified-since": earlier}).status_code == 200
    assert client.get(url, headers={"if-modified-since": "yesterday"}).status_code == 200


def test_if_none_match_decides_over_if_modified_since(client: TestClient, site: Site) -> None:
    url = site.published["organisation"].url_path
    modified = client.get(url).headers["last-modified"]
    headers = {"if-none-match": '"other"', "if-modified-since": modified}
    assert client.get(url, headers=headers).status_code == 200


def test_head_gives_the_headers_without_the_body(client: TestClient, site: Site) -> None:
    url = site.published["organisation"].url_path
    get, head = client.get(url, headers=IDENTITY), client.head(url, headers=IDENTITY)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["etag"] == get.headers["etag"]


def test_gzip_when_asked_with_its_own_etag(client: TestClient, site: Site) -> None:
    url = site.published["organisation"].url_path
    plain = client.get(url, headers={"accept-encoding": "identity"})
    zipped = client.get(url, headers={"accept-encoding": "gzip, deflate"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == plain.content  # the client inflated it
    assert zipped.headers["etag"] == plain.headers["etag"][:-1] + '-gz"'
    assert int(zipped.headers["content-length"]) < len(plain.content) / 3
    not_modified = client.get(
        url, headers={"accept-encoding": "gzip", "if-none-match": zipped.headers["etag"]}
    )
    assert not_modified.status_code == 304
    assert not_modified.headers["etag"] == zipped.headers["etag"]


def test_the_gzip_body_is_the_same_bytes_every_time(client: TestClient, site: Site) -> None:
    url = site.published["organisation"].url_path
    raw = []
    for _ in range(2):
        with client.stream("GET", url, headers={"accept-encoding": "gzip"}) as response:
            raw.append(b"".join(response.iter_raw()))
    assert raw[0] == raw[1]
    assert gzip.decompress(raw[0]) == site.published["organisation"].path.read_bytes()


def test_gzip_refused_with_q_zero_gives_identity(client: TestClient, site: Site) -> None:
    url = site.published["organisation"].url_path
    response = client.get(url, headers={"accept-encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in response.headers


def test_an_unknown_token_and_an_unknown_feed_give_the_same_404(
    client: TestClient, site: Site
) -> None:
    feed = site.published["model:atlas-7b"]
    token = feed.url_path.split("/")[2]
    other = site.published["model:atlas-13b"].url_path.split("/")[2]
    answers = [
        client.get(f"/feeds/{'A' * len(token)}/model-atlas-7b.ics"),
        client.get(f"/feeds/{token}/model-nope.ics"),
        client.get(f"/feeds/{other}/model-atlas-7b.ics"),  # another feed's token
        client.get(f"/feeds/{token}/model-atlas-7b.ics/extra"),
        client.get(f"/feeds/{token}"),
        client.get("/nothing-here"),
    ]
    for answer in answers:
        assert answer.status_code == 404
        assert answer.content == b"Not Found"
        assert answer.headers["content-type"] == "text/plain; charset=utf-8"


def test_traversal_and_encoded_slashes_give_404(client: TestClient, site: Site) -> None:
    token = site.published["organisation"].url_path.split("/")[2]
    (site.calendars.parent / "secret.ics").write_text("BEGIN:VCALENDAR")
    (site.calendars / "stray.ics").write_text("BEGIN:VCALENDAR")
    for path in (
        f"/feeds/{token}/..%2Fsecret.ics",
        f"/feeds/{token}/%2e%2e%2fsecret.ics",
        f"/feeds/{token}/..%2F..%2F..%2Fetc%2Fpasswd",
        f"/feeds/{token}%2Forganisation.ics",
        f"/feeds/{token}/stray.ics",
        f"/feeds/{token}/notifier.db",
        f"/feeds/{token}/%2Fetc%2Fpasswd",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.content == b"Not Found"


def test_other_methods_are_refused_before_any_token_check(client: TestClient, site: Site) -> None:
    good = client.post(site.published["organisation"].url_path)
    bad = client.post("/feeds/wrong/organisation.ics")
    assert good.status_code == bad.status_code == 405
    assert good.headers["allow"] == bad.headers["allow"] == "GET, HEAD"
