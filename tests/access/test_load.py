"""`pipelines.access.load`: one line from a published folder or URL to an Arrow table."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

import pipelines
from pipelines.access.download import DownloadError


def test_load_from_a_local_folder(published: Path) -> None:
    letters = pipelines.load("letters", base=published)
    assert letters.equals(pq.read_table(published / "1.0.1" / "letters.parquet"))
    old = pipelines.load("letters", version="1.0.0", base=str(published))
    assert "Corrected subject" not in old.column("subject").to_pylist()


def test_load_over_http_is_verified_and_cached(
    published: Path, serve_folder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAMERBRIEVEN_CACHE", str(tmp_path / "cache"))
    base = serve_folder(published)
    paragraphs = pipelines.load("paragraphs", base=base)
    assert paragraphs.equals(pq.read_table(published / "latest" / "paragraphs.parquet"))
    cached = tmp_path / "cache" / "1.0.1" / "paragraphs.parquet"
    assert cached.read_bytes() == (published / "1.0.1" / "paragraphs.parquet").read_bytes()
    assert pipelines.load("paragraphs", version="1.0.1", base=base).num_rows == paragraphs.num_rows
    with pytest.raises(DownloadError, match="no table 'votes'"):
        pipelines.load("votes", base=base)
