"""Models from a CSV inventory: one row per model, one column per answers-file key (`id`
required). Each value is read as the scan's questions read it and marked as imported from its
file and line; an empty cell is not known. A bad file is bad input naming the line and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import ValidationError

from notifier.core.scan.answers import ModelAnswers
from notifier.core.scan.questions import MODEL_FIELDS, read_answer
from notifier.errors import InputError, Problem

MAX_ROWS = 10_000


def read_csv_inventory(path: Path) -> list[ModelAnswers]:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(source, "CSV inventory not found")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(source, f"cannot read the CSV inventory: {error}")]) from None
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    problems: list[Problem] = []
    unknown = [c for c in columns if c not in MODEL_FIELDS]
    if unknown or "id" not in columns:
        message = (
            f"unknown columns {unknown}; the columns are answers-file keys: "
            f"{', '.join(MODEL_FIELDS)}"
            if unknown
            else "an 'id' column is needed"
        )
        raise InputError([Problem(source, message, 1)])
    models: list[ModelAnswers] = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            problems.append(Problem(source, f"more than {MAX_ROWS} rows", number))
            break
        values: dict[str, object] = {}
        imported: dict[str, str] = {}
        for column, cell in row.items():
            if column is None or column not in MODEL_FIELDS:
                problems.append(Problem(source, "more cells than columns", number))
                continue
            try:
                value = read_answer(MODEL_FIELDS[column], cell or "")
            except ValueError as error:
                problems.append(Problem(source, f"column '{column}': {error}", number))
                continue
            if value is not None:
                values[column] = value
                if column != "id":
                    imported[column] = f"{path.name} line {number}"
        if "id" not in values:
            problems.append(Problem(source, "the 'id' cell is empty", number))
            continue
        try:
            models.append(ModelAnswers.model_validate({**values, "imported": imported}))
        except ValidationError as error:
            for detail in error.errors():
                problems.append(Problem(source, f"{detail['loc']}: {detail['msg']}", number))
    if problems:
        raise InputError(problems)
    return models
