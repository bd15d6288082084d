"""The ingest report: which raw files did not become letters, and why, beside the releases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.ingest.run import IngestResult
from pipelines.util import json_bytes, write_atomic

REPORT = "ingest-report.json"


def ingest_report(result: IngestResult, raw_files: int) -> dict[str, Any]:
    """The report's content: counts, every rejected file with its reason, and the notes on
    published letters worth a look (read from a legacy encoding, a value left empty), each
    sorted by path.

    It holds no timestamps and no cache statistics (those are in the run's metadata), so the
    same raw folder always gives the same report.
    """
    return {
        "raw_files": raw_files,
        "letters": result.letter_count,
        "rejected": [
            {"path": r.path, "reason": r.reason}
            for r in sorted(result.rejections, key=lambda r: r.path)
        ],  # fmt: skip
        "warnings": [
            {"path": path, "warning": note}
            for path, notes in sorted(result.rows.notes.items())
            for note in notes
        ],  # fmt: skip
    }


def write_ingest_report(out_dir: Path, report: dict[str, Any]) -> Path:
    """Write the report to `OUT/ingest-report.json` atomically and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / REPORT
    write_atomic(path, json_bytes(report))
    return path
