"""Drafts of the documents the dates ask for: their structures as data, each part citing the
published text it comes from (sources.py, forms.py, code_forms.py), and the filling of those
structures from the register, the events and the timeline (fill.py). Pure: no I/O; rendering to
Markdown and DOCX is notifier/documents/drafts.py."""

from notifier.core.drafts.fill import KINDS, draft
from notifier.core.drafts.model import BLANK, Draft, Field, Section, Source

__all__ = ["BLANK", "KINDS", "Draft", "Field", "Section", "Source", "draft"]
