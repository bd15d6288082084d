"""Semantic versions for the data package, after the Frictionless "Data Package Version" recipe.

People cite a version and scripts pin one, so the number has to say what a new release can
break:

- major: a consumer's code may break. A resource was removed, its fields changed name, order,
  number, type or format, a constraint became stricter, or a primary or foreign key changed.
- minor: rows were added or removed (new letters, withdrawn letters, a letter that now has more
  paragraphs), or a resource was added.
- patch: the same rows with corrected values, a relaxed constraint (every file that was valid
  still is), or only titles and descriptions changed.

The schemas compared are the resource schemas in the latest release's datapackage.json and the
new build's, so the decision rests on what was published, not on the current `schemas/`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["major", "minor", "patch"]

FIRST_VERSION = "1.0.0"
_RANK = {"patch": 0, "minor": 1, "major": 2}

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength")
_DESCRIPTIVE = ("title", "description", "example", "rdfType")


CSV_SUFFIX = "-csv"
"""Ends the name of a table's CSV resource (`letters-csv`), which repeats its Parquet twin."""


@dataclass
class Bump:
    """The level of a new release and the reasons for it, for the changelog."""

    level: Level | None = None
    reasons: list[str] = field(default_factory=list)
    new_columns: list[dict[str, str]] = field(default_factory=list)
    """Fields a table gained (or that a new table brings), with their schema's words, so the
    changelog can explain them rather than only name them."""

    def add_columns(self, table: str, fields: list[dict[str, Any]]) -> None:
        """Record `fields` as new in `table`; the CSV copy of a table explains nothing new."""
        if table.endswith(CSV_SUFFIX):
            return
        self.new_columns += [
            {
                "table": table,
                "field": f["name"],
                "title": f.get("title", ""),
                "description": f.get("description", ""),
            }
            for f in fields
        ]

    def add(self, level: Level, reason: str) -> None:
        """Record a reason; the release takes the highest level of all its reasons."""
        self.reasons.append(reason)
        if self.level is None or _RANK[level] > _RANK[self.level]:
            self.level = level


def parse_version(version: str) -> tuple[int, int, int]:
    """`"1.2.3"` as `(1, 2, 3)`, so versions sort as numbers, not strings."""
    major, minor, patch = (int(part) for part in version.split("."))
    return major, minor, patch


def bump_version(previous: str | None, level: Level) -> str:
    """The version after `previous` at `level`; the first release is 1.0.0."""
    if previous is None:
        return FIRST_VERSION
    major, minor, patch = parse_version(previous)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _stricter(key: str, before: Any, after: Any) -> bool:
    """Whether constraint `key` accepts fewer values with `after` than with `before`."""
    if after is None or after is False or before == after:
        return False
    if before is None or before is False:
        return True
    if key in _LOWER_BOUNDS:
        return after > before
    if key in _UPPER_BOUNDS:
        return after < before
    if key == "enum":
        return not set(after) >= set(before)
    if key == "pattern":
        old, new = _alternatives(before), _alternatives(after)
        return old is None or new is None or not new >= old
    return True


