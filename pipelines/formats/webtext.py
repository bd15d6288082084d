"""Text as a web page gives it: page chrome, footnote blocks at the end, hard-wrapped lines.

Copying the text of a zoek.officielebekendmakingen.nl, tweedekamer.nl or news-archive page brings
along what the page prints around the letter (`Naar boven`, a metadata table whose cells run
together, a list of signers, share links) and prints the footnotes as `X Noot` / number / text
blocks, or old-style `1) text` lines, after the letter. Their markers stay glued to the words they
follow (`brief1`, `van 20181`, `jl.1 van`). These helpers undo all that on plain lines, before
they are grouped into blocks, so that the extraction rules see only the letter.
"""

from __future__ import annotations

import re

from pipelines.formats.common import ends_sentence, normalize_space
from pipelines.model import Block, Signer

_DROP_LINE = re.compile(r"^(?:Naar boven|Kamerstuk|Datum publicatie\s*\|?\s*Organisatie.*)$")
_TABLE_RULE = re.compile(r"^[|\s-]+$")
_CHROME_TAIL = re.compile(r"^(?:Deel:\s.*|Lees ook|Ondertekenaars)$")
_GLUED_METADATA = re.compile(
    r"^(?P<house>(?:Tweede|Eerste) Kamer der Staten-Generaal)\s*\|?\s*"
    r"(?P<year>\d{4}\s*[-\u2013]\s*\d{4})\s*\|?\s*\d{2}\s?\d{3}[\w-]*\s+nr\.\s*\w+.*$"
)
_NOTE_HEAD = re.compile(r"^X\s?Noot$")
_NOTE_NUMBER = re.compile(r"^\d{1,3}$")
_NUMBERED_NOTE = re.compile(r"^(?P<nr>\d{1,3})\s+(?P<text>\D.*)$")
_PAREN_NOTE = re.compile(r"^(?P<nr>\d{1,3})\)\s+(?P<text>\S.*)$")
_LABEL = re.compile(r"^(?:Vraag|Antwoord)\s+\d", re.I)
_HEADER_START = re.compile(
    r"^(?:Aan\s|Den Haag,|'s-Gravenhage,|Nr\.|Datum\s|Betreft\s|Vastgesteld\s|\d{2}\s?\d{3}\b)"
)
_ROLE_START = re.compile(r"^(?:De|Het)\s+(?:minister|staatssecretaris|voorzitter|griffier)", re.I)
_MARKED_END = re.compile(r"[.!?)»”’]\d{1,2}$")
"""A sentence end followed by a glued footnote marker (`nr. 12).2`)."""
_WRAP_MIN, _WRAP_MAX = 60, 110


_PAGE_FIELD = re.compile(
    r"^(?P<label>Gepubliceerd|Indiener\(s\)|Indieners?|Dossier|ID)\s*:\s*(?P<value>\S.*)$", re.I
)
"""A line of the metadata block an openkamer.org page prints above the letter."""
_PAGE_FIELDS_WITHIN = 40


def page_fields(lines: list[str]) -> dict[int, re.Match[str]]:
    """The metadata lines of an openkamer.org page (`Gepubliceerd: ...`, `Indiener(s): ...`,
    `Dossier: ...`, `ID: ...`) by line index: taken only near the top and only when at least two
    of the labels appear, so a letter's own `Dossier: ...` line is never one."""
    found = {
        index: match
        for index, line in enumerate(lines[:_PAGE_FIELDS_WITHIN])
        if (match := _PAGE_FIELD.match(line.strip()))
    }
    labels = {match.group("label").lower().rstrip("s") for match in found.values()}
    return found if len(labels) >= 2 else {}


def strip_chrome(lines: list[str]) -> list[str]:
    """Drop the page's own lines; turn its glued metadata row into house and vergaderjaar lines.

    Everything from a trailing `Deel:` / `Lees ook` / `Ondertekenaars` line on is the site's, as
    long as no paragraph of the letter follows it; an openkamer.org page's metadata block above
    the letter is the site's too.
    """
    out: list[str] = []
    fields = page_fields(lines)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if index in fields:
            continue
        if _DROP_LINE.match(stripped) or (stripped and _TABLE_RULE.match(stripped)):
            continue
        if match := _GLUED_METADATA.match(stripped):
            out.extend([match.group("house"), "", f"Vergaderjaar {match.group('year')}", ""])
            continue
        out.append(line)
    last_long = max((i for i, line in enumerate(out) if len(line.strip()) > 100), default=-1)
    for index in range(last_long + 1, len(out)):
        if _CHROME_TAIL.match(out[index].strip()):
            return out[:index]
    return out


