"""officielebekendmakingen XML: the real OP samples in shared/ and hand-written kst XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes, parse_file
from pipelines.formats.koop_xml import (
    normalize_dossier_number,
    normalize_parliamentary_year,
    parse_koop_xml,
    read_metadata_record,
)
from pipelines.model import ParseError
from tests.formats.sample_letter import render_koop_xml

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"
needs_reference = pytest.mark.skipif(not REFERENCE.is_dir(), reason="no shared/reference")


def _kst(body: str, extra: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<officiele-publicatie><kamerstuk>
<kamerstukkop><tekstregel inhoud="vergaderjaar">Vergaderjaar 2023-2024</tekstregel></kamerstukkop>
<dossier><dossiernummer><dossiernr>34 300</dossiernr>
<begrotingshoofdstuk>VII</begrotingshoofdstuk></dossiernummer>
<titel>Vaststelling begroting</titel></dossier>
<stuk><stuknr>Nr. <ondernummer kamer="1">AB</ondernummer></stuknr>
<titel>BRIEF VAN DE STAATSSECRETARIS VAN BINNENLANDSE ZAKEN</titel>
<datumtekst>Ontvangen <datum isodatum="2024-03-12">12 maart 2024</datum></datumtekst>
<algemeen><vrije-tekst><tekst>{body}</tekst></vrije-tekst></algemeen>{extra}
</stuk></kamerstuk></officiele-publicatie>""".encode()


def test_sample_letter_states_its_facts() -> None:
    document = parse_bytes(render_koop_xml(), "kst-33783-46.xml")
    assert document.source_format == "koop_xml"
    assert document.encoding == "utf-8-sig"
    assert document.metadata == {
        "house": "Tweede Kamer",
        "parliamentary_year": "2019-2020",
        "dossier_number": "33783",
        "dossier_title": "Nucleaire ontwapening en non-proliferatie",
        "document_number": "46",
        "doc_type": "brief van de minister",
        "sender": "Minister van Buitenlandse Zaken",
        "date": "2020-07-06",
    }
    first = next(b for b in document.blocks if b.text.startswith("Zoals toegezegd"))
    assert "kernwapenbeleid" in first.text
    assert "Raadpleegbaar" not in first.text and first.note_refs == [1]


def test_header_facts_footnotes_and_repeated_note_reference() -> None:
    body = (
        '<al>Eerste zin.<noot id="n-a" type="voet"><noot.nr>1</noot.nr>'
        "<noot.al>Kamerstuk 36 200 VII, nr. 5.</noot.al></noot> Tweede zin."
        '<noot id="n-b" type="voet"><noot.nr>2</noot.nr><noot.al>Tweede noot.</noot.al></noot></al>'
        '<al>Opnieuw<nootref refid="n-a"/>.</al>'
    )
    document = parse_koop_xml(_kst(body), "x.xml", "0")
    assert document.metadata["dossier_number"] == "34300-VII"
    assert document.metadata["document_number"] == "AB"
    assert document.metadata["house"] == "Eerste Kamer"
    assert document.metadata["date"] == "2024-03-12"
    assert document.metadata["parliamentary_year"] == "2023-2024"
    assert document.metadata["sender"] == "Staatssecretaris van Binnenlandse Zaken"
    texts = [b.text for b in document.blocks]
    assert texts[:3] == ["Vergaderjaar 2023-2024", "34 300 VII", "Vaststelling begroting"]
    assert "Eerste zin. Tweede zin." in texts
    refs = [b.note_refs for b in document.blocks if b.note_refs]
    assert refs == [[1, 2], [1]]
    assert [(n.number, n.text) for n in document.footnotes] == [
        (1, "Kamerstuk 36 200 VII, nr. 5."),
        (2, "Tweede noot."),
    ]


def test_lists_headings_tables_and_split_signature_roles() -> None:
    body = (
        "<tussenkop>Aanleiding</tussenkop>"
        '<lijst type="expliciet"><li><li.nr>a.</li.nr><al>eerste;</al></li>'
        "<li><li.nr>b.</li.nr><al>tweede.</al><lijst><li><li.nr>\u2013</li.nr><al>dieper</al></li>"
        "</lijst></li></lijst>"
        "<table><tgroup cols='2'><tbody><row><entry><al>Jaar</al></entry><entry><al>2024</al>"
        "</entry></row></tbody></tgroup></table>"
    )
    sluiting = (
        "<tekst-sluiting><ondertekening><functie>De Minister</functie> voor Rechtsbescherming,"
        "<naam><voornaam>S.</voornaam><achternaam>Dekker</achternaam></naam></ondertekening>"
        "<ondertekening>De <functie>Staatssecretaris</functie> van <organisatie afkorting='BZK'>"
        "Binnenlandse Zaken</organisatie>,<naam><achternaam>M. J. J. van Amelsvoort</achternaam>"
        "</naam></ondertekening></tekst-sluiting>"
    )
    document = parse_koop_xml(_kst(body, sluiting), "x.xml", "0")
    kinds = [(b.kind, b.level, b.text) for b in document.blocks]
    assert ("heading", 0, "Aanleiding") in kinds
    assert ("list_item", 0, "a. eerste;") in kinds
    assert ("list_item", 1, "dieper") in kinds
    assert any(b.layout == "Jaar\t2024" for b in document.blocks)
    assert [(s.role, s.name) for s in document.signers] == [
        ("De Minister voor Rechtsbescherming", "S. Dekker"),
        ("De Staatssecretaris van Binnenlandse Zaken", "M. J. J. van Amelsvoort"),
    ]
    rows = extract_letter(document)
    assert [(s["role"], s["name"]) for s in rows.signatories][0] == (
        "De Minister voor Rechtsbescherming",
        "S. Dekker",
    )
    assert rows.letter["letter_id"] == "kst-34300-VII-AB"


