"""The portal's record saved beside a harvested letter (`.tk.json`): read from the reference's
Document row, found beside its file, and refused with a clear reason when broken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.formats import metadata_record_for, parse_bytes, parse_file
from pipelines.formats.portal import read_portal_record
from pipelines.model import ParseError, PortalCase, PortalSigner
from tests.formats.sample_letter import render_docx

EXAMPLE = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "tk-opendata" / "examples"
    / "odata_document_page_reconstructed.json"
)  # fmt: skip


def _row() -> dict:
    if EXAMPLE.is_file():
        return json.loads(EXAMPLE.read_text())["value"][0]
    pytest.skip("../shared/reference is not beside the repo")


def test_reads_the_reference_document_row() -> None:
    record = read_portal_record(json.dumps(_row()).encode(), "2024D34636.tk.json")
    assert record.document_id == "00000000-0000-4000-8000-0000000000d1"
    assert record.document_number == "2024D34636"
    assert record.kind == "Brief regering"
    assert record.date == "2024-09-23"
    assert record.subject == "Voortgang maatregelen strafrechtketen"
    assert record.parliamentary_year == "2024-2025"
    assert (record.dossier_number, record.number_in_dossier) == ("29279", "874")
    assert record.signers == [
        PortalSigner("D.M. van Weel", "minister van Justitie en Veiligheid",
                     "Eerste ondertekenaar", None),
        PortalSigner("T.H.D. Struycken", "staatssecretaris van Justitie en Veiligheid",
                     "Mede ondertekenaar", None),
    ]  # fmt: skip
    assert record.cases == [
        PortalCase("2024Z14098", "Brief regering", "Voortgang maatregelen strafrechtketen")
    ]


def test_toevoeging_deleted_rows_and_no_volgnummer() -> None:
    row = _row() | {"Volgnummer": -1}
    row["Kamerstukdossier"] = [{"Nummer": 36600, "Toevoeging": "VI", "Verwijderd": False}]
    row["Zaak"] = [{"Nummer": "2024Z00001", "Verwijderd": True}, {"Nummer": "../x"}]
    row["DocumentActor"] = [{"ActorNaam": "X", "Verwijderd": True}]
    record = read_portal_record(json.dumps(row).encode(), "r.tk.json")
    assert (record.dossier_number, record.number_in_dossier) == ("36600-VI", None)
    assert record.cases == [] and record.signers == []
    row["Kamerstukdossier"] = [{"Nummer": 36600, "Toevoeging": "(R2090)"}]
    assert read_portal_record(json.dumps(row).encode(), "r.tk.json").dossier_number is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"Id": "x", "DocumentNummer": "../../etc"}', "no DocumentNummer"),
        (b'{"DocumentNummer": "2024D34636"}', "no Id"),
    ],
)
def test_a_broken_record_is_an_error_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=rf"^brief\.docx \(portal record\): .*{reason}"):
        parse_bytes(render_docx(), "brief.docx", data)


def test_the_record_beside_a_letter_is_found_and_read_with_it(tmp_path: Path) -> None:
    (tmp_path / "2024D34636.docx").write_bytes(render_docx())
    (tmp_path / "2024D34636.tk.json").write_text(json.dumps(_row()))
    letter = tmp_path / "2024D34636.docx"
    assert metadata_record_for(letter) == tmp_path / "2024D34636.tk.json"
    document = parse_file(letter, "tk/2024D34636.docx")
    assert document.portal is not None and document.portal.document_number == "2024D34636"
