"""One POST to a chat service or a webhook receiver, and what its answer means for the ledger.

2xx: delivered. 429, 408, 425 and 5xx, a time-out, no connection: the receiver cannot take
anything now, so the channel is left for this round (DeliveryError with `connection`) and the
next round retries. Any other answer (a 3xx, a 4xx: a wrong URL, a revoked webhook, a payload
refused): permanent, recorded and never retried. The error says the status, never the URL
(a Slack or Teams webhook address is a secret).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from notifier.errors import DeliveryError

if TYPE_CHECKING:  # httpx (and the rich console its command line pulls in) loads when used
    import httpx

RETRIED = {408, 425, 429}


def client(timeout_seconds: float) -> httpx.AsyncClient:
    """The HTTP client of one channel for one round: no redirects followed (a moved webhook is
    a configuration to fix), no environment proxies unless set for this process."""
    import httpx

    return httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False)


async def post(
    http: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    import httpx

    try:
        response = await http.post(url, content=body, headers=headers)
    except httpx.TimeoutException:
        raise DeliveryError("no answer in time", permanent=False, connection=True) from None
    except httpx.HTTPError as error:
        reason = type(error).__name__
        raise DeliveryError(
            f"cannot be reached ({reason})", permanent=False, connection=True
        ) from None
    status = response.status_code
    if 200 <= status < 300:
        return response
    if status in RETRIED or status >= 500:
        raise DeliveryError(
            f"answered HTTP {status}; retried at the next round", permanent=False, connection=True
        )
    raise DeliveryError(
        f"answered HTTP {status}: refused for good (check the channel's settings)", permanent=True
    )
