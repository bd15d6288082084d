"""A harvest killed at any moment and run again ends with exactly the files an uninterrupted
harvest gives, and its cursor is never ahead of a document it did not store."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.formats.sample_letter import render_koop_xml
from tests.harvest.fakes import FakeServices, Slow
from tests.harvest.test_run import METADATA, letter, number, snapshot

DOCUMENTS = 24


def _command(fake: FakeServices, raw: Path) -> list[str]:
    return [
        sys.executable, "-m", "pipelines.cli", "harvest", "--raw", str(raw),
        "--since", "2024-09-01", "--tk-url", fake.tk_url, "--koop-url", fake.koop_url,
    ]  # fmt: skip


def _env() -> dict[str, str]:
    return {**os.environ, "KAMERBRIEVEN_HARVEST_BACKOFF": "0.01", "KAMERBRIEVEN_HARVEST_MAX_WAIT":
            "0.05", "KAMERBRIEVEN_HARVEST_IN_FLIGHT": "3"}  # fmt: skip


def _cursor_is_behind_every_missing_document(fake: FakeServices, raw: Path) -> None:
    state = json.loads((raw / ".harvest" / "state.json").read_text())
    cursor = state.get("tk", {}).get("cursor")
    if cursor is None:
        return
    stored = {p.name.removesuffix(".tk.json") for p in (raw / "tk").glob("*.tk.json")}
    for n in range(DOCUMENTS):
        record = (
            json.loads((raw / "tk" / f"{number(n)}.tk.json").read_text())
            if number(n) in stored
            else None
        )
        if record is None:
            changed = fake.api_changed(number(n))
            assert changed > cursor, f"cursor {cursor} passed {number(n)}, not stored"


def _stored(raw: Path) -> int:
    return len(list((raw / "tk").glob("*.tk.json"))) if (raw / "tk").is_dir() else 0


def _kill_when(process: subprocess.Popen, raw: Path, target: int) -> None:
    """SIGKILL `process` once `target` documents are stored (or a moment after it exits)."""
    deadline = time.monotonic() + 30
    while process.poll() is None and _stored(raw) < target and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize("seed", range(4))
def test_killed_harvest_resumes_to_the_same_files(tmp_path: Path, seed: int) -> None:
    with FakeServices(page_size=5, sru_page_cap=4) as fake:
        for n in range(DOCUMENTS):
            fake.add_document(number(n), letter(n), datum=f"2024-09-{2 + n:02d}")
        for n in range(6):
            fake.add_publication(f"kst-36600-{n + 1}", render_koop_xml(), METADATA,
                                 modified=f"2024-09-{12 + n}")  # fmt: skip
        fake.inject(Slow(0.04), match="/resource", times=10_000)
        fake.inject(Slow(0.04), match="/frbr/", times=10_000)
        reference = tmp_path / "reference"
        subprocess.run(_command(fake, reference), env=_env(), check=True, capture_output=True)

        raw = tmp_path / "raw"
        rng = random.Random(seed)
        stored_before_kill = []
        for _ in range(3):
            process = subprocess.Popen(
                _command(fake, raw), env=_env(), stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            _kill_when(process, raw, target=_stored(raw) + rng.randint(1, 6))
            stored_before_kill.append(_stored(raw))
            if (raw / ".harvest" / "state.json").exists():
                _cursor_is_behind_every_missing_document(fake, raw)
        finished = subprocess.run(_command(fake, raw), env=_env(), capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert 0 < stored_before_kill[0] < DOCUMENTS, stored_before_kill
    assert snapshot(raw) == snapshot(reference)
    assert len([name for name in snapshot(raw) if name.endswith(".docx")]) == DOCUMENTS
    assert not list((raw / ".harvest" / "tmp").iterdir())
