"""Refreshing from and publishing to S3: the real CLI against moto's S3 server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pyarrow.fs as pafs
import pytest
from moto.server import ThreadedMotoServer

from pipelines.defs import refresh_job_definition
from pipelines.publish.storage import OutputMirror, RawMirror, StorageError, is_remote, show
from pipelines.tables.schemas import TABLES
from tests.conftest import SEED_PDF, SEED_WORD
from tests.test_cli import run_cli

NEW_LETTER = "Den Haag, 1 mei 2024\n\nGeachte voorzitter,\n\nEen nieuwe brief met tekst.\n"

RELEASE_FILES = sorted(
    ["CHANGELOG.md", "CITATION.cff", "changelog.json", "datapackage.json"]
    + [f"{table}.{fmt}" for table in TABLES for fmt in ("csv", "parquet")]
)
TOP_LEVEL = ["catalog.json", "dcat.jsonld", "index.html", "ingest-report.json"]


def release_keys(prefix: str, *versions: str) -> list[str]:
    """Every key a published prefix holds after releasing `versions`, the newest last."""
    keys = [f"{prefix}/{name}" for name in TOP_LEVEL]
    for version in versions:
        keys += [f"{prefix}/{version}/{name}" for name in RELEASE_FILES]
        keys.append(f"{prefix}/{version}/kamerbrieven-{version}.sqlite")
        keys.append(f"{prefix}/kamerbrieven-{version}.zip")
    keys += [f"{prefix}/latest/{name}" for name in RELEASE_FILES]
    keys.append(f"{prefix}/latest/kamerbrieven-{versions[-1]}.sqlite")
    return sorted(keys)


@dataclass
class Bucket:
    """A bucket on the test server, with what the tests read and write in it."""

    fs: pafs.S3FileSystem
    name: str

    def uri(self, prefix: str) -> str:
        return f"s3://{self.name}/{prefix}"

    def put(self, key: str, data: bytes) -> None:
        with self.fs.open_output_stream(f"{self.name}/{key}") as out:
            out.write(data)

    def get(self, key: str) -> bytes:
        with self.fs.open_input_stream(f"{self.name}/{key}") as source:
            return source.read()

    def delete(self, key: str) -> None:
        self.fs.delete_file(f"{self.name}/{key}")

    def keys(self, prefix: str) -> list[str]:
        selector = pafs.FileSelector(f"{self.name}/{prefix}", recursive=True, allow_not_found=True)
        infos = self.fs.get_file_info(selector)
        return sorted(
            i.path.removeprefix(f"{self.name}/") for i in infos if i.type == pafs.FileType.File
        )

    def snapshot(self, prefix: str) -> dict[str, tuple[int, int, str]]:
        """Every object under `prefix`: size, last-modified time and sha256 of its bytes."""
        selector = pafs.FileSelector(f"{self.name}/{prefix}", recursive=True, allow_not_found=True)
        return {
            info.path.removeprefix(f"{self.name}/"): (
                info.size,
                info.mtime_ns,
                hashlib.sha256(self.get(info.path.removeprefix(f"{self.name}/"))).hexdigest(),
            )
            for info in self.fs.get_file_info(selector)
            if info.type == pafs.FileType.File
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server, in a thread of this process, on 127.0.0.1 only."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Bucket:
    """A new bucket, and the environment pointing this process and the CLI at the server."""
    for name in ("AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    fs = pafs.S3FileSystem(
        access_key="testing",
        secret_key="testing",
        region="us-east-1",
        endpoint_override=s3_endpoint,
        scheme="http",
        allow_bucket_creation=True,
    )
    name = f"kb-{uuid.uuid4().hex[:12]}"
    fs.create_dir(name)
    return Bucket(fs, name)


def upload_seeds(bucket: Bucket, prefix: str = "raw") -> None:
    for seed in (SEED_WORD, SEED_PDF):
        bucket.put(f"{prefix}/{seed.name}", seed.read_bytes())


def refresh(bucket: Bucket, cache: Path, env: dict[str, str] | None = None):
    return run_cli(
        "refresh", "--raw", bucket.uri("raw"), "--out", bucket.uri("published"),
        "--cache", str(cache), cwd=cache.parent, env=env,
    )  # fmt: skip


def test_refresh_from_a_bucket_publishes_into_a_bucket(bucket: Bucket, tmp_path: Path) -> None:
    upload_seeds(bucket)
    done = refresh(bucket, tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    published = bucket.uri("published")
    assert f"Refreshing {bucket.uri('raw')} into {published} ..." in done.stderr
    assert f"Published 1.0.0 to {published}/1.0.0 and {published}/latest (2 letters" in done.stderr
    uploaded = len(release_keys("published", "1.0.0"))
    assert f"Uploaded {uploaded} objects, deleted 0." in done.stderr
    assert bucket.keys("") == sorted(
        [f"raw/{SEED_WORD.name}", f"raw/{SEED_PDF.name}", *release_keys("published", "1.0.0")]
    )

    descriptor = json.loads(bucket.get("published/1.0.0/datapackage.json"))
    assert descriptor["version"] == "1.0.0"
    for resource in descriptor["resources"]:
        for folder in ("1.0.0", "latest"):
            data = bucket.get(f"published/{folder}/{resource['path']}")
            assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"
    catalog = json.loads(bucket.get("published/catalog.json"))
    assert [v["version"] for v in catalog["versions"]] == ["1.0.0"]
    entry = catalog["versions"][0]
    listed = [entry["zip"], *entry["files"]]
    assert sorted(f["path"] for f in listed) == sorted(
        ["kamerbrieven-1.0.0.zip", "1.0.0/kamerbrieven-1.0.0.sqlite"]
        + [f"1.0.0/{name}" for name in RELEASE_FILES]
    )
    for file in listed:
        data = bucket.get(f"published/{file['path']}")
        assert (len(data), hashlib.sha256(data).hexdigest()) == (file["bytes"], file["sha256"])
    assert bucket.get("published/latest/datapackage.json") == bucket.get(
        "published/1.0.0/datapackage.json"
    )

    with bucket.fs.open_input_stream(f"{bucket.name}/published/index.html") as page:
        assert page.metadata()["Content-Type"] == b"text/html; charset=utf-8"
        assert page.metadata()["Cache-Control"] == b"no-cache"
    with bucket.fs.open_input_stream(f"{bucket.name}/published/1.0.0/letters.parquet") as table:
        assert table.metadata()["Content-Type"] == b"application/vnd.apache.parquet"
        assert table.metadata()["Cache-Control"] == b"public, max-age=31536000, immutable"


def test_releases_in_a_bucket_grow_and_stay_untouched(bucket: Bucket, tmp_path: Path) -> None:
    upload_seeds(bucket)
    done = refresh(bucket, tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    first = bucket.snapshot("published")

    # Nothing changed: nothing is uploaded, not even from a machine with an empty cache.
    for cache in (tmp_path / "cache", tmp_path / "other-machine"):
        again = refresh(bucket, cache)
        assert again.returncode == 0, again.stderr
        assert "Uploaded 0 objects, deleted 0." in again.stderr
        assert f"Nothing changed: {bucket.uri('published')}/latest stays at 1.0.0" in again.stderr
        assert bucket.snapshot("published") == first

    # A failing build uploads nothing.
    bucket.put("raw/extra.txt", NEW_LETTER.encode())
    strict = {"KAMERBRIEVEN_MIN_SHARE_WITH_DATE": "0.9", "KAMERBRIEVEN_GATE_MIN_LETTERS": "1"}
    failed = refresh(bucket, tmp_path / "cache", env=strict)
    assert failed.returncode == 1
    assert "nothing was published" in failed.stderr
    assert bucket.snapshot("published") == first

    # A letter added in the bucket is the next minor version; 1.0.0 keeps every byte.
    added = refresh(bucket, tmp_path / "other-machine")
    assert added.returncode == 0, added.stderr
    assert "Published 1.1.0" in added.stderr and "(3 letters" in added.stderr
    second = bucket.snapshot("published")
    assert sorted(second) == release_keys("published", "1.0.0", "1.1.0")
    assert {key: second[key] for key in first if "/1.0.0/" in key or "1.0.0.zip" in key} == {
        key: value for key, value in first.items() if "/1.0.0/" in key or "1.0.0.zip" in key
    }
    assert json.loads(bucket.get("published/latest/datapackage.json"))["version"] == "1.1.0"
    catalog = json.loads(bucket.get("published/catalog.json"))
    assert [v["version"] for v in catalog["versions"]] == ["1.1.0", "1.0.0"]
    changelog = json.loads(bucket.get("published/1.1.0/changelog.json"))
    assert changelog["previous_version"] == "1.0.0"

    # A letter deleted from the bucket is gone from the mirror too: 1.2.0 has two letters again.
    bucket.delete("raw/extra.txt")
    removed = refresh(bucket, tmp_path / "cache")
    assert removed.returncode == 0, removed.stderr
    assert "Published 1.2.0" in removed.stderr and "(2 letters" in removed.stderr
    assert sorted(bucket.snapshot("published")) == release_keys(
        "published", "1.0.0", "1.1.0", "1.2.0"
    )


def test_an_interrupted_upload_is_finished_by_the_next_refresh(
    bucket: Bucket, tmp_path: Path
) -> None:
    upload_seeds(bucket)
    assert refresh(bucket, tmp_path / "cache").returncode == 0
    before = {key: bucket.get(key) for key in bucket.keys("published")}
    bucket.put("raw/extra.txt", NEW_LETTER.encode())
    assert refresh(bucket, tmp_path / "cache").returncode == 0
    after = {key: bucket.get(key) for key in bucket.keys("published")}

    # Put the bucket back as a push of 1.1.0 that died in latest/ leaves it: part of 1.1.0/ is
    # there, latest/ is mixed and holds a file no release has, the top-level files are 1.0.0's.
    bucket.delete("published/1.1.0/letters.csv")
    bucket.delete("published/kamerbrieven-1.1.0.zip")
    bucket.put("published/1.1.0/letters.parquet", b"half an upload")
    for name in ("datapackage.json", "letters.csv"):
        bucket.put(f"published/latest/{name}", before[f"published/latest/{name}"])
    bucket.put("published/latest/stray.csv", b"x")
    for name in TOP_LEVEL:
        bucket.put(f"published/{name}", before[f"published/{name}"])

    done = refresh(bucket, tmp_path / "other-machine")
    assert done.returncode == 0, done.stderr
    assert "Published 1.1.0" in done.stderr
    assert {key: bucket.get(key) for key in bucket.keys("published")} == after

    again = refresh(bucket, tmp_path / "other-machine")
    assert "Uploaded 0 objects, deleted 0." in again.stderr


def test_a_push_never_rewrites_a_release_or_races_another_publisher(
    bucket: Bucket, tmp_path: Path
) -> None:
    upload_seeds(bucket)
    assert refresh(bucket, tmp_path / "cache").returncode == 0
    state = bucket.snapshot("published")

    mirror = OutputMirror(bucket.uri("published"), tmp_path / "cache")
    mirror.pull()
    (mirror.folder / "1.0.0" / "letters.csv").write_text("letter_id\n")
    with pytest.raises(StorageError, match="refusing to rewrite published release 1.0.0 in s3://"):
        mirror.push()
    assert bucket.snapshot("published") == state

    mirror = OutputMirror(bucket.uri("published"), tmp_path / "cache")
    mirror.pull()
    (mirror.folder / "index.html").write_text("<p>mine</p>")
    bucket.put("published/catalog.json", b"{}\n")
    state = bucket.snapshot("published")
    with pytest.raises(StorageError, match="changed while the refresh ran"):
        mirror.push()
    assert bucket.snapshot("published") == state


def test_the_raw_mirror_downloads_only_what_changed(bucket: Bucket, tmp_path: Path) -> None:
    upload_seeds(bucket)
    bucket.put("raw/.hidden", b"never read")
    mirror = RawMirror(bucket.uri("raw"), tmp_path / "cache", "out")
    assert mirror.pull() == [SEED_WORD.name, SEED_PDF.name]
    assert mirror.pull() == []

    bucket.put(f"raw/{SEED_WORD.name}", b"changed")
    bucket.delete(f"raw/{SEED_PDF.name}")
    bucket.put("raw/sub/extra.txt", NEW_LETTER.encode())
    assert mirror.pull() == [SEED_WORD.name, "sub/extra.txt"]
    files = {
        p.relative_to(mirror.folder).as_posix(): p.read_bytes()
        for p in mirror.folder.rglob("*")
        if p.is_file()
    }
    assert files == {SEED_WORD.name: b"changed", "sub/extra.txt": NEW_LETTER.encode()}


def test_a_missing_bucket_or_empty_raw_prefix_is_a_usage_error(
    bucket: Bucket, tmp_path: Path
) -> None:
    upload_seeds(bucket)
    done = run_cli(
        "refresh", "--raw", bucket.uri("raw"), "--out", "s3://no-such-bucket-kb/published",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert "bucket no-such-bucket-kb of s3://no-such-bucket-kb/published does not exist" in (
        done.stderr
    )
    done = run_cli(
        "refresh", "--raw", bucket.uri("nothing"), "--out", str(tmp_path / "out"), cwd=tmp_path
    )
    assert done.returncode == 2
    assert f"{bucket.uri('nothing')} holds no objects" in done.stderr
    assert not (tmp_path / "out" / "latest").exists()


def test_uris_and_folders_are_told_apart() -> None:
    assert is_remote("s3://bucket/prefix") and is_remote("gs://bucket")
    assert not is_remote("published") and not is_remote("/data/s3:/x")
    assert show("s3://bucket/prefix/", "latest") == "s3://bucket/prefix/latest"
    assert show("./published", "latest") == "published/latest"


def test_an_unreadable_catalog_stops_the_refresh(bucket: Bucket, tmp_path: Path) -> None:
    bucket.put("published/1.0.0/datapackage.json", b"{}")
    bucket.put("published/catalog.json", b"<html>not a catalog</html>")
    mirror = OutputMirror(bucket.uri("published"), tmp_path / "cache")
    with pytest.raises(StorageError, match=r"published/catalog.json is not a readable catalog"):
        mirror.pull()


def test_the_dagster_job_reads_and_publishes_bucket_uris(
    bucket: Bucket, tmp_path: Path, dagster_home: Path
) -> None:
    """Scheduled and sensor runs use the multiprocess executor: the output is pulled in the
    staging step's process and pushed from the publishing step's."""
    upload_seeds(bucket)
    run_config = {
        "resources": {
            "paths": {
                "config": {
                    "raw_dir": bucket.uri("raw"),
                    "out_dir": bucket.uri("published"),
                    "cache_dir": str(tmp_path / "cache"),
                }
            }
        }
    }
    job = dg.reconstructable(refresh_job_definition)
    with dg.DagsterInstance.get() as instance:
        first = dg.execute_job(job, instance=instance, run_config=run_config)
        assert first.success
        assert any(
            e.is_dagster_event and e.dagster_event.event_type_value == "STEP_WORKER_STARTED"
            for e in instance.all_logs(first.run_id)
        ), "each step ran in its own process"
        assert bucket.keys("published") == release_keys("published", "1.0.0")
        published = instance.get_latest_materialization_event(dg.AssetKey("published_package"))
        metadata = published.asset_materialization.metadata
        assert metadata["latest"].value == f"{bucket.uri('published')}/latest"
        assert metadata["uploaded"].value == len(release_keys("published", "1.0.0"))

        before = bucket.snapshot("published")
        assert dg.execute_job(job, instance=instance, run_config=run_config).success
        assert bucket.snapshot("published") == before, "nothing changed, nothing uploaded"

        bucket.put("raw/extra.txt", NEW_LETTER.encode())
        assert dg.execute_job(job, instance=instance, run_config=run_config).success
    assert bucket.keys("published") == release_keys("published", "1.0.0", "1.1.0")
    catalog = json.loads(bucket.get("published/catalog.json"))
    assert [v["version"] for v in catalog["versions"]] == ["1.1.0", "1.0.0"]
