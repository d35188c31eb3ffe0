"""Issue 16: X-Forwarded-For is believed only from the proxies configured (http.trusted_proxies).
A local client used to bypass the per-client sign-in limit by naming another address in it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support.processes import serving, write_serve_config
from tests.support.webapp import csrf_of

pytestmark = pytest.mark.process  # a real `notifier serve`


def ask_links(port: int, count: int) -> list[int]:
    """`count` sign-in requests from this one client, each naming another address in
    X-Forwarded-For, for another email address (so only the per-client limit applies)."""
    codes = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        for n in range(count):
            token = csrf_of(client.get("/sign-in").text)
            answer = client.post(
                "/sign-in",
                data={"csrf_token": token, "email": f"person{n}@example.com"},
                headers={"X-Forwarded-For": f"203.0.113.{n + 1}"},
            )
            codes.append(answer.status_code)
    return codes


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [("", [200, 200, 429]), ('trusted_proxies = ["127.0.0.1"]\n', [200, 200, 200])],
)
def test_x_forwarded_for_counts_only_from_a_trusted_proxy(
    tmp_path: Path, trusted: str, expected: list[int]
) -> None:
    config = write_serve_config(tmp_path, trusted + "[web]\nsign_in_per_client = 2\n")
    with serving(config) as served:
        assert ask_links(served.port, 3) == expected
