"""The local file server: loopback only, the release's media types."""

from __future__ import annotations

import urllib.request
from pathlib import Path


def test_serves_files_with_release_media_types(published: Path, serve_folder) -> None:
    base = serve_folder(published)
    assert base.startswith("http://127.0.0.1:")
    expected = {
        "dcat.jsonld": "application/ld+json",
        "latest/letters.parquet": "application/vnd.apache.parquet",
        "kamerbrieven-1.0.1.zip": "application/zip",
        "index.html": "text/html",
    }
    for path, media_type in expected.items():
        with urllib.request.urlopen(f"{base}/{path}", timeout=30) as response:
            assert response.headers["Content-Type"].startswith(media_type), path
            assert response.read() == (published / path).read_bytes()
