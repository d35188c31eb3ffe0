"""Writing a file whole: the one way this project replaces a file it derives (feeds, caches,
records). The bytes go to a temporary file in the same folder, renamed over the old one, so a
reader sees the old file or the new one, never a part; a failed write leaves no temporary behind.
No fsync: every file written here is derived, and the next run writes a torn one again."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["replace_whole"]


def replace_whole(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace `path` with `data` atomically (its folder created if missing); `mode` sets the new
    file's permissions (mkstemp's 0600 otherwise)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
