"""The ingest report: which raw files did not become letters, and why, beside the releases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.ingest import IngestResult
from pipelines.publish.files import json_bytes, write_atomic
from pipelines.tablefiles import TableLike, read_columns

REPORT = "ingest-report.json"


UTF8 = ["utf-8", "utf-8-sig"]


def ingest_report(result: IngestResult, raw_files: int, letters: TableLike) -> dict[str, Any]:
    """The report's content: counts, every rejected file with its reason, and the letters worth
    a look (published, but read from a legacy encoding), each sorted by path.

    The warnings come from the built `letters` table, so letters kept from the previous build
    without being read again are noted as well. The report holds no timestamps and no cache
    statistics (those are in the run's metadata), so the same raw folder always gives the same
    report.
    """
    columns = read_columns(letters, ["source_path", "source_encoding"])
    legacy = columns.filter(
        pc.invert(pc.is_in(pc.fill_null(columns["source_encoding"], "utf-8"), pa.array(UTF8)))
    ).sort_by("source_path")
    return {
        "raw_files": raw_files,
        "letters": result.letter_count,
        "rejected": [
            {"path": r.path, "reason": r.reason}
            for r in sorted(result.rejections, key=lambda r: r.path)
        ],  # fmt: skip
        "warnings": [
            {"path": path, "warning": f"read as {encoding}, not UTF-8; published"}
            for path, encoding in zip(
                legacy["source_path"].to_pylist(),
                legacy["source_encoding"].to_pylist(),
                strict=True,
            )
        ],  # fmt: skip
    }


def write_ingest_report(out_dir: Path, report: dict[str, Any]) -> Path:
    """Write the report to `OUT/ingest-report.json` atomically and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / REPORT
    write_atomic(path, json_bytes(report))
    return path
