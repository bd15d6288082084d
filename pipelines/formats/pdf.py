"""PDF letters: the typeset text, with what pagination did to it undone.

A PDF knows glyphs and their positions, not paragraphs. PDFium (through pypdfium2) gives every
character with its font, size and position, which is what the rules below need and what plain
text extraction loses: word-positioned text comes out one word per line, or with note markers
glued to words (`toekomen1.`, `juni2018`), and it does not say which glyphs are small. PDFium is
a compiled engine: reading the characters costs a fraction of the layout work below, where
pdfminer's Python layout cost many times the whole parse (docs/performance.md).

- lines are characters sharing a baseline; a gap of several ems inside a line is a column gap
  (side-by-side signers) and kept as a tab in the block layout;
- the body size is the most common glyph size (a letter has more body text than notes); small
  raised digits are footnote markers, except a power after a unit (`m2`); small-font lines at
  the bottom of a page, below the body text, are the footnotes printed on that page (a note can
  run on to the next page);
- a ministry letterhead's side column (small print right of the middle, beside the addressee)
  is read apart and before the rest of the first page, and dropped from later pages, where it
  only repeats the date and reference;
- lines repeated at the top or bottom of several pages (running heads, footers) and page numbers
  are dropped, but not a note numbered as a marker above it;
- a paragraph cut by a page break, with the page's footnotes in between, is joined again; a word
  hyphenated at a line end is joined.
"""

from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from statistics import median

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.formats.common import (
    attach_footnotes,
    ends_sentence,
    is_raised_power,
    normalize_space,
)
from pipelines.model import Block, BlockKind, Document, ParseError

_BULLET = re.compile(r"^[\u2013\u2022\u00b7\u25aa\u25e6\uf0b7-]\s+")
_PAGE_NUMBER = re.compile(
    r"^(?:-\s*)?(?:pagina\s+|page\s+)?\d{1,4}(?:\s*(?:/|van|of)\s*\d{1,4})?(?:\s*-)?$", re.I
)
_NOTE_START = re.compile(r"^(\d{1,3})\s+(?=\S)")
_PUBLICATION_FOOTER = re.compile(
    r"^(?:(?:kst|ah|h|blg|stcrt|stb|trb)-[\w-]+(?:\s+ISSN\b.*)?|ISSN\s+\d{4}\s*-\s*\d{3}[\dX]"
    r"|[’']s-Gravenhage\b.*\bvergaderjaar\b.*)$",
    re.I,
)
"""What KOOP prints at the foot of a publication's first page: its id (`kst-32545-143`), the
series' ISSN, and the colophon (`'s-Gravenhage 2021 Tweede Kamer, vergaderjaar 2020-2021, ...`)."""
_SMALL = 0.85
"""Characters smaller than this fraction of the body size are small print (notes, markers)."""
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb06": "st",
    }
)
_SPACING_ACCENTS = {
    "\u00b8": "\u0327",  # cedilla
    "\u00b4": "\u0301",  # acute
    "\u00a8": "\u0308",  # diaeresis
    "\u02c7": "\u030c",  # caron
    "\u02d8": "\u0306",  # breve
    "\u02da": "\u030a",  # ring
    "\u02dc": "\u0303",  # tilde
    "\u02c6": "\u0302",  # circumflex
}
_LOOSE_ACCENT = re.compile(f"([^\\W\\d_])([{''.join(_SPACING_ACCENTS)}])")
"""A letter followed by a spacing accent."""
_MARGIN = 0.12
"""Running heads, footers and page numbers stand in this fraction of the page at top and bottom."""


def _compose_accents(text: str) -> str:
    """`Yes¸ilgöz` -> `Yeşilgöz`: a font without a glyph for a letter outside Latin-1 prints
    the base letter and a spacing accent after it. Only such letters are composed, so an
    accent typed for an apostrophe (`zo´n`, which would make `ó`) stays as printed."""

    def compose(match: re.Match[str]) -> str:
        letter = unicodedata.normalize("NFC", match.group(1) + _SPACING_ACCENTS[match.group(2)])
        return letter if len(letter) == 1 and ord(letter) > 0xFF else match.group(0)

    return _LOOSE_ACCENT.sub(compose, text)


