"""A cache of parsed letters keyed by the raw file's content and the parser's code.

An incremental refresh re-parses only files whose bytes changed since the last run. The key is
the file's SHA-256 plus a fingerprint of the parsing and extraction code (and PARSER_VERSION), so a
change to any rule invalidates every entry without anyone having to remember to bump a number.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from functools import cache
from pathlib import Path

import pipelines
from pipelines import PARSER_VERSION
from pipelines.publish.files import json_bytes, write_atomic

_CODE_DIRS = ("formats", "extract")
_CODE_FILES = ("model.py", "__init__.py")


@cache
def code_fingerprint() -> str:
    """SHA-256 over the parser version and the source of every parsing and extraction module."""
    root = Path(pipelines.__file__).parent
    digest = hashlib.sha256(PARSER_VERSION.encode())
    files = [root / name for name in _CODE_FILES]
    files += sorted(p for d in _CODE_DIRS for p in (root / d).rglob("*.py"))
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


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

    def put(self, sha256: str, value: object) -> None:
        """Store a result atomically, so a killed run never leaves a half-written entry."""
        self.entries.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(self.entries / f"{sha256}.pkl", data)

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
