"""What a draft is made of: sections of fields, each field saying which text asks for it and
holding either a value filled from the records or a blank the provider must fill."""

from __future__ import annotations

from dataclasses import dataclass, field

# How every blank is written: a reader (or a search) finds each one.
BLANK = "[TO FILL]"


@dataclass(frozen=True)
class Source:
    """A published text a draft's structure comes from, and where it was read."""

    key: str
    title: str
    read_from: str  # where its text was read; or why it could not be


@dataclass(frozen=True)
class Field:
    label: str
    asks: str  # what the text asks for (its wording, shortened where long)
    cites: str  # the provision or the form's section
    value: str = ""  # filled from the records; "" = the provider fills it
    audiences: tuple[str, ...] = ()  # the Model Documentation Form's AIO / NCAs / DPs
    note: str = ""

    @property
    def blank(self) -> bool:
        """Something is left for the provider: no value, or a value with a blank in it."""
        return not self.value or BLANK in self.value


@dataclass(frozen=True)
class Section:
    title: str
    cites: str
    fields: tuple[Field, ...] = ()
    text: str = ""  # an explanatory paragraph (what the section is, where it comes from)


@dataclass(frozen=True)
class Draft:
    kind: str
    title: str
    model_id: str
    model_name: str
    as_of: str
    intro: str
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]
    not_read: tuple[str, ...] = field(default=())  # texts this draft could not read: said so

    def blanks(self) -> int:
        return sum(1 for s in self.sections for f in s.fields if f.blank)
