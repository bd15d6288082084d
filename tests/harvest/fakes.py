"""In-process fakes of the two public services the harvester talks to: the Tweede Kamer
Gegevensmagazijn OData v4 API (`Document` with `$expand`, and its `/resource` downloads) and KOOP's
SRU 2.0 search of officielebekendmakingen with the repository's XML and metadata.xml downloads.

Why a fake: the harvester's tests and benchmark must run offline, deterministically and fast, and
must be able to script the failures the real services show (5xx bursts, resets, truncated bodies,
HTML where a file was announced, rows shifting during `$skip` paging). Shapes, property names and
order, and namespaces follow /work/shared/reference/tk-opendata (README and examples/); each choice
the reference marks **unconfirmed** is marked "Unconfirmed:" where it is made.

Deliberately not faked (a query that needs them gets a 400 saying so, never a silently wrong
answer): the SyncFeed, `$metadata`, `/$count`, lambda operators and functions in `$filter`, nested
`$expand` options other than `$filter`/`$select`, and CQL relations `any all adj within`.

Determinism: responses depend only on the sequence of calls (and the port inside URLs); no
wall-clock time, randomness or `Date` header. Thread safety: one lock guards the store, the fault
queue and the request log.
"""

from __future__ import annotations

import json
import operator
import re
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NoReturn
from urllib.parse import parse_qsl, quote, unquote, urlsplit
from zoneinfo import ZoneInfo

from lxml import etree

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TK_PATH = "/OData/v4/2.0/"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TICKS = 10_000_000  # .NET ticks (100 ns) per second: the API writes 7 fraction digits
_CLOCK_START = (datetime(2024, 9, 2, 8, 0, tzinfo=UTC) - _EPOCH) // timedelta(seconds=1) * _TICKS


# --- Public records -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One served request, for tests asserting on retries, politeness and hosts."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    body_bytes: int  # body bytes sent (fewer than announced for ResetMidBody and ShortBody)
    host: str


@dataclass(frozen=True)
class Status:
    """Answer `code` instead: TK's OData JSON error, or HTML as IIS (TK) and KOOP send."""

    code: int
    retry_after: int | None = None
    html: bool = False


@dataclass(frozen=True)
class ResetMidBody:
    """Announce the full Content-Length, send `after` bytes, then reset the connection (RST)."""

    after: int = 100


@dataclass(frozen=True)
class ShortBody:
    """Announce `missing` more bytes than the body has, send the body and close."""

    missing: int = 10


@dataclass(frozen=True)
class Html200:
    """Status 200 with an HTML error page where JSON, XML or a file was announced."""


@dataclass(frozen=True)
class Slow:
    """Sleep `seconds` before answering normally (for client timeouts)."""

    seconds: float


@dataclass(frozen=True)
class LoopingNextLink:
    """An OData page whose `@odata.nextLink` is the request's own URL; no effect elsewhere."""


@dataclass(frozen=True)
class RedirectOffHost:
    """A 302 to another host, which a client must not follow for API or file URLs."""

    location: str = "http://example.invalid/file.pdf"


@dataclass(frozen=True)
class ShiftDuringPaging:
    """Data changing during a `$skip` walk, so that this page repeats a row of the previous one.

    On a matching OData list request, before answering, the fake inserts a "late" row: a copy of
    the row served last on the previous page (position `$skip`-1 of the current order), under a
    new DocumentNummer (`<year>D9nnnn`, counting from 0001) and Id, whose ApiGewijzigdOp is one
    tick (100 ns) *earlier* than that row's.
    It models a row that becomes visible after rows with later timestamps (a late commit). Under
    `$orderby=ApiGewijzigdOp asc,Id asc` every later row moves one place down, so this page starts
    with the previous page's last row (a duplicate, dedupe by Id), and the late row itself sits
    before the window: this walk never returns it, and a next incremental run only finds it if
    its cursor overlaps. With `$skip` 0 it lands first and shifts nothing. No effect on other URLs.
    """


Fault = (
    Status
    | ResetMidBody
    | ShortBody
    | Html200
    | Slow
    | LoopingNextLink
    | RedirectOffHost
    | ShiftDuringPaging
)


# --- Time and derived values --------------------------------------------------------------------

_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,12}))?)?(Z|[+-]\d{2}:\d{2})"
)


@lru_cache(maxsize=1 << 16)
def _ticks(text: str) -> int:
    """An OData DateTimeOffset as 100 ns ticks since 1970 UTC, so instants compare exactly at
    the 7 fraction digits the API writes (datetime would round to microseconds)."""
    m = _DATETIME.fullmatch(text)
    if m is None:
        raise ValueError(text)
    zone = m[8]
    offset = timedelta(0)
    if zone != "Z":
        offset = (-1 if zone[0] == "-" else 1) * timedelta(
            hours=int(zone[1:3]), minutes=int(zone[4:])
        )
    fields = (int(g or 0) for g in m.groups()[:6])
    moment = datetime(*fields, tzinfo=timezone(offset))
    return (moment - _EPOCH) // timedelta(seconds=1) * _TICKS + int((m[7] or "")[:7].ljust(7, "0"))


def _moment(ticks: int) -> tuple[datetime, int]:
    seconds, fraction = divmod(ticks, _TICKS)
    return _EPOCH + timedelta(seconds=seconds), fraction


def _offset(moment: datetime) -> str:
    zone = moment.strftime("%z")
    return f"{zone[:3]}:{zone[3:]}"


@lru_cache(maxsize=1 << 16)  # every list request renders every row: keep that cheap
def _utc_text(ticks: int) -> str:
    """ApiGewijzigdOp form: UTC, 7 fraction digits, `Z`."""
    moment, fraction = _moment(ticks)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{fraction:07d}Z"


@lru_cache(maxsize=1 << 16)
def _local_text(ticks: int) -> str:
    """GewijzigdOp form: Amsterdam local time, 7 fraction digits, offset."""
    moment, fraction = _moment(ticks)
    local = moment.astimezone(AMSTERDAM)
    return f"{local:%Y-%m-%dT%H:%M:%S}.{fraction:07d}{_offset(local)}"


@lru_cache(maxsize=1 << 12)
def _day_text(day: str, clock: str = "00:00:00") -> str:
    """A date at a local time with the offset valid on that date (Datum: `...T00:00:00+02:00`).
    Unconfirmed: the literal form of Datum; Persoon dates in real payloads look like this."""
    moment = datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=AMSTERDAM)
    return f"{day}T{clock}{_offset(moment)}"


@lru_cache(maxsize=1 << 12)
def _vergaderjaar(day: str) -> str:
    """The parliamentary year starts on Prinsjesdag, the third Tuesday of September."""
    d = date.fromisoformat(day)
    first = date(d.year, 9, 1)
    prinsjesdag = first + timedelta(days=(1 - first.weekday()) % 7 + 14)
    start = d.year if d >= prinsjesdag else d.year - 1
    return f"{start}-{start + 1}"


def _guid(kind: str, key: str) -> str:
    """Deterministic lower-case GUIDs, so the same calls give the same Ids in every run."""
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"https://gegevensmagazijn.tweedekamer.nl/{kind}/{key}")
    )


