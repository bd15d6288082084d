"""Ministry letters in letterhead form: the fields above `Geachte voorzitter,`.

A letter as the ministry sends it (not as the Kamer publishes it) has no Kamerstuk header but a
letterhead: the ministry's name, the addressee block (`Aan de Voorzitter van de` / `Tweede Kamer
der Staten-Generaal` / `Postbus ...`), and labelled fields (`Datum 27 januari 1999`, `Kenmerk`,
`Betreft` or older `Onderwerp`). Text taken from a PDF may print the labels letter-spaced on one
row (`D a t u m K e n m e r k O n d e r w e r p`) with the values on the row below. Everything
above the salutation (or, without one, up to the last field) is letterhead, never body; the
letterhead ends at the first paragraph of running text at the latest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from pipelines.extract.dates import DUTCH_DATE, parse_dutch_date
from pipelines.extract.structure import SALUTATION
from pipelines.formats.common import normalize_space
from pipelines.model import Block

DEPARTMENTAL = "departementale brief"
"""doc_type of a ministry letter in letterhead form, which prints no document-type heading."""

_SPACED = re.compile(r"\b(?:\w ){2,}\w\b")
_LABELS = r"Datum|Ons kenmerk|Uw kenmerk|Kenmerk|Onderwerp|Betreft|Bijlagen?|Bijlage\(n\)|Blad"
_FIELD = re.compile(rf"^(?P<label>{_LABELS})\b\s*:?\s*(?P<value>.*)$", re.I)
_LABEL_ROW = re.compile(rf"^(?:(?:{_LABELS})\s*){{2,}}$", re.I)
_LABEL_WORD = re.compile(_LABELS, re.I)
_MINISTRY = re.compile(r"^Ministerie van\s")
_ROLE = r"(?:voorzitter|leden|minister|staatssecretaris)\b.*"
_ADDRESSEE = re.compile(
    rf"^(?:Aan\s+(?:de|het)\s+(?P<who>{_ROLE})|(?P<printed>(?:de|het)\s+{_ROLE}))$", re.I
)
"""An addressee line; `who` drops a leading `Aan de` but keeps the article of a block printed
without `Aan` (`De voorzitter van de Tweede Kamer`, as Rijkshuisstijl letters print it)."""
_CONTINUES = re.compile(r"\b(?:van|de|der|het|voor|en)$", re.I)
_TRAILING_PLACE_DATE = re.compile(
    r"(?:^|\s)(?P<place>(?:['’]s-)?[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2}),\s*"
    rf"(?P<date>(?i:{DUTCH_DATE.pattern}))$"
)
_WINDOW = 40
_REPLY_NOTICE = re.compile(
    r"^Bij\s+(?:beantwoording|correspondentie)\b.{0,60}\b(?:kenmerk|datum)\b.{0,40}\bvermelden\b"
    r"[^\n]{0,120}$",
    re.I,
)
"""`Bij beantwoording de datum en ons kenmerk vermelden. Wilt u slechts één zaak in uw brief
behandelen.`: the Rijkshuisstijl notice in the sender's column, which a Word letter's text
puts after the letterhead fields; it is letterhead, not the letter's first paragraph."""


@dataclass
class Letterhead:
    """What a letterhead states; `body_start` is the first block after it."""

    body_start: int
    fields: dict[str, str] = field(default_factory=dict)
    date: date | None = None
    place: str | None = None
    subject: str | None = None
    addressee: str | None = None
    ministry: bool = False


def unspace(text: str) -> str:
    """`D a t u m` -> `Datum`: undo the letter-spacing of letterhead labels."""
    return _SPACED.sub(lambda match: match.group(0).replace(" ", ""), text)


def _read_row(labels: list[str], values: str, fields: dict[str, str]) -> None:
    """Values printed under a row of labels: a date first, one-word kenmerk, subject the rest."""
    for label in labels:
        values = values.strip()
        if not values:
            return
        if label == "datum" and (match := DUTCH_DATE.match(values)):
            fields[label], values = match.group(0), values[match.end() :]
        elif label in ("onderwerp", "betreft") or label == labels[-1]:
            fields[label], values = values, ""
        else:
            first, _, values = values.partition(" ")
            fields[label] = first


