"""`kamerbrieven explore`: the release's database in Datasette, searched in headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pipelines.access.explore import QUERIES, datasette_metadata
from pipelines.tables.schemas import TABLES, table_schema
from tests.publish.test_site import CHROMIUM, dump_dom

SEED_WITHOUT_HEADER = "doc-1f03854c2146ca53"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def _database_path(base: str) -> str:
    """The URL path of the one database served (Datasette escapes its dots: `~2E`)."""
    [database] = _get_json(f"{base}/.json").values()
    return base + database["path"]


def _start_explore(published: Path) -> tuple[subprocess.Popen, str]:
    """`kamerbrieven explore` on the seed releases, started as a user starts it, once it
    answers; with its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "pipelines.cli", "explore", "--dir", str(published),
               "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            _get_json(f"{base}/-/databases.json")
            return process, base
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    pytest.fail(f"explore did not start: {process.stderr.read().decode()[-2000:]}")


@pytest.fixture
def explorer(published: Path) -> str:
    process, base = _start_explore(published)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_stopping_explore_stops_its_server(published: Path) -> None:
    """A terminated `kamerbrieven explore` (a closed terminal, a service manager) takes its
    Datasette server with it instead of leaving it serving."""
    process, base = _start_explore(published)
    process.terminate()
    assert process.wait(timeout=30) == 0
    assert "Stopped." in process.stderr.read().decode()
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        _get_json(f"{base}/-/databases.json")


def test_the_metadata_describes_every_table_and_column() -> None:
    metadata = datasette_metadata("1.0.1")
    tables = metadata["databases"]["kamerbrieven-1.0.1"]["tables"]
    assert list(tables) == list(TABLES)
    for table in TABLES:
        schema = table_schema(table)
        assert tables[table]["description"] == schema["description"]
        assert tables[table]["columns"] == {f["name"]: f["description"] for f in schema["fields"]}
    assert tables["letters"]["fts_table"] == "letters_search"
    assert metadata["license"] == "CC0 1.0 Universal"


def test_explore_serves_the_latest_release_with_its_queries(explorer: str) -> None:
    [database] = _get_json(f"{explorer}/-/databases.json")
    assert (database["name"], database["is_mutable"]) == ("kamerbrieven-1.0.1", False)
    path = _database_path(explorer)
    found = _get_json(f"{path}/letters.json?_search=REELE&_shape=array")
    assert [row["letter_id"] for row in found] == [SEED_WITHOUT_HEADER]
    for name in QUERIES:
        rows = _get_json(f"{path}/{name}.json?_shape=array&dossier=33783")
        assert isinstance(rows, list), name
    dossier = _get_json(f"{path}/dossier_letters.json?_shape=array&dossier=33783")
    assert [row["letter_id"] for row in dossier] == ["kst-33783-46"]


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it)",
)
def test_a_search_result_page_in_chromium(explorer: str, tmp_path: Path) -> None:
    assert CHROMIUM and shutil.which("chromium")
    dom = dump_dom(f"{_database_path(explorer)}/letters?_search=reele", tmp_path / "profile")
    assert SEED_WITHOUT_HEADER in dom
    assert "1 row where search matches" in dom, "only the letter that prints reële"
    assert table_schema("letters")["description"][:60] in dom.replace("&#39;", "'")
