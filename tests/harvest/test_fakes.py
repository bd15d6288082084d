"""The fake Gegevensmagazijn and KOOP services answer as the reference describes (shapes, paging,
filters, downloads, deletions, faults), so the harvester's tests can trust what they run against."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from lxml import etree

from tests.harvest.fakes import (
    FakeServices,
    Html200,
    LoopingNextLink,
    RedirectOffHost,
    ResetMidBody,
    ShiftDuringPaging,
    ShortBody,
    Slow,
    Status,
)

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"word/document.xml" * 20
DOC = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 100
LETTERS = "Verwijderd eq false and Soort eq 'Brief regering'"
EXPAND = "DocumentActor,Kamerstukdossier,Zaak"
ORDER = "ApiGewijzigdOp asc,Id asc"
# Property order of examples/odata_document_page_reconstructed.json.
DOCUMENT_KEYS = [
    "Id", "Soort", "DocumentNummer", "Titel", "Onderwerp", "Datum", "Vergaderjaar", "Kamer",
    "Volgnummer", "Citeertitel", "Alias", "DatumRegistratie", "DatumOntvangst", "Aanhangselnummer",
    "KenmerkAfzender", "Organisatie", "ContentType", "ContentLength", "GewijzigdOp",
    "ApiGewijzigdOp", "Verwijderd", "HuidigeDocumentVersie_Id",
]  # fmt: skip
NS = {
    "sru": "http://docs.oasis-open.org/ns/search-ws/sruResponse",
    "gzd": "http://standaarden.overheid.nl/sru",
    "dcterms": "http://purl.org/dc/terms/",
    "ow": "http://standaarden.overheid.nl/wetgeving/",
    "diag": "http://docs.oasis-open.org/ns/search-ws/diagnostic",
}
MINISTER = {
    "ActorNaam": "D.M. van Weel",
    "Functie": "minister van Justitie en Veiligheid",
    "Relatie": "Eerste ondertekenaar",
}


@pytest.fixture
def fake() -> Iterator[FakeServices]:
    with FakeServices(page_size=3, sru_page_cap=2) as services:
        yield services


def get(url: str, **params: Any) -> requests.Response:
    return requests.get(url, params=params or None, timeout=10, allow_redirects=False)


def documents(fake: FakeServices, **options: str) -> requests.Response:
    """GET Document with `$`-less option names, ordered by ApiGewijzigdOp unless told."""
    options.setdefault("orderby", ORDER)
    return get(fake.tk_url + "Document", **{f"${k}": v for k, v in options.items()})


def numbers(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["DocumentNummer"] for row in response.json()["value"]]


def add_letters(fake: FakeServices, count: int) -> list[str]:
    """`count` letters 2024D00001..., each one fake second apart."""
    for i in range(1, count + 1):
        fake.add_document(f"2024D{i:05d}", PDF + str(i).encode(), onderwerp=f"Brief {i}")
    return [f"2024D{i:05d}" for i in range(1, count + 1)]


def sru(fake: FakeServices, query: str, start: int = 1, maximum: int = 2) -> etree._Element:
    response = get(
        fake.koop_url,
        operation="searchRetrieve",
        version="2.0",
        query=query,
        startRecord=start,
        maximumRecords=maximum,
        recordSchema="gzd",
        httpAccept="application/xml",
    )
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def identifiers(root: etree._Element) -> list[str]:
    return root.xpath("//dcterms:identifier/text()", namespaces=NS)


# --- OData --------------------------------------------------------------------------------------


def test_pages_count_and_next_links(fake: FakeServices) -> None:
    letters = add_letters(fake, 7)
    fake.add_document("2024D09999", PDF, soort="Motie")
    first = documents(fake, filter=LETTERS, expand=EXPAND, orderby=ORDER, count="true")
    payload = first.json()
    assert list(payload) == ["@odata.context", "@odata.count", "value", "@odata.nextLink"]
    assert payload["@odata.context"] == (
        f"{fake.tk_url}$metadata#Document(DocumentActor(),Kamerstukdossier(),Zaak())"
    )
    assert payload["@odata.count"] == 7
    assert list(payload["value"][0]) == [
        *DOCUMENT_KEYS,
        "DocumentActor",
        "Kamerstukdossier",
        "Zaak",
    ]
    assert payload["@odata.nextLink"] == (
        f"{fake.tk_url}Document?$filter=Verwijderd%20eq%20false%20and%20Soort%20eq%20%27Brief"
        "%20regering%27&$expand=DocumentActor%2CKamerstukdossier%2CZaak&$orderby=ApiGewijzigdOp"
        "%20asc%2CId%20asc&$count=true&$skip=3"
    )
    seen, sizes, response = [], [], first
    while True:
        seen += numbers(response)
        sizes.append(len(response.json()["value"]))
        if "@odata.nextLink" not in response.json():
            break
        response = get(response.json()["@odata.nextLink"])
    assert sizes == [3, 3, 1]
    assert seen == letters
    assert fake.requests[-1].query["$skip"] == "6"


def test_top_skip_select_and_empty_pages(fake: FakeServices) -> None:
    add_letters(fake, 5)
    top = documents(fake, orderby=ORDER, top="2", skip="1")
    assert numbers(top) == ["2024D00002", "2024D00003"]
    assert "@odata.nextLink" not in top.json()
    assert len(documents(fake, top="100").json()["value"]) == 3  # page size caps $top silently
    selected = documents(fake, select="Id,DocumentNummer", top="1").json()
    assert selected["@odata.context"].endswith("$metadata#Document(Id,DocumentNummer)")
    assert list(selected["value"][0]) == ["Id", "DocumentNummer"]
    empty = documents(fake, filter="DocumentNummer eq 'nope'", count="true")
    assert empty.json() == {"@odata.context": f"{fake.tk_url}$metadata#Document", "@odata.count": 0,
                            "value": []}  # fmt: skip
    assert documents(fake, skip="50").json()["value"] == []


def test_timestamps_identity_and_versions(fake: FakeServices) -> None:
    guid = fake.add_document("2024D34636", PDF, datum="2024-09-17")
    fake.add_document("2024D00100", None, datum="2024-12-02")
    assert re.fullmatch(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", guid)
    with FakeServices() as other:
        assert other.add_document("2024D34636", None) == guid == fake.document_id("2024D34636")
    rows = documents(fake, orderby=ORDER).json()["value"]
    assert rows[0]["ApiGewijzigdOp"] == "2024-09-02T08:00:01.0000000Z"
    assert rows[0]["GewijzigdOp"] == "2024-09-02T10:00:01.0000000+02:00"
    assert (rows[0]["Datum"], rows[0]["Vergaderjaar"]) == ("2024-09-17T00:00:00+02:00", "2024-2025")
    assert (rows[1]["Datum"], rows[1]["Vergaderjaar"]) == ("2024-12-02T00:00:00+01:00", "2024-2025")
    file_columns = ("ContentType", "ContentLength", "HuidigeDocumentVersie_Id")
    assert [rows[1][key] for key in file_columns] == [None, None, None]
    assert rows[0]["ContentType"] == "application/pdf" and rows[0]["ContentLength"] == len(PDF)
    fake.add_document("2024D00101", None, datum="2024-09-16")
    assert numbers(documents(fake, filter="Vergaderjaar eq '2023-2024'")) == ["2024D00101"]

    fake.replace_document("2024D34636", DOCX)
    fake.update_document("2024D34636", onderwerp="Nieuw onderwerp")
    (row,) = documents(fake, filter=f"Id eq {guid}").json()["value"]
    assert row["Id"] == guid and row["Onderwerp"] == "Nieuw onderwerp"
    assert row["ContentType"].endswith("wordprocessingml.document")
    assert row["ContentLength"] == len(DOCX)
    assert row["HuidigeDocumentVersie_Id"] != rows[0]["HuidigeDocumentVersie_Id"]
    assert row["ApiGewijzigdOp"] == "2024-09-02T08:00:05.0000000Z"
    with pytest.raises(TypeError):
        fake.update_document("2024D34636", colour="red")


def test_filter_grammar(fake: FakeServices) -> None:
    add_letters(fake, 4)
    fake.add_document("2024D00005", None, onderwerp="Brief over 's-Hertogenbosch", volgnummer=12)
    at = "ApiGewijzigdOp"
    assert numbers(documents(fake, filter=f"{at} gt 2024-09-02T10:00:03+02:00")) == [
        "2024D00004",
        "2024D00005",
    ]
    assert numbers(documents(fake, filter=f"{at} ge 2024-09-02T08:00:04.0000001Z")) == [
        "2024D00005"
    ]
    assert numbers(documents(fake, filter="GewijzigdOp le 2024-09-02T08:00:01Z")) == ["2024D00001"]
    either = "(DocumentNummer eq '2024D00001' or DocumentNummer eq '2024D00005') and not ("
    assert numbers(documents(fake, filter=either + "Volgnummer eq -1)")) == ["2024D00005"]
    quoted = "Onderwerp eq 'Brief over ''s-Hertogenbosch'"
    assert numbers(documents(fake, filter=quoted)) == ["2024D00005"]
    assert numbers(documents(fake, filter="ContentType eq null")) == ["2024D00005"]
    assert numbers(documents(fake, filter="Volgnummer gt 0 and ContentLength gt 0")) == []
    guid = fake.document_id("2024D00002").upper()
    assert numbers(documents(fake, filter=f"Id eq {guid}")) == ["2024D00002"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("Foo eq 1", "Could not find a property named 'Foo' on type 'TK.DA.GGM.OData.Document'."),
        ("Soort eq 1", "Found operand types 'Edm.String' and 'Edm.Int32'"),
        ("Id eq '00000000-0000-4000-8000-0000000000d1'", "'Edm.Guid' and 'Edm.String'"),
        ("ApiGewijzigdOp gt '2024-01-01T00:00:00Z'", "'Edm.DateTimeOffset' and 'Edm.String'"),
        ("Verwijderd eq", "Syntax error at position 13"),
        ("(Verwijderd eq false", "Syntax error"),
        ("Soort eq 'open", "Syntax error"),
        ("Soort", "must evaluate to a single boolean value"),
        ("contains(Titel,'x')", "not implemented by the fake"),
    ],
)
def test_invalid_filters_answer_400(fake: FakeServices, expression: str, message: str) -> None:
    response = documents(fake, filter=expression)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == ""
    assert error["message"].startswith("The query specified in the URI is not valid. ")
    assert message in error["message"]


def test_unencoded_plus_in_offset_is_a_space(fake: FakeServices) -> None:
    add_letters(fake, 1)
    url = fake.tk_url + "Document?$filter=ApiGewijzigdOp%20gt%202024-09-02T08:00:00+02:00"
    assert get(url).status_code == 400
    encoded = fake.tk_url + "Document?$filter=ApiGewijzigdOp%20gt%202024-09-02T08:00:00%2B02:00"
    assert numbers(get(encoded)) == ["2024D00001"]


def test_expand_related_rows(fake: FakeServices) -> None:
    fake.add_document(
        "2024D34636",
        PDF,
        datum="2024-09-23",
        titel="Rechtsstaat en Rechtsorde",
        volgnummer=874,
        dossier=(29279, None),
        actors=[MINISTER, {"ActorNaam": "T.H.D. Struycken", "Relatie": "Mede ondertekenaar"}],
        zaken=["2024Z14098", "2024Z14099"],
    )
    fake.add_document("2024D40000", PDF, volgnummer=875, dossier=(29279, None))
    nested = (
        "DocumentActor($select=ActorNaam,Relatie),Kamerstukdossier,"
        "Zaak($filter=Nummer eq '2024Z14099')"
    )
    (row,) = documents(fake, filter="Volgnummer eq 874", expand=nested).json()["value"]
    assert row["DocumentActor"] == [
        {"ActorNaam": "D.M. van Weel", "Relatie": "Eerste ondertekenaar"},
        {"ActorNaam": "T.H.D. Struycken", "Relatie": "Mede ondertekenaar"},
    ]
    (dossier,) = row["Kamerstukdossier"]
    assert list(dossier) == [
        "Id", "Titel", "Citeertitel", "Alias", "Nummer", "Toevoeging", "HoogsteVolgnummer",
        "Afgesloten", "Kamer", "GewijzigdOp", "ApiGewijzigdOp", "Verwijderd",
    ]  # fmt: skip
    assert (dossier["Nummer"], dossier["HoogsteVolgnummer"]) == (29279, 875)
    assert dossier["Titel"] == "Rechtsstaat en Rechtsorde"
    (zaak,) = row["Zaak"]
    assert zaak["Nummer"] == "2024Z14099" and zaak["GestartOp"] == "2024-09-23T00:00:00+02:00"
    assert zaak["Vergaderjaar"] == "2024-2025" and zaak["Afgedaan"] is False
    full = documents(fake, filter="Volgnummer eq 874", expand=EXPAND).json()["value"][0]
    assert full["DocumentActor"][0]["Document_Id"] == row["Id"]
    assert full["DocumentActor"][0]["ActorFractie"] is None
    assert documents(fake, expand="Persoon").status_code == 400


def test_resource_downloads_and_errors(fake: FakeServices) -> None:
    pdf_id = fake.add_document("2024D00001", PDF)
    doc_id = fake.add_document("2024D00002", DOC)
    rtf_id = fake.add_document("2024D00003", b"{\\rtf1 x}", content_type="text/rtf")
    bare_id = fake.add_document("2024D00004", None)
    response = get(f"{fake.tk_url}Document({pdf_id})/resource")
    assert response.content == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Length"] == str(len(PDF))
    assert get(f"{fake.tk_url}Document({doc_id})/resource").headers["Content-Type"] == (
        "application/msword"
    )
    assert get(f"{fake.tk_url}Document({rtf_id})/resource").headers["Content-Type"] == "text/rtf"
    for missing in (bare_id, "00000000-0000-4000-8000-000000000000"):
        response = get(f"{fake.tk_url}Document({missing})/resource")
        assert response.status_code == 404 and "message" in response.json()["error"]
    assert get(f"{fake.tk_url}Document(not-a-guid)/resource").status_code == 400
    entity = get(f"{fake.tk_url}Document({pdf_id})", **{"$expand": "Zaak"}).json()
    assert entity["@odata.context"].endswith("$metadata#Document/$entity")
    assert entity["Id"] == pdf_id and entity["Zaak"] == []
    unknown = get(fake.tk_url + "Persoonn")
    assert unknown.status_code == 500 and "500 - Internal server error." in unknown.text
    assert unknown.headers["Content-Type"].startswith("text/html")
    posted = requests.post(fake.tk_url + "Document", data=b"{}", timeout=10)
    assert posted.status_code == 405 and posted.headers["Allow"] == "GET"


def test_withdrawn_documents(fake: FakeServices) -> None:
    add_letters(fake, 2)
    fake.add_document("2024D00003", PDF, dossier=(36600, "XV"), zaken=["2024Z1"], actors=[MINISTER])
    guid = fake.document_id("2024D00003")
    fake.withdraw_document("2024D00003")
    assert numbers(documents(fake, filter=LETTERS)) == ["2024D00001", "2024D00002"]
    deleted = "Verwijderd eq true and ApiGewijzigdOp gt 2024-09-02T08:00:02Z"
    (row,) = documents(fake, filter=deleted, expand=EXPAND).json()["value"]
    assert row["Id"] == guid and row["DocumentNummer"] == "2024D00003"
    assert row["Verwijderd"] is True
    assert row["ApiGewijzigdOp"] == "2024-09-02T08:00:04.0000000Z"
    assert row["GewijzigdOp"] == "2024-09-02T10:00:04.0000000+02:00"
    blank = set(DOCUMENT_KEYS) - {
        "Id",
        "DocumentNummer",
        "Verwijderd",
        "GewijzigdOp",
        "ApiGewijzigdOp",
    }
    assert all(row[key] is None for key in blank)
    assert row["DocumentActor"] == row["Kamerstukdossier"] == row["Zaak"] == []
    # Soort is null on a deleted row, so a letters-only deletion query finds nothing.
    assert numbers(documents(fake, filter="Verwijderd eq true and Soort eq 'Brief regering'")) == []
    assert get(f"{fake.tk_url}Document({guid})/resource").status_code == 404
    with pytest.raises(ValueError):
        fake.replace_document("2024D00003", PDF)


# --- KOOP SRU and repository --------------------------------------------------------------------


def add_publications(fake: FakeServices) -> None:
    for i, (modified, subrubriek) in enumerate(
        [("2024-09-13", "Brief"), ("2024-09-12", "Brief"), ("2024-09-14", "Motie"),
         ("2024-09-14", "Brief"), ("2024-09-20", "Brief")],
        start=1,
    ):  # fmt: skip
        identifier = f"kst-36600-{i}"
        fake.add_publication(
            identifier,
            f"<kamerstuk>{identifier}</kamerstuk>".encode(),
            f'<metadata_gegevens id="{identifier}"/>'.encode(),
            modified=modified,
            subrubriek=subrubriek,
            title=f"Dossier; Brief regering; Brief {i}",
        )


def test_sru_paging_and_records(fake: FakeServices) -> None:
    add_publications(fake)
    query = "c.product-area==officielepublicaties and w.publicatienaam==Kamerstuk"
    pages, start = [], 1
    while True:
        root = sru(fake, query, start=start, maximum=50)  # capped at 2 by the fixture
        assert root.findtext("sru:numberOfRecords", namespaces=NS) == "5"
        assert (
            root.findtext(".//sru:echoedSearchRetrieveRequest/sru:maximumRecords", namespaces=NS)
            == "2"
        )
        positions = root.xpath("//sru:recordPosition/text()", namespaces=NS)
        assert positions == [str(p) for p in range(start, start + len(positions))]
        pages.append(identifiers(root))
        following = root.findtext("sru:nextRecordPosition", namespaces=NS)
        if following is None:
            break
        start = int(following)
    assert pages == [
        ["kst-36600-2", "kst-36600-1"],
        ["kst-36600-3", "kst-36600-4"],
        ["kst-36600-5"],
    ]
    assert sru(fake, query, start=9).find("sru:records", namespaces=NS) is None

    record = sru(fake, "dt.identifier==kst-36600-4").find(".//gzd:gzd", namespaces=NS)
    tpmeta = record.find(".//ow:tpmeta", namespaces=NS)
    assert tpmeta.findtext("ow:dossiernummer", namespaces=NS) == "36600"
    assert tpmeta.findtext("ow:ondernummer", namespaces=NS) == "4"
    assert tpmeta.findtext("ow:subrubriek", namespaces=NS) == "Brief"
    assert tpmeta.findtext("ow:vergaderjaar", namespaces=NS) == "2023-2024"
    assert tpmeta.findtext("ow:dossiertitel", namespaces=NS) == "Dossier"
    urls = {
        u.get("manifestation"): u.text for u in record.iterfind(".//gzd:itemUrl", namespaces=NS)
    }
    assert list(urls) == ["html", "metadata", "metadataowms", "odt", "pdf", "xml"]
    item = f"{fake.base_url}/frbr/officielepublicaties/kst/36600/kst-36600-4/1"
    assert urls["xml"] == f"{item}/xml/kst-36600-4.xml"
    assert urls["metadata"] == f"{item}/metadata/metadata.xml"
    assert record.findtext("gzd:enrichedData/gzd:url", namespaces=NS) == urls["xml"]
    xml = get(urls["xml"])
    assert xml.content == b"<kamerstuk>kst-36600-4</kamerstuk>"
    assert xml.headers["Content-Type"] == "text/xml"
    assert xml.headers["Content-Length"] == str(len(xml.content))
    assert get(urls["metadata"]).content == b'<metadata_gegevens id="kst-36600-4"/>'
    assert get(urls["pdf"]).status_code == 404

    fake.update_publication("kst-36600-4", b"<kamerstuk>v2</kamerstuk>", modified="2024-10-01")
    assert identifiers(sru(fake, "dt.modified>=2024-10-01")) == ["kst-36600-4"]
    assert get(urls["xml"]).content == b"<kamerstuk>v2</kamerstuk>"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("w.subrubriek==Brief AND dt.modified>=2024-09-14", ["kst-36600-4", "kst-36600-5"]),
        ('w.subrubriek=="brief" and dt.modified <= 2024-09-12', ["kst-36600-2"]),
        ("dt.date>2024-09-13 not w.subrubriek==Motie", ["kst-36600-4", "kst-36600-5"]),
        ("(dt.identifier==kst-36600-1 or dt.identifier==kst-36600-3) and w.dossiernummer==36600",
         ["kst-36600-1", "kst-36600-3"]),
        ("w.subrubriek<>Brief", ["kst-36600-3"]),
        ("dt.modified>=2024-09-14 sortBy dt.modified/sort.descending",
         ["kst-36600-5", "kst-36600-3"]),
    ],
)  # fmt: skip
def test_cql_subset(fake: FakeServices, query: str, expected: list[str]) -> None:
    add_publications(fake)
    assert identifiers(sru(fake, query)) == expected


@pytest.mark.parametrize(
    ("query", "uri"),
    [
        ("w.kleur==rood", "info:srw/diagnostic/1/16"),
        ("dt.modified>=gisteren", "info:srw/diagnostic/1/36"),
        ("(dt.type==Kamerstuk", "info:srw/diagnostic/1/10"),
        ("w.subrubriek any Brief", "info:srw/diagnostic/1/19"),
    ],
)
def test_cql_diagnostics(fake: FakeServices, query: str, uri: str) -> None:
    response = get(fake.koop_url, query=query)
    assert response.status_code == 400
    root = etree.fromstring(response.content)
    assert root.findtext(".//diag:diagnostic/diag:uri", namespaces=NS) == uri
    assert root.findtext("sru:numberOfRecords", namespaces=NS) == "0"


# --- Faults -------------------------------------------------------------------------------------


def test_status_faults_in_each_service_style(fake: FakeServices) -> None:
    add_letters(fake, 1)
    fake.inject(Status(503), match="/Document", times=2)
    fake.inject(Status(500, html=True), match="Document")
    fake.inject(Status(429, retry_after=7), match="Document")
    fake.inject(Status(503), match="/sru")
    for _ in range(2):
        failed = documents(fake)
        assert failed.status_code == 503
        assert failed.json() == {"error": {"code": "", "message": "An error has occurred."}}
    iis = documents(fake)
    assert iis.status_code == 500 and iis.text.startswith("<!DOCTYPE html")
    throttled = documents(fake)
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "7"
    assert numbers(documents(fake)) == ["2024D00001"]
    koop = get(fake.koop_url, query="dt.type==Kamerstuk")
    assert koop.status_code == 503 and koop.headers["Content-Type"].startswith("text/html")
    assert [r.status for r in fake.requests] == [503, 503, 500, 429, 200, 503]


def test_transport_faults(fake: FakeServices) -> None:
    guid = fake.add_document("2024D00001", PDF)
    url = f"{fake.tk_url}Document({guid})/resource"
    fake.inject(ResetMidBody(after=100), match="/resource")
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        get(url)
    assert (fake.requests[-1].status, fake.requests[-1].body_bytes) == (200, 100)
    fake.inject(ShortBody(missing=10), match="/resource")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        get(url)
    fake.inject(Html200(), match="/resource")
    page = get(url)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "Er is een fout opgetreden" in page.text
    fake.inject(RedirectOffHost(), match="/resource")
    moved = get(url)
    assert moved.status_code == 302
    assert moved.headers["Location"] == "http://example.invalid/file.pdf"
    fake.inject(Slow(0.3), match="/resource")
    began = time.monotonic()
    assert get(url).content == PDF
    assert time.monotonic() - began >= 0.3
    fake.inject(Slow(0.5), match="/resource")
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(url, timeout=0.1)
    assert get(url).content == PDF  # every fault was consumed
    assert {r.host for r in fake.requests} == {fake.base_url.removeprefix("http://")}


def test_looping_next_link(fake: FakeServices) -> None:
    add_letters(fake, 2)
    fake.inject(LoopingNextLink(), match="$skip=3")
    url = fake.tk_url + "Document?$orderby=Id&$skip=3"
    assert get(url).json()["@odata.nextLink"] == url
    assert "@odata.nextLink" not in get(url).json()


def test_shift_during_paging_repeats_the_previous_pages_last_row(fake: FakeServices) -> None:
    add_letters(fake, 7)
    first = documents(fake, filter=LETTERS, orderby=ORDER, count="true").json()
    fake.inject(ShiftDuringPaging(), match="$skip=3")
    second = get(first["@odata.nextLink"]).json()
    assert second["@odata.count"] == 8
    assert second["value"][0]["Id"] == first["value"][-1]["Id"]
    late = numbers(documents(fake, filter="DocumentNummer eq '2024D90001'", orderby=ORDER))
    assert late == ["2024D90001"]
    (row,) = documents(fake, filter="DocumentNummer eq '2024D90001'").json()["value"]
    assert row["ApiGewijzigdOp"] == "2024-09-02T08:00:02.9999999Z"  # just before 2024D00003


def test_same_calls_give_identical_bytes() -> None:
    def script() -> list[bytes]:
        with FakeServices(page_size=2) as services:
            add_letters(services, 3)
            services.update_document("2024D00002", actors=[MINISTER], zaken=["2024Z1"])
            services.add_publication("kst-36600-1", b"<x/>", b"<m/>")
            bodies = [
                documents(services, expand=EXPAND, orderby=ORDER, count="true").content,
                get(documents(services).json()["@odata.nextLink"]).content,
                get(services.koop_url, query="dt.type==Kamerstuk").content,
            ]
            return [body.replace(services.base_url.encode(), b"BASE") for body in bodies]

    assert script() == script()


def test_concurrent_requests_and_log(fake: FakeServices) -> None:
    ids = [fake.add_document(f"2024D{i:05d}", PDF + bytes([i])) for i in range(1, 9)]
    failures: list[BaseException] = []

    def fetch(guid: str) -> None:
        try:
            with requests.Session() as session:
                for _ in range(3):
                    assert session.get(f"{fake.tk_url}Document({guid})/resource", timeout=10).ok
        except BaseException as error:  # reported to the main thread below
            failures.append(error)

    threads = [threading.Thread(target=fetch, args=(guid,)) for guid in ids]
    for thread in threads:
        thread.start()
    for i in range(9, 20):
        fake.add_document(f"2024D{i:05d}", None)
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(fake.requests) == 24 and {r.body_bytes for r in fake.requests} == {len(PDF) + 1}
    fake.reset_log()
    assert fake.requests == []
