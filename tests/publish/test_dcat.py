"""dcat.jsonld conforms to the official DCAT-AP 3.0.0 SHACL shapes (checked with pyshacl)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from pipelines.publish.dcat import build_dcat

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT.parent / "shared" / "reference" / "dcat-ap" / "dcat-ap-3.0.0-SHACL.ttl"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SERVED_AT = "http://127.0.0.1:8000/dcat.jsonld"

pytestmark = [
    pytest.mark.skipif(
        not SHAPES.exists(), reason=f"DCAT-AP SHACL shapes not found at {SHAPES} (shared/ missing)"
    ),
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES)


def _graph(document: dict) -> Graph:
    return Graph().parse(data=json.dumps(document), format="json-ld", publicID=SERVED_AT)


def _conforms(graph: Graph, shapes: Graph) -> tuple[bool, str]:
    conforms, _, text = validate(graph, shacl_graph=shapes)
    return conforms, text


def test_published_dcat_conforms_to_dcat_ap(published: Path, shapes: Graph) -> None:
    graph = Graph().parse(published / "dcat.jsonld", format="json-ld", publicID=SERVED_AT)
    conforms, report = _conforms(graph, shapes)
    assert conforms, report
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert URIRef("http://127.0.0.1:8000/1.0.1/") in datasets
    assert URIRef("http://127.0.0.1:8000/1.0.0/") in datasets


def test_a_broken_description_is_caught(published: Path, shapes: Graph) -> None:
    """The validator is not a formality: a dataset without a title fails the shapes."""
    graph = Graph().parse(published / "dcat.jsonld", format="json-ld", publicID=SERVED_AT)
    version = URIRef("http://127.0.0.1:8000/1.0.1/")
    graph.remove((version, DCTERMS.title, None))
    conforms, report = _conforms(graph, shapes)
    assert not conforms and "title" in report


def test_distributions_carry_size_checksum_and_resolvable_links(published: Path) -> None:
    graph = Graph().parse(published / "dcat.jsonld", format="json-ld", publicID=SERVED_AT)
    catalog = json.loads((published / "catalog.json").read_text())
    zip_entry = catalog["versions"][0]["zip"]
    urls = {str(url): distribution for distribution, url in graph.subject_objects(DCAT.downloadURL)}
    distribution = urls[f"http://127.0.0.1:8000/{zip_entry['path']}"]
    assert graph.value(distribution, DCAT.byteSize) == Literal(
        str(zip_entry["bytes"]),
        datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"),
    )
    checksum = graph.value(distribution, SPDX.checksum)
    assert str(graph.value(checksum, SPDX.checksumValue)) == zip_entry["sha256"]
    for url in urls:
        relative = url.removeprefix("http://127.0.0.1:8000/")
        assert (published / relative).is_file(), url


def test_context_is_inline_and_output_deterministic(published: Path) -> None:
    catalog = json.loads((published / "catalog.json").read_text())
    document = build_dcat(catalog)
    assert isinstance(document["@context"], dict), "no remote context to fetch"
    assert json.loads((published / "dcat.jsonld").read_text()) == document
    assert build_dcat(catalog) == document
    assert len(_graph(document)) > 100
