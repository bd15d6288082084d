"""Web-page text before extraction: chrome, footnote blocks, glued markers, hard wraps.

These are parser rules (`pipelines.formats.webtext`), tested here with the extraction rules they
serve.
"""

from __future__ import annotations

import pytest

from pipelines.formats.webtext import (
    join_hard_wraps,
    listed_signers,
    split_note_blocks,
    strip_chrome,
)
from pipelines.model import Signer
from tests.extract.helpers import letter

OB_PAGE = """\
33 529 Gaswinning

Nr. 521 BRIEF VAN DE MINISTER VAN ECONOMISCHE ZAKEN EN KLIMAAT

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 17 augustus 2018

Het gaat over het tweede kwartaal van 20181. Met mijn brief van 3 juli 20182 heb ik het advies \
van de Mijnraad3 gevolgd, zie de brief1 van gisteren.

De Minister van Economische Zaken en Klimaat, E.D. Wiebes


X Noot
1

Raadpleegbaar via www.tweedekamer.nl

XNoot
2

Kamerstuk 33 529, nr. 502

X Noot
3

Kamerstuk 33 529, nr. 498

Naar boven
"""


def test_x_noot_blocks_are_footnotes_and_markers_come_out_of_the_text() -> None:
    parsed = letter(OB_PAGE)
    assert [(n["footnote_no"], n["text"]) for n in parsed.footnotes] == [
        (1, "Raadpleegbaar via www.tweedekamer.nl"),
        (2, "Kamerstuk 33 529, nr. 502"),
        (3, "Kamerstuk 33 529, nr. 498"),
    ]
    assert parsed.letter["text"] == (
        "Het gaat over het tweede kwartaal van 2018. Met mijn brief van 3 juli 2018 heb ik het "
        "advies van de Mijnraad gevolgd, zie de brief1 van gisteren."
    )
    assert [(s["role"], s["name"]) for s in parsed.signatories] == [
        ("De Minister van Economische Zaken en Klimaat", "E.D. Wiebes")
    ]
    kamerstukken = [r for r in parsed.references if r["kind"] == "kamerstuk"]
    assert [(r["target_id"], r["footnote_no"]) for r in kamerstukken] == [
        ("kst-33529-502", 2),
        ("kst-33529-498", 3),
    ]


def test_old_style_parenthesized_note() -> None:
    lines, notes = split_note_blocks(
        ["Waarom is verzocht 1).", "", "De minister van X,", "1) Ter inzage gelegd", ""]
    )
    assert notes == {1: "Ter inzage gelegd"}
    assert lines == ["Waarom is verzocht 1).", "", "De minister van X,"]


def test_numbered_list_at_the_end_is_not_a_note() -> None:
    lines = ["Wij doen het volgende:", "1) eerst dit", "2) dan dat"]
    assert split_note_blocks(lines) == (lines, {})


def test_chrome_lines_and_glued_metadata_row() -> None:
    lines = strip_chrome(
        [
            "Kamerstuk",
            "Datum publicatieOrganisatieVergaderjaarDossier- en ondernummer",
            "Tweede Kamer der Staten-Generaal2019-202035228 nr. 6",
            "Tekst.",
            "De Minister van Landbouw, F.M. Wiersma",
            "Ondertekenaars",
            "-",
            "Eerste ondertekenaar",
            "F.M. Wiersma, minister van Landbouw",
        ]
    )
    assert [line for line in lines if line] == [
        "Tweede Kamer der Staten-Generaal",
        "Vergaderjaar 2019-2020",
        "Tekst.",
        "De Minister van Landbouw, F.M. Wiersma",
    ]


def test_hard_wrapped_lines_are_joined_but_labels_and_headers_are_not() -> None:
    lines = [
        "Nr. 675 BRIEF VAN DE MINISTER VAN LANDBOUW, VISSERIJ, VOEDSELZEKERHEID EN NATUUR",
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "Op 6 september jl. heb ik het verzoek gekregen van de vaste commissie voor Landbouw,",
        "Visserij en Natuur om een reactie.",
        "Kunt u bevestigen dat dit rapport wordt gebruikt voor rapportage naar de Commissie?2",
        "Antwoord 2",
    ]
    assert join_hard_wraps(lines) == [
        lines[0],
        lines[1],
        f"{lines[2]} {lines[3]}",
        lines[4],
        lines[5],
    ]


def test_x_noot_with_number_and_text_on_one_line() -> None:
    page = ["Zie de brief1.", "", "X Noot", "1 Kamerstuk 33 529, nr. 502"]
    lines, notes = split_note_blocks(page)
    assert (lines, notes) == (["Zie de brief1.", ""], {1: "Kamerstuk 33 529, nr. 502"})


