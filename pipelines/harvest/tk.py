"""The Tweede Kamer Gegevensmagazijn (OData v4): letters as `Document` rows, their files as
`Document(<Id>)/resource`.

Changes are listed by `ApiGewijzigdOp` (the time a row became visible in OData), oldest first,
with `Id` as tie-breaker. Pages are read by keyset: each next query asks from the last time
seen (`ge`), rather than following `$skip` links blindly, because a row changed while the
listing is walked moves to its end and shifts every later row one place up, so a `$skip` page
would silently miss one. Rows seen twice are recognised by (`Id`, `ApiGewijzigdOp`). Only when
a whole page shares one timestamp is its `@odata.nextLink` followed, and a link that comes
back is refused. Withdrawn documents (`Verwijderd eq true`) are listed the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from pipelines.harvest.http import Client, ServiceError, same_origin

EXPAND = "DocumentActor,Kamerstukdossier,Zaak"
ORDER = "ApiGewijzigdOp asc,Id asc"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,7})?Z$")
"""`ApiGewijzigdOp` as OData gives it (UTC, up to 7 fraction digits); checked before a value
from a response goes back into a query."""


OVERLAP = timedelta(minutes=10)
"""How far before its cursor a harvest lists again. A row should never become visible with an
`ApiGewijzigdOp` before one already read, but a listing that overlaps costs only rows that are
skipped as stored, and catches one that does."""


def listing_start(cursor: str | None) -> str | None:
    """The `ApiGewijzigdOp` a listing starts from: `OVERLAP` before the stored cursor."""
    if cursor is None:
        return None
    if not TIMESTAMP.match(cursor):
        raise ServiceError(f"stored cursor {cursor!r} is not an OData timestamp")
    start = datetime.fromisoformat(cursor).astimezone(UTC) - OVERLAP
    return start.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class TkRow:
    """One listed change: a document to store, or (in the withdrawn listing) to remove."""

    id: str
    changed: str
    record: dict[str, Any]


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def letter_filter(soorts: tuple[str, ...], since: date) -> str:
    """The filter of letters of the given `Soort` values dated from `since` on."""
    kinds = " or ".join(f"Soort eq {_literal(soort)}" for soort in soorts)
    return f"Verwijderd eq false and ({kinds}) and Datum ge {since.isoformat()}T00:00:00Z"


WITHDRAWN_FILTER = "Verwijderd eq true"


def _query(base: str, condition: str, cursor: str | None, expand: bool) -> str:
    if cursor is not None:
        if not TIMESTAMP.match(cursor):
            raise ServiceError(f"stored cursor {cursor!r} is not an OData timestamp")
        condition = f"{condition} and ApiGewijzigdOp ge {cursor}"
    options = [f"$filter={quote(condition, safe='')}"]
    if expand:
        options.append(f"$expand={quote(EXPAND, safe=',')}")
    options += [f"$orderby={quote(ORDER, safe=',')}", "$count=true"]
    return f"{base.rstrip('/')}/Document?{'&'.join(options)}"


def list_rows(
    client: Client, base: str, condition: str, cursor: str | None, *, expand: bool
) -> Iterator[tuple[TkRow, int | None]]:
    """Every row matching `condition` changed at or after `cursor`, oldest first, each once,
    with the listing's announced total (`@odata.count` of the first page); with `expand`, each
    row carries its actors, cases and dossier."""
    seen: set[tuple[str, str]] = set()
    total: int | None = None
    url = _query(base, condition, cursor, expand)
    links: set[str] = set()
    while True:
        page = client.get_json(url)
        if not isinstance(page, dict) or not isinstance(page.get("value"), list):
            raise ServiceError(f"{url}: not an OData collection")
        if total is None and isinstance(page.get("@odata.count"), int):
            total = page["@odata.count"]
        fresh = 0
        last: str | None = None
        for item in page["value"]:
            row = _row(item)
            last = row.changed
            if (row.id, row.changed) in seen:
                continue
            seen.add((row.id, row.changed))
            fresh += 1
            yield row, total
        link = page.get("@odata.nextLink")
        if not link or last is None:
            return
        if fresh and last != cursor:
            cursor = last
            url = _query(base, condition, cursor, expand)
            continue
        if not isinstance(link, str) or not same_origin(link, base):
            raise ServiceError(f"{url}: nextLink {link!r} leaves the service")
        if link in links:
            raise ServiceError(f"{url}: nextLink {link} comes back to a page already read")
        links.add(link)
        url = link


def _row(item: Any) -> TkRow:
    if not isinstance(item, dict):
        raise ServiceError(f"a Document row that is not an object: {item!r:.80}")
    changed = item.get("ApiGewijzigdOp")
    if not isinstance(changed, str) or not TIMESTAMP.match(changed):
        raise ServiceError(f"Document {item.get('Id')!r}: ApiGewijzigdOp {changed!r} unreadable")
    return TkRow(id=str(item.get("Id")), changed=changed, record=item)


def resource_url(base: str, document_id: str) -> str:
    return f"{base.rstrip('/')}/Document({document_id})/resource"


def stored_record(row: TkRow) -> dict[str, Any]:
    """The portal record as stored beside the file: the row without OData annotations."""
    return {key: value for key, value in row.record.items() if not key.startswith("@odata.")}
