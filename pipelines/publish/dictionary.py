"""The data dictionary, rendered from `schemas/` so it can never disagree with the data."""

from __future__ import annotations

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
    return "\n".join(lines) + "\n"
