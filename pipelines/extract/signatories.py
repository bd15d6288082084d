"""Signature blocks: who signed the letter, one row per person with role and name matched.

Signers print their role (`De Minister van Defensie,`) and then their name, one under the other;
when several sign together the blocks stand side by side, separated by tabs or runs of spaces,
with all roles on one line and all names on the next. The block's layout (not only its
normalized text) is therefore what is read here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.formats.common import normalize_space
from pipelines.model import Block

ROLE = re.compile(
    r"^(?:(?:de|het)\s+)?(?:eerste\s+|tweede\s+|waarnemend\s+|plv\.?\s+|plaatsvervangend\s+)?"
    r"(?:minister(?:-president)?s?|staatssecretaris(?:sen)?|voorzitter|ondervoorzitter|griffier|"
    r"adjunct-griffier|informateurs?|formateurs?|secretaris|commissaris|directeur-generaal|"
    r"president|presidium|commissie)\b",
    re.I,
)
"""A signer's role; committee officials (`Adjunct-griffier van de commissie,`) may omit `De`."""
_TITLE = r"(?:(?:drs|mr|dr|prof|ir|ing|ds|jhr|bc|ir|lic|jkvr)\.\s*)"
_PARTICLE = r"(?:van|de|der|den|ten|ter|het|'t|op|in|la|le|du|da|dos|von|zu)"
_NAME_WORD = rf"(?:[A-Z][A-Za-zÀ-ÿ'’-]*\.?|{_PARTICLE})"
NAME = re.compile(
    rf"^{_TITLE}*(?:(?:[A-Z][a-z]?\.\s?)+\s*)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,6}}$"
)
_ARTICLE = re.compile(r"^(?:de|het)\s", re.I)
_COLUMNS = re.compile(r"\t+|\s{2,}")
_ROLE_THEN_NAME = re.compile(r"^(?P<role>.+,)\s*(?P<name>[^,]+?)\s*$")


@dataclass
class Signatory:
    role: str | None
    name: str | None


def is_role(text: str) -> bool:
    """True for a signer's role line such as `De Minister van Financiën,`.

    Without its article a role must end in a comma, so a sentence that starts with `Minister`
    is not read as one.
    """
    if not ROLE.match(text) or len(text) > 160:
        return False
    return bool(_ARTICLE.match(text)) or text.rstrip().endswith(",")


def is_name(text: str) -> bool:
    """True for a printed signer's name: initials, particles and capitalized words, titles kept."""
    text = text.strip().rstrip(",")
    return 0 < len(text) <= 60 and bool(NAME.match(text)) and not ROLE.match(text)


def _clean_role(role: str) -> str:
    return normalize_space(role).rstrip(" ,")


def _columns(line: str) -> list[str]:
    return [normalize_space(cell) for cell in _COLUMNS.split(line) if normalize_space(cell)]


def _split_role_name(cell: str) -> tuple[str, str | None]:
    """`De Minister van Economische Zaken en Klimaat, E.D. Wiebes` -> role and name."""
    match = _ROLE_THEN_NAME.match(cell)
    if match and is_name(match.group("name")):
        return _clean_role(match.group("role")), normalize_space(match.group("name"))
    return _clean_role(cell), None


def _is_signature_line(line: str) -> bool:
    cells = _columns(line)
    return bool(cells) and all(is_role(cell) or is_name(cell) for cell in cells)


def find_signature_start(blocks: list[Block], lo: int) -> int | None:
    """Index of the first block of the trailing signature block, or None when there is none.

    The signature is the longest run of blocks at the end of the letter that consist only of
    role and name lines and that begins with a role; a name without a role before it is not
    taken, so a short last sentence is never mistaken for a signer.
    """
    start = None
    for index in range(len(blocks) - 1, lo - 1, -1):
        lines = [line for line in blocks[index].layout.splitlines() if line.strip()]
        if not lines or not all(_is_signature_line(line) for line in lines):
            break
        if is_role(_columns(lines[0])[0]):
            start = index
    return start


def parse_signatories(blocks: list[Block]) -> list[Signatory]:
    """Read the signature blocks into one `Signatory` per person, in printed order."""
    rows: list[Signatory] = []
    pending: list[Signatory] = []
    for block in blocks:
        for line in block.layout.splitlines():
            cells = _columns(line)
            if not cells:
                continue
            if all(is_role(cell) for cell in cells):
                pending = []
                for cell in cells:
                    role, name = _split_role_name(cell)
                    row = Signatory(role, name)
                    rows.append(row)
                    if name is None:
                        pending.append(row)
                continue
            for cell in cells:
                name = normalize_space(cell).rstrip(",")
                if pending:
                    pending.pop(0).name = name
                else:
                    rows.append(Signatory(None, name))
    return rows
