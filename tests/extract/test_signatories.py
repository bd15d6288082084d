"""Signature blocks: one row per person, role and name matched."""

from __future__ import annotations

import pytest

from pipelines.extract.signatories import (
    MAX_SIGNERS_PER_LINE,
    find_committee_signature,
    find_inner_signature,
    find_signature_start,
    parse_signatories,
    split_names,
)
from tests.extract.helpers import blocks, letter


def _signers(*lines: str) -> list[tuple[str | None, str | None]]:
    return [(s.role, s.name) for s in parse_signatories(blocks(*lines))]


def test_role_then_name_on_the_next_line() -> None:
    assert _signers("De Minister van Defensie,", "drs. A.Th.B. Bijleveld-Schouten") == [
        ("De Minister van Defensie", "drs. A.Th.B. Bijleveld-Schouten")
    ]


def test_role_and_name_on_one_line() -> None:
    assert _signers(
        "De Minister van Landbouw, Visserij, Voedselzekerheid en Natuur, F.M. Wiersma"
    ) == [("De Minister van Landbouw, Visserij, Voedselzekerheid en Natuur", "F.M. Wiersma")]


def test_side_by_side_blocks() -> None:
    assert _signers(
        "De minister van Buitenlandse Zaken,      De minister van Defensie,",
        "Hanke Bruins Slot\t   drs. K.H. Ollongren",
    ) == [
        ("De minister van Buitenlandse Zaken", "Hanke Bruins Slot"),
        ("De minister van Defensie", "drs. K.H. Ollongren"),
    ]


@pytest.mark.parametrize(
    ("lines", "signers"),
    [
        (
            ["De Minister van Binnenlandse Zaken en", "Koninkrijksrelaties,", "K.H. Ollongren"],
            [("De Minister van Binnenlandse Zaken en Koninkrijksrelaties", "K.H. Ollongren")],
        ),
        (
            ["De Minister voor Klimaat en Groene", "Groei,", "S.T.M. Hermans"],
            [("De Minister voor Klimaat en Groene Groei", "S.T.M. Hermans")],
        ),
        (
            ["DE MINISTER VAN BINNENLANDSE ZAKEN EN", "KONINKRIJKSRELATIES", "K.H. Ollongren"],
            [("DE MINISTER VAN BINNENLANDSE ZAKEN EN KONINKRIJKSRELATIES", "K.H. Ollongren")],
        ),
        (
            [
                "De Minister van Financi\u00ebn,\tDe Staatssecretaris van Binnenlandse Zaken en",
                "Koninkrijksrelaties,",
                "E. Heinen\tA.C. Szab\u00f3",
            ],
            [
                ("De Minister van Financi\u00ebn", "E. Heinen"),
                (
                    "De Staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties",
                    "A.C. Szab\u00f3",
                ),
            ],
        ),
        (
            ["DE MINISTER VAN DEFENSIE", "K.H. Ollongren"],
            [("DE MINISTER VAN DEFENSIE", "K.H. Ollongren")],
        ),
    ],
)
def test_role_wrapped_onto_the_next_line(lines: list[str], signers: list[tuple[str, str]]) -> None:
    assert _signers(*lines) == signers


def test_two_names_under_one_plural_role() -> None:
    assert _signers("De informateurs, J.W. Remkes W. Koolmees") == [
        ("De informateurs", "J.W. Remkes"),
        ("De informateurs", "W. Koolmees"),
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("J.W. Remkes W. Koolmees", ["J.W. Remkes", "W. Koolmees"]),
        (
            "M. H. Schultz van Haegen-Maas Geesteranus",
            ["M. H. Schultz van Haegen-Maas Geesteranus"],
        ),
        ("Mark Harbers", ["Mark Harbers"]),
    ],
)
def test_split_names(text: str, names: list[str]) -> None:
    assert split_names(text) == names


def test_role_alone_keeps_a_null_name() -> None:
    parsed = letter(
        "Geachte voorzitter,\n\nIk informeer u hierbij over de stand van zaken.\n\n"
        "De Minister van Buitenlandse Zaken,\n\n"
        "Deel: ' Buitenlandse Zaken over bezoek '\nLees ook\n"
    )
    assert [(s["role"], s["name"]) for s in parsed.signatories] == [
        ("De Minister van Buitenlandse Zaken", None)
    ]


