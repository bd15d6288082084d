"""The body's structure: salutation, closing, headings, lists, and questions with their answers."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from pipelines.formats.common import ends_sentence
from pipelines.model import Block

SALUTATION = re.compile(r"^(?:Zeer\s+)?(?:Geachte|Beste)\b[^.]{0,80},?$", re.I)
CLOSING = re.compile(
    r"^(?:Hoogachtend|Met\s+(?:vriendelijke|hoogachtende)\s+groet(?:en)?|"
    r"Met\s+de\s+meeste\s+hoogachting|Met\s+vriendelijke\s+groeten)[,.]?$",
    re.I,
)
_NUMBERED_QUESTION = re.compile(r"^(?P<label>(?P<no>\d{1,3}))[.)]\s+(?P<text>.+\?)$", re.S)
MAX_NUMBERS_PER_LABEL = 100
"""How many numbers a `Vraag` or `Antwoord` label reads (`Vraag 2, 3 en 4`). The label is kept
with every question and answer it heads; a longer list (no letter prints one) is read this far
and the rest of it is taken as the text after the label."""
_MORE_NUMBERS = rf"(?:\s*(?:,|en)\s*\d{{1,3}}\b){{0,{MAX_NUMBERS_PER_LABEL - 1}}}"
_LABEL_NUMBER = re.compile(r"\d{1,3}")
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
    letter that answers two sets of questions.

    Both are kept as the texts of the blocks they are printed in and joined when asked for: a
    question or answer can run on over thousands of blocks, and extending one string block by
    block would copy all of it each time.
    """

    number: int
    label: str
    question_parts: list[str]
    answer_parts: list[str] = field(default_factory=list)
    shares: QuestionAnswer | None = None
    """The question whose printed answer also answers this one (`Antwoord op vragen 3 en 4`
    printed under question 3 answers question 4 too)."""

    @property
    def answered(self) -> bool:
        return bool(self.answer_parts) or self.shares is not None

    @property
    def question(self) -> str:
        return " ".join(part for part in self.question_parts if part)

    @property
    def count(self) -> int:
        """How many questions this row holds: one per printed number (`10 en 11` is two)."""
        return max(len(_LABEL_NUMBER.findall(self.label)), 1)

    @property
    def answer(self) -> str | None:
        parts = self.shares.answer_parts if self.shares is not None else self.answer_parts
        return "\n\n".join(parts) if parts else None


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
    by_number: dict[int, deque[QuestionAnswer]] = {}
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
            current = QuestionAnswer(int(m.group("no")), _label(m), [m.group("text").strip()])
            awaiting_question, asking = not current.question, labelled_answers
            pairs.append(current)
            by_number.setdefault(current.number, deque()).append(current)
        elif questions and (m := _ANTWOORD.match(text)):
            kind, awaiting_question, asking = "answer", False, False
            current = _answer_target(pairs, by_number, int(m.group("no")), _label(m))
            _share_answer(current, by_number, _label(m))
            _add_answer(current, m.group("text").strip())
        elif questions and _heads_questions(blocks[index], following, current):
            kind, section, current, awaiting_question, asking = "heading", text, None, False, False
        elif (awaiting_question or asking) and current is not None and not _answers(current, text):
            kind, awaiting_question = "question", False
            current.question_parts.append(text)
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
    if not _starts_question(following) or (current is not None and not current.answer_parts):
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


def _answer_target(
    pairs: list[QuestionAnswer],
    by_number: dict[int, deque[QuestionAnswer]],
    number: int,
    label: str,
) -> QuestionAnswer:
    """The question an answer numbered `number` answers: the first with that number still
    unanswered, so that a letter answering two sets of questions, each numbered from 1, pairs
    each answer with its own set's question; else the last with that number (an answer in
    parts); else a question printed only through its answer.

    `by_number` holds the questions of each number in order; an answered question never becomes
    unanswered again, so those before the first unanswered one are dropped from it for good
    (all but the last), and each answer is placed without going over the questions again.
    """
    same = by_number.get(number)
    if not same:
        pair = QuestionAnswer(number, label, [])
        pairs.append(pair)
        by_number[number] = deque([pair])
        return pair
    while len(same) > 1 and same[0].answered:
        same.popleft()
    return same[0]


def _answers(pair: QuestionAnswer, text: str) -> bool:
    """Whether `text`, printed after a question in a letter that labels its answers, is an
    answer given without its label: the question so far has been asked (ends in `?`) and this
    block asks nothing."""
    asked = bool(pair.question_parts) and pair.question_parts[-1].rstrip().endswith("?")
    return asked and not text.rstrip().endswith("?")


def _share_answer(
    target: QuestionAnswer, by_number: dict[int, deque[QuestionAnswer]], label: str
) -> None:
    """An answer to several questions (`Antwoord op vragen 3 en 4`) filed under the first also
    answers the others printed as questions of their own and not yet answered; numbers the
    question's own label holds (`Vraag 3 en 4`) are already answered with it."""
    own = set(_LABEL_NUMBER.findall(target.label))
    for number in _LABEL_NUMBER.findall(label):
        if number in own:
            continue
        waiting = [q for q in by_number.get(int(number), ()) if not q.answered]
        if waiting and waiting[0] is not target:
            waiting[0].shares = target


def _add_answer(pair: QuestionAnswer | None, text: str) -> None:
    if pair is not None and text:
        pair.answer_parts.append(text)
