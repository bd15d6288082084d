"""Which references cite a letter of the same release: the citation graph.

A reference names its target as printed (`kst-33783-41`, a Tweede Kamer document number, a URL
of officielebekendmakingen.nl); `cited_letter_id` is the letter_id of that target when the
release holds it. It is filled when the tables are merged, over every reference, kept or new,
since a letter added today can be the one an old letter cites.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.tables.files import TableLike, read_columns

CITED = "cited_letter_id"
_OFFICIAL_URL = r"officielebekendmakingen\.nl/(?:[\w.-]+/)*(?P<id>(?:kst|ah)-[\w-]+?)(?:\.\w+)?$"
"""The publication id in a URL of officielebekendmakingen.nl (`.../kst-33783-41.html`)."""


class CitationTargets:
    """Every identifier by which a reference may name a letter of the release, with its
    letter_id: the letter_id itself, its portal DocumentNummer and its official URL."""

    def __init__(self, letters: TableLike) -> None:
        columns = read_columns(letters, ["letter_id", "tk_document_number", "url"])
        ids = columns["letter_id"].combine_chunks()
        keys, values = [ids], [ids]
        for name in ("tk_document_number", "url"):
            column = columns[name].combine_chunks()
            present = pc.is_valid(column)
            keys.append(pc.filter(column, present))
            values.append(pc.filter(ids, present))
        self.keys = pa.concat_arrays(keys)
        self.values = pa.concat_arrays(values)

    def resolve(self, references: pa.Table) -> pa.Table:
        """`references` with `cited_letter_id` set from its targets."""
        target = references["target_id"]
        printed_id = pc.struct_field(pc.extract_regex(target, _OFFICIAL_URL), "id")
        is_url = pc.equal(references["kind"], "url")
        key = pc.if_else(pc.and_(is_url, pc.is_valid(printed_id)), printed_id, target)
        cited = pc.take(self.values, pc.index_in(key, value_set=self.keys))
        position = references.schema.get_field_index(CITED)
        return references.set_column(position, references.schema.field(position), cited)
