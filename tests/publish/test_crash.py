"""A refresh killed at any moment of publishing leaves the previous release complete and valid.

The in-process test stops promotion before each of its filesystem changes in turn (the point a
kill would hit); the subprocess test sends SIGKILL to a real `kamerbrieven refresh`. After
either, `latest/` must validate and be one whole release, and the next run must recover.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.publish import atomic, release
from pipelines.publish.catalog import released_versions
from pipelines.publish.package import validate_package
from pipelines.publish.release import LATEST, STAGING, promote, recover, stage
from tests.conftest import RAW
from tests.releases import CHANGED_LETTER, publish, with_subject


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so no cleanup code catches it."""


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _releases(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if not p.name.startswith(".") and p.is_dir())


@pytest.fixture(scope="module")
def before_and_after(seed_tables, tmp_path_factory: pytest.TempPathFactory):
    """The seeds published as 1.0.0, and the bytes of latest/ before and after a correction."""
    out = tmp_path_factory.mktemp("reference")
    publish(seed_tables, out)
    old = _snapshot(out / LATEST)
    changed = with_subject(seed_tables, CHANGED_LETTER, "Corrected subject")
    publish(changed, out)
    return seed_tables, changed, old, _snapshot(out / LATEST)


def _count_steps(monkeypatch: pytest.MonkeyPatch, stop_at: int | None) -> list[str]:
    """Wrap every filesystem change promotion makes; raise Killed before change `stop_at`."""
    steps: list[str] = []

    def wrap(module, name: str) -> None:
        original = getattr(module, name)

        def step(*args, **kwargs):
            if stop_at is not None and len(steps) == stop_at:
                raise Killed(f"{name} #{stop_at}")
            steps.append(name)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, step)

    wrap(release.os, "replace")
    wrap(release.shutil, "copytree")
    wrap(release.shutil, "rmtree")
    wrap(atomic, "exchange")
    wrap(release, "write_atomic")
    return steps


def test_every_interruption_of_promotion_is_recovered(
    before_and_after, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_tables, changed, old, new = before_and_after
    base = tmp_path / "base"
    publish(seed_tables, base)
    out = tmp_path / "uninterrupted"
    shutil.copytree(base, out)
    staged = stage(changed, out)
    with monkeypatch.context() as patch:
        steps = _count_steps(patch, None)
        promote(staged, out)
    total = len(steps)
    new_version = release.read_latest(out)["version"]
    assert total >= 4, steps

    for stop_at in range(total):
        out = tmp_path / f"killed-{stop_at}"
        shutil.copytree(base, out, ignore=shutil.ignore_patterns(STAGING))
        staged = stage(changed, out)
        with monkeypatch.context() as patch, pytest.raises(Killed):
            _count_steps(patch, stop_at)
            promote(staged, out)
        assert (out / LATEST).is_dir(), f"latest/ missing after a kill at step {stop_at}"
        assert _snapshot(out / LATEST) in (old, new), f"latest/ is mixed after step {stop_at}"
        assert validate_package(out / LATEST).valid

        recover(out)
        assert not (out / STAGING).exists()
        catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
        assert [entry["version"] for entry in catalog["versions"]] == released_versions(out), (
            f"the catalog does not list the releases there after step {stop_at}"
        )
        latest_version = release.read_latest(out)["version"]
        assert latest_version in _releases(out)
        assert all(version <= latest_version for version in _releases(out) if version != LATEST), (
            f"an unfinished release survived step {stop_at}"
        )
        assert validate_package(out / LATEST).valid
        publish(changed, out)
        assert _snapshot(out / LATEST) == new
        assert release.read_latest(out)["version"] == new_version


def _refresh(raw: Path, out: Path, cwd: Path) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "refresh", "--raw", str(raw), "--out", str(out)],
        cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.parametrize("delay", [2.5, 3.25, 4.0, 4.75])
def test_sigkill_during_refresh_keeps_a_valid_release(delay: float, tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW, raw)
    first = _refresh(raw, out, tmp_path)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    old = _snapshot(out / LATEST)
    (raw / "new.txt").write_text("Den Haag, 1 mei 2024\n\nGeachte voorzitter,\n\nEen brief.\n")

    victim = _refresh(raw, out, tmp_path)
    time.sleep(delay)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=60)
    assert validate_package(out / LATEST).valid
    killed = _snapshot(out / LATEST)

    again = _refresh(raw, out, tmp_path)
    assert again.wait(timeout=300) == 0, again.stderr.read()
    new = _snapshot(out / LATEST)
    assert killed in (old, new)
    assert new != old
    assert release.read_latest(out)["version"] == "1.1.0"
    assert not (out / STAGING).exists()
