"""Harvest then refresh: the harvested letters are published with the portal's document number,
cases and signers, a withdrawn letter leaves the next release, and the ingest report lists
where the portal and the print disagree."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from pipelines.defs.runner import run_refresh
from tests.formats.sample_letter import render_koop_xml
from tests.harvest.fakes import FakeServices
from tests.harvest.test_run import METADATA, harvest, letter, number

VAN_WEEL = {"ActorNaam": "D.M. van Weel", "Functie": "minister van Justitie en Veiligheid",
            "Relatie": "Eerste ondertekenaar"}  # fmt: skip


def _rows(published: Path, table: str) -> list[dict]:
    return pq.read_table(published / "latest" / f"{table}.parquet").to_pylist()


def test_harvested_letters_are_published_and_a_withdrawn_one_leaves(tmp_path: Path) -> None:
    raw, published, cache = tmp_path / "raw", tmp_path / "published", tmp_path / "cache"
    with FakeServices() as fake:
        for n in range(3):
            fake.add_document(number(n), letter(n), datum=f"2024-09-1{n}", actors=[VAN_WEEL],
                              zaken=[f"2024Z1400{n}"])  # fmt: skip
        fake.add_publication("kst-33783-46", render_koop_xml(), METADATA)
        assert harvest(fake, raw).new == 4
        first = run_refresh(raw, published, cache)
        assert first.success and first.published and first.rejections == []
        letters = {row["letter_id"]: row for row in _rows(published, "letters")}
        assert sorted(letters) == ["kst-33783-46", "tk-2024D30000", "tk-2024D30001",
                                   "tk-2024D30002"]  # fmt: skip
        assert letters["tk-2024D30001"]["tk_document_number"] == "2024D30001"
        assert letters["tk-2024D30001"]["tk_document_id"] == fake.document_id(number(1))
        assert letters["tk-2024D30001"]["source_path"] == "tk/2024D30001.docx"
        assert letters["kst-33783-46"]["tk_document_number"] is None
        assert [(r["letter_id"], r["case_number"]) for r in _rows(published, "cases")] == [
            ("tk-2024D30000", "2024Z14000"), ("tk-2024D30001", "2024Z14001"),
            ("tk-2024D30002", "2024Z14002"),
        ]  # fmt: skip
        assert {r["name"] for r in _rows(published, "portal_signers")} == {"D.M. van Weel"}
        report = json.loads((published / "ingest-report.json").read_text())
        notes = json.dumps(report, ensure_ascii=False)
        assert "portal disagrees: date printed 2023-10-02, portal 2024-09-11" in notes
        assert "portal disagrees: signers printed vries, portal weel" in notes

        fake.withdraw_document(number(1))
        assert harvest(fake, raw, since=None).withdrawn == 1
        second = run_refresh(raw, published, cache)
    assert second.published and second.version != first.version
    assert "tk-2024D30001" not in {row["letter_id"] for row in _rows(published, "letters")}
    changelog = (published / "latest" / "CHANGELOG.md").read_text()
    assert "Removed: `tk-2024D30001`" in changelog
    assert "tk-2024D30001" in (published / first.version / "letters.csv").read_text()
