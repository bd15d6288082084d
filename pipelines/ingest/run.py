"""Read a raw folder into parsed letters, keeping every failure as a named, reasoned rejection.

Files whose content was parsed before by the same code come from the cache; the rest are parsed
in worker processes, each within the parse budget. Given the previous build, letters whose file
is unchanged keep their rows in its tables and are not loaded at all.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines import settings
from pipelines.extract import ParsedLetter, extract_letter
from pipelines.formats import MetadataRecords, metadata_record_for, parse_bytes
from pipelines.ingest.cache import ParseCache
from pipelines.ingest.scan import ContentKeys, Refusals, read_regular, relative_name, scan_raw
from pipelines.ingest.workers import Budget, BudgetPool, Failure
from pipelines.model import SOURCE_PRECEDENCE, ParseError
from pipelines.tables.build import LetterRows, PreviousBuild
from pipelines.tables.lettercheck import clear_optional_faults, row_problems
from pipelines.tables.rows import RowSpool
from pipelines.util import write_atomic

JOBS_PER_CHUNK = 32
"""Files a worker process parses per task: enough to make the hand-over cheap."""
CHUNKS_IN_FLIGHT_PER_WORKER = 4
"""Chunks queued or finished but not yet taken, per worker: what bounds the letters held."""


@dataclass
class Rejection:
    """A raw file that did not become a letter, and why."""

    path: str
    reason: str


@dataclass
class Kept:
    """A letter whose file is unchanged since the previous build, which already has its rows."""

    letter_id: str


@dataclass
class IngestResult:
    """The letters of one raw folder as rows, the files rejected, and how much work it took."""

    rows: LetterRows = field(default_factory=LetterRows)
    rejections: list[Rejection] = field(default_factory=list)
    parsed: int = 0
    reused: int = 0
    removed: int = 0

    @property
    def letters(self) -> list[ParsedLetter]:
        """The letters read this run and held in memory (none when they were spooled)."""
        return self.rows.letters

    @property
    def letter_count(self) -> int:
        """Letters accepted, however they were obtained."""
        return len(self.rows.origins)


def parse_one(data: bytes, name: str, metadata_record: bytes | None = None) -> ParsedLetter | str:
    """Parse and extract one file; a failure is returned as its reason instead of raised.

    Returning the reason (rather than raising) is what lets worker processes hand failures back
    and the cache remember them.
    """
    try:
        letter = extract_letter(parse_bytes(data, name, metadata_record))
    except ParseError as exc:
        return str(exc).removeprefix(f"{name}: ")
    except MemoryError:  # over the worker's memory budget: the pool reports it
        raise
    except Exception as exc:  # a parser bug must not cost the other letters their release
        return f"unexpected {type(exc).__name__}: {exc}"
    if not letter.letter["text"].strip():
        return f"no letter text found in this {letter.letter['source_format']} file"
    if not recognizable(letter):
        return (
            f"not recognizable as a letter: only {letter.letter['word_count']} words and no date, "
            "dossier, document type, subject, salutation, closing or signature"
        )
    return letter


MIN_WORDS_WITHOUT_LETTER_MARKS = 30
"""A text this long is kept even when it shows none of a letter's marks."""


def recognizable(letter: ParsedLetter) -> bool:
    """Whether a parsed file shows at least one mark of a letter, or enough text to be one.

    Recovering parsers (HTML, Markdown) turn almost anything into some text; a scrap of a few
    words with no header, salutation or signature is a broken file, not a letter.
    """
    row = letter.letter
    marks = ("date", "dossier_number", "doc_type", "subject", "salutation", "closing")
    return (
        any(row[mark] for mark in marks)
        or row["signatory_count"] > 0
        or row["word_count"] >= MIN_WORDS_WITHOUT_LETTER_MARKS
    )


def _parse_path(path: str, name: str) -> ParsedLetter | str:
    try:
        data = read_regular(path)
        record = metadata_record_for(Path(path))
        metadata = read_regular(record) if record else None
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or exc})"
    return parse_one(data, name, metadata)