def test_a_short_last_sentence_is_not_a_signer() -> None:
    assert find_signature_start(blocks("Dit is de brief.", "Tot slot."), 0) is None
    assert find_signature_start(blocks("Dit is de brief.", "Minister Jansen komt."), 0) is None


def test_committee_signature_under_a_report_opening() -> None:
    body = blocks(
        "De vaste commissie heeft vragen voorgelegd.",
        "De voorzitter van de commissie, Tielen",
        "Adjunct-griffier van de commissie,",
        "De Best",
        "Inleiding",
        "Bijgaand treft u de reactie aan.",
    )
    start, end = find_committee_signature(body, 0, len(body))
    assert (start, end) == (1, 4)
    assert [(s.role, s.name) for s in parse_signatories(body[start:end])] == [
        ("De voorzitter van de commissie", "Tielen"),
        ("Adjunct-griffier van de commissie", "De Best"),
    ]


def test_annex_after_the_signature_is_not_signed_by_its_author() -> None:
    parsed = letter(
        "Aan de Voorzitter van de Eerste Kamer der Staten-Generaal\n\nDen Haag, 23 mei 2007\n\n"
        "Ik bevestig u de toezegging.\n\nDe staatssecretaris van Financiën,\n\nJ. C. de Jager\n\n"
        "BIJLAGE\n\nDe commissie vraagt een notitie (Kamerstuk 30 804).\n\n"
        "De griffier van de commissie,\n\nJanssen\n"
    )
    assert [(s["role"], s["name"]) for s in parsed.signatories] == [
        ("De staatssecretaris van Financiën", "J. C. de Jager")
    ]
    assert [r["target_id"] for r in parsed.references] == ["kst-30804"]


def test_two_signature_blocks_run_together_on_one_line() -> None:
    assert _signers(
        "De Minister van Onderwijs, Cultuur en Wetenschap, I.K. van Engelshoven "
        "De Minister voor Basis- en Voortgezet Onderwijs en Media, A. Slob"
    ) == [
        ("De Minister van Onderwijs, Cultuur en Wetenschap", "I.K. van Engelshoven"),
        ("De Minister voor Basis- en Voortgezet Onderwijs en Media", "A. Slob"),
    ]


def test_names_with_letters_beyond_latin_1() -> None:
    assert _signers("De Minister van Justitie en Veiligheid,", "D. Yeşilgöz-Zegerius") == [
        ("De Minister van Justitie en Veiligheid", "D. Yeşilgöz-Zegerius")
    ]


def test_a_bijlage_heading_inside_the_body_does_not_hide_the_signature() -> None:
    parsed = letter(
        "Ik bied u het rapport aan.\n\nBijlage\n\nDe bijlage beschrijft de aanpak in detail.\n\n"
        "De Minister van Financiën,\n\nE. Heinen\n"
    )
    assert [(s["role"], s["name"]) for s in parsed.signatories] == [
        ("De Minister van Financiën", "E. Heinen")
    ]


# The page text of a Defensie letter of 2008 on opennieuwsbank.nl (excerpt): the covering
# letter and its signature, then the answers it offers under a second letterhead.
COVERING_LETTER_THEN_ANSWERS = """\
Hierbij bied ik u de antwoorden aan op de vragen van de vaste commissie voor Defensie over het \
rapport van de Algemene Rekenkamer bij het Jaarverslag 2007 van het ministerie van Defensie \
(verzoek met kenmerk 08-DEF-B-084).

DE MINISTER VAN DEFENSIE,

E. van Middelkoop

Ons kenmerk F/2008014684
Onderwerp Reactie op verzoek 08-DEF-B-084
Pagina 1/12
Ministerie van Defensie
1 Waarom is in dit jaarverslag geen gehoor gegeven aan de toezegging om de operationele \
doelstellingen direct te koppelen aan de budgetten? Om een adequate en directe koppeling te \
kunnen maken is meer nodig.
"""


def test_a_signature_followed_by_what_came_with_the_letter() -> None:
    parsed = letter(COVERING_LETTER_THEN_ANSWERS)
    assert [(s["role"], s["name"]) for s in parsed.signatories] == [
        ("DE MINISTER VAN DEFENSIE", "E. van Middelkoop")
    ]
    assert "Middelkoop" not in parsed.letter["text"]


