"""`kamerbrieven serve` and `kamerbrieven download`, run as a user runs them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.publish.test_release import snapshot
from tests.test_cli import run_cli


def test_serve_then_download_round_trip(published: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    server = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "serve", "--port", "0", "--dir", str(published)],
        cwd=tmp_path,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        base = match.group(0)
        with urllib.request.urlopen(base + "index.html", timeout=30) as response:
            assert response.status == 200
        done = run_cli("download", base, "--to", str(tmp_path / "pkg"), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "verified letters.parquet" in done.stderr
        assert f"Downloaded and verified {tmp_path / 'pkg'}" in done.stderr
        assert snapshot(tmp_path / "pkg") == snapshot(published / "latest")
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


def test_download_refuses_a_tampered_package(published: Path, tmp_path: Path) -> None:
    copy = Path(shutil.copytree(published, tmp_path / "published"))
    parquet = copy / "1.0.0" / "footnotes.parquet"
    parquet.write_bytes(parquet.read_bytes()[:-1] + b"\x00")
    done = run_cli("download", str(copy), "--version", "1.0.0", "--to", "pkg", cwd=tmp_path)
    assert done.returncode == 1
    assert "footnotes.parquet: sha256" in done.stderr and "nothing was kept" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published"]


def test_serve_without_the_folder_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("serve", "--dir", str(tmp_path / "missing"), cwd=tmp_path)
    assert done.returncode == 2 and "does not exist" in done.stderr
