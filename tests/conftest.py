"""Shared fixtures: paths to the project's raw seeds, a throwaway Dagster instance, and the
releases built from the seeds (`tests.releases`)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
SEED_WORD = RAW / "000_bd267e4e27e61377.txt"
SEED_PDF = RAW / "004_8e7c7b581cfe5445.txt"

pytest_plugins = ["tests.releases"]


@pytest.fixture
def dagster_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh DAGSTER_HOME with Dagster's default SQLite storage, one per test."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home
