"""The pack's tables, one list of rows per sheet: the workbook and the CSV files are written from
the same rows. Every instant in the organisation's time zone, as ISO text; nothing depends on
the machine's locale."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from notifier.core.events import occurred_on
from notifier.documents.records import PackRecords
from notifier.store.audit import stored_instant

Cell = str | int | None


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name; the CSV file is this name with '-' for spaces
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]

    @property
    def file_name(self) -> str:
        return self.name.replace(" ", "-") + ".csv"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _instant(value: datetime | None, zone: ZoneInfo) -> str | None:
    return value.astimezone(zone).isoformat(timespec="seconds") if value is not None else None


def tables(records: PackRecords) -> list[Table]:
    zone = ZoneInfo(records.timezone)
    models = Table(
        "models",
        (
            "id",
            "name",
            "role",
            "regime",
            "regime deadline",
            "systemic risk",
            "placed on",
            "withdrawn on",
            "owners",
        ),
        [],
    )
    by_id = {m.id: m for m in records.models}
    for found in records.timeline.models:
        model = by_id[found.id]
        models.rows.append(
            (
                found.id,
                found.name,
                model.role,
                found.regime,
                _day(found.regime_deadline),
                "yes" if found.systemic_risk else "no",
                _day(model.placing),
                _day(found.withdrawn_on),
                ", ".join(model.owners),
            )
        )
    items = Table(
        "items",
        (
            "id",
            "model",
            "title",
            "due",
            "status",
            "basis",
            "citation",
            "verification",
            "kind",
            "rule",
            "event",
            "done on",
            "done late days",
        ),
        [
            (
                i.id,
                i.model,
                i.title,
                _day(i.due),
                i.status,
                i.basis,
                i.citation,
                i.verification,
                i.kind,
                i.rule,
                i.event,
                _day(i.done_on),
                i.done_late_days,
            )
            for i in records.items()
        ],
    )
    marks = Table(
        "done marks",
        (
            "mark",
            "item",
            "done on",
            "note",
            "evidence",
            "recorded at",
            "recorded by",
            "corrects",
            "corrected by",
        ),
        [
            (
                m.id,
                m.item_id,
                _day(m.done_on),
                m.note,
                m.evidence_url,
                _instant(m.recorded_at, zone),
                m.recorded_by,
                m.corrects,
                m.corrected_by,
            )
            for found in sorted(records.marks)
            for m in records.marks[found]
        ],
    )
    events = Table(
        "events",
        ("id", "kind", "model", "occurred on", "detail"),
        [
            (
                e.id,
                e.kind,
                getattr(e, "model", None),
                _day(occurred_on(e)),
                "; ".join(
                    f"{k}={v}" for k, v in asdict(e).items() if k not in ("id", "kind", "model")
                ),
            )
            for e in records.events
        ],
    )
    reminders = Table(
        "reminders sent",
        ("item", "recipient", "step", "status", "sent at", "scheduled for"),
        [
            (
                r.item_id,
                r.recipient,
                r.step,
                r.status,
                _instant(r.sent_at, zone),
                _instant(r.scheduled_for, zone),
            )
            for r in records.reminders
        ],
    )
    audit = Table(
        "audit",
        (
            "entry",
            "at",
            "at as stored (UTC, hashed)",
            "actor",
            "action",
            "subject",
            "detail",
            "previous hash",
            "hash",
        ),
        [
            (
                e.id,
                _instant(e.at, zone),
                stored_instant(e.at),
                e.actor,
                e.action,
                e.subject,
                e.detail,
                e.prev_hash,
                e.entry_hash,
            )
            for e in records.audit
        ],
    )
    return [models, items, marks, events, reminders, audit]
