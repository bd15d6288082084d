"""The project-local Dagster instance the CLI and `dagster dev` share, and check-published:
the committed release is what the refresh job makes of the committed raw folder."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.runner import check_published, dagster_home
from tests.publish.test_governance import _rename
from tests.test_cli import run_cli


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


def test_check_published_passes_when_in_step(project: Path) -> None:
    assert check_published(project / "raw", project / "published", project / "schemas") == []
    done = run_cli("check-published", cwd=project)
    assert done.returncode == 0, done.stderr


def test_check_published_fails_when_a_schema_changes(project: Path) -> None:
    path = project / "schemas" / "letters.schema.json"
    schema = json.loads(path.read_text())
    _rename(schema)
    path.write_text(json.dumps(schema))
    problems = check_published(project / "raw", project / "published", project / "schemas")
    assert problems[0] == (
        "schemas/ differs from the published schemas: major letters: fields changed "
        "(removed place; added location)"
    )
    done = run_cli("check-published", cwd=project)
    assert done.returncode == 1
    assert "out of step with the code" in done.stderr


def test_check_published_fails_when_raw_changes(project: Path) -> None:
    (project / "raw" / "new.txt").write_text(
        "Den Haag, 1 mei 2024\n\nGeachte voorzitter,\n\nTekst.\n"
    )
    problems = check_published(project / "raw", project / "published", project / "schemas")
    assert len(problems) == 1
    assert "is not what a refresh of" in problems[0] and "1.1.0" in problems[0]


def test_check_published_fails_when_data_is_tampered(project: Path) -> None:
    csv = project / "published" / "latest" / "letters.csv"
    csv.write_bytes(csv.read_bytes().replace(b"2020-07-06", b"2020-07-07"))
    problems = check_published(project / "raw", project / "published", project / "schemas")
    assert any("does not validate: hash-count" in problem for problem in problems)
