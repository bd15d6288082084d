"""How to cite a release: CITATION.cff stamped per release, a suggested citation in the package."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from pipelines.publish.citation import REPOSITORY_CITATION
from pipelines.publish.package import PACKAGE_METADATA


def test_the_repository_citation_agrees_with_the_package_metadata() -> None:
    cff = yaml.safe_load(REPOSITORY_CITATION.read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "dataset"
    assert cff["title"] == PACKAGE_METADATA["title"]
    assert cff["url"] == PACKAGE_METADATA["homepage"]
    assert cff["license"] == PACKAGE_METADATA["licenses"][0]["name"]
    assert cff["keywords"] == PACKAGE_METADATA["keywords"]
    assert [author["name"] for author in cff["authors"]] == ["The kamerbrieven contributors"]


def test_each_release_holds_its_citation(published: Path) -> None:
    for version in ("1.0.0", "1.0.1"):
        descriptor = json.loads((published / version / "datapackage.json").read_text())
        year = descriptor["created"][:4]
        assert descriptor["citation"] == (
            f"The kamerbrieven contributors ({year}). {PACKAGE_METADATA['title']} "
            f"(version {version}) [Data set]. {PACKAGE_METADATA['homepage']}"
        )
        cff = yaml.safe_load((published / version / "CITATION.cff").read_text(encoding="utf-8"))
        assert (cff["version"], cff["date-released"]) == (version, descriptor["created"][:10])
        assert cff["title"] == PACKAGE_METADATA["title"]
