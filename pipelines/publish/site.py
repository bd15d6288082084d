"""`OUT/index.html`: a static catalog page, for people who find the data with a browser.

It shows what a reader needs before downloading: the versions with their change summaries,
each table's rows, data dictionary and first rows, and links to the zip, datapackage.json and
every Parquet and CSV file, with sizes and sha256. Plain HTML with relative links and no
scripts, so it works from any file server or bucket and renders the same everywhere; rebuilt
from the catalog and the newest release only, so the same releases give the same bytes.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipelines.publish.changelog import CHANGELOG_MD
from pipelines.publish.citation import CITATION_CFF
from pipelines.publish.database import database_name
from pipelines.publish.dictionary import constraints_text

PREVIEW_ROWS = 5
PREVIEW_CHARS = 80

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem;
       color: #1b1b1b; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
code { font-size: 0.85rem; }
.hash { font-family: monospace; font-size: 0.75rem; word-break: break-all; }
.preview { overflow-x: auto; }
.versions td:nth-child(-n+2) { white-space: nowrap; }
"""


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    size = count / 1024
    for unit in ("KB", "MB"):
        if size < 1024:
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _link(path: str, label: str, entry: dict[str, Any] | None = None) -> str:
    size = f" ({_size(entry['bytes'])})" if entry else ""
    return f'<a href="{escape(path)}">{escape(label)}</a>{size}'


def _table(headers: list[str], rows: list[list[str]], css: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    klass = f' class="{css}"' if css else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _whole_downloads(version: dict[str, Any]) -> list[str]:
    """Links to a version's zip and SQLite database, the ones it has, with their sizes."""
    links = [_link(version["zip"]["path"], "zip", version["zip"])] if version["zip"] else []
    database = f"{version['path']}{database_name(version['version'])}"
    links += [_link(f["path"], "SQLite", f) for f in version["files"] if f["path"] == database]
    return links


def _versions(catalog: dict[str, Any]) -> str:
    rows = []
    for version in catalog["versions"]:
        number = version["version"]
        downloads = [*_whole_downloads(version), _link(version["datapackage"], "datapackage.json")]
        changelog = f"{version['path']}{CHANGELOG_MD}"
        if any(f["path"] == changelog for f in version["files"]):
            downloads.append(_link(changelog, "changelog"))
        sha = f'<span class="hash">{version["zip"]["sha256"]}</span>' if version["zip"] else ""
        rows.append(
            [
                f'<a id="v{escape(number)}">{escape(number)}</a>',
                escape(version["created"][:10]),
                escape(version.get("summary") or ""),
                str(version["rows"].get("letters", "")),
                " · ".join(downloads),
                sha,
            ]
        )
    headers = ["version", "created", "changes", "letters", "downloads", "zip sha256"]
    return "<h2>Versions</h2>" + _table(headers, rows, "versions")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if len(text) > PREVIEW_CHARS:
        text = text[: PREVIEW_CHARS - 1] + "…"
    return escape(text)


def _resource_section(folder: Path, version: dict[str, Any], resource: dict[str, Any]) -> str:
    name = resource["name"]
    files = {f["path"].rsplit("/", 1)[-1]: f for f in version["files"]}
    parquet, csv = f"{name}.parquet", f"{name}.csv"
    links = [
        _link(f"{version['path']}{parquet}", "Parquet", files.get(parquet)),
        _link(f"{version['path']}{csv}", "CSV", files.get(csv)),
    ]
    schema = resource["schema"]
    dictionary = _table(
        ["field", "type", "constraints", "description"],
        [
            [
                f"<code>{escape(f['name'])}</code>",
                escape(f["type"]),
                escape(constraints_text(f).replace("`", "")),
                escape(f.get("description", "")),
            ]
            for f in schema["fields"]
        ],
    )
    # the first rows only: reading the whole table for them took most of publishing's time
    table = pq.ParquetFile(folder / parquet)
    first = next(table.iter_batches(batch_size=PREVIEW_ROWS), None)
    head = first if first is not None else table.schema_arrow.empty_table()
    preview = _table(
        head.column_names,
        [[_cell(row[c]) for c in head.column_names] for row in head.to_pylist()],
        "preview",
    )
    key = ", ".join(schema.get("primaryKey", []))
    return (
        f'<section id="table-{escape(name)}"><h3>{escape(name)}</h3>'
        f"<p>{escape(resource.get('description', ''))}</p>"
        f"<p><strong>{resource['rows']}</strong> rows · key: <code>{escape(key)}</code> · "
        f"download: {' · '.join(links)}</p>"
        f"<h4>Data dictionary</h4>{dictionary}"
        f'<h4>First rows</h4><div class="preview">{preview}</div></section>'
    )


def _citation(descriptor: dict[str, Any], version: str) -> str:
    """The suggested citation of the newest release, and where its CITATION.cff is."""
    if "citation" not in descriptor:
        return ""
    cff = _link(f"{version}/{CITATION_CFF}", CITATION_CFF)
    return (
        f'<h2>How to cite</h2><p id="citation">{escape(descriptor["citation"])}</p>'
        f"<p>Cite the version you used; each release holds its own {cff}.</p>"
    )


def render_index(out_dir: Path, catalog: dict[str, Any]) -> str:
    """The catalog page for every release in `catalog`, detailing the newest one."""
    newest = catalog["versions"][0]
    folder = out_dir / newest["version"]
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    tables = [r for r in descriptor["resources"] if r["format"] == "parquet"]
    licence = catalog["licenses"][0] if catalog.get("licenses") else None
    licence_html = _link(licence["path"], licence["title"]) if licence else "see datapackage.json"
    period = newest.get("period")
    span = f"Letters dated {period['start']} to {period['end']}. " if period else ""
    sections = "".join(_resource_section(folder, newest, r) for r in tables)
    overview = _table(
        ["table", "rows", "description"],
        [
            [
                f'<a href="#table-{escape(r["name"])}">{escape(r["name"])}</a>',
                str(r["rows"]),
                escape(r.get("description", "")),
            ]
            for r in tables
        ],
    )
    latest_links = " · ".join(_whole_downloads(newest))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(catalog['title'])}</title>"
        '<link rel="alternate" type="application/ld+json" href="dcat.jsonld">'
        f"<style>{STYLE}</style></head><body>"
        f"<h1>{escape(catalog['title'])}</h1>"
        f"<p>{escape(catalog['description'])}</p>"
        f'<p>Latest version: <strong id="latest-version">{escape(newest["version"])}</strong> '
        f"({escape(newest['created'][:10])}). {escape(span)}Licence: {licence_html}. "
        f"{latest_links} · {_link('latest/datapackage.json', 'datapackage.json')} · "
        f"{_link('catalog.json', 'catalog.json')} · {_link('dcat.jsonld', 'DCAT-AP')}</p>"
        "<p>Fetch and verify a version with <code>kamerbrieven download URL</code>, or load a "
        'table with <code>pipelines.load("letters", base=URL)</code>.</p>'
        f"{_citation(descriptor, newest['version'])}"
        f"{_versions(catalog)}"
        f"<h2>Tables in {escape(newest['version'])}</h2>{overview}{sections}"
        "</body></html>\n"
    )
