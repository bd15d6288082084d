"""The Dagster refresh job, run in-process on a real (SQLite) Dagster instance."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import frictionless
import pytest

from benchmarks.corpus import generate
from pipelines.defs import defs, executor, refresh_job_definition
from pipelines.defs.runner import run_refresh
from pipelines.publish.database import database_name
from pipelines.tables.schemas import TABLES, schemas_dir
from tests.conftest import RAW
from tests.releases import stage_a_short_paragraphs_csv

NEW_LETTER = "Den Haag, 1 mei 2024\n\nGeachte voorzitter,\n\nEen nieuwe brief met tekst.\n"


def seeds_and_a_new_letter(folder: Path) -> Path:
    """`folder` holding the seed letters and one new letter."""
    shutil.copytree(RAW, folder)
    (folder / "extra.txt").write_text(NEW_LETTER)
    return folder


def latest_files(out: Path) -> dict[str, bytes]:
    """The bytes of every file of the latest release in `out`, by name."""
    return {p.name: p.read_bytes() for p in (out / "latest").iterdir()}


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def test_definitions_load() -> None:
    dg.Definitions.validate_loadable(defs)
    job = defs.resolve_job_def("refresh")
    assert job.name == "refresh"


def test_executor_is_chosen_by_setting() -> None:
    assert executor("multiprocess") is dg.multiprocess_executor
    with pytest.raises(ValueError, match="use multiprocess, k8s or celery"):
        executor("threads")


def test_refresh_publishes_a_valid_package_and_records_the_run(
    dagster_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "published"
    with dg.DagsterInstance.get() as instance:
        outcome = run_refresh(RAW, out, tmp_path / "cache", instance=instance)
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
    assert run_refresh(RAW, out, tmp_path / "cache").published
    before = latest_files(out)

    strict = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), strict)
    letters = json.loads((strict / "letters.schema.json").read_text())
    for field in letters["fields"]:  # a constraint only the table as a whole can break
        if field["name"] == "source_format":
            field["constraints"]["unique"] = True
    (strict / "letters.schema.json").write_text(json.dumps(letters))
    monkeypatch.setenv("KAMERBRIEVEN_SCHEMAS", str(strict))

    outcome = run_refresh(seeds_and_a_new_letter(tmp_path / "raw"), out, tmp_path / "cache")
    assert not outcome.success and not outcome.published
    failed = [error for error in outcome.errors if error.startswith("check schema_constraints")]
    assert len(failed) == 1 and "letters.source_format: values are not unique" in failed[0]
    assert visible(out) == ["1.0.0", "latest"]
    assert latest_files(out) == before


def test_second_refresh_without_changes_publishes_nothing(
    dagster_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "published"
    first = run_refresh(RAW, out, tmp_path / "cache")
    second = run_refresh(RAW, out, tmp_path / "cache")
    assert first.published and not second.published
    assert second.success and second.version == "1.0.0"
    assert visible(out) == ["1.0.0", "latest"]
    with dg.DagsterInstance.get() as instance:
        checks = {
            run_id: [
                event.dagster_event.event_specific_data
                for event in instance.all_logs(run_id)
                if event.dagster_event
                and event.dagster_event.event_type_value == "ASSET_CHECK_EVALUATION"
                and event.dagster_event.event_specific_data.check_name == "package_is_valid"
            ]
            for run_id in (first.run_id, second.run_id)
        }
    gate = {run_id: evaluations[0] for run_id, evaluations in checks.items()}
    assert gate[first.run_id].passed and gate[first.run_id].metadata["checked"].value is True
    assert gate[second.run_id].passed and gate[second.run_id].metadata["checked"].value is False


def _table_checks_and_comparison(run_id: str) -> tuple[list[bool], bool]:
    """Whether each table check of a run checked anything, and whether staging compared the
    build with the latest release row by row."""
    with dg.DagsterInstance.get() as instance:
        logs = instance.all_logs(run_id)
    evaluations = [
        event.dagster_event.event_specific_data
        for event in logs
        if event.dagster_event and event.dagster_event.event_type_value == "ASSET_CHECK_EVALUATION"
    ]
    checked = [
        "checked" not in evaluation.metadata
        for evaluation in evaluations
        if evaluation.check_name in ("schema_constraints", "quality_thresholds")
    ]
    [staged] = [
        event.dagster_event.event_specific_data.materialization.metadata
        for event in logs
        if event.dagster_event
        and event.dagster_event.event_type_value == "ASSET_MATERIALIZATION"
        and event.dagster_event.event_specific_data.materialization.asset_key
        == dg.AssetKey("staged_package")
    ]
    return checked, staged["compared_with_latest"].value


def test_a_refresh_of_the_latest_releases_own_tables_neither_checks_nor_compares_them(
    dagster_home: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "published", tmp_path / "cache"
    first = run_refresh(RAW, out, cache)
    second = run_refresh(RAW, out, cache)
    assert _table_checks_and_comparison(first.run_id) == ([True] * (len(TABLES) + 1), True)
    assert _table_checks_and_comparison(second.run_id) == ([False] * (len(TABLES) + 1), False)
    assert second.success and not second.published and second.version == "1.0.0"


def test_a_release_another_refresh_published_is_compared_row_by_row(
    dagster_home: Path, tmp_path: Path
) -> None:
    """Two refreshes of other raw folders publish to one output: a table cache whose rows were
    released as 1.0.0 is compared again once the latest release is another."""
    out, raw, other = tmp_path / "published", tmp_path / "raw", tmp_path / "other"
    shutil.copytree(RAW, raw)
    seeds_and_a_new_letter(other)
    assert run_refresh(raw, out, tmp_path / "cache").version == "1.0.0"
    assert run_refresh(other, out, tmp_path / "other-cache").version == "1.1.0"
    again = run_refresh(raw, out, tmp_path / "cache")
    assert (again.parsed, again.reused) == (0, 2)
    assert again.published and again.version == "1.2.0" and again.letters == 2
    assert _table_checks_and_comparison(again.run_id)[1] is True


def test_changed_input_publishes_the_next_version(dagster_home: Path, tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "published"
    shutil.copytree(RAW, raw)
    assert run_refresh(raw, out, tmp_path / "cache").version == "1.0.0"
    (raw / "extra.txt").write_text(NEW_LETTER)
    outcome = run_refresh(raw, out, tmp_path / "cache")
    assert outcome.published and outcome.version == "1.1.0"
    assert outcome.letters == 3
    latest = json.loads((out / "latest" / "datapackage.json").read_text())
    assert latest["version"] == "1.1.0"
    old = json.loads((out / "1.0.0" / "datapackage.json").read_text())
    assert old["version"] == "1.0.0"


def test_incremental_refresh_parses_only_what_changed(dagster_home: Path, tmp_path: Path) -> None:
    raw, out, cache = tmp_path / "raw", tmp_path / "published", tmp_path / "cache"
    shutil.copytree(RAW, raw)
    first = run_refresh(raw, out, cache)
    assert (first.parsed, first.reused, first.removed) == (2, 0, 0)

    (raw / "extra.txt").write_text(NEW_LETTER)
    added = run_refresh(raw, out, cache)
    assert (added.parsed, added.reused, added.removed) == (1, 2, 0)
    assert added.letters == 3 and added.version == "1.1.0"

    (raw / "extra.txt").unlink()
    removed = run_refresh(raw, out, cache)
    assert (removed.parsed, removed.reused, removed.removed) == (0, 2, 1)
    assert removed.letters == 2 and removed.published and removed.version == "1.2.0"
    for name in ("letters.csv", "paragraphs.parquet", "references.csv"):
        assert (out / "latest" / name).read_bytes() == (out / "1.0.0" / name).read_bytes()


def test_incremental_refresh_publishes_the_bytes_a_full_refresh_does(
    dagster_home: Path, tmp_path: Path
) -> None:
    """Rows kept from the previous build land exactly where a full rebuild puts them."""
    raw, out, cache = tmp_path / "raw", tmp_path / "published", tmp_path / "cache"
    generate(raw, 12, seed=5)
    run_refresh(raw, out, cache)
    generate(raw, 1, seed=5, start=12)
    (sorted(raw.iterdir())[3]).unlink()
    incremental = run_refresh(raw, out, cache)
    assert (incremental.parsed, incremental.reused) == (1, 11)
    full = run_refresh(raw, tmp_path / "full", tmp_path / "full-cache")
    assert full.parsed == 12
    for name in [table + suffix for table in TABLES for suffix in (".parquet", ".csv")]:
        published = (out / "latest" / name).read_bytes()
        assert published == (tmp_path / "full" / "latest" / name).read_bytes(), name
    database = (out / "latest" / database_name(incremental.version)).read_bytes()
    assert database == (tmp_path / "full" / "latest" / database_name(full.version)).read_bytes()


def test_parse_metadata_is_recorded_in_the_instance(dagster_home: Path, tmp_path: Path) -> None:
    with dg.DagsterInstance.get() as instance:
        run_refresh(RAW, tmp_path / "out", tmp_path / "cache", instance=instance)
        event = instance.get_latest_materialization_event(dg.AssetKey("parsed_letters"))
        metadata = event.asset_materialization.metadata
        assert {k: metadata[k].value for k in ("parsed", "reused", "rejected", "removed")} == {
            "parsed": 2,
            "reused": 0,
            "rejected": 0,
            "removed": 0,
        }
        letters = instance.get_latest_materialization_event(dg.AssetKey("letters"))
        assert letters.asset_materialization.metadata["dagster/row_count"].value == 2


def test_quality_gate_failure_blocks_publishing(
    dagster_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipelines.settings.MIN_SHARE_WITH_DATE", 0.9)
    monkeypatch.setattr("pipelines.settings.GATE_MIN_LETTERS", 1)
    outcome = run_refresh(RAW, tmp_path / "out", tmp_path / "cache")
    assert not outcome.success
    assert outcome.errors[0] == (
        "check quality_thresholds on letters failed: share with a date: 0.5 is below 0.9, the "
        "minimum KAMERBRIEVEN_MIN_SHARE_WITH_DATE; without a date: doc-1f03854c2146ca53 "
        "(000_bd267e4e27e61377.txt)"
    )
    assert not (tmp_path / "out" / "latest").exists()


def test_a_fall_in_letters_blocks_publishing_unless_meant(
    dagster_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, out, cache = tmp_path / "raw", tmp_path / "out", tmp_path / "cache"
    generate(raw, 60, seed=2)
    assert run_refresh(raw, out, cache).version == "1.0.0"
    removed = sorted(raw.iterdir())[:20]
    for path in removed:
        path.unlink()
    fallen = run_refresh(raw, out, cache)
    assert not fallen.success and fallen.letters == 40
    error = fallen.errors[0]
    assert error.startswith(
        "check quality_thresholds on letters failed: letter count: 40 is below 45, 60 in release "
        "1.0.0 less KAMERBRIEVEN_MAX_LETTER_DROP (0.25); set it to 1 to publish a deliberate "
        "removal; removed since 1.0.0: "
    )
    assert error.endswith(" and 10 more")
    assert sum(f"({path.name})" in error for path in removed) == 10
    assert json.loads((out / "latest" / "datapackage.json").read_text())["version"] == "1.0.0"

    monkeypatch.setattr("pipelines.settings.MAX_LETTER_DROP", 1.0)
    meant = run_refresh(raw, out, cache)
    assert (meant.published, meant.version, meant.letters) == (True, "1.1.0", 40)


def test_a_build_without_letters_never_replaces_a_release(
    dagster_home: Path, tmp_path: Path
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW, raw)
    assert run_refresh(raw, out, tmp_path / "cache").published
    for path in raw.iterdir():
        path.write_bytes(b"")
    outcome = run_refresh(raw, out, tmp_path / "cache")
    assert not outcome.success and outcome.letters == 0 and len(outcome.rejections) == 2
    assert any("quality_thresholds" in error for error in outcome.errors)
    assert json.loads((out / "latest" / "datapackage.json").read_text())["version"] == "1.0.0"


def test_multiprocess_executor_runs_the_job(dagster_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_config = {
        "resources": {
            "paths": {
                "config": {
                    "raw_dir": str(RAW),
                    "out_dir": str(out),
                    "cache_dir": str(tmp_path / "cache"),
                }
            }
        }
    }
    with dg.DagsterInstance.get() as instance:
        result = dg.execute_job(
            dg.reconstructable(refresh_job_definition), instance=instance, run_config=run_config
        )
        assert result.success
        events = instance.all_logs(result.run_id)
        assert any(
            e.is_dagster_event and e.dagster_event.event_type_value == "STEP_WORKER_STARTED"
            for e in events
        ), "each step ran in its own worker process"
    report = frictionless.validate(str(out / "latest" / "datapackage.json"))
    assert report.valid


def test_a_package_that_fails_its_check_is_not_published(
    dagster_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "published"
    assert run_refresh(RAW, out, tmp_path / "cache").published
    before = latest_files(out)
    stage_a_short_paragraphs_csv(monkeypatch)
    outcome = run_refresh(seeds_and_a_new_letter(tmp_path / "raw"), out, tmp_path / "cache")
    assert not outcome.success and not outcome.published
    check, step = outcome.errors
    assert check.startswith(
        "check package_is_valid on staged_package failed: checked: true; errors: 4; "
        'first_errors: ["paragraphs-csv: row-count: expected is \\"22\\" and actual is \\"21\\"'
    )
    assert check.endswith('"paragraphs-csv: 21 rows, not 22"]')
    assert step.endswith(
        "1 blocking asset check failed with ERROR severity:\nstaged_package: package_is_valid"
    )
    assert visible(out) == ["1.0.0", "latest"]
    assert latest_files(out) == before
