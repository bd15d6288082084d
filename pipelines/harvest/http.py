"""The harvester's HTTP client: one pooled session, as polite and as stubborn as a public
service needs.

Both sources are public services run on modest budgets with outages on record (the Tweede
Kamer's API was down for hours in 2023, 2024 and 2026); a harvest must ride out 5xx bursts,
resets and slow answers without hammering them, and must never store half a file or a
service's error page as a letter. Hence: connect and read timeouts, retries with exponential
backoff and full jitter (honouring `Retry-After`), redirects followed only within the same
host, and files streamed to a temporary file whose size and type are checked before the
caller moves it into place.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from pipelines import settings

RETRIED_STATUSES = {429, 500, 502, 503, 504}
_MAX_REDIRECTS = 5
_CHUNK = 1 << 16


class ServiceError(Exception):
    """A request that failed after its retries; the message names the URL and the reason."""


class Unreachable(ServiceError):
    """The service did not answer at all (connection refused, timeouts) after the retries."""


class BadFile(ServiceError):
    """A download that arrived but is not the file announced (short, wrong type, error page)."""


@dataclass(frozen=True)
class HttpSettings:
    """Timeouts, retries and politeness of the client; defaults from `pipelines.settings`."""

    connect_timeout: float = settings.HARVEST_CONNECT_TIMEOUT
    read_timeout: float = settings.HARVEST_READ_TIMEOUT
    retries: int = settings.HARVEST_RETRIES
    backoff: float = settings.HARVEST_BACKOFF
    max_wait: float = settings.HARVEST_MAX_WAIT
    in_flight: int = settings.HARVEST_IN_FLIGHT
    user_agent: str = settings.HARVEST_USER_AGENT


class Client:
    """GET requests against one or more services, counted, retried, and kept on their host."""

    def __init__(
        self,
        config: HttpSettings | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        jitter: random.Random | None = None,
    ) -> None:
        self.config = config or HttpSettings()
        self.session = requests.Session()
        adapter = HTTPAdapter(
            pool_connections=4, pool_maxsize=max(self.config.in_flight, 1), max_retries=0
        )
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.config.user_agent
        self.requests = 0
        self._sleep = sleep
        self._jitter = jitter or random.Random()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get_json(self, url: str) -> Any:
        """The JSON body of `url`; a body that is not JSON is a `ServiceError`."""
        response = self._get(url, stream=False)
        try:
            return response.json()
        except ValueError as exc:
            raise ServiceError(f"{url}: answer is not JSON ({exc})") from exc

    def get_bytes(self, url: str) -> bytes:
        return self._get(url, stream=False).content

    def download(self, url: str, target: Path, expected_length: int | None) -> int:
        """Stream `url` into `target` (a temporary name the caller moves into place) and
        return its size.

        A body cut off mid-way or shorter than announced (by `Content-Length` or by the
        record's `expected_length`) is retried like a failed request; what is left after the
        retries is a `BadFile`, and `target` is removed.
        """
        last: Exception | None = None
        for attempt in range(self.config.retries + 1):
            if attempt:
                self._sleep(self._backoff(attempt, None))
            try:
                return self._stream(url, target, expected_length)
            except (BadFile, requests.ConnectionError, requests.Timeout) as exc:
                target.unlink(missing_ok=True)
                last = exc
            except BaseException:
                target.unlink(missing_ok=True)
                raise
        raise _failure(url, last)

    def _stream(self, url: str, target: Path, expected_length: int | None) -> int:
        response = self._get(url, stream=True)
        announced = response.headers.get("Content-Length")
        size = 0
        with response, open(target, "wb") as handle:
            try:
                for chunk in response.iter_content(_CHUNK):
                    handle.write(chunk)
                    size += len(chunk)
            except requests.exceptions.ChunkedEncodingError as exc:
                raise BadFile(f"{url}: connection lost after {size} bytes ({exc})") from exc
        if announced is not None and announced.isdigit() and int(announced) != size:
            raise BadFile(f"{url}: {size} bytes received, Content-Length said {announced}")
        if expected_length is not None and expected_length != size:
            raise BadFile(f"{url}: {size} bytes received, the record says {expected_length}")
        return size

    def _get(self, url: str, *, stream: bool) -> requests.Response:
        """GET with retries on connection errors and retried statuses; other 4xx and 5xx
        answers raise `ServiceError` at once."""
        last: Exception | None = None
        for attempt in range(self.config.retries + 1):
            try:
                response = self._follow(url, stream)
            except (requests.ConnectionError, requests.Timeout) as exc:
                last = exc
                if attempt < self.config.retries:
                    self._sleep(self._backoff(attempt + 1, None))
                continue
            if response.status_code in RETRIED_STATUSES:
                last = ServiceError(f"{url}: HTTP {response.status_code}")
                wait = retry_after_seconds(response.headers.get("Retry-After"))
                response.close()
                if attempt < self.config.retries:
                    self._sleep(self._backoff(attempt + 1, wait))
                continue
            if response.status_code != 200:
                response.close()
                raise ServiceError(f"{url}: HTTP {response.status_code}")
            return response
        raise _failure(url, last)

    def _follow(self, url: str, stream: bool) -> requests.Response:
        """One GET, following redirects only to the same scheme and host."""
        origin = _origin(url)
        for _ in range(_MAX_REDIRECTS + 1):
            self.requests += 1
            response = self.session.get(
                url,
                stream=stream,
                allow_redirects=False,
                timeout=(self.config.connect_timeout, self.config.read_timeout),
            )
            if not response.is_redirect:
                return response
            response.close()
            target = urljoin(url, response.headers.get("Location", ""))
            if _origin(target) != origin:
                raise ServiceError(f"{url}: redirect to another host refused ({target})")
            url = target
        raise ServiceError(f"{url}: more than {_MAX_REDIRECTS} redirects")

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry `attempt` (1, 2, ...): the service's `Retry-After`
        when it gives one, else exponential backoff with full jitter; never over `max_wait`."""
        if retry_after is not None:
            return min(retry_after, self.config.max_wait)
        ceiling = min(self.config.backoff * 2 ** (attempt - 1), self.config.max_wait)
        return self._jitter.uniform(0, ceiling)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def same_origin(url: str, base: str) -> bool:
    """Whether `url` is on the scheme and host of `base` (links a service gives are followed
    only there)."""
    return _origin(url) == _origin(base)


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` in seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _failure(url: str, last: Exception | None) -> ServiceError:
    if isinstance(last, (requests.ConnectionError, requests.Timeout)):
        return Unreachable(f"{url}: no answer after retries ({type(last).__name__}: {last})")
    if isinstance(last, ServiceError):
        return type(last)(f"{last} (after retries)")
    return ServiceError(f"{url}: failed ({last})")
