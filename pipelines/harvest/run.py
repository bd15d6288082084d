"""One harvest: list what changed at each source since its cursor, store it in the raw folder,
remove what was withdrawn, and move the cursor only past documents that are stored.

Documents are fetched a few at a time (`in_flight`) but judged in the order the source lists
them, so the cursor stops before the first document that failed; a later run lists from there
again, skips what is already stored (same record, same file size) and retries the rest. A
harvest killed at any moment leaves finished documents whole, unfinished ones absent, and a
cursor that is never ahead of them, so running it again ends with what one uninterrupted run
gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from pipelines import settings
from pipelines.harvest import koop, tk
from pipelines.harvest.http import BadFile, Client, HttpSettings, ServiceError
from pipelines.harvest.store import (
    GUID,
    KOOP_IDENTIFIER,
    TK_DOCUMENT_NUMBER,
    RawStore,
    RefusedIdentifier,
    checked,
    file_suffix,
    is_xml,
)
from pipelines.util import ProgressBar, prinsjesdag, progress_bar

SOURCES = ("tk", "koop")
T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    """What became of one listed document: new, changed, unchanged, failed or refused."""

    kind: str
    size: int = 0
    reason: str = ""


@dataclass
class Failure:
    """A document that was not stored this run (retried on the next), or a refused record."""

    source: str
    identifier: str
    reason: str


@dataclass
class HarvestReport:
    """What one harvest did, for the CLI's summary, the Dagster run's metadata and tests."""

    dry_run: bool = False
    new: int = 0
    changed: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    bytes: int = 0
    requests: int = 0
    failed: list[Failure] = field(default_factory=list)
    refused: list[Failure] = field(default_factory=list)
    unreachable: dict[str, str] = field(default_factory=dict)
    cursors: dict[str, str | None] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 when everything listed was stored, 1 when documents failed, 2 when a source could
        not be listed at all."""
        if self.unreachable:
            return 2
        return 1 if self.failed else 0

    def summary(self) -> str:
        verb = "would fetch" if self.dry_run else "harvested"
        text = (
            f"{verb}: {self.new} new, {self.changed} changed, {self.withdrawn} withdrawn, "
            f"{len(self.failed)} failed ({self.unchanged} unchanged, {len(self.refused)} "
            f"refused; {self.bytes} bytes in {self.requests} requests)"
        )
        if self.unreachable:
            text += "; not reachable: " + ", ".join(sorted(self.unreachable))
        return text[:1].upper() + text[1:]

    def as_metadata(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "changed": self.changed,
            "withdrawn": self.withdrawn,
            "unchanged": self.unchanged,
            "failed": [f"{f.source}:{f.identifier}" for f in self.failed],
            "refused": [f"{f.source}:{f.identifier}" for f in self.refused],
            "bytes": self.bytes,
            "requests": self.requests,
            "cursors": {name: cursor or "" for name, cursor in self.cursors.items()},
            "unreachable": self.unreachable,
        }


def vergaderjaar_start(today: date) -> date:
    """The first day of the vergaderjaar `today` is in (Prinsjesdag)."""
    start = prinsjesdag(today.year)
    return start if today >= start else prinsjesdag(today.year - 1)


