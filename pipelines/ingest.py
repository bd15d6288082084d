"""Read a raw folder into parsed letters, keeping every failure as a named, reasoned rejection.

Files whose content was parsed before by the same code come from the cache; the rest are parsed,
in worker processes when there are enough of them to pay for starting those. Given the previous
build, letters whose file is unchanged keep their rows from its tables and are not loaded at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipelines import settings
from pipelines.cache import ParseCache, PreviousBuild
from pipelines.extract import ParsedLetter, extract_letter
from pipelines.formats import metadata_record_for, parse_bytes
from pipelines.model import ParseError
from pipelines.rowcheck import row_problems
from pipelines.tables import RowBuffer


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
    `new_rows` as rows; a letter whose file did not change since the previous build is only in
    `kept_rows`: the rows of those letters, taken from that build's tables.
    """

    letters: list[ParsedLetter] = field(default_factory=list)
    new_rows: dict[str, pa.Table] = field(default_factory=dict)
    """The rows of the letters read this run, when ingest was asked for rows, not letters."""
    kept_rows: dict[str, pa.Table] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Raw path -> (content key, letter_id) of every letter, for the next build to reuse."""
    parsed: int = 0
    reused: int = 0
    removed: int = 0

    def release_rows(self) -> None:
        """Let go of the rows once they are in the tables.

        The result itself lives until the run ends (the ingest report needs its rejections and
        counts); without this its copy of every row would too, a third of a refresh's memory.
        """
        self.new_rows, self.kept_rows = {}, {}

    @property
    def letter_count(self) -> int:
        """Letters accepted, however they were obtained."""
        return len(self.origins)


def scan_raw(raw_dir: Path) -> list[Path]:
    """Every file and symlink below `raw_dir`, in a stable order; hidden files are skipped.

    Symlinks are listed even when they point at folders, so that one pointing outside the raw
    folder is reported rather than silently passed over.
    """
    return sorted(
        path
        for path in raw_dir.rglob("*")
        if (path.is_file() or path.is_symlink())
        and not any(part.startswith(".") for part in path.relative_to(raw_dir).parts)
    )


def relative_name(path: Path, raw_dir: Path) -> str:
    """The provenance path recorded in the data: relative to the raw folder, forward slashes.

    Names that are not valid UTF-8 keep their odd bytes as backslash escapes, so every name can
    be written to Parquet and CSV.
    """
    name = path.relative_to(raw_dir).as_posix()
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def refuse_reason(path: Path, raw_dir: Path) -> str | None:
    """Why a file must not be read at all (outside the raw folder, too large), or None."""
    if not path.resolve().is_relative_to(raw_dir.resolve()):
        return "symlink pointing outside the raw folder"
    size = path.stat().st_size
    if size > settings.MAX_FILE_BYTES:
        return (
            f"file is {size} bytes, over the limit of {settings.MAX_FILE_BYTES} "
            "(KAMERBRIEVEN_MAX_FILE_BYTES)"
        )
    return None


def parse_one(data: bytes, name: str, metadata_record: bytes | None = None) -> ParsedLetter | str:
    """Parse and extract one file; a failure is returned as its reason instead of raised.

    Returning the reason (rather than raising) is what lets worker processes hand failures back
    and the cache remember them.
    """
    try:
        letter = extract_letter(parse_bytes(data, name, metadata_record))
    except ParseError as exc:
        return str(exc).removeprefix(f"{name}: ")
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


def _parse_path(args: tuple[str, str]) -> ParsedLetter | str:
    path, name = args
    try:
        data = Path(path).read_bytes()
        record = metadata_record_for(Path(path))
        metadata = record.read_bytes() if record else None
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or exc})"
    return parse_one(data, name, metadata)


def content_key(path: Path) -> str:
    """The cache key of a raw file: its SHA-256, and its metadata.xml's when one lies beside it."""
    digest = hashlib.sha256(path.read_bytes())
    if record := metadata_record_for(path):
        digest.update(b"\0metadata.xml\0" + record.read_bytes())
    return digest.hexdigest()


