"""The citation graph: references resolved to the letters of the release they cite."""

from __future__ import annotations

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes
from pipelines.tables.rows import build_tables
from tests.conftest import SEED_PDF
from tests.extract.helpers import letter
from tests.extract.test_portal import _letter, _record

CITING = """33 783 Nucleaire ontwapening en non-proliferatie

Nr. 41 BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 1 april 2020

Zie https://zoek.officielebekendmakingen.nl/kst-33783-46.html, document 2024D34636, Kamerstuk
33 783, nr. 46 en Kamerstuk 21 501-02, nr. 1581.

De Minister van Buitenlandse Zaken,
S.A. Blok
"""


def _graph(*letters) -> list[tuple[str, str, str, str | None]]:
    references = build_tables(letters)["references"].to_pylist()
    return [(r["letter_id"], r["kind"], r["target_id"], r["cited_letter_id"]) for r in references]


def test_references_resolve_by_letter_id_portal_number_and_official_url() -> None:
    seed = extract_letter(parse_bytes(SEED_PDF.read_bytes(), SEED_PDF.name))
    harvested = _letter(_record())
    graph = _graph(seed, letter(CITING), harvested)
    assert [row for row in graph if row[0] == "kst-33783-41"] == [
        ("kst-33783-41", "url", "https://zoek.officielebekendmakingen.nl/kst-33783-46.html",
         "kst-33783-46"),
        ("kst-33783-41", "document", "2024D34636", "tk-2024D34636"),
        ("kst-33783-41", "kamerstuk", "kst-33783-46", "kst-33783-46"),
        ("kst-33783-41", "kamerstuk", "kst-21501-02-1581", None),
    ]  # fmt: skip
    cited_by_seed = {row[3] for row in graph if row[0] == "kst-33783-46" and row[3]}
    assert cited_by_seed == {"kst-33783-41"}, "the seed cites Kamerstuk 33 783, nr. 41"


def test_a_letter_added_later_resolves_the_references_of_letters_before_it() -> None:
    seed = extract_letter(parse_bytes(SEED_PDF.read_bytes(), SEED_PDF.name))
    alone = _graph(seed)
    assert all(row[3] is None for row in alone)
    together = _graph(seed, letter(CITING))
    assert [row for row in together if row[0] == "kst-33783-46" and row[3]] == [
        ("kst-33783-46", "kamerstuk", "kst-33783-41", "kst-33783-41")
    ] * len([row for row in alone if row[2] == "kst-33783-41"])