def _addressee(texts: list[str], index: int) -> str | None:
    """The addressee block, joined over the lines it is broken into."""
    match = _ADDRESSEE.match(texts[index])
    if match is None:
        return None
    who = match.group("who") or match.group("printed")
    for following in texts[index + 1 : index + 3]:
        if not (_CONTINUES.search(who) or following.startswith("der ")):
            break
        who = f"{who} {following}"
    return who[:1].upper() + who[1:]


def _fits(field: re.Match[str]) -> bool:
    """Whether a field line is short enough to be one: a subject may run to three printed
    lines, the other values fit on one."""
    limit = 400 if field.group("label").lower() in ("betreft", "onderwerp") else 120
    return len(field.group(0)) <= limit


def _is_label(text: str) -> bool:
    return bool(_FIELD.match(text) or _LABEL_ROW.match(text))


def trailing_place_and_date(text: str) -> tuple[str | None, date | None]:
    """The place and date printed at the end of a letterhead line (`Kenmerk: 2024-0000123456
    's-Gravenhage, 12 maart 2024`), or (None, None)."""
    if match := _TRAILING_PLACE_DATE.search(text):
        when = parse_dutch_date(match.group("date"))
        if when is not None:
            return match.group("place"), when
    return None, None


def before_place_and_date(text: str) -> str:
    """`text` without the place and date printed at its end (`2024-0000123456 's-Gravenhage,
    12 maart 2024` -> `2024-0000123456`)."""
    match = _TRAILING_PLACE_DATE.search(text)
    if match and parse_dutch_date(match.group("date")) is not None:
        return text[: match.start()].strip()
    return text


def past_reply_notice(blocks: list[Block], index: int) -> int:
    """The first block from `index` that is no `_REPLY_NOTICE`."""
    while index < len(blocks) and _REPLY_NOTICE.match(blocks[index].text):
        index += 1
    return index


def read_letterhead(blocks: list[Block], start: int) -> Letterhead | None:
    """Read the letterhead from `start`; None when the top of the letter has no letterhead field.

    Fields are read line by line, as printed: a PDF puts letterhead lines at line spacing into
    one block (`Datum 22 december 2022` over `Betreft Emissies door de luchtvaart`). Whether
    running text ends the letterhead is judged on the whole block.
    """
    window = blocks[start : start + _WINDOW]
    texts = [unspace(block.text) for block in window]
    salutation = next((i for i, text in enumerate(texts) if SALUTATION.match(text)), None)
    head = texts if salutation is None else texts[:salutation]
    lines = [
        (index, unspace(normalize_space(line)))
        for index, block in enumerate(window[: len(head)])
        for line in (block.layout or block.text).splitlines()
        if line.strip()
    ]
    fields: dict[str, str] = {}
    last = values_row = None
    for position, (index, text) in enumerate(lines):
        if len(head[index]) > 200 and not ((match := _FIELD.match(text)) and _fits(match)):
            break
        if _LABEL_ROW.match(text) and position + 1 < len(lines):
            labels = [word.lower() for word in _LABEL_WORD.findall(text)]
            _read_row(labels, lines[position + 1][1], fields)
            last, values_row = lines[position + 1][0], position + 1
        elif (match := _FIELD.match(text)) and _fits(match) and values_row != position:
            value = match.group("value").strip()
            if not value and position + 1 < len(lines) and not _is_label(lines[position + 1][1]):
                # the label on a line of its own, its value on the next (`Datum` / `6 juli 2020`)
                index, value = lines[position + 1]
                values_row = position + 1
            fields.setdefault(match.group("label").lower(), value)
            last = index
    if last is None or not {"datum", "kenmerk", "betreft", "onderwerp"} & fields.keys():
        return None
    end = salutation if salutation is not None else last + 1
    printed = [text for index, text in lines if index < end]
    addressees = (_addressee(printed, i) for i in range(len(printed)))
    when = parse_dutch_date(fields.get("datum", ""))
    place = None
    for value in fields.values() if when is None else ():
        place, when = trailing_place_and_date(value)
        if when is not None:
            break
    return Letterhead(
        body_start=start + end,
        fields=fields,
        date=when,
        place=place,
        subject=fields.get("betreft") or fields.get("onderwerp"),
        addressee=next((who for who in addressees if who), None),
        ministry=any(_MINISTRY.match(text) for text in printed),
    )
