"""The harvest in Dagster: the `harvested_raw` asset run on a real (SQLite) instance against the
fake services, the refresh that follows every harvest run, and the daily schedule."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dagster as dg
import pytest

from pipelines import settings
from pipelines.defs import defs
from pipelines.defs.automation import (
    HARVEST_RUN_TAG,
    daily_schedule,
    raw_folder_sensor,
    refresh_after_failed_harvest,
    refresh_after_harvest,
    refresh_schedule,
)
from pipelines.defs.resources import PipelinePaths
from pipelines.ingest.watch import raw_state
from pipelines.util import exclusive
from tests.formats.sample_letter import render_koop_xml
from tests.harvest.fakes import FakeServices, Status
from tests.harvest.test_run import METADATA, letter, number

if TYPE_CHECKING:
    from dagster._core.definitions.sensor_definition import SensorExecutionData

DEAD_TK = "http://127.0.0.1:9/OData/v4/2.0/"
"""Nothing listens on the discard port: every connection is refused at once."""
QUICK = {"retries": 1, "backoff": 0.01, "max_wait": 0.05, "read_timeout": 2.0}
"""One quick retry, given through the `harvest_http` resource as an operator would."""


@pytest.fixture
def fake() -> Iterator[FakeServices]:
    with FakeServices() as services:
        for n in range(3):
            services.add_document(number(n), letter(n), datum=f"2024-09-1{n}")
        services.add_publication("kst-36600-1", render_koop_xml(), METADATA, modified="2024-09-12")
        yield services


@pytest.fixture
def instance(dagster_home: Path) -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.get() as instance:
        yield instance


def run_harvest(
    instance: dg.DagsterInstance, raw: str | Path, **config: Any
) -> dg.ExecuteInProcessResult:
    """The `harvest` job of the code location, as the schedule starts it, on `instance`."""
    config.setdefault("since", "2024-09-01")
    run_config = {
        "ops": {"harvested_raw": {"config": config}},
        "resources": {
            "paths": {"config": {"raw_dir": str(raw)}},
            "harvest_http": {"config": QUICK},
        },
    }
    return defs.resolve_job_def("harvest").execute_in_process(
        run_config=run_config, instance=instance, raise_on_error=False
    )


def materialized(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
    [materialization] = result.asset_materializations_for_node("harvested_raw")
    return {key: entry.value for key, entry in materialization.metadata.items()}


def step_failure(result: dg.ExecuteInProcessResult) -> tuple[str, dict[str, dg.MetadataValue]]:
    """The description and metadata of the `dg.Failure` the failed step raised."""
    [event] = [event for event in result.all_events if event.is_step_failure]
    failure = event.step_failure_data.user_failure_data
    return failure.description, failure.metadata


def test_harvest_fills_the_raw_folder_and_records_counts(
    instance: dg.DagsterInstance, fake: FakeServices, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    result = run_harvest(instance, raw, tk_url=fake.tk_url, koop_url=fake.koop_url)
    assert result.success
    assert sorted(
        path.relative_to(raw).as_posix()
        for path in raw.rglob("*")
        if path.is_file() and ".harvest" not in path.parts
    ) == sorted(
        [f"tk/{number(n)}.docx" for n in range(3)]
        + [f"tk/{number(n)}.tk.json" for n in range(3)]
        + ["koop/kst-36600-1.xml", "koop/kst-36600-1.metadata.xml"]
    )
    metadata = materialized(result)
    assert {key: metadata[key] for key in ("new", "changed", "withdrawn", "unchanged")} == {
        "new": 4,
        "changed": 0,
        "withdrawn": 0,
        "unchanged": 0,
    }
    assert metadata["failed"] == [] and metadata["unreachable"] == {}
    assert metadata["cursors"]["koop"] == "2024-09-12" and metadata["cursors"]["tk"]
    assert metadata["requests"] > 0 and metadata["bytes"] > 0
    assert metadata["summary"].startswith("Harvested: 4 new, 0 changed, 0 withdrawn, 0 failed")
    event = instance.get_latest_materialization_event(dg.AssetKey("harvested_raw"))
    assert event.asset_materialization.metadata["new"] == dg.MetadataValue.int(4)

    fake.withdraw_document(number(1))
    again = materialized(run_harvest(instance, raw, tk_url=fake.tk_url, koop_url=fake.koop_url))
    assert (again["new"], again["withdrawn"], again["unchanged"]) == (0, 1, 3)
    assert not (raw / "tk" / f"{number(1)}.docx").exists()


def test_a_failed_document_is_listed_and_the_harvest_succeeds(
    instance: dg.DagsterInstance, fake: FakeServices, tmp_path: Path
) -> None:
    fake.inject(Status(500), match=f"Document({fake.document_id(number(1))})/resource", times=100)
    result = run_harvest(instance, tmp_path / "raw", tk_url=fake.tk_url, koop_url=fake.koop_url)
    assert result.success
    metadata = materialized(result)
    assert metadata["failed"] == [f"tk:{number(1)}"] and metadata["new"] == 3
    warnings = [
        entry.user_message
        for entry in instance.all_logs(result.run_id)
        if entry.level == logging.WARNING and number(1) in entry.user_message
    ]
    assert len(warnings) == 1 and "the next harvest tries it again" in warnings[0]


def test_an_unreachable_source_fails_the_run_naming_it(
    instance: dg.DagsterInstance, fake: FakeServices, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    result = run_harvest(instance, raw, tk_url=DEAD_TK, koop_url=fake.koop_url)
    assert not result.success
    assert instance.get_run_by_id(result.run_id).status == dg.DagsterRunStatus.FAILURE
    description, metadata = step_failure(result)
    assert description.startswith(f"source tk not reachable: {DEAD_TK}")
    assert "no answer after retries" in description
    assert "the refresh after this run publishes what the raw folder holds" in description
    assert metadata["new"] == dg.MetadataValue.int(1)  # KOOP answered, and what it gave is kept
    assert (raw / "koop" / "kst-36600-1.xml").read_bytes() == render_koop_xml()
    assert instance.get_latest_materialization_event(dg.AssetKey("harvested_raw")) is None


def test_a_harvest_already_running_fails_the_run_saying_so(
    instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    with exclusive(raw / ".harvest" / "lock", "harvest of this raw folder"):
        result = run_harvest(instance, raw, tk_url=DEAD_TK, koop_url=DEAD_TK)
    assert not result.success
    description, _ = step_failure(result)
    assert description.startswith("another harvest of this raw folder is running (pid ")
    assert description.endswith("; not starting a second one")


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        ({"sources": ["tk", "rss"]}, "unknown harvest source rss: use tk and/or koop"),
        ({"since": "1 september"}, "since '1 september' is not a date (YYYY-MM-DD)"),
        ({"limit": 0}, "limit must be at least 1"),
    ],
)
def test_config_that_makes_no_sense_fails_before_any_request(
    instance: dg.DagsterInstance, tmp_path: Path, config: dict[str, Any], reason: str
) -> None:
    result = run_harvest(instance, tmp_path / "raw", tk_url=DEAD_TK, koop_url=DEAD_TK, **config)
    assert not result.success
    assert step_failure(result)[0] == reason
    assert not (tmp_path / "raw").exists()


def test_nothing_is_harvested_into_a_bucket(instance: dg.DagsterInstance) -> None:
    result = run_harvest(instance, "s3://kamerbrieven/raw", tk_url=DEAD_TK, koop_url=DEAD_TK)
    assert result.success, "no request was made: the dead services would have failed it"
    assert materialized(result) == {
        "skipped": "s3://kamerbrieven/raw is a bucket: harvest into a folder and upload it"
    }


def test_no_sources_turn_harvesting_off(instance: dg.DagsterInstance, tmp_path: Path) -> None:
    result = run_harvest(instance, tmp_path / "raw", sources=[], tk_url=DEAD_TK)
    assert result.success
    assert materialized(result) == {"skipped": "no sources: harvesting is off"}
    assert not (tmp_path / "raw").exists()


def _sensor_context(
    instance: dg.DagsterInstance, result: dg.ExecuteInProcessResult, sensor: str
) -> dg.RunStatusSensorContext:
    run = instance.get_run_by_id(result.run_id)
    status = dg.DagsterEventType.RUN_SUCCESS if result.success else dg.DagsterEventType.RUN_FAILURE
    [event] = instance.all_logs(result.run_id, of_type=status)
    return dg.build_run_status_sensor_context(
        sensor_name=sensor,
        dagster_event=event.dagster_event,
        dagster_instance=instance,
        dagster_run=run,
    )


def test_a_refresh_follows_every_harvest_run(
    instance: dg.DagsterInstance, fake: FakeServices, tmp_path: Path
) -> None:
    for sensor in (refresh_after_harvest, refresh_after_failed_harvest):
        assert sensor.job_name == "refresh"
        assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    succeeded = run_harvest(instance, tmp_path / "a", tk_url=fake.tk_url, koop_url=fake.koop_url)
    failed = run_harvest(instance, tmp_path / "b", tk_url=DEAD_TK, koop_url=fake.koop_url)
    assert succeeded.success and not failed.success
    refresh = defs.resolve_job_def("refresh")

    for result, sensor, raw in (
        (succeeded, refresh_after_harvest, tmp_path / "a"),
        (failed, refresh_after_failed_harvest, tmp_path / "b"),
    ):
        context = _sensor_context(instance, result, sensor.name)
        if sensor is refresh_after_failed_harvest:
            context = context.for_run_failure()
        request = sensor(context)
        assert request.run_key == f"after-harvest-{result.run_id}"
        assert request.tags == {HARVEST_RUN_TAG: result.run_id}
        # the refresh works on the raw folder the harvest filled
        assert request.run_config == {"resources": {"paths": {"config": {"raw_dir": str(raw)}}}}
        assert dg.validate_run_config(refresh, request.run_config)


def test_the_refresh_job_never_harvests() -> None:
    refresh = defs.resolve_job_def("refresh")
    assert dg.AssetKey("harvested_raw") not in refresh.asset_layer.executable_asset_keys
    assert {dg.AssetKey("parsed_letters"), dg.AssetKey("published_package")} <= (
        refresh.asset_layer.executable_asset_keys
    )
    checks = {key.name for key in refresh.asset_layer.asset_graph.asset_check_keys}
    assert checks == {"schema_constraints", "quality_thresholds", "package_is_valid"}
    harvest = defs.resolve_job_def("harvest")
    assert harvest.asset_layer.executable_asset_keys == {dg.AssetKey("harvested_raw")}
    graph = defs.resolve_asset_graph()
    assert dg.AssetKey("harvested_raw") in graph.get(dg.AssetKey("parsed_letters")).parent_keys


def test_the_daily_schedule_harvests_unless_harvesting_is_off() -> None:
    assert settings.HARVEST_SOURCES == ("tk", "koop")
    assert refresh_schedule.job_name == "harvest"
    assert refresh_schedule.name == "scheduled_refresh"
    assert daily_schedule(("tk",)).job_name == "harvest"
    off = daily_schedule(())
    assert off.job_name == "refresh" and off.name == "scheduled_refresh"
    assert "harvesting is off" in off.description
    for schedule in (refresh_schedule, off):
        assert schedule.cron_schedule == settings.REFRESH_CRON
        assert schedule.execution_timezone == settings.TIMEZONE
        assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING


def test_harvest_state_does_not_wake_the_raw_folder_sensor(
    fake: FakeServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The harvest rewrites `.harvest/state.json` on every run; only letters it stores are a
    change the raw-folder sensor refreshes for."""
    monkeypatch.setattr("pipelines.settings.DEBOUNCE_SECONDS", 0.0)
    raw = tmp_path / "raw"
    paths = PipelinePaths(raw_dir=str(raw))

    def evaluate(cursor: str | None) -> SensorExecutionData:
        with dg.build_sensor_context(cursor=cursor, resources={"paths": paths}) as context:
            return raw_folder_sensor.evaluate_tick(context)

    harvest = {"tk_url": fake.tk_url, "koop_url": fake.koop_url}
    with dg.DagsterInstance.ephemeral() as instance:
        assert run_harvest(instance, raw, **harvest).success
        cursor = evaluate(None).cursor
        state = raw / ".harvest" / "state.json"
        os.utime(state, (0, 0))
        before = raw_state(raw)

        assert run_harvest(instance, raw, **harvest).success  # nothing new at the sources
        assert state.stat().st_mtime > 0, "the state was written again"
        assert raw_state(raw).fingerprint == before.fingerprint
        quiet = evaluate(cursor)
        assert quiet.run_requests == [] and "no change" in quiet.skip_message

        fake.add_document(number(7), letter(7), datum="2024-09-17")
        assert run_harvest(instance, raw, **harvest).success
        assert len(evaluate(cursor).run_requests) == 1
