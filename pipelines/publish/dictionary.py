"""The data dictionary, rendered from `schemas/` so it can never disagree with the data."""

from __future__ import annotations

from datetime import date

from pipelines.extract.ministries import REVIEWED, portfolios
from pipelines.tables.schemas import TABLES, table_schema

GLOSSARY = {
    "Kamerbrief": "A letter to the Tweede Kamer (House of Representatives), usually from a "
    "minister or state secretary.",
    "Kamerstuk": "A numbered parliamentary paper, published by officielebekendmakingen.nl as "
    "kst-<dossier>-<ondernummer>.",
    "Kamerstukdossier (dossier)": "The numbered file a Kamerstuk belongs to, e.g. 33 783 "
    "(Nucleaire ontwapening en non-proliferatie); some carry a suffix (toevoeging) such as a "
    "budget chapter: 34 300-VII.",
    "ondernummer": "The number of a Kamerstuk within its dossier ('Nr. 46'); Eerste Kamer "
    "papers use letters (A, B, AB).",
    "vergaderjaar": "The parliamentary year, from the third Tuesday of September to the day "
    "before the next; written 2019-2020.",
    "zaak / document (TK)": "Numbers the Tweede Kamer's registry gives to matters (2023Z05957) "
    "and documents (2023D14598).",
    "Handelingen / Aanhangsel": "The plenary minutes, and their appendix holding answers to "
    "written questions (Kamervragen).",
    "ondertekenaar": "A person who signs the letter.",
    "minister zonder portefeuille": "A minister without a ministry of their own, in charge of "
    "a programme housed by a ministry ('Minister voor Rechtsbescherming', at Justitie en "
    "Veiligheid); printed 'Minister voor ...' where a ministry's head is 'Minister van ...'.",
    "staatssecretaris": "A junior minister (state secretary) within a ministry.",
    "mede namens": "'Also on behalf of': the letter is sent for another office too, which "
    "did not sign it.",
    "Kamervragen": "Written questions from members of parliament to a minister; the answers "
    "come in a letter and in the Aanhangsel.",
    "kenmerk": "The sender's own reference number of a letter ('Ons kenmerk').",
    "Document.Soort": "The Tweede Kamer portal's class of a document ('Brief regering', "
    "'Motie'); letters.doc_class uses its values.",
}


def constraints_text(field: dict) -> str:
    """A field's constraints in words, for the dictionary and the catalog page."""
    parts = []
    for key, value in field.get("constraints", {}).items():
        if value is True or value is False:
            parts.append(key if value else "")
        elif key == "enum":
            parts.append("one of " + ", ".join(f"`{v}`" for v in value))
        else:
            parts.append(f"{key}: `{value}`")
    return "; ".join(p for p in parts if p)


def render_dictionary() -> str:
    """The data dictionary as Markdown: every table, field, type, constraint and description."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from `schemas/` by `kamerbrieven dictionary`; do not edit by hand.",
        "",
        "## Dutch terms",
        "",
    ]
    lines += [f"- **{term}**: {meaning}" for term, meaning in GLOSSARY.items()]
    for table in TABLES:
        schema = table_schema(table)
        lines += ["", f"## {table}", "", schema.get("description", ""), ""]
        lines.append(f"Primary key: {', '.join(f'`{k}`' for k in schema['primaryKey'])}.")
        for key in schema.get("foreignKeys", []):
            ref = key["reference"]
            lines.append(
                f"Foreign key: `{', '.join(key['fields'])}` references "
                f"`{ref['resource']}.{', '.join(ref['fields'])}`."
            )
        lines += ["", "| field | type | constraints | description |", "|---|---|---|---|"]
        for field in schema["fields"]:
            cells = [
                f"`{field['name']}`",
                field["type"],
                constraints_text(field),
                field.get("description", ""),
            ]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines + _ministry_codes()) + "\n"


_KINDS = {"ministry": 0, "programme": 1}
"""Ministries first, then their programmes, then abbreviations."""


def _ministry_codes() -> list[str]:
    """The mapping behind offices.ministry_code, so a reader can look a code up."""
    lines = [
        "",
        "## Ministry codes",
        "",
        "`offices.ministry_code` names a ministry under one code for all its names, from the "
        f"mapping in `pipelines/extract/ministries.csv` (reviewed {REVIEWED}). Each portfolio "
        "as ministers print it, the ministry it belongs to and the dates the name was in use "
        "(from inclusive, to exclusive; empty when open). A minister zonder portefeuille's "
        "programme belongs to the ministry housing it.",
        "",
        "| portfolio | ministry_code | from | to | kind |",
        "|---|---|---|---|---|",
    ]
    rows = sorted(
        (entry for entries in portfolios().values() for entry in entries),
        key=lambda e: (e.ministry_code, _KINDS.get(e.kind, 2), e.valid_from or date.min, e.name),
    )
    for entry in rows:
        dates = [d.isoformat() if d else "" for d in (entry.valid_from, entry.valid_to)]
        lines.append(
            f"| {entry.name} | `{entry.ministry_code}` | {' | '.join(dates)} | {entry.kind} |"
        )
    return lines