def test_legacy_kamerwrk_dialect() -> None:
    xml = b"""<?xml version="1.0" encoding="iso-8859-1"?>
<kamerwrk kamer="2" publtype="kst">
<frontm><versie dtd="kamerwrk"/><vergjaar>2003-2004</vergjaar>
<onderw><nummer>29 200 VII</nummer><naam>Begroting Binnenlandse Zaken 2004</naam></onderw></frontm>
<body><stuk><ltrlabel>A</ltrlabel><nummer>12</nummer>
<titel>BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN</titel>
<al>Hierbij bericht ik u<voetref ref="v1"/> over de stand van zaken.</al>
<witreg/><tuskop>Vervolg</tuskop><al>Het gaat goed met caf\xe9s.</al>
<ondtek><functie>De Minister van Binnenlandse Zaken,</functie><naam>J.W. Remkes</naam></ondtek>
</stuk></body>
<voetnoot id="v1" nr="1"><al>Zie de eerdere brief.</al></voetnoot>
</kamerwrk>"""
    document = parse_bytes(xml, "legacy.xml")
    assert document.encoding == "iso-8859-1"
    assert document.metadata == {
        "parliamentary_year": "2003-2004",
        "dossier_number": "29200-VII",
        "dossier_title": "Begroting Binnenlandse Zaken 2004",
        "house": "Tweede Kamer",
        "document_number": "12",
        "doc_type": "brief van de minister",
        "sender": "Minister van Binnenlandse Zaken",
    }
    assert [b.text for b in document.blocks][:2] == [
        "Nr. 12",
        "BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN",
    ]
    assert "Het gaat goed met caf\u00e9s." in [b.text for b in document.blocks]
    assert [(n.number, n.text) for n in document.footnotes] == [(1, "Zie de eerdere brief.")]
    assert [(s.role, s.name) for s in document.signers] == [
        ("De Minister van Binnenlandse Zaken", "J.W. Remkes")
    ]


@needs_reference
def test_real_staatsblad_sample() -> None:
    """BOM, indentation inside mixed content, `<?xpp?>` PIs, `lijst`, two signers."""
    data = (REFERENCE / "koop_op_xml" / "stb-2018-84.xml").read_bytes()
    document = parse_bytes(data, "stb-2018-84.xml")
    texts = [b.text for b in document.blocks]
    assert texts[0] == "Staatsblad"
    assert texts[1].startswith("Besluit van 9 maart 2018, houdende vaststelling")
    assert "Wassenaar, 9 maart 2018" in texts
    items = [b.text for b in document.blocks if b.kind == "list_item"]
    assert items[0].startswith("a. op de voorzijde") and items[1].startswith("b. op de keerzijde")
    assert [(s.role, s.name) for s in document.signers] == [
        ("De Staatssecretaris van Financiën", "M. Snel"),
        ("De Minister van Justitie en Veiligheid", "F.B.J. Grapperhaus"),
    ]


@needs_reference
def test_real_staatscourant_sample_and_metadata_record() -> None:
    data = (REFERENCE / "koop_op_xml" / "stcrt-2015-47076.xml").read_bytes()
    texts = [b.text for b in parse_bytes(data, "stcrt.xml").blocks]
    assert "Bergen, 2 3 december 2015" in texts
    record = (REFERENCE / "koop_metadata" / "gmb-2024-216934.metadata.xml").read_bytes()
    with pytest.raises(ParseError, match=r"^metadata\.xml: a KOOP metadata record"):
        parse_bytes(record, "metadata.xml")


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE kamerwrk [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<kamerwrk><body><stuk><al>Tekst &x; einde.</al></stuk></body></kamerwrk>"
    ).encode()
    with pytest.raises(ParseError, match=r"^xxe\.xml: koop_xml that declares entities"):
        parse_bytes(xml, "xxe.xml")
    document = parse_koop_xml(xml, "xxe.xml", "0" * 64)
    assert all("GEHEIM" not in b.text for b in document.blocks), "the parser itself is safe too"


