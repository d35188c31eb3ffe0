"""What a pack holds, read once: the timeline of the chosen models as of a day, their done
marks, events, reminders sent, the advice, the audit log with its chain head, and which rule
data computed it. Plain values; the PDF, the workbook and the CSV files are all made from it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from importlib import resources

from notifier import __version__
from notifier.context import Context
from notifier.core.advice import Advice, advise
from notifier.core.events import Event
from notifier.core.items import Item, Timeline, item_id
from notifier.core.register import Model
from notifier.core.timeline import timeline
from notifier.errors import InputError, Problem
from notifier.store.audit import GENESIS, ChainedEntry, ChainHead, chained_entries
from notifier.store.events import load_events
from notifier.store.history import MarkRecord, SentReminder, mark_records, reminders_of


@dataclass(frozen=True)
class RuleData:
    """Which rule data computed the dates: the law it states, the notifier's version and the
    SHA-256 of the rules file shipped with it."""

    law: str
    notifier_version: str
    rules_sha256: str

    def describe(self) -> str:
        return (
            f"{self.law}; rule data of notifier {self.notifier_version} "
            f"(rules.toml SHA-256 {self.rules_sha256})"
        )


def rule_data(law: str) -> RuleData:
    text = resources.files("notifier.core.law").joinpath("rules.toml").read_bytes()
    return RuleData(law, __version__, hashlib.sha256(text).hexdigest())


@dataclass(frozen=True)
class PackRecords:
    as_of: date
    made_at: datetime
    timezone: str
    model_id: str | None  # None: the whole register
    models: tuple[Model, ...]
    timeline: Timeline  # of the chosen models (and the organisation's items for the register)
    marks: dict[str, list[MarkRecord]]  # by the id marks are kept under (live_id)
    events: tuple[Event, ...]
    reminders: tuple[SentReminder, ...]
    advice: Advice
    audit: tuple[ChainedEntry, ...]
    chain: ChainHead
    rules: RuleData

    def items(self) -> list[Item]:
        """Every item of the pack, as the timeline JSON lists them: models', then the
        organisation's."""
        found = [item for model in self.timeline.models for item in model.items]
        return found + list(self.timeline.organisation_items)


def live_id(item: Item) -> str:
    """The id done marks are kept under: a closed occurrence's item without its '@date'."""
    return item_id(item.rule, item.model, event=item.event, upstream=item.upstream)


def unknown_model(context: Context, model_id: str) -> InputError:
    known = ", ".join(m.id for m in context.register.models)
    return InputError(
        [Problem("--model", f"no model '{model_id}' in {context.register.source} (known: {known})")]
    )


def gather(context: Context, now: datetime, as_of: date, model_id: str | None) -> PackRecords:
    """Read what the pack shows. An unknown model is bad input naming the known ones."""
    register = context.register
    if model_id is not None and model_id not in {m.id for m in register.models}:
        raise unknown_model(context, model_id)
    full = timeline(register, context.rules, as_of, context.options)
    chosen = tuple(m for m in register.models if model_id is None or m.id == model_id)
    ids = {m.id for m in chosen}
    shown = replace(
        full,
        models=tuple(m for m in full.models if m.id in ids),
        organisation_items=full.organisation_items if model_id is None else (),
    )
    items = [i for m in shown.models for i in m.items] + list(shown.organisation_items)
    keys = {live_id(i) for i in items} | {i.id for i in items}
    events = tuple(e for e in load_events(context.store).events if getattr(e, "model", None) in ids)
    audit = tuple(chained_entries(context.store))  # the head is the last entry read
    sent = tuple(r for r in reminders_of(context.store, keys) if r.sent_at is not None)
    return PackRecords(
        as_of=as_of,
        made_at=now,
        timezone=context.timezone,
        model_id=model_id,
        models=chosen,
        timeline=shown,
        marks=mark_records(context.store, keys),
        events=events,
        reminders=sent,
        advice=advise(register, full, context.rules.landmarks),
        audit=audit,
        chain=ChainHead(len(audit), (audit[-1].entry_hash if audit else None) or GENESIS),
        rules=rule_data(full.law),
    )
