"""Who calls the API: a personal bearer token (store/tokens.py), live, of a person the register
still lists, within the rate limit, and of the scope the operation needs. Each refusal is a
problem document: 401 (no token, unknown, expired or revoked), 403 (a read token writing),
429 (too many requests: per token, and per client for failed tokens)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from notifier.api.problems import problem
from notifier.app.tokens import TokenRecord
from notifier.app.tokens import presented as presented_token
from notifier.context import Context
from notifier.web.session import RateLimiter, Viewer, viewer_of

MINUTE = timedelta(minutes=1)
CHALLENGE = {"www-authenticate": 'Bearer realm="notifier"'}


@dataclass(frozen=True)
class Caller:
    token: TokenRecord
    viewer: Viewer

    @property
    def actor(self) -> str:
        """How the audit log names an API write: the person and the token's name."""
        return f"api:{self.token.person} ({self.token.name})"


class Gate:
    def __init__(self, per_minute: int, failed_per_minute: int) -> None:
        self.per_token = RateLimiter(per_minute, MINUTE)
        # Unknown tokens from one client: guessing 256 bits is hopeless, but the store is not
        # asked without end.
        self.failed = RateLimiter(failed_per_minute, MINUTE)

    async def admit(
        self, request: Request, context: Context, now: datetime, scope: str
    ) -> Caller | Response:
        client = request.client.host if request.client else "unknown"
        header = request.headers.get("authorization", "")
        kind, _, given = header.partition(" ")
        record = None
        if kind.lower() == "bearer" and given.strip():
            record = await asyncio.to_thread(presented_token, context, given.strip(), now)
        if record is None:
            if not self.failed.allow(client, now):
                return problem(429, "Too many failed tokens from here.", headers=_retry())
            return problem(
                401,
                "Send a live personal token as 'Authorization: Bearer <token>' (made with "
                "`notifier token create` or on the /tokens page); this one is missing, "
                "unknown, expired or revoked.",
                headers=CHALLENGE,
            )
        viewer = viewer_of(context.register, record.person)
        if viewer is None:
            return problem(
                401, "The register no longer lists this token's person.", headers=CHALLENGE
            )
        if not self.per_token.allow(f"token:{record.id}", now):
            return problem(429, "Too many requests with this token.", headers=_retry())
        if scope == "write" and record.scope != "write":
            return problem(403, "This token may only read; nothing was recorded.")
        return Caller(record, viewer)


def _retry() -> dict[str, str]:
    return {"retry-after": str(int(MINUTE.total_seconds()))}
