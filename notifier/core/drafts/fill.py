"""Filling the drafts' structures from the register, the recorded events and the timeline. Pure:
everything comes in as values; what the records do not hold stays a blank (model.BLANK)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from notifier.core.chapters import ALTERNATIVE_BASIS, TITLES
from notifier.core.drafts import code_forms, forms, sources
from notifier.core.drafts.model import BLANK, Draft, Field, Section, Source
from notifier.core.events import Event, Incident
from notifier.core.items import Item, Timeline
from notifier.core.register import CHAPTERS, Model, Register
from notifier.core.register.classification import classify

KINDS = (
    "model-documentation",
    "training-summary",
    "notification",
    "incident-report",
    "alternative-means",
)


def draft(
    kind: str,
    register: Register,
    model_id: str,
    result: Timeline,
    events: Sequence[Event],
    as_of: date,
) -> Draft:
    """The draft of `kind` for the model (which the register must hold), as of a day."""
    model = register.model(model_id)
    found = next((m for m in result.models if m.id == model_id), None)
    items = list(found.items) if found is not None else []
    return _BUILDERS[kind](register, model, items, events, as_of)


def _flop(value: float | None) -> str:
    return "" if value is None else f"{value:.1e} FLOP (from the register)"


def _day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _dates(items: list[Item], *needles: str) -> Section:
    """The model's items whose citation names one of `needles`: the dates this draft serves."""
    chosen = [i for i in items if any(n in i.citation for n in needles)]
    fields = tuple(
        Field(
            i.title,
            f"item {i.id}",
            i.citation,
            f"{i.due.isoformat() if i.due else 'no fixed date'} ({i.status}; verification "
            f"{i.verification})",
        )
        for i in chosen
    )
    text = "" if fields else "No item of the timeline as of this day serves this document."
    return Section("Dates this document serves (from the timeline)", "the timeline", fields, text)


def _model_documentation(
    register: Register, model: Model, items: list[Item], events: Sequence[Event], as_of: date
) -> Draft:
    known = {
        "Legal name for the model provider": register.organisation.name,
        "Model name": f"{model.name} (register id {model.id})",
        "Union market release date": _day(model.placed_on_market),
        "Model dependencies": model.base_model or "",
        "Amount of computation used for training (exact)": _flop(model.training_compute_flop),
    }
    sections = [_dates(items, "Art 53(1)(a)", "Art 53(1)(b)", "Transparency")]
    for title, entries in forms.MDF_SECTIONS:
        sections.append(
            Section(
                title,
                f"{forms.MDF_CITE}, section '{title}'",
                tuple(
                    Field(
                        label,
                        asks,
                        f"{forms.MDF_CITE}; AI Act Art 53(1)(a),(b), Annexes XI, XII",
                        known.get(label, ""),
                        audiences,
                    )
                    for label, asks, audiences in entries
                ),
            )
        )
    intro = (
        "When placing the model, signatories 'will have documented at least all the information "
        "referred to in the Model Documentation Form' and keep previous versions for 10 years "
        "after placing (Transparency Measure 1.1); using the Form itself is optional. Each item "
        "names its audiences as the Form's crosses have them: information for downstream "
        "providers is made available to them proactively; information for the AI Office or "
        "national competent authorities only on a request from the AI Office (Form, "
        "introduction; AI Act Art 78 on confidentiality)."
    )
    return _made(
        "model-documentation",
        "Model Documentation Form",
        model,
        as_of,
        intro,
        sections,
        (sources.MDF, sources.AI_ACT),
    )


def _training_summary(
    register: Register, model: Model, items: list[Item], events: Sequence[Event], as_of: date
) -> Draft:
    organisation = register.organisation
    representative = (
        ""
        if organisation.third_country
        else f"Not applicable: the provider is established in {organisation.established_in}, "
        "in the Union (Art 54 AI Act)"
    )
    signed = organisation.code_of_practice.signed("copyright")
    known = {
        "Provider name and contact details": f"{organisation.name}; contact details: {BLANK}",
        "Authorised representative name and contact details": representative,
        "Versioned model name(s)": f"{model.name} (register id {model.id})",
        "Model dependencies": model.base_model or "",
        "Date of placement of the model on the Union market": _day(model.placed_on_market),
        "Signatory to the Code of Practice with commitments on TDM reservations (yes/no)": (
            "Yes: the Copyright chapter is signed (register)" if signed else "No (register)"
        ),
    }
    sections = [_dates(items, "Art 53(1)(d)")]
    for title, entries in forms.TEMPLATE_SECTIONS:
        sections.append(
            Section(
                title,
                f"{forms.TPL_CITE}, section {title.split(' ')[0]}",
                tuple(
                    Field(
                        label, asks, f"{forms.TPL_CITE}; AI Act Art 53(1)(d)", known.get(label, "")
                    )
                    for label, asks in entries
                ),
            )
        )
    intro = (
        "The public summary of the content used for training, on the Commission's mandatory "
        "Template (AI Act Art 53(1)(d); C(2025) 8311 final, points 1-34 and Annex). It covers "
        "all stages of training (point 13) and is published with the model on all its public "
        "distribution channels (point 32). For a model placed before 2 August 2025, gaps that "
        "cannot be filled despite best efforts are stated and justified in the Summary (point 33)."
    )
    return _made(
        "training-summary",
        "Public Summary of Training Content",
        model,
        as_of,
        intro,
        sections,
        (sources.TEMPLATE, sources.AI_ACT),
    )


