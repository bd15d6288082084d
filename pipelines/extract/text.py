"""Small text helpers the extraction rules share."""

from __future__ import annotations

import re

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
    has any non-ASCII letter (`é`, `’`), which made this a tenth of the time spent extracting.
    """
    for dash in _DASHES:
        text = text.replace(dash, "-")
    return text