def _sniff(content: bytes) -> str:
    """MIME type from magic bytes, as tkconv detects formats.
    Unconfirmed: the ContentType strings of legacy .doc and RTF files."""
    if content.startswith(b"%PDF"):
        return "application/pdf"
    if content.startswith(b"PK"):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if content.startswith(bytes.fromhex("D0CF11E0")):
        return "application/msword"
    if content.startswith(b"{\\rtf"):
        return "application/rtf"
    return "application/octet-stream"


# --- OData schema and $filter -------------------------------------------------------------------

_GUID, _STR, _INT, _BOOL, _DTO, _NULL = (
    "Edm.Guid",
    "Edm.String",
    "Edm.Int32",
    "Edm.Boolean",
    "Edm.DateTimeOffset",
    "null",
)
_TYPE_CODES = {"G": _GUID, "S": _STR, "I": _INT, "B": _BOOL, "D": _DTO}


def _schema(spec: str) -> dict[str, str]:
    """Properties in payload order from "Name:T" words (T: G=Guid, I=Int32, B=Boolean,
    D=DateTimeOffset; no code = String), kept as one string so the order reads at a glance."""
    pairs = (word.partition(":") for word in spec.split())
    return {name: _TYPE_CODES[code or "S"] for name, _, code in pairs}


_STAMPS = " GewijzigdOp:D ApiGewijzigdOp:D Verwijderd:B "
# Property order as in examples/odata_document_page_reconstructed.json (from the live $metadata).
DOCUMENT = _schema(
    "Id:G Soort DocumentNummer Titel Onderwerp Datum:D Vergaderjaar Kamer:I Volgnummer:I"
    " Citeertitel Alias DatumRegistratie:D DatumOntvangst:D Aanhangselnummer KenmerkAfzender"
    f" Organisatie ContentType ContentLength:I {_STAMPS} HuidigeDocumentVersie_Id:G"
)
DOCUMENT_ACTOR = _schema(
    f"Id:G Document_Id:G ActorNaam ActorFractie Functie Relatie SidActor {_STAMPS}"
    " Persoon_Id:G Fractie_Id:G Commissie_Id:G"
)
KAMERSTUKDOSSIER = _schema(
    f"Id:G Titel Citeertitel Alias Nummer:I Toevoeging HoogsteVolgnummer:I Afgesloten:B Kamer"
    f" {_STAMPS}"
)
ZAAK = _schema(
    "Id:G Nummer Soort Titel Citeertitel Alias Status Onderwerp GestartOp:D Organisatie"
    " Grondslagvoorhang Termijn:D Vergaderjaar Volgnummer:I HuidigeBehandelstatus Afgedaan:B"
    f" GrootProject:B Kabinetsappreciatie {_STAMPS}"
)
_SCHEMAS = {
    "Document": DOCUMENT,
    "DocumentActor": DOCUMENT_ACTOR,
    "Kamerstukdossier": KAMERSTUKDOSSIER,
    "Zaak": ZAAK,
}
_NAVIGATION = ("DocumentActor", "Kamerstukdossier", "Zaak")

Row = dict[str, Any]
Predicate = Callable[[Row], bool]


class ODataError(Exception):
    """A query the real service rejects with `{"error":{"code":"","message":...}}`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = f"The query specified in the URI is not valid. {message}"


def _no_property(name: str, entity: str) -> ODataError:
    return ODataError(
        f"Could not find a property named '{name}' on type 'TK.DA.GGM.OData.{entity}'."
    )


_FILTER_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')"
    r"|(?P<datetime>\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))"
    r"|(?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    r"|(?P<number>-?\d+)|(?P<name>[A-Za-z_]\w*)|(?P<punct>[()/,:]))"
)
_COMPARISONS = {
    "eq": ("Equal", operator.eq),
    "ne": ("NotEqual", operator.ne),
    "gt": ("GreaterThan", operator.gt),
    "ge": ("GreaterThanOrEqual", operator.ge),
    "lt": ("LessThan", operator.lt),
    "le": ("LessThanOrEqual", operator.le),
}
_Node = tuple[str, Callable[[Row], Any]]  # (EDM type, value of the expression for a row)


class _FilterParser:
    """Recursive descent over OData's `$filter`: or < and < not < comparison < primary.

    Types are checked like ASP.NET OData does (same error messages), so a client bug such as a
    quoted GUID or a quoted datetime fails here as it fails live. Keywords are lower case.
    Note: a raw `+` in a URL query decodes to a space (as in ASP.NET), so `+02:00` offsets must be
    sent as `%2B02:00`; otherwise the datetime literal is a syntax error.
    """

    def __init__(self, text: str, entity: str) -> None:
        self.text, self.entity, self.schema = text, entity, _SCHEMAS[entity]
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while (m := _FILTER_TOKEN.match(text, pos)) and m.end() > pos:
            kind = m.lastgroup or ""
            self.tokens.append((kind, m[kind], m.start(kind)))
            pos = m.end()
        if text[pos:].strip():
            self._syntax(pos)
        self.i = 0

    def parse(self) -> Predicate:
        kind, fn = self._or()
        if self.i < len(self.tokens):
            self._syntax()
        if kind != _BOOL:
            raise ODataError("The $filter expression must evaluate to a single boolean value.")
        return fn

    def _syntax(self, pos: int | None = None) -> NoReturn:
        """Raise the syntax error at `pos` (default: the next token, or the end)."""
        if pos is None:
            pos = self.tokens[self.i][2] if self.i < len(self.tokens) else len(self.text)
        raise ODataError(f"Syntax error at position {pos} in '{self.text}'.")

    def _peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _accept(self, text: str) -> bool:
        token = self._peek()
        if token and token[0] in ("name", "punct") and token[1] == text:
            self.i += 1
            return True
        return False

    def _logical(self, word: str, kind: str, left: _Node, right: _Node) -> _Node:
        if left[0] != _BOOL or right[0] != _BOOL:
            raise ODataError(
                "A binary operator with incompatible types was detected. Found operand "
                f"types '{left[0]}' and '{right[0]}' for operator kind '{kind}'."
            )
        a, b = left[1], right[1]
        return _BOOL, ((lambda r: a(r) and b(r)) if word == "and" else (lambda r: a(r) or b(r)))

    def _or(self) -> _Node:
        node = self._and()
        while self._accept("or"):
            node = self._logical("or", "Or", node, self._and())
        return node

    def _and(self) -> _Node:
        node = self._not()
        while self._accept("and"):
            node = self._logical("and", "And", node, self._not())
        return node

    def _not(self) -> _Node:
        if not self._accept("not"):
            return self._comparison()
        kind, fn = self._not()
        if kind != _BOOL:
            raise ODataError(
                "A unary operator with an incompatible type was detected. Found "
                f"operand type '{kind}' for operator kind 'Not'."
            )
        return _BOOL, lambda r: not fn(r)

    def _comparison(self) -> _Node:
        left = self._primary()
        token = self._peek()
        if not (token and token[0] == "name" and token[1] in _COMPARISONS):
            return left
        self.i += 1
        kind, compare = _COMPARISONS[token[1]]
        right = self._primary()
        if left[0] != right[0] and _NULL not in (left[0], right[0]):
            raise ODataError(
                "A binary operator with incompatible types was detected. Found operand "
                f"types '{left[0]}' and '{right[0]}' for operator kind '{kind}'."
            )
        a, b = left[1], right[1]
        if token[1] in ("eq", "ne"):
            return _BOOL, lambda r: compare(a(r), b(r))

        def ordered(r: Row) -> bool:  # OData: an ordering comparison with null is false
            x, y = a(r), b(r)
            return x is not None and y is not None and compare(x, y)

        return _BOOL, ordered

    def _primary(self) -> _Node:
        if self.i >= len(self.tokens):
            self._syntax()
        kind, text, pos = self.tokens[self.i]
        self.i += 1
        if (kind, text) == ("punct", "("):
            node = self._or()
            if not self._accept(")"):
                self._syntax()
            return node
        if kind == "string":
            value = text[1:-1].replace("''", "'")
            return _STR, lambda r: value
        if kind == "datetime":
            try:
                instant = _ticks(text)
            except ValueError:
                self._syntax(pos)
            return _DTO, lambda r: instant
        if kind == "guid":
            return _GUID, lambda r: text.lower()
        if kind == "number":
            return _INT, lambda r: int(text)
        if kind != "name":
            self._syntax(pos)
        if text in ("true", "false"):
            return _BOOL, lambda r: text == "true"
        if text == "null":
            return _NULL, lambda r: None
        following = self._peek()
        if following and following[1] in ("(", "/"):
            raise ODataError(
                f"Functions and lambda operators ('{text}') are not implemented by the fake."
            )
        if text not in self.schema:
            raise _no_property(text, self.entity)
        if self.schema[text] == _DTO:
            return _DTO, lambda r: None if r[text] is None else _ticks(r[text])
        return self.schema[text], lambda r: r[text]


def _split_top(text: str, sep: str) -> list[str]:
    """Split at `sep` outside parentheses and quoted strings (for `$expand` and its options)."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "()":
            depth += 1 if ch == "(" else -1
        elif not quoted and depth == 0 and ch == sep:
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]] if text.strip() else []


