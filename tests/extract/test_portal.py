"""What the portal's record adds to a harvested letter: the letter's print wins, the portal
fills gaps and names the letter that prints no Kamerstuk number, disagreements become notes."""

from __future__ import annotations

from datetime import date

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes
from pipelines.model import PortalCase, PortalRecord, PortalSigner
from tests.formats.sample_letter import render_koop_xml
from tests.formats.test_docx_ministry import DATES, ministry_letter

PERSON = "7a6b35c1-4d3e-4f0a-9b8c-0123456789ab"
DE_VRIES = PortalSigner("J. de Vries", "minister van Justitie en Veiligheid",
                        "Eerste ondertekenaar", None, PERSON)  # fmt: skip


def _record(**values: object) -> PortalRecord:
    base = {"document_id": "00000000-0000-4000-8000-0000000000d1",
            "document_number": "2024D34636"}  # fmt: skip
    return PortalRecord(**(base | values))


def _letter(portal: PortalRecord, day: date = DATES[0]):
    document = parse_bytes(ministry_letter(0, day, "fldSimple")[0], "tk/2024D34636.docx")
    document.portal = portal
    return extract_letter(document)


def test_a_letter_without_kamerstuk_number_takes_the_portal_number() -> None:
    parsed = _letter(_record(date=DATES[0].isoformat(), cases=[PortalCase("2024Z14098",
                     "Schriftelijke vragen", "Vragen over X")], signers=[DE_VRIES]))  # fmt: skip
    assert parsed.letter["letter_id"] == "tk-2024D34636"
    assert parsed.letter["tk_document_number"] == "2024D34636"
    assert parsed.letter["tk_document_id"] == "00000000-0000-4000-8000-0000000000d1"
    assert parsed.cases == [{"letter_id": "tk-2024D34636", "case_no": 1,
                             "case_number": "2024Z14098", "kind": "Schriftelijke vragen",
                             "title": "Vragen over X"}]  # fmt: skip
    assert parsed.portal_signers == [{"letter_id": "tk-2024D34636", "signer_no": 1,
                                      "name": "J. de Vries", "function": "minister van "
                                      "Justitie en Veiligheid", "relation": "Eerste "
                                      "ondertekenaar", "party": None,
                                      "person_id": PERSON}]  # fmt: skip
    assert [(s["name"], s["person_id"]) for s in parsed.signatories] == [("J. de Vries", PERSON)]
    assert parsed.notes == []


def test_the_portal_class_wins_and_no_person_id_for_another_surname() -> None:
    other = PortalSigner("P. Jansen", None, None, None, PERSON)
    parsed = _letter(_record(kind="Brief regering", signers=[other]))
    assert parsed.letter["doc_class"] == "Brief regering"
    assert [s["person_id"] for s in parsed.signatories] == [None]
    parsed = _letter(_record(kind="Stenogram"))
    assert parsed.letter["doc_class"] == "Antwoord schriftelijke vragen", "read from the print"


def test_the_portal_dossier_and_volgnummer_give_a_kamerstuk_id_and_fill_gaps() -> None:
    parsed = _letter(_record(dossier_number="29279", number_in_dossier="874"))
    assert parsed.letter["letter_id"] == "kst-29279-874"
    assert (parsed.letter["dossier_number"], parsed.letter["document_number"]) == ("29279", "874")


def test_the_printed_values_win_and_disagreements_are_noted() -> None:
    portal = _record(date="2024-07-26", dossier_number="29279", number_in_dossier="874",
                     signers=[PortalSigner("F. Grapperhaus", None, None, None)])  # fmt: skip
    document = parse_bytes(render_koop_xml(), "koop/kst-33783-46.xml")
    document.portal = portal
    parsed = extract_letter(document)
    assert parsed.letter["letter_id"] == "kst-33783-46"
    assert parsed.letter["date"] == date(2020, 7, 6)
    assert parsed.notes == [
        "portal disagrees: date printed 2020-07-06, portal 2024-07-26",
        "portal disagrees: dossier_number printed 33783, portal 29279",
        "portal disagrees: document_number printed 46, portal 874",
        "portal disagrees: signers printed blok, portal grapperhaus",
    ]


def test_same_person_written_differently_is_no_disagreement() -> None:
    written_otherwise = PortalSigner("mr. J. de  Vries", None, None, None)
    parsed = _letter(_record(date=DATES[0].isoformat(), signers=[written_otherwise]))
    assert parsed.notes == []
