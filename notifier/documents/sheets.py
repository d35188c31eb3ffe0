"""The pack's tables as bytes: one XLSX workbook (a sheet per table) and one CSV file per table.
Cells are written as text or integers (never formulas: a note starting with '=' stays text).

A spreadsheet opening a CSV file evaluates a cell that starts with '=', '+', '-', '@', a tab or
a carriage return as a formula (CSV injection, OWASP): such a text cell is written with a leading
apostrophe, which spreadsheets take as "text" and do not show. Numbers are written as numbers."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from notifier.documents.tables import Cell, Table


def workbook(tables: list[Table], made_at: datetime) -> bytes:
    """Write-only mode: rows stream out, so 1,000 models' tables stay cheap."""
    book = Workbook(write_only=True)
    # The file's own metadata carries the pack's instant, not the machine's clock.
    book.properties.created = book.properties.modified = made_at.replace(tzinfo=None)
    book.properties.creator = "notifier"
    for table in tables:
        sheet = book.create_sheet(table.name)
        sheet.append(list(table.headers))
        for row in table.rows:
            sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(sheet: WriteOnlyWorksheet, value: Cell) -> object:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = TYPE_STRING  # never a formula, whatever the text starts with
        return cell
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Cell) -> str | int:
    """A cell as the CSV writes it: text that a spreadsheet would evaluate is quoted with "'"."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([csv_cell(value) for value in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8")