@dataclass
class Harvest:
    """One run over the chosen sources into one raw folder."""

    raw: Path
    sources: tuple[str, ...] = SOURCES
    since: date | None = None
    limit: int | None = None
    dry_run: bool = False
    tk_url: str = settings.TK_URL
    koop_url: str = settings.KOOP_URL
    soorts: tuple[str, ...] = settings.TK_LETTER_SOORTS
    http: HttpSettings = field(default_factory=HttpSettings)
    today: date = field(default_factory=date.today)
    show_progress: bool = True

    def run(self) -> HarvestReport:
        store = RawStore(self.raw)
        report = HarvestReport(dry_run=self.dry_run)
        bar = progress_bar("Harvesting", None, show=self.show_progress)
        with store.lock(), Client(self.http) as client, bar as progress:
            store.prepare()
            state = store.state()
            for name in self.sources:
                harvest_source = self._tk if name == "tk" else self._koop
                try:
                    harvest_source(client, store, state.source(name), report, progress)
                except ServiceError as exc:
                    report.unreachable[name] = str(exc)
                if not self.dry_run:
                    state.save()
            report.requests = client.requests
        return report

    def _start(self, stored: dict[str, Any]) -> date:
        since = self.since or (date.fromisoformat(stored["since"]) if stored.get("since") else None)
        return since or vergaderjaar_start(self.today)

    def _tk(self, client: Client, store: RawStore, state: dict[str, Any], report: HarvestReport,
            progress: ProgressBar) -> None:  # fmt: skip
        since = self._start(state)
        cursor = state.get("cursor") if state.get("since") == since.isoformat() else None
        start = tk.listing_start(cursor)
        index = store.tk_index()
        for row, _ in tk.list_rows(client, self.tk_url, tk.WITHDRAWN_FILTER, start,
                                   expand=False):  # fmt: skip
            number = index.get(row.id)
            if number is not None and (self.dry_run or store.withdraw_tk(number)):
                report.withdrawn += 1
        rows = tk.list_rows(client, self.tk_url, tk.letter_filter(self.soorts, since), start,
                            expand=True)  # fmt: skip

        def work(row: tk.TkRow) -> Outcome:
            return self._store_tk(client, store, row)

        def name(row: tk.TkRow) -> str:
            return str(row.record.get("DocumentNummer") or row.id)

        safe, blocked = cursor, False
        for row, outcome in self._in_order("tk", rows, work, name, report, progress):
            blocked = blocked or outcome.kind == "failed"
            if not blocked and (safe is None or row.changed > safe):
                safe = row.changed
        if not self.dry_run:
            state.update(since=since.isoformat(), cursor=safe)
        report.cursors["tk"] = safe

    def _store_tk(self, client: Client, store: RawStore, row: tk.TkRow) -> Outcome:
        checked(row.id, GUID, "Document Id")
        number = checked(row.record.get("DocumentNummer"), TK_DOCUMENT_NUMBER, "DocumentNummer")
        record = tk.stored_record(row)
        old, file = store.tk_stored(number)
        length = record.get("ContentLength")
        if record.get("ContentType") is None or not isinstance(length, int):
            raise BadFile(f"{number}: the portal lists no file for this document")
        same_file = (
            file is not None
            and old is not None
            and old.get("HuidigeDocumentVersie_Id") == record.get("HuidigeDocumentVersie_Id")
            and file.stat().st_size == length
        )
        if same_file and old == record:
            return Outcome("unchanged")
        kind = "new" if old is None else "changed"
        if self.dry_run:
            return Outcome(kind)
        download = suffix = None
        size = 0
        if not same_file:
            download = store.temp_file(number)
            size = client.download(tk.resource_url(self.tk_url, row.id), download, length)
            suffix = file_suffix(download)
            if suffix is None:
                download.unlink(missing_ok=True)
                raise BadFile(f"{number}: the file is not a PDF, Word or ODT document")
        store.commit_tk(number, record, download, suffix)
        return Outcome(kind, size)

    def _koop(self, client: Client, store: RawStore, state: dict[str, Any],
              report: HarvestReport, progress: ProgressBar) -> None:  # fmt: skip
        since = self._start(state)
        same_since = state.get("since") == since.isoformat()
        cursor = state.get("cursor") if same_since else None
        modified: dict[str, str] = state.setdefault("modified", {}) if same_since else {}
        start = date.fromisoformat(cursor) if cursor else since

        def work(record: koop.KoopRecord) -> Outcome:
            return self._store_koop(client, store, record, modified)

        records = koop.list_records(client, self.koop_url, start)
        safe, blocked = cursor, False
        for record, outcome in self._in_order(
            "koop", records, work, lambda r: r.identifier, report, progress
        ):
            blocked = blocked or outcome.kind == "failed"
            day = record.modified[:10]
            if not blocked and (safe is None or day > safe):
                safe = day
        if not self.dry_run:
            state.update(since=since.isoformat(), cursor=safe, modified=modified)
        report.cursors["koop"] = safe

    def _store_koop(self, client: Client, store: RawStore, record: koop.KoopRecord,
                    modified: dict[str, str]) -> Outcome:  # fmt: skip
        identifier = checked(record.identifier, KOOP_IDENTIFIER, "publication id")
        xml_path, metadata_path = store.koop_paths(identifier)
        stored = xml_path.exists() and metadata_path.exists()
        if stored and modified.get(identifier) == record.modified:
            return Outcome("unchanged")
        kind = "changed" if stored else "new"
        if self.dry_run:
            return Outcome(kind)
        if record.xml_url is None or record.metadata_url is None:
            raise BadFile(f"{identifier}: the record names no XML or metadata file")
        size = 0
        temps = []
        for url, name in ((record.xml_url, "xml"), (record.metadata_url, "metadata.xml")):
            temp = store.temp_file(f"{identifier}.{name}")
            size += client.download(url, temp, None)
            temps.append(temp)
            if not is_xml(temp):
                for path in temps:
                    path.unlink(missing_ok=True)
                raise BadFile(f"{identifier}: {url} is not XML")
        store.commit_koop(identifier, *temps)
        modified[identifier] = record.modified
        return Outcome(kind, size)

    def _in_order(
        self,
        source: str,
        listed: Iterable[tuple[T, int | None]],
        work: Callable[[T], Outcome],
        name: Callable[[T], str],
        report: HarvestReport,
        progress: ProgressBar,
    ) -> Iterator[tuple[T, Outcome]]:
        """`work` on each listed document, a few at a time, judged in the order listed: each
        outcome is counted in `report`; stops after `limit` stored documents."""
        width = max(self.http.in_flight, 1)
        stored = 0

        def attempt(item: T) -> Outcome:
            try:
                return work(item)
            except RefusedIdentifier as exc:
                return Outcome("refused", reason=str(exc))
            except (ServiceError, OSError) as exc:
                return Outcome("failed", reason=str(exc))

        iterator = iter(listed)
        counted = False
        with ThreadPoolExecutor(width) as pool:
            while chunk := list(islice(iterator, self._batch(width, stored))):
                if not counted and (total := chunk[0][1]) is not None:
                    progress.grow(total)
                    counted = True
                items = [item for item, _ in chunk]
                for item, outcome in zip(items, pool.map(attempt, items), strict=True):
                    progress()
                    if outcome.kind in ("failed", "refused"):
                        failure = Failure(source, name(item), outcome.reason)
                        (report.failed if outcome.kind == "failed" else report.refused).append(
                            failure
                        )
                    else:
                        setattr(report, outcome.kind, getattr(report, outcome.kind) + 1)
                        report.bytes += outcome.size
                    yield item, outcome
                    if outcome.kind in ("new", "changed"):
                        stored += 1
                        if self.limit is not None and stored >= self.limit:
                            return

    def _batch(self, width: int, stored: int) -> int:
        """How many documents to start at once: never more than the limit leaves to store."""
        return width * 4 if self.limit is None else max(min(width * 4, self.limit - stored), 0)