def _parse_select(text: str, entity: str) -> list[str] | None:
    names = [name.strip() for name in text.split(",")]
    if "*" in names:
        return None
    for name in names:
        if name not in _SCHEMAS[entity]:
            raise _no_property(name, entity)
    return names


@dataclass(frozen=True)
class _Expand:
    """One `$expand` item. Nested `$filter` and `$select` are applied (chosen over ignoring)."""

    name: str
    where: Predicate | None = None
    select: list[str] | None = None


def _parse_expand(text: str) -> list[_Expand]:
    items = []
    for item in _split_top(text, ","):
        m = re.fullmatch(r"\s*(\w+)\s*(?:\((.*)\))?\s*", item, re.S)
        if m is None or m[1] not in _NAVIGATION:
            raise _no_property(m[1] if m else item.strip(), "Document")
        where = select = None
        for option in _split_top(m[2] or "", ";"):
            key, _, value = option.partition("=")
            if key.strip() == "$filter":
                where = _FilterParser(value, m[1]).parse()
            elif key.strip() == "$select":
                select = _parse_select(value, m[1])
            else:
                raise ODataError(
                    f"The nested option '{key.strip()}' is not implemented by the fake."
                )
        items.append(_Expand(m[1], where, select))
    return items


def _parse_orderby(text: str) -> list[tuple[str, bool]]:
    """`$orderby` as (property, descending) pairs, ending with Id as ASP.NET appends the key
    for stable server-driven paging."""
    keys = []
    for part in [p for p in text.split(",") if p.strip()] + ["Id"]:
        words = part.split()
        if len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise ODataError(f"Syntax error in '$orderby={text}'.")
        if words[0] not in DOCUMENT:
            raise _no_property(words[0], "Document")
        keys.append((words[0], words[-1] == "desc"))
    return keys


def _sort_value(row: Row, name: str) -> tuple[int, Any]:
    """Nulls first in ascending order (SQL Server); instants compared as instants."""
    value = row[name]
    if value is None:
        return (0, 0)
    return (1, _ticks(value) if DOCUMENT[name] == _DTO else value)


def _project(row: Row, select: list[str] | None) -> Row:
    return dict(row) if select is None else {k: v for k, v in row.items() if k in select}


# --- CQL (SRU) ----------------------------------------------------------------------------------


class SruError(Exception):
    """An SRU diagnostic (info:srw/diagnostic/1/<number>), answered with HTTP 400."""

    def __init__(self, number: int, message: str, details: str = "") -> None:
        super().__init__(message)
        self.number, self.message, self.details = number, message, details


@dataclass
class _Publication:
    identifier: str
    xml: bytes
    metadata_xml: bytes
    modified: str
    date: str  # issued/available/date: the first `modified` (the signature has no separate date)
    subrubriek: str
    dossier: str
    title: str

    @property
    def ondernummer(self) -> str:
        return self.identifier.rsplit("-", 1)[1]


