"""Citations: Kamerstukken in all their forms, TK numbers, Handelingen, Aanhangsel, URLs."""

from __future__ import annotations

import pytest

from pipelines.extract import extract_letter, references
from pipelines.extract.references import find_references
from pipelines.formats import parse_bytes


def _targets(text: str) -> list[str]:
    return [ref.target_id for ref in find_references(text)]


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("zie Kamerstuk 33 783, nr. 41.", ["kst-33783-41"]),
        (
            "Kamerstukken 33 783, nrs. 31, 32 en 35",
            ["kst-33783-31", "kst-33783-32", "kst-33783-35"],
        ),
        ("Kamerstuk 21 501-32, nr. 1703", ["kst-21501-32-1703"]),
        ("Kamerstuk 21501-32-1740", ["kst-21501-32-1740"]),
        ("(Kamerstuk 35 510, nr. 115)", ["kst-35510-115"]),
        ("(Kamerstuk 35510-115)", ["kst-35510-115"]),
        ("Kamerstukken II 2001/02 28 000 VI nr. 46", ["kst-28000-VI-46"]),
        ("Kamerstukken I 2021/22, 35 925, nr. E", ["kst-35925-E"]),
        ("Kamerstuk 32 500 XII, nr. 68", ["kst-32500-XII-68"]),
        ("de motie (29 435, nr. 256) is", ["kst-29435-256"]),
        ("(Kamerstuknummer 29 435, nr. 256)", ["kst-29435-256"]),
        ("aangenomen (kamerstuk 24 095 nr. 99).", ["kst-24095-99"]),
        ("de motie (Kamerstuk 30 306/30 307, letter D) aanvaard", ["kst-30306-D"]),
        ("naar uw Kamer gezonden (Kamerstuk 34 919) voorafgaand", ["kst-34919"]),
        ("Kamerstuk 31728, 30914, nr. 5", ["kst-31728-5"]),
        ("(Kamerstuk 33 694, nr. 49, 3 oktober 2019)", ["kst-33694-49"]),
        ("Kamerstukken II, 1999-2000, 26 271, nr. 6", ["kst-26271-6"]),
        ("Kamerstuk 33 783, nr.3", ["kst-33783-3"]),
        ("(Kamerstuk 32 813, nr. 12, 2019)", ["kst-32813-12"]),
    ],
)
def test_kamerstuk_citations(text: str, targets: list[str]) -> None:
    assert _targets(text) == targets


def test_dossier_cited_alone_has_no_document_number() -> None:
    (ref,) = find_references("(Kamerstuk 34 919)")
    assert (ref.kind, ref.dossier_number, ref.document_number) == ("kamerstuk", "34919", None)


@pytest.mark.parametrize(
    "text",
    [
        "Postbus 20018, 2500 EA Den Haag",
        "een bedrag van 12 500 euro",
        "Aanhangsel Handelingen, vergaderjaar 2021\u20132022, nr. 2646",
        "Kamerstuk 2023Z06024",
    ],
)
def test_look_alikes_are_not_kamerstukken(text: str) -> None:
    assert [r for r in find_references(text) if r.kind == "kamerstuk"] == []


@pytest.mark.parametrize(
    ("text", "kind", "target"),
    [
        ("kenmerk 2023Z05957", "zaak", "2023Z05957"),
        ("document 2023D14598", "document", "2023D14598"),
        ("(Handelingen II 2019/20, nr. 5, item 12)", "handelingen", "h-tk-20192020-5-12"),
        ("(Handelingen II 2015/16, nr. 43; VSO)", "handelingen", "h-tk-20152016-43"),
        (
            "Zie ook Aanhangsel Handelingen, vergaderjaar 2021\u20132022, nr. 2646.",
            "aanhangsel",
            "ah-tk-20212022-2646",
        ),
        (
            "(Aanhangsel Handelingen II 2023/24, nr. 1012)",
            "aanhangsel",
            "ah-tk-20232024-1012",
        ),
        ("geplaatst op www.pbl.nl.", "url", "https://www.pbl.nl"),
    ],
)
def test_other_citations(text: str, kind: str, target: str) -> None:
    assert [(r.kind, r.target_id) for r in find_references(text)] == [(kind, target)]


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("2023Z05957 en 2023D14598", ["2023Z05957", "2023D14598"]),
        ("x2023Z05957 en 12023D14598", []),
        ("de kamerstukken amerstuk Kamerstuk 33 783, nr. 41", ["kst-33783-41"]),
        ("amerstuk, Kamerstuk 33 783", ["kst-33783"]),
        ("Kamerstuk 33 783 Kamerstuk 21501-32-1740", ["kst-33783", "kst-21501-32-1740"]),
        ("WWW.PBL.NL en https://x.nl/a", ["https://WWW.PBL.NL", "https://x.nl/a"]),
    ],
)
def test_where_the_search_starts(text: str, targets: list[str]) -> None:
    """The search starts at the first five-digit number or at the word `Kamerstuk` before it,
    whichever comes first; a Tweede Kamer id needs a word boundary before its year."""
    assert _targets(text) == targets


