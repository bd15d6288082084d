"""Data-quality gates on the Arrow tables, on their own and against the latest release."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from benchmarks.corpus import generate
from pipelines.ingest.run import ingest
from pipelines.publish.quality import (
    QUALITY_COLUMNS,
    Gate,
    Reference,
    check_tables,
    latest_reference,
    quality_gates,
)
from pipelines.publish.release import promote, stage
from pipelines.tables.build import TableCache
from pipelines.tables.rows import build_tables
from pipelines.tables.schemas import TABLES
from tests.conftest import RAW

JUNK_PAGE = (
    "<html><head><title>Cookies</title></head><body><p>"
    + " ".join(["Deze pagina gebruikt cookies om de website te verbeteren."] * 5)
    + "</p></body></html>"
)
"""A web page saved into the raw folder by mistake: enough words to be kept as a letter."""

NEW = 5
"""Letters of the corpus (the first by letter_id) that the release does not have yet."""


def summary(gates: list[Gate]) -> dict[str, tuple]:
    return {gate.name: (gate.value, gate.threshold, gate.reference, gate.passed) for gate in gates}


def only(table: pa.Table, letter_ids: list[str]) -> pa.Table:
    return table.filter(pc.is_in(table["letter_id"], value_set=pa.array(letter_ids)))


def undated(letters: pa.Table, letter_ids: list[str]) -> pa.Table:
    """`letters` with the date of `letter_ids` taken away, as a broken date rule would."""
    index = letters.schema.get_field_index("date")
    hit = pc.is_in(letters["letter_id"], value_set=pa.array(letter_ids))
    dates = pc.if_else(hit, pa.scalar(None, letters["date"].type), letters["date"])
    return letters.set_column(index, letters.field(index), dates)


def publish(tables: dict[str, pa.Table], out: Path) -> Reference:
    promote(stage(tables, out), out)
    reference = latest_reference(out)
    assert reference is not None
    return reference


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return build_tables(ingest(RAW).letters)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pa.Table]:
    """60 generated letters: every one dated, a Kamerstuk with a dossier number, paragraphs."""
    raw = tmp_path_factory.mktemp("corpus")
    generate(raw, 60, seed=1)
    return build_tables(ingest(raw).letters)


@pytest.fixture(scope="module")
def ids(corpus) -> list[str]:
    return sorted(corpus["letters"]["letter_id"].to_pylist())


@pytest.fixture(scope="module")
def paths(corpus) -> dict[str, str]:
    rows = corpus["letters"].select(["letter_id", "source_path"]).to_pylist()
    return {row["letter_id"]: row["source_path"] for row in rows}


@pytest.fixture(scope="module")
def release(corpus, ids, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """Release 1.0.0: the corpus without its `NEW` first letters, 55 letters."""
    out = tmp_path_factory.mktemp("published")
    return publish({name: only(table, ids[NEW:]) for name, table in corpus.items()}, out)


def test_quality_gates_on_the_seeds(tables) -> None:
    gates = quality_gates(tables["letters"], None)
    assert summary(gates) == {
        "share with a date": (0.5, None, None, True),
        "share of Kamerstukken with a dossier number": (1.0, None, None, True),
        "share with at least one paragraph": (1.0, None, None, True),
        "letter count": (2, 1, None, True),
    }
    assert [gate.rule for gate in gates] == [
        "not judged: measured over 2 letters, fewer than KAMERBRIEVEN_GATE_MIN_LETTERS (50)",
        "not judged: measured over 1 letters, fewer than KAMERBRIEVEN_GATE_MIN_LETTERS (50)",
        "not judged: measured over 2 letters, fewer than KAMERBRIEVEN_GATE_MIN_LETTERS (50)",
        "an empty build never replaces a release",
    ]


def test_two_seeds_and_a_junk_page_publish(tables, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / "cookies.html").write_text(JUNK_PAGE, encoding="utf-8")
    build = build_tables(ingest(raw).letters)
    alone = check_tables(build, None)
    assert (alone.letters, alone.publishable) == (3, True)
    assert summary(alone.gates)["share with a date"] == (1 / 3, None, None, True)

    # nor against a release of the two seeds: a share of 0.5 falling to 1/3 says nothing yet
    after = check_tables(build, publish(tables, tmp_path / "out"))
    assert after.publishable
    assert summary(after.gates) == {
        "share with a date": (1 / 3, None, 0.5, True),
        "share of Kamerstukken with a dossier number": (1.0, None, 1.0, True),
        "share with at least one paragraph": (1.0, None, 1.0, True),
        "letter count": (3, 1, 2, True),
    }


def test_table_checks_read_the_build_files(tables, tmp_path: Path) -> None:
    files = TableCache(tmp_path).save({name: [table] for name, table in tables.items()}, {})
    checked = check_tables(files, None)
    assert checked.problems == {name: [] for name in TABLES}
    assert (checked.letters, checked.publishable) == (2, True)


def test_a_dangling_row_and_an_empty_build_are_caught(tables, tmp_path: Path) -> None:
    letters = tables["letters"]
    kept = letters.filter(pc.equal(letters["letter_id"], "kst-33783-46"))
    checked = check_tables({**tables, "letters": kept}, None)
    assert checked.problems["paragraphs"] == [
        "paragraphs: 12 rows whose letter_id is not in letters"
    ]
    empty = check_tables({name: table.schema.empty_table() for name, table in tables.items()}, None)
    assert (empty.letters, empty.publishable) == (0, False)
    assert [gate.message() for gate in empty.gates if not gate.passed] == [
        "letter count: 0 is below 1, an empty build never replaces a release"
    ]


def test_the_latest_release_is_read_for_its_quality_columns(release, tmp_path: Path) -> None:
    assert (release.version, release.letters.num_rows) == ("1.0.0", 55)
    assert release.letters.column_names == QUALITY_COLUMNS
    assert latest_reference(tmp_path) is None


def test_a_share_drop_against_the_latest_release_fails_and_names_the_letters(
    corpus, ids, paths, release
) -> None:
    # seven released letters lose their date, and five new ones come without one: 48 of 60
    gates = quality_gates(undated(corpus["letters"], ids[:12]), release)
    assert summary(gates) == {
        "share with a date": (0.8, 0.9, 1.0, False),
        "share of Kamerstukken with a dossier number": (1.0, 0.95, 1.0, True),
        "share with at least one paragraph": (1.0, 0.95, 1.0, True),
        "letter count": (60, 42, 55, True),
    }
    dated = gates[0]
    named = ids[NEW:12] + ids[:3]  # those that lost their date first, then the new ones
    notes = ["with a date in 1.0.0"] * 7 + ["new since 1.0.0"] * 3
    assert dated.culprits is not None
    assert dated.culprits.letters == [
        {"letter_id": letter, "source_path": paths[letter], "note": note}
        for letter, note in zip(named, notes, strict=True)
    ]
    assert dated.culprits.more == 2
    listed = ", ".join(
        f"{letter} ({paths[letter]}; {note})" for letter, note in zip(named, notes, strict=True)
    )
    assert dated.message() == (
        "share with a date: 0.8 is below 0.9, 1 in release 1.0.0 less "
        f"KAMERBRIEVEN_MAX_SHARE_DROP (0.1); without a date: {listed} and 2 more"
    )
    assert dated.to_json()["culprits"] == {
        "label": "without a date",
        "letters": dated.culprits.letters,
        "more": 2,
    }
    # a drop of exactly the margin passes: 54 of 60
    within = quality_gates(undated(corpus["letters"], ids[NEW : NEW + 6]), release)
    assert summary(within)["share with a date"] == (0.9, 0.9, 1.0, True)


def test_a_fall_in_letters_fails_and_names_the_removed_letters(
    corpus, ids, paths, release, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 55 letters in 1.0.0 may fall by a quarter, to 41.25: 42 pass, 41 do not
    assert summary(quality_gates(only(corpus["letters"], ids[18:]), release))["letter count"] == (
        42, 42, 55, True,
    )  # fmt: skip
    gates = quality_gates(only(corpus["letters"], ids[19:]), release)
    assert [gate.name for gate in gates if not gate.passed] == ["letter count"]
    listed = ", ".join(f"{letter} ({paths[letter]})" for letter in ids[NEW:15])
    assert gates[3].message() == (
        "letter count: 41 is below 42, 55 in release 1.0.0 less KAMERBRIEVEN_MAX_LETTER_DROP "
        f"(0.25); set it to 1 to publish a deliberate removal; removed since 1.0.0: {listed} "
        "and 4 more"
    )
    # the override for a deliberate removal
    monkeypatch.setattr("pipelines.settings.MAX_LETTER_DROP", 1.0)
    assert all(gate.passed for gate in quality_gates(only(corpus["letters"], ids[19:]), release))


def test_a_large_build_below_a_minimum_fails_and_a_small_one_passes(corpus, ids, paths) -> None:
    letters = undated(corpus["letters"], ids[:31])  # 29 of 60 dated, below 0.5
    gates = quality_gates(letters, None)
    assert summary(gates)["share with a date"] == (29 / 60, 0.5, None, False)
    assert [gate.name for gate in gates if not gate.passed] == ["share with a date"]
    listed = ", ".join(f"{letter} ({paths[letter]})" for letter in ids[:10])
    assert gates[0].message() == (
        "share with a date: 0.483 is below 0.5, the minimum KAMERBRIEVEN_MIN_SHARE_WITH_DATE; "
        f"without a date: {listed} and 21 more"
    )
    # 49 letters, 18 of them dated: too few to judge a share by
    small = quality_gates(only(letters, ids[:49]), None)
    assert summary(small)["share with a date"] == (18 / 49, None, None, True)
    assert all(gate.passed for gate in small)