def _alternatives(pattern: str) -> set[str] | None:
    """The alternatives of an anchored pattern `^(A|B|C)$` (or `^A$`), or None for any other
    shape. A pattern that keeps every alternative of the old one and adds some accepts every
    value the old one did: a new kind of identifier is a relaxed constraint, not a stricter one.
    """
    if not (pattern.startswith("^") and pattern.endswith("$")) or pattern.endswith("\\$"):
        return None
    body = pattern[1:-1]
    parts, depth, start, index, in_class = [], 0, 0, 0, False
    while index < len(body):
        char = body[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and index < len(body) - 1 and start == 0 and not parts:
                start = -1  # the outer group closes before the end: not one wrapped group
        elif char == "|" and depth == 1 and start == 0:
            parts.append(index)
        elif char == "|" and depth == 0:
            return None
        index += 1
    if body.startswith("(") and body.endswith(")") and start == 0 and not body.startswith("(?"):
        cuts = [0, *parts, len(body) - 1]
        return {body[a + 1 : b] for a, b in zip(cuts, cuts[1:], strict=False)}
    return {body}


def _tighter(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Names of the constraints in `new` that accept fewer values than those in `old`."""
    return [k for k in sorted(set(old) | set(new)) if _stricter(k, old.get(k), new.get(k))]


def _compare_fields(name: str, old: list[dict], new: list[dict], bump: Bump) -> None:
    old_names, new_names = [f["name"] for f in old], [f["name"] for f in new]
    if old_names != new_names:
        removed = [n for n in old_names if n not in new_names]
        added = [n for n in new_names if n not in old_names]
        bump.add_columns(name, [f for f in new if f["name"] in added])
        detail = (
            f"removed {', '.join(removed) or '-'}; added {', '.join(added) or '-'}"
            if removed or added
            else "re-ordered"
        )
        bump.add("major", f"{name}: fields changed ({detail})")
    new_by_name = {f["name"]: f for f in new}
    for before in old:
        after = new_by_name.get(before["name"])
        if after is None:
            continue
        label = f"{name}.{before['name']}"
        for key in ("type", "format"):
            if before.get(key) != after.get(key):
                bump.add("major", f"{label}: {key} {before.get(key)} -> {after.get(key)}")
        old_c, new_c = before.get("constraints", {}), after.get("constraints", {})
        for constraint in _tighter(old_c, new_c):
            bump.add("major", f"{label}: constraint {constraint} is stricter")
        if old_c != new_c and not _tighter(old_c, new_c):
            bump.add("patch", f"{label}: constraints relaxed")
        if any(before.get(k) != after.get(k) for k in _DESCRIPTIVE):
            bump.add("patch", f"{label}: description changed")


def compare_schemas(old: dict[str, Any], new: dict[str, Any], name: str, bump: Bump) -> None:
    """Add to `bump` what changed between two Table Schemas of resource `name`."""
    _compare_fields(name, old.get("fields", []), new.get("fields", []), bump)
    for key in ("primaryKey", "foreignKeys", "missingValues"):
        if old.get(key) != new.get(key):
            bump.add("major", f"{name}: {key} changed")
    if any(old.get(k) != new.get(k) for k in _DESCRIPTIVE):
        bump.add("patch", f"{name}: schema description changed")


def compare_resources(old: list[dict[str, Any]], new: list[dict[str, Any]], bump: Bump) -> None:
    """Add to `bump` the resources added or removed and the schema changes of the others."""
    old_by_name = {r["name"]: r for r in old}
    new_by_name = {r["name"]: r for r in new}
    for name in sorted(set(new_by_name) - set(old_by_name)):
        bump.add("minor", f"resource {name} added")
        bump.add_columns(name, new_by_name[name].get("schema", {}).get("fields", []))
    for name in sorted(set(old_by_name) - set(new_by_name)):
        bump.add("major", f"resource {name} removed")
    for name in sorted(set(old_by_name) & set(new_by_name)):
        before, after = old_by_name[name], new_by_name[name]
        compare_schemas(before.get("schema", {}), after.get("schema", {}), name, bump)
        if any(before.get(k) != after.get(k) for k in ("title", "description")):
            bump.add("patch", f"resource {name}: description changed")


_PACKAGE_KEYS = ("name", "id", "title", "homepage", "keywords", "licenses", "sources")

SUMMARY_MARK = "\n\nVersion "
"""Where the package description ends and the per-version change summary begins."""


def base_description(descriptor: dict[str, Any]) -> str:
    """The package description without the change summary that each version appends."""
    return descriptor.get("description", "").split(SUMMARY_MARK)[0]


def decide_version(
    latest: dict[str, Any] | None,
    descriptor: dict[str, Any],
    rows_added_or_removed: bool,
    values_changed: bool,
) -> tuple[str, Bump]:
    """The version of a new build against the latest release's descriptor, with its reasons.

    `descriptor` is the new build's datapackage.json (its `version` is ignored). When nothing
    changed the latest version comes back with an empty bump: there is nothing to publish.
    """
    bump = Bump()
    if latest is None:
        bump.add("major", "first release")
        return FIRST_VERSION, bump
    compare_resources(latest.get("resources", []), descriptor["resources"], bump)
    for key in _PACKAGE_KEYS:
        if latest.get(key) != descriptor.get(key):
            bump.add("patch", f"package {key} changed")
    if base_description(latest) != base_description(descriptor):
        bump.add("patch", "package description changed")
    if rows_added_or_removed:
        bump.add("minor", "rows added or removed")
    if values_changed:
        bump.add("patch", "values corrected")
    if bump.level is None:
        return latest["version"], bump
    return bump_version(latest["version"], bump.level), bump
