"""The raw folder as ingest sees it: entries listed without following links, names, refusals."""

from __future__ import annotations

import os
from pathlib import Path

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
