"""Validate any published package, local or remote, the way CI and downstream users do."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frictionless

from pipelines.publish.package import declared_file_problems

VALID, INVALID, UNREADABLE = 0, 1, 2
"""Exit codes: the package is valid; it has errors; it could not be read at all."""


@dataclass
class Validation:
    """The outcome of validating one package, in a shape both humans and CI can read."""

    source: str
    exit_code: int
    resources: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.exit_code == VALID

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "valid": self.valid,
            "exit_code": self.exit_code,
            "resources": self.resources,
            "errors": self.errors,
        }


def descriptor_location(source: str) -> str:
    """`published/latest`, `.../datapackage.json` or a base URL -> the datapackage.json to read."""
    if source.startswith(("http://", "https://")):
        return source if source.endswith(".json") else source.rstrip("/") + "/datapackage.json"
    path = Path(source)
    return str(path / "datapackage.json" if path.is_dir() else path)


def validate_source(source: str) -> Validation:
    """Validate the package at `source` with frictionless: metadata, schemas, data, keys, hashes."""
    location = descriptor_location(source)
    if not location.startswith("http") and not Path(location).is_file():
        missing = {"resource": None, "type": "not-found", "row": None, "field": None,
                   "note": f"no data package at {location}"}  # fmt: skip
        return Validation(source, UNREADABLE, errors=[missing])
    report = frictionless.validate(location)
    errors = [
        {"resource": task.name, "type": e.type, "row": getattr(e, "row_number", None),
         "field": getattr(e, "field_name", None), "note": e.note}
        for task in report.tasks for e in task.errors
    ] + [{"resource": None, "type": e.type, "row": None, "field": None, "note": e.note}
         for e in report.errors]  # fmt: skip
    resources = [
        {"name": task.name, "path": task.place, "valid": task.valid, "errors": len(task.errors)}
        for task in report.tasks
    ]
    by_name = {resource["name"]: resource for resource in resources}
    for name, note in _parquet_hash_problems(location):
        if name in by_name:
            by_name[name]["valid"] = False
            by_name[name]["errors"] += 1
        errors.append({"resource": name, "type": "hash-count", "row": None, "field": None,
                       "note": note})  # fmt: skip
    package_unreadable = not report.tasks and bool(report.errors)
    valid = report.valid and all(resource["valid"] for resource in resources)
    code = VALID if valid else (UNREADABLE if package_unreadable else INVALID)
    return Validation(source, code, resources, errors)


def _read(location: str) -> bytes:
    if location.startswith(("http://", "https://")):
        with urllib.request.urlopen(location, timeout=60) as response:
            return response.read()
    return Path(location).read_bytes()


def _parquet_hash_problems(location: str) -> list[tuple[str, str]]:
    """sha256 of every Parquet resource against its declared `hash`.

    frictionless hashes only the files it streams itself; Parquet it reads through pandas, so a
    Parquet file's `hash` would otherwise go unchecked.
    """
    try:
        descriptor = json.loads(_read(location))
    except (OSError, ValueError):
        return []
    problems = []
    for resource in descriptor.get("resources", []):
        if resource.get("format") != "parquet" or "hash" not in resource:
            continue
        target = urllib.parse.urljoin(location, resource["path"]) if "://" in location else str(
            Path(location).parent / resource["path"])  # fmt: skip
        try:
            data = _read(target)
        except OSError as exc:
            problems.append((resource["name"], f"cannot read {resource['path']}: {exc}"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        for problem in declared_file_problems(resource, digest, len(data)):
            problems.append((resource["name"], problem))
    return problems


def format_validation(result: Validation, limit: int = 20) -> str:
    """A readable report: one line per resource, then the first `limit` errors."""
    lines = [f"{'VALID' if result.valid else 'INVALID'}: {result.source}"]
    lines += [
        f"  {'ok ' if r['valid'] else 'BAD'} {r['name']:<18} {r['path']}"
        + ("" if r["valid"] else f"  ({r['errors']} errors)")
        for r in result.resources
    ]
    for error in result.errors[:limit]:
        where = ", ".join(
            f"{key} {error[key]}" for key in ("resource", "row", "field") if error[key] is not None
        )
        lines.append(f"  {error['type']}{f' ({where})' if where else ''}: {error['note']}")
    if len(result.errors) > limit:
        lines.append(f"  ... and {len(result.errors) - limit} more errors")
    return "\n".join(lines) + "\n"
