"""Reading a file a person names (the register, the settings): only a regular file, and only up
to a size. `/dev/zero` would be read until memory runs out, and a FIFO would wait for a writer
for ever; both are refused at once, as is a file larger than any register or settings file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_BYTES = 32 * 1024 * 1024  # far above a register of 10,000 models (benchmarks: about 4 MB)


class Unreadable(Exception):
    """Why the file is refused, in words for a problem message."""


def read_limited(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes; Unreadable if it is not a regular file or is larger than `limit`.
    FileNotFoundError and other OSErrors pass through for the caller's own message."""
    # O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"not a regular file ({_kind(info.st_mode)}); give a file's path")
        if info.st_size > limit:
            raise Unreadable(f"{info.st_size:,} bytes, more than the {limit:,} allowed")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
        if len(data) > limit:  # grew while being read
            raise Unreadable(f"more than the {limit:,} bytes allowed")
        return data
    finally:
        os.close(descriptor)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"
