"""The Dagster refresh job, run in-process on a real (SQLite) Dagster instance."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import frictionless
import pytest

from pipelines.defs import defs
from pipelines.refresh import run_refresh
from pipelines.schemas import schemas_dir
from tests.conftest import RAW


def test_definitions_load() -> None:
    dg.Definitions.validate_loadable(defs)
    job = defs.resolve_job_def("refresh")
    assert job.name == "refresh"


def test_refresh_publishes_a_valid_package_and_records_the_run(
    dagster_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "published"
    with dg.DagsterInstance.get() as instance:
        outcome = run_refresh(RAW, out, instance=instance)
        assert outcome.success and outcome.published
        assert outcome.version == "1.0.0"
        assert outcome.letters == 2 and outcome.rejections == []
        runs = instance.get_runs()
        assert [run.run_id for run in runs] == [outcome.run_id]
        assert runs[0].job_name == "refresh"
        materialized = instance.get_latest_materialization_event(dg.AssetKey("published_package"))
        assert materialized is not None
    for folder in (out / "1.0.0", out / "latest"):
        report = frictionless.validate(str(folder / "datapackage.json"))
        assert report.valid, report.flatten(["type", "note"])
    assert not (out / ".staging").exists()


def test_failing_check_blocks_publishing_and_keeps_the_release(
    dagster_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "published"
    assert run_refresh(RAW, out).published
    before = {p.name: p.read_bytes() for p in (out / "latest").iterdir()}

    strict = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), strict)
    letters = json.loads((strict / "letters.schema.json").read_text())
    for field in letters["fields"]:
        if field["name"] == "word_count":
            field["constraints"]["maximum"] = 10
    (strict / "letters.schema.json").write_text(json.dumps(letters))
    monkeypatch.setenv("KAMERBRIEVEN_SCHEMAS", str(strict))

    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / "extra.txt").write_text("Geachte voorzitter,\n\nEen nieuwe brief met tekst.\n")
    outcome = run_refresh(raw, out)
    assert not outcome.success and not outcome.published
    assert any("package_is_valid" in error for error in outcome.errors)
    assert sorted(p.name for p in out.iterdir()) == [".staging", "1.0.0", "latest"]
    after = {p.name: p.read_bytes() for p in (out / "latest").iterdir()}
    assert after == before


def test_second_refresh_without_changes_publishes_nothing(
    dagster_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "published"
    first = run_refresh(RAW, out)
    second = run_refresh(RAW, out)
    assert first.published and not second.published
    assert second.success and second.version == "1.0.0"
    assert sorted(p.name for p in out.iterdir()) == ["1.0.0", "latest"]


def test_changed_input_publishes_the_next_version(dagster_home: Path, tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "published"
    shutil.copytree(RAW, raw)
    assert run_refresh(raw, out).version == "1.0.0"
    (raw / "extra.txt").write_text("Geachte voorzitter,\n\nEen nieuwe brief met tekst.\n")
    outcome = run_refresh(raw, out)
    assert outcome.published and outcome.version == "1.1.0"
    assert outcome.letters == 3
    latest = json.loads((out / "latest" / "datapackage.json").read_text())
    assert latest["version"] == "1.1.0"
    old = json.loads((out / "1.0.0" / "datapackage.json").read_text())
    assert old["version"] == "1.0.0"
