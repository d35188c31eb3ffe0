"""A note or a requester that starts like a formula ('=', '+', '-', '@', tab, CR) is text in the
pack's tables: the CSV cell starts with an apostrophe so a spreadsheet does not evaluate it
(OWASP, CSV injection), and the workbook stores it as a string. Read back with csv and openpyxl."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from notifier.documents.sheets import csv_bytes, workbook
from notifier.documents.tables import Table
from tests.documents.test_pack import AS_OF, MARKED, cli  # noqa: F401  (the fixture)
from tests.support.cli import RunCli

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://x")']
PLAIN = ["plain note", "2026-12-01", "a=b", ""]


def read_csv(data: bytes) -> list[list[str]]:
    with io.StringIO(data.decode("utf-8"), newline="") as handle:
        return list(csv.reader(handle))


def test_a_cell_that_starts_like_a_formula_is_text_in_the_csv_and_the_workbook() -> None:
    table = Table("notes", ("note", "count"), [(text, -3) for text in FORMULAS + PLAIN])
    rows = read_csv(csv_bytes(table))[1:]
    assert [row[0] for row in rows] == [f"'{t}" for t in FORMULAS] + PLAIN
    assert {row[1] for row in rows} == {"-3"}  # a number stays a number
    book = load_workbook(io.BytesIO(workbook([table], datetime(2026, 12, 7, tzinfo=UTC))))
    cells = [row[0] for row in book["notes"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == FORMULAS + [t or None for t in PLAIN]
    assert all(c.data_type == "s" for c in cells[: len(FORMULAS)])


def test_a_note_recorded_as_a_formula_is_text_in_the_pack(cli: RunCli, tmp_path: Path) -> None:  # noqa: F811
    note = '=HYPERLINK("https://evil.example.com","open")'
    done = cli("done", MARKED, "--on", "2026-12-02", "--note", note)
    assert done.code == 0, done.err
    out = tmp_path / "pack.zip"
    assert (
        cli("export", "pack", "--model", "titan-1", "--as-of", AS_OF, "--out", str(out)).code == 0
    )
    with zipfile.ZipFile(out) as archive:
        files = {Path(name).name: archive.read(name) for name in archive.namelist()}
    marks = [name for name in files if name.endswith(".csv") and "mark" in name]
    assert marks, sorted(files)
    cells = {cell for row in read_csv(files[marks[0]]) for cell in row}
    assert f"'{note}" in cells
    assert note not in cells
    book = load_workbook(io.BytesIO(files[f"evidence-pack-titan-1-{AS_OF}.xlsx"]))
    found = [c for row in book["done marks"].iter_rows() for c in row if c.value == note]
    assert found
    assert all(c.data_type == "s" for c in found)
