"""Body structure: salutation and closing kept out, questions linked to their answers."""

from __future__ import annotations

import pytest

from pipelines.extract import structure
from pipelines.tables.lettercheck import row_problems
from tests.extract.helpers import letter


def test_salutation_and_closing_are_recorded_not_body() -> None:
    parsed = letter(
        "Geachte voorzitter,\n\nHierbij bied ik u het rapport aan.\n\nHoogachtend,\n\n"
        "De Minister van Defensie,\n\nE. van Middelkoop\n"
    )
    assert parsed.letter["salutation"] == "Geachte voorzitter,"
    assert parsed.letter["closing"] == "Hoogachtend,"
    assert parsed.letter["text"] == "Hierbij bied ik u het rapport aan."


def test_vraag_and_antwoord_labels_with_a_question_over_two_lines() -> None:
    parsed = letter(
        "Vraag 1\nBent u bekend met het rapport «Emissies, 1990\u20132019.\nBerekeningen»?\n"
        "Antwoord 1\nJa.\nVraag 2\nKunt u dat toelichten?\nAntwoord 2\nNee.\n"
    )
    assert [(q["question_no"], q["question"], q["answer"]) for q in parsed.questions] == [
        (1, "Bent u bekend met het rapport «Emissies, 1990\u20132019. Berekeningen»?", "Ja."),
        (2, "Kunt u dat toelichten?", "Nee."),
    ]


def test_numbered_questions_then_answers() -> None:
    parsed = letter(
        "1. Wat is het oordeel van het kabinet?\n\nHet kabinet is positief.\n\n"
        "2. Is er een relatie met het delen van kernwapens?\n\nNee.\n"
    )
    assert [(q["question_no"], q["answer"]) for q in parsed.questions] == [
        (1, "Het kabinet is positief."),
        (2, "Nee."),
    ]


def test_bare_question_numbers_of_a_committee_list() -> None:
    parsed = letter(
        "1\n\nKunt u de Kamer informeren over de motie (29 435, nr. 256)?\n\n"
        "De motie is als volgt afgedaan.\n\n2\n\nWanneer wordt de Kamer geïnformeerd?\n\n"
        "Per brief d.d. 2 mei 2011.\n"
    )
    assert [(q["question_no"], q["answer"]) for q in parsed.questions] == [
        (1, "De motie is als volgt afgedaan."),
        (2, "Per brief d.d. 2 mei 2011."),
    ]


def test_antwoord_op_vraag_label() -> None:
    parsed = letter("Vraag 1\nIs dat zo?\nAntwoord op vraag 1:\nJa, dat is zo.\n")
    assert [(q["question"], q["answer"]) for q in parsed.questions] == [
        ("Is dat zo?", "Ja, dat is zo.")
    ]


def test_headings_and_lists() -> None:
    parsed = letter(
        "Inleiding\n\nMet deze brief informeer ik u over de voortgang van het programma en de "
        "stappen die het kabinet de komende maanden zet.\n\n- eerste punt\n\n- tweede punt\n"
    )
    kinds = [(p["kind"], p["section"]) for p in parsed.paragraphs]
    assert kinds == [
        ("heading", "Inleiding"),
        ("paragraph", "Inleiding"),
        ("list_item", "Inleiding"),
        ("list_item", "Inleiding"),
    ]


def test_combined_question_numbers() -> None:
    parsed = letter("Vraag 2 en 3\nKunt u dat toelichten?\nAntwoord 2 en 3\nJa.\n")
    rows = [(q["question_no"], q["question_label"], q["question"], q["answer"])
            for q in parsed.questions]  # fmt: skip
    assert rows == [(1, "2 en 3", "Kunt u dat toelichten?", "Ja.")]


@pytest.mark.parametrize(
    ("combined", "rows"),
    [(["10", "11"], 10), (["4", "5", "6"], 9), (["2"], 11)],
)
def test_question_count_counts_every_printed_number(combined: list[str], rows: int) -> None:
    """`Vraag 10 en 11` is one row (one question text, one answer) but two questions."""
    label = (
        " en ".join(combined)
        if len(combined) < 3
        else ", ".join(combined[:-1]) + " en " + combined[-1]
    )
    numbers = [n for n in range(1, 12) if str(n) not in combined[1:]]
    parts = []
    for number in numbers:
        printed = label if str(number) == combined[0] else str(number)
        parts.append(f"Vraag {printed}\nWat is het antwoord op vraag {printed}?")
        parts.append(f"Antwoord op vraag {printed}\nHet antwoord op {printed}.")
    parsed = letter("\n\n".join(parts) + "\n")
    assert [q["question_label"] for q in parsed.questions] == [
        label if str(n) == combined[0] else str(n) for n in numbers
    ]
    assert len(parsed.questions) == rows
    assert parsed.letter["question_count"] == 11
    assert row_problems(parsed) == []


