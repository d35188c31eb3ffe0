"""The pure core: register, law, periods, timeline, reminder policy and views.

Nothing here reads the clock, files, the network, the settings or the store (import-linter
contracts in pyproject.toml enforce it): every edge passes the time and the facts in.
"""