def test_broken_xml_is_a_parse_error_with_name_and_reason() -> None:
    with pytest.raises(ParseError, match=r"^kapot\.xml: broken XML"):
        parse_bytes(b"<?xml version='1.0'?><officiele-publicatie><kamerstuk>", "kapot.xml")


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("33 783", "33783"), ("34 300-VII", "34300-VII"), ("36 200 V", "36200-V"),
     ("21 501-32", "21501-32"), ("36\u00a0200 A", "36200-A")],
)  # fmt: skip
def test_normalize_dossier_number(printed: str, expected: str) -> None:
    assert normalize_dossier_number(printed) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("Vergaderjaar 2019\u20132020", "2019-2020"), ("2019/20", "2019-2020"),
     ("20242025", "2024-2025"), ("1999-2000", "1999-2000"), ("2019-2021", None)],
)  # fmt: skip
def test_normalize_parliamentary_year(printed: str, expected: str | None) -> None:
    assert normalize_parliamentary_year(printed) == expected


def test_metadata_record_beside_the_xml_fills_missing_facts(tmp_path: Path) -> None:
    body = "<al>Den Haag, 12 maart 2024</al><al>Tekst van de brief.</al>"
    xml = (
        _kst(body)
        .replace(b"<datumtekst>Ontvangen", b"<datumtekst>")
        .replace(b'<datum isodatum="2024-03-12">12 maart 2024</datum>', b"")
    )
    (tmp_path / "kst-34300-VII-AB.xml").write_bytes(xml)
    (tmp_path / "kst-34300-VII-AB.metadata.xml").write_text(
        '<metadata_gegevens><metadata name="DC.identifier" content="kst-34300-VII-AB"/>'
        '<metadata name="OVERHEIDop.dossiernummer" content="99999"/>'
        '<metadata name="OVERHEIDop.datumBrief" scheme="DCTERMS.W3CDTF" content="2024-03-11"/>'
        '<metadata name="OVERHEIDop.vergaderjaar" content="2023-2024"/>'
        '<metadata name="DC.creator" content="Eerste Kamer der Staten-Generaal"/>'
        "</metadata_gegevens>",
        encoding="utf-8",
    )
    document = parse_file(tmp_path / "kst-34300-VII-AB.xml", "kst-34300-VII-AB.xml")
    assert document.metadata["date"] == "2024-03-11"
    assert document.metadata["dossier_number"] == "34300-VII"


@needs_reference
def test_owms_metadata_record_is_read() -> None:
    record = (REFERENCE / "koop_metadata" / "gmb-2024-216934.owms-metadata.xml").read_bytes()
    assert read_metadata_record(record, "owms.xml") == {}
    facts = read_metadata_record(
        b'<owms-metadata xmlns:o="http://standaarden.overheid.nl/oep/meta/">'
        b"<oep><o:dossiernummer>36 200 V</o:dossiernummer><o:ondernummer>12</o:ondernummer>"
        b"</oep></owms-metadata>",
        "owms.xml",
    )
    assert facts == {"dossier_number": "36200-V", "document_number": "12"}


def test_answers_to_written_questions() -> None:
    xml = b"""<?xml version="1.0"?><officiele-publicatie><kamervragen>
<kamervraagkop><tekstregel>Tweede Kamer der Staten-Generaal</tekstregel>
<tekstregel>Vergaderjaar 2024-2025</tekstregel></kamervraagkop>
<kamervraagomschrijving>Vragen van het lid <naam><achternaam>Jansen</achternaam></naam> over
<kamervraagonderwerp>de Woo</kamervraagonderwerp> (ingezonden 20 december 2024).
</kamervraagomschrijving>
<vraag><nr>Vraag 1</nr><al>Kent u het bericht?<noot id="n1" type="voet"><noot.nr>1</noot.nr>
<noot.al>NOS, 1 december 2024.</noot.al></noot></al></vraag>
<antwoord><nr>Antwoord 1</nr><al>Ja.</al></antwoord>
<vraag><nr>Vraag 2</nr><al>Wat vindt u ervan?</al></vraag>
<antwoord><nr>Antwoord 2</nr><al>Niets.</al></antwoord>
</kamervragen></officiele-publicatie>"""
    document = parse_bytes(xml, "ah-tk-20242025-1244.xml")
    assert document.metadata == {"house": "Tweede Kamer", "parliamentary_year": "2024-2025"}
    letter = extract_letter(document)
    assert [(q["question_no"], q["question"], q["answer"]) for q in letter.questions] == [
        (1, "Kent u het bericht?", "Ja."),
        (2, "Wat vindt u ervan?", "Niets."),
    ]
    assert [(n["footnote_no"], n["text"]) for n in letter.footnotes] == [
        (1, "NOS, 1 december 2024.")
    ]


def test_undeclared_windows_1252_xml_is_read_and_reported() -> None:
    xml = "<kamerwrk><body><stuk><al>Caf\u00e9 \u2018de Kamer\u2019.</al></stuk></body></kamerwrk>"
    document = parse_bytes(xml.encode("cp1252"), "oud.xml")
    assert document.encoding == "cp1252"
    assert document.blocks[0].text == "Caf\u00e9 \u2018de Kamer\u2019."
