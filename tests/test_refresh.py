"""The project-local Dagster instance the CLI and `dagster dev` share."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipelines.refresh import dagster_home


def test_dagster_home_defaults_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    home = dagster_home()
    assert home == tmp_path / ".dagster"
    with dg.DagsterInstance.get() as instance:
        limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
    assert limits == [{"key": "kamerbrieven/refresh", "limit": 1}]


def test_an_existing_instance_config_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    dagster_home()
    assert (tmp_path / "dagster.yaml").read_text() == "telemetry:\n  enabled: false\n"
