"""`notifier scan` and `notifier init` at the command line: the JSON contract, located errors
in an answers file (exit 2), the prompts, and a starter register that `check` and `timeline`
accept."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support.cli import run_main

FIXTURES = Path(__file__).parent / "fixtures"
ANSWERS = FIXTURES / "answers.toml"


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def scan_json(*argv: str) -> dict[str, object]:
    code, out, err = run_main("scan", *argv, "--format", "json")
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def test_the_json_has_exactly_the_contracts_keys_and_the_acceptance_roles() -> None:
    models = scan_json("--answers", str(ANSWERS))["models"]

    assert isinstance(models, list)
    assert [set(m) for m in models] == [
        {"id", "role", "systemic_risk", "art_54", "chapters", "reasons", "unknowns"}
    ] * 4
    assert [(m["id"], m["role"], m["systemic_risk"]) for m in models] == [
        ("own-3e24", "provider", False),
        ("fine-tune", "modifier-provider", False),
        ("support-bot", "downstream", False),
        ("small", "not-gpai", False),
    ]
    assert all(set(r) == {"text", "citation"} for m in models for r in m["reasons"])
    assert all(r["citation"] for m in models for r in m["reasons"])


@pytest.mark.parametrize(
    ("line", "replacement", "expected"),
    [
        ('trained_by = "us"', 'trained_by = "us"\ntrained_on = "gpus"', "unknown key 'trained_on'"),
        ("training_compute_flop = 3e24", 'training_compute_flop = "lots"', "a number"),
        ('id = "own-3e24"', 'name2 = "x"', "required key 'id' is missing"),
    ],
)
def test_an_answers_file_with_a_bad_entry_is_exit_2_naming_its_line(
    tmp_path: Path, line: str, replacement: str, expected: str
) -> None:
    text = ANSWERS.read_text(encoding="utf-8").replace(line, replacement, 1)
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    number = text.splitlines().index(replacement.splitlines()[-1]) + 1
    if "missing" in expected:  # the entry's own line: its [[models]] header
        number = text.splitlines().index("[[models]]") + 1

    code, out, err = run_main("scan", "--answers", str(bad), "--format", "json")

    assert code == 2
    assert out == ""
    assert f"{bad}:{number}:" in err
    assert expected in err
    assert "Traceback" not in err


def test_init_writes_a_starter_register_that_check_and_timeline_accept(tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    code, _out, err = run_main("init", str(folder), "--answers", str(ANSWERS))
    assert code == 0, err

    register = folder / "register.toml"
    checked = run_main("check", "--register", str(register), "--config", str(folder / "x.toml"))
    assert checked.code == 2  # a missing --config file is refused: the next line uses none
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    checked = run_main("check", "--register", str(register), "--config", str(empty))
    timeline = run_main("timeline", "--register", str(register), "--config", str(empty),
                        "--format", "json")  # fmt: skip

    assert checked.code == 0, checked.err
    assert "valid (3 models, 1 people)" in checked.out
    assert timeline.code == 0, timeline.err
    roles = {m["id"]: m["regime"] for m in json.loads(timeline.out)["models"]}
    assert roles == {"own-3e24": "chapter-v", "fine-tune": "chapter-v", "support-bot": "downstream"}
    written = tomllib.loads(register.read_text(encoding="utf-8"))
    assert written["organisation"]["code_of_practice"]["transparency"] == "signed"
    assert written["organisation"]["code_of_practice"]["safety_and_security"] == "not_signed"
    assert "# Art 3(9): from the answers" in register.read_text(encoding="utf-8")
    assert "small: not-gpai" in register.read_text(encoding="utf-8")
    assert tomllib.loads((folder / "notifier.toml").read_text())["register"] == "register.toml"


def test_the_starter_settings_run_check_from_the_new_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ours"
    assert run_main("init", str(folder), "--answers", str(ANSWERS)).code == 0
    monkeypatch.chdir(folder)

    code, _out, err = run_main("check", "--config", "notifier.toml")

    assert code == 0, err
    assert not (folder / "var").exists()  # check is read-only: no store created


def test_init_refuses_to_overwrite_and_leaves_the_files_alone(tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    assert run_main("init", str(folder), "--answers", str(ANSWERS)).code == 0
    register = folder / "register.toml"
    register.write_text("# edited by hand\n", encoding="utf-8")

    code, _, err = run_main("init", str(folder), "--answers", str(ANSWERS))

    assert code == 2
    assert "already exists; init never overwrites" in err
    assert register.read_text(encoding="utf-8") == "# edited by hand\n"


def test_init_with_nothing_to_register_writes_no_files(tmp_path: Path) -> None:
    answers = tmp_path / "small.toml"
    answers.write_text(
        '[organisation]\nestablished_in = "FR"\n[[models]]\nid = "s"\ntrained_by = "us"\n'
        "training_compute_flop = 5e22\n",
        encoding="utf-8",
    )

    code, out, _ = run_main("init", str(tmp_path / "new"), "--answers", str(answers))

    assert code == 0
    assert "no files written" in out
    assert not (tmp_path / "new").exists()


def test_the_prompts_ask_the_questions_and_reask_a_bad_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = [
        "Example SAS",  # name
        "de",  # established_in
        "",  # signed chapters: not known
        "our-model",  # id
        "Our model",  # name
        "us",  # trained_by
        "lots",  # training compute: refused, asked again
        "3e24",
        "text",  # modalities
        "yes",  # placed
        "no",  # open source
        "",  # base: none (so its compute questions are skipped)
        "",  # uses
        "no",  # another model?
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))

    code, out, err = run_main("scan")

    assert code == 0, err
    assert "is not a number; write it like 3e24" in out
    assert "our-model (Our model): provider" in out
    assert "Established in DE, a member state" in out


def test_prompts_that_end_early_are_bad_input_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Example\n"))

    code, _, err = run_main("scan")

    assert code == 2
    assert "the input ended before the scan was answered" in err


@pytest.mark.process
def test_scan_at_the_prompt_loads_no_server_template_or_hub_module(tmp_path: Path) -> None:
    """Like tests/cli/test_command_imports.py: a fresh interpreter, then sys.modules."""
    heavy = ("uvicorn", "starlette", "jinja2", "huggingface_hub", "httpx", "apscheduler")
    probe = (
        "import json, sys\n"
        "from notifier.cli import main\n"
        f"code = main(['scan', '--answers', {str(ANSWERS)!r}, '--format', 'json'])\n"
        f"print(json.dumps([code, sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120,
        cwd=tmp_path,
    )  # fmt: skip

    code, found = json.loads(result.stdout.strip().splitlines()[-1])
    assert code == 0
    assert found == []


def test_a_starter_register_for_an_eea_efta_state_says_where_the_readings_part(
    tmp_path: Path,
) -> None:
    answers = tmp_path / "no.toml"
    answers.write_text(
        ANSWERS.read_text(encoding="utf-8").replace(
            'established_in = "FR"', 'established_in = "NO"'
        )
    )
    assert run_main("init", str(tmp_path / "ours"), "--answers", str(answers)).code == 0

    register = (tmp_path / "ours" / "register.toml").read_text(encoding="utf-8")

    assert "# TO CHECK: NO is an EEA EFTA state." in register
