"""`notifier serve` (HTTP only, no daemon) serves the pages too: a real process on loopback,
whose mailed sign-in link signs in."""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.support.processes import free_port, wait_for
from tests.support.workspace import Workspace

pytestmark = pytest.mark.process


@pytest.fixture
def served(workspace: Workspace) -> Iterator[tuple[Workspace, int]]:
    port = free_port()
    log = (workspace.root / "serve.log").open("wb")
    process = subprocess.Popen(
        [*workspace.command("serve", "--port", str(port))],
        cwd=workspace.root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: _answers(port) or process.poll() is not None, "notifier serve")
        assert process.poll() is None, (workspace.root / "serve.log").read_text()
        yield workspace, port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
            return True
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def test_notifier_serve_serves_the_sign_in_page_and_its_link_signs_in(
    served: tuple[Workspace, int],
) -> None:
    workspace, port = served
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with browser.open(f"{base}/sign-in", timeout=10) as answer:
        page = answer.read().decode()
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert 'name="email"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    form = urllib.parse.urlencode({"csrf_token": token.group(1), "email": "legal@example.com"})
    with browser.open(f"{base}/sign-in", data=form.encode(), timeout=10) as answer:
        assert "Check your email" in answer.read().decode()

    def mailed() -> list[Path]:
        return sorted(workspace.outbox.glob("*sign-in*.eml"))

    wait_for(mailed, "the sign-in mail")
    message = message_from_bytes(mailed()[0].read_bytes(), policy=policy.default)
    body = message.get_body(("plain",))
    assert body is not None
    link = re.search(r"(http://\S+/sign-in/link\?token=\S+)", body.get_content())
    assert link is not None
    assert link.group(1).startswith(f"{base}/sign-in/link?token=")  # the port served
    path = link.group(1).split("/", 3)[3]
    with browser.open(f"{base}/{path}", timeout=10) as answer:
        confirm = answer.read().decode()
    fields = {
        "csrf_token": re.findall(r'name="csrf_token" value="([^"]+)"', confirm)[0],
        "token": re.findall(r'name="token" value="([^"]+)"', confirm)[0],
    }
    data = urllib.parse.urlencode(fields).encode()
    with browser.open(f"{base}/sign-in/link", data=data, timeout=10) as answer:
        overview = answer.read().decode()  # the redirect to / is followed
    assert "Signed in as Ana Martin" in overview
    assert "<h1>Example AI SAS</h1>" in overview
