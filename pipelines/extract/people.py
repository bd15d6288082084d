"""People as a researcher groups them: a signer's name reduced to initials and surname.

Letters print one person many ways (`drs. K.H. Ollongren`, `K. H. Ollongren`, `Kajsa
Ollongren`); the normalized name drops titles and post-nominals, closes up initials and turns a
written-out first name into its initial, so `group by name_normalized` counts one person once.
It is no identifier: two people with the same initials and surname share it, which is why the
portal's person id is kept beside it where the harvested record gives one.
"""

from __future__ import annotations

import re

_TITLES = re.compile(
    r"^(?:(?i:prof|dr|drs|mr|ir|ing|ds|mgr|bc|mw|mevr|dhr|jhr|jkvr)\.\s*|(?i:dr|drs|mr|ir)\s+)+"
)
_POST_NOMINALS = re.compile(
    r"(?:,?\s+(?:MSc|MBA|LLM|LL\.M\.|MA|M\.A\.|BSc|BA|PhD|Ph\.D\.|MPA|MPhil|RA|RC|MD|EMIA))+$"
)
_INITIAL = re.compile(r"^(?:IJ|Th|Chr|Ph|[A-ZÀ-Ý])\.")
_SPACED_INITIALS = re.compile(r"(?<=\.)\s+(?=(?:IJ|Th|Chr|Ph|[A-ZÀ-Ý])\.)")
_PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ten", "ter", "te", "in", "'t", "op", "von", "le", "la"}
)


def _initial(word: str) -> str:
    return ("IJ" if word.startswith("IJ") else word[0].upper()) + "."


def normalized_name(name: str | None) -> str | None:
    """`drs. K.H. Ollongren` -> `K.H. Ollongren`, `J. G. de Vries` -> `J.G. de Vries`, `Hanke
    Bruins Slot` -> `H. Bruins Slot`; a surname alone (`Bromet`, `Van Huffelen`) stays as it is."""
    if not name:
        return None
    text = _POST_NOMINALS.sub("", _TITLES.sub("", " ".join(name.split())).strip(" ,"))
    text = _SPACED_INITIALS.sub("", text)
    words = text.split()
    if (
        len(words) >= 2
        and not _INITIAL.match(words[0])
        and words[0][:1].isupper()
        and words[0].lower() not in _PARTICLES
        and "-" not in words[0]
    ):
        words[0] = _initial(words[0])
    return " ".join(words) or None
