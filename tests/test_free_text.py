"""Issue 16: free text (notes, reasons, requesters) refuses the marks that change how it reads:
bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069) and the line and
paragraph separators (U+2028, U+2029). Other scripts, right-to-left ones included, pass."""

from __future__ import annotations

import pytest

from notifier.core.recording import text_problems

MARKS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029"]


@pytest.mark.parametrize("mark", MARKS)
def test_direction_and_separator_marks_are_refused_naming_the_character(mark: str) -> None:
    problems = text_problems("note", f"paid on time{mark}emit no diap")
    assert len(problems) == 1
    assert problems[0].source == "note"
    assert f"U+{ord(mark):04X} at character 13" in problems[0].message


@pytest.mark.parametrize("text", ["Déclaration reçue", "طلب من المورد", "בקשה", "请求"])
def test_ordinary_text_in_any_script_passes(text: str) -> None:
    assert text_problems("note", text) == []
