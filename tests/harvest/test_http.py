"""The harvester's HTTP client on its own: waits between retries, Retry-After, timeouts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from pipelines.harvest.http import (
    BadFile,
    Client,
    HttpSettings,
    ServiceError,
    Unreachable,
    retry_after_seconds,
)
from tests.harvest.fakes import FakeServices, ResetMidBody, Slow, Status


def _client(waits: list[float], **settings: float) -> Client:
    config = HttpSettings(**({"backoff": 1.0, "max_wait": 8.0, "retries": 4} | settings))
    return Client(config, sleep=waits.append, jitter=random.Random(1))


def test_backoff_doubles_with_full_jitter_and_is_capped(tmp_path: Path) -> None:
    waits: list[float] = []
    with FakeServices() as fake:
        fake.add_document("2024D30001", b"%PDF-1.7\n" + b"x" * 1000)
        url = f"{fake.tk_url}Document({fake.document_id('2024D30001')})/resource"
        fake.inject(Status(503), match="resource", times=4)
        with _client(waits, retries=4) as client:
            assert client.download(url, tmp_path / "f", 1009) == 1009
    assert len(waits) == 4
    ceilings = [1.0, 2.0, 4.0, 8.0]
    assert all(0 <= wait <= ceiling for wait, ceiling in zip(waits, ceilings, strict=True))
    assert len(set(waits)) == 4, "jittered, not fixed"


def test_retry_after_seconds_and_http_date_are_honoured_up_to_the_cap() -> None:
    waits: list[float] = []
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    with FakeServices() as fake:
        fake.inject(Status(429, retry_after=3), match="Document?", times=1)
        with _client(waits, max_wait=8.0) as client:
            client.get_json(f"{fake.tk_url}Document?$top=1")
    assert waits == [3.0]
    assert 25 <= retry_after_seconds(later) <= 30
    assert retry_after_seconds("soon") is None


def test_a_read_timeout_is_retried_then_succeeds(tmp_path: Path) -> None:
    with FakeServices() as fake:
        fake.add_document("2024D30001", b"%PDF-1.7\n" + b"x" * 100)
        url = f"{fake.tk_url}Document({fake.document_id('2024D30001')})/resource"
        fake.inject(Slow(1.5), match="resource", times=1)
        config = HttpSettings(read_timeout=0.5, backoff=0.01, retries=2)
        with Client(config) as client:
            assert client.download(url, tmp_path / "f", 109) == 109
            assert client.requests == 2


def test_what_keeps_failing_says_why(tmp_path: Path) -> None:
    with FakeServices() as fake:
        fake.add_document("2024D30001", b"%PDF-1.7\n" + b"x" * 500)
        url = f"{fake.tk_url}Document({fake.document_id('2024D30001')})/resource"
        fake.inject(ResetMidBody(after=100), match="resource", times=10)
        with Client(HttpSettings(backoff=0.001, retries=2)) as client:
            with pytest.raises(BadFile, match="after retries"):
                client.download(url, tmp_path / "f", 509)
            assert not (tmp_path / "f").exists()
            with pytest.raises(ServiceError, match="HTTP 404"):
                client.get_json(f"{fake.tk_url}Document(00000000-0000-4000-8000-000000000000)")
    refused = Client(HttpSettings(backoff=0.001, retries=1, connect_timeout=0.5))
    with refused, pytest.raises(Unreachable, match="no answer after retries"):
        refused.get_json("http://127.0.0.1:9/OData/v4/2.0/Document")
