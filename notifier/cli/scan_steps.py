"""What `notifier scan` and `notifier init` do, loaded only when one of them runs (issue 22:
the scan's rules and models cost the other commands at the prompt their start-up time)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from notifier.core.days import organisation_day
from notifier.core.scan import Answers, ModelAnswers, load_scan_rules, parse_answers, scan
from notifier.core.scan.answers import OrganisationAnswers
from notifier.core.scan.questions import (
    MODEL_QUESTIONS,
    MODIFIER_KEYS,
    ORGANISATION_QUESTIONS,
    Question,
    Value,
    read_answer,
)
from notifier.core.scan.starter import starter_register, starter_settings
from notifier.core.scan.views import scan_json, scan_table
from notifier.errors import InputError, Problem

MAX_MODELS = 50  # at the prompt: more belong in an answers file or a CSV inventory


def run_scan(args: argparse.Namespace, out: TextIO) -> int:
    answers = gather(args, out)
    outcomes = scan(answers, load_scan_rules())
    if args.format == "json":
        from notifier.cli.timeline_cmd import write_json

        write_json(scan_json(outcomes), out)
    else:
        out.write(scan_table(outcomes))
    return 0


def run_init(args: argparse.Namespace, out: TextIO) -> int:
    folder: Path = args.dir
    targets = [folder / "register.toml", folder / "notifier.toml"]
    existing = [str(t) for t in targets if t.exists()]
    if existing or (folder.exists() and not folder.is_dir()):
        raise InputError(
            [Problem(str(p), "already exists; init never overwrites: choose a new folder")
             for p in existing or [str(folder)]]
        )  # fmt: skip
    answers = gather(args, out)
    rules = load_scan_rules()
    outcomes = scan(answers, rules)
    today = organisation_day(args.now, _zone(answers.organisation.timezone))
    register = starter_register(answers, outcomes, rules, today)
    out.write(scan_table(outcomes))
    if register is None:
        out.write("None of these models brings duties the register tracks: no files written.\n")
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    for target, text in zip(targets, (register, starter_settings()), strict=True):
        with target.open("x", encoding="utf-8") as file:  # "x": never overwrite, even racing
            file.write(text)
    out.write(
        f"Wrote {targets[0]} and {targets[1]}. Settle the lines marked TO CHECK, then:\n"
        f"  cd {folder} && notifier check --config notifier.toml\n"
    )
    return 0


def _zone(written: str | None) -> str:
    import zoneinfo

    return written if written and written in zoneinfo.available_timezones() else "UTC"


def gather(args: argparse.Namespace, out: TextIO) -> Answers:
    """The answers: a file, imports, or both; else asked at the prompt."""
    imported: list[ModelAnswers] = []
    if args.from_model_card or args.from_csv:
        from notifier.inventory import read_csv_inventory, read_model_card

        imported += [read_model_card(path) for path in args.from_model_card]
        for path in args.from_csv:
            imported += read_csv_inventory(path)
    if args.answers is not None:
        answers = read_answers_file(args.answers)
    elif imported:
        answers = None
    else:
        return ask(sys.stdin, out)
    organisation = answers.organisation if answers else OrganisationAnswers()
    models = (*(answers.models if answers else ()), *imported)
    ids = [m.id for m in models]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise InputError(
            [Problem("--answers/--from-*", f"model ids given more than once: {', '.join(twice)}")]
        )
    source = str(args.answers) if args.answers else "imports"
    return Answers(organisation=organisation, models=models, source=source)


def read_answers_file(path: Path) -> Answers:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(str(path), "answers file not found")]) from None
    except OSError as error:
        raise InputError([Problem(str(path), f"cannot read: {error.strerror}")]) from None
    return parse_answers(data, str(path))


def ask(stream: TextIO, out: TextIO) -> Answers:
    """The questions at the prompt; a blank answer is 'not known'."""
    out.write(
        "Check your GPAI exposure. Blank means 'not known': the scan then shows the reading "
        "that triggers duties and what to find out.\n\n"
    )
    organisation = {
        q.key: v for q in ORGANISATION_QUESTIONS if (v := _ask(q, stream, out)) is not None
    }
    models: list[dict[str, Value]] = []
    while len(models) < MAX_MODELS:
        out.write(f"\nModel or system {len(models) + 1}\n")
        model: dict[str, Value] = {}
        for question in MODEL_QUESTIONS:
            if question.key in MODIFIER_KEYS and "base" not in model:
                continue
            value = _ask(question, stream, out, required=question.key == "id")
            if value is not None:
                model[question.key] = value
        models.append(model)
        more = _ask(Question("more", "Another model", "yes-no", ""), stream, out)
        if not more:
            break
    return Answers.model_validate(
        {"organisation": organisation, "models": models, "source": "prompt"}
    )


def _ask(question: Question, stream: TextIO, out: TextIO, *, required: bool = False) -> Value:
    choices = f" [{'/'.join(question.choices)}]" if question.choices else ""
    if question.kind == "yes-no":
        choices = " [yes/no]"
    for _ in range(5):  # bounded: a closed or hostile input stream cannot loop forever
        out.write(f"{question.prompt}{choices}: ")
        out.flush()
        line = stream.readline()
        if not line:
            raise InputError([Problem("prompt", "the input ended before the scan was answered")])
        try:
            value = read_answer(question, line)
        except ValueError as error:
            out.write(f"  {error}\n")
            continue
        if value is None and required:
            out.write("  an answer is needed\n")
            continue
        return value
    raise InputError([Problem("prompt", f"no usable answer to: {question.prompt}")])