@dataclass
class _Line:
    """One printed line: its text with tabs for column gaps, position, size and note markers."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    text: str
    first_word_width: float
    in_margin: bool
    markers: list[int] = field(default_factory=list)


Char = tuple[str, bool, float, float, float, float, float, float, bool, bool]
"""One character as the engine reads it, a tuple for speed (a page holds thousands): the fields
below, in this order."""
_TEXT, _VISIBLE, _X0, _X1, _TOP, _BOTTOM, _SIZE, _SIZE1, _BOLD, _MARKER = range(10)
"""The text; whether it is not a space; the box (`x0`, `x1`, and `top`, `bottom` from the top of
the media box); the font size scaled by the text matrix, and to a tenth of a point; whether the
font is bold; whether it is a note marker (set by the line builder)."""

_BY_BASELINE = itemgetter(_BOTTOM, _X0)
_BY_X = itemgetter(_X0)
_BY_SIZE = itemgetter(_SIZE1)
_BY_SIZE_EXACT = itemgetter(_SIZE)
_BY_TOP = itemgetter(_TOP)
_BY_BOTTOM = itemgetter(_BOTTOM)
_BY_X1 = itemgetter(_X1)
_BY_BOLD = itemgetter(_BOLD)
_BY_VISIBLE = itemgetter(_VISIBLE)


def _cluster(chars: list[Char], tolerance: float) -> list[list[Char]]:
    """`chars` by baseline: each cluster takes the characters whose bottom is at most
    `tolerance` below its first one's, in order of bottom, then x.

    Each cluster's end is found by bisection (and checked with the same subtraction), so the
    work per character is the sort's, not a Python step.
    """
    ordered = sorted(chars, key=_BY_BASELINE)
    bottoms = list(map(_BY_BOTTOM, ordered))
    clusters = []
    start, count = 0, len(ordered)
    while start < count:
        first = bottoms[start]
        end = bisect_right(bottoms, first + tolerance, start + 1)
        while end < count and bottoms[end] - first <= tolerance:
            end += 1
        while end > start + 1 and bottoms[end - 1] - first > tolerance:
            end -= 1
        clusters.append(ordered[start:end])
        start = end
    return clusters


def _is_marker_cluster(cluster: list[Char], body_size: float) -> bool:
    visible = list(filter(_BY_VISIBLE, cluster))
    return (
        bool(visible)
        and all(_is_ascii_digit(c[_TEXT]) or c[_TEXT] == "," for c in visible)
        and max(map(_BY_SIZE_EXACT, visible)) < _SMALL * body_size
    )


def _merge_markers(clusters: list[list[Char]], body_size: float) -> list[list[Char]]:
    """Attach raised small digits to the line they are printed against, flagged as markers."""
    out: list[list[Char]] = []
    for index, cluster in enumerate(clusters):
        if not _is_marker_cluster(cluster, body_size):
            out.append(cluster)
            continue
        bottom = max(map(_BY_BOTTOM, cluster))
        size = max(map(_BY_SIZE_EXACT, cluster))
        host = None
        for other in clusters[index + 1 : index + 3]:
            if _is_marker_cluster(other, body_size):
                continue
            other_top = min(map(_BY_TOP, other))
            other_bottom = max(map(_BY_BOTTOM, other))
            if other_top - 1 <= bottom <= other_bottom and max(map(_BY_SIZE_EXACT, other)) > size:
                host = other
                break
        if host is None:
            out.append(cluster)
            continue
        host.extend(c[:_MARKER] + (True,) for c in cluster)
    return out


def _is_ascii_digit(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _flag_raised_digits(chars: list[Char]) -> list[Char]:
    """Mark small digits printed above the line's baseline as note markers.

    A marker raised only a little stays in the cluster of its line; it is told from the text by
    being smaller than the line's type and standing above the baseline.
    """
    visible = list(filter(_BY_VISIBLE, chars))
    if not visible:
        return chars
    size = _size(visible)
    small = _SMALL * size
    if min(map(_BY_SIZE_EXACT, visible)) >= small:
        return chars
    baseline = Counter(round(c[_BOTTOM], 1) for c in visible if c[_SIZE1] == size).most_common(1)[
        0
    ][0]
    return [
        c[:_MARKER] + (True,)
        if c[_SIZE] < small and _is_ascii_digit(c[_TEXT]) and c[_BOTTOM] < baseline - 0.5
        else c
        for c in chars
    ]


def _runs(cluster: list[Char]) -> list[list[Char]]:
    """The parts of one printed line that a column gap (several ems) separates."""
    runs: list[list[Char]] = []
    for char in sorted(cluster, key=_BY_X):
        if runs and char[_X0] - runs[-1][-1][_X1] <= 2.5 * char[_SIZE]:
            runs[-1].append(char)
        else:
            runs.append([char])
    return runs


def _size(chars: list[Char]) -> float:
    """The most common size (to a tenth of a point) of `chars`; the first seen of a tie."""
    sizes = list(map(_BY_SIZE, chars))
    if sizes.count(sizes[0]) == len(sizes):
        return sizes[0]
    return Counter(sizes).most_common(1)[0][0]


def _side_column(
    chars: list[Char], body_size: float, page_width: float, height: float
) -> list[Char]:
    """The characters of a ministry letterhead's side column on this page, or none.

    Rijkshuisstijl letters print the ministry's address, `Ons kenmerk` and `Bijlage(n)` in small
    type in a narrow column beside the addressee and date. Its lines share baselines with the
    letter's, so read line by line the columns mix (`De voorzitter van de Tweede Kamer 2515 XP
    Den Haag`). Such a column is at least three runs of small print in the upper half of the
    page that start at one x right of its middle, with nothing on the left reaching into it and
    no run of that size beside them: a table in small print has cells of one size on a row.
    """
    small_size = _SMALL * body_size
    visible = [c for c in chars if c[_VISIBLE]]
    if not any(
        c[_X0] > page_width / 2 and c[_SIZE1] < small_size and c[_BOTTOM] < height / 2
        for c in visible
    ):  # no small print in the upper right: no run below can qualify, so skip building them
        return []
    rows = [_runs(cluster) for cluster in _cluster(visible, 0.25 * body_size)]
    small = [
        (run, row)
        for row in rows
        for run in row
        if run[0][_X0] > page_width / 2
        and _size(run) < _SMALL * body_size
        and max(c[_BOTTOM] for c in run) < height / 2
    ]
    starts = Counter(round(run[0][_X0]) for run, _ in small)
    if not starts or starts.most_common(1)[0][1] < 3:
        return []
    x = starts.most_common(1)[0][0]
    column = [(run, row) for run, row in small if round(run[0][_X0]) == x]
    size = _size([c for run, _ in column for c in run])
    if any(other[0][_X0] < x - 1 and _size(other) == size for _, row in column for other in row):
        return []
    top = min(c[_TOP] for run, _ in column for c in run)
    bottom = max(c[_BOTTOM] for run, _ in column for c in run)
    beside = [c for c in visible if c[_BOTTOM] >= top and c[_TOP] <= bottom]
    if any(c[_X0] < x - 1 < c[_X1] for c in beside):
        return []
    return [c for c in beside if c[_X0] >= x - 1]


def _flush_marker(text: str, digits: str, markers: list[int]) -> str:
    """Record the raised `digits` after `text` as a note marker, or keep a power (`m2`) in it."""
    if is_raised_power(text, digits):
        return text + digits
    markers.append(int(digits))
    return text


def _build_line(cluster: list[Char], page: int, page_height: float) -> _Line | None:
    chars = _flag_raised_digits(sorted(cluster, key=_BY_X))
    parts: list[str] = []  # the line's text, joined once: concatenating copies it per character
    last = ""  # the last character of the text so far
    markers: list[int] = []
    digits = ""
    previous = None
    first_word_end = None
    for char in chars:
        glyph = char[_TEXT]
        if char[_MARKER]:
            if _is_ascii_digit(glyph):
                digits += glyph
            previous = char
            continue
        if digits:
            flushed = _flush_marker("".join(parts), digits, markers)
            parts, last, digits = [flushed], flushed[-1:], ""
        if glyph.isspace():
            if last and last not in " \t":
                parts.append(" ")
                last = " "
            previous = char
            continue
        if previous is not None and last:
            gap = char[_X0] - previous[_X1]
            if gap > 2.5 * char[_SIZE]:
                while parts and parts[-1].endswith(" "):
                    kept = parts.pop().rstrip(" ")
                    if kept:
                        parts.append(kept)
                        break
                parts.append("\t")
                last = "\t"
            elif gap > 0.2 * char[_SIZE] and last not in " \t":
                parts.append(" ")
                last = " "
        if first_word_end is None and last in (" ", "\t"):
            first_word_end = previous[_X1] if previous else char[_X0]
        parts.append(glyph)
        last = glyph
        previous = char
    text = "".join(parts)
    if digits:
        text = _flush_marker(text, digits, markers)
    visible = [c for c in chars if c[_VISIBLE] and not c[_MARKER]]
    if not visible:
        return None
    start = visible[0][_X0]
    top, bottom = min(map(_BY_TOP, visible)), max(map(_BY_BOTTOM, visible))
    return _Line(
        page=page,
        top=top,
        bottom=bottom,
        x0=start,
        x1=max(map(_BY_X1, visible)),
        size=_size(visible),
        bold=all(map(_BY_BOLD, visible)),
        text=_compose_accents(text.translate(_LIGATURES)).strip(),
        first_word_width=(first_word_end or visible[-1][_X1]) - start,
        in_margin=top < _MARGIN * page_height or bottom > (1 - _MARGIN) * page_height,
        markers=markers,
    )


def _running_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", normalize_space(line.text).lower())


def _zone(page: list[_Line]) -> list[_Line]:
    """The lines where running heads and footers stand: first and last two, in the margins."""
    return [line for line in page[:2] + page[-2:] if line.in_margin]


def _is_page_note(line: _Line, page: list[_Line]) -> bool:
    """True when `line` starts the footnote whose marker a line above it on the page carries.

    Running lines are told by repeating with only their numbers changed (the page number), which
    notes of one pattern also do (`2 Zie ook Kamerstuk 30 519, nr. 82.` on one page, `4 Zie ook
    Kamerstuk 28 348, nr. 108.` on another); a line numbered as a marker printed above it is a
    note. A running head at the top of the page stands above every marker, whatever its number.
    """
    match = _NOTE_START.match(line.text)
    number = int(match.group(1)) if match else (line.markers[0] if line.markers else None)
    return number is not None and any(
        number in other.markers and other.bottom <= line.top for other in page
    )


def _drop_running_lines(pages: list[list[_Line]], body_size: float) -> list[list[_Line]]:
    """Remove running heads, footers and page numbers from the top and bottom of each page.

    A running line repeats, with only its numbers changed, on at least half the pages after the
    first; a question's label (`Antwoord 3`, `Antwoord 16`) that happens to open a few pages of
    a long answer letter does not.
    """
    zones = [[line for line in _zone(page) if not _is_page_note(line, page)] for page in pages]
    counts = Counter(key for zone in zones for key in {_running_key(li) for li in zone})
    repeated = max(2, len(pages) // 2)
    kept = []
    for number, (page, zone_lines) in enumerate(zip(pages, zones, strict=True), start=1):
        zone = {id(line) for line in zone_lines}
        result = []
        for line in page:
            if id(line) in zone and (
                counts[_running_key(line)] >= repeated
                or _PAGE_NUMBER.match(line.text)
                or (
                    number > 1
                    and line.size < _SMALL * body_size
                    and line is page[0]
                    and re.search(rf"\b{number}$", line.text)
                )
            ):
                continue
            result.append(line)
        kept.append(result)
    return kept


def _split_notes(
    page: list[_Line], body_size: float, notes: dict[int, str], last_note: list[int]
) -> list[_Line]:
    """Take the small-print lines under the body text off the page into `notes`.

    A line starting with a number starts a note; a line without one continues the note above it
    when it follows closely in the same type, or the last note of the previous page when it is
    the first small line of the page. Other small print (an address footer) is dropped, and so
    is a footer in body type under the notes that is not repeated on other pages.
    """
    body = [index for index, line in enumerate(page) if line.size >= _SMALL * body_size]
    colophon = set()
    while len(body) > 1 and _is_colophon(page, body[-2], body[-1], body_size):
        colophon.add(body.pop())
    last_body = body[-1] if body else -1
    previous: _Line | None = None
    for index, line in enumerate(page[last_body + 1 :], start=last_body + 1):
        if index in colophon:
            continue
        text = line.text
        # a note number stands at the line's start: the text after it starts where the first
        # note's does, or a little right of it after a number of more digits (`9` then `10`)
        starts = line.x0 <= page[last_body + 1].x0 + line.size
        number = line.markers[0] if line.markers and starts else None
        if number is None and (match := _NOTE_START.match(text)):
            number, text = int(match.group(1)), text[match.end() :]
        if number is not None:
            notes[number] = text
            last_note[:] = [number]
        elif last_note and _continues_note(previous, line):
            notes[last_note[0]] = _join_text(notes[last_note[0]], text)
        else:
            last_note.clear()
        previous = line
    return page[: last_body + 1]


def _is_publication_footer(line: _Line) -> bool:
    """A line of KOOP's first-page foot (id, ISSN, colophon) in the page's bottom margin."""
    return line.in_margin and line.page == 1 and bool(_PUBLICATION_FOOTER.match(line.text))


def _is_colophon(page: list[_Line], before: int, index: int, body_size: float) -> bool:
    """Whether body-size line `index` is a footer under the page's notes, not body text: it
    stands in the bottom margin, and notes (small print opening with a note number) come between
    it and body line `before`. A running footer is dropped as such when pages repeat it; one
    printed once (`Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 2` on the last page of a
    two-page Aanhangsel, whose first page prints a colophon instead) is caught here."""
    line = page[index]
    if not line.in_margin or line.top < page[before].bottom:
        return False
    between = page[before + 1 : index]
    return any(
        other.size < _SMALL * body_size and (other.markers or _NOTE_START.match(other.text))
        for other in between
    )


def _continues_note(previous: _Line | None, line: _Line) -> bool:
    if previous is None:
        return True
    close = line.top - previous.bottom < 0.8 * line.size
    return close and abs(line.size - previous.size) < 0.5


def _join_text(before: str, after: str) -> str:
    """Join two lines of one paragraph, undoing a hyphenation at the line end.

    The hyphen is dropped when a lower-case word part follows (`risico-` + `beperking`), but kept
    after a capital or digit (`NAVO-` + `personeel`, `COVID-` + `crisis`), where Dutch writes it.
    """
    if not before:
        return after
    if re.search(r"[^\W\d_]-$", before) and after[:1].islower():
        if re.search(r"[A-Z0-9]-$", before):
            return before + after
        return before[:-1] + after
    return f"{before} {after}"


def _continues(previous: _Line, line: _Line, right_edge: float) -> bool:
    """True when `line` goes on with the paragraph of `previous` across a page break.

    A bold line starts a block of its own, as it does within a page: a question's or answer's
    label at the top of a page is not the end of the paragraph before it.
    """
    full = previous.x1 + 0.3 * previous.size + line.first_word_width > right_edge
    lower = line.text[:1].islower() and not ends_sentence(previous.text)
    return (full or lower) and not (previous.bold or line.bold) and not _BULLET.match(line.text)


def _blocks(lines: list[_Line], page_width: float) -> list[Block]:
    """Group lines into paragraphs by vertical gaps, bullets, bold type and page continuation.

    A line with a column gap is a table row (`Datum<TAB>12 maart 2024`, signers side by side)
    and a block of its own, as a Word table row is.

    The usual gap between lines of one paragraph is the median gap, capped at what line spacing
    leaves (a letter of one-line paragraphs has only paragraph gaps). The right edge of the
    column, used to see whether a page's last line was full, is taken as the mirror of the left
    margin unless lines reach further: one long line alone would otherwise count as full.
    """
    left = min((line.x0 for line in lines), default=0.0)
    right_edge = max((line.x1 for line in lines), default=page_width - left)
    right_edge = max(right_edge, page_width - left)
    gaps = [
        line.top - prev.bottom
        for prev, line in zip(lines, lines[1:], strict=False)
        if prev.page == line.page and line.top > prev.bottom - 1
    ]
    usual_gap = min(median(gaps), 0.45 * lines[0].size) if gaps else 0.0
    groups: list[list[_Line]] = []
    for line in lines:
        prev = groups[-1][-1] if groups else None
        if prev is None:
            new = True
        elif prev.page != line.page:
            new = not _continues(prev, line, right_edge)
        else:
            new = (
                line.top - prev.bottom > usual_gap + 0.3 * line.size
                or line.top < prev.top
                or bool(_BULLET.match(line.text))
                or line.bold != prev.bold
                or "\t" in line.text
                or "\t" in prev.text
            )
        if new:
            groups.append([line])
        else:
            groups[-1].append(line)
    blocks = []
    for group in groups:
        text = ""
        for line in group:
            text = _join_text(text, line.text.replace("\t", " "))
        kind: BlockKind = "paragraph"
        layout = "\n".join(line.text for line in group)
        if _BULLET.match(text):
            kind, text = "list_item", _BULLET.sub("", text, count=1)
        elif all(line.bold for line in group) and len(group) <= 2:
            kind = "heading"
        text = normalize_space(text)
        if text:
            refs = [marker for line in group for marker in line.markers]
            blocks.append(Block(text=text, kind=kind, layout=layout, note_refs=refs))
    return blocks


def _lines(chars: list[Char], page: int, body_size: float, height: float) -> list[_Line]:
    """The printed lines of `chars`, top to bottom."""
    clusters = _merge_markers(_cluster(chars, 0.25 * body_size), body_size)
    lines = [line for cluster in clusters if (line := _build_line(cluster, page, height))]
    return sorted(lines, key=lambda line: line.top)


_LINE_END_HYPHEN = str.maketrans({"\x02": "-", "\ufffe": "-"})
"""PDFium's marks for a hyphen ending a line, character by character and in page text."""


def _fast(function: object, restype: type, *argtypes: type) -> object:
    """A PDFium function called with plain addresses: the bindings' typed pointers cost a
    conversion on every call, and these are called for every character of a page."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_ADDRESS, _INT = ctypes.c_void_p, ctypes.c_int
_TEXT_OBJECT = _fast(pdfium_c.FPDFText_GetTextObject, _ADDRESS, _ADDRESS, _INT)
_UNICODE = _fast(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, _ADDRESS, _INT)
_GET_TEXT = _fast(pdfium_c.FPDFText_GetText, _INT, _ADDRESS, _INT, _INT, _ADDRESS)
_MATRIX = _fast(pdfium_c.FPDFText_GetMatrix, _INT, _ADDRESS, _INT, _ADDRESS)
_FONT_SIZE = _fast(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, _ADDRESS, _INT)
_FONT_INFO = _fast(
    pdfium_c.FPDFText_GetFontInfo,
    ctypes.c_ulong,
    _ADDRESS,
    _INT,
    _ADDRESS,
    ctypes.c_ulong,
    _ADDRESS,
)
_OBJECT_FONT = _fast(pdfium_c.FPDFTextObj_GetFont, _ADDRESS, _ADDRESS)
_LOOSE_BOX = _fast(pdfium_c.FPDFText_GetLooseCharBox, _INT, _ADDRESS, _INT, _ADDRESS)


def _open(data: bytes, path: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ParseError(
                f"{path}: the PDF is encrypted with a password, so its text cannot be read"
            ) from exc
        reason = str(exc).removeprefix("Failed to load document ").strip("().")
        raise ParseError(f"{path}: broken pdf file ({reason})") from exc


class _Fonts:
    """Size (scaled by the text matrix, as pdfminer measures it, and to a tenth of a point),
    boldness and uprightness of the text object a character belongs to: asked of PDFium once per
    text object, and boldness (from the font's name) once per font. Some PDFs set every word as
    a text object of its own, so these questions are asked often."""

    def __init__(self, address: ctypes.c_void_p) -> None:
        self.address = address
        self.matrix = pdfium_c.FS_MATRIX()
        self.name = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.objects: dict[int, tuple[float, float, bool, bool]] = {}
        self.bold: dict[int | None, bool] = {}

    def __call__(self, text_object: int, index: int) -> tuple[float, float, bool, bool]:
        found = self.objects.get(text_object)
        if found is not None:
            return found
        matrix = self.matrix
        _MATRIX(self.address, index, ctypes.addressof(matrix))
        size = _FONT_SIZE(self.address, index) * math.hypot(matrix.b, matrix.d)
        font = _OBJECT_FONT(text_object)
        bold = self.bold.get(font)
        if bold is None:
            name, flags = self.name, ctypes.addressof(self.flags)
            _FONT_INFO(self.address, index, ctypes.addressof(name), len(name), flags)
            bold = self.bold[font] = b"bold" in name.value.lower()
        upright = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0  # as pdfminer has it
        found = self.objects[text_object] = (size, round(size, 1), bold, upright)
        return found


def _page_text(address: ctypes.c_void_p, count: int) -> str:
    """Every character of the page in one call, one code unit per character index; character
    by character where the page has characters beyond one UTF-16 unit."""
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = _GET_TEXT(address, 0, count, ctypes.addressof(buffer))
    text = buffer.raw[: 2 * count].decode("utf-16-le", errors="surrogatepass")
    if written != count + 1 or len(text) != count:
        text = "".join(chr(_UNICODE(address, index)) for index in range(count))
    return text.translate(_LINE_END_HYPHEN)


def _media_box(page: object) -> tuple[float, float, float, float]:
    """The page's media box, the frame pdfminer measured positions in. PDFium reads it only
    from the page itself; one inherited from the page tree is the page's bounding box."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        box = pdfium_c.FS_RECTF()
        pdfium_c.FPDF_GetPageBoundingBox(page, box)
        return box.left, box.bottom, box.right, box.top
    return left.value, bottom.value, right.value, top.value


def _page_chars(page: object) -> tuple[float, list[Char]]:
    """The height of the page's media box and the upright characters the page draws.

    Characters PDFium adds itself (spaces and line breaks it infers) have no text object and are
    left out: the line builder infers spaces from gaps.
    """
    left, media_bottom, _, media_top = _media_box(page)
    height = media_top - media_bottom
    handle = pdfium_c.FPDFText_LoadPage(page)
    if not handle:
        return height, []
    try:
        address = ctypes.cast(handle, ctypes.c_void_p)
        box = pdfium_c.FS_RECTF()
        box_address = ctypes.addressof(box)
        text_object_of, loose_box = _TEXT_OBJECT, _LOOSE_BOX
        font_of = _Fonts(address)
        chars = []
        append = chars.append
        count = pdfium_c.FPDFText_CountChars(handle)
        page_text = _page_text(address, count)
        last = upright = None
        for index in range(count):
            text_object = text_object_of(address, index)
            if text_object != last:  # a text object's characters come one after the other
                if text_object is None:
                    continue
                last = text_object
                size, size1, bold, upright = font_of(text_object, index)
            if not upright:
                continue
            text = page_text[index]
            loose_box(address, index, box_address)
            bottom = media_top - box.bottom
            append((text, not text.isspace(), box.left - left, box.right - left,
                    bottom - size, bottom, size, size1, bold, False))  # fmt: skip
        return height, chars
    finally:
        pdfium_c.FPDFText_ClosePage(handle)


def read_chars(data: bytes, path: str) -> tuple[float, list[tuple[float, list[Char]]]]:
    """The width of the first page, and the height and upright characters of every page: all
    the parser asks of the PDF engine."""
    document = _open(data, path)
    try:
        pages = []
        width = 0.0
        for number in range(len(document)):
            page = pdfium_c.FPDF_LoadPage(document.raw, number)
            if not page:
                raise ParseError(f"{path}: broken pdf file (page {number + 1} cannot be read)")
            try:
                if number == 0:
                    left, _, right, _ = _media_box(page)
                    width = right - left
                pages.append(_page_chars(page))
            finally:
                pdfium_c.FPDF_ClosePage(page)
        return width, pages
    finally:
        document.close()


def parse_pdf(data: bytes, path: str, sha256: str) -> Document:
    """Parse a PDF letter into the document model."""
    page_width, pages_chars = read_chars(data, path)
    all_chars = [c for _, page in pages_chars for c in page if c[_VISIBLE]]
    if not all_chars:
        raise ParseError(f"{path}: the PDF has no text layer (a scan needs OCR first)")
    body_size = _size(all_chars)
    pages: list[list[_Line]] = []
    for number, (height, chars) in enumerate(pages_chars, start=1):
        side = _side_column(chars, body_size, page_width, height)
        if side:
            taken = {id(c) for c in side}
            chars = [c for c in chars if id(c) not in taken]
        rest = _lines(chars, number, body_size, height)
        pages.append((_lines(side, number, body_size, height) if number == 1 else []) + rest)
    pages = _drop_running_lines(pages, body_size)
    pages = [[line for line in page if not _is_publication_footer(line)] for page in pages]
    notes: dict[int, str] = {}
    last_note: list[int] = []
    body_lines = [
        line for page in pages for line in _split_notes(page, body_size, notes, last_note)
    ]
    blocks = _blocks(body_lines, page_width)
    footnotes = attach_footnotes(blocks, {n: normalize_space(t) for n, t in notes.items()})
    return Document(
        source_path=path,
        source_format="pdf",
        source_sha256=sha256,
        blocks=blocks,
        footnotes=footnotes,
    )
