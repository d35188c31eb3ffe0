"""A real OpenID provider for the tests (npm `oidc-provider`, run by node on loopback by
tests/support/oidc_provider.mjs), and a user agent that walks its pages like a browser."""

from __future__ import annotations

import json
import select
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from tests.support.processes import free_port
from tests.support.registers import REPO

SCRIPT = REPO / "tests" / "support" / "oidc_provider.mjs"
CLIENT_ID = "notifier"
CLIENT_SECRET = "a-test-client-secret-of-some-length"
ACCOUNTS = {
    "ana": {"email": "Legal@Example.com", "email_verified": True, "name": "Ana Martin"},
    "bruno": {"email": "bruno.keller@example.com", "email_verified": True, "name": "Bruno"},
    "unverified": {"email": "legal@example.com", "email_verified": False, "name": "Not Ana"},
    "entra": {"email": "dara.okafor@example.com", "xms_edov": True, "name": "Dara (Entra)"},
    "stranger": {"email": "someone@example.org", "email_verified": True, "name": "Stranger"},
}
MAX_HOPS = 20
START_SECONDS = 60  # node and oidc-provider start in about a second, slower on a busy machine


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen[str]

    def use_account(self, sub: str) -> None:
        httpx.post(f"{self.issuer}/test/account", params={"sub": sub}).raise_for_status()

    def tamper(self, mode: str = "") -> None:
        httpx.post(f"{self.issuer}/test/tamper", params={"mode": mode}).raise_for_status()

    def settings(self, **more: Any) -> dict[str, Any]:
        """The [oidc] section that points a notifier at this provider."""
        return {
            "issuer": self.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            **more,
        }


def client_config(redirect_bases: list[str]) -> dict[str, Any]:
    return {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{b}/sign-in/oidc/callback" for b in redirect_bases],
        "post_logout_redirect_uris": [f"{b}/sign-in?signed-out" for b in redirect_bases],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
    }


@contextmanager
def oidc_provider(redirect_bases: list[str], account: str = "ana") -> Iterator[Provider]:
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "oidc-provider").exists():
        pytest.fail("node or node_modules/oidc-provider is missing: run `make browser` (npm ci)")
    port = free_port()
    config = {"clients": [client_config(redirect_bases)], "accounts": ACCOUNTS, "account": account}
    process = subprocess.Popen(
        [node, str(SCRIPT), str(port), json.dumps(config)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert process.stdout is not None
        # Bounded: a provider that neither starts nor dies fails the test within the minute.
        ready, _, _ = select.select([process.stdout], [], [], START_SECONDS)
        assert ready, f"the test provider printed nothing in {START_SECONDS} s"
        line = process.stdout.readline()  # "listening <issuer>", or "" if node died
        assert line.startswith("listening "), f"the test provider did not start: {line!r}"
        yield Provider(line.split()[1], process)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def walk_to_callback(agent: httpx.Client, url: str, callback_prefix: str) -> str:
    """Follow the provider's redirects (login, consent) as a browser does, until it sends the
    browser back to `callback_prefix`; that URL (with code and state) is returned."""
    for _ in range(MAX_HOPS):
        if url.startswith(callback_prefix):
            return url
        answer = agent.get(url)
        assert answer.status_code in (302, 303), (answer.status_code, answer.text[:500])
        url = urljoin(url, answer.headers["location"])
    raise AssertionError("the provider never redirected back")
