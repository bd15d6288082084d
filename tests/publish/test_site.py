"""The catalog page in real headless Chromium, served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipelines.publish.catalog import build_catalog
from pipelines.publish.site import render_index

CHROMIUM = shutil.which("chromium")


class _Page(HTMLParser):
    """The links, element ids and text of a page, as Chromium serialized its DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if values.get("id"):
            self.ids.add(values["id"])

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def dump_dom(url: str, profile: Path) -> str:
    """The DOM of `url` after Chromium loaded it, with every network extra switched off."""
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it)",
)
def test_catalog_page_in_chromium(published: Path, serve_folder, tmp_path: Path) -> None:
    assert CHROMIUM, "CI must have chromium: .ci/run installs the Debian package"
    base = serve_folder(published)
    page_url = f"{base}/index.html"
    dom = dump_dom(page_url, tmp_path / "profile")
    page = _Page()
    page.feed(dom)
    text = " ".join(page.text)
    catalog = json.loads((published / "catalog.json").read_text())

    assert "Kamerbrieven: letters from the Dutch government" in text
    assert {"latest-version", "v1.0.1", "v1.0.0"} <= page.ids
    descriptor = json.loads((published / "latest" / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if resource["format"] != "parquet":
            continue
        assert f"table-{resource['name']}" in page.ids
        for field in resource["schema"]["fields"]:
            assert field["name"] in text
    assert "Corrected subject" in text, "the preview shows the newest rows"
    assert "citation" in page.ids
    assert descriptor["citation"] in " ".join(text.split()), "the suggested citation is shown"

    local = [urllib.parse.urljoin(page_url, href) for href in page.links]
    local = [url for url in local if url.startswith(base)]
    kinds = ("kamerbrieven-1.0.1.zip", "letters.parquet", "letters.csv", "datapackage.json",
             "1.0.1/CITATION.cff", "1.0.1/kamerbrieven-1.0.1.sqlite")  # fmt: skip
    for kind in kinds:
        assert any(url.endswith(kind) for url in local), kind
    for url in sorted(set(local)):
        status, _ = _get(url)
        assert status == 200, url

    newest = catalog["versions"][0]
    zip_url = next(url for url in local if url.endswith(newest["zip"]["path"]))
    status, body = _get(zip_url)
    assert hashlib.sha256(body).hexdigest() == newest["zip"]["sha256"]
    assert len(body) == newest["zip"]["bytes"]
    parquet = next(f for f in newest["files"] if f["path"].endswith("/letters.parquet"))
    status, body = _get(next(url for url in local if url.endswith(parquet["path"])))
    assert hashlib.sha256(body).hexdigest() == parquet["sha256"]


def test_page_is_deterministic_and_static(published: Path) -> None:
    html = (published / "index.html").read_text()
    assert render_index(published, build_catalog(published)) == html
    assert "<script" not in html
    assert 'href="http://127.0.0.1' not in html and 'href="/' not in html, "links are relative"