def _kamerstuk_xml(body: str) -> bytes:
    """A kst XML of dossier 36 600, nr. 7, dated 1 May 2024, with `body` after the date."""
    return (
        "<officiele-publicatie><kamerstuk><dossier><dossiernummer><dossiernr>36 600"
        "</dossiernr></dossiernummer><titel>Begroting</titel></dossier><stuk><stuknr>Nr. "
        "<ondernummer>7</ondernummer></stuknr><titel>BRIEF VAN DE MINISTER VAN FINANCI\u00cbN"
        '</titel><algemeen><vrije-tekst><tekst><al>Den Haag, <datum isodatum="2024-05-01">'
        f"1 mei 2024</datum></al>{body}</tekst></vrije-tekst></algemeen></stuk></kamerstuk>"
        "</officiele-publicatie>"
    ).encode()


def _reference_rows(xml: bytes) -> list[tuple[object, ...]]:
    letter = extract_letter(parse_bytes(xml, "kst-36600-7.xml"))
    return [
        (r["kind"], r["raw"], r["target_id"], r["dossier_number"], r["document_number"])
        + (r["paragraph_no"], r["footnote_no"])
        for r in letter.references
    ]


def test_citations_stated_by_koop_xml_are_kept_once() -> None:
    xml = _kamerstuk_xml(
        '<al>Zie <extref soort="document" doc="kst-36800-XIV-80" status="actief">de '
        'motie-Van der Lee</extref> en Kamerstuk <extref soort="document" doc="kst-33783-41">'
        '33 783, nr. 41</extref>; het dossier <extref soort="document" '
        'doc="dossier/36600-XXIII">36 600 XXIII</extref>.</al>'
    )
    assert _reference_rows(xml) == [
        ("kamerstuk", "Kamerstuk 33 783, nr. 41", "kst-33783-41", "33783", "41", 1, None),
        ("kamerstuk", "de motie-Van der Lee", "kst-36800-XIV-80", "36800-XIV", "80", 1, None),
        ("other", "36 600 XXIII", "dossier/36600-XXIII", "36600-XXIII", None, 1, None),
    ]


def test_citations_stated_inside_a_koop_footnote_carry_its_number() -> None:
    xml = _kamerstuk_xml(
        '<al>Zie Kamerstuk <extref soort="document" doc="kst-33783-41">33 783, nr. 41</extref>'
        '<noot id="ID-1" type="voet"><noot.nr>1</noot.nr><noot.al>Zie <extref '
        'soort="document" doc="kst-36800-XIV-80">de motie-Van der Lee</extref> en Kamerstuk '
        '<extref soort="document" doc="kst-33783-41">33 783, nr. 41</extref>.</noot.al></noot>'
        ' en <extref soort="document" doc="kst-36800-XIV-80">de motie</extref>.</al>'
    )
    document = parse_bytes(xml, "kst-36600-7.xml")
    assert document.blocks[-1].cites == [
        ("kst-33783-41", "33 783, nr. 41"),
        ("kst-36800-XIV-80", "de motie"),
    ]
    assert [(n.number, n.cites) for n in document.footnotes] == [
        (1, [("kst-36800-XIV-80", "de motie-Van der Lee"), ("kst-33783-41", "33 783, nr. 41")])
    ]
    assert _reference_rows(xml) == [
        ("kamerstuk", "Kamerstuk 33 783, nr. 41", "kst-33783-41", "33783", "41", 1, None),
        ("kamerstuk", "de motie", "kst-36800-XIV-80", "36800-XIV", "80", 1, None),
        ("kamerstuk", "Kamerstuk 33 783, nr. 41", "kst-33783-41", "33783", "41", 1, 1),
        ("kamerstuk", "de motie-Van der Lee", "kst-36800-XIV-80", "36800-XIV", "80", 1, 1),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Kamerstuk 33 783, nrs. 31, 32 en 35 en (29 435, nr. 256); kamerstukken 21501-32-1740",
        "1233 783, nr. 4 12 34567 Kamerstukken II 2001/02 28 000 VI nr. 46 Kamerstuk 35510-115",
        "KKamerstuk 36800-XIV-80, 33 783-33 783, nr. 5 /12 345, nr. 6 kamerstuk 31 728",
        "Kamerstuk 30 306/30 307, letter D, Kamerstuk Kamerstuk 31728, 30914, nr. 5 ٣٣٧٨٣, nr. 1",
    ],
)
def test_anchored_kamerstuk_search_finds_what_finditer_finds(text: str) -> None:
    """The Kamerstuk patterns tried only at their anchors match exactly as a full scan does."""
    anchored = [
        (references.KAMERSTUK, references._KAMERSTUK_START),
        (references.KAMERSTUK_HYPHENATED, references._WORD_KAMERSTUK),
    ]
    for pattern, starts in anchored:
        for pos in range(len(text) + 1):
            expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text, pos)]
            found = [
                (m.span(), m.groupdict())
                for m in references._finditer_from(pattern, starts, text, pos)
            ]
            assert found == expected


