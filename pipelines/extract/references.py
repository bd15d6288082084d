"""Citations of other parliamentary documents, each normalized to an identifier.

A citation naming several numbers (`Kamerstuk 33 783, nrs. 31, 32 en 35`) gives one reference per
number (up to `MAX_NUMBERS_PER_CITATION`), so that every row points at exactly one document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipelines.extract.dates import MONTH_NAMES
from pipelines.extract.identity import normalize_dossier, normalize_year
from pipelines.formats.common import unify_dashes

_NR = r"(?:\d{1,4}[a-z]?|[A-Z]{1,2})"
_NOT_A_DATE = rf"(?!(?:19|20)\d\d\b)(?!\d{{1,2}}\s+(?:{MONTH_NAMES})\b)"
MAX_NUMBERS_PER_CITATION = 200
"""How many numbers one citation gives references for. Each number becomes a row that repeats
the citation as printed, so a list of thousands (a broken or hostile file: `nr. 1, 1, 1, ...`
over megabytes) would give rows of text growing with the square of its length. Real lists
name a handful; a longer one is read up to this many numbers and the rest of it is left as
text, which is no error."""
_NRS = rf"{_NR}(?:\s*(?:,|en|t/m)\s*{_NOT_A_DATE}{_NR}\b){{0,{MAX_NUMBERS_PER_CITATION - 1}}}"
"""`31, 32 en 35`; a year or a day and month after the list (`nr. 49, 3 oktober 2019`) is not
read as another number."""
_LEAD = (
    r"\b[Kk]amerstuk(?:ken|nummer)?\s+(?:(?:I|II)\s*,?\s+)?"
    r"(?:(?:[Vv]ergaderjaar\s+)?\d{4}\s*[/-]\s*\d{2,4},?\s+)?"
)
_CITED_DOSSIER = r"(?<![\d/.-])\d{2}\s?\d{3}(?!\d)(?:[\s-](?:[A-Z]{1,6}|\d{1,3})\b){0,3}"
KAMERSTUK = re.compile(
    rf"(?P<lead>{_LEAD})?(?P<dossier>{_CITED_DOSSIER})"
    rf"(?:\s*[/,]\s*\d{{2}}\s?\d{{3}}(?!\d)){{0,9}}"
    rf"(?:,?\s*(?:nrs?\.?|letter)\s*(?P<nrs>{_NRS})|,\s*(?P<plain>{_NR})\b(?![\s/]*\d))?"
)
"""`Kamerstuk 33 783, nrs. 31, 32 en 35`, `Kamerstukken II 2001/02 28 000 VI nr. 46`, a bare
`(29 435, nr. 256)`, `Kamerstuk 30 306/30 307, letter D` and `Kamerstuk 31728, 30914, nr. 5` (the
number belongs to the first dossier), or a dossier cited alone after the word `Kamerstuk`; a bare
number without `nr.` is not a citation. A dossier number takes at most three suffixes
(`21 501-32`, `36 200 V`) and a citation at most ten dossiers, so that the printed citation,
which every number's row repeats, stays short."""
_NUMBER_SEPARATOR = re.compile(r"\s*(?:,|en|t/m)\s*")
_HYPHEN_JOINED = re.compile(r"\b(?P<dossier>\d{5}(?:-(?:[A-Z]{1,6}|\d{2}))?)-(?P<nr>\d{1,4})\b")
KAMERSTUK_HYPHENATED = re.compile(rf"\b[Kk]amerstuk(?:ken)?\s+{_HYPHEN_JOINED.pattern}")
_KAMERSTUK_START = re.compile(r"[Kk\d](?:(?<=[Kk])amerstuk|(?<=\d)\d\s?\d{3})")
"""Where a `KAMERSTUK` match can start: the word Kamerstuk or the first digit of a dossier
number. It begins with a character class, which the regex engine scans for in C; `KAMERSTUK`
begins with an optional part, so its own search is tried at every character."""
_WORD_KAMERSTUK = re.compile(r"[Kk]amerstuk")
"""Where a `KAMERSTUK_HYPHENATED` match can start."""
TK_ID = re.compile(r"(?:19|20)(?<!\w..)\d{2}(?P<kind>[ZD])\d{5}\b")
"""`2024D39756`, a zaak or document of the Tweede Kamer. The word boundary before the year is the
look-behind after its first two digits, so that the search can skip ahead to a `1` or `2`. Its
last five digits are a `_NUMBERED_HINT`, so it starts at most five characters before the first
one: the search starts there."""
HANDELINGEN = re.compile(
    r"(?<!Aanhangsel )(?<!Aanhangsel van de )"
    r"\bHandelingen\s+(?P<house>I|II)\s+(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{2,4}),\s*nr\.\s*(?P<nr>\d+)"
    r"(?:,\s*item\s*(?P<item>\d+))?"
)
AANHANGSEL = re.compile(
    r"\bAanhangsel\s+(?:van\s+de\s+)?Handelingen(?:\s+(?P<house>I|II))?,?\s+(?:vergaderjaar\s+)?"
    r"(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{2,4}),?\s+nr\.\s*(?P<nr>\d+)"
)
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]+", re.I)