def new_spool(cache_dir: Path) -> Path:
    """A fresh folder under the cache for this run's sorted runs; a killed run's are removed."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    for stale in cache_dir.glob(".spool-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=".spool-", dir=cache_dir))


Job = tuple[str, str, str | None]
"""A file to parse: its path, its name in the data, and the parse cache entry to store it in."""


def _parse_job(job: Job) -> bytes:
    """Parse one job in a worker; return its outcome pickled, stored in the parse cache as such.

    Pickled once, here: the same bytes go into the cache and back to the reading process, which
    would otherwise pickle every letter a second time.
    """
    path, name, entry = job
    data = pickle.dumps(_parse_path(path, name), protocol=pickle.HIGHEST_PROTOCOL)
    if entry is not None:
        write_atomic(Path(entry), data)
    return data


def _parse_in_order(jobs: list[Job], workers: int) -> Iterator[ParsedLetter | str]:
    """Parse `jobs` in worker processes, each file within the parse budget; yield the outcomes
    in the order given.

    Even one file is parsed in a worker: only there can a file that loops or swells be stopped.
    Workers are forked, which costs milliseconds, so a few files get as many as many files do.
    A file over budget comes back as its reason and is not cached, so a later run tries again.
    Only a few small chunks of jobs are in flight at a time, so finished letters do not pile
    up in memory when the workers run ahead of the reader.
    """
    size = max(1, min(JOBS_PER_CHUNK, len(jobs) // (workers * 8)))
    budget = Budget(settings.PARSE_TIMEOUT_SECONDS, settings.PARSE_MEMORY_MB)
    window = workers * CHUNKS_IN_FLIGHT_PER_WORKER * size
    for outcome in BudgetPool(_parse_job, budget, workers, size, window).run(jobs):
        yield outcome.reason if isinstance(outcome, Failure) else pickle.loads(outcome)


def _parse_now(job: Job) -> ParsedLetter | str:
    """Parse one job on its own, for an entry of the parse cache that no longer reads."""
    [outcome] = _parse_in_order([job], 1)
    return outcome


def ingest(
    raw_dir: Path,
    files: list[Path] | None = None,
    on_file: Callable[[Path], None] | None = None,
    cache: ParseCache | None = None,
    workers: int = 1,
    previous: PreviousBuild | None = None,
    spool: Path | None = None,
) -> IngestResult:
    """Parse and extract every file in `raw_dir` (or the given `files` below it).

    A KOOP metadata.xml beside its publication XML is read with it, not as a file of its own.
    With `previous`, a file at the same path with the same content key as in that build is not
    parsed: its letter's rows are kept from the previous tables; with a `cache`, one whose stat
    is as the last run recorded it is not even read (`ContentKeys`). With a `spool` folder,
    letters are written there as sorted runs of Arrow rows (`runs`) instead of collected as
    `ParsedLetter` objects, batch by batch, so a large folder is never held in memory.
    A file that fails is recorded with its reason and the run goes on. Files are taken from the
    most structured format to the least (`SOURCE_PRECEDENCE`), in path order within a format, as
    their outcomes arrive, so only the letters being parsed are in memory; when two files give
    the same letter_id, the first taken is kept and the other is rejected as a duplicate: the
    richer source wins, whatever the files are called or the order the filesystem lists them in.
    """
    files = scan_raw(raw_dir) if files is None else files
    find_record = MetadataRecords()
    record_of = {path: record for path in files if (record := find_record(path))}
    records = set(record_of.values())
    files = [path for path in files if path not in records]
    origins = previous.origins if previous is not None else {}
    manifest: dict[str, str] = {}
    plans: list[tuple[int, str, Path, str | Kept | None]] = []
    refusals = Refusals(raw_dir)
    keys = ContentKeys(cache.folder if cache is not None else None)
    for path in files:
        name, rank = relative_name(path, raw_dir), len(SOURCE_PRECEDENCE)
        try:
            refused = refusals(path)
            if refused is None:
                key, rank = keys(path, name, record_of.get(path))
        except OSError as exc:
            refused = f"cannot read the file ({exc.strerror or exc})"
        if refused is not None:
            plans.append((rank, name, path, refused))
            continue
        manifest[name] = key
        origin = origins.get(name)
        plans.append((rank, name, path, Kept(origin[1]) if origin and origin[0] == key else None))
    plans.sort(key=lambda plan: plan[:2])
    files = [path for _, _, path, _ in plans]
    names = [name for _, name, _, _ in plans]
    planned = [plan for _, _, _, plan in plans]
    misses = [
        index
        for index, plan in enumerate(planned)
        if plan is None and (cache is None or not cache.has(manifest[names[index]]))
    ]

    rows = LetterRows(previous=previous, spool=str(spool) if spool is not None else None)
    result = IngestResult(rows)
    buffer = RowSpool(spool) if spool is not None else None
    seen: dict[str, str] = {}
    missed = set(misses)

    def job(index: int) -> Job:
        entry = cache.entry(manifest[names[index]]) if cache is not None else None
        return str(files[index]), names[index], str(entry) if entry else None

    parsed = _parse_in_order([job(index) for index in misses], workers)
    try:
        for index, (path, name, plan) in enumerate(zip(files, names, planned, strict=True)):
            outcome = plan
            if plan is None:
                outcome = None if index in missed else cache.get(manifest[name])
                if outcome is None:  # not cached, or an entry that no longer reads
                    outcome = next(parsed) if index in missed else _parse_now(job(index))
                    result.parsed += 1
                else:
                    result.reused += 1
            elif isinstance(plan, Kept):
                result.reused += 1
            kept_notes = previous.notes.get(name, []) if previous is not None else []
            letter_id = _accept(name, outcome, seen, result, kept_notes)
            if letter_id is not None:
                result.rows.origins[name] = (manifest[name], letter_id)
                if isinstance(outcome, Kept):
                    result.rows.kept.append(letter_id)
                elif buffer is not None:
                    buffer.add(outcome)
                else:
                    result.rows.letters.append(outcome)
            if on_file is not None:
                on_file(path)
    finally:
        parsed.close()
    if cache is not None:
        result.removed = len(set(cache.previous_manifest()) - set(manifest))
        cache.finish(manifest)
        keys.save()
    if buffer is not None:
        result.rows.runs = buffer.finish()
    return result


UTF8 = (None, "utf-8", "utf-8-sig")
"""Encodings a letter is read from without a note: UTF-8, and none (binary formats)."""


def _accept(
    name: str,
    outcome: ParsedLetter | Kept | str,
    seen: dict[str, str],
    result: IngestResult,
    kept_notes: list[str],
) -> str | None:
    """The letter_id of a file's letter when it joins the tables, its notes recorded; else its
    rejection is recorded. A kept letter keeps the notes it had (`kept_notes`)."""
    if isinstance(outcome, str):
        result.rejections.append(Rejection(name, outcome))
        return None
    if isinstance(outcome, ParsedLetter):
        outcome.letter["source_path"] = name
        encoding = outcome.letter["source_encoding"]
        notes = [] if encoding in UTF8 else [f"read as {encoding}, not UTF-8"]
        notes += outcome.notes + clear_optional_faults(outcome)
        if problems := row_problems(outcome):
            result.rejections.append(Rejection(name, "invalid letter: " + "; ".join(problems)))
            return None
        letter_id = outcome.letter["letter_id"]
    else:
        letter_id, notes = outcome.letter_id, kept_notes
    if letter_id in seen:
        reason = f"duplicate letter {letter_id}, already read from {seen[letter_id]}"
        result.rejections.append(Rejection(name, reason))
        return None
    seen[letter_id] = name
    if notes:
        result.rows.notes[name] = notes
    return letter_id