_LISTED_SIGNER = re.compile(
    r"^(?:Gerelateerde personen:\s*)?-?\s*(?:Eerste|Mede)\s?ondertekenaar\s*(?::\s*(?P<who>.+))?$",
    re.I,
)
"""A signer the page lists: `- Eerste ondertekenaar: D.M. van Weel, minister van ...` (OpenTK)
on one line, or `Eerste ondertekenaar` with the name and role on the next line (tweedekamer.nl)."""
_GIVEN_NAME = re.compile(r"\s*\([^)]*\)\s*")
_PARTY = re.compile(r"\s*\([^)]*\)$")


def listed_signers(lines: list[str]) -> list[Signer]:
    """The signers a tweedekamer.nl, OpenTK or openkamer.org page lists beside the letter, in
    their order.

    Such pages name the signers in their metadata (`Ondertekenaars` / `Gerelateerde personen` /
    `Indiener(s): name, role; name, role`)
    also when the text they show stops before the letter's signature block. Each is written
    `initials (given name) surname, role (party)`; the name is kept as the letter would print
    it (`M. Bosma`) and the role as the page prints it, without the party.
    """
    signers: list[Signer] = []
    known: set[str] = set()
    stripped = [line.strip() for line in lines]
    listed: list[str] = []
    for index, line in enumerate(stripped):
        match = _LISTED_SIGNER.match(line)
        if not match:
            continue
        following = (stripped[after] for after in range(index + 1, len(stripped)))
        who = match.group("who") or next((n for n in following if n), "")
        if not _LISTED_SIGNER.match(who):
            listed.append(who)
    for match in page_fields(lines).values():
        if match.group("label").lower().startswith("indiener"):
            listed += match.group("value").split(";")
    for who in listed:
        name, _, role = who.partition(",")
        name = normalize_space(_GIVEN_NAME.sub(" ", name))
        role = normalize_space(_PARTY.sub("", role))
        if name and role and name not in known:
            signers.append(Signer(role=role, name=name))
            known.add(name)
    return signers


def split_note_blocks(lines: list[str]) -> tuple[list[str], dict[int, str]]:
    """Cut the `X Noot` / number / text blocks (and old `1) text` lines) off the end."""
    parts: dict[int, list[str]] = {}  # each note's lines, joined once: a note can be long
    starts = [i for i, line in enumerate(lines) if _NOTE_HEAD.match(line.strip())]
    if starts:
        number: int | None = None
        expect_number = False
        for stripped in (line.strip() for line in lines[starts[0] :]):
            if not stripped:
                continue
            if _NOTE_HEAD.match(stripped):
                expect_number = True
            elif expect_number and _NOTE_NUMBER.match(stripped):
                number, expect_number = int(stripped), False
            elif expect_number and (match := _NUMBERED_NOTE.match(stripped)):
                number, expect_number = int(match.group("nr")), False
                parts[number] = [match.group("text")]
            elif number is not None:
                parts.setdefault(number, []).append(stripped)
        lines = lines[: starts[0]]
    notes = {number: normalize_space(" ".join(texts)) for number, texts in parts.items()}
    return _split_paren_notes(lines, notes)


def _split_paren_notes(lines: list[str], notes: dict[int, str]) -> tuple[list[str], dict[int, str]]:
    """Old-style notes: `1) text` lines closing the page, taken only when ` 1)` marks the text."""
    end = len(lines)
    found: dict[int, str] = {}
    while end > 0:
        stripped = lines[end - 1].strip()
        match = _PAREN_NOTE.match(stripped)
        if stripped and not match:
            break
        if match:
            found[int(match.group("nr"))] = normalize_space(match.group("text"))
        end -= 1
    body = "\n".join(lines[:end])
    marked = {n: t for n, t in found.items() if re.search(rf"\s{n}\)", body)}
    if not marked:
        return lines, notes
    return lines[:end], {**notes, **marked}


