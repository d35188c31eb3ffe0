"""`python -m notifier.law_coverage [REFERENCE.md] [--check]`: write docs/law-coverage.md.

A maintainer's tool, run from a checkout: it reads the legal reference's row ids (by default
../shared/legal/REFERENCE.md beside the checkout), the rule data and the tests, and writes the
coverage page. The service never runs it and never reads the reference.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from notifier.core.law import load_ruleset
from notifier.core.law.coverage import (
    coverage_notes,
    coverage_problems,
    reference_rows,
    render_coverage,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO.parent / "shared" / "legal" / "REFERENCE.md"
PAGE = REPO / "docs" / "law-coverage.md"
COMMAND = "python -m notifier.law_coverage"
TEST_FOLDERS = ("tests/law", "tests/events")


def pinning_texts(repo: Path = REPO) -> dict[str, str]:
    """The text of each test module that may pin a rule, keyed by its path in the checkout."""
    found = {}
    for folder in TEST_FOLDERS:
        for path in sorted((repo / folder).glob("test_*.py")):
            if path.name == "test_law_coverage.py":
                continue  # it names rows and rules to test the map, not to pin them
            found[path.relative_to(repo).as_posix()] = path.read_text(encoding="utf-8")
    return found


def page(reference: Path) -> tuple[str, list[str]]:
    """The coverage page and the problems that make it incomplete."""
    rules = load_ruleset()
    notes = coverage_notes(
        resources.files("notifier.core.law").joinpath("coverage.toml").read_text(encoding="utf-8")
    )
    rows = reference_rows(reference.read_text(encoding="utf-8"))
    tests = pinning_texts()
    return (
        render_coverage(rules, notes, rows, tests, COMMAND),
        coverage_problems(rules, notes, rows, tests),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__)
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--check", action="store_true", help="fail if the page is stale")
    args = parser.parse_args(argv)
    if not args.reference.is_file():
        print(f"{args.reference}: no such file; give the path of REFERENCE.md", file=sys.stderr)
        return 2
    text, problems = page(args.reference)
    for problem in problems:
        print(f"coverage: {problem}", file=sys.stderr)
    if args.check:
        stale = not PAGE.is_file() or PAGE.read_text(encoding="utf-8") != text
        if stale:
            print(f"{PAGE}: stale; run {COMMAND}", file=sys.stderr)
        return 1 if stale or problems else 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"Wrote {PAGE} ({text.count(chr(10))} lines).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
