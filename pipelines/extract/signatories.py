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
_UPPER = r"[^\W\d_a-zß-ÿ]"
"""A letter that can start a name: any capital, so `Yeşilgöz` and `Özütok` are names too."""
_NAME_WORD = rf"(?:{_UPPER}(?:[^\W\d_]|['’-])*\.?|{_PARTICLE})"
NAME = re.compile(
    rf"^{_TITLE}*(?:(?:[A-Z][a-z]?\.\s?)+\s*)?{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,6}}$"
)
_ARTICLE = re.compile(r"^(?:de|het)\s", re.I)
_COLUMNS = re.compile(r"\t+|\s{2,}")
_INITIALS_FIRST = re.compile(r"^(?:[A-Z][a-z]?\.\s?)+\s*[A-Z]")
_NEXT_INITIALS = re.compile(r"(?<=[a-zà-ÿ])\s+(?=(?:[A-Z][a-z]?\.\s?)+\s*[A-Z][a-zà-ÿ])")
_ANNEX = re.compile(r"^(?:BIJLAGEN?|Bijlagen?)(?:\s+\d+)?:?$")
_COMMITTEE = re.compile(r"\b(?:commissie|griffier)\b", re.I)
_NEXT_ROLE = re.compile(
    r"(?<=\S)\s+(?=(?:De|Het|DE|HET)\s+(?i:minister|staatssecretaris|voorzitter|griffier)\b)"
)
_ROLE_THEN_NAME = re.compile(r"^(?P<role>.+,)\s*(?P<name>[^,]+?)\s*$")
_OPEN_END = re.compile(r"\b(?:en|van|voor|de|het|der|den)$", re.I)
"""A role line ending on one of these words goes on in the next line."""
_ON_BEHALF = re.compile(r"^(?:mede\s+)?namens\s+\S.{0,120}$", re.I)
"""`mede namens de Minister van Buitenlandse Zaken,` under a role, or `namens deze,` before the
official who signs for the role above."""
_FOR_THIS_ONE = re.compile(r"^namens\s+deze,?$", re.I)
_MINISTRY_TAIL = re.compile(r"^(?:[A-Z][\w’'-]*,?\s+){0,4}[A-Z][\w’'-]*\s+en\s+[A-Z][\w’'-]*,$")
"""The rest of a ministry's name that has a comma of its own, on the line under the role
(`De Minister van Volksgezondheid,` over `Welzijn en Sport,`)."""
MAX_SIGNERS_PER_LINE = 40
"""How many side-by-side cells a signature line may hold. Each role in a line waits for the
name below it, and every later line is matched against all roles still waiting, so a line of
thousands of roles would make reading the names below it take time growing with the square of
their number; a line with more cells than any cabinet has signers is no signature line."""


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
    """The cells of a signature line: side-by-side blocks, also when a web page ran them together
    on one line (`De Minister van X, A. Bee De Staatssecretaris van Y, C. Dee`)."""
    cells = [normalize_space(cell) for cell in _COLUMNS.split(line) if normalize_space(cell)]
    return [part for cell in cells for part in _NEXT_ROLE.split(cell) if part]


def split_names(text: str) -> list[str]:
    """`J.W. Remkes W. Koolmees` -> two names: a name that starts with initials ends where the
    next set of initials begins, which is how several signers under one role are printed."""
    text = normalize_space(text).rstrip(",")
    if not _INITIALS_FIRST.match(text):
        return [text]
    return [part for part in _NEXT_INITIALS.split(text) if part]


def _split_role_name(cell: str) -> tuple[str, list[str]]:
    """`De Minister van Economische Zaken en Klimaat, E.D. Wiebes` -> role and names."""
    match = _ROLE_THEN_NAME.match(cell)
    if match and is_name(match.group("name")):
        return _clean_role(match.group("role")), split_names(match.group("name"))
    return _clean_role(cell), []


def _is_role_part(cell: str) -> bool:
    """A line that goes with the role above it: on whose behalf, or the rest of its ministry."""
    return bool(_ON_BEHALF.match(cell) or _MINISTRY_TAIL.match(cell))