def test_a_sentence_ending_in_a_glued_marker_is_not_continued() -> None:
    lines = ["in het debat van 12 januari jl. is dit toegezegd (Kamerstuk 36 200, nr. 1).2", "Werk"]
    assert join_hard_wraps(lines) == lines


# The page text of OpenTK document 2024D34636 (kst-29279-874), which stops after the first
# paragraph: only the page's list of persons names the two signers.
OPENTK_PAGE = """\
Voortgang maatregelen strafrechtketen
Rechtsstaat en Rechtsorde
Brief regering
Nummer: 2024D34636, datum: 2024-09-23, bijgewerkt: 2024-11-11 16:08, versie: 3
Gerelateerde personen:- Eerste ondertekenaar: D.M. van Weel, minister van Justitie en Veiligheid
- Mede ondertekenaar: T.H.D. Struycken, staatssecretaris van Justitie en Veiligheid
Onderdeel van kamerstukdossier 29279 -874 Rechtsstaat en Rechtsorde.
Onderdeel van zaak 2024Z14098:
- Indiener: D.M. van Weel, minister van Justitie en Veiligheid
- Medeindiener: T.H.D. Struycken, staatssecretaris van Justitie en Veiligheid
Preview document (🔗 origineel)
Tweede Kamer der Staten-Generaal | 2 |
Vergaderjaar 2024-2025 |
29 279 Rechtsstaat en Rechtsorde
Nr. 874 BRIEF VAN DE MINISTER EN STAATSSECRETARIS VAN JUSTITIE EN VEILIGHEID
Aan de Voorzitter van de Tweede Kamer der Staten-Generaal
Den Haag, 23 september 2024
Bij brief van 29 januari 2024 hebben onze ambtsvoorgangers uw Kamer geïnformeerd over de wijze \
waarop de motie Ellian c.s. wordt uitgevoerd.
"""

# The end of tweedekamer.nl document 2024D39756 (kst-27858-675): its signature block, then the
# page's list of signers.
TK_PAGE = """\
27 858 Gewasbeschermingsbeleid
Nr. 675
BRIEF VAN DE MINISTER VAN LANDBOUW, VISSERIJ, VOEDSELZEKERHEID EN NATUUR
Aan de Voorzitter van de Tweede Kamer der Staten-Generaal
Den Haag, 21 oktober 2024
Ik stuur u bij deze mede namens de Minister van Infrastructuur en Waterstaat een afschrift
van de brief die aan de Stichting Urgenda is gestuurd.
De Minister van Landbouw, Visserij, Voedselzekerheid en Natuur, F.M. Wiersma
Ondertekenaars
-
Eerste ondertekenaar
F.M. Wiersma, minister van Landbouw, Visserij, Voedselzekerheid en Natuur
"""


def test_signers_listed_by_the_page_stand_in_for_a_signature_the_text_does_not_reach() -> None:
    parsed = letter(OPENTK_PAGE)
    assert [(s["signatory_no"], s["name"], s["role"]) for s in parsed.signatories] == [
        (1, "D.M. van Weel", "minister van Justitie en Veiligheid"),
        (2, "T.H.D. Struycken", "staatssecretaris van Justitie en Veiligheid"),
    ]
    assert parsed.letter["signatory_count"] == 2
    assert parsed.letter["sender"] == "Minister en Staatssecretaris van Justitie en Veiligheid"


def test_the_letters_own_signature_block_wins_over_the_pages_list() -> None:
    parsed = letter(TK_PAGE)
    assert [(s["name"], s["role"]) for s in parsed.signatories] == [
        ("F.M. Wiersma", "De Minister van Landbouw, Visserij, Voedselzekerheid en Natuur")
    ]


def test_a_listed_signer_on_the_next_line_without_signature_block() -> None:
    truncated = TK_PAGE.replace(
        "De Minister van Landbouw, Visserij, Voedselzekerheid en Natuur, F.M. Wiersma\n", ""
    )
    parsed = letter(truncated)
    assert [(s["name"], s["role"]) for s in parsed.signatories] == [
        ("F.M. Wiersma", "minister van Landbouw, Visserij, Voedselzekerheid en Natuur")
    ]
    assert "Wiersma" not in parsed.letter["text"], "the page's list is not part of the letter"


def test_listed_signers_drop_the_given_name_in_brackets_and_the_party() -> None:
    lines = [
        "Gerelateerde personen:- Eerste ondertekenaar: M. (Martin) Bosma, "
        "Voorzitter van de Tweede Kamer (PVV)",
        "- Indiener: M. (Martin) Bosma, Voorzitter van de Tweede Kamer",
    ]
    assert listed_signers(lines) == [Signer(role="Voorzitter van de Tweede Kamer", name="M. Bosma")]


