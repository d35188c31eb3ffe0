"""`python -m notifier`: the command line."""

from notifier.cli import run

run()
