"""Markdown from PDF converters: `<sup>N</sup>` markers, and raised powers that are none."""

from __future__ import annotations

from pipelines.formats import parse_bytes


def test_raised_powers_after_units_are_text_not_markers() -> None:
    markdown = (
        b"Een woning van 100 m<sup>2</sup> met 3 m<sup>3</sup> opslag, 2 km<sup>2</sup> grond, "
        b"minder CO<sup>2</sup>-uitstoot<sup>1</sup> en een CO2<sup>2</sup>-heffing.\n\n"
        b"<sup>1</sup> Zie de bijlage.\n\n<sup>2</sup> Zie de memorie van toelichting.\n"
    )
    document = parse_bytes(markdown, "brief.md")
    assert [(b.text, b.note_refs) for b in document.blocks] == [
        (
            "Een woning van 100 m2 met 3 m3 opslag, 2 km2 grond, minder CO2-uitstoot en een "
            "CO2-heffing.",
            [1, 2],
        )
    ]
    assert [(n.number, n.text, n.block_index) for n in document.footnotes] == [
        (1, "Zie de bijlage.", 0),
        (2, "Zie de memorie van toelichting.", 0),
    ]
