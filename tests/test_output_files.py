"""`output_files.replace_whole`: a derived file is replaced whole or not at all."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from notifier.output_files import replace_whole


def test_the_file_is_replaced_whole_in_a_folder_made_for_it(tmp_path: Path) -> None:
    path = tmp_path / "new" / "feed.ics"
    replace_whole(path, b"first")
    replace_whole(path, b"second", mode=0o644)
    assert path.read_bytes() == b"second"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in path.parent.iterdir()) == ["feed.ics"]


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "occupied"
    target.mkdir()  # a folder where the file should go: the rename fails
    (target / "inside").write_text("kept", encoding="utf-8")
    with pytest.raises(IsADirectoryError):
        replace_whole(target, b"new")
    assert (target / "inside").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["occupied"]
