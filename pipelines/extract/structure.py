"""The body's structure: salutation, closing, headings, lists, and questions with their answers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.formats.common import ends_sentence
from pipelines.model import Block

SALUTATION = re.compile(r"^(?:Zeer\s+)?(?:Geachte|Beste)\b[^.]{0,80},?$", re.I)
CLOSING = re.compile(
    r"^(?:Hoogachtend|Met\s+(?:vriendelijke|hoogachtende)\s+groet(?:en)?|"
    r"Met\s+de\s+meeste\s+hoogachting|Met\s+vriendelijke\s+groeten)[,.]?$",
    re.I,
)
_NUMBERED_QUESTION = re.compile(r"^(?P<label>(?P<no>\d{1,3}))[.)]\s+(?P<text>.+\?)$", re.S)
_MORE_NUMBERS = r"(?:\s*(?:,|en)\s*\d{1,3}\b)*"
_VRAAG = re.compile(
    rf"^Vraag\s+(?P<label>(?P<no>\d{{1,3}})\b{_MORE_NUMBERS})\s*[:.]?\s*(?P<text>.*)$", re.S
)
_ANTWOORD = re.compile(
    rf"^Antwoord(?:\s+op\s+vra(?:ag|gen))?\s+(?P<label>(?P<no>\d{{1,3}})\b{_MORE_NUMBERS})"
    r"\s*[:.]?\s*(?P<text>.*)$",
    re.S,
)
"""`Antwoord 1`, `Antwoord op vraag 1:`, and combined answers (`Antwoord 2 en 3`, filed under 2)."""
_BARE_NUMBER = re.compile(r"^(?P<label>(?P<no>\d{1,3}))(?P<text>)$")
"""A question number printed alone on its line, the question on the next (committee lists)."""
_ASKS = re.compile(r"\?\d{0,2}$")
_NUMBERED = re.compile(r"^(?:\d{1,3}|[a-z])[.)]\s+\S")


@dataclass
class Paragraph:
    """A body block with its role in the letter; `block_index` points back into the model."""

    paragraph_no: int
    kind: str
    text: str
    section: str | None
    block_index: int


@dataclass
class QuestionAnswer:
    """A question and its answer; `number` and `label` are as printed, and may repeat in a
    letter that answers two sets of questions."""

    number: int
    label: str
    question: str
    answer: str | None


def _is_heading(blocks: list[Block], index: int) -> bool:
    """A heading block, or a short capitalized line without closing punctuation over a text
    more than twice as long.

    Words are counted only as far as the comparisons need (`maxsplit`): every body block is
    asked, and splitting whole paragraphs into words was most of the time spent here.
    """
    block = blocks[index]
    if block.kind == "heading":
        return True
    words = block.text.split(maxsplit=10)
    following = blocks[index + 1].text if index + 1 < len(blocks) else ""
    return (
        block.kind == "paragraph"
        and len(words) <= 10
        and block.text[:1].isupper()
        and not ends_sentence(block.text)
        and not block.text.endswith(",")
        and len(following.split(maxsplit=2 * len(words))) > 2 * len(words)
    )


def _question_mode(blocks: list[Block]) -> bool:
    """A letter answers questions when it prints two numbered questions, Vraag/Antwoord labels,
    or a bare question number followed by a question."""
    numbered = sum(1 for b in blocks if _NUMBERED_QUESTION.match(b.text))
    labelled = any(_VRAAG.match(b.text) or _ANTWOORD.match(b.text) for b in blocks)
    bare = sum(
        1
        for b, after in zip(blocks, blocks[1:], strict=False)
        if _BARE_NUMBER.match(b.text) and _ASKS.search(after.text)
    )
    return numbered >= 2 or labelled or bare >= 1


def read_structure(
    blocks: list[Block], body: list[int], letter_end: int
) -> tuple[list[Paragraph], str | None, str | None, list[QuestionAnswer]]:
    """Classify the body blocks `body` (indices into `blocks`, signature left out).

    The closing is looked for just before `letter_end` (where the signature starts); blocks after
    it (a report's questions, an annex) are body too. Returns the paragraphs, the salutation, the
    closing and the question/answer pairs.
    """
    salutation = closing = None
    closing_at = max((i for i in body if i < letter_end), default=None)
    if body and SALUTATION.match(blocks[body[0]].text):
        salutation = blocks[body[0]].text
    if closing_at is not None and CLOSING.match(blocks[closing_at].text):
        closing = blocks[closing_at].text

    questions = _question_mode([blocks[i] for i in body])
    paragraphs: list[Paragraph] = []
    pairs: list[QuestionAnswer] = []
    section: str | None = None
    current: QuestionAnswer | None = None
    awaiting_question = False
    labelled_answers = questions and any(_ANTWOORD.match(blocks[i].text) for i in body)
    asking = False
    for position, index in enumerate(body):
        text = blocks[index].text
        following = blocks[body[position + 1]].text if position + 1 < len(body) else ""
        if text == salutation and index == body[0]:
            kind = "salutation"
        elif text == closing and index == closing_at:
            kind = "closing"
        elif questions and (
            m := _NUMBERED_QUESTION.match(text) or _VRAAG.match(text) or _BARE_NUMBER.match(text)
        ):
            kind = "question"
            current = QuestionAnswer(int(m.group("no")), _label(m), m.group("text").strip(), None)
            awaiting_question, asking = not current.question, labelled_answers
            pairs.append(current)
        elif questions and (m := _ANTWOORD.match(text)):
            kind, awaiting_question, asking = "answer", False, False
            current = _answer_target(pairs, int(m.group("no")), _label(m))
            _add_answer(current, m.group("text").strip())
        elif questions and _heads_questions(blocks[index], following, current):
            kind, section, current, awaiting_question, asking = "heading", text, None, False, False
        elif (awaiting_question or asking) and current is not None:
            kind, awaiting_question = "question", False
            current.question = f"{current.question} {text}".strip()
        elif questions and current is not None:
            kind = "answer"
            _add_answer(current, text)
        elif _is_heading(blocks, index):
            kind, section = "heading", text
        elif blocks[index].kind == "list_item" or _NUMBERED.match(text):
            kind = "list_item"
        else:
            kind = "paragraph"
        paragraphs.append(Paragraph(len(paragraphs) + 1, kind, text, section, index))
    return paragraphs, salutation, closing, pairs


def _starts_question(text: str) -> bool:
    return bool(_NUMBERED_QUESTION.match(text) or _VRAAG.match(text) or _BARE_NUMBER.match(text))


def _heads_questions(block: Block, following: str, current: QuestionAnswer | None) -> bool:
    """A heading over the next set of questions ("Vragen van het lid X"), not more answer text:
    a short capitalized line without closing punctuation, right before a question, once the
    question before it has its answer."""
    if not _starts_question(following) or (current is not None and current.answer is None):
        return False
    if block.kind == "heading":
        return True
    words = len(block.text.split(maxsplit=12))
    return (
        3 <= words <= 12
        and block.text[:1].isupper()
        and not ends_sentence(block.text)
        and not block.text.endswith((",", "?"))
    )


def _label(match: re.Match) -> str:
    """The printed number(s) of a question or answer, spaced evenly: `10 en 11`, `2, 3`."""
    return " ".join(match.group("label").replace(",", ", ").split()).replace(" ,", ",")


def _answer_target(pairs: list[QuestionAnswer], number: int, label: str) -> QuestionAnswer:
    """The question an answer numbered `number` answers: the first with that number still
    unanswered, so that a letter answering two sets of questions, each numbered from 1, pairs
    each answer with its own set's question; else the last with that number (an answer in
    parts); else a question printed only through its answer."""
    same = [pair for pair in pairs if pair.number == number]
    for pair in same:
        if pair.answer is None:
            return pair
    if same:
        return same[-1]
    pair = QuestionAnswer(number, label, "", None)
    pairs.append(pair)
    return pair


def _add_answer(pair: QuestionAnswer | None, text: str) -> None:
    if pair is None or not text:
        return
    pair.answer = text if pair.answer is None else f"{pair.answer}\n\n{text}"
