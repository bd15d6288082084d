"""The schedule and the raw-folder sensor, evaluated with Dagster's test utilities."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import dagster as dg
import pytest

from pipelines import settings
from pipelines.defs import defs
from pipelines.defs.automation import REFRESH_TAG, raw_folder_sensor, refresh_schedule
from pipelines.defs.resources import PipelinePaths
from tests.conftest import RAW


def _age(folder: Path, seconds: float) -> None:
    """Make every file and folder below `folder` look last changed `seconds` ago."""
    moment = time.time() - seconds
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (moment, moment))


def _evaluate(raw: Path, cursor: str | None):
    with dg.build_sensor_context(
        cursor=cursor, resources={"paths": PipelinePaths(raw_dir=str(raw))}, definitions=defs
    ) as context:
        result = raw_folder_sensor.evaluate_tick(context)
    return result


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    _age(folder, 3600)
    return folder


def test_sensor_fires_once_per_change(raw: Path) -> None:
    first = _evaluate(raw, None)
    assert len(first.run_requests) == 1
    assert first.run_requests[0].job_name in (None, "refresh")
    cursor = first.cursor
    assert cursor

    again = _evaluate(raw, cursor)
    assert again.run_requests == []
    assert "no change" in again.skip_message

    (raw / "new.txt").write_text("Den Haag, 1 mei 2024\n\nGeachte voorzitter,\n\nTekst.\n")
    _age(raw, 3600)
    changed = _evaluate(raw, cursor)
    assert len(changed.run_requests) == 1
    assert changed.cursor != cursor
    assert changed.run_requests[0].run_key == changed.cursor


def test_sensor_fires_when_a_file_is_removed(raw: Path) -> None:
    cursor = _evaluate(raw, None).cursor
    next(raw.iterdir()).unlink()
    _age(raw, 3600)
    result = _evaluate(raw, cursor)
    assert len(result.run_requests) == 1


def test_sensor_waits_while_the_folder_is_being_written(raw: Path) -> None:
    cursor = _evaluate(raw, None).cursor
    (raw / "copying.txt").write_text("Geachte voorzitter,\n")
    result = _evaluate(raw, cursor)
    assert result.run_requests == []
    assert "waiting until it has been quiet" in result.skip_message
    assert result.cursor in (None, cursor), "the change is not consumed until it settles"


def test_sensor_leaves_a_bucket_to_the_schedule(tmp_path: Path) -> None:
    paths = PipelinePaths(raw_dir="s3://kamerbrieven/raw", cache_dir=str(tmp_path / "cache"))
    with dg.build_sensor_context(resources={"paths": paths}, definitions=defs) as context:
        result = raw_folder_sensor.evaluate_tick(context)
    assert result.run_requests == []
    assert result.skip_message == "s3://kamerbrieven/raw is a bucket: the schedule refreshes it"


def test_schedule_runs_daily_in_amsterdam_time() -> None:
    assert refresh_schedule.cron_schedule == settings.REFRESH_CRON == "0 6 * * *"
    assert refresh_schedule.execution_timezone == "Europe/Amsterdam"
    with dg.build_schedule_context() as context:
        result = refresh_schedule.evaluate_tick(context)
    assert len(result.run_requests) == 1
    assert refresh_schedule.job_name == "harvest"  # and a refresh after it: test_harvest.py


def test_refresh_runs_carry_the_concurrency_tag() -> None:
    job = defs.resolve_job_def("refresh")
    assert job.tags[REFRESH_TAG] == "true"