def _parse_in_order(jobs: list[tuple[str, str]], workers: int) -> Iterator[ParsedLetter | str]:
    """Parse `jobs` and yield their outcomes in the order given, in worker processes if it pays."""
    if workers > 1 and len(jobs) >= settings.PARALLEL_MIN_FILES:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(_parse_path, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
    else:
        yield from map(_parse_path, jobs)


def ingest(
    raw_dir: Path,
    files: list[Path] | None = None,
    on_file: Callable[[Path], None] | None = None,
    cache: ParseCache | None = None,
    workers: int = 1,
    previous: PreviousBuild | None = None,
    as_rows: bool = False,
) -> IngestResult:
    """Parse and extract every file in `raw_dir` (or the given `files` below it).

    A KOOP metadata.xml beside its publication XML is read with it, not as a file of its own.
    With `previous`, a file at the same path with the same content key as in that build is not
    read at all: its letter's rows are kept from the previous tables. With `as_rows`, letters
    are collected as Arrow rows (`new_rows`) instead of `ParsedLetter` objects, batch by batch,
    so a large folder is never held as Python objects.
    A file that fails is recorded with its reason and the run goes on. When two files give the
    same letter_id, the first in path order is kept and the other is rejected as a duplicate,
    so the choice does not depend on the order the filesystem lists files in. Files are taken
    in path order as their outcomes arrive, so only the letters being parsed are in memory.
    """
    files = scan_raw(raw_dir) if files is None else files
    records = {record for path in files if (record := metadata_record_for(path))}
    files = [path for path in files if path not in records]
    names = [relative_name(path, raw_dir) for path in files]
    origins = previous.origins if previous is not None else {}
    manifest: dict[str, str] = {}
    planned: list[str | Kept | None] = []
    misses: list[int] = []
    for index, path in enumerate(files):
        try:
            refused = refuse_reason(path, raw_dir)
            key = None if refused else content_key(path)
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

    result = IngestResult()
    buffer = RowBuffer() if as_rows else None
    seen: dict[str, str] = {}
    kept: list[str] = []
    missed = set(misses)
    parsed = _parse_in_order([(str(files[i]), names[i]) for i in misses], workers)
    try:
        for index, (path, name, plan) in enumerate(zip(files, names, planned, strict=True)):
            outcome = plan
            if plan is None:
                outcome = None if index in missed else cache.get(manifest[name])
                if outcome is None:  # not cached, or an entry that no longer reads
                    outcome = next(parsed) if index in missed else _parse_path((str(path), name))
                    result.parsed += 1
                    if cache is not None:
                        cache.put(manifest[name], outcome)
                else:
                    result.reused += 1
            elif isinstance(plan, Kept):
                result.reused += 1
            letter_id = _accept(name, outcome, seen, result)
            if letter_id is not None:
                result.origins[name] = (manifest[name], letter_id)
                if isinstance(outcome, Kept):
                    kept.append(letter_id)
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
        result.new_rows = buffer.tables()
    if previous is not None and kept:
        wanted = pa.array(kept, pa.string())
        result.kept_rows = {
            table: rows.filter(pc.is_in(rows["letter_id"], value_set=wanted))
            for table, rows in previous.tables.items()
        }
    return result


def _accept(
    name: str, outcome: ParsedLetter | Kept | str, seen: dict[str, str], result: IngestResult
) -> str | None:
    """The letter_id of a file's letter when it joins the tables; else its rejection is noted."""
    if isinstance(outcome, str):
        result.rejections.append(Rejection(name, outcome))
        return None
    if isinstance(outcome, ParsedLetter):
        outcome.letter["source_path"] = name
        if problems := row_problems(outcome):
            result.rejections.append(Rejection(name, "invalid letter: " + "; ".join(problems)))
            return None
        letter_id = outcome.letter["letter_id"]
    else:
        letter_id = outcome.letter_id
    if letter_id in seen:
        reason = f"duplicate letter {letter_id}, already read from {seen[letter_id]}"
        result.rejections.append(Rejection(name, reason))
        return None
    seen[letter_id] = name
    return letter_id
