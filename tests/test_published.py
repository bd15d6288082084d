"""The committed `published/` is exactly what a refresh of the committed `raw/` produces."""

from __future__ import annotations

import shutil
from pathlib import Path

import frictionless

from pipelines.defs.runner import run_refresh
from tests.conftest import RAW, ROOT

PUBLISHED = ROOT / "published"


def test_committed_latest_release_is_valid() -> None:
    report = frictionless.validate(str(PUBLISHED / "latest" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def test_refreshing_committed_raw_changes_nothing(dagster_home: Path, tmp_path: Path) -> None:
    copy = tmp_path / "published"
    shutil.copytree(PUBLISHED, copy, ignore=shutil.ignore_patterns(".*"))
    outcome = run_refresh(RAW, copy, tmp_path / "cache")
    assert outcome.success
    assert not outcome.published, (
        "published/ is stale: run `kamerbrieven refresh` and commit published/"
    )
