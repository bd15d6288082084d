"""Reading a raw folder: rejections, duplicates, the caches and parallel parsing."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pytest

from benchmarks.corpus import generate
from pipelines.ingest import run as ingest_module
from pipelines.ingest.cache import ParseCache
from pipelines.ingest.run import IngestResult, ingest
from pipelines.tables import files as tablefiles
from pipelines.tables import rows as tables
from pipelines.tables.build import TableCache
from pipelines.tables.rows import build_tables
from pipelines.tables.schemas import schemas_dir
from tests.conftest import RAW, SEED_PDF
from tests.formats import sample_letter
from tests.tables.test_citations import CITING


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    return folder


def _rows(result) -> list:
    return [(letter.letter, letter.paragraphs, letter.references) for letter in result.letters]


def test_duplicates_in_one_format_keep_the_first_path(raw: Path) -> None:
    shutil.copy(SEED_PDF, raw / "zz-copy.md")
    result = ingest(raw)
    assert sorted(letter.letter["source_path"] for letter in result.letters) == [
        "000_bd267e4e27e61377.txt",
        "004_8e7c7b581cfe5445.txt",
    ]
    assert [(r.path, r.reason) for r in result.rejections] == [
        ("zz-copy.md", "duplicate letter kst-33783-46, already read from 004_8e7c7b581cfe5445.txt")
    ]


RENDERINGS = {
    "koop_xml": sample_letter.render_koop_xml,
    "docx": sample_letter.render_docx,
    "pdf": sample_letter.render_pdf,
    "html": sample_letter.render_html,
    "markdown": sample_letter.render_markdown,
    "text": sample_letter.render_text,
}


@pytest.mark.parametrize("order", ["poorest first", "richest first"])
def test_the_most_structured_source_of_a_letter_wins_whatever_the_names(
    tmp_path: Path, order: str
) -> None:
    formats = list(RENDERINGS) if order == "richest first" else list(reversed(RENDERINGS))
    for position, kind in enumerate(formats):
        (tmp_path / f"{position}-letter.bin").write_bytes(RENDERINGS[kind]())
    result = ingest(tmp_path)
    [letter] = result.letters
    assert (letter.letter["letter_id"], letter.letter["source_format"]) == (
        "kst-33783-46",
        "koop_xml",
    )
    winner = letter.letter["source_path"]
    assert winner == f"{formats.index('koop_xml')}-letter.bin"
    assert sorted((r.path, r.reason) for r in result.rejections) == sorted(
        (
            f"{formats.index(kind)}-letter.bin",
            f"duplicate letter kst-33783-46, already read from {winner}",
        )
        for kind in formats
        if kind != "koop_xml"
    )


def test_koop_xml_wins_over_odt_and_pdf_of_the_same_real_motie(tmp_path: Path) -> None:
    native = Path(__file__).resolve().parents[3] / "shared" / "samples" / "native" / "files"
    if not native.is_dir():
        pytest.skip("../shared/samples/native is absent")
    shutil.copy(native / "kst-32545-143.pdf", tmp_path / "a.pdf")
    shutil.copy(native / "kst-32545-143.odt", tmp_path / "b.odt")
    shutil.copy(native / "kst-32545-143.xml", tmp_path / "c.xml")
    shutil.copy(native / "kst-32545-143.metadata.xml", tmp_path / "c.metadata.xml")
    result = ingest(tmp_path)
    assert [letter.letter["source_path"] for letter in result.letters] == ["c.xml"]
    assert [(r.path, r.reason) for r in result.rejections] == [
        ("b.odt", "duplicate letter kst-32545-143, already read from c.xml"),
        ("a.pdf", "duplicate letter kst-32545-143, already read from c.xml"),
    ]


def test_hidden_files_are_ignored(raw: Path) -> None:
    (raw / ".DS_Store").write_bytes(b"\x00\x01")
    assert ingest(raw).rejections == []


def test_cache_reuses_unchanged_files_and_forgets_removed_ones(raw: Path, tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    first = ingest(raw, cache=cache)
    assert (first.parsed, first.reused) == (2, 0)
    second = ingest(raw, cache=ParseCache(tmp_path / "cache"))
    assert (second.parsed, second.reused, second.removed) == (0, 2, 0)
    assert _rows(second) == _rows(first)

    (raw / "004_8e7c7b581cfe5445.txt").rename(raw / "renamed.md")
    (raw / "000_bd267e4e27e61377.txt").unlink()
    third = ingest(raw, cache=ParseCache(tmp_path / "cache"))
    assert (third.parsed, third.reused, third.removed) == (0, 1, 2)
    assert third.letters[0].letter["source_path"] == "renamed.md"
    assert len(list(cache.entries.iterdir())) == 1


def test_cache_remembers_rejections(raw: Path, tmp_path: Path) -> None:
    (raw / "empty.txt").write_bytes(b"")
    ingest(raw, cache=ParseCache(tmp_path / "cache"))
    again = ingest(raw, cache=ParseCache(tmp_path / "cache"))
    assert again.parsed == 0
    assert [(r.path, r.reason) for r in again.rejections] == [("empty.txt", "file is empty")]


def test_corrupt_cache_entry_is_parsed_again(raw: Path, tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    ingest(raw, cache=cache)
    for entry in cache.entries.iterdir():
        entry.write_bytes(b"not a pickle")
    again = ingest(raw, cache=ParseCache(tmp_path / "cache"))
    assert (again.parsed, again.reused) == (2, 0)


def test_parallel_parsing_gives_the_same_rows(raw: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(6):
        (raw / f"letter-{index}.txt").write_text(
            f"Den Haag, {index + 1} mei 2024\n\nGeachte voorzitter,\n\nBrief nummer {index}.\n"
        )
    (raw / "empty.txt").write_bytes(b"")
    serial = ingest(raw, workers=1)
    parallel = ingest(raw, workers=2)
    assert _rows(parallel) == _rows(serial)
    assert [(r.path, r.reason) for r in parallel.rejections] == [
        (r.path, r.reason) for r in serial.rejections
    ]
    assert len(serial.letters) == 8


def test_symlinks_out_of_the_raw_folder_are_refused(raw: Path, tmp_path: Path) -> None:
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "secret.txt").write_text("Den Haag, 1 mei 2024\n\nGeachte voorzitter,\n\nGeheim.\n")
    (raw / "link.txt").symlink_to(secret / "secret.txt")
    (raw / "linked-dir").symlink_to(secret, target_is_directory=True)
    (raw / "inside.txt").symlink_to(raw / "000_bd267e4e27e61377.txt")
    result = ingest(raw)
    reasons = {r.path: r.reason for r in result.rejections}
    assert reasons["link.txt"] == "symlink pointing outside the raw folder"
    assert reasons["linked-dir"] == "symlink pointing outside the raw folder"
    assert reasons["inside.txt"].startswith("duplicate letter doc-")
    assert all("Geheim" not in letter.letter["text"] for letter in result.letters)


def test_files_over_the_size_limit_are_refused(raw: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipelines.settings.MAX_FILE_BYTES", 4000)
    reasons = {r.path: r.reason for r in ingest(raw).rejections}
    assert reasons == {
        "004_8e7c7b581cfe5445.txt": "file is 4247 bytes, over the limit of 4000 "
        "(KAMERBRIEVEN_MAX_FILE_BYTES)"
    }


def test_odd_file_names_are_kept_readable(raw: Path) -> None:
    odd = "brief met spatie, komma & ü\u00e9 — nr. 1.txt"
    shutil.copy(raw / "000_bd267e4e27e61377.txt", raw / odd)
    (raw / "000_bd267e4e27e61377.txt").unlink()
    invalid_utf8 = bytes(raw / "x") + b"\xff.txt"
    Path(invalid_utf8.decode("utf-8", "surrogateescape")).write_text(
        "Den Haag, 2 mei 2024\n\nTekst.\n"
    )
    result = ingest(raw)
    names = sorted(letter.letter["source_path"] for letter in result.letters)
    assert names == ["004_8e7c7b581cfe5445.txt", odd, "x\\xff.txt"]


def _strict_schemas(tmp_path: Path, field_name: str, constraints: dict) -> Path:
    strict = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), strict)
    letters = json.loads((strict / "letters.schema.json").read_text())
    for field in letters["fields"]:
        if field["name"] == field_name:
            field["constraints"] = constraints
    (strict / "letters.schema.json").write_text(json.dumps(letters))
    return strict


def test_letter_breaking_a_required_constraint_is_rejected_alone(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    strict = _strict_schemas(tmp_path, "letter_id", {"required": True, "pattern": "^kst-.*$"})
    monkeypatch.setenv("KAMERBRIEVEN_SCHEMAS", str(strict))
    result = ingest(raw)
    assert [letter.letter["source_path"] for letter in result.letters] == [
        "004_8e7c7b581cfe5445.txt"
    ]
    assert [(r.path, r.reason) for r in result.rejections] == [
        (
            "000_bd267e4e27e61377.txt",
            "invalid letter: letters.letter_id: 'doc-1f03854c2146ca53' not matching ^kst-.*$",
        )
    ]


def test_optional_value_breaking_a_constraint_is_emptied_and_noted(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "KAMERBRIEVEN_SCHEMAS", str(_strict_schemas(tmp_path, "place", {"enum": ["Amsterdam"]}))
    )
    cache = tmp_path / "cache"
    result = ingest(raw, cache=ParseCache(cache))
    assert result.rejections == []
    assert [letter.letter["place"] for letter in result.letters] == [None, None]
    note = "letters.place: 'Den Haag' not one of ['Amsterdam']; left empty"
    assert result.rows.notes == {"004_8e7c7b581cfe5445.txt": [note]}
    TableCache(cache).build(result.rows)

    kept = ingest(raw, cache=ParseCache(cache), previous=TableCache(cache).load())
    assert (kept.letters, sorted(kept.rows.kept)) == ([], ["doc-1f03854c2146ca53", "kst-33783-46"])
    assert kept.rows.notes == result.rows.notes, "a letter kept unread keeps its notes"


def _record(date: str) -> bytes:
    return (
        '<metadata_gegevens>\r\n<metadata name="OVERHEIDop.datumBrief" scheme="DCTERMS.W3CDTF" '
        f'content="{date}"/>\r\n</metadata_gegevens>\r\n'
    ).encode()


def test_metadata_record_beside_publication_xml_is_read_with_it(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "kst-33783-46").mkdir(parents=True)
    xml = sample_letter.render_koop_xml()
    undated = re.sub(rb"<al>Den Haag, <datum[^>]*>[^<]*</datum></al>", b"", xml)
    assert undated != xml
    (raw / "kst-33783-46.xml").write_bytes(undated)
    record = raw / "kst-33783-46" / "metadata.xml"
    record.write_bytes(_record("2020-07-06"))
    cache = tmp_path / "cache"
    first = ingest(raw, cache=ParseCache(cache))
    assert first.rejections == [], "the record is not a raw file of its own"
    assert [(x.letter["letter_id"], x.letter["date"]) for x in first.letters] == [
        ("kst-33783-46", date(2020, 7, 6))
    ]
    record.write_bytes(_record("2020-07-07"))
    second = ingest(raw, cache=ParseCache(cache))
    assert (second.parsed, second.reused) == (1, 0), "a changed metadata.xml is read again"
    assert second.letters[0].letter["date"] == date(2020, 7, 7)


def test_metadata_record_without_its_publication_is_reported(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "metadata.xml").write_bytes(_record("2020-07-06"))
    reasons = [r.reason for r in ingest(raw).rejections]
    assert len(reasons) == 1 and reasons[0].startswith("a KOOP metadata record")


def _incremental(raw: Path, cache: Path) -> tuple[IngestResult, dict]:
    """One incremental build as the refresh runs it: previous tables in, tables out and kept."""
    result = ingest(raw, cache=ParseCache(cache), previous=TableCache(cache).load())
    files = TableCache(cache).save(result.rows.sources(), result.rows.origins)
    return result, {table: file.read() for table, file in files.items()}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    generate(folder, 10, seed=3)
    return folder


def test_unchanged_letters_keep_their_rows_from_the_previous_build(
    corpus: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first, _ = _incremental(corpus, cache)
    assert (first.parsed, first.reused, first.letter_count) == (10, 0, 10)
    generate(corpus, 1, seed=3, start=10)
    changed = sorted(corpus.iterdir())[2]
    changed.write_bytes(changed.read_bytes().replace(b"Den Haag", b"Den  Haag", 1))
    (sorted(corpus.iterdir())[5]).unlink()
    second, tables = _incremental(corpus, cache)
    assert (second.parsed, second.reused, second.removed) == (2, 8, 1)
    assert sorted(letter.letter["source_path"] for letter in second.letters) == [
        changed.name,
        "000010" + sorted(corpus.iterdir())[-1].suffix,
    ]
    assert len(second.rows.kept) == 8
    assert tables == build_tables(ingest(corpus).letters), "the same tables as a full build"


def test_kept_letter_loses_to_a_new_file_with_the_same_letter_earlier_in_path_order(
    corpus: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _incremental(corpus, cache)
    later = sorted(corpus.iterdir())[4]
    shutil.copy(later, corpus / f"0-copy{later.suffix}")
    result, tables = _incremental(corpus, cache)
    letter_id = result.rows.origins[f"0-copy{later.suffix}"][1]
    assert [(r.path, r.reason) for r in result.rejections] == [
        (later.name, f"duplicate letter {letter_id}, already read from 0-copy{later.suffix}")
    ]
    full = build_tables(ingest(corpus).letters)
    assert tables == full
    assert tables["letters"].filter(pc.equal(tables["letters"]["letter_id"], letter_id))[
        "source_path"
    ].to_pylist() == [f"0-copy{later.suffix}"]


def test_unchanged_folder_keeps_the_table_files_as_they_are(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _, first = _incremental(corpus, cache)
    files = sorted((cache / "tables").iterdir())
    stamps = [(path.name, path.stat().st_ino, path.stat().st_mtime_ns) for path in files]

    again = ingest(corpus, cache=ParseCache(cache), previous=TableCache(cache).load())
    assert again.rows.same_as_previous and (again.parsed, again.reused) == (0, 10)
    tables = TableCache(cache).build(again.rows)
    assert {table: file.read() for table, file in tables.items()} == first
    after = sorted((cache / "tables").iterdir())
    assert [(p.name, p.stat().st_ino, p.stat().st_mtime_ns) for p in after] == stamps

    removed = sorted(corpus.iterdir())[0]
    removed.unlink()
    fewer = ingest(corpus, cache=ParseCache(cache), previous=TableCache(cache).load())
    assert not fewer.rows.same_as_previous, "a letter removed: the tables change"
    tables = TableCache(cache).build(fewer.rows)
    assert tables["letters"].num_rows == first["letters"].num_rows - 1


def test_renamed_file_is_read_again_for_its_new_source_path(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _incremental(corpus, cache)
    first = sorted(corpus.iterdir())[0]
    first.rename(corpus / f"renamed{first.suffix}")
    result, tables = _incremental(corpus, cache)
    assert (result.parsed, result.reused) == (0, 10), "parsed before: from the parse cache"
    assert [letter.letter["source_path"] for letter in result.letters] == [f"renamed{first.suffix}"]
    assert tables == build_tables(ingest(corpus).letters)


def test_letters_spooled_as_sorted_runs_give_the_same_tables(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "LETTERS_PER_BATCH", 2)
    monkeypatch.setattr(tables, "LETTERS_PER_RUN", 3)
    monkeypatch.setattr(tablefiles, "LETTERS_PER_CHUNK", 4)
    monkeypatch.setattr(tables, "RUN_BATCH_BYTES", 1)
    monkeypatch.setattr(ingest_module, "JOBS_PER_CHUNK", 1)
    monkeypatch.setattr(ingest_module, "CHUNKS_IN_FLIGHT_PER_WORKER", 1)
    as_letters = ingest(corpus)
    spooled = ingest(corpus, spool=tmp_path / "spool", workers=2)
    assert spooled.letters == [] and spooled.letter_count == 10
    runs = spooled.rows.runs["letters"]
    assert len(runs) == 3, "runs of two batches of two letters, and the rest"
    assert len(list(runs[0].batches())) == 4, "batches of one row"
    merged = TableCache(tmp_path / "cache").save(spooled.rows.sources(), spooled.rows.origins)
    spooled.rows.discard_runs()
    assert not (tmp_path / "spool").exists()
    assert {table: file.read() for table, file in merged.items()} == build_tables(
        as_letters.letters
    )


def test_a_kept_letters_reference_resolves_to_a_letter_added_later(tmp_path: Path) -> None:
    raw, cache = tmp_path / "raw", tmp_path / "cache"
    raw.mkdir()
    shutil.copy(SEED_PDF, raw / SEED_PDF.name)
    _, before = _incremental(raw, cache)
    assert before["references"]["cited_letter_id"].null_count == before["references"].num_rows
    (raw / "kst-33783-41.txt").write_text(CITING, encoding="utf-8")
    result, after = _incremental(raw, cache)
    assert result.rows.kept == ["kst-33783-46"], "the seed was not read again"
    seed = after["references"].filter(pc.equal(after["references"]["letter_id"], "kst-33783-46"))
    assert set(seed["cited_letter_id"].drop_null().to_pylist()) == {"kst-33783-41"}
    assert after == build_tables(ingest(raw).letters), "the same tables as a full build"


def test_a_letter_edited_in_place_with_its_size_and_time_kept_is_parsed_again(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipelines.ingest.scan.RACY_NS", 0)
    cache = tmp_path / "cache"
    first = ingest(raw, cache=ParseCache(cache))
    kept = ingest(raw, cache=ParseCache(cache))
    assert (kept.parsed, kept.reused) == (0, 2)
    path = raw / "004_8e7c7b581cfe5445.txt"
    info = path.stat()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Kamerbrief", b"KAMERBRIEF", 1))
    assert path.read_bytes() != data and path.stat().st_size == info.st_size
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    again = ingest(raw, cache=ParseCache(cache))
    assert (again.parsed, again.reused) == (1, 1)
    assert _rows(again) != _rows(first)
