"""Read a raw folder into parsed letters, keeping every failure as a named, reasoned rejection.

Files whose content was parsed before by the same code come from the cache; the rest are parsed,
in worker processes when there are enough of them to pay for starting those. Given the previous
build, letters whose file is unchanged keep their rows in its tables and are not loaded at all.
"""

from __future__ import annotations

import errno
import hashlib
import os
import pickle
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines import settings
from pipelines.cache import ParseCache, PreviousBuild, TableCache
from pipelines.extract import ParsedLetter, extract_letter
from pipelines.formats import MetadataRecords, metadata_record_for, parse_bytes
from pipelines.model import ParseError
from pipelines.publish.files import write_atomic
from pipelines.rowcheck import clear_optional_faults, row_problems
from pipelines.schemas import TABLES
from pipelines.tablefiles import TableFile
from pipelines.tables import RowSpool, Run, build_tables
from pipelines.workers import Budget, BudgetPool, Failure

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
    """The letters of one raw folder, the files rejected, and how much work it took.

    A letter read this run (parsed, or loaded from the parse cache) is in `letters`, or in
    `runs` as rows on disk; a letter whose file did not change since the previous build is only
    in `kept`: its rows are in `previous`, that build's tables.
    """

    letters: list[ParsedLetter] = field(default_factory=list)
    runs: dict[str, list[TableFile]] = field(default_factory=dict)
    """The rows of the letters read this run as sorted runs, when ingest was given a spool."""
    spool: str | None = None
    kept: list[str] = field(default_factory=list)
    previous: PreviousBuild | None = None
    rejections: list[Rejection] = field(default_factory=list)
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Raw path -> (content key, letter_id) of every letter, for the next build to reuse."""
    notes: dict[str, list[str]] = field(default_factory=dict)
    """Raw path -> what is worth a look in a published letter (a legacy encoding, a value left
    empty), kept with the tables so that a letter kept unread keeps its notes."""
    parsed: int = 0
    reused: int = 0
    removed: int = 0

    @property
    def letter_count(self) -> int:
        """Letters accepted, however they were obtained."""
        return len(self.origins)

    def sources(self) -> dict[str, list[Run]]:
        """Per table, the sorted runs whose merge is this build's table."""
        sources: dict[str, list[Run]] = {table: list(self.runs.get(table, [])) for table in TABLES}
        if self.letters:
            letters = build_tables(self.letters)
            for table in TABLES:
                sources[table].append(letters[table])
        if self.previous is not None and self.kept:
            for table in TABLES:
                sources[table].append(self.previous.kept_rows(table, self.kept))
        return sources

    @property
    def same_tables(self) -> bool:
        """Whether this build's tables are the previous build's: every letter of that build was
        kept as it was, and no other letter was read."""
        return (
            self.previous is not None
            and not self.letters
            and not any(self.runs.values())
            and len(self.kept) == len(self.previous.origins)
        )

    def save_tables(self, cache: TableCache) -> dict[str, TableFile]:
        """This build's tables, merged into `cache`, and the spooled runs deleted.

        When they are the previous build's, that build's files are used as they are: a
        scheduled refresh of an unchanged folder rewrites nothing (0.8 s at 10,000 letters).
        """
        if self.same_tables:
            tables = dict(self.previous.tables)
        else:
            tables = cache.save(self.sources(), self.origins, self.notes)
        self.discard_runs()
        return tables

    def discard_runs(self) -> None:
        """Delete the spooled runs once they are merged into the tables."""
        if self.spool is not None:
            shutil.rmtree(self.spool, ignore_errors=True)
        self.runs = {}


def scan_raw(raw_dir: Path) -> list[Path]:
    """Every entry below `raw_dir` that is not a folder, in a stable order; hidden ones skipped.

    Symlinks and special files (FIFOs, sockets, devices) are listed too, without looking at what
    they lead to, so that ingest can report each one it will not read by name; only real folders
    are descended into. Nothing here follows a link, so a symlink loop cannot hide a folder.
    """
    found: list[Path] = []
    folders = [raw_dir]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [(entry.name, _is_folder(entry))
                          for entry in entries if not entry.name.startswith(".")]  # fmt: skip
        except OSError:  # a missing or unreadable folder lists nothing, as with Path.rglob
            continue
        for name, is_folder in listed:
            (folders if is_folder else found).append(folder / name)
    return sorted(found)


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def relative_name(path: Path, raw_dir: Path) -> str:
    """The provenance path recorded in the data: relative to the raw folder, forward slashes.

    Names that are not valid UTF-8 keep their odd bytes as backslash escapes, so every name can
    be written to Parquet and CSV.
    """
    text, prefix = str(path), os.path.join(str(raw_dir), "")
    name = text[len(prefix) :] if text.startswith(prefix) else path.relative_to(raw_dir).as_posix()
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_SPECIAL_FILES = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
}


