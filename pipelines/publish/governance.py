"""Schema governance: classify schema changes and keep the published release in step with code.

Downstream notebooks depend on our column names and types, so a change that can break them must
come with a new major version. `schema_diff` compares two sets of Table Schemas (a `schemas/`
folder or a published package) with the rules of the Frictionless "Data Package Version" recipe
(`pipelines.publish.versions`); CI runs it through `check-published` (`pipelines.defs.runner`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.publish.versions import Bump, compare_schemas, parse_version

SCHEMA_SUFFIX = ".schema.json"


@dataclass
class SchemaSet:
    """Table Schemas keyed by table, and the package version they belong to (None for schemas/)."""

    source: str
    schemas: dict[str, dict[str, Any]]
    version: str | None = None


def load_schema_set(source: str) -> SchemaSet:
    """Read the schemas of a `schemas/` folder, a package folder or a datapackage.json.

    From a package the Parquet resources are taken (the CSV twins carry the same schemas).
    """
    path = Path(source)
    descriptor_path = path / "datapackage.json" if path.is_dir() else path
    if path.is_dir() and not descriptor_path.exists():
        schemas = {
            p.name.removesuffix(SCHEMA_SUFFIX): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(path.glob(f"*{SCHEMA_SUFFIX}"))
        }
        if not schemas:
            raise FileNotFoundError(f"{source}: no *{SCHEMA_SUFFIX} files and no datapackage.json")
        return SchemaSet(source, schemas)
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    schemas = {
        r["name"]: r["schema"] for r in descriptor["resources"] if r.get("format") == "parquet"
    }
    return SchemaSet(source, schemas, descriptor.get("version"))


@dataclass
class _Recorder(Bump):
    """A Bump that also keeps the level of each reason, to list changes one by one."""

    entries: list[tuple[str, str]] = field(default_factory=list)

    def add(self, level: str, reason: str) -> None:  # type: ignore[override]
        super().add(level, reason)  # type: ignore[arg-type]
        self.entries.append((level, reason))


def _comparable(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k != "$schema"}


@dataclass
class SchemaDiff:
    """Classified changes from `old` to `new`, and whether a breaking one is approved."""

    old: SchemaSet
    new: SchemaSet
    changes: list[tuple[str, str]] = field(default_factory=list)
    allow_breaking: bool = False

    @property
    def breaking(self) -> bool:
        return any(level == "major" for level, _ in self.changes)

    @property
    def approved(self) -> bool:
        """A breaking change is approved by a new major version, or explicitly."""
        if not self.breaking or self.allow_breaking:
            return True
        if self.old.version and self.new.version:
            return parse_version(self.new.version)[0] > parse_version(self.old.version)[0]
        return False

    def to_json(self) -> dict[str, Any]:
        return {
            "old": {"source": self.old.source, "version": self.old.version},
            "new": {"source": self.new.source, "version": self.new.version},
            "changes": [{"level": level, "change": change} for level, change in self.changes],
            "breaking": self.breaking,
            "approved": self.approved,
        }


def schema_diff(old: SchemaSet, new: SchemaSet, allow_breaking: bool = False) -> SchemaDiff:
    """Every change between two schema sets, each classified major, minor or patch."""
    changes: list[tuple[str, str]] = []
    for table in sorted(set(new.schemas) - set(old.schemas)):
        changes.append(("minor", f"table {table} added"))
    for table in sorted(set(old.schemas) - set(new.schemas)):
        changes.append(("major", f"table {table} removed"))
    for table in sorted(set(old.schemas) & set(new.schemas)):
        recorder = _Recorder()
        compare_schemas(
            _comparable(old.schemas[table]), _comparable(new.schemas[table]), table, recorder
        )
        changes += recorder.entries
    return SchemaDiff(old, new, changes, allow_breaking)


def format_diff(diff: SchemaDiff) -> str:
    """The changes one per line, most severe first, and the verdict."""
    order = {"major": 0, "minor": 1, "patch": 2}
    ordered = sorted(diff.changes, key=lambda change: order[change[0]])
    lines = [f"{level:<6} {change}" for level, change in ordered]
    if not diff.changes:
        lines.append("no schema changes")
    if diff.breaking:
        lines.append(
            "breaking changes approved" if diff.approved else
            "breaking changes NOT approved: publish a new major version (or --allow-breaking)"
        )  # fmt: skip
    return "\n".join(lines) + "\n"
