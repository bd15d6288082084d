"""Text helpers the parsers and extraction rules share: decoding, whitespace, undoing pagination,
capitals and dashes."""

from __future__ import annotations

import codecs
import re

from pipelines.model import Block, Footnote, ParseError

_CONTROLS = "".join(
    map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029])
)
"""Control characters: C0 but tab, line feed and carriage return; DEL; C1 (with NEL); the Unicode
line and paragraph separators. Page breaks (`pdftotext` writes a form feed), Word's manual line
break (a vertical tab) and the bytes Windows-1252 leaves undefined arrive as these; no table field
may hold one, so text reads them as spaces."""
_NONCHARACTERS = "".join(
    [*map(chr, range(0xFDD0, 0xFDF0)), *(chr(plane + end) for plane in range(0, 0x110000, 0x10000)
                                          for end in (0xFFFE, 0xFFFF))]
)  # fmt: skip
"""Unicode's noncharacters (U+FDD0..U+FDEF, U+FFFE and U+FFFF of every plane): never text, yet a
PDF's unmapped glyph or a broken converter leaves them (U+FFFF in place of a bullet)."""
_INVISIBLES = "\u00ad\u200b\ufeff\u200e\u200f" + _NONCHARACTERS
_SPACE_RUN = re.compile(r"[ \t\u00a0\u202f\u2007\u2009\u200a]+")
_UNPRINTED = str.maketrans(dict.fromkeys(_INVISIBLES, "") | dict.fromkeys(_CONTROLS, " "))
"""Invisible characters dropped, control characters made spaces."""
_ANY_UNPRINTED = re.compile(f"[{_INVISIBLES}{_CONTROLS}]")
_NOT_SPLIT_ALIKE = re.compile(
    f"[{_INVISIBLES}{''.join(c for c in _CONTROLS if not c.isspace())}"
    "\n\r\u1680\u2000-\u2006\u2008\u205f\u3000]"
)
"""What `str.split()` treats otherwise than `normalize_space` must: the invisible characters, the
control characters it does not split at, and the whitespace (line breaks, other Unicode spaces)
outside `_SPACE_RUN`, which is kept. Without any of these, splitting and joining gives the same
text, faster."""
_SENTENCE_END = re.compile(r"[.!?:;)\]\"'”’»]\s*$")
_POWER_BASE = re.compile(r"(?<![^\W\d_])(?:(?P<unit>[kcdm\u00b5]?m)|(?P<formula>CO))$")
"""A unit of length (`m`, `km`, `cm`) or the formula `CO`, standing alone at the end of a text."""
POWER_BASE_WIDTH = 3
"""How much of the text before a raised number `is_raised_power` reads: the longest unit or
formula and the character before it."""

UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""Byte order marks and the codec of the bytes after them; UTF-32-LE's mark starts with
UTF-16-LE's, so it is tried first."""


def _undefined_as_latin1(error: UnicodeError) -> tuple[str, int]:
    """Read the bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) as Latin-1
    does, as the C1 controls that text then reads as spaces."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("kamerbrieven-latin-1", _undefined_as_latin1)


def unicode_bom(data: bytes) -> tuple[bytes, str] | None:
    """The byte order mark `data` starts with and the codec of the bytes after it, if any."""
    for bom, codec in UNICODE_BOMS:
        if data.startswith(bom):
            return bom, codec
    return None


def not_as_marked(error: UnicodeDecodeError) -> str:
    """Why text behind a byte order mark did not decode, in words for the ingest report."""
    codec = error.encoding
    return f"text marked as {codec} by its byte order mark is not {codec} ({error.reason})"


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """Decode raw bytes, returning the text and the name of the encoding that read it.

    Letters arrive as UTF-8 (with or without BOM), as UTF-16 or UTF-32 that Windows tools
    ("Unicode" in Notepad) mark with a BOM, or as Windows-1252 from older Windows tools (Latin-1
    text is Windows-1252 but for controls no letter has). A BOM decides; without one, UTF-8 is
    tried strictly first, because Windows-1252 would also 'succeed' on UTF-8 bytes and give
    mojibake. Windows-1252 reads every byte, so any file decodes. The names are Python's: a BOM
    shows as `utf-8-sig` or the byte order (`utf-16-le`), which only a BOM ever tells.
    """
    marked = unicode_bom(data)
    if marked is not None:
        bom, codec = marked
        try:
            text = data[len(bom) :].decode(codec)
        except UnicodeDecodeError as exc:
            raise ParseError(f"{path}: {not_as_marked(exc)}") from exc
        return text, "utf-8-sig" if codec == "utf-8" else codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="kamerbrieven-latin-1"), "cp1252"


def split_lines(text: str) -> list[str]:
    """The lines of a text file, split at line ends (`\\n`, `\\r\\n`, `\\r`) only.

    `str.splitlines` also splits at form feeds, vertical tabs, the information separators, NEL
    and the Unicode line and paragraph separators: a page break or Word's manual line break in
    `Den Haag,\\f6 juli 2020` would cut the header line in two, place without date. Kept in the
    line, they still break its layout (read with `splitlines`), and `normalize_space` makes them
    spaces in its text, as Word's line breaks are in a .docx.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines[-1]:
        lines.pop()
    return lines