def _is_signature_line(line: str) -> bool:
    cells = _columns(line)
    return 0 < len(cells) <= MAX_SIGNERS_PER_LINE and all(
        is_role(c) or is_name(c) or _is_role_part(c) for c in cells
    )


def _signature_lines(block: Block) -> list[str] | None:
    lines = [line for line in (block.layout or block.text).splitlines() if line.strip()]
    return lines if lines and all(_is_signature_line(line) for line in lines) else None


def find_annex_start(blocks: list[Block], lo: int) -> int | None:
    """Index of a `BIJLAGE` heading that starts an annex printed after the letter, if any."""
    for index in range(lo, len(blocks)):
        if _ANNEX.match(blocks[index].text):
            return index
    return None


def find_signature_start(blocks: list[Block], lo: int, hi: int | None = None) -> int | None:
    """Index of the first block of the signature block that ends the letter at `hi`, or None.

    The signature is the longest run of blocks before `hi` (the end, or an annex) that consist
    only of role and name lines and that begins with a role; a name without a role before it is
    not taken, so a short last sentence is never mistaken for a signer.
    """
    start = None
    for index in range((len(blocks) if hi is None else hi) - 1, lo - 1, -1):
        lines = _signature_lines(blocks[index])
        if lines is None:
            break
        if is_role(_columns(lines[0])[0]):
            start = index
    return start


_MOTION_END = re.compile(r"(?:^|\s)en gaat over tot de orde van de dag\.?$", re.I)
"""The formula that ends a motie, on its own or run on to the request before it (text converters
join the lines); its submitters' names follow, without roles."""


def find_motion_signature(blocks: list[Block], lo: int, hi: int) -> tuple[int, int] | None:
    """Block range of the names under a motie's closing formula (`en gaat over tot de orde van
    de dag.`): the blocks after it whose every line holds names only, or None."""
    end = next(
        (i for i in range(hi - 1, lo - 1, -1) if _MOTION_END.search(blocks[i].text.strip())), None
    )
    if end is None:
        return None
    stop = end + 1
    while stop < hi and all(
        cells and all(is_name(cell) for cell in cells)
        for line in (blocks[stop].layout or blocks[stop].text).splitlines()
        if (cells := _columns(line)) or line.strip()
    ):
        stop += 1
    return (end + 1, stop) if stop > end + 1 else None


def _person_cells(block: Block) -> list[str] | None:
    """The cells of a block of role lines and full names (initials or given name, and surname)
    only; None for any other block."""
    cells = [cell for line in _signature_lines(block) or [] for cell in _columns(line)]
    if cells and all(is_role(c) or (is_name(c) and len(c.split()) > 1) for c in cells):
        return cells
    return None


def find_inner_signature(blocks: list[Block], lo: int) -> tuple[int, int] | None:
    """The block range of a signature that does not end the text: the first run of role and
    name blocks that begins with a role and holds a name.

    A page may show the letter and then what came with it (the answers it offers, under a
    second letterhead), so the letter's signature stands between the two. Names must be full
    ones (initials or given name, and surname): a role heading over a one-word line is no
    signature.
    """
    index = lo
    while index < len(blocks):
        cells = _person_cells(blocks[index])
        if cells is None or not is_role(cells[0]):
            index += 1
            continue
        end = index + 1
        while end < len(blocks) and (more := _person_cells(blocks[end])) is not None:
            cells += more
            end += 1
        if not all(map(is_role, cells)):
            return index, end
        index = end
    return None


def find_committee_signature(blocks: list[Block], lo: int, hi: int) -> tuple[int, int] | None:
    """The committee's signature under the opening of a report (verslag, lijst van vragen).

    Such reports print the chair's and clerk's signature after a short introduction and before
    the questions and answers. Taken only when a role line ends in a comma or carries a name, and
    mentions the committee or its clerk.
    """
    for index in range(lo, hi):
        lines = _signature_lines(blocks[index])
        if lines is None or not _COMMITTEE.search(lines[0]):
            continue
        role, names = _split_role_name(_columns(lines[0])[0])
        if not (names or lines[0].rstrip().endswith(",")) or not is_role(role + ","):
            continue
        return index, _committee_run_end(blocks, index, hi)
    return None


