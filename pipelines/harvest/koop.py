"""officielebekendmakingen.nl through KOOP's SRU 2.0 search: every Kamerstuk letter as
publication XML with its metadata.xml.

The query asks for Kamerstukken of subrubriek `Brief` modified on or after a day
(`dt.modified`, day precision), oldest first; pages are read with `startRecord` until the
response gives no `nextRecordPosition`. Both files of a record are fetched from the URLs the
record names (`gzd:itemUrl`), only when they are on the search service's host.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from lxml import etree

from pipelines.harvest.http import Client, ServiceError, same_origin

SRU = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
GZD = "http://standaarden.overheid.nl/sru"
DCTERMS = "http://purl.org/dc/terms/"
NS = {"sru": SRU, "gzd": GZD, "dcterms": DCTERMS}
PAGE_SIZE = 100
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class KoopRecord:
    """One publication the search lists: its id, when it was modified, where its files are."""

    identifier: str
    modified: str
    xml_url: str | None
    metadata_url: str | None


def letter_query(since: date) -> str:
    return (
        "c.product-area==officielepublicaties and w.publicatienaam==Kamerstuk and "
        f"dt.type==Kamerstuk and w.subrubriek==Brief and dt.modified>={since.isoformat()} "
        "sortBy dt.modified/sort.ascending"
    )


def list_records(client: Client, base: str, since: date) -> Iterator[tuple[KoopRecord, int]]:
    """Every letter publication modified on or after `since`, with the announced total."""
    position = 1
    seen: set[int] = set()
    while True:
        params = {
            "operation": "searchRetrieve",
            "version": "2.0",
            "query": letter_query(since),
            "startRecord": str(position),
            "maximumRecords": str(PAGE_SIZE),
            "recordSchema": "gzd",
            "httpAccept": "application/xml",
        }
        url = f"{base}?{urlencode(params)}"
        try:
            root = etree.fromstring(client.get_bytes(url), parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ServiceError(f"{url}: answer is not XML ({exc})") from exc
        if root.tag != f"{{{SRU}}}searchRetrieveResponse":
            message = " ".join(root.itertext()).strip()[:200]
            raise ServiceError(f"{url}: not a search response ({message or root.tag})")
        total = int(root.findtext("sru:numberOfRecords", "0", NS) or 0)
        for record in root.iterfind("sru:records/sru:record", NS):
            yield _record(record, base), total
        following = root.findtext("sru:nextRecordPosition", None, NS)
        if not following:
            return
        position = int(following)
        if position in seen:
            raise ServiceError(f"{url}: nextRecordPosition {position} read before")
        seen.add(position)


def _record(record: etree._Element, base: str) -> KoopRecord:
    identifier = record.findtext(".//dcterms:identifier", "", NS).strip()
    modified = record.findtext(".//dcterms:modified", "", NS).strip()
    urls = {
        item.get("manifestation"): (item.text or "").strip()
        for item in record.iterfind(".//gzd:itemUrl", NS)
    }

    def on_host(url: str | None) -> str | None:
        if url and not same_origin(url, base):
            raise ServiceError(f"{identifier}: file URL {url} is not on {base}")
        return url or None

    return KoopRecord(identifier, modified, on_host(urls.get("xml")), on_host(urls.get("metadata")))
