"""Word letters as ministries send them, generated in variants: the letterhead only in the
first-page header (with a stale date in the follow-page header), its values as Word fields
(`w:fldSimple`, `w:fldChar`/`w:instrText`, content controls), the addressee under the return
address, and notes typed by hand under the answers."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes
from tests.formats.sample_letter import _w_paragraph, _w_run, _wrap_part, build_docx, footnotes_part

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]  # fmt: skip

MINISTRIES = [
    ("Justitie en Veiligheid", "20301", "2500 EH", "Minister"),
    ("Infrastructuur en Waterstaat", "20901", "2500 EX", "Staatssecretaris"),
    ("Volksgezondheid, Welzijn en Sport", "20350", "2500 EJ", "Minister"),
]
DATES = [date(2024, 7, 25), date(2023, 10, 18), date(2025, 1, 6)]


def _printed(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _field(value: str, style: str, name: str) -> str:
    """`value` as Word prints a field's result, stored in one of the ways templates store it."""
    if style == "fldSimple":
        instruction = f" DOCPROPERTY  {name}  \\* MERGEFORMAT "
        return f'<w:fldSimple w:instr="{instruction}">{_w_run(value)}</w:fldSimple>'
    if style == "fldChar":
        return (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> DOCVARIABLE {name} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f"{_w_run(value)}"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{name}"/><w:tag w:val="{name}"/></w:sdtPr>'
        f"<w:sdtContent>{_w_run(value)}</w:sdtContent></w:sdt>"
    )


def _label_and_value(label: str, value: str, style: str) -> str:
    return _w_paragraph(_w_run(label)) + _w_paragraph(_field(value, style, label))


def ministry_letter(
    ministry: int, day: date, style: str, *, notes: str = "bracket", word_notes: int = 0
) -> tuple[bytes, dict[str, object]]:
    """A Rijkshuisstijl Kamervragen answer letter and what a reader sees in it."""
    name, postbus, postcode, office = MINISTRIES[ministry]
    role = f"{office} van {name}"
    kenmerk = f"{4_900_000 + 7919 * ministry + day.toordinal() % 997}"
    subject = (
        f"Beantwoording Kamervragen van de leden Jansen, De Boer (GroenLinks-PvdA) en Smit (CDA)"
        f" over de voorgenomen sluiting van het politiebureau in gemeente nummer {day.day}"
    )
    stale = date(day.year - 1, day.month, min(day.day, 28))
    first_header = "".join(
        [
            _w_paragraph(_w_run(f"> Retouradres Postbus {postbus} {postcode} Den Haag")),
            _w_paragraph(_w_run("De Voorzitter van de Tweede Kamer ")),
            _w_paragraph(_w_run("der Staten-Generaal ")),
            _w_paragraph(_w_run("Postbus 20018 ")),
            _w_paragraph(_w_run("2500 EA  DEN HAAG")),
            _label_and_value("Datum", _printed(day), style),
            _label_and_value("Betreft", subject, style),
            _w_paragraph(_w_run(f"Ministerie van {name}")),
            _w_paragraph(_w_run("Contactpersoon")),
            _label_and_value("Ons kenmerk", kenmerk, style),
            _w_paragraph(_w_run("Pagina 1 van 2")),
        ]
    )
    follow_header = (
        _label_and_value("Datum", _printed(stale), style)
        + _w_paragraph(_w_run("Ons kenmerk"))
        + _w_paragraph(_w_run("Pagina 2 van 2"))
    )
    questions = [
        f"Bent u bekend met het bericht over de zaak in gemeente {n}?" for n in range(1, 4)
    ]
    typed = [f"https://www.example.nl/nieuws/{ministry}-{n}" for n in range(1, 4)]
    word_note_texts = {n + 2: f"Kamerstuk 36{ministry}00, nr. {n}" for n in range(word_notes)}
    body = [_w_paragraph(_w_run("Geachte voorzitter,"))]
    for n, question in enumerate(questions, start=1):
        marker = f"[{n}]" if notes == "bracket" else f" {n})"
        text = question[:-1] + marker + "?" if n != 2 else question.replace("zaak", f"zaak{marker}")
        word_ref = f'<w:r><w:footnoteReference w:id="{n + 1}"/></w:r>' if n <= word_notes else ""
        body.append(_w_paragraph(_w_run(f"Vraag {n}")))
        body.append(_w_paragraph(_w_run(text) + word_ref))
        body.append(_w_paragraph(_w_run(f"Antwoord op vraag {n}")))
        body.append(_w_paragraph(_w_run(f"Ja, daar ben ik mee bekend ({n}).")))
    body.append(_w_paragraph(_w_run(f"De {role},")))
    body.append(_w_paragraph(_w_run("J. de Vries")))
    for n, url in enumerate(typed, start=1):
        label = f"[{n}]" if notes == "bracket" else f"{n})"
        body.append(_w_paragraph(_w_run(f"{label} {url}")))
    section = (
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/>'
        '<w:headerReference w:type="first" r:id="rIdH2"/><w:titlePg/></w:sectPr>'
    )
    rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS_NS}">'
        f'<Relationship Id="rIdH1" Type="{HEADER_TYPE}" Target="header1.xml"/>'
        f'<Relationship Id="rIdH2" Type="{HEADER_TYPE}" Target="header2.xml"/></Relationships>'
    ).encode()
    parts = {
        "word/_rels/document.xml.rels": rels,
        "word/header1.xml": _wrap_part("hdr", follow_header),
        "word/header2.xml": _wrap_part("hdr", first_header),
    }
    if word_notes:
        parts["word/footnotes.xml"] = footnotes_part(word_note_texts)
    expected = {
        "date": day,
        "kenmerk": kenmerk,
        "subject": subject,
        "notes": [*word_note_texts.values(), *typed],
        "role": role,
    }
    return build_docx("".join(body) + section, parts), expected


