"""`OUT/dcat.jsonld`: the dataset and its downloads in DCAT-AP 3, for catalogs that harvest.

data.overheid.nl and the European data portal read DCAT-AP. The description is built from the
catalog alone: one `dcat:Catalog`, the dataset (its distributions are the newest files in
`latest/` and the newest zip) and one dataset per version (`dcat:hasVersion`), each with its zip,
datapackage.json and tables. Where DCAT-AP-NL asks for more than DCAT-AP (a Dutch title and
description, a contact point, access rights, a theme from data.overheid.nl's taxonomy, the EU
vocabularies for language, licence and file type) those are given too.

The JSON-LD carries its context inline, so reading it needs no network. Links to the files are
relative IRIs, which JSON-LD resolves against the address the file is fetched from: the same
dcat.jsonld is right on any server. Every IRI used as a value is typed with the class DCAT-AP
expects (even `rdfs:Resource` for URLs), because the official shapes check classes without
inference.
"""

from __future__ import annotations

from typing import Any

from pipelines.publish.database import SQLITE_MEDIATYPE, database_name

EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
OWMS_BESTUUR = "http://standaarden.overheid.nl/owms/terms/Bestuur"
"""The theme from data.overheid.nl's own taxonomy, next to the EU data theme."""
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TITLE_NL = "Kamerbrieven: brieven van de regering aan de Tweede Kamer"
DESCRIPTION_NL = (
    "Brieven van ministers en staatssecretarissen aan de Tweede Kamer (Kamerbrieven), "
    "genormaliseerd in tabellen: brieven, alinea's, voetnoten, vragen en antwoorden, "
    "verwijzingen naar andere parlementaire stukken en ondertekenaars."
)

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_FILE_TYPES = {
    "zip": ("ZIP", "application/zip"),
    "parquet": ("PARQUET", "application/vnd.apache.parquet"),
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
    "sqlite": (None, SQLITE_MEDIATYPE),
}
"""Per kind of file, its EU file type (None where the EU vocabulary has none: SQLite) and its
IANA media type."""


def _typed(iri: str, cls: str | list[str], **extra: Any) -> dict[str, Any]:
    return {"@id": iri, "@type": cls, **extra}


def _text(value: str, language: str = "en") -> dict[str, str]:
    return {"@value": value, "@language": language}


def _literal(value: Any, datatype: str) -> dict[str, str]:
    return {"@value": str(value), "@type": datatype}


def _link(path: str) -> dict[str, Any]:
    return _typed(path, "rdfs:Resource")


def _licence() -> dict[str, Any]:
    return _typed(f"{EU}licence/CC0", "dct:LicenseDocument")


def _distribution(
    iri: str, title: str, entry: dict[str, Any], kind: str, url: str
) -> dict[str, Any]:
    """A downloadable file: URL, format, media type, size, sha256 and licence."""
    file_type, media_type = _FILE_TYPES[kind]
    distribution = {
        "@id": iri,
        "@type": "dcat:Distribution",
        "dct:title": _text(title),
        "dcat:accessURL": _link("index.html"),
        "dcat:downloadURL": _link(url),
        "dcat:mediaType": _typed(f"{IANA}{media_type}", "dct:MediaType"),
        "dcat:byteSize": _literal(entry["bytes"], "xsd:nonNegativeInteger"),
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": _typed("spdx:checksumAlgorithm_sha256", "spdx:ChecksumAlgorithm"),
            "spdx:checksumValue": _literal(entry["sha256"], "xsd:hexBinary"),
        },
        "dct:license": _licence(),
    }
    if file_type is not None:
        distribution["dct:format"] = _typed(f"{EU}file-type/{file_type}", "dct:MediaTypeOrExtent")
    if kind in ("zip", "json"):
        distribution["dct:conformsTo"] = _typed(DATAPACKAGE_PROFILE, "dct:Standard")
    return distribution


def _distributions(version: dict[str, Any], prefix: str, folder: str) -> list[dict[str, Any]]:
    """The zip, datapackage.json and table files of `version`, with links into `folder`."""
    found = []
    if version["zip"]:
        title = f"Data package {version['version']} (zip)"
        found.append(
            _distribution(f"{prefix}zip", title, version["zip"], "zip", version["zip"]["path"])
        )
    for entry in version["files"]:
        name = entry["path"].rsplit("/", 1)[-1]
        if name == "datapackage.json":
            found.append(
                _distribution(
                    f"{prefix}datapackage", "datapackage.json", entry, "json", folder + name
                )
            )
        elif name == database_name(version["version"]):
            title = f"SQLite database {version['version']}"
            found.append(_distribution(f"{prefix}sqlite", title, entry, "sqlite", folder + name))
        elif "resource" in entry:
            title = f"{entry['title']} ({entry['format'].upper()})"
            iri = f"{prefix}{entry['resource']}"
            found.append(_distribution(iri, title, entry, entry["format"], folder + name))
    return found


