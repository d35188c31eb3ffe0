"""The channels of one round: e-mail, and one per `[channels.NAME]` of the settings.

Adding a kind of channel is one module (a class like notifier.channels.slack.Slack: how its
body looks) plus its registration: its class in KINDS below and its name in
notifier.settings.ChannelKind (so that `check` knows it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from notifier.channels.base import Channel
from notifier.channels.chat import Site
from notifier.channels.email import EMAIL, EmailChannel
from notifier.channels.message import pages_url
from notifier.channels.ntfy import Ntfy
from notifier.channels.slack import Slack
from notifier.channels.teams import Teams
from notifier.channels.webhook import SignedWebhook
from notifier.context import Context
from notifier.mail.render import Renderer
from notifier.mail.transport import Transport, transport_for
from notifier.settings import ChannelSettings

Factory = Callable[[str, ChannelSettings, Site], Channel]
KINDS: dict[str, Factory] = {
    "slack": Slack,
    "teams": Teams,
    "ntfy": Ntfy,
    "webhook": SignedWebhook,
}


class Channels:
    """Every channel of the settings for one round (or one daemon), by name; closed after."""

    def __init__(
        self,
        context: Context,
        clock: Callable[[], datetime],
        transport: Transport | None = None,
        renderer: Renderer | None = None,
    ) -> None:
        settings = context.settings
        self._own_transport = transport is None
        transport = transport or transport_for(settings.smtp, settings.outbox_dir)
        renderer = renderer or Renderer(settings.templates_dir)
        site = Site(context.register.organisation.name, pages_url(settings), clock)
        self._by_name: dict[str, Channel] = {
            EMAIL: EmailChannel(settings, context.register, transport, renderer)
        }
        for name, config in settings.channels.items():
            self._by_name[name] = KINDS[config.kind](name, config, site)

    def get(self, name: str) -> Channel | None:
        return self._by_name.get(name)

    def __iter__(self) -> Iterator[Channel]:
        return iter(self._by_name.values())

    @property
    def email(self) -> Channel:
        return self._by_name[EMAIL]

    async def close(self) -> None:
        """Close the HTTP clients, and the mail transport if these channels opened it."""
        for channel in self:
            if channel.name != EMAIL or self._own_transport:
                await channel.close()