def test_a_citation_list_longer_than_the_cap_gives_the_capped_number_of_references() -> None:
    numbers = ", ".join(str(n) for n in range(1, 501))
    refs = find_references(f"Zie Kamerstuk 33 783, nrs. {numbers}.")
    assert len(refs) == references.MAX_NUMBERS_PER_CITATION
    assert [ref.target_id for ref in refs[:4]] == [
        "kst-33783-1",
        "kst-33783-2",
        "kst-33783-3",
        "kst-33783-4",
    ]
    assert refs[-1].target_id == f"kst-33783-{references.MAX_NUMBERS_PER_CITATION}"
    # the printed citation each row repeats ends at the last number read
    assert {ref.raw for ref in refs} == {
        "Kamerstuk 33 783, nrs. "
        + ", ".join(str(n) for n in range(1, references.MAX_NUMBERS_PER_CITATION + 1))
    }


def test_a_megabyte_citation_list_gives_bounded_rows() -> None:
    """The one-line `nr. 1, 1, 1, ...` file: rows and the text they carry stay within the cap,
    and the rest of the list stays in the paragraph's text."""
    text = "Kamerstuk 33 783 nr. 1" + ", 1" * 70_000  # 210 kB on one line
    parsed = extract_letter(parse_bytes(text.encode(), "list.txt"))
    assert len(parsed.references) == references.MAX_NUMBERS_PER_CITATION
    assert {r["target_id"] for r in parsed.references} == {"kst-33783-1"}
    printed = "Kamerstuk 33 783 nr. 1" + ", 1" * (references.MAX_NUMBERS_PER_CITATION - 1)
    assert {r["raw"] for r in parsed.references} == {printed}
    assert parsed.letter["text"] == text


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("Kamerstuk 36 200-VII-A-B, nr. 5", ["kst-36200-VII-A-B-5"]),
        ("Kamerstuk 36 200-VII-A-B-C, nr. 5", ["kst-36200-VII-A-B"]),
        ("Kamerstuk 10 000, " + "10 001, " * 9 + "nr. 5", ["kst-10000-5"]),
        # the eleventh dossier starts a citation of its own
        ("Kamerstuk 10 000, " + "10 001, " * 10 + "nr. 5", ["kst-10000", "kst-10001-5"]),
    ],
)
def test_a_citation_reads_at_most_three_dossier_suffixes_and_ten_dossiers(
    text: str, targets: list[str]
) -> None:
    assert _targets(text) == targets


def test_thousands_of_hyphenated_citations_each_give_one_reference() -> None:
    text = " ".join(
        f"Kamerstuk 33783-{n % 1000}, Kamerstuk 33 783, nr. {n % 997}" for n in range(3000)
    )
    targets = _targets(text)
    assert len(targets) == 6000
    assert targets[:4] == ["kst-33783-0", "kst-33783-0", "kst-33783-1", "kst-33783-1"]
