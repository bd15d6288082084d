"""The `kamerbrieven` command as a user runs it, in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import frictionless

from tests.conftest import RAW, SEED_PDF
from tests.harvest.fakes import FakeServices, Html200
from tests.harvest.test_run import letter, number


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    environment = {**os.environ, **(env or {})}
    environment.pop("DAGSTER_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_refresh_defaults_publish_raw_into_published(tmp_path: Path) -> None:
    shutil.copytree(RAW, tmp_path / "raw")
    done = run_cli("refresh", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Published 1.0.0 to published/1.0.0 and published/latest" in done.stderr
    assert (tmp_path / ".dagster").is_dir(), "project-local DAGSTER_HOME"
    report = frictionless.validate(str(tmp_path / "published" / "latest" / "datapackage.json"))
    assert report.valid

    again = run_cli("refresh", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Nothing changed: published/latest stays at 1.0.0" in again.stderr


def test_refresh_reports_a_bad_file_and_publishes_the_rest(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "junk.docx").write_bytes(bytes(range(256)) * 4)
    done = run_cli("refresh", "--raw", str(raw), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "rejected empty.txt: file is empty" in done.stderr
    assert "rejected junk.docx: not a letter format we can read" in done.stderr
    assert "2 letters, 2 rejected" in done.stderr
    assert "Traceback" not in done.stderr


def test_refresh_exits_non_zero_when_a_check_fails(tmp_path: Path) -> None:
    done = run_cli(
        "refresh", "--raw", str(RAW), "--out", str(tmp_path / "out"), cwd=tmp_path,
        env={"KAMERBRIEVEN_MIN_SHARE_WITH_DATE": "0.9", "KAMERBRIEVEN_GATE_MIN_LETTERS": "1"},
    )  # fmt: skip
    assert done.returncode == 1
    assert (
        "check quality_thresholds on letters failed: share with a date: 0.5 is below 0.9, the "
        "minimum KAMERBRIEVEN_MIN_SHARE_WITH_DATE; without a date: doc-1f03854c2146ca53 "
        "(000_bd267e4e27e61377.txt)"
    ) in done.stderr
    assert "nothing was published" in done.stderr
    assert not (tmp_path / "out" / "latest").exists()


def test_refresh_without_raw_folder_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("refresh", "--raw", str(tmp_path / "missing"), cwd=tmp_path)
    assert done.returncode == 2
    assert "does not exist" in done.stderr


def test_parse_prints_the_normalized_record(tmp_path: Path) -> None:
    done = run_cli("parse", str(SEED_PDF), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert list(record) == [
        "letter",
        "paragraphs",
        "footnotes",
        "questions",
        "references",
        "signatories",
        "offices",
        "cases",
        "portal_signers",
        "askers",
    ]
    assert record["letter"]["letter_id"] == "kst-33783-46"
    assert record["letter"]["date"] == "2020-07-06"
    assert record["signatories"] == [
        {
            "letter_id": "kst-33783-46",
            "signatory_no": 1,
            "role": "De Minister van Buitenlandse Zaken",
            "name": "S.A. Blok",
            "name_normalized": "S.A. Blok",
            "person_id": None,
        }
    ]
    assert [(o["function"], o["portfolio"], o["ministry_code"]) for o in record["offices"]] == [
        ("minister", "Buitenlandse Zaken", "BZ")
    ]


def test_parse_names_the_file_when_it_cannot_be_read(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"\x00\x01\x02 not a letter")
    done = run_cli("parse", str(bad), cwd=tmp_path)
    assert done.returncode == 1
    assert "broken.pdf" in done.stderr


def test_parse_refuses_a_fifo_instead_of_waiting_on_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "letter.txt")
    done = run_cli("parse", str(tmp_path / "letter.txt"), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == f"error: {tmp_path / 'letter.txt'} is not a regular file\n"


def test_a_second_refresh_is_refused_while_one_runs(tmp_path: Path) -> None:
    from pipelines.util import exclusive

    out = tmp_path / "out"
    with exclusive(out / ".refresh.lock", "refresh"):
        done = run_cli("refresh", "--raw", str(RAW), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 3
    assert "another refresh is running" in done.stderr
    assert not (out / "latest").exists()


FAST_HARVEST = {"KAMERBRIEVEN_HARVEST_BACKOFF": "0.01", "KAMERBRIEVEN_HARVEST_RETRIES": "1",
                "KAMERBRIEVEN_HARVEST_CONNECT_TIMEOUT": "0.5"}  # fmt: skip


def test_harvest_exit_codes_and_summary(tmp_path: Path) -> None:
    with FakeServices() as fake:
        fake.add_document(number(1), letter(1), datum="2024-09-12")
        fake.add_document(number(2), letter(2), datum="2024-09-13")
        urls = ("--tk-url", fake.tk_url, "--koop-url", fake.koop_url, "--since", "2024-09-01")
        fake.inject(Html200(), match=f"Document({fake.document_id(number(2))})", times=10)
        failed = run_cli("harvest", "--raw", "raw", *urls, cwd=tmp_path, env=FAST_HARVEST)
        assert failed.returncode == 1, failed.stderr
        assert f"failed tk {number(2)}: " in failed.stderr
        summary = failed.stderr.strip().splitlines()[-1]
        assert summary == (
            "Harvested: 1 new, 0 changed, 0 withdrawn, 1 failed "
            f"(0 unchanged, 0 refused; {len(letter(1))} bytes in 6 requests)"
        )
        fake.clear_faults()
        done = run_cli("harvest", "--raw", "raw", *urls, cwd=tmp_path, env=FAST_HARVEST)
        assert done.returncode == 0, done.stderr
        assert "Harvested: 1 new, 0 changed, 0 withdrawn, 0 failed" in done.stderr
        closed = "http://127.0.0.1:9/OData/v4/2.0/"
        down = run_cli("harvest", "--raw", "raw", "--source", "tk", "--tk-url", closed,
                       cwd=tmp_path, env=FAST_HARVEST)  # fmt: skip
        assert down.returncode == 2
        assert "error: tk: http://127.0.0.1:9/OData/v4/2.0/Document?" in down.stderr
        assert "not reachable: tk" in down.stderr
    usage = run_cli("harvest", "--since", "yesterday", cwd=tmp_path)
    assert usage.returncode == 2 and "--since yesterday is not a date" in usage.stderr