def _committee_run_end(blocks: list[Block], start: int, hi: int) -> int:
    """End of a signature run in mid-document: a name counts only under a role still nameless,
    so a one-word heading after the signature (`Inleiding`) is not read as a signer."""
    end, awaiting_name = start, False
    while end < hi and (lines := _signature_lines(blocks[end])) is not None:
        for line in lines:
            cells = _columns(line)
            if all(is_role(cell) for cell in cells):
                awaiting_name = not all(_split_role_name(cell)[1] for cell in cells)
            elif awaiting_name:
                awaiting_name = False
            else:
                return end
        end += 1
    return end


def _wrapped_roles(pending: list[tuple[Signatory, str]], cells: list[str]) -> list[int] | None:
    """Positions in `pending` of the roles that `cells` finish, one cell each, or None.

    A role too long for its column wraps (`De Minister van Binnenlandse Zaken en` over
    `Koninkrijksrelaties,`). The rest is told from a name by the role ending on a word that needs
    another (`en`, `van`, `voor`) or by the rest bringing the role's closing comma. A wrapped
    line has no tab where only one of side-by-side roles wraps, so when there are fewer cells
    than roles without a comma, only roles ending on such a word are candidates.
    """
    open_roles = [i for i, (_, raw) in enumerate(pending) if not raw.rstrip().endswith(",")]
    if len(cells) < len(open_roles):
        open_roles = [i for i in open_roles if _OPEN_END.search(pending[i][1])]
    if len(cells) != len(open_roles):
        return None
    for index, cell in zip(open_roles, cells, strict=True):
        raw = pending[index][1]
        if not (_OPEN_END.search(raw) or cell.rstrip().endswith(",")) or is_role(cell):
            return None
    return open_roles


def _complete_roles(
    rows: list[Signatory], pending: list[tuple[Signatory, str]], cells: list[str]
) -> None:
    """Fold lines that go with the roles waiting for their names into those roles.

    The rest of a ministry's name extends its role. `namens deze` says the role above does not
    sign itself: the official named next does, so the role is no signatory of its own; `mede
    namens ...` leaves the role its signer."""
    for index, cell in enumerate(cells):
        if _FOR_THIS_ONE.match(cell):
            for signer, _raw in pending:
                if signer in rows:
                    rows.remove(signer)
            pending.clear()
        elif _MINISTRY_TAIL.match(cell) and pending:
            position = min(index, len(pending) - 1)
            signer, raw = pending[position]
            pending[position] = (signer, f"{raw} {cell}")
            signer.role = _clean_role(pending[position][1])


def parse_signatories(blocks: list[Block]) -> list[Signatory]:
    """Read the signature blocks into one `Signatory` per person, in printed order."""
    rows: list[Signatory] = []
    pending: list[tuple[Signatory, str]] = []  # role printed, name to come; the role as printed
    for block in blocks:
        for line in (block.layout or block.text).splitlines():
            cells = _columns(line)
            if not cells:
                continue
            if all(_is_role_part(cell) and not is_role(cell) for cell in cells):
                _complete_roles(rows, pending, cells)
                continue
            if all(is_role(cell) for cell in cells):
                pending = []
                for cell in cells:
                    role, names = _split_role_name(cell)
                    if not names:
                        pending.append((Signatory(role, None), cell))
                        rows.append(pending[-1][0])
                    rows.extend(Signatory(role, name) for name in names)
                continue
            if wrapped := _wrapped_roles(pending, cells):
                for index, cell in zip(wrapped, cells, strict=True):
                    signer, raw = pending[index]
                    pending[index] = (signer, f"{raw} {cell}")
                    signer.role = _clean_role(pending[index][1])
                continue
            for cell in cells:
                for name in split_names(cell):
                    if pending:
                        pending.pop(0)[0].name = name
                    else:
                        rows.append(Signatory(None, name))
    return rows
