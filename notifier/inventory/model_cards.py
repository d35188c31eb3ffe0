"""A model read from a Hugging Face model card (README.md with YAML front matter), parsed by
huggingface_hub's ModelCard from the local file: no network. `base_model` becomes the base the
scan asks about (a version of your own model, or someone else's you modified: the user says
which), `license` a hint for the open-source question, `pipeline_tag` what it generates, and a
compute or parameter figure where the card states one. Each value is marked as imported."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from notifier.core.scan.answers import ModelAnswers
from notifier.errors import InputError, Problem

# Licence ids (the Hub's) of free and open-source licences: a hint, never the answer to Art
# 53(2) by itself (public weights, architecture and usage information are also needed).
FREE_AND_OPEN = frozenset(
    {"apache-2.0", "mit", "bsd", "bsd-2-clause", "bsd-3-clause", "gpl-3.0", "gpl-2.0",
     "lgpl-3.0", "agpl-3.0", "mpl-2.0", "cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0", "unlicense",
     "isc", "artistic-2.0", "ecl-2.0", "epl-2.0", "afl-3.0", "osl-3.0"}
)  # fmt: skip
# What a pipeline generates, in the scan's terms (GL s.2.1 asks about language, images, video).
GENERATES = {
    "text-generation": "text",
    "text2text-generation": "text",
    "image-text-to-text": "text",
    "summarization": "text",
    "translation": "text",
    "text-to-image": "image",
    "image-to-image": "image",
    "text-to-video": "video",
    "text-to-speech": "audio",
    "text-to-audio": "audio",
}
COMPUTE_KEYS = ("training_compute_flop", "compute_flop", "training_flop")
PARAMETER_KEYS = ("parameters", "num_parameters", "params", "parameter_count")
MAX_BYTES = 2_000_000


def read_model_card(path: Path) -> ModelAnswers:
    from huggingface_hub import ModelCard  # heavy: only when a card is imported

    card_path = path / "README.md" if path.is_dir() else path
    source = str(card_path)
    try:
        if card_path.stat().st_size > MAX_BYTES:
            raise InputError([Problem(source, "the model card is larger than 2 MB")])
        text = card_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Problem(source, "model card not found")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(source, f"cannot read the model card: {error}")]) from None
    try:
        card = ModelCard(text, ignore_metadata_errors=True)
    except Exception as error:  # the library's own errors for bad YAML
        line = _line_of(str(error))
        raise InputError(
            [Problem(source, f"the card's YAML front matter: {error}", line)]
        ) from None
    data: dict[str, Any] = card.data.to_dict()  # type: ignore[no-untyped-call]
    where = f"model card {card_path}"
    name = data.get("model_name") or card_path.parent.name or card_path.stem
    values: dict[str, Any] = {"id": _slug(str(name)), "name": str(name)[:300]}
    imported: dict[str, str] = {"name": f"{where} (model_name or folder)"}
    base = data.get("base_model")
    if isinstance(base, list) and base:
        base = base[0]
        imported["base"] = f"{where} (base_model, the first of several: a merge)"
    elif isinstance(base, str):
        imported["base"] = f"{where} (base_model; your own model's version, or another's?)"
    if isinstance(base, str) and base:
        values["base"] = base[:300]
    licence = data.get("license")
    if isinstance(licence, str):
        values["open_source"] = licence.lower() in FREE_AND_OPEN
        kind = (
            "a free and open-source licence"
            if values["open_source"]
            else "not one we know as free and open-source"
        )
        imported["open_source"] = f"{where} (license {licence}: {kind}; weights public?)"
    generates = GENERATES.get(str(data.get("pipeline_tag")))
    if generates is not None:
        values["modalities"] = (generates,)
        imported["modalities"] = f"{where} (pipeline_tag {data.get('pipeline_tag')})"
    for key in COMPUTE_KEYS:
        if _number(data.get(key)) is not None:
            values["training_compute_flop"] = _number(data.get(key))
            imported["training_compute_flop"] = f"{where} ({key})"
            break
    for key in PARAMETER_KEYS:
        if _number(data.get(key)) is not None:
            values["parameters"] = _number(data.get(key))
            imported["parameters"] = f"{where} ({key}; informative, never decides)"
            break
    try:
        return ModelAnswers.model_validate({**values, "imported": imported})
    except ValidationError as error:
        problems = [Problem(source, f"{d['loc'][0]}: {d['msg']}") for d in error.errors()]
        raise InputError(problems) from None


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return None
    return None


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.lower().split("/")[-1]).strip("-._")
    return slug[:64] or "model"


def _line_of(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