_CONSTANT = {
    "c.product-area": "officielepublicaties",
    "w.publicatienaam": "Kamerstuk",
    "dt.type": "Kamerstuk",
    "w.organisatietype": "staten generaal",
    "w.documentstatus": "Opgemaakt",
    "dt.creator": "Tweede Kamer der Staten-Generaal",
}
_SRU_INDEXES: dict[str, tuple[Callable[[_Publication], str], bool]] = {
    **{name: ((lambda p, v=value: v), False) for name, value in _CONSTANT.items()},
    "w.subrubriek": (lambda p: p.subrubriek, False),
    "dt.identifier": (lambda p: p.identifier, False),
    "dt.title": (lambda p: p.title, False),
    "w.dossiernummer": (lambda p: p.dossier, False),
    "w.ondernummer": (lambda p: p.ondernummer, False),
    "w.vergaderjaar": (lambda p: _vergaderjaar(p.date), False),
    "dt.modified": (lambda p: p.modified, True),
    **{name: ((lambda p: p.date), True) for name in ("dt.date", "dt.issued", "dt.available")},
}
_CQL_TOKEN = re.compile(
    r"\s*(?:(?P<paren>[()])|(?P<rel>==|<>|>=|<=|=|>|<)"
    r'|"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<word>[^\s()=<>"]+))'
)
_CQL_RELATIONS = {
    "==": operator.eq,
    "=": operator.eq,
    "<>": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
_CQL_UNSUPPORTED = ("any", "all", "adj", "within")  # KOOP accepts these; the fake does not
_PubPredicate = Callable[[_Publication], bool]


class _CqlParser:
    """CQL subset: `index rel term`, parentheses, and/or/not (case-insensitive, CQL's equal
    precedence, left to right; `not` is binary: `a not b` = a and not b), `sortBy`.
    String terms compare case-insensitively (Unconfirmed: KOOP's case handling)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while (m := _CQL_TOKEN.match(text, pos)) and m.end() > pos:
            kind = m.lastgroup or ""
            value = m[kind].replace('\\"', '"') if kind == "quoted" else m[kind]
            self.tokens.append((kind, value))
            pos = m.end()
        if text[pos:].strip() or not self.tokens:
            raise SruError(10, "Query syntax error", text)
        self.i = 0

    def _next(self) -> tuple[str, str]:
        if self.i >= len(self.tokens):
            raise SruError(10, "Query syntax error", self.text)
        self.i += 1
        return self.tokens[self.i - 1]

    def _word(self, *words: str) -> str | None:
        if (
            self.i < len(self.tokens)
            and self.tokens[self.i][0] == "word"
            and self.tokens[self.i][1].lower() in words
        ):
            self.i += 1
            return self.tokens[self.i - 1][1].lower()
        return None

    def parse(self) -> tuple[_PubPredicate, list[tuple[str, bool]]]:
        where = self._scoped()
        sort = []
        if self._word("sortby"):
            while self.i < len(self.tokens):
                index, _, modifier = self._next()[1].partition("/")
                if index.lower() not in _SRU_INDEXES:
                    raise SruError(16, "Unsupported index", index)
                sort.append((index.lower(), modifier.lower() == "sort.descending"))
        if self.i < len(self.tokens):
            raise SruError(10, "Query syntax error", self.text)
        return where, sort

    def _scoped(self) -> _PubPredicate:
        node = self._clause()
        while (word := self._word("and", "or", "not")) is not None:
            left, right = node, self._clause()
            node = {
                "and": lambda p, a=left, b=right: a(p) and b(p),
                "or": lambda p, a=left, b=right: a(p) or b(p),
                "not": lambda p, a=left, b=right: a(p) and not b(p),
            }[word]
        return node

    def _clause(self) -> _PubPredicate:
        kind, value = self._next()
        if kind == "paren" and value == "(":
            node = self._scoped()
            if self._next() != ("paren", ")"):
                raise SruError(10, "Query syntax error", self.text)
            return node
        if kind not in ("word", "quoted"):
            raise SruError(10, "Query syntax error", self.text)
        if self.i >= len(self.tokens) or self.tokens[self.i][0] != "rel":
            if self.i < len(self.tokens) and self.tokens[self.i][1].lower() in _CQL_UNSUPPORTED:
                raise SruError(19, "Unsupported relation", self.tokens[self.i][1])
            raise SruError(16, "Unsupported index", "cql.serverChoice")
        index = value.lower()
        relation = _CQL_RELATIONS[self._next()[1]]
        term_kind, term = self._next()
        if term_kind not in ("word", "quoted"):
            raise SruError(10, "Query syntax error", self.text)
        if index not in _SRU_INDEXES:
            raise SruError(16, "Unsupported index", value)
        get, is_date = _SRU_INDEXES[index]
        if is_date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", term):
            raise SruError(36, "Term in invalid format for index or relation", term)
        wanted = term.casefold()
        return lambda p: relation(get(p).casefold(), wanted)


# --- XML and HTML bodies ------------------------------------------------------------------------

# Declared on the root in this order, as in examples/sru_response_kst-35842-4.xml.
_SRU_NS = {
    "overheidwetgeving": "http://standaarden.overheid.nl/wetgeving/",
    "dcterms": "http://purl.org/dc/terms/",
    "cd": "http://standaarden.overheid.nl/cup/data",
    "sru": "http://docs.oasis-open.org/ns/search-ws/sruResponse",
    "gzd": "http://standaarden.overheid.nl/sru",
    "diag": "http://docs.oasis-open.org/ns/search-ws/diagnostic",
    "facet": "http://docs.oasis-open.org/ns/search-ws/facetedResults",
    "c": "http://standaarden.overheid.nl/collectie/",
}
_GZD_SCHEMA = "http://standaarden.overheid.nl/sru/"
_OW = "overheidwetgeving:"


def _el(parent: etree._Element | None, qname: str, text: object = None, **attrs: str) -> Any:
    """Append `prefix:name` (a root when `parent` is None) with text and attributes."""
    prefix, local = qname.split(":")
    tag = f"{{{_SRU_NS[prefix]}}}{local}"
    if parent is None:
        element = etree.Element(tag, attrs, nsmap=_SRU_NS)
    else:
        element = etree.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = str(text)
    return element


def _xml_body(root: etree._Element) -> bytes:
    """Indented by 4 like KOOP's responses, with their double-quoted XML declaration."""
    etree.indent(root, space="    ")
    declaration = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    return declaration + etree.tostring(root, encoding="UTF-8") + b"\n"


def _iis_page(code: int) -> str:
    """IIS's detailed-errors-off page, as the Gegevensmagazijn sends for 500 (odp#74)."""
    title = f"{code} - {HTTPStatus(code).phrase.capitalize()}."
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\r\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\r\n<head>\r\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>\r\n'
        f"<title>{title}</title>\r\n</head>\r\n<body>\r\n"
        '<div id="header"><h1>Server Error</h1></div>\r\n<div id="content">\r\n'
        f' <div class="content-container"><fieldset>\r\n  <h2>{title}</h2>\r\n'
        "  <h3>There is a problem with the resource you are looking for, and it cannot be "
        "displayed.</h3>\r\n </fieldset></div>\r\n</div>\r\n</body>\r\n</html>\r\n"
    )


def _plain_page(code: int) -> str:
    """Unconfirmed: KOOP's exact error HTML; the reference only says 500/503 come as HTML."""
    phrase = HTTPStatus(code).phrase
    return (
        f"<!DOCTYPE html>\n<html><head><title>{code} {phrase}</title></head>\n"
        f"<body><h1>{phrase}</h1><p>HTTP Error {code}.</p></body></html>\n"
    )


_ERROR_PAGE_200 = (
    '<!DOCTYPE html>\n<html lang="nl"><head><title>Fout</title></head>\n<body>'
    "<h1>Er is een fout opgetreden</h1><p>Probeer het later opnieuw.</p>"
    "</body></html>\n"
)


# --- HTTP plumbing ------------------------------------------------------------------------------

_ODATA_JSON = (
    "application/json; odata.metadata=minimal; odata.streaming=true; "
    "IEEE754Compatible=false; charset=utf-8"
)  # Unconfirmed: ASP.NET OData's default


@dataclass
class _Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def _json(
    status: int,
    payload: dict[str, Any],
    headers: list[tuple[str, str]] | None = None,
    content_type: str = "application/json; charset=utf-8",
) -> _Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return _Response(status, [("Content-Type", content_type), *(headers or [])], body)


def _odata_error(
    status: int, message: str, headers: list[tuple[str, str]] | None = None
) -> _Response:
    return _json(status, {"error": {"code": "", "message": message}}, headers)


