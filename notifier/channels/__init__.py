"""Where reminders go: e-mail and the channels of the settings (Slack, Microsoft Teams, ntfy, a
signed JSON webhook), all by one delivery loop.

- `base.py`: what a channel is (render a digest, send it, raise DeliveryError);
- `delivery.py`: the loop (plan -> claim -> render -> send -> record), per channel and address;
- `health.py`: what a round tells about health, per channel;
- `reasons.py`: a delivery failure in one plain line (the server's code and text);
- `announce.py`: the watcher's findings told at once;
- `registry.py`: the channels of a round, and the kinds (adding one: a module plus its line);
- `email.py`, `slack.py`, `teams.py`, `ntfy.py`, `webhook.py`: the kinds; `chat.py`, `http.py`,
  `message.py`: what the chat and webhook kinds share.
"""