def _notification(
    register: Register, model: Model, items: list[Item], events: Sequence[Event], as_of: date
) -> Draft:
    cls = classify(model)
    if cls.systemic_risk == "presumed":
        condition = "Presumed: " + (
            f"cumulative training compute {model.training_compute_flop:.1e} FLOP, above 10^25 "
            "FLOP (AI Act Art 51(2))"
            if model.training_compute_flop is not None
            else "high-impact capabilities (register)"
        )
    elif cls.systemic_risk == "designated":
        condition = "Designated by the Commission (Art 52(4)): a notification is not the route"
    else:
        condition = ""
    known = {
        "Provider": f"{register.organisation.name}; contact details: {BLANK}",
        "Model": f"{model.name} (register id {model.id})",
        "Condition met": condition,
        "When it was met or became known": _day(model.threshold_known_on),
        "Training compute": _flop(model.training_compute_flop),
    }
    sections = [
        _dates(items, "Art 52(1)"),
        Section(
            "Notification to the Commission",
            "AI Act Art 52(1)",
            tuple(
                Field(label, asks, cite, known.get(label, ""))
                for label, asks, cite in code_forms.NOTIFICATION_ITEMS
            ),
        ),
    ]
    if model.arguments_decision is not None:
        decided = f" on {model.arguments_decided_on}" if model.arguments_decided_on else ""
        sections.append(
            Section(
                "Arguments that the model does not present systemic risks",
                "AI Act Art 52(2)",
                (
                    *(Field(label, asks, cite) for label, asks, cite in code_forms.ARGUMENT_ITEMS),
                    Field(
                        "Decision so far",
                        "the Commission's answer (register)",
                        "AI Act Art 52(3)",
                        f"{model.arguments_decision}{decided}",
                    ),
                ),
                "The register records that arguments are made (arguments_decision).",
            )
        )
    intro = (
        "Where a model meets the condition of Art 51(1)(a), the provider notifies the Commission "
        "'without delay and in any event within two weeks after that requirement is met or it "
        "becomes known that it will be met', with 'the information necessary to demonstrate "
        "that the relevant requirement has been met' (AI Act Art 52(1)). It may present, with "
        "the notification, sufficiently substantiated arguments that the model exceptionally "
        "does not present systemic risks (Art 52(2))."
    )
    return _made(
        "notification",
        "Art 52(1) notification to the Commission",
        model,
        as_of,
        intro,
        sections,
        (sources.AI_ACT, sources.GUIDELINES),
    )


