"""Releases built from the seed letters, shared by the publishing tests."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipelines.access.serve import make_server
from pipelines.ingest.run import ingest
from pipelines.publish import release
from pipelines.publish.package import validate_package
from pipelines.publish.release import StagedRelease, clean_staging, promote, stage
from pipelines.tables.rows import build_tables
from pipelines.tables.schemas import schemas_dir
from tests.conftest import RAW

CHANGED_LETTER = "kst-33783-46"


def publish(tables: dict[str, pa.Table], out: Path) -> StagedRelease:
    """Stage, validate and promote as the Dagster job does; unchanged builds are dropped."""
    clean_staging(out)
    staged = stage(tables, out)
    report = validate_package(Path(staged.path))
    assert report.valid, report.flatten(["type", "note"])
    if staged.unchanged:
        clean_staging(out)
    else:
        promote(staged, out)
    return staged


def with_subject(tables: dict[str, pa.Table], letter_id: str, subject: str) -> dict[str, pa.Table]:
    """`tables` with a corrected subject for one letter: the smallest real change."""
    letters = tables["letters"]
    index = letters.schema.get_field_index("subject")
    matches = pc.equal(letters.column("letter_id"), letter_id)
    column = pc.if_else(matches, subject, letters.column("subject"))
    return {**tables, "letters": letters.set_column(index, letters.field(index), column)}


def stage_a_short_paragraphs_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    """Staging writes a paragraphs.csv one row short of its Parquet twin from now on."""
    write_tables = release.write_tables

    def short(tables, folder: Path):
        resources = write_tables(tables, folder)
        csv = folder / "paragraphs.csv"
        csv.write_bytes(csv.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[0] + b"\n")
        return resources

    monkeypatch.setattr(release, "write_tables", short)


@pytest.fixture(scope="session")
def seed_tables() -> dict[str, pa.Table]:
    return build_tables(ingest(RAW).letters)


@pytest.fixture(scope="session")
def published(seed_tables, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published folder with two releases: the seeds, then one corrected subject."""
    out = tmp_path_factory.mktemp("published")
    publish(seed_tables, out)
    publish(with_subject(seed_tables, CHANGED_LETTER, "Corrected subject"), out)
    return out


@pytest.fixture
def serve_folder() -> Iterator:
    """Start a real HTTP server on 127.0.0.1 for a folder; yields a function giving its URL."""
    servers = []

    def start(folder: Path) -> str:
        server = make_server(folder, port=0, quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of raw/ and schemas/ with a release built from them, as a fresh checkout has."""
    shutil.copytree(RAW, tmp_path / "raw")
    shutil.copytree(schemas_dir(), tmp_path / "schemas")
    published = tmp_path / "published"
    promote(stage(build_tables(ingest(RAW).letters), published), published)
    return tmp_path
