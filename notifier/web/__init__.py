"""The HTTP face: the app and /healthz (app), the JSON timeline behind a token (timeline_api),
and the pages people use (routes: site, pages, actions, signin, feed_links; templates/ and
static/ are package data)."""
