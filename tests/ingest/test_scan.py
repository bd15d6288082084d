"""The raw folder as ingest sees it: entries listed without following links, names, refusals."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipelines.formats import MetadataRecords, metadata_record_for
from pipelines.ingest import scan


def test_folder_wide_scan_agrees_with_the_per_file_definitions(tmp_path: Path) -> None:
    """scan_raw, MetadataRecords and the refusals list folders once; each answer must be the one
    the plain per-file definition (rglob, metadata_record_for, Path.resolve) gives."""
    raw = tmp_path / "raw"
    outside = tmp_path / "outside"
    for folder in (raw / "a" / "kst-1-2", raw / "a-b", raw / ".hidden", outside / "dir"):
        folder.mkdir(parents=True)
    for name in ("a/kst-1-2.xml", "a/kst-1-2/metadata.xml", "a/kst-3.xml", "a/kst-3.metadata.xml",
                 "a/kst-4.xml", "a/kst-4.xml.metadata.xml", "a-b/x.txt", "a/.x.txt",
                 ".hidden/y.txt", "metadata.xml", "a/kst-5.xml"):  # fmt: skip
        (raw / name).write_text("x")
    (raw / "a" / "kst-5.metadata.xml").mkdir()  # a folder, not a record
    (outside / "z.txt").write_text("x")
    (raw / "out.txt").symlink_to(outside / "z.txt")
    (raw / "out-dir").symlink_to(outside / "dir", target_is_directory=True)
    (raw / "in.txt").symlink_to(raw / "a-b" / "x.txt")
    (raw / "broken.txt").symlink_to(raw / "missing.txt")
    (raw / "loop-a.txt").symlink_to(raw / "loop-b.txt")
    (raw / "loop-b.txt").symlink_to(raw / "loop-a.txt")
    os.mkfifo(raw / "a" / "pipe.txt")
    (raw / "a-b" / "to-pipe.txt").symlink_to(raw / "a" / "pipe.txt")

    listed = sorted(
        path for path in raw.rglob("*")
        if (path.is_symlink() or not path.is_dir())
        and not any(part.startswith(".") for part in path.relative_to(raw).parts)
    )  # fmt: skip
    assert scan.scan_raw(raw) == listed
    assert scan.scan_raw(tmp_path / "missing") == [] == list((tmp_path / "missing").rglob("*"))
    find = MetadataRecords()
    assert [find(path) for path in listed] == [metadata_record_for(path) for path in listed]
    assert find(raw / "a" / "kst-1-2.xml") == raw / "a" / "kst-1-2" / "metadata.xml"
    assert find(raw / "a" / "kst-4.xml") == raw / "a" / "kst-4.xml.metadata.xml"
    assert find(raw / "a" / "kst-5.xml") is None
    refusals = scan.Refusals(raw)
    special = {
        "broken.txt": "broken symlink (No such file or directory)",
        "loop-a.txt": "symlink loop: the link leads back to itself",
        "loop-b.txt": "symlink loop: the link leads back to itself",
        "pipe.txt": "a named pipe (FIFO); only regular files are read",
        "to-pipe.txt": "symlink to a named pipe (FIFO); only regular files are read",
    }
    for path in listed:
        if path.name in special:
            assert refusals(path) == special[path.name]
            continue
        outside_raw = not path.resolve().is_relative_to(raw.resolve())
        assert (refusals(path) is not None) == outside_raw, path
    assert [scan.relative_name(path, raw) for path in listed] == [
        path.relative_to(raw).as_posix() for path in listed
    ]


LETTER = "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n"
RECORD = '<metadata name="DC.identifier" content="kst-1-2"/>'


def _folder(tmp_path: Path) -> dict[str, Path]:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(LETTER)
    (raw / "b.xml").write_text("<officiele-publicatie/>")
    (raw / "b.metadata.xml").write_text(RECORD)
    return {"a.txt": raw / "a.txt", "b.xml": raw / "b.xml"}


def _keys(keys: scan.ContentKeys, files: dict[str, Path]) -> dict[str, tuple[str, int]]:
    record = files["b.xml"].with_name("b.metadata.xml")
    return {name: keys(path, name, record if name == "b.xml" else None)
            for name, path in files.items()}  # fmt: skip


def _same_size_edit(path: Path, text: str) -> None:
    """Rewrite `path` with other bytes of the same length, its modification time put back."""
    info = os.stat(path)
    assert len(text) == info.st_size
    path.write_text(text)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _recorded(tmp_path: Path) -> tuple[dict[str, Path], dict[str, tuple[str, int]]]:
    """A raw folder whose keys one run has read and recorded in `tmp_path / "cache"`."""
    files = _folder(tmp_path)
    first = scan.ContentKeys(tmp_path / "cache")
    keys = _keys(first, files)
    assert first.read == 2
    first.save()
    return files, keys


def test_files_whose_stat_is_unchanged_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "RACY_NS", 0)
    files, keys = _recorded(tmp_path)
    record = files["b.xml"].with_name("b.metadata.xml")
    assert keys == {"a.txt": scan.content_key(files["a.txt"]),
                    "b.xml": scan.content_key(files["b.xml"], record)}  # fmt: skip
    second = scan.ContentKeys(tmp_path / "cache")
    assert _keys(second, files) == keys and second.read == 0


def test_a_same_size_edit_with_its_time_put_back_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan, "RACY_NS", 0)
    files, keys = _recorded(tmp_path)
    _same_size_edit(files["a.txt"], LETTER.upper())
    _same_size_edit(files["b.xml"].with_name("b.metadata.xml"), RECORD.replace("1-2", "3-4"))
    second = scan.ContentKeys(tmp_path / "cache")
    again = _keys(second, files)
    assert second.read == 2
    assert again["a.txt"] == scan.content_key(files["a.txt"]) != keys["a.txt"]
    assert again["b.xml"][0] != keys["b.xml"][0]


def test_files_changed_just_before_their_stat_was_recorded_are_read_again(
    tmp_path: Path,
) -> None:
    files, keys = _recorded(tmp_path)
    second = scan.ContentKeys(tmp_path / "cache")
    assert _keys(second, files) == keys and second.read == 2


@pytest.mark.parametrize("damage", ["other code", "unreadable"])
def test_keys_recorded_by_other_code_or_unreadable_are_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    monkeypatch.setattr(scan, "RACY_NS", 0)
    files, keys = _recorded(tmp_path)
    stored = tmp_path / "cache" / "content-keys.json"
    if damage == "other code":
        stored.write_text(json.dumps(json.loads(stored.read_text()) | {"code": "other"}))
    else:
        stored.write_text("{")
    second = scan.ContentKeys(tmp_path / "cache")
    assert _keys(second, files) == keys and second.read == 2
