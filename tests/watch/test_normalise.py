"""What counts as the content of a page: its readable text, not its markup, scripts or layout."""

from __future__ import annotations

import pytest

from notifier.watch.normalise import content_hash, html_text, looks_like_html, normalise


def test_scripts_styles_comments_and_attributes_are_not_content() -> None:
    page = (
        '<html><head><title>Code</title><script>var t = "<p>not text</p>";</script>'
        "<style>p{color:red}</style></head><body class='x'><!-- build 42 -->"
        "<noscript>Enable JavaScript</noscript><p data-id='7'>Commitment 1</p></body></html>"
    )

    assert html_text(page) == "Code Commitment 1"


def test_character_references_are_unescaped() -> None:
    assert html_text("<p>Safety &amp; Security&nbsp;&#8211; Measure&#x20;9.3</p>") == (
        "Safety & Security \u2013 Measure 9.3"
    )


def test_block_elements_separate_words_and_inline_elements_do_not() -> None:
    assert html_text("<p>one</p><p>two<br>three</p><li>four</li>") == "one two three four"
    assert html_text("<p>Trans<b>parency</b> and <a href='/c'>copy</a>right</p>") == (
        "Transparency and copyright"
    )


def test_whitespace_runs_of_any_kind_become_one_space() -> None:
    assert normalise("  Code\tof\r\n\n Practice\u00a0 ", html=False) == "Code of Practice"


def test_plain_text_keeps_angle_brackets_as_text() -> None:
    assert normalise("a <b> c", html=False) == "a <b> c"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("<p>Code</p>", "<p>\n  Code\n</p>"),
        ("<p>Code</p><script>a()</script>", "<p>Code</p><script>b()</script>"),
        ("<p>Code</p>", '<div class="wrapper"><p id="main">Code</p></div>'),
        ("<p>Code</p>", "<p><span>Code</span></p>"),
    ],
)
def test_markup_only_edits_hash_the_same(before: str, after: str) -> None:
    assert content_hash(html_text(before)) == content_hash(html_text(after))


def test_a_changed_word_hashes_differently() -> None:
    assert content_hash(html_text("<p>version 1</p>")) != content_hash(
        html_text("<p>version 2</p>")
    )


def test_an_html_document_is_recognised_by_its_start() -> None:
    assert looks_like_html("\ufeff\n<!DOCTYPE html><html></html>")
    assert not looks_like_html("Signatories:\nExample Upstream")