def test_a_role_heading_without_a_name_under_it_is_no_inner_signature() -> None:
    assert (
        find_inner_signature(blocks("Inleiding", "De Minister van Defensie", "Tekst."), 0) is None
    )
    assert find_inner_signature(
        blocks("Tekst.", "De Minister van Defensie,", "J. Jansen", "Meer."), 0
    ) == (1, 3)


def test_a_line_of_more_roles_than_the_cap_is_no_signature() -> None:
    roles = "\t".join(f"De Minister van Zaken {n}," for n in range(MAX_SIGNERS_PER_LINE + 1))
    names = [f"A. B{'e' * n}" for n in range(1, MAX_SIGNERS_PER_LINE + 2)]
    assert find_signature_start(blocks("Dit is de brief.", roles, *names), 0) is None
    at_cap = "\t".join(f"De Minister van Zaken {n}," for n in range(MAX_SIGNERS_PER_LINE))
    assert find_signature_start(blocks("Dit is de brief.", at_cap, *names), 0) == 1
    signers = _signers(at_cap, *names[:MAX_SIGNERS_PER_LINE])
    assert signers[:2] == [
        ("De Minister van Zaken 0", "A. Be"),
        ("De Minister van Zaken 1", "A. Bee"),
    ]
    assert len(signers) == MAX_SIGNERS_PER_LINE


@pytest.mark.parametrize(
    ("lines", "signers"),
    [
        (["De Minister van Justitie en Veiligheid,",
          "mede namens de Minister van Buitenlandse Zaken,", "D. Yeşilgöz-Zegerius"],
         [("De Minister van Justitie en Veiligheid", "D. Yeşilgöz-Zegerius")]),
        (["De Minister voor Klimaat en Energie,",
          "mede namens de Staatssecretaris van Economische Zaken en Klimaat,", "R.A.A. Jetten"],
         [("De Minister voor Klimaat en Energie", "R.A.A. Jetten")]),
        (["De Staatssecretaris van Financiën,", "namens deze,",
          "de directeur-generaal Fiscaliteit,", "J. Jansen"],
         [("de directeur-generaal Fiscaliteit", "J. Jansen")]),
        (["De Minister van Volksgezondheid,", "Welzijn en Sport,", "E.J. Kuipers"],
         [("De Minister van Volksgezondheid, Welzijn en Sport", "E.J. Kuipers")]),
        (["De Minister van Onderwijs,\tDe Minister van Landbouw,",
          "Cultuur en Wetenschap,\tNatuur en Voedselkwaliteit,", "R.H. Dijkgraaf\tP. Adema"],
         [("De Minister van Onderwijs, Cultuur en Wetenschap", "R.H. Dijkgraaf"),
          ("De Minister van Landbouw, Natuur en Voedselkwaliteit", "P. Adema")]),
    ],
)  # fmt: skip
def test_on_behalf_lines_and_ministries_with_a_comma(
    lines: list[str], signers: list[tuple[str, str]]
) -> None:
    """`mede namens ...` keeps the role's signer; `namens deze` hands signing to the official
    under it; a ministry whose name has a comma goes on in the line under the role."""
    assert _signers(*lines) == signers


def test_a_letter_signed_on_behalf_ends_at_its_signature() -> None:
    """The whole block is found as the letter's signature, so its lines stay out of the text."""
    from pipelines.extract import extract_letter
    from pipelines.formats import parse_bytes

    text = (
        "Den Haag, 1 mei 2024\n\nGeachte voorzitter,\n\nHierbij informeer ik uw Kamer.\n\n"
        "De Minister van Justitie en Veiligheid,\nmede namens de Minister van Buitenlandse "
        "Zaken,\n\nD. Yeşilgöz-Zegerius\n"
    )
    parsed = extract_letter(parse_bytes(text.encode(), "brief.txt"))
    assert [(s["role"], s["name"]) for s in parsed.signatories] == [
        ("De Minister van Justitie en Veiligheid", "D. Yeşilgöz-Zegerius")
    ]
    assert parsed.letter["text"].endswith("Hierbij informeer ik uw Kamer.")
