"""The HTTP face: the app, /healthz, the JSON timeline behind a token (and the web pages)."""