VARIANTS = [
    pytest.param(ministry, day, style, id=f"{ministry}-{day.isoformat()}-{style}")
    for ministry, day in zip(range(3), DATES, strict=True)
    for style in ("fldSimple", "fldChar", "sdt")
]


@pytest.mark.parametrize(("ministry", "day", "style"), VARIANTS)
def test_first_page_header_gives_the_letterhead_and_addressee(
    ministry: int, day: date, style: str
) -> None:
    data, expected = ministry_letter(ministry, day, style)
    document = parse_bytes(data, "brief.docx")
    assert f"Ons kenmerk {expected['kenmerk']}" in [block.text for block in document.blocks]
    letter = extract_letter(document).letter
    assert letter["date"] == expected["date"]
    assert letter["subject"] == expected["subject"]
    assert letter["addressee"] == "De Voorzitter van de Tweede Kamer der Staten-Generaal"


@pytest.mark.parametrize("notes", ["bracket", "paren"])
@pytest.mark.parametrize("ministry", range(3))
def test_notes_typed_under_the_answers_are_footnotes(ministry: int, notes: str) -> None:
    data, expected = ministry_letter(ministry, DATES[ministry], "fldSimple", notes=notes)
    parsed = extract_letter(parse_bytes(data, "brief.docx"))
    assert [row["text"] for row in parsed.footnotes] == expected["notes"]
    assert [row["footnote_no"] for row in parsed.footnotes] == [1, 2, 3]
    carriers = {row["paragraph_no"] for row in parsed.footnotes}
    texts = {row["paragraph_no"]: row["text"] for row in parsed.paragraphs}
    assert all("[" not in texts[no] and " 1)" not in texts[no] for no in carriers)
    assert not any(text.startswith(("[1]", "1)")) for text in texts.values())


def test_typed_notes_follow_the_real_word_notes() -> None:
    data, expected = ministry_letter(1, DATES[1], "fldChar", word_notes=2)
    parsed = extract_letter(parse_bytes(data, "brief.docx"))
    assert [row["footnote_no"] for row in parsed.footnotes] == [1, 2, 3, 4, 5]
    assert [row["text"] for row in parsed.footnotes] == expected["notes"]


def test_a_note_pasted_into_the_one_before_is_split_off() -> None:
    body = "".join(
        _w_paragraph(_w_run(text))
        for text in [
            "Geachte voorzitter,",
            "Kent u het bericht[1] en het rapport [2]?",
            "Ja.",
            "[1] https://www.example.nl/a[2] https://www.example.nl/b",
        ]
    )
    parsed = extract_letter(parse_bytes(build_docx(body), "brief.docx"))
    assert [row["text"] for row in parsed.footnotes] == [
        "https://www.example.nl/a",
        "https://www.example.nl/b",
    ]


def test_closing_numbered_lines_without_markers_are_not_notes() -> None:
    """`1) ...` lines closing a letter whose text prints no ` 1)` marker stay paragraphs, and
    markers whose note texts the letter does not print make no footnotes."""
    body = "".join(
        _w_paragraph(_w_run(text))
        for text in [
            "Geachte voorzitter,",
            "Ken u de uitzending van het programma? 1)",
            "Ik neem de volgende stappen:",
            "2) de wet wordt gewijzigd;",
            "3) de regeling wordt aangepast.",
        ]
    )
    parsed = extract_letter(parse_bytes(build_docx(body), "brief.docx"))
    assert parsed.footnotes == []
    assert parsed.paragraphs[-1]["text"] == "3) de regeling wordt aangepast."
