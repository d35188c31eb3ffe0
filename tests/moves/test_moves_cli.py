"""Issue 23 through the real command line, on each store engine: a designation on a
non-systemic model adds the systemic-risk duties, listed by `notifier changes` with the event
as cause and mailed to the owners at once; voiding it moves them back; a done mark moves
nothing; `notifier law` prints the version and a changelog citing its sources; `--preview`
shows what a register edit would move and records nothing."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import date
from pathlib import Path
from typing import Any

from tests.support.cli import RunCli, argv
from tests.support.registers import register_toml

AS_OF = "2026-11-24T10:00:00+01:00"
ORION = {"id": "orion", "placed_on_market": date(2025, 10, 1), "training_compute_flop": 8e24}


def outbox(root: Path) -> list[email.message.EmailMessage]:
    folder = root / "var" / "outbox"
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(folder.glob("*.eml"))
    ]


def plain(message: email.message.EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def changes(run_cli: RunCli, register: Path, *more: str) -> list[dict[str, Any]]:
    code, out, err = run_cli("changes", "--format", "json", "--register", str(register), *more)
    assert (code, err) == (0, ""), err
    found: list[dict[str, Any]] = json.loads(out)
    return found


def remind(run_cli: RunCli, register: Path) -> None:
    code, _, err = run_cli("remind", "--register", str(register), "--as-of", AS_OF)
    assert (code, err) == (0, ""), err


def test_a_designation_adds_duties_told_at_once_and_voiding_moves_them_back(
    run_cli: RunCli, tmp_path: Path
) -> None:
    register = tmp_path / "register.toml"
    register.write_text(register_toml(ORION), encoding="utf-8")
    remind(run_cli, register)  # what people are shown first
    before = len(outbox(tmp_path))

    add = "event add designation --model orion --decided-on 2026-05-20"
    code, _, err = run_cli(*argv(add), "--register", str(register), "--as-of", AS_OF)
    assert (code, err) == (0, "")

    moved = changes(run_cli, register)
    wanted = ("orion/art-55-1-a-model-evaluation", "orion/art-55-1-b-systemic-risk-mitigation")
    systemic = {m["item"]: m for m in moved if m["item"] in wanted}
    assert set(systemic) == set(wanted)
    for move in systemic.values():
        assert move["old_due"] is None
        assert move["new_due"] == "2026-05-20"
        assert move["change"] == "appeared"
        assert (move["cause"]["kind"], move["cause"]["ref"]) == ("event", "designation-1")

    new_mail = outbox(tmp_path)[before:]
    told = [plain(m) for m in new_mail if "Moved:" in plain(m)]
    assert len(told) == 1  # one message to the owner
    assert "new duty, due 2026-05-20; because event designation-1 was recorded" in told[0]
    assert "/items/orion/art-55-1-a-model-evaluation" in told[0].replace("=\n", "")

    code, _, err = run_cli(
        *argv("event void designation-1 --reason mistake"), "--register", str(register)
    )
    assert (code, err) == (0, "")
    back = [m for m in changes(run_cli, register) if m["cause"]["kind"] == "voided-event"]
    assert {m["item"] for m in back} >= set(systemic)
    assert all(m["change"] == "disappeared" and m["new_due"] is None for m in back)

    code, out, _ = run_cli("audit", "--format", "json", "--register", str(register))
    audited = [e for e in json.loads(out) if e["action"] == "date-moved"]
    assert {e["actor"] for e in audited} == {"system"}
    # every move is audited, but a duty the event starts by itself: the event's entry has it
    listed = [m for m in changes(run_cli, register) if m["change"] != "started"]
    assert len(audited) == len(listed)


def test_a_done_mark_moves_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    register = tmp_path / "register.toml"
    register.write_text(register_toml(ORION), encoding="utf-8")
    remind(run_cli, register)
    code, _, err = run_cli(
        *argv("done orion/art-53-1-a-technical-documentation --on 2026-03-10"),
        "--register",
        str(register),
    )
    assert (code, err) == (0, "")
    remind(run_cli, register)
    assert changes(run_cli, register) == []


def test_preview_shows_what_a_register_edit_would_move_and_records_nothing(
    run_cli: RunCli, tmp_path: Path, monkeypatch: Any
) -> None:
    register = tmp_path / "register.toml"
    register.write_text(register_toml(ORION), encoding="utf-8")
    monkeypatch.setenv("NOTIFIER_REGISTER", str(register))
    remind(run_cli, register)
    edited = tmp_path / "new.toml"
    text = register_toml({**ORION, "placed_on_market": date(2025, 9, 1)})
    edited.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("placed_on_market"))

    code, out, err = run_cli("changes", "--preview", "--format", "json", "--register", str(edited))

    assert (code, err) == (0, "")
    previewed = json.loads(out)
    assert previewed
    assert {m["cause"]["ref"] for m in previewed} == {f"{edited}:{line}"}
    assert changes(run_cli, register) == []  # nothing recorded


def test_law_prints_the_version_and_a_changelog_citing_sources(
    run_cli: RunCli, tmp_path: Path
) -> None:
    register = tmp_path / "register.toml"
    register.write_text(register_toml(ORION), encoding="utf-8")
    code, out, err = run_cli("law", "--register", str(register))
    assert (code, err) == (0, "")
    assert out.startswith("Rule data version 2026.12.1")
    assert "source: Regulation (EU) 2024/1689" in out
    code, out, _ = run_cli("law", "--format", "json", "--register", str(register))
    parsed = json.loads(out)
    assert parsed["version"] == parsed["changelog"][0]["version"]
    assert all(entry["sources"] for entry in parsed["changelog"])


def test_law_needs_no_register_settings_or_store(run_cli: RunCli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "register.toml"
    code, out, err = run_cli("law", "--register", str(missing))
    assert (code, err) == (0, "")
    assert out.startswith("Rule data version ")
    assert not (tmp_path / "nowhere").exists()


def test_a_register_edit_shows_previous_due_and_moved_on_in_the_timeline_json(
    run_cli: RunCli, tmp_path: Path
) -> None:
    register = tmp_path / "register.toml"
    register.write_text(register_toml(ORION), encoding="utf-8")
    assert run_cli("remind", "--register", str(register)).code == 0
    register.write_text(
        register_toml({**ORION, "placed_on_market": date(2025, 9, 1)}), encoding="utf-8"
    )
    assert run_cli("remind", "--register", str(register)).code == 0

    code, out, _ = run_cli("timeline", "--format", "json", "--register", str(register))
    assert code == 0
    items = {i["id"]: i for i in json.loads(out)["models"][0]["items"]}
    moved = items["orion/art-53-1-a-technical-documentation"]
    assert moved["due"] == "2025-09-01"
    assert moved["previous_due"] == "2025-10-01"
    assert moved["moved_on"] == moved["moved_on"][:10]  # a date
    assert all("previous_due" not in i for i in items.values() if i["due"] is None)


def test_an_upgraded_rule_data_says_what_it_moves_the_first_time_anything_runs(
    run_cli: RunCli, tmp_path: Path, monkeypatch: Any
) -> None:
    from notifier.core.law import Changelog, ChangelogEntry, load_changelog, load_ruleset
    from notifier.core.law.model import TRANSITION_ENDS
    from tests.moves.test_core_moves import moved_rules

    legacy = {"id": "atlas", "placed_on_market": date(2024, 11, 5), "training_compute_flop": 3e24}
    register = tmp_path / "register.toml"
    register.write_text(register_toml(legacy), encoding="utf-8")
    assert run_cli("remind", "--register", str(register)).code == 0

    upgraded = moved_rules(load_ruleset(), TRANSITION_ENDS, date(2027, 6, 1), "2027.1.0")
    entry = ChangelogEntry(
        version="2027.1.0",
        date=date(2027, 1, 10),
        summary="Art 111(3) transition ends earlier (test)",
        rules=(TRANSITION_ENDS,),
        sources=("Test amending regulation, Art 1(5)",),
    )
    log = Changelog(entries=(entry, *load_changelog().entries))
    monkeypatch.setattr("notifier.context.load_ruleset", lambda: upgraded)
    monkeypatch.setattr("notifier.app.moves.load_changelog", lambda: log)

    code, out, _ = run_cli("timeline", "--register", str(register))
    assert code == 0
    assert "The rule data changed (2026.12.1 -> 2027.1.0)" in out

    found = changes(run_cli, register)
    assert found
    for move in found:
        assert move["cause"]["kind"] == "rules"
        assert move["cause"]["rules"] == [
            {"id": TRANSITION_ENDS, "citation": upgraded.rule(TRANSITION_ENDS).citation}
        ]
        assert "Test amending regulation" in move["cause"]["text"]
    assert any(m["new_due"] == "2027-06-01" and m["old_due"] == "2027-08-02" for m in found)


def test_a_later_date_waits_for_the_next_digest(run_cli: RunCli, tmp_path: Path) -> None:
    register = tmp_path / "register.toml"
    register.write_text(register_toml(ORION), encoding="utf-8")

    def remind_at(instant: str) -> None:
        code, _, err = run_cli("remind", "--register", str(register), "--as-of", instant)
        assert (code, err) == (0, ""), err

    remind_at("2026-11-24T10:00:00+01:00")
    register.write_text(
        register_toml({**ORION, "placed_on_market": date(2025, 10, 15)}), encoding="utf-8"
    )
    remind_at("2026-11-24T10:05:00+01:00")  # found now: later, so not told at once
    assert not any("Moved:" in plain(m) for m in outbox(tmp_path))
    assert {m["change"] for m in changes(run_cli, register)} == {"later"}

    remind_at("2026-11-25T09:30:00+01:00")  # the next send time (09:00) has come
    told = [plain(m) for m in outbox(tmp_path) if "Moved:" in plain(m)]
    assert len(told) == 1
    assert "moved later, from 2025-10-01 to 2025-10-15" in told[0]