def _html(status: int, page: str, headers: list[tuple[str, str]] | None = None) -> _Response:
    return _Response(
        status, [("Content-Type", "text/html; charset=utf-8"), *(headers or [])], page.encode()
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeServices


class _Handler(BaseHTTPRequestHandler):
    """Hands every method to the fake, which answers 405 to all but GET."""

    protocol_version = "HTTP/1.1"  # keep-alive, as a requests.Session expects
    timeout = 60  # idle keep-alive connections end instead of holding a thread forever
    # headers and body leave in separate writes; with Nagle's algorithm each answer on a
    # kept-alive connection would wait out the client's delayed ACK (40 ms), which no real
    # server does
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self.server.fake._serve(self)

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the fake keeps its own request log."""


# --- The fake -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Meta:
    """A document's editable metadata, named like `add_document`'s keywords."""

    soort: str
    datum: str
    onderwerp: str
    titel: str | None
    vergaderjaar: str | None
    volgnummer: int
    dossier: tuple[int, str | None] | None
    actors: tuple[dict[str, Any], ...]
    zaken: tuple[str, ...]


def _checked(meta: _Meta) -> _Meta:
    """Reject actor keys that are no DocumentActor property before anything changes."""
    for actor in meta.actors:
        if unknown := set(actor) - set(DOCUMENT_ACTOR):
            raise ValueError(f"unknown DocumentActor properties {sorted(unknown)}")
    return meta


@dataclass
class _Document:
    number: str
    id: str
    meta: _Meta
    content: bytes | None
    content_type: str | None
    changed: int  # ticks: ApiGewijzigdOp, and GewijzigdOp in local time
    version: int = 1
    withdrawn: bool = False
    actor_rows: list[Row] = field(default_factory=list)


_QUERY_OPTIONS = ("$filter", "$expand", "$orderby", "$top", "$skip", "$select", "$count", "$format")


@dataclass(frozen=True)
class _Query:
    """The validated options of a Document request (validated before taking the lock)."""

    where: Predicate | None
    expand: list[_Expand]
    select: list[str] | None
    orderby: list[tuple[str, bool]]
    top: int | None
    skip: int
    count: bool


@dataclass
class _Fault:
    fault: Fault
    match: str
    remaining: int


class FakeServices:
    """Both services on one loopback port; use as `with FakeServices() as fake:`."""

    def __init__(self, *, page_size: int = 250, sru_page_cap: int = 1000) -> None:
        self.page_size, self.sru_page_cap = page_size, sru_page_cap
        self.requests: list[Request] = []
        self._lock = threading.RLock()
        self._clock = _CLOCK_START
        self._documents: dict[str, _Document] = {}  # by DocumentNummer, in insertion order
        self._by_id: dict[str, _Document] = {}
        self._dossiers: dict[tuple[int, str | None], Row] = {}
        self._zaken: dict[str, Row] = {}
        self._publications: dict[str, _Publication] = {}
        self._faults: list[_Fault] = []
        self._late = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> FakeServices:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.tk_url = self.base_url + TK_PATH
        self.koop_url = self.base_url + "/sru"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-services", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def reset_log(self) -> None:
        """Forget the requests served so far (e.g. after a test's setup requests)."""
        with self._lock:
            self.requests.clear()

    # --- Tweede Kamer documents

    def _tick(self) -> int:
        """Advance the fake clock one second per mutation: timestamps never depend on time."""
        self._clock += _TICKS
        return self._clock

    def add_document(
        self,
        number: str,
        content: bytes | None,
        *,
        soort: str = "Brief regering",
        datum: str = "2024-09-12",
        onderwerp: str = "Voortgang maatregelen",
        titel: str | None = None,
        vergaderjaar: str | None = None,
        volgnummer: int = -1,
        dossier: tuple[int, str | None] | None = None,
        actors: list[dict[str, Any]] | None = None,
        zaken: list[str] | None = None,
        content_type: str | None = None,
    ) -> str:
        """Add a document; returns its Id (uuid5 of the number). Titel defaults to Onderwerp,
        Vergaderjaar to the one `datum` falls in (Prinsjesdag rule)."""
        meta = _checked(
            _Meta(
                soort,
                datum,
                onderwerp,
                titel,
                vergaderjaar,
                volgnummer,
                dossier,
                tuple(actors or ()),
                tuple(zaken or ()),
            )
        )
        with self._lock:
            if number in self._documents:
                raise ValueError(f"document {number} exists")
            doc = _Document(
                number,
                _guid("Document", number),
                meta,
                content,
                None if content is None else content_type or _sniff(content),
                self._tick(),
            )
            self._link(doc)
            self._documents[number] = self._by_id[doc.id] = doc
            return doc.id

    def replace_document(self, number: str, content: bytes) -> None:
        """A new file version: same Id, new HuidigeDocumentVersie_Id, ContentType re-sniffed."""
        with self._lock:
            doc = self._live(number)
            doc.content, doc.content_type = content, _sniff(content)
            doc.version += 1
            doc.changed = self._tick()

    def update_document(self, number: str, **fields: Any) -> None:
        """Change metadata named like `add_document`'s keywords (TypeError for others)."""
        with self._lock:
            doc = self._live(number)
            for name in ("actors", "zaken"):
                if name in fields:
                    fields[name] = tuple(fields[name] or ())
            doc.meta = _checked(replace(doc.meta, **fields))
            doc.changed = self._tick()
            if {"actors", "zaken", "dossier", "volgnummer"} & set(fields):
                self._link(doc)

    def withdraw_document(self, number: str) -> None:
        """Soft delete. Unconfirmed (third-party test claim): deleted rows keep Id and timestamps
        while other fields may be null; the fake nulls all others but DocumentNummer, expands
        nothing for them, and answers their resource with 404."""
        with self._lock:
            doc = self._live(number)
            doc.withdrawn = True
            doc.changed = self._tick()

    def document_id(self, number: str) -> str:
        """The Id served for a DocumentNummer (also for the late rows of ShiftDuringPaging)."""
        with self._lock:
            return self._documents[number].id

    def api_changed(self, number: str) -> str:
        """The document's `ApiGewijzigdOp` as served."""
        with self._lock:
            return _utc_text(self._documents[number].changed)

    def _live(self, number: str) -> _Document:
        doc = self._documents[number]
        if doc.withdrawn:
            raise ValueError(f"document {number} is withdrawn")
        return doc

    def _link(self, doc: _Document) -> None:
        """(Re)build the document's related rows, stamped with its change time."""
        stamps = self._stamps(doc.changed)
        row = self._document_row(doc)
        doc.actor_rows = []
        for index, actor in enumerate(doc.meta.actors):
            base = dict.fromkeys(DOCUMENT_ACTOR) | stamps | {"Verwijderd": False}
            base |= {"Id": _guid("DocumentActor", f"{doc.number}/{index}"), "Document_Id": doc.id}
            doc.actor_rows.append(base | actor)
        for nummer in doc.meta.zaken:  # a Zaak keeps the values of the document that created it
            self._zaken.setdefault(
                nummer,
                dict.fromkeys(ZAAK)
                | stamps
                | {
                    "Id": _guid("Zaak", nummer),
                    "Nummer": nummer,
                    "Soort": row["Soort"],
                    "Titel": row["Titel"],
                    "Onderwerp": row["Onderwerp"],
                    "GestartOp": row["Datum"],
                    "Organisatie": "Tweede Kamer",
                    "Vergaderjaar": row["Vergaderjaar"],
                    "Volgnummer": row["Volgnummer"],
                    "Afgedaan": False,
                    "GrootProject": False,
                    "Verwijderd": False,
                },
            )
        if doc.meta.dossier is not None:
            nummer, toevoeging = doc.meta.dossier
            # Unconfirmed: Kamer (string) values; null as in the reconstructed example.
            dossier = self._dossiers.setdefault(
                doc.meta.dossier,
                dict.fromkeys(KAMERSTUKDOSSIER)
                | {
                    "Id": _guid("Kamerstukdossier", f"{nummer}/{toevoeging or ''}"),
                    "Titel": row["Titel"],
                    "Nummer": nummer,
                    "Toevoeging": toevoeging,
                    "HoogsteVolgnummer": 0,
                    "Afgesloten": False,
                }
                | stamps
                | {"Verwijderd": False},
            )
            if doc.meta.volgnummer > dossier["HoogsteVolgnummer"]:
                dossier |= {"HoogsteVolgnummer": doc.meta.volgnummer} | stamps

    @staticmethod
    def _stamps(ticks: int) -> Row:
        return {"GewijzigdOp": _local_text(ticks), "ApiGewijzigdOp": _utc_text(ticks)}

    def _document_row(self, doc: _Document) -> Row:
        """The row as served; a withdrawn one keeps only Id, DocumentNummer and the stamps."""
        row = dict.fromkeys(DOCUMENT) | {
            "Id": doc.id,
            "DocumentNummer": doc.number,
            **self._stamps(doc.changed),
            "Verwijderd": True,
        }
        if doc.withdrawn:
            return row
        m, content = doc.meta, doc.content
        datum = _day_text(m.datum)
        return row | {
            "Soort": m.soort,
            "Titel": m.onderwerp if m.titel is None else m.titel,
            "Onderwerp": m.onderwerp,
            "Datum": datum,
            "Vergaderjaar": m.vergaderjaar or _vergaderjaar(m.datum),
            "Kamer": 2,
            "Volgnummer": m.volgnummer,
            "DatumRegistratie": datum,
            "DatumOntvangst": datum,
            "Organisatie": "Tweede Kamer",
            "ContentType": None if content is None else doc.content_type,
            "ContentLength": None if content is None else len(content),
            "Verwijderd": False,
            # Unconfirmed: null without a file (the version is what identifies the file here).
            "HuidigeDocumentVersie_Id": None
            if content is None
            else _guid("DocumentVersie", f"{doc.number}/{doc.version}"),
        }

    def _navigation(self, doc: _Document, name: str) -> list[Row]:
        if doc.withdrawn:
            return []
        if name == "DocumentActor":
            return doc.actor_rows
        if name == "Zaak":
            return [self._zaken[nummer] for nummer in doc.meta.zaken]
        return [self._dossiers[doc.meta.dossier]] if doc.meta.dossier else []

    # --- KOOP publications

    def add_publication(
        self,
        identifier: str,
        xml: bytes,
        metadata_xml: bytes,
        *,
        modified: str = "2024-09-12",
        subrubriek: str = "Brief",
        dossier: str | None = None,
        title: str = "Brief regering",
    ) -> None:
        """A Kamerstuk `kst-<dossier>-<nr>`; `title` may be "dossiertitel; ...; documenttitel"
        like dcterms:title, whose first and last parts then fill dossiertitel/documenttitel."""
        if dossier is None:
            m = re.fullmatch(r"kst-(.+)-\d+", identifier)
            if m is None:
                raise ValueError(f"cannot derive the dossier of {identifier}")
            dossier = m[1]
        with self._lock:
            self._publications[identifier] = _Publication(
                identifier, xml, metadata_xml, modified, modified, subrubriek, dossier, title
            )

    def update_publication(self, identifier: str, xml: bytes, *, modified: str) -> None:
        """A corrected publication: new XML at the same URL, new dt.modified (dates stay)."""
        with self._lock:
            pub = self._publications[identifier]
            pub.xml, pub.modified = xml, modified

    # --- Faults

    def inject(self, fault: Fault, *, match: str = "", times: int = 1) -> None:
        """Queue a fault. Each request takes the first queued fault (in injection order) whose
        `match` occurs in its decoded path+query; that fault fires `times` times in all."""
        with self._lock:
            self._faults.append(_Fault(fault, match, times))

    def clear_faults(self) -> None:
        """Drop every queued fault: the service has recovered."""
        with self._lock:
            self._faults.clear()

    def _take_fault(self, target: str) -> Fault | None:
        with self._lock:
            for armed in self._faults:
                if armed.match in target:
                    armed.remaining -= 1
                    if armed.remaining <= 0:
                        self._faults.remove(armed)
                    return armed.fault
        return None

    # --- Serving

    def _serve(self, handler: _Handler) -> None:
        split = urlsplit(handler.path)
        path = unquote(split.path)
        pairs = parse_qsl(split.query, keep_blank_values=True)
        target = path + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")
        fault = self._take_fault(target)
        if isinstance(fault, Slow):
            time.sleep(fault.seconds)
        if handler.command != "GET":  # drained so the connection stays in step
            handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        response = self._fault_response(fault, path) or self._route(
            handler.command, path, pairs, handler.path, fault
        )
        body = b"" if handler.command == "HEAD" else response.body
        if isinstance(fault, ResetMidBody):
            body = body[: fault.after]
        # Logged before sending, so a client holding the answer always finds it in the log.
        host = handler.headers.get("Host", "")
        with self._lock:
            self.requests.append(
                Request(handler.command, path, dict(pairs), response.status, len(body), host)
            )
        try:
            self._write(handler, response, body, fault)
        except OSError:  # the client went away (e.g. its timeout fired during Slow): normal
            handler.close_connection = True

    def _fault_response(self, fault: Fault | None, path: str) -> _Response | None:
        match fault:
            case Status(code=code, retry_after=retry_after, html=html):
                headers = [] if retry_after is None else [("Retry-After", str(retry_after))]
                if path.startswith(TK_PATH):
                    if html:
                        return _html(code, _iis_page(code), headers)
                    return _odata_error(code, "An error has occurred.", headers)
                # KOOP answers errors in HTML, never SRU XML (wetsuite sru.py); `html` is moot.
                return _html(code, _plain_page(code), headers)
            case Html200():
                return _html(200, _ERROR_PAGE_200)
            case RedirectOffHost(location=location):
                return _Response(302, [("Location", location)], b"")
        return None

    def _route(
        self, method: str, path: str, pairs: list[tuple[str, str]], raw: str, fault: Fault | None
    ) -> _Response:
        tk = path.startswith(TK_PATH)
        if method != "GET":
            allow = [("Allow", "GET"), ("Connection", "close")]
            if tk:
                return _odata_error(
                    405, f"The requested resource does not support http method '{method}'.", allow
                )
            return _html(405, _plain_page(405), allow)
        try:
            if tk:
                return self._odata(path[len(TK_PATH) :], pairs, raw, fault)
        except ODataError as err:
            return _odata_error(400, err.message)  # Unconfirmed: 400 (the reference: non-200)
        if path == "/sru":
            return self._sru(dict(pairs))
        if path.startswith("/frbr/officielepublicaties/"):
            return self._repository(path)
        return _html(404, _plain_page(404))

    @staticmethod
    def _write(handler: _Handler, response: _Response, body: bytes, fault: Fault | None) -> None:
        """Send the headers (with the full body's Content-Length, plus `missing` for
        ShortBody) and `body`, then end the connection as the fault says."""
        handler.send_response_only(response.status)
        for name, value in response.headers:
            handler.send_header(name, value)
        extra = fault.missing if isinstance(fault, ShortBody) else 0
        handler.send_header("Content-Length", str(len(response.body) + extra))
        handler.end_headers()
        handler.wfile.write(body)
        if isinstance(fault, ResetMidBody):
            time.sleep(0.05)  # let the client read the part before the reset discards buffers
            # Linger 0: closing sends RST instead of FIN, as a dropped connection looks.
            linger = struct.pack("ii", 1, 0)
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            handler.connection.close()
        if isinstance(fault, ResetMidBody | ShortBody):
            handler.close_connection = True

    # --- OData

    def _odata(
        self, resource: str, pairs: list[tuple[str, str]], raw: str, fault: Fault | None
    ) -> _Response:
        if resource == "Document":
            return self._document_list(pairs, raw, fault)
        m = re.fullmatch(
            r"Document\(([^)]*)\)(/resource|/TK\.DA\.GGM\.OData\.Resource\(\))?", resource
        )
        if m is None:  # unknown entity set or path: IIS's 500 page (odp#74)
            return _html(500, _iis_page(500))
        key = m[1].lower()
        if not re.fullmatch(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", key):
            # Unconfirmed: status and message for a malformed key (wetsuite expects 400).
            raise ODataError(f"The key value '{m[1]}' is not a valid 'Edm.Guid'.")
        with self._lock:
            doc = self._by_id.get(key)
            if m[2] is None:
                if doc is None:  # Unconfirmed: unknown key (tkapi treats 204/404 as empty)
                    return _odata_error(404, "Resource not found for the segment 'Document'.")
                row = self._shape(doc, self._document_row(doc), self._options(pairs))
                context = {"@odata.context": f"{self.tk_url}$metadata#Document/$entity"}
                return _json(200, context | row, content_type=_ODATA_JSON)
            if doc is None or doc.withdrawn or doc.content is None:
                # Unconfirmed: 404 (not 204) with an OData JSON body for every missing file.
                return _odata_error(404, "Resource not found for the segment 'resource'.")
            return _Response(200, [("Content-Type", doc.content_type or "")], doc.content)

    def _options(self, pairs: list[tuple[str, str]]) -> _Query:
        opts = dict(pairs)
        for key in opts:
            if key.startswith("$") and key not in _QUERY_OPTIONS:
                raise ODataError(f"The query parameter '{key}' is not supported.")
        numbers = {}
        for name in ("$top", "$skip"):
            value = opts.get(name)
            if value is not None and not value.isdigit():
                raise ODataError(f"Invalid value '{value}' for {name} query option found.")
            numbers[name] = None if value is None else int(value)
        if opts.get("$count", "false") not in ("true", "false"):
            raise ODataError(f"'{opts['$count']}' is not a valid count option.")
        return _Query(
            where=_FilterParser(opts["$filter"], "Document").parse() if "$filter" in opts else None,
            expand=_parse_expand(opts.get("$expand", "")),
            select=_parse_select(opts["$select"], "Document") if "$select" in opts else None,
            orderby=_parse_orderby(opts.get("$orderby", "")),
            top=numbers["$top"],
            skip=numbers["$skip"] or 0,
            count=opts.get("$count") == "true",
        )

    def _shape(self, doc: _Document, row: Row, query: _Query) -> Row:
        out = _project(row, query.select)
        for item in query.expand:
            related = self._navigation(doc, item.name)
            out[item.name] = [
                _project(r, item.select) for r in related if item.where is None or item.where(r)
            ]
        return out

    def _matching(self, query: _Query) -> list[tuple[Row, _Document]]:
        rows = [(self._document_row(doc), doc) for doc in self._documents.values()]
        rows = [pair for pair in rows if query.where is None or query.where(pair[0])]
        for name, descending in reversed(query.orderby):
            rows.sort(key=lambda pair, n=name: _sort_value(pair[0], n), reverse=descending)
        return rows

    def _insert_late_row(self, rows: list[tuple[Row, _Document]], skip: int) -> None:
        """ShiftDuringPaging: see that class for what is inserted and why."""
        if not rows:
            return
        neighbour = rows[min(max(skip - 1, 0), len(rows) - 1)][1]
        number = neighbour.number
        while number in self._documents:
            self._late += 1
            number = f"{neighbour.number[:4]}D9{self._late:04d}"
        self._tick()  # still a mutation, though the row is backdated
        late = replace(
            neighbour, number=number, id=_guid("Document", number), changed=neighbour.changed - 1
        )
        self._link(late)
        self._documents[number] = self._by_id[late.id] = late

    def _document_list(
        self, pairs: list[tuple[str, str]], raw: str, fault: Fault | None
    ) -> _Response:
        query = self._options(pairs)
        # Unconfirmed: $top above the page size; the fake truncates silently, no nextLink.
        size = self.page_size if query.top is None else min(query.top, self.page_size)
        with self._lock:
            rows = self._matching(query)
            if isinstance(fault, ShiftDuringPaging):
                self._insert_late_row(rows, query.skip)
                rows = self._matching(query)
            page = rows[query.skip : query.skip + size]
            # Unconfirmed: the context URL with $expand/$select (as the reconstructed example).
            parts = [*(query.select or []), *(f"{item.name}()" for item in query.expand)]
            context = f"{self.tk_url}$metadata#Document" + (f"({','.join(parts)})" if parts else "")
            payload: dict[str, Any] = {"@odata.context": context}
            if query.count:
                payload["@odata.count"] = len(rows)
            payload["value"] = [self._shape(doc, row, query) for row, doc in page]
        if isinstance(fault, LoopingNextLink):
            payload["@odata.nextLink"] = self.base_url + raw
        elif query.top is None and query.skip + len(page) < len(rows):
            # As live: the request's options re-encoded, then $skip (replaced if present).
            kept = [f"{quote(k, safe='$')}={quote(v, safe='')}" for k, v in pairs if k != "$skip"]
            kept.append(f"$skip={query.skip + len(page)}")
            payload["@odata.nextLink"] = f"{self.tk_url}Document?{'&'.join(kept)}"
        return _json(200, payload, [("OData-Version", "4.0")], content_type=_ODATA_JSON)

    # --- SRU and repository

    def _sru(self, params: dict[str, str]) -> _Response:
        start, maximum = params.get("startRecord", "1"), params.get("maximumRecords", "50")
        root = _el(None, "sru:searchRetrieveResponse")
        _el(root, "sru:version", "2.0")
        # Unconfirmed: the Content-Type of SRU responses.
        headers = [("Content-Type", "application/xml; charset=utf-8")]
        try:
            if params.get("operation", "searchRetrieve") != "searchRetrieve":
                raise SruError(4, "Unsupported operation", params["operation"])
            if not params.get("query"):
                raise SruError(7, "Mandatory parameter not supplied", "query")
            for name, value in (("startRecord", start), ("maximumRecords", maximum)):
                if not value.isdigit() or (name == "startRecord" and int(value) < 1):
                    raise SruError(6, "Unsupported parameter value", name)
            if params.get("recordSchema", "gzd") not in ("gzd", _GZD_SCHEMA):
                raise SruError(66, "Unknown schema for retrieval", params["recordSchema"])
            where, sort = _CqlParser(params["query"]).parse()
        except SruError as err:
            # Unconfirmed: namespace and HTTP status of diagnostics (SRU 2.0's, and 400).
            _el(root, "sru:numberOfRecords", 0)
            diagnostic = _el(_el(root, "sru:diagnostics"), "diag:diagnostic")
            _el(diagnostic, "diag:uri", f"info:srw/diagnostic/1/{err.number}")
            _el(diagnostic, "diag:details", err.details)
            _el(diagnostic, "diag:message", err.message)
            self._echo(root, params, start, maximum)
            return _Response(400, headers, _xml_body(root))
        # Unconfirmed: repository.overheid.nl's own cap; the fake caps silently and echoes it.
        first, count = int(start), min(int(maximum), self.sru_page_cap)
        with self._lock:
            matches = [p for p in self._publications.values() if where(p)]
            matches.sort(key=lambda p: (p.modified, p.identifier))
            for index, descending in reversed(sort):
                matches.sort(key=lambda p, get=_SRU_INDEXES[index][0]: get(p), reverse=descending)
            page = matches[first - 1 : first - 1 + count]
            _el(root, "sru:numberOfRecords", len(matches))
            # Unconfirmed: a page without records omits sru:records (SRU 2.0 allows it).
            if page:
                records = _el(root, "sru:records")
                for offset, pub in enumerate(page):
                    self._record(records, pub, first + offset)
        if page and first - 1 + len(page) < len(matches):
            _el(root, "sru:nextRecordPosition", first + len(page))
        self._echo(root, params, start, str(count))
        precision = "info:srw/vocabulary/resultCountPrecision/1/estimate"
        _el(root, "sru:resultCountPrecision", precision)
        return _Response(200, headers, _xml_body(root))

    @staticmethod
    def _echo(root: etree._Element, params: dict[str, str], start: str, maximum: str) -> None:
        echo = _el(root, "sru:echoedSearchRetrieveRequest")
        if params.get("query"):
            _el(echo, "sru:query", params["query"])
        _el(echo, "sru:startRecord", start)
        _el(echo, "sru:maximumRecords", maximum)
        _el(echo, "sru:recordXMLEscaping", "xml")
        _el(echo, "sru:recordSchema", _GZD_SCHEMA)

    def _record(self, records: etree._Element, pub: _Publication, position: int) -> None:
        """One gzd record shaped like examples/sru_page_excerpt_brief_kst-22112-3185.xml;
        item URLs point at the fake, preferredUrl stays the real (never fetched) site URL."""
        record = _el(records, "sru:record")
        _el(record, "sru:recordSchema", _GZD_SCHEMA)
        _el(record, "sru:recordPacking", "xml")
        gzd = _el(_el(record, "sru:recordData"), "gzd:gzd")
        meta = _el(_el(gzd, "gzd:originalData"), _OW + "meta")
        kern = _el(meta, _OW + "owmskern")
        _el(kern, "dcterms:identifier", pub.identifier)
        _el(kern, "dcterms:title", pub.title)
        _el(kern, "dcterms:language", "nl")
        _el(kern, "dcterms:type", "Kamerstuk", scheme="OVERHEIDop.Parlementair")
        creator = "Tweede Kamer der Staten-Generaal"
        _el(kern, "dcterms:creator", creator, scheme="OVERHEID.StatenGeneraal")
        _el(kern, "dcterms:modified", pub.modified)
        mantel = _el(meta, _OW + "owmsmantel")
        preferred = f"https://zoek.officielebekendmakingen.nl/{pub.identifier}.html"
        _el(mantel, "dcterms:available", pub.date)
        _el(mantel, "dcterms:date", pub.date)
        _el(mantel, "dcterms:hasVersion", 1, resourceIdentifier=preferred)
        _el(mantel, "dcterms:issued", pub.date)
        tpmeta = _el(meta, _OW + "tpmeta")
        _el(tpmeta, "c:product-area", "officielepublicaties")
        _el(tpmeta, "c:content-area", f"officielepublicaties/kst/{pub.dossier}")
        titles = pub.title.split("; ")
        _el(tpmeta, _OW + "documentstatus", "Opgemaakt")
        _el(tpmeta, _OW + "documenttitel", titles[-1])
        if len(titles) > 1:
            _el(tpmeta, _OW + "dossiertitel", titles[0])
        _el(tpmeta, _OW + "ondernummer", pub.ondernummer)
        _el(tpmeta, _OW + "organisatietype", "staten generaal", scheme="OVERHEID.Organisatietype")
        _el(tpmeta, _OW + "publicatienaam", "Kamerstuk")
        _el(tpmeta, _OW + "vergaderjaar", _vergaderjaar(pub.date))
        _el(tpmeta, _OW + "dossiernummer", pub.dossier)
        _el(tpmeta, _OW + "subrubriek", pub.subrubriek, scheme="OVERHEIDop.KamerstukTypen")
        changed = _day_text(pub.modified, "12:00:00")
        for part in ("Work", "Expression"):
            _el(tpmeta, f"cd:datumTijdstipWijziging{part}", f"{changed[:19]}.0000000{changed[19:]}")
        enriched = _el(gzd, "gzd:enrichedData")
        item = f"{self.base_url}/frbr/officielepublicaties/kst/{pub.dossier}/{pub.identifier}/1"
        _el(enriched, "gzd:url", f"{item}/xml/{pub.identifier}.xml")
        _el(enriched, "gzd:preferredUrl", preferred)
        for manifestation, name in (
            ("html", f"{pub.identifier}.html"),
            ("metadata", "metadata.xml"),
            ("metadataowms", "metadata_owms.xml"),
            ("odt", f"{pub.identifier}.odt"),
            ("pdf", f"{pub.identifier}.pdf"),
            ("xml", f"{pub.identifier}.xml"),
        ):
            url = f"{item}/{manifestation}/{name}"
            _el(enriched, "gzd:itemUrl", url, manifestation=manifestation)
        _el(enriched, "gzd:timestamp", f"{changed[:19]}.000000{changed[19:]}")
        _el(record, "sru:recordPosition", position)

    def _repository(self, path: str) -> _Response:
        """The xml and metadata manifestations; html/pdf/odt/metadataowms answer 404 here.
        Unconfirmed: Content-Types; text/xml for the publication and application/xml for
        metadata.xml, so clients learn to accept both."""
        m = re.fullmatch(r"/frbr/officielepublicaties/kst/([^/]+)/([^/]+)/1/(\w+)/([^/]+)", path)
        with self._lock:
            pub = self._publications.get(m[2]) if m else None
            if m and pub and pub.dossier == m[1]:
                if m[3] == "xml" and m[4] == f"{pub.identifier}.xml":
                    return _Response(200, [("Content-Type", "text/xml")], pub.xml)
                if m[3] == "metadata" and m[4] == "metadata.xml":
                    return _Response(200, [("Content-Type", "application/xml")], pub.metadata_xml)
        return _html(404, _plain_page(404))
