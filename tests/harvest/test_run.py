"""Harvests against the fake Gegevensmagazijn and KOOP services: backfill, incremental runs with
new, changed and withdrawn documents, every fault the services show, and hostile records."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

import pytest
import requests

from pipelines.harvest import Harvest, HarvestReport
from pipelines.harvest.http import HttpSettings
from pipelines.harvest.run import vergaderjaar_start
from tests.formats.sample_letter import render_koop_xml, render_pdf
from tests.formats.test_docx_ministry import DATES, ministry_letter
from tests.harvest.fakes import (
    FakeServices,
    Html200,
    LoopingNextLink,
    RedirectOffHost,
    ResetMidBody,
    ShiftDuringPaging,
    ShortBody,
    Slow,
    Status,
)

FAST = HttpSettings(backoff=0.01, max_wait=0.05, retries=3, read_timeout=2.0)
SINCE = date(2024, 9, 1)
METADATA = (
    b'<?xml version="1.0" encoding="UTF-8"?><metadata_gegevens>'
    b'<metadata name="DC.type" scheme="OVERHEIDop.KamerstukTypen" content="Brief"/>'
    b"</metadata_gegevens>"
)


@cache
def letter(n: int) -> bytes:
    """A distinct real-looking Word letter (ministry, date and kenmerk vary with `n`); made
    once, as a zip carries the time it was written."""
    day = DATES[n % 3].replace(day=1 + n % 28)
    return ministry_letter(n % 3, day, ("fldSimple", "fldChar", "sdt")[n % 3])[0]


def number(n: int) -> str:
    return f"2024D{30000 + n:05d}"


def harvest(fake: FakeServices, raw: Path, **options: object) -> HarvestReport:
    options.setdefault("since", SINCE)
    options.setdefault("http", FAST)
    return Harvest(
        raw=raw, tk_url=fake.tk_url, koop_url=fake.koop_url, show_progress=False, **options
    ).run()


def snapshot(raw: Path) -> dict[str, str]:
    """Every file the harvest leaves for ingest (its own state aside), by content hash."""
    return {
        path.relative_to(raw).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(raw.rglob("*"))
        if path.is_file() and ".harvest" not in path.parts
    }


@pytest.fixture
def fake() -> Iterator[FakeServices]:
    with FakeServices(page_size=4, sru_page_cap=3) as services:
        for n in range(10):
            services.add_document(
                number(n),
                letter(n),
                datum=f"2024-09-{10 + n:02d}",
                actors=[
                    {
                        "ActorNaam": "D.M. van Weel",
                        "Functie": "minister van Justitie en Veiligheid",
                        "Relatie": "Eerste ondertekenaar",
                    }
                ],  # fmt: skip
                zaken=[f"2024Z{14000 + n}"],
            )
        services.add_document("2024D30099", letter(99), datum="2024-08-01")  # before `since`
        services.add_document("2024D30098", letter(98), soort="Verslag", datum="2024-09-20")
        for n in range(5):
            services.add_publication(
                f"kst-36600-{n + 1}", render_koop_xml(), METADATA, modified=f"2024-09-{12 + n}"
            )
        yield services


def test_backfill_stores_every_letter_with_its_record(fake: FakeServices, tmp_path: Path) -> None:
    report = harvest(fake, tmp_path)
    assert (report.new, report.changed, report.withdrawn, report.failed) == (15, 0, 0, [])
    assert report.exit_code == 0
    files = snapshot(tmp_path)
    assert sorted(name for name in files if name.startswith("tk/")) == sorted(
        [f"tk/{number(n)}.docx" for n in range(10)] + [f"tk/{number(n)}.tk.json" for n in range(10)]
    )
    assert sorted(name for name in files if name.startswith("koop/")) == sorted(
        [f"koop/kst-36600-{n}.xml" for n in range(1, 6)]
        + [f"koop/kst-36600-{n}.metadata.xml" for n in range(1, 6)]
    )
    assert (tmp_path / "tk" / f"{number(3)}.docx").read_bytes() == letter(3)
    record = json.loads((tmp_path / "tk" / f"{number(3)}.tk.json").read_text())
    assert record["DocumentNummer"] == number(3)
    assert record["Id"] == fake.document_id(number(3))
    assert [zaak["Nummer"] for zaak in record["Zaak"]] == ["2024Z14003"]
    assert record["DocumentActor"][0]["ActorNaam"] == "D.M. van Weel"
    text = (tmp_path / "tk" / f"{number(3)}.tk.json").read_text()
    assert text == json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    assert (tmp_path / "koop" / "kst-36600-2.xml").read_bytes() == render_koop_xml()
    assert {request.host.split(":")[0] for request in fake.requests} == {"127.0.0.1"}


def test_second_run_fetches_nothing_and_downloads_nothing(
    fake: FakeServices, tmp_path: Path
) -> None:
    harvest(fake, tmp_path)
    before = snapshot(tmp_path)
    fake.reset_log()
    report = harvest(fake, tmp_path, since=None)
    assert (report.new, report.changed, report.withdrawn, report.bytes) == (0, 0, 0, 0)
    assert snapshot(tmp_path) == before
    assert not [r for r in fake.requests if "resource" in r.path or "/frbr/" in r.path]


def test_incremental_new_changed_replaced_and_withdrawn(fake: FakeServices, tmp_path: Path) -> None:
    harvest(fake, tmp_path)
    fake.add_document(number(20), letter(20), datum="2024-10-01")
    fake.replace_document(number(2), render_pdf())
    fake.update_document(number(4), onderwerp="Een nieuwe titel")
    fake.withdraw_document(number(5))
    fake.update_publication("kst-36600-3", render_koop_xml() + b"\n", modified="2024-10-02")
    fake.reset_log()
    report = harvest(fake, tmp_path, since=None)
    assert (report.new, report.changed, report.withdrawn, report.failed) == (1, 3, 1, [])
    files = snapshot(tmp_path)
    assert f"tk/{number(20)}.docx" in files
    assert f"tk/{number(2)}.pdf" in files and f"tk/{number(2)}.docx" not in files
    assert (tmp_path / "tk" / f"{number(2)}.pdf").read_bytes() == render_pdf()
    record = json.loads((tmp_path / "tk" / f"{number(4)}.tk.json").read_text())
    assert record["Onderwerp"] == "Een nieuwe titel"
    assert not [name for name in files if name.startswith(f"tk/{number(5)}")]
    assert (tmp_path / "koop" / "kst-36600-3.xml").read_bytes() == render_koop_xml() + b"\n"
    downloads = sorted(r.path for r in fake.requests if "resource" in r.path)
    assert downloads == sorted(
        f"/OData/v4/2.0/Document({fake.document_id(n)})/resource" for n in (number(20), number(2))
    )


def test_same_result_as_one_backfill_after_changes(fake: FakeServices, tmp_path: Path) -> None:
    """Incremental runs end with the files a fresh backfill of the same source state gives."""
    harvest(fake, tmp_path / "incremental")
    fake.replace_document(number(7), render_pdf())
    fake.withdraw_document(number(1))
    harvest(fake, tmp_path / "incremental", since=None)
    harvest(fake, tmp_path / "fresh")
    assert snapshot(tmp_path / "incremental") == snapshot(tmp_path / "fresh")


def test_dry_run_lists_and_writes_nothing(fake: FakeServices, tmp_path: Path) -> None:
    report = harvest(fake, tmp_path, dry_run=True)
    assert (report.new, report.changed, report.bytes) == (15, 0, 0)
    assert snapshot(tmp_path) == {}
    assert not (tmp_path / ".harvest" / "state.json").exists()
    assert not [r for r in fake.requests if "resource" in r.path or "/frbr/" in r.path]
    assert report.summary().startswith("Would fetch: 15 new, 0 changed, 0 withdrawn, 0 failed")


def test_limit_stops_after_that_many_and_the_next_run_goes_on(
    fake: FakeServices, tmp_path: Path
) -> None:
    report = harvest(fake, tmp_path, sources=("tk",), limit=4)
    assert report.new == 4
    assert len([n for n in snapshot(tmp_path) if n.endswith(".docx")]) == 4
    report = harvest(fake, tmp_path, sources=("tk",), since=None)
    assert report.new == 6
    assert len([n for n in snapshot(tmp_path) if n.endswith(".docx")]) == 10


@pytest.mark.parametrize(
    ("fault", "match"),
    [
        (Status(500), "resource"),
        (Status(503, html=True), "Document?"),
        (Status(429, retry_after=0), "resource"),
        (ResetMidBody(after=200), "resource"),
        (ShortBody(missing=50), "resource"),
        (Slow(0.2), "resource"),
        (Status(503), "/sru"),
        (ResetMidBody(after=50), "/frbr/"),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, str) else value,
)
def test_transient_faults_are_retried_and_nothing_is_lost(
    fake: FakeServices, tmp_path: Path, fault: object, match: str
) -> None:
    fake.inject(fault, match=match, times=2)
    report = harvest(fake, tmp_path / "faulty")
    harvest(fake, tmp_path / "clean")
    assert report.failed == [] and report.exit_code == 0
    assert snapshot(tmp_path / "faulty") == snapshot(tmp_path / "clean")
    assert not list((tmp_path / "faulty" / ".harvest" / "tmp").iterdir())


@pytest.mark.parametrize(
    "fault",
    [Html200(), ShortBody(missing=10), Status(500), RedirectOffHost()],
    ids=lambda fault: type(fault).__name__,
)
def test_a_document_that_keeps_failing_is_reported_and_retried_next_run(
    fake: FakeServices, tmp_path: Path, fault: object
) -> None:
    broken = fake.document_id(number(3))
    fake.inject(fault, match=f"Document({broken})/resource", times=100)
    report = harvest(fake, tmp_path, sources=("tk",))
    assert [(f.source, f.identifier) for f in report.failed] == [("tk", number(3))]
    assert report.exit_code == 1
    files = snapshot(tmp_path)
    assert not [name for name in files if name.startswith(f"tk/{number(3)}")]
    assert len([n for n in files if n.endswith(".docx")]) == 9
    assert (
        report.cursors["tk"]
        < json.loads((tmp_path / "tk" / f"{number(4)}.tk.json").read_text())["ApiGewijzigdOp"]
    )
    fake.clear_faults()
    report = harvest(fake, tmp_path, sources=("tk",), since=None)
    assert (report.new, report.failed, report.exit_code) == (1, [], 0)
    assert (tmp_path / "tk" / f"{number(3)}.docx").read_bytes() == letter(3)


def test_a_looping_next_link_is_refused(tmp_path: Path) -> None:
    with FakeServices(page_size=2) as fake:
        for n in range(6):
            fake.add_document(number(n), letter(n), datum="2024-09-12")
        fake.inject(LoopingNextLink(), match="Document?", times=100)
        report = harvest(fake, tmp_path, sources=("tk",))
    assert "tk" in report.unreachable and "comes back" in report.unreachable["tk"]
    assert report.exit_code == 2


def test_rows_shifting_during_paging_are_stored_once(tmp_path: Path) -> None:
    """A row inserted before the page being read repeats a row on the next page; each document
    is stored once, and the late row is found by the next run's overlap."""
    with FakeServices(page_size=3) as fake:
        for n in range(9):
            fake.add_document(number(n), letter(n), datum="2024-09-12")
        fake.inject(ShiftDuringPaging(), match="Document?", times=1)
        first = harvest(fake, tmp_path, sources=("tk",))
        second = harvest(fake, tmp_path, sources=("tk",), since=None)
        listed = {row["DocumentNummer"] for row in _all_rows(fake)}
    assert first.new == 9 and first.failed == []
    assert second.new == len(listed) - 9
    stored = {name.split("/")[1].split(".")[0] for name in snapshot(tmp_path)}
    assert stored == listed