def normalize_space(text: str) -> str:
    """Collapse every run of spaces, tabs and no-break spaces to one space; drop soft hyphens.

    Control characters (`_CONTROLS`) count as spaces; line breaks and other Unicode spaces are
    kept. This is where the text of every format passes, so no control character reaches a
    table.

    Called for every line of every letter, mostly on text already normalized. Text that
    `str.isprintable` passes has no whitespace but the plain space and no invisible or control
    character (those are Unicode separators, format characters and controls): it is returned as
    it is when it has no double, leading or trailing space, else split and joined. Of the rest,
    text without the characters `str.split` treats otherwise is split and joined too; the search
    for them (ten times cheaper than `translate` or the substitution) runs first.
    """
    if text.isprintable():
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            return " ".join(text.split())
        return text
    if _NOT_SPLIT_ALIKE.search(text) is None:
        return " ".join(text.split())
    if _ANY_UNPRINTED.search(text):
        text = text.translate(_UNPRINTED)
    return _SPACE_RUN.sub(" ", text).strip()


def ends_sentence(text: str) -> bool:
    """True when the text ends the way a finished paragraph does."""
    return bool(_SENTENCE_END.search(text))


def is_raised_power(before: str, digits: str) -> bool:
    """True when a raised number after `before` is a power, not a note marker: `m2`, `km2`, `m3`.

    Markers and powers are both small raised digits glued to the word before them; only that word
    tells them apart. A unit of length is squared or cubed so (`100 m²`), and `CO2` comes out so
    from tools that raise subscripts too. A lone `m` or `CO` is no word a note is hung on, while a
    raised digit after `m2` or `CO2` is still a marker.
    """
    match = _POWER_BASE.search(before)
    if match is None:
        return False
    return digits in ("2", "3") if match.group("unit") else digits == "2"


def rejoin_page_breaks(blocks: list[Block]) -> list[Block]:
    """Join paragraphs that a page break (and the footnotes printed under it) cut in two.

    A paragraph that stops without closing punctuation and is followed by one starting in lower
    case is one paragraph in the original letter; this is what PDF-derived text looks like once
    the footnote lines are moved out.

    The pieces of a paragraph are joined once they are all known, into the first: a text cut
    into thousands of lines would otherwise be copied again for each of them. Whether the
    paragraph goes on is read from its last piece, which ends it.
    """
    runs: list[list[Block]] = []
    for block in blocks:
        run = runs[-1] if runs else None
        if (
            run is not None
            and run[0].kind == "paragraph"
            and block.kind == "paragraph"
            and block.text[:1].islower()
            and not ends_sentence(run[-1].text)
        ):
            run.append(block)
        else:
            runs.append([block])
    for first, *rest in runs:
        if rest:
            first.text = " ".join([first.text, *(block.text for block in rest)])
            first.layout = "\n".join([first.layout, *(block.layout for block in rest)])
            first.note_refs.extend(number for block in rest for number in block.note_refs)
    return [run[0] for run in runs]


def group_lines(lines: list[str]) -> list[list[str]]:
    """Split lines into blocks: one per line, or one per blank-line group when hard-wrapped.

    Web-page text and Word converters put a paragraph on one line, while pandoc and PDF tools wrap
    it at a fixed width. A group of several lines counts as wrapped when every line but the last is
    long and no line is longer than a typical wrap width; otherwise each line stands alone, which
    keeps header lines and signature lines apart.
    """
    groups: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.rstrip("\r\n"))
            continue
        if current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)

    blocks: list[list[str]] = []
    for group in groups:
        lengths = [len(line.strip()) for line in group]
        wrapped = len(group) > 1 and max(lengths) <= 100 and min(lengths[:-1]) >= 50
        if wrapped:
            blocks.append(group)
        else:
            blocks.extend([line] for line in group)
    return blocks


def attach_footnotes(blocks: list[Block], notes: dict[int, str]) -> list[Footnote]:
    """Link each footnote to the first block whose text carries its marker."""
    first_ref: dict[int, int] = {}
    for index, block in enumerate(blocks):
        for number in block.note_refs:
            first_ref.setdefault(number, index)
    return [
        Footnote(number=number, text=text, block_index=first_ref.get(number))
        for number, text in sorted(notes.items())
    ]


_LOWER_WORDS = {"van", "voor", "en", "de", "het", "der", "den", "op", "in", "met", "te", "ter",
                "tot", "bij", "aan", "om", "over", "uit"}  # fmt: skip
_DASHES = ("\u2013", "\u2014", "\u2010", "\u2011")


def dutch_title_case(text: str) -> str:
    """Turn a heading in capitals into the way the same words are written in running text.

    `MINISTER VAN BUITENLANDSE ZAKEN` becomes `Minister van Buitenlandse Zaken`: Dutch keeps
    prepositions and articles in lower case inside names of offices and ministries.
    """
    words = re.split(r"(\s+|-)", text.lower())
    out = []
    for i, word in enumerate(words):
        if i > 0 and word in _LOWER_WORDS:
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return "".join(out)


def is_upper_heading(text: str) -> bool:
    """True for a line set in capitals, as Kamerstuk document-type headings are."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def unify_dashes(text: str) -> str:
    """Read en and em dashes as hyphens, as identifiers and years use them interchangeably.

    One `str.replace` per dash: `str.translate` looks every character up in a dict once the text
    has any non-ASCII letter (`é`, `’`), which costs far more (docs/performance.md).
    """
    for dash in _DASHES:
        text = text.replace(dash, "-")
    return text
