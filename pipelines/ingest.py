"""Read a raw folder into parsed letters, keeping every failure as a named, reasoned rejection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.extract import ParsedLetter, extract_letter
from pipelines.formats import parse_file
from pipelines.model import ParseError


@dataclass
class Rejection:
    """A raw file that did not become a letter, and why."""

    path: str
    reason: str


@dataclass
class IngestResult:
    letters: list[ParsedLetter] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def scan_raw(raw_dir: Path) -> list[Path]:
    """Every regular file below `raw_dir`, in a stable order; hidden files are skipped."""
    return sorted(
        path
        for path in raw_dir.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(raw_dir).parts)
    )


def relative_name(path: Path, raw_dir: Path) -> str:
    """The provenance path recorded in the data: relative to the raw folder, forward slashes."""
    return path.relative_to(raw_dir).as_posix()


def ingest(
    raw_dir: Path,
    files: list[Path] | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> IngestResult:
    """Parse and extract every file in `raw_dir` (or the given `files` below it).

    A file that fails is recorded with its reason and the run goes on. When two files give the
    same letter_id, the first in path order is kept and the other is rejected as a duplicate,
    so the choice does not depend on the order the filesystem lists files in.
    """
    result = IngestResult()
    seen: dict[str, str] = {}
    for path in scan_raw(raw_dir) if files is None else files:
        name = relative_name(path, raw_dir)
        if on_file is not None:
            on_file(path)
        try:
            letter = extract_letter(parse_file(path, name))
        except ParseError as exc:
            result.rejections.append(Rejection(name, str(exc).removeprefix(f"{name}: ")))
            continue
        except Exception as exc:  # a parser bug must not cost the other letters their release
            result.rejections.append(Rejection(name, f"unexpected {type(exc).__name__}: {exc}"))
            continue
        letter_id = letter.letter["letter_id"]
        if letter_id in seen:
            result.rejections.append(
                Rejection(
                    name, f"duplicate letter {letter_id}, already read from {seen[letter_id]}"
                )
            )
            continue
        seen[letter_id] = name
        result.letters.append(letter)
    return result