class _Refusals:
    """Why an entry of the raw folder must not be read at all (a broken link, outside the raw
    folder, not a regular file, too large), or None; each directory is resolved once.

    A file that is not itself a symlink lies where its folder resolves to, so only symlinks
    (and each folder, once) go through `os.path.realpath`, which walks every part of the path.
    """

    def __init__(self, raw_dir: Path) -> None:
        self.root = os.path.realpath(raw_dir)
        self._inside = os.path.join(self.root, "")
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path) -> str | None:
        info = os.lstat(path)
        link = stat.S_ISLNK(info.st_mode)
        if link:
            try:
                info = os.stat(path)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    return "symlink loop: the link leads back to itself"
                return f"broken symlink ({exc.strerror or exc})"
            real = os.path.realpath(path)
        else:
            folder, name = os.path.split(str(path))
            if folder not in self._folders:
                self._folders[folder] = os.path.realpath(folder or os.curdir)
            real = os.path.join(self._folders[folder], name)
        if real != self.root and not real.startswith(self._inside):
            return "symlink pointing outside the raw folder"
        if not stat.S_ISREG(info.st_mode):
            kind = _SPECIAL_FILES.get(stat.S_IFMT(info.st_mode), "not a regular file")
            return f"{'symlink to ' if link else ''}{kind}; only regular files are read"
        if info.st_size > settings.MAX_FILE_BYTES:
            return (
                f"file is {info.st_size} bytes, over the limit of {settings.MAX_FILE_BYTES} "
                "(KAMERBRIEVEN_MAX_FILE_BYTES)"
            )
        return None


def read_regular(path: Path | str) -> bytes:
    """The bytes of a regular file; anything else raises `OSError` without blocking.

    Opened without waiting (a FIFO put in place of a file after the scan would otherwise block
    the read forever) and checked on the open descriptor, so what is read is what was checked.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return handle.read()


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


def content_key(path: Path, record: Path | None = None) -> str:
    """The cache key of a raw file: its SHA-256, and that of its metadata.xml `record` if any."""
    digest = hashlib.sha256(read_regular(path))
    if record is not None:
        digest.update(b"\0metadata.xml\0" + read_regular(record))
    return digest.hexdigest()


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
    read at all: its letter's rows are kept from the previous tables. With a `spool` folder,
    letters are written there as sorted runs of Arrow rows (`runs`) instead of collected as
    `ParsedLetter` objects, batch by batch, so a large folder is never held in memory.
    A file that fails is recorded with its reason and the run goes on. When two files give the
    same letter_id, the first in path order is kept and the other is rejected as a duplicate,
    so the choice does not depend on the order the filesystem lists files in. Files are taken
    in path order as their outcomes arrive, so only the letters being parsed are in memory.
    """
    files = scan_raw(raw_dir) if files is None else files
    find_record = MetadataRecords()
    record_of = {path: record for path in files if (record := find_record(path))}
    records = set(record_of.values())
    files = [path for path in files if path not in records]
    names = [relative_name(path, raw_dir) for path in files]
    origins = previous.origins if previous is not None else {}
    manifest: dict[str, str] = {}
    planned: list[str | Kept | None] = []
    misses: list[int] = []
    refusals = _Refusals(raw_dir)
    for index, path in enumerate(files):
        try:
            refused = refusals(path)
            key = None if refused else content_key(path, record_of.get(path))
        except OSError as exc:
            refused = f"cannot read the file ({exc.strerror or exc})"
        if refused is not None:
            planned.append(refused)
            continue
        manifest[names[index]] = key
        origin = origins.get(names[index])
        planned.append(Kept(origin[1]) if origin and origin[0] == key else None)
        if planned[-1] is None and (cache is None or not cache.has(key)):
            misses.append(index)

    result = IngestResult(previous=previous, spool=str(spool) if spool is not None else None)
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
                result.origins[name] = (manifest[name], letter_id)
                if isinstance(outcome, Kept):
                    result.kept.append(letter_id)
                elif buffer is not None:
                    buffer.add(outcome)
                else:
                    result.letters.append(outcome)
            if on_file is not None:
                on_file(path)
    finally:
        parsed.close()
    if cache is not None:
        result.removed = len(set(cache.previous_manifest()) - set(manifest))
        cache.finish(manifest)
    if buffer is not None:
        result.runs = buffer.finish()
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
        notes += clear_optional_faults(outcome)
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
        result.notes[name] = notes
    return letter_id