def _all_rows(fake: FakeServices) -> list[dict]:
    rows, url = [], f"{fake.tk_url}Document?$filter=Verwijderd eq false"
    while url:
        page = requests.get(url, timeout=5).json()
        rows += page["value"]
        url = page.get("@odata.nextLink")
    return rows


def test_unreachable_service_is_exit_2_and_the_other_source_still_runs(
    fake: FakeServices, tmp_path: Path
) -> None:
    report = Harvest(
        raw=tmp_path, since=SINCE, tk_url="http://127.0.0.1:9/OData/v4/2.0/",
        koop_url=fake.koop_url, http=FAST, show_progress=False,
    ).run()  # fmt: skip
    assert set(report.unreachable) == {"tk"}
    assert report.exit_code == 2
    assert report.new == 5
    assert "not reachable: tk" in report.summary()


@pytest.mark.parametrize(
    ("tk_id", "koop_id"),
    [
        ("../../x", "kst-../../x-1"),
        ("2024D3000/../../x", "kst-36600-1/../../../../tmp/x-2"),
        ("..", "kst-36600-.-3"),
        ("2024D30001\x00", "kst-36600 -4"),
        ("/etc/passwd", "/kst-36600-5"),
    ],
)
def test_hostile_identifiers_are_refused_and_nothing_is_written_outside(
    tmp_path: Path, tk_id: str, koop_id: str
) -> None:
    raw = tmp_path / "raw"
    with FakeServices() as fake:
        fake.add_document(tk_id, letter(1), datum="2024-09-12")
        fake.add_document(number(2), letter(2), datum="2024-09-13")
        fake.add_publication("kst-36600-1", render_koop_xml(), METADATA)
        fake.add_publication(koop_id, render_koop_xml(), METADATA, dossier="36600")
        report = harvest(fake, raw)
    assert sorted((f.source, f.identifier) for f in report.refused) == [
        ("koop", koop_id), ("tk", tk_id)
    ]  # fmt: skip
    assert report.new == 2 and report.exit_code == 0
    outside = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(path.startswith("raw/") for path in outside)
    assert set(snapshot(raw)) == {
        f"tk/{number(2)}.docx", f"tk/{number(2)}.tk.json",
        "koop/kst-36600-1.xml", "koop/kst-36600-1.metadata.xml",
    }  # fmt: skip


def test_the_default_start_is_the_current_vergaderjaar() -> None:
    """A vergaderjaar opens on Prinsjesdag, the third Tuesday of September."""
    assert vergaderjaar_start(date(2024, 12, 6)) == date(2024, 9, 17)
    assert vergaderjaar_start(date(2025, 9, 16)) == date(2025, 9, 16)
    assert vergaderjaar_start(date(2025, 9, 15)) == date(2024, 9, 17)
    assert vergaderjaar_start(date(2026, 12, 6)) == date(2026, 9, 15)