def _incident_report(
    register: Register, model: Model, items: list[Item], events: Sequence[Event], as_of: date
) -> Draft:
    incidents = [e for e in events if isinstance(e, Incident) and e.model == model.id]
    incident = incidents[-1] if incidents else None
    sections: list[Section] = []
    if incident is None:
        sections.append(
            Section(
                "Reporting clocks",
                "Code of Practice, Safety and Security chapter, Measure 9.3",
                (),
                "No serious incident is recorded for this model: record one (notifier event add "
                "incident, or the model page) and the initial, intermediate and final report dates "
                "are filled in.",
            )
        )
    else:
        clocks = [i for i in items if i.event == incident.id]
        sections.append(
            Section(
                f"Reporting clocks of {incident.id}",
                "Code of Practice, Safety and Security chapter, Measure 9.3",
                tuple(
                    Field(
                        i.title,
                        f"item {i.id}",
                        i.citation,
                        f"{i.due.isoformat() if i.due else 'standing'} ({i.status})",
                    )
                    for i in clocks
                ),
                f"Incident type {incident.type}, aware of the model's involvement on "
                f"{incident.aware_on}"
                + (
                    f", resolved on {incident.resolved_on}"
                    if incident.resolved_on
                    else ", not resolved"
                )
                + ". The initial report gives points (1)-(7) of Measure 9.2; intermediate reports "
                "follow at least every four weeks while unresolved; the final report, covering all "
                "of Measure 9.2, no later than 60 days after resolution (Measure 9.3).",
            )
        )
    known = {"(4) Model involved": f"{model.name} (register id {model.id})"}
    if incident is not None:
        end = f", resolved {incident.resolved_on}" if incident.resolved_on else ""
        known["(1) Start and end dates"] = ""
        note = f"aware of the model's involvement on {incident.aware_on}{end} (recorded)"
    else:
        note = ""
    sections.append(
        Section(
            "Information (Measure 9.2)",
            forms.INCIDENT_CITE,
            tuple(
                Field(
                    label,
                    asks,
                    forms.INCIDENT_CITE,
                    known.get(label, ""),
                    note=note if label.startswith("(1)") else "",
                )
                for label, asks in forms.INCIDENT_POINTS
            ),
            "Where information is not yet available, the report says so (Measure 9.2, last "
            "paragraph). Keep the documentation at least five years (Measure 9.4).",
        )
    )
    intro = (
        "A serious-incident report to the AI Office and, as applicable, national competent "
        "authorities (AI Act Art 55(1)(c); Code of Practice, Safety and Security chapter, "
        "Commitment 9)."
    )
    return _made(
        "incident-report",
        "Serious incident report",
        model,
        as_of,
        intro,
        sections,
        (sources.SAFETY, sources.AI_ACT),
    )


def _alternative_means(
    register: Register, model: Model, items: list[Item], events: Sequence[Event], as_of: date
) -> Draft:
    code = register.organisation.code_of_practice
    systemic = classify(model).systemic
    relevant = [c for c in CHAPTERS if c != "safety_and_security" or systemic]
    unsigned = [c for c in relevant if not code.signed(c)]
    chosen = unsigned or relevant
    sections = []
    for chapter in chosen:
        duties, measures = code_forms.ALTERNATIVE[chapter]
        basis = ALTERNATIVE_BASIS[chapter]
        status = "not signed" if chapter in unsigned else "signed (prepared in case of withdrawal)"
        sections.append(
            Section(
                f"{TITLES[chapter]} chapter: {status}",
                basis,
                (
                    Field(
                        "Duties covered",
                        "the obligations the alternative means must meet",
                        basis,
                        "; ".join(duties),
                    ),
                    Field(
                        "Code measures replaced",
                        "what the chapter's measures would have done",
                        "Code of Practice, " + TITLES[chapter] + " chapter",
                        "; ".join(measures),
                    ),
                    Field("The alternative adequate means", "how each duty is met instead", basis),
                    Field(
                        "Evidence to attach",
                        "documents, records and their locations that demonstrate each duty is met",
                        basis,
                    ),
                    Field(
                        "Owner and review date",
                        "who keeps this record current, and when it is next reviewed",
                        basis,
                    ),
                ),
                f"Without the Code (or a harmonised standard), providers 'shall demonstrate "
                f"alternative adequate means of compliance for assessment by the Commission' "
                f"({basis}).",
            )
        )
    intro = (
        "The record, in audit-ready form, of how the model meets the duties of each Code chapter "
        "the organisation has not signed. "
        + (
            ""
            if unsigned
            else "Every relevant chapter is signed (register): these records are "
            "prepared for the case a signature is withdrawn."
        )
    )
    return _made(
        "alternative-means",
        "Alternative adequate means of compliance",
        model,
        as_of,
        intro,
        sections,
        (sources.AI_ACT, sources.CODE_CHAPTERS),
    )


def _made(
    kind: str,
    title: str,
    model: Model,
    as_of: date,
    intro: str,
    sections: Sequence[Section],
    used: tuple[Source, ...],
) -> Draft:
    not_read = tuple(s.title for s in used if s.read_from.startswith("NOT read"))
    return Draft(
        kind, title, model.id, model.name, as_of.isoformat(), intro, tuple(sections), used, not_read
    )


_BUILDERS: dict[str, Callable[[Register, Model, list[Item], Sequence[Event], date], Draft]] = {
    "model-documentation": _model_documentation,
    "training-summary": _training_summary,
    "notification": _notification,
    "incident-report": _incident_report,
    "alternative-means": _alternative_means,
}
