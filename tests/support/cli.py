"""Running the real command line in this process, and what it answers."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from io import StringIO
from typing import NamedTuple

from notifier.cli import main


class CliResult(NamedTuple):
    """Exit code, standard output and standard error of one command (unpacks as a tuple)."""

    code: int
    out: str
    err: str


RunCli = Callable[..., CliResult]


def run_main(*argv: str) -> CliResult:
    """`notifier ARGV` through `main`, with stdout and stderr captured."""
    out, err = StringIO(), StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv), out=out)
    return CliResult(code, out.getvalue(), err.getvalue())


def argv(command: str, *more: str) -> list[str]:
    """A command line written as one string, split on spaces, then `more` words kept whole
    (paths, which may hold spaces): argv("timeline --format json", "--register", path)."""
    return [*command.split(), *more]