def _dataset_common(catalog: dict[str, Any]) -> dict[str, Any]:
    """Properties shared by the dataset and each of its versions."""
    return {
        "dct:description": [_text(catalog["description"]), _text(DESCRIPTION_NL, "nl")],
        "dct:publisher": _publisher(catalog),
        "dct:language": _typed(f"{EU}language/NLD", "dct:LinguisticSystem"),
        "dct:accessRights": _typed(f"{EU}access-right/PUBLIC", "dct:RightsStatement"),
        "dct:spatial": _typed(f"{EU}country/NLD", "dct:Location"),
        "dcat:theme": [
            _typed(
                f"{EU}data-theme/GOVE",
                "skos:Concept",
                **{"skos:prefLabel": _text("Government and public sector")},
            ),
            _typed(OWMS_BESTUUR, "skos:Concept", **{"skos:prefLabel": _text("Bestuur", "nl")}),
        ],
        "dcat:keyword": [_text(k) for k in catalog.get("keywords", [])],
        "dcat:landingPage": _typed("index.html", "foaf:Document"),
        "dcat:contactPoint": {
            "@type": ["vcard:Kind", "vcard:Organization"],
            "vcard:fn": catalog["name"],
            "vcard:hasURL": _link(f"{catalog['homepage']}/issues"),
        },
    }


def _publisher(catalog: dict[str, Any]) -> dict[str, Any]:
    return _typed(catalog["homepage"], "foaf:Agent", **{"foaf:name": f"{catalog['name']} project"})


def _period(version: dict[str, Any]) -> dict[str, Any] | None:
    period = version.get("period")
    if not period:
        return None
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": _literal(period["start"], "xsd:date"),
        "dcat:endDate": _literal(period["end"], "xsd:date"),
    }


def build_dcat(catalog: dict[str, Any]) -> dict[str, Any]:
    """The DCAT-AP JSON-LD document describing every version in `catalog`."""
    versions = catalog["versions"]
    newest, oldest = versions[0], versions[-1]
    dataset_iri = catalog["id"]
    version_nodes = []
    for version in versions:
        number = version["version"]
        node = {
            "@id": version["path"],
            "@type": "dcat:Dataset",
            "dct:title": [
                _text(f"{catalog['title']}, version {number}"),
                _text(f"{TITLE_NL}, versie {number}", "nl"),
            ],
            "dct:identifier": f"{catalog['name']}-{number}",
            "dcat:version": number,
            "adms:versionNotes": _text(version.get("summary") or f"Version {number}."),
            "dct:issued": _literal(version["created"], "xsd:dateTime"),
            "dcat:isVersionOf": {"@id": dataset_iri},
            "dcat:distribution": _distributions(version, f"#v{number}-", version["path"]),
            **_dataset_common(catalog),
        }
        if period := _period(version):
            node["dct:temporal"] = period
        version_nodes.append(node)
    dataset = {
        "@id": dataset_iri,
        "@type": "dcat:Dataset",
        "dct:title": [_text(catalog["title"]), _text(TITLE_NL, "nl")],
        "dct:identifier": dataset_iri,
        "dcat:version": newest["version"],
        "dct:issued": _literal(oldest["created"], "xsd:dateTime"),
        "dct:modified": _literal(newest["created"], "xsd:dateTime"),
        "dct:accrualPeriodicity": _typed(f"{EU}frequency/IRREG", "dct:Frequency"),
        "dcat:hasVersion": [{"@id": v["path"]} for v in versions],
        "dcat:distribution": _distributions(newest, "#latest-", "latest/"),
        **_dataset_common(catalog),
    }
    if period := _period(newest):
        dataset["dct:temporal"] = period
    catalog_node = {
        "@id": "#catalog",
        "@type": "dcat:Catalog",
        "dct:title": [_text(catalog["title"]), _text(TITLE_NL, "nl")],
        "dct:description": [_text(catalog["description"]), _text(DESCRIPTION_NL, "nl")],
        "dct:publisher": _publisher(catalog),
        "dct:license": _licence(),
        "dct:language": _typed(f"{EU}language/NLD", "dct:LinguisticSystem"),
        "dct:modified": _literal(newest["created"], "xsd:dateTime"),
        "foaf:homepage": _typed("index.html", "foaf:Document"),
        "dcat:themeTaxonomy": _typed(
            f"{EU}data-theme", "skos:ConceptScheme", **{"dct:title": _text("Data theme")}
        ),
        "dcat:dataset": [{"@id": dataset_iri}, *({"@id": v["path"]} for v in versions)],
    }
    return {"@context": CONTEXT, "@graph": [catalog_node, dataset, *version_nodes]}
