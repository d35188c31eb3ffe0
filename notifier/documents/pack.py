"""The evidence pack: one PDF (the pages printed), one XLSX workbook, the same tables as CSV,
the timeline JSON, and a manifest listing every file with its SHA-256 and the audit log's head
hash, so a pack handed to an auditor pins the log as it was. Written to a folder or a .zip.

The face that owns the templates renders the HTML (`PrintedPages`); everything else is here, so
the command line and the pages make the same pack."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from notifier import __version__
from notifier.context import Context
from notifier.core.days import zone
from notifier.core.views.timeline_json import timeline_json
from notifier.documents.pdf import pdf_bytes
from notifier.documents.records import PackRecords, gather
from notifier.documents.tables import tables
from notifier.errors import InputError, Problem

# The pages as HTML documents, in order (printed side by side, then joined).
PrintedPages = Callable[[PackRecords], list[str]]
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Pack:
    name: str  # the folder's (or the zip's top folder's) name
    files: dict[str, bytes]  # file name -> bytes, the manifest last

    def zip_bytes(self) -> bytes:
        """A zip with fixed timestamps: the same pack, the same bytes."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file_name, data in self.files.items():
                info = zipfile.ZipInfo(f"{self.name}/{file_name}", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        return buffer.getvalue()


def build_pack(
    context: Context,
    now: datetime,
    as_of: date,
    model_id: str | None,
    printed: PrintedPages,
) -> Pack:
    from notifier.documents.sheets import csv_bytes, workbook  # openpyxl: when a pack is made

    records = gather(context, now, as_of, model_id)
    subject = model_id or "register"
    name = f"evidence-pack-{subject}-{as_of.isoformat()}"
    files: dict[str, bytes] = {}
    files[f"{name}.pdf"] = pdf_bytes(printed(records), now)
    found = tables(records)
    files[f"{name}.xlsx"] = workbook(found, now)
    for table in found:
        files[table.file_name] = csv_bytes(table)
    timeline_text = json.dumps(timeline_json(records.timeline), indent=2, ensure_ascii=False)
    files["timeline.json"] = (timeline_text + "\n").encode("utf-8")
    files[MANIFEST] = manifest(records, files)
    return Pack(name, files)


def manifest(records: PackRecords, files: dict[str, bytes]) -> bytes:
    content = {
        "pack": "notifier evidence pack",
        "model": records.model_id,
        "as_of": records.as_of.isoformat(),
        "made_at": records.made_at.astimezone(zone(records.timezone)).isoformat(timespec="seconds"),
        "timezone": records.timezone,
        "notifier_version": __version__,
        "rule_data": {
            "law": records.rules.law,
            "notifier_version": records.rules.notifier_version,
            "rules_sha256": records.rules.rules_sha256,
        },
        "audit_log": {
            "entries": records.chain.entries,
            "head_hash": records.chain.hash,
            "verify": f"notifier audit verify --head {records.chain.hash}",
        },
        "files": [
            {"name": file_name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for file_name, data in files.items()
        ],
    }
    return (json.dumps(content, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def check_out(out: Path) -> None:
    """Where a pack may go: a .zip file, or a folder (made if missing). An existing file of
    another kind, a missing parent folder, or a folder that already holds a pack is bad input,
    found before anything is built."""
    if not out.parent.is_dir():
        raise _bad_out(out, f"its folder {out.parent} does not exist")
    if out.suffix.lower() == ".zip":
        if out.is_dir():
            raise _bad_out(out, "is a folder; give a file name ending in .zip, or a folder")
        return
    if out.exists() and not out.is_dir():
        raise _bad_out(out, "is a file; give a folder or a file name ending in .zip")
    if (out / MANIFEST).exists():
        raise _bad_out(out, "already holds a pack (manifest.json); give a new folder")


def write_pack(pack: Pack, out: Path) -> Path:
    """To `out` (see check_out): a .zip file, or a folder of the pack's files."""
    check_out(out)
    if out.suffix.lower() == ".zip":
        out.write_bytes(pack.zip_bytes())
        return out
    out.mkdir(exist_ok=True)
    for file_name, data in pack.files.items():
        (out / file_name).write_bytes(data)
    return out


def _bad_out(out: Path, why: str) -> InputError:
    return InputError([Problem("--out", f"'{out}' {why}")])