def test_long_runs_are_joined_and_listed_once_in_one_pass() -> None:
    """Thousands of wrapped lines make one paragraph, thousands of notes lines one note, and a
    signer listed thousands of times one signer: each built once, not copied per line."""
    line = "en dan volgt nog een regel van de brief die niet met een punt eindigt maar"
    assert join_hard_wraps([line + "  "] + [line] * 4999) == [" ".join([line] * 5000)]
    _body, notes = split_note_blocks(["Tekst.", "X Noot", "1", *["deel"] * 3000])
    assert notes == {1: " ".join(["deel"] * 3000)}
    listed = ["- Eerste ondertekenaar: E. van Middelkoop, minister van Defensie"] * 3000
    assert listed_signers(listed) == [
        Signer(role="minister van Defensie", name="E. van Middelkoop")
    ]


LETTERHEAD_LETTER = """\
Ministerie van {ministry}

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Datum {day}
Betreft {subject}

Geachte voorzitter,

Met deze brief informeer ik u over de voortgang van {subject_lower} en de stappen die het \
kabinet de komende maanden zet.
"""
OPENKAMER_VARIANTS = [
    ("Economische Zaken en Klimaat", "12 oktober 2018", "Gaswinning Groningen",
     "Eric Wiebes, minister van Economische Zaken en Klimaat", "33529 Gaswinning Groningen"),
    ("Justitie en Veiligheid", "3 maart 2021", "Capaciteit politie",
     "F.B.J. Grapperhaus, minister van Justitie en Veiligheid; Ankie Broekers-Knol, "
     "staatssecretaris van Justitie en Veiligheid", "29628 Politie"),
    ("Financiën", "20 juni 2023", "Herstel toeslagen",
     "Aukje de Vries (VVD), staatssecretaris van Financiën", "31066 Belastingdienst"),
]  # fmt: skip


def _openkamer_page(ministry: str, day: str, subject: str, indieners: str, dossier: str) -> str:
    letter_text = LETTERHEAD_LETTER.format(ministry=ministry, day=day, subject=subject,
                                           subject_lower=subject.lower())  # fmt: skip
    return (
        f"Gepubliceerd: {day}\nIndiener(s): {indieners}\nDossier: {dossier}\n"
        f"ID: 2018D{abs(hash(subject)) % 100000:05d}\n\n{letter_text}"
    ), letter_text


def test_an_openkamer_page_header_is_the_sites_and_names_the_signers() -> None:
    for ministry, day, subject, indieners, dossier in OPENKAMER_VARIANTS:
        page, letter_text = _openkamer_page(ministry, day, subject, indieners, dossier)
        on_page, alone = letter(page), letter(letter_text)
        assert on_page.letter["letter_id"] == alone.letter["letter_id"]
        assert on_page.paragraphs == alone.paragraphs
        assert on_page.references == alone.references == []
        assert on_page.letter["subject"] == subject
        expected = [
            (normalize(role), normalize(name.split("(")[0]))
            for name, _, role in (who.partition(",") for who in indieners.split(";"))
        ]
        assert [(s["role"], s["name"]) for s in on_page.signatories] == expected


def normalize(text: str) -> str:
    return " ".join(text.split())


def test_one_dossier_line_in_a_letter_is_no_page_header() -> None:
    lines = ["Dossier: 33529 Gaswinning Groningen", "", "Geachte voorzitter,"]
    assert strip_chrome(lines) == lines
    assert listed_signers(["Indiener(s): A. Jansen, minister van Financiën"]) == []


@pytest.mark.parametrize(
    "sender",
    [
        "Minister van Onderwijs, Cultuur en Wetenschap",
        "Staatssecretaris van Financiën",
        "Minister voor Klimaat en Energie",
    ],
)
def test_a_note_marker_glued_to_the_heading_is_not_part_of_the_sender(sender: str) -> None:
    office = sender.upper()
    parsed = letter(
        "Tweede Kamer der Staten-Generaal\n\nVergaderjaar 2023-2024\n\n36 200 VIII Vaststelling "
        "van de begrotingsstaten voor het jaar 2024\n\n"
        f"Nr. 12 BRIEF VAN DE {office}1\n\n"
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\nDen Haag, 12 maart 2024\n\n"
        "Hierbij stuur ik u het rapport over de kwaliteit van het onderwijs in Nederland.\n\n"
        "X Noot\n1\nZie ook Kamerstuk 36 200 VIII, nr. 5.\n"
    )
    assert parsed.letter["sender"] == sender
    assert parsed.letter["doc_type"] == f"brief van de {office.split()[0].lower()}"
    assert [(n["footnote_no"], n["text"]) for n in parsed.footnotes] == [
        (1, "Zie ook Kamerstuk 36 200 VIII, nr. 5.")
    ]