@dataclass
class Reference:
    kind: str
    raw: str
    target_id: str
    dossier_number: str | None = None
    document_number: str | None = None
    start: int = 0


def _finditer_from(
    pattern: re.Pattern[str], starts: re.Pattern[str], text: str, pos: int
) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text, pos)` gives, trying `pattern` only where `starts` matches.

    `starts` must match wherever `pattern` can (a cheap pattern with a required literal), and
    `pattern` must not match the empty string.
    """
    while (start := starts.search(text, pos)) is not None:
        match = pattern.match(text, start.start())
        if match is None:
            pos = start.start() + 1
        else:
            yield match
            pos = match.end()


def _within(position: int, starts: list[int], ends: list[int]) -> bool:
    """Whether `position` falls in one of the spans `starts[i]:ends[i]`, which are sorted and
    do not overlap: a binary search, as a text can hold thousands of them."""
    index = bisect.bisect_right(starts, position) - 1
    return index >= 0 and position < ends[index]


def _kamerstuk_refs(text: str, first_number: int) -> list[Reference]:
    """Kamerstuk citations in `text`, whose first five-digit number starts at `first_number`.

    A citation starts at its dossier number or at the word `Kamerstuk` before it, so the search
    starts at whichever comes first: the text before it cannot hold a match.
    """
    refs = []
    lead = text.find("amerstuk")
    hyphenated = _finditer_from(KAMERSTUK_HYPHENATED, _WORD_KAMERSTUK, text, max(lead - 1, 0))
    for match in hyphenated if lead >= 0 else ():
        dossier, nr = match.group("dossier"), match.group("nr")
        refs.append(
            Reference(
                "kamerstuk", match.group(0), f"kst-{dossier}-{nr}", dossier, nr, match.start()
            )
        )
    taken_starts = [ref.start for ref in refs]
    taken_ends = [ref.start + len(ref.raw) for ref in refs]
    start = first_number if lead < 0 else min(first_number, max(lead - 1, 0))
    for match in _finditer_from(KAMERSTUK, _KAMERSTUK_START, text, start):
        numbers = match.group("nrs") or (match.group("plain") if match.group("lead") else None)
        if _within(match.start("dossier"), taken_starts, taken_ends):
            continue
        if numbers is None and not match.group("lead"):
            continue
        dossier = normalize_dossier(match.group("dossier"))
        raw = match.group(0).strip()
        if numbers is None:
            refs.append(Reference("kamerstuk", raw, f"kst-{dossier}", dossier, None, match.start()))
            continue
        for nr in _NUMBER_SEPARATOR.split(numbers):
            if nr:
                refs.append(
                    Reference("kamerstuk", raw, f"kst-{dossier}-{nr}", dossier, nr, match.start())
                )
    return refs


def _house_code(house: str | None) -> str:
    return "ek" if house == "I" else "tk"


_NUMBERED_HINT = re.compile(r"\d\d\s?\d\d\d")
"""Five digits, in every Kamerstuk dossier and Tweede Kamer id: without them, neither is cited."""


def find_references(text: str) -> list[Reference]:
    """Every citation in `text`, in the order they are printed.

    Most paragraphs cite nothing; the cheap hints (the words every pattern of a kind needs)
    skip the patterns that cannot match, which is most of the time extraction spent here.
    """
    numbered = _NUMBERED_HINT.search(text)
    handelingen = "Handelingen" in text
    url = "://" in text or "www." in text.lower()
    if numbered is None and not handelingen and not url:
        return []
    text = unify_dashes(text.replace("\u00a0", " "))
    refs = _kamerstuk_refs(text, numbered.start()) if numbered else []
    for match in TK_ID.finditer(text, max(numbered.start() - 5, 0)) if numbered else ():
        kind = "zaak" if match.group("kind") == "Z" else "document"
        refs.append(Reference(kind, match.group(0), match.group(0), start=match.start()))
    for match in HANDELINGEN.finditer(text) if handelingen else ():
        year = normalize_year(match.group("y1"), match.group("y2"))
        if year is None:
            continue
        target = (
            f"h-{_house_code(match.group('house'))}-{year.replace('-', '')}-{match.group('nr')}"
        )
        if match.group("item"):
            target += f"-{match.group('item')}"
        refs.append(Reference("handelingen", match.group(0), target, start=match.start()))
    for match in AANHANGSEL.finditer(text) if handelingen else ():
        year = normalize_year(match.group("y1"), match.group("y2"))
        if year is None:
            continue
        target = (
            f"ah-{_house_code(match.group('house'))}-{year.replace('-', '')}-{match.group('nr')}"
        )
        refs.append(Reference("aanhangsel", match.group(0), target, start=match.start()))
    for match in URL.finditer(text) if url else ():
        raw = match.group(0).rstrip(".,;:")
        target = raw if raw.lower().startswith("http") else f"https://{raw}"
        refs.append(Reference("url", raw, target, start=match.start()))
    refs.sort(key=lambda ref: ref.start)
    return refs


_STATED_KAMERSTUK = re.compile(r"^kst-(?P<dossier>\d{5}(?:-[0-9A-Za-z]+)*)-(?P<nr>[0-9A-Za-z]+)$")
_STATED_KINDS = (("kst-", "kamerstuk"), ("ah-", "aanhangsel"), ("h-", "handelingen"))


def stated_reference(target: str, printed: str) -> Reference:
    """A citation whose target the source states (`extref doc="kst-36800-XIV-80"`).

    Such a citation is found even when its printed form is one the patterns do not read, such
    as `(36 800 XIV, nr. 80)` without the word Kamerstuk.
    """
    kind = next((kind for prefix, kind in _STATED_KINDS if target.startswith(prefix)), "other")
    dossier = nr = None
    if match := _STATED_KAMERSTUK.match(target):
        dossier, nr = match.group("dossier"), match.group("nr")
    elif target.startswith("dossier/"):
        dossier = normalize_dossier(target.removeprefix("dossier/"))
    return Reference(kind, printed or target, target, dossier, nr)


def citations(text: str, stated: list[tuple[str, str]]) -> list[Reference]:
    """The citations read in `text`, then those the source states for it that reading missed.

    A stated target the text's own citation already gives is kept once, as read; `stated`
    holds the (identifier, printed text) pairs of `Block.cites` or `Footnote.cites`.
    """
    refs = find_references(text)
    found = {ref.target_id for ref in refs}
    for target, printed in stated:
        if target not in found:
            found.add(target)
            refs.append(stated_reference(target, printed))
    return refs