def _two_sets(first: str, second: str, answers_after_each: bool) -> str:
    """A letter answering the questions of two members, each set numbered from 1."""
    questions = {
        first: ["Kent u het bericht over de {}?", "Wat gaat u doen aan de {}?"],
        second: ["Deelt u de zorgen over de {}?", "Wanneer ontvangt de Kamer de {}?", "Klopt {}?"],
    }
    parts = []
    for member, asked in questions.items():
        parts.append(f"Vragen van het lid {member}")
        for number, question in enumerate(asked, start=1):
            parts.append(f"Vraag {number}\n{question.format(member)}")
            if answers_after_each:
                parts.append(f"Antwoord {number}\nAntwoord aan {member} op {number}.")
        if not answers_after_each:
            parts += [
                f"Antwoord {n}\nAntwoord aan {member} op {n}." for n in range(1, len(asked) + 1)
            ]
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize("answers_after_each", [True, False])
@pytest.mark.parametrize("members", [("Omtzigt", "Van Dijk"), ("Klaver", "Bikker")])
def test_two_sets_of_questions_numbered_from_one_each_keep_every_pair(
    members: tuple[str, str], answers_after_each: bool
) -> None:
    first, second = members
    parsed = letter(_two_sets(first, second, answers_after_each))
    rows = [(q["question_no"], q["question_label"], q["question"], q["answer"])
            for q in parsed.questions]  # fmt: skip
    assert rows == [
        (1, "1", f"Kent u het bericht over de {first}?", f"Antwoord aan {first} op 1."),
        (2, "2", f"Wat gaat u doen aan de {first}?", f"Antwoord aan {first} op 2."),
        (3, "1", f"Deelt u de zorgen over de {second}?", f"Antwoord aan {second} op 1."),
        (4, "2", f"Wanneer ontvangt de Kamer de {second}?", f"Antwoord aan {second} op 2."),
        (5, "3", f"Klopt {second}?", f"Antwoord aan {second} op 3."),
    ]
    assert parsed.letter["question_count"] == 5
    assert row_problems(parsed) == []


def test_a_question_label_reads_at_most_the_capped_numbers() -> None:
    cap = structure.MAX_NUMBERS_PER_LABEL
    numbers = [str(n) for n in range(1, 151)]
    parsed = letter(f"Vraag {', '.join(numbers)}\n")
    (row,) = parsed.questions
    assert row["question_label"] == ", ".join(numbers[:cap])
    assert row["question"] == ", " + ", ".join(numbers[cap:])


def test_thousands_of_question_sets_each_pair_every_answer() -> None:
    """Each set numbered from 1: every answer goes to the first unanswered question of its
    number, and questions and answers printed over several blocks are joined in order."""
    sets = 3000
    text = "".join(
        f"Vraag 1\nWaarom {n}\n\ndeel twee?\n\nAntwoord 1\nDaarom {n}.\n\nOok dit.\n\n"
        for n in range(sets)
    )
    parsed = letter(text)
    assert len(parsed.questions) == sets
    assert [(q["question_no"], q["question"], q["answer"]) for q in parsed.questions[:2]] == [
        (1, "Waarom 0 deel twee?", "Daarom 0.\n\nOok dit."),
        (2, "Waarom 1 deel twee?", "Daarom 1.\n\nOok dit."),
    ]
    assert parsed.questions[-1]["answer"] == f"Daarom {sets - 1}.\n\nOok dit."


def test_answers_before_their_questions_find_them_once_answered() -> None:
    parsed = letter("Vraag 1\nEen?\n\nVraag 1\nTwee?\n\n" + "Antwoord 1\nJa.\n\n" * 3)
    assert [q["answer"] for q in parsed.questions] == ["Ja.", "Ja.\n\nJa."]


@pytest.mark.parametrize(
    ("answer_label", "first", "others"),
    [("Antwoord op vragen 2 en 3", 2, [3]), ("Antwoord 3, 4 en 5", 3, [4, 5]),
     ("Antwoord op vraag 1 en 5", 1, [5])],
)  # fmt: skip
def test_questions_answered_together_share_the_answer(
    answer_label: str, first: int, others: list[int]
) -> None:
    """The answer printed once for several questions is each one's answer; `answer_group`
    names the question it is printed under."""
    parts = []
    for number in range(1, 6):
        parts.append(f"Vraag {number}\nWat is het antwoord op vraag {number}?")
        if number == max(first, *others):
            parts.append(f"{answer_label}\nSamen beantwoord.")
        elif number not in (first, *others):
            parts.append(f"Antwoord op vraag {number}\nDit beantwoordt vraag {number}.")
    parsed = letter("\n\n".join(parts) + "\n")
    rows = {q["question_no"]: (q["answer"], q["answer_group"]) for q in parsed.questions}
    assert len(rows) == 5
    for number in (first, *others):
        assert rows[number] == ("Samen beantwoord.", first)
    for number in set(range(1, 6)) - {first, *others}:
        assert rows[number] == (f"Dit beantwoordt vraag {number}.", number)
    assert row_problems(parsed) == []


def test_an_unlabelled_answer_after_an_asked_question_is_its_answer() -> None:
    """In a letter that labels its answers, one printed without `Antwoord` after a question is
    still the answer, not more question; a question asked over two blocks stays one question."""
    parsed = letter(
        "Vraag 1\nKent u het bericht?\nAntwoord 1\nJa.\n\n"
        "Vraag 2\nBent u bekend met het rapport?\nZo ja, wat vindt u ervan?\n"
        "Het rapport is zorgvuldig opgesteld.\nIk neem de aanbevelingen over.\n\n"
        "Vraag 3\nWanneer komt de wet?\nAntwoord 3\nIn 2025.\n"
    )
    assert [(q["question"], q["answer"], q["answer_group"]) for q in parsed.questions] == [
        ("Kent u het bericht?", "Ja.", 1),
        ("Bent u bekend met het rapport? Zo ja, wat vindt u ervan?",
         "Het rapport is zorgvuldig opgesteld.\n\nIk neem de aanbevelingen over.", 2),
        ("Wanneer komt de wet?", "In 2025.", 3),
    ]  # fmt: skip