def join_hard_wraps(lines: list[str]) -> list[str]:
    """Join lines a page wrapped inside a sentence (tweedekamer.nl prints no blank lines).

    A line of typical wrap width that does not end a sentence continues on the next line, unless
    it is a heading in capitals or the next line opens a header field, a question or answer label
    or a signer's role.
    """
    out: list[list[str]] = []  # each line's pieces, joined once: a paragraph can be long
    prev = ""
    for line in lines:
        stripped = line.strip()
        if (
            stripped
            and _WRAP_MIN <= len(prev) <= _WRAP_MAX
            and not ends_sentence(prev)
            and not _MARKED_END.search(prev)
            and not is_capitals(prev)
            and not _LABEL.match(stripped)
            and not _HEADER_START.match(stripped)
            and not _ROLE_START.match(stripped)
            and not _ROLE_START.match(prev)
            and "\t" not in prev
            and "  " not in prev
        ):
            out[-1].append(stripped)
        else:
            out.append([line])
        prev = stripped
    return [pieces[0] if len(pieces) == 1 else " ".join([pieces[0].rstrip(), *pieces[1:]])
            for pieces in out]  # fmt: skip


def is_capitals(text: str) -> bool:
    """True for a line set mostly in capitals, as document-type headings are."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def _marker(number: int) -> re.Pattern[str]:
    """Where note `number`'s marker sits: glued to a word, a year, punctuation, or as ` n)`."""
    return re.compile(
        rf"(?<=[^\W\d_]){number}(?=[\s.,;:!?)»”’]|$)"
        rf"|(?<=[.?!)»”’]){number}(?=\s|[A-Z]|$)"
        rf"|(?<=\b(?:19|20)\d\d){number}(?=[\s.,;:)]|$)"
        rf"|\s{number}\)(?=[\s.,;:]|$)"
    )


def unglue_markers(blocks: list[Block], numbers: list[int]) -> None:
    """Take the markers of the known notes out of the text, in order, and record them.

    Each note's marker is looked for from where the previous one was found, so a digit that only
    looks like a marker earlier in the letter is left alone.
    """
    position = 0
    for number in sorted(numbers):
        pattern = _marker(number)
        for index in range(position, len(blocks)):
            block = blocks[index]
            match = pattern.search(block.text)
            if match is None:
                continue
            left, right = block.text[: match.start()], block.text[match.end() :]
            if right[:1] in (".", ",", ";", ":"):
                left = left.rstrip()
            block.text = normalize_space(left + right)
            block.note_refs.append(number)
            position = index
            break


_END_MARKER = re.compile(r"(?<=[^\W\d_][?.!»”’)])(?P<nr>\d{1,2})$")


def strip_end_markers(blocks: list[Block]) -> None:
    """Pages that leave out the note texts (tweedekamer.nl) still print the markers; one glued
    after the closing punctuation of a block (`NEMA»?1`, `(POK).1`) is taken out and recorded."""
    for block in blocks:
        if match := _END_MARKER.search(block.text):
            block.text = block.text[: match.start()]
            block.note_refs.append(int(match.group("nr")))


def strip_glued_markers(blocks: list[Block]) -> None:
    """Markers of notes a page leaves out, glued to a word (`Onderzoek1.`, `Milieu1 heeft`),
    taken out and recorded. The first must be the next number after those `strip_end_markers`
    found, each later one follows in order after it, and each is glued to three lower-case
    letters, so a word that merely ends in a number (`A12`, `COVID19`) is left alone."""
    number = 1 + max((n for block in blocks for n in block.note_refs), default=0)
    position = 0
    while True:
        pattern = re.compile(rf"(?<=[a-zà-ÿ]{{3}}){number}(?=[\s.,;:!?)»”’]|$)")
        found = next(
            (i for i in range(position, len(blocks)) if pattern.search(blocks[i].text)), None
        )
        if found is None:
            return
        block = blocks[found]
        block.text = normalize_space(pattern.sub("", block.text, count=1))
        block.note_refs.append(number)
        number, position = number + 1, found
