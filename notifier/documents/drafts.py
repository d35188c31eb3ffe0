"""Drafts of the documents the dates ask for, as Markdown and DOCX (python-docx) so legal teams
can edit them: the structure and its filling are core/drafts; this module reads the records,
renders, and is the one function the command line and the pages call."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from notifier.context import Context
from notifier.core.drafts import BLANK, Draft, Field, draft
from notifier.core.timeline import timeline
from notifier.documents.records import unknown_model
from notifier.store.events import load_events

Format = Literal["md", "docx"]
FORMATS: tuple[Format, ...] = ("md", "docx")
DISCLAIMER = (
    "A draft made by notifier from the register, the recorded events and the timeline. Not "
    f"legal advice. Every {BLANK} is for the provider to fill; every field cites the text that "
    "asks for it."
)


@dataclass(frozen=True)
class MadeDraft:
    file_name: str
    data: bytes
    draft: Draft


def make_draft(
    context: Context, now: datetime, kind: str, model_id: str, as_of: date, fmt: Format
) -> MadeDraft:
    if model_id not in {m.id for m in context.register.models}:
        raise unknown_model(context, model_id)
    result = timeline(context.register, context.rules, as_of, context.options)
    events = load_events(context.store).events
    made = draft(kind, context.register, model_id, result, events, as_of)
    name = f"{kind}-{model_id}-{as_of.isoformat()}.{fmt}"
    data = markdown(made).encode("utf-8") if fmt == "md" else docx_bytes(made, now)
    return MadeDraft(name, data, made)


def _value(field: Field) -> str:
    return field.value or BLANK


def markdown(made: Draft) -> str:
    lines = [
        f"# {made.title}: {made.model_name} ({made.model_id})",
        "",
        f"Draft as of {made.as_of}. {DISCLAIMER}",
        "",
        made.intro,
        "",
    ]
    for title in made.not_read:
        lines += [
            f"> Could not be read for this draft: {title}. Its points come from the "
            "project's legal reference; check them against the text.",
            "",
        ]
    lines += ["## Sources", ""]
    lines += [f"- **{s.key}**: {s.title}. Read from: {s.read_from}." for s in made.sources]
    for section in made.sections:
        lines += ["", f"## {section.title}", "", f"*Source: {section.cites}*", ""]
        if section.text:
            lines += [section.text, ""]
        for field in section.fields:
            lines.append(f"### {field.label}")
            lines.append("")
            lines.append(f"- Asked for: {field.asks} ({field.cites})")
            if field.audiences:
                lines.append(f"- For: {', '.join(field.audiences)}")
            if field.note:
                lines.append(f"- Recorded: {field.note}")
            lines.append(f"- Value: {_value(field)}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def docx_bytes(made: Draft, now: datetime) -> bytes:
    # Imported here: only a DOCX draft needs python-docx (and lxml).
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    document = Document()
    properties = document.core_properties
    properties.title = f"{made.title}: {made.model_name}"
    properties.author = "notifier (draft)"
    properties.created = properties.modified = now.replace(tzinfo=None)
    document.add_heading(f"{made.title}: {made.model_name} ({made.model_id})", level=0)
    document.add_paragraph(f"Draft as of {made.as_of}. {DISCLAIMER}")
    document.add_paragraph(made.intro)
    for title in made.not_read:
        document.add_paragraph(
            f"Could not be read for this draft: {title}. Its points come from the project's "
            "legal reference; check them against the text."
        )
    document.add_heading("Sources", level=1)
    for source in made.sources:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{source.key}: ").bold = True
        paragraph.add_run(f"{source.title}. Read from: {source.read_from}.")
    for section in made.sections:
        document.add_heading(section.title, level=1)
        document.add_paragraph().add_run(f"Source: {section.cites}").italic = True
        if section.text:
            document.add_paragraph(section.text)
        if not section.fields:
            continue
        with_audiences = any(f.audiences for f in section.fields)
        headers = ["Field", "Asked for (citation)", *(["For"] if with_audiences else []), "Value"]
        table = document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = text
        for field in section.fields:
            cells = table.add_row().cells
            cells[0].text = field.label
            cells[1].text = f"{field.asks} ({field.cites})"
            if with_audiences:
                cells[2].text = ", ".join(field.audiences)
            value = cells[-1].paragraphs[0]
            if field.note:
                value.add_run(f"Recorded: {field.note}. ")
            run = value.add_run(_value(field))
            if field.blank:
                run.bold = True
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
