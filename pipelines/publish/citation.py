"""How to cite a release: the repository's CITATION.cff, stamped with the release's version and
date in every release folder, and one suggested citation for datapackage.json and the catalog.

A researcher cites the version they analysed, so the citation is written with each release
rather than kept in the repository alone, where it could only name the code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CITATION_CFF = "CITATION.cff"
REPOSITORY_CITATION = Path(__file__).resolve().parents[2] / CITATION_CFF
"""The checkout's CITATION.cff (title, authors, licence); `PACKAGE_METADATA` must agree."""


def release_citation(version: str, created: str) -> str:
    """The repository's CITATION.cff with this release's version and date."""
    base = REPOSITORY_CITATION.read_text(encoding="utf-8").rstrip("\n")
    return f'{base}\nversion: "{version}"\ndate-released: "{created[:10]}"\n'


def suggested_citation(metadata: dict[str, Any], version: str, created: str) -> str:
    """One line to cite the release: authors (year). Title (version) [Data set]. Homepage."""
    return (
        f"The kamerbrieven contributors ({created[:4]}). {metadata['title']} "
        f"(version {version}) [Data set]. {metadata['homepage']}"
    )


def write_citation(folder: Path, version: str, created: str) -> None:
    """Write the release's CITATION.cff into `folder`."""
    (folder / CITATION_CFF).write_text(release_citation(version, created), encoding="utf-8")
