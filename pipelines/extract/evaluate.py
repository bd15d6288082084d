"""Quality report: parsed letters compared field by field with gold values read off the pages.

The gold file (one JSON object per letter: its `file` in the folder, or else the file whose stem
is its `id`) records what a careful reader sees; its comparison rules are the shared samples'
README: case-insensitive, whitespace-collapsed, en dashes read as hyphens, trailing punctuation
ignored, a leading "Aan (de)" ignored in the addressee and "BRIEF VAN DE/HET" in the sender,
dossier numbers and Kamerstuk citations compared in normalized form, signatories by name with
titles ignored. A gold null is not scored: the page does not show the value, so no answer can be
wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.extract import ParsedLetter, extract_letter
from pipelines.extract.identity import normalize_dossier
from pipelines.formats import parse_file
from pipelines.formats.common import unify_dashes
from pipelines.model import ParseError

FIELDS = (
    "doc_type",
    "dossier_number",
    "dossier_title",
    "document_number",
    "vergaderjaar",
    "date",
    "addressee",
    "sender",
    "subject",
    "kenmerk",
    "signatories",
    "references",
    "footnote_count",
    "question_count",
)
"""Gold fields scored, in report order."""

_TRAILING_PUNCTUATION = re.compile(r"[\s.,;:]+$")
_ADDRESSEE_LEAD = re.compile(r"^aan\s+(?:de\s+|het\s+)?")
_SENDER_LEAD = re.compile(r"^brief\s+van\s+(?:de|het)\s+")
_NAME_TITLES = re.compile(r"^(?:(?:drs|mr|dr|prof|ir|ing|ds|jhr|jkvr|bc|lic)\.\s*)+")
_CITATION_YEAR = re.compile(r"\b\d{4}\s*[/-]\s*\d{2,4}\b")
_GOLD_CITATION = re.compile(
    r"(?P<dossier>\d{2}\s?\d{3}(?:[\s-](?:[A-Z]{1,6}|\d{2})\b)?)(?:\s*/\s*\d{2}\s?\d{3})?"
    r"(?:,?\s*(?:nrs?\.|letter)\s*(?P<nr>[0-9A-Za-z]+)|-(?P<joined>\d+))?"
)


def normalize_value(value: Any) -> str | None:
    """A printed value in comparable form: lower case, one space, hyphens, no end punctuation."""
    if value is None:
        return None
    text = " ".join(unify_dashes(str(value)).lower().split())
    return _TRAILING_PUNCTUATION.sub("", text)


def _addressee(value: Any) -> str | None:
    text = normalize_value(value)
    return None if text is None else _ADDRESSEE_LEAD.sub("", text)


def _sender(value: Any) -> str | None:
    text = normalize_value(value)
    return None if text is None else _SENDER_LEAD.sub("", text)


def _doc_type(value: Any) -> str | None:
    """The gold doc_type without the describing notes it adds in parentheses."""
    text = normalize_value(value)
    return None if text is None else text.split(" (")[0].strip()


def _name(value: str | None) -> str | None:
    text = normalize_value(value)
    return None if text is None else _NAME_TITLES.sub("", text)


def gold_reference_id(printed: str) -> str | None:
    """`Kamerstuk 33 529, nr. 502` -> `kst-33529-502`; a dossier cited alone -> `kst-33529`."""
    text = _CITATION_YEAR.sub(" ", unify_dashes(printed))
    match = _GOLD_CITATION.search(text)
    if match is None:
        return None
    dossier = normalize_dossier(match.group("dossier"))
    number = match.group("nr") or match.group("joined")
    return f"kst-{dossier}-{number}" if number else f"kst-{dossier}"


@dataclass
class FieldRule:
    """How one gold field is read from the gold row and from our output, in comparable form."""

    gold: Callable[[dict[str, Any]], Any]
    ours: Callable[[ParsedLetter], Any]


def _text_rule(gold_key: str, our_key: str, form: Callable[[Any], Any] = normalize_value):
    return FieldRule(lambda g: form(g.get(gold_key)), lambda p: form(p.letter.get(our_key)))


def _gold_signatories(gold: dict[str, Any]) -> list[str | None] | None:
    rows = gold.get("signatories")
    return None if rows is None else [_name(row.get("name")) for row in rows]


def _gold_references(gold: dict[str, Any]) -> list[str] | None:
    printed = gold.get("references")
    if printed is None:
        return None
    return sorted({ref for ref in map(gold_reference_id, printed) if ref})


def _our_references(parsed: ParsedLetter) -> list[str]:
    return sorted({r["target_id"] for r in parsed.references if r["kind"] == "kamerstuk"})


def _date(value: Any) -> str | None:
    return None if value is None else str(value)[:10]


RULES: dict[str, FieldRule] = {
    "doc_type": _text_rule("doc_type", "doc_type", _doc_type),
    "dossier_number": FieldRule(
        lambda g: (
            g.get("dossier_number_normalized")
            or (normalize_dossier(g["dossier_number"]) if g.get("dossier_number") else None)
        ),
        lambda p: p.letter.get("dossier_number"),
    ),
    "dossier_title": _text_rule("dossier_title", "dossier_title"),
    "document_number": _text_rule("document_number", "document_number"),
    "vergaderjaar": FieldRule(  # the web-text gold says vergaderjaar, the native gold its column
        lambda g: normalize_value(g.get("vergaderjaar") or g.get("parliamentary_year")),
        lambda p: normalize_value(p.letter.get("parliamentary_year")),
    ),
    "date": FieldRule(lambda g: _date(g.get("date")), lambda p: _date(p.letter.get("date"))),
    "addressee": _text_rule("addressee", "addressee", _addressee),
    "sender": _text_rule("sender", "sender", _sender),
    "subject": _text_rule("subject", "subject"),
    "kenmerk": _text_rule("kenmerk", "kenmerk"),
    "signatories": FieldRule(
        _gold_signatories, lambda p: [_name(row["name"]) for row in p.signatories]
    ),
    "references": FieldRule(_gold_references, _our_references),
    "footnote_count": FieldRule(
        lambda g: g.get("footnote_count"), lambda p: p.letter.get("footnote_count")
    ),
    "question_count": FieldRule(
        lambda g: g.get("question_count"), lambda p: p.letter.get("question_count")
    ),
}


@dataclass
class Mismatch:
    """One scored field where our output differs from the gold value."""

    letter: str
    field: str
    expected: Any
    got: Any


@dataclass
class Evaluation:
    """Per-field counts over a set of letters, with every mismatch and every unreadable letter."""

    scored: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    mismatches: list[Mismatch] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    groups: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: {"format": {}, "kind": {}}
    )
    """Per source format and per kind of document (the gold's `doc_class`): values right, and
    values scored."""

    def count(self, format_: str, kind: str, right: bool) -> None:
        """Count one scored value in its format's and its kind's figures."""
        for group, key in (("format", format_), ("kind", kind)):
            tally = self.groups[group].setdefault(key, [0, 0])
            tally[0] += right
            tally[1] += 1

    def accuracy(self, name: str) -> float | None:
        """Share of scored letters whose value is right; None when no letter scores the field."""
        return self.correct[name] / self.scored[name] if self.scored[name] else None

    def overall(self) -> float | None:
        """Share of all scored values that are right, every field counted alike."""
        total = sum(self.scored.values())
        return sum(self.correct.values()) / total if total else None

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON: per-field figures, mismatches and failures."""
        return {
            "fields": {
                name: {
                    "scored": self.scored[name],
                    "correct": self.correct[name],
                    "accuracy": self.accuracy(name),
                }
                for name in FIELDS
            },
            "overall": self.overall(),
            "groups": {
                group: {
                    key: {"correct": right, "scored": scored, "accuracy": right / scored}
                    for key, (right, scored) in sorted(tallies.items())
                }
                for group, tallies in self.groups.items()
            },
            "mismatches": [m.__dict__ for m in self.mismatches],
            "failures": self.failures,
        }


def compare_letter(gold: dict[str, Any], parsed: ParsedLetter, evaluation: Evaluation) -> None:
    """Score every field of one letter that the gold row gives a value for."""
    format_ = parsed.letter["source_format"]
    kind = gold.get("doc_class") or "unclassified"
    for name in FIELDS:
        rule = RULES[name]
        expected = rule.gold(gold)
        if expected is None:
            continue
        got = rule.ours(parsed)
        evaluation.scored[name] += 1
        evaluation.count(format_, kind, got == expected)
        if got == expected:
            evaluation.correct[name] += 1
        else:
            evaluation.mismatches.append(
                Mismatch(gold.get("file") or gold["id"], name, expected, got)
            )


def read_gold(path: Path) -> list[dict[str, Any]]:
    """The gold rows of a JSON Lines file, blank lines skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def evaluate_directory(gold_path: Path, directory: Path) -> Evaluation:
    """Parse every letter in `directory` that has a gold row and score it.

    A gold row names its `file` when one document comes in several formats (the native set);
    otherwise the file whose stem is its `id` is taken. A gold row without a file, or a file that
    cannot be parsed, is recorded as a failure and scores nothing.
    """
    evaluation = Evaluation()
    files = {path.stem: path for path in sorted(directory.iterdir()) if path.is_file()}
    for gold in read_gold(gold_path):
        label = gold.get("file") or gold["id"]
        path = directory / gold["file"] if gold.get("file") else files.get(gold["id"])
        if path is None or not path.is_file():
            evaluation.failures[label] = "no such file in the folder"
            continue
        try:
            parsed = extract_letter(parse_file(path, path.name))
        except (OSError, ParseError) as exc:
            evaluation.failures[label] = str(exc)
            continue
        compare_letter(gold, parsed, evaluation)
    return evaluation


def format_report(evaluation: Evaluation) -> str:
    """The report as text: one line per field, then every mismatch and failure."""
    lines = [f"{'field':<16} {'correct':>7} {'scored':>6} {'accuracy':>8}"]
    for name in FIELDS:
        accuracy = evaluation.accuracy(name)
        shown = "-" if accuracy is None else f"{accuracy:.0%}"
        lines.append(
            f"{name:<16} {evaluation.correct[name]:>7} {evaluation.scored[name]:>6} {shown:>8}"
        )
    overall = evaluation.overall()
    shown = "-" if overall is None else f"{overall:.0%}"
    lines.append(f"{'overall':<16} {'':>7} {'':>6} {shown:>8}")
    for group, tallies in evaluation.groups.items():
        if len(tallies) > 1:
            figures = ", ".join(
                f"{key} {right / scored:.0%} ({right}/{scored})"
                for key, (right, scored) in sorted(tallies.items())
            )
            lines.append(f"per {group}: {figures}")
    if evaluation.mismatches:
        lines.append("")
        lines.append("Mismatches:")
        for m in evaluation.mismatches:
            lines.append(f"  {m.letter} {m.field}: expected {m.expected!r}, got {m.got!r}")
    if evaluation.failures:
        lines.append("")
        lines.append("Failures:")
        lines.extend(f"  {letter}: {reason}" for letter, reason in evaluation.failures.items())
    return "\n".join(lines)
