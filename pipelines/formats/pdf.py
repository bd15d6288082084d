"""PDF letters: the typeset text, with what pagination did to it undone.

A PDF knows glyphs and their positions, not paragraphs. pdfplumber (pdfminer.six) gives every
character with its font, size and position, which is what the rules below need and what pypdf's
text extraction loses: its plain mode puts word-positioned text one word per line, its layout mode
glues note markers and words (`toekomen1.`, `juni2018`), and neither says which glyphs are small.
pypdf is faster (docs/performance.md), which does not weigh up against wrong text.

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

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

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
_MARGIN = 0.12
"""Running heads, footers and page numbers stand in this fraction of the page at top and bottom."""


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


def _cluster(chars: list[dict], tolerance: float) -> list[list[dict]]:
    clusters: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (c["bottom"], c["x0"])):
        if clusters and char["bottom"] - clusters[-1][0]["bottom"] <= tolerance:
            clusters[-1].append(char)
        else:
            clusters.append([char])
    return clusters


def _is_marker_cluster(cluster: list[dict], body_size: float) -> bool:
    visible = [c for c in cluster if c["text"].strip()]
    return (
        bool(visible)
        and all(_is_ascii_digit(c["text"]) or c["text"] == "," for c in visible)
        and all(c["size"] < _SMALL * body_size for c in visible)
    )


def _merge_markers(clusters: list[list[dict]], body_size: float) -> list[list[dict]]:
    """Attach raised small digits to the line they are printed against, flagged as markers."""
    out: list[list[dict]] = []
    for index, cluster in enumerate(clusters):
        if not _is_marker_cluster(cluster, body_size):
            out.append(cluster)
            continue
        bottom = max(c["bottom"] for c in cluster)
        size = max(c["size"] for c in cluster)
        host = None
        for other in clusters[index + 1 : index + 3]:
            if _is_marker_cluster(other, body_size):
                continue
            other_top = min(c["top"] for c in other)
            other_bottom = max(c["bottom"] for c in other)
            if other_top - 1 <= bottom <= other_bottom and max(c["size"] for c in other) > size:
                host = other
                break
        if host is None:
            out.append(cluster)
            continue
        host.extend({**c, "marker": True} for c in cluster)
    return out


def _is_ascii_digit(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _flag_raised_digits(chars: list[dict]) -> list[dict]:
    """Mark small digits printed above the line's baseline as note markers.

    A marker raised only a little stays in the cluster of its line; it is told from the text by
    being smaller than the line's type and standing above the baseline.
    """
    visible = [c for c in chars if c["text"].strip()]
    if not visible:
        return chars
    size = Counter(round(c["size"], 1) for c in visible).most_common(1)[0][0]
    baseline = Counter(
        round(c["bottom"], 1) for c in visible if round(c["size"], 1) == size
    ).most_common(1)[0][0]
    return [
        {**c, "marker": True}
        if _is_ascii_digit(c["text"]) and c["size"] < _SMALL * size and c["bottom"] < baseline - 0.5
        else c
        for c in chars
    ]


def _runs(cluster: list[dict]) -> list[list[dict]]:
    """The parts of one printed line that a column gap (several ems) separates."""
    runs: list[list[dict]] = []
    for char in sorted(cluster, key=lambda c: c["x0"]):
        if runs and char["x0"] - runs[-1][-1]["x1"] <= 2.5 * char["size"]:
            runs[-1].append(char)
        else:
            runs.append([char])
    return runs


def _size(chars: list[dict]) -> float:
    return Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]


def _side_column(chars: list[dict], body_size: float, page_width: float) -> list[dict]:
    """The characters of a ministry letterhead's side column on this page, or none.

    Rijkshuisstijl letters print the ministry's address, `Ons kenmerk` and `Bijlage(n)` in small
    type in a narrow column beside the addressee and date. Its lines share baselines with the
    letter's, so read line by line the columns mix (`De voorzitter van de Tweede Kamer 2515 XP
    Den Haag`). Such a column is at least three runs of small print in the upper half of the
    page that start at one x right of its middle, with nothing on the left reaching into it and
    no run of that size beside them: a table in small print has cells of one size on a row.
    """
    visible = [c for c in chars if c["text"].strip()]
    if not visible:
        return []
    height = visible[0]["top"] + visible[0]["y1"]
    rows = [_runs(cluster) for cluster in _cluster(visible, 0.25 * body_size)]
    small = [
        (run, row)
        for row in rows
        for run in row
        if run[0]["x0"] > page_width / 2
        and _size(run) < _SMALL * body_size
        and max(c["bottom"] for c in run) < height / 2
    ]
    starts = Counter(round(run[0]["x0"]) for run, _ in small)
    if not starts or starts.most_common(1)[0][1] < 3:
        return []
    x = starts.most_common(1)[0][0]
    column = [(run, row) for run, row in small if round(run[0]["x0"]) == x]
    size = _size([c for run, _ in column for c in run])
    if any(other[0]["x0"] < x - 1 and _size(other) == size for _, row in column for other in row):
        return []
    top = min(c["top"] for run, _ in column for c in run)
    bottom = max(c["bottom"] for run, _ in column for c in run)
    beside = [c for c in visible if c["bottom"] >= top and c["top"] <= bottom]
    if any(c["x0"] < x - 1 < c["x1"] for c in beside):
        return []
    return [c for c in beside if c["x0"] >= x - 1]


def _flush_marker(text: str, digits: str, markers: list[int]) -> str:
    """Record the raised `digits` after `text` as a note marker, or keep a power (`m2`) in it."""
    if is_raised_power(text, digits):
        return text + digits
    markers.append(int(digits))
    return text


def _build_line(cluster: list[dict], page: int) -> _Line | None:
    chars = _flag_raised_digits(sorted(cluster, key=lambda c: c["x0"]))
    text, markers, digits = "", [], ""
    previous = None
    first_word_end = None
    for char in chars:
        if char.get("marker"):
            if _is_ascii_digit(char["text"]):
                digits += char["text"]
            previous = char
            continue
        if digits:
            text = _flush_marker(text, digits, markers)
            digits = ""
        if char["text"].isspace():
            if text and not text.endswith((" ", "\t")):
                text += " "
            previous = char
            continue
        if previous is not None and text:
            gap = char["x0"] - previous["x1"]
            if gap > 2.5 * char["size"]:
                text = text.rstrip(" ") + "\t"
            elif gap > 0.2 * char["size"] and not text.endswith((" ", "\t")):
                text += " "
        if first_word_end is None and text and text[-1] in " \t":
            first_word_end = previous["x1"] if previous else char["x0"]
        text += char["text"].translate(_LIGATURES)
        previous = char
    if digits:
        text = _flush_marker(text, digits, markers)
    visible = [c for c in chars if c["text"].strip() and not c.get("marker")]
    if not visible:
        return None
    sizes = Counter(round(c["size"], 1) for c in visible)
    start = visible[0]["x0"]
    top, bottom = min(c["top"] for c in visible), max(c["bottom"] for c in visible)
    page_height = visible[0]["top"] + visible[0]["y1"]
    return _Line(
        page=page,
        top=top,
        bottom=bottom,
        x0=start,
        x1=max(c["x1"] for c in visible),
        size=sizes.most_common(1)[0][0],
        bold=all("bold" in c["fontname"].lower() for c in visible),
        text=text.strip(),
        first_word_width=(first_word_end or visible[-1]["x1"]) - start,
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
    """Remove running heads, footers and page numbers from the top and bottom of each page."""
    zones = [[line for line in _zone(page) if not _is_page_note(line, page)] for page in pages]
    counts = Counter(key for zone in zones for key in {_running_key(li) for li in zone})
    kept = []
    for number, (page, zone_lines) in enumerate(zip(pages, zones, strict=True), start=1):
        zone = {id(line) for line in zone_lines}
        result = []
        for line in page:
            if id(line) in zone and (
                (len(pages) > 1 and counts[_running_key(line)] > 1)
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
    the first small line of the page. Other small print (an address footer) is dropped.
    """
    last_body = max(
        (index for index, line in enumerate(page) if line.size >= _SMALL * body_size),
        default=-1,
    )
    previous: _Line | None = None
    for line in page[last_body + 1 :]:
        text = line.text
        number = line.markers[0] if line.markers and line.x0 <= page[last_body + 1].x0 + 1 else None
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
    """True when `line` goes on with the paragraph of `previous` across a page break."""
    full = previous.x1 + 0.3 * previous.size + line.first_word_width > right_edge
    lower = line.text[:1].islower() and not ends_sentence(previous.text)
    return (full or lower) and not previous.bold and not _BULLET.match(line.text)


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
    right_edge = max(page_width - left, *(line.x1 for line in lines))
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


def _lines(chars: list[dict], page: int, body_size: float) -> list[_Line]:
    """The printed lines of `chars`, top to bottom."""
    clusters = _merge_markers(_cluster(chars, 0.25 * body_size), body_size)
    lines = [line for cluster in clusters if (line := _build_line(cluster, page))]
    return sorted(lines, key=lambda line: line.top)


def _read_pages(data: bytes, path: str) -> tuple[float, list[list[dict]]]:
    """The width of the first page and the upright characters of every page."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            width = float(pdf.pages[0].width) if pdf.pages else 0.0
            return width, [
                [char for char in page.chars if char.get("upright", True)] for page in pdf.pages
            ]
    except PDFSyntaxError as exc:
        raise ParseError(f"{path}: broken PDF ({exc})") from exc
    except PdfminerException as exc:
        if any(isinstance(arg, PDFPasswordIncorrect) for arg in exc.args):
            raise ParseError(
                f"{path}: the PDF is encrypted with a password, so its text cannot be read"
            ) from exc
        raise


def parse_pdf(data: bytes, path: str, sha256: str) -> Document:
    """Parse a PDF letter into the document model."""
    page_width, pages_chars = _read_pages(data, path)
    all_chars = [c for page in pages_chars for c in page if c["text"].strip()]
    if not all_chars:
        raise ParseError(f"{path}: the PDF has no text layer (a scan needs OCR first)")
    body_size = Counter(round(c["size"], 1) for c in all_chars).most_common(1)[0][0]
    pages: list[list[_Line]] = []
    for number, chars in enumerate(pages_chars, start=1):
        side = _side_column(chars, body_size, page_width)
        taken = {id(c) for c in side}
        rest = _lines([c for c in chars if id(c) not in taken], number, body_size)
        pages.append((_lines(side, number, body_size) if number == 1 else []) + rest)
    pages = _drop_running_lines(pages, body_size)
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
