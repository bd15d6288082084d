"""The parse cache: what parsing each raw file gave, kept between runs.

An incremental refresh re-parses only files whose bytes changed since the last run. The key is
the file's SHA-256 plus a fingerprint of the parsing and extraction code, so a change to any rule
invalidates every entry without anyone having to remember to bump a number.
"""

from __future__ import annotations

import json
import pickle
import shutil
from functools import cache
from pathlib import Path

from pipelines.util import json_bytes, source_fingerprint, write_atomic

PARSE_CODE = ("model.py", "formats", "extract")
"""The code whose output the parse cache holds: any change to it invalidates every entry."""


@cache
def code_fingerprint() -> str:
    """A fingerprint of the parsing and extraction code."""
    return source_fingerprint(PARSE_CODE)


class ParseCache:
    """Parsed letters (or rejection reasons) on disk, one pickle per raw file content.

    Also keeps the manifest of the previous run (raw path -> content hash), which is how a
    refresh knows which files were removed since.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries = folder / f"parsed-{code_fingerprint()}"
        self.manifest_path = folder / "manifest.json"

    def get(self, sha256: str) -> object | None:
        """The cached result for a content hash, or None on a miss or an unreadable entry."""
        path = self.entries / f"{sha256}.pkl"
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def has(self, sha256: str) -> bool:
        """Whether an entry for this content hash exists (it may still fail to read)."""
        return (self.entries / f"{sha256}.pkl").is_file()

    def entry(self, sha256: str) -> Path:
        """Where the pickled result for a content hash is stored (atomically, see `write_atomic`).

        The parsing worker writes it itself, with the bytes it hands back anyway; the folder
        is created here.
        """
        self.entries.mkdir(parents=True, exist_ok=True)
        return self.entries / f"{sha256}.pkl"

    def previous_manifest(self) -> dict[str, str]:
        """Raw path -> content hash as of the last completed ingest."""
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def finish(self, manifest: dict[str, str]) -> None:
        """Record this run's manifest and drop entries and old code versions no file uses."""
        self.folder.mkdir(parents=True, exist_ok=True)
        keep = {f"{sha}.pkl" for sha in manifest.values()}
        if self.entries.exists():
            for entry in self.entries.iterdir():
                if entry.name not in keep:  # includes temporary files of a killed run
                    entry.unlink(missing_ok=True)
        for other in self.folder.glob("parsed-*"):
            if other != self.entries:
                shutil.rmtree(other, ignore_errors=True)
        write_atomic(self.manifest_path, json_bytes(dict(sorted(manifest.items()))))
