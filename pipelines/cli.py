"""The `kamerbrieven` command: refresh, parse, evaluate, dev."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from pipelines import settings

err = Console(stderr=True, highlight=False, soft_wrap=True)


def shown(text: str) -> str:
    """`text` safe to print on one line of the console: control characters (a newline in a file
    name) as escapes, and square brackets kept from rich's markup."""
    printable = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return escape(printable)


def print_json(data: object) -> None:
    """Machine-readable output on stdout: indented UTF-8 JSON, dates as ISO strings."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _cmd_refresh(args: argparse.Namespace) -> int:
    from pipelines.defs.runner import run_refresh
    from pipelines.publish.storage import is_remote, show
    from pipelines.util import LockBusy

    if not is_remote(args.raw) and not Path(args.raw).is_dir():
        err.print(f"[red]error:[/red] raw folder {args.raw} does not exist")
        return 2
    err.print(f"Refreshing {args.raw} into {args.out} ...")
    try:
        outcome = run_refresh(args.raw, args.out, Path(args.cache))
    except LockBusy as exc:
        err.print(f"[red]error:[/red] {exc}; not starting a second one.")
        return 3
    for rejection in outcome.rejections:
        err.print(f"[yellow]rejected[/yellow] {shown(rejection.path)}: {shown(rejection.reason)}")
    if outcome.storage_errors:
        # a bucket that cannot be read is a usage error; one that failed the upload is not
        for step, message in outcome.storage_errors.items():
            err.print(f"[red]error:[/red] {shown(message)}")
            if step == "published_package":
                catalog = show(args.out, "catalog.json")
                err.print(f"{catalog} still names the previous release.")
                return 1
        return 2
    for line in (line for error in outcome.errors for line in error.splitlines()):
        err.print(f"[red]error:[/red] {shown(line)}")
    rows = sum(outcome.rows.values())
    counts = (
        f"{outcome.letters} letters, {len(outcome.rejections)} rejected, {rows} rows; "
        f"{outcome.parsed} parsed, {outcome.reused} reused, {outcome.removed} removed"
    )
    if not outcome.success:
        err.print(f"[red]Refresh failed[/red] ({counts}); nothing was published.")
        return 1
    if outcome.pushed is not None:
        err.print(f"Uploaded {outcome.pushed[0]} objects, deleted {outcome.pushed[1]}.")
    if outcome.rejections:
        err.print(f"The ingest report is {show(args.out, 'ingest-report.json')}.")
    latest = show(args.out, "latest")
    if outcome.published:
        target = show(args.out, outcome.version)
        err.print(f"Published {outcome.version} to {target} and {latest} ({counts}).")
    else:
        err.print(f"Nothing changed: {latest} stays at {outcome.version} ({counts}).")
    return 0


def _cmd_harvest(args: argparse.Namespace) -> int:
    from datetime import date

    from pipelines.harvest import Harvest
    from pipelines.util import LockBusy

    try:
        since = date.fromisoformat(args.since) if args.since else None
    except ValueError:
        err.print(f"[red]error:[/red] --since {shown(args.since)} is not a date (YYYY-MM-DD)")
        return 2
    if args.limit is not None and args.limit < 1:
        err.print("[red]error:[/red] --limit must be at least 1")
        return 2
    sources = ("tk", "koop") if args.source == "all" else (args.source,)
    harvest = Harvest(
        raw=Path(args.raw), sources=sources, since=since, limit=args.limit,
        dry_run=args.dry_run, tk_url=args.tk_url, koop_url=args.koop_url,
    )  # fmt: skip
    try:
        report = harvest.run()
    except LockBusy as exc:
        err.print(f"[red]error:[/red] {exc}; not starting a second one.")
        return 3
    for failure in report.failed:
        err.print(f"[red]failed[/red] {failure.source} {shown(failure.identifier)}: "
                  f"{shown(failure.reason)}")  # fmt: skip
    for failure in report.refused:
        err.print(f"[yellow]refused[/yellow] {failure.source} {shown(failure.identifier)}: "
                  f"{shown(failure.reason)}")  # fmt: skip
    for source, reason in report.unreachable.items():
        err.print(f"[red]error:[/red] {source}: {shown(reason)}")
    err.print(report.summary())
    return report.exit_code


def _cmd_parse(args: argparse.Namespace) -> int:
    from pipelines.extract import extract_letter
    from pipelines.formats import parse_file
    from pipelines.model import ParseError

    path = Path(args.file)
    if not path.is_file():  # a FIFO would block the read for good
        err.print(f"[red]error:[/red] {shown(str(path))} is not a regular file")
        return 1
    try:
        record = extract_letter(parse_file(path, path.name)).to_json()
    except (OSError, ParseError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        return 1
    print_json(record)
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from pipelines.extract.evaluate import evaluate_directory, format_report

    gold, folder = Path(args.gold), Path(args.dir)
    if not gold.is_file() or not folder.is_dir():
        err.print(f"[red]error:[/red] need a gold file and a folder ({gold}, {folder})")
        return 2
    evaluation = evaluate_directory(gold, folder)
    if args.json:
        print_json(evaluation.to_json())
    else:
        sys.stdout.write(format_report(evaluation) + "\n")
    return 0


def _cmd_dev(args: argparse.Namespace) -> int:
    from pipelines.defs.runner import dagster_home

    home = dagster_home()
    err.print(f"DAGSTER_HOME={home}")
    extra = args.dagster_args[1:] if args.dagster_args[:1] == ["--"] else args.dagster_args
    os.execvp("dagster", ["dagster", "dev", "-m", "pipelines.defs", *extra])
    return 0


def _cmd_dictionary(args: argparse.Namespace) -> int:
    from pipelines.publish.dictionary import render_dictionary

    text = render_dictionary()
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        err.print(f"Wrote the data dictionary to {args.output}.")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from pipelines.access.serve import make_server

    folder = Path(args.dir)
    if not folder.is_dir():
        err.print(f"[red]error:[/red] folder {folder} does not exist")
        return 2
    server = make_server(folder, args.port)
    err.print(f"Serving {folder} at http://127.0.0.1:{server.server_port}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        err.print("Stopped.")
    finally:
        server.server_close()
    return 0


def _cmd_explore(args: argparse.Namespace) -> int:
    import signal
    import subprocess
    import tempfile

    from pipelines.access.explore import explore_command, write_metadata
    from pipelines.publish.database import database_name

    out = Path(args.dir)
    folder = out / (args.version or "latest")
    try:
        version = args.version or json.loads((folder / "datapackage.json").read_text())["version"]
    except (OSError, ValueError, KeyError) as exc:
        err.print(f"[red]error:[/red] no release at {folder} ({exc})")
        return 2
    database = folder / database_name(version)
    if not database.is_file():
        err.print(f"[red]error:[/red] release {version} has no database at {database}")
        return 2
    with tempfile.TemporaryDirectory(prefix="kamerbrieven-explore-") as scratch:
        metadata = write_metadata(Path(scratch), version)
        err.print(f"Exploring {database} in Datasette on 127.0.0.1 (Ctrl-C stops)")
        server = subprocess.Popen(explore_command(database, metadata, args.port))
        stopped: list[int] = []

        def stop(signum: int, _frame: object) -> None:
            # stopped by a closed terminal or a service manager, stop the server too: it would
            # otherwise go on serving, alone, with its metadata folder removed
            stopped.append(signum)
            server.terminate()

        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, stop)
        try:
            code = server.wait()
        except KeyboardInterrupt:  # Ctrl-C reaches the server too, which stops by itself
            server.wait()
            stopped.append(signal.SIGINT)
        if stopped:
            err.print("Stopped.")
            return 0
        return code


def _cmd_download(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from pipelines.access.download import DownloadError, RemoteFile, download

    columns = (TextColumn("Downloading {task.description}"), BarColumn(), DownloadColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(args.version, total=None)

        def start(version: str, files: list[RemoteFile]) -> None:
            bar.update(task, description=version, total=sum(f.bytes or 0 for f in files))

        def verified(remote: RemoteFile) -> None:
            err.print(f"verified {remote.path}")

        try:
            target = download(
                args.base,
                args.version,
                Path(args.to) if args.to else None,
                on_bytes=lambda n: bar.advance(task, n),
                on_file=verified,
                on_start=start,
            )
        except DownloadError as exc:
            err.print(f"[red]error:[/red] {exc}; nothing was kept.")
            return 1
    err.print(f"Downloaded and verified {target}.")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from pipelines.access.validate import format_validation, validate_source

    result = validate_source(args.source)
    if args.json:
        print_json(result.to_json())
    else:
        sys.stdout.write(format_validation(result))
    return result.exit_code


def _cmd_schema_diff(args: argparse.Namespace) -> int:
    from pipelines.publish.governance import format_diff, load_schema_set, schema_diff

    try:
        diff = schema_diff(
            load_schema_set(args.old), load_schema_set(args.new), args.allow_breaking
        )
    except (OSError, ValueError, KeyError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        return 2
    if args.json:
        print_json(diff.to_json())
    else:
        sys.stdout.write(format_diff(diff))
    return 0 if diff.approved else 1


def _cmd_check_published(args: argparse.Namespace) -> int:
    from pipelines.defs.runner import check_published

    problems = check_published(Path(args.raw), Path(args.published), Path(args.schemas))
    for problem in problems:
        err.print(f"[red]problem:[/red] {problem}")
    if problems:
        err.print(f"{args.published} is out of step with the code ({len(problems)} problems).")
        return 1
    err.print(f"{args.published} is valid, follows {args.schemas} and matches {args.raw}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kamerbrieven", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    refresh = sub.add_parser("refresh", help="parse raw/ and publish a validated data package")
    refresh.add_argument(
        "--raw", default="raw", help="folder or s3://bucket/prefix with raw letters (default: raw)"
    )
    refresh.add_argument(
        "--out",
        default="published",
        help="output folder or s3://bucket/prefix (default: published)",
    )
    refresh.add_argument(
        "--cache", default=".cache", help="parse cache, reused between runs (default: .cache)"
    )
    refresh.set_defaults(func=_cmd_refresh)

    harvest = sub.add_parser(
        "harvest",
        help="fetch new, changed and withdrawn letters from the Tweede Kamer portal and "
        "officielebekendmakingen into raw/",
    )
    harvest.add_argument("--raw", default="raw", help="raw folder to harvest into (default raw)")
    harvest.add_argument("--source", choices=("tk", "koop", "all"), default="all",
                         help="which source to harvest (default all)")  # fmt: skip
    harvest.add_argument(
        "--since",
        help="first letter date to fetch, YYYY-MM-DD (default: what the last harvest used, "
        "else the start of the current vergaderjaar)",
    )
    harvest.add_argument("--limit", type=int, help="stop after storing this many documents")
    harvest.add_argument("--dry-run", action="store_true",
                         help="list what would be fetched and removed; write nothing")  # fmt: skip
    harvest.add_argument("--tk-url", default=settings.TK_URL,
                         help="Tweede Kamer OData base (KAMERBRIEVEN_TK_URL)")  # fmt: skip
    harvest.add_argument("--koop-url", default=settings.KOOP_URL,
                         help="KOOP SRU endpoint (KAMERBRIEVEN_KOOP_URL)")  # fmt: skip
    harvest.set_defaults(func=_cmd_harvest)

    parse = sub.add_parser("parse", help="print one letter's normalized record as JSON")
    parse.add_argument("file")
    parse.set_defaults(func=_cmd_parse)

    evaluate = sub.add_parser(
        "evaluate", help="compare parsed letters in DIR with gold values (per-field accuracy)"
    )
    evaluate.add_argument("gold", metavar="GOLD.jsonl", help="gold values, one JSON object a line")
    evaluate.add_argument("dir", metavar="DIR", help="letters named <gold id>.<extension>")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.set_defaults(func=_cmd_evaluate)

    validate = sub.add_parser(
        "validate",
        help="validate a published package (folder, datapackage.json or URL); "
        "exit 0 valid, 1 invalid, 2 unreadable",
    )
    validate.add_argument("source", nargs="?", default="published/latest")
    validate.add_argument("--json", action="store_true", help="print the report as JSON")
    validate.set_defaults(func=_cmd_validate)

    diff = sub.add_parser(
        "schema-diff",
        help="classify schema changes from OLD to NEW (schemas/ folder, package or "
        "datapackage.json); exit 1 on an unapproved breaking change",
    )
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--json", action="store_true", help="print the changes as JSON")
    diff.add_argument(
        "--allow-breaking", action="store_true", help="approve breaking changes explicitly"
    )
    diff.set_defaults(func=_cmd_schema_diff)

    check = sub.add_parser(
        "check-published",
        help="CI: published/latest is valid, follows schemas/ and equals a refresh of raw/",
    )
    check.add_argument("--raw", default="raw")
    check.add_argument("--published", default="published")
    check.add_argument("--schemas", default="schemas")
    check.set_defaults(func=_cmd_check_published)

    dictionary = sub.add_parser("dictionary", help="write the data dictionary from schemas/")
    dictionary.add_argument(
        "--output", default="docs/data-dictionary.md", help="file to write, or - for stdout"
    )
    dictionary.set_defaults(func=_cmd_dictionary)

    dev = sub.add_parser("dev", help="start `dagster dev` on the project's Dagster instance")
    dev.add_argument("dagster_args", nargs=argparse.REMAINDER)
    dev.set_defaults(func=_cmd_dev)

    serve = sub.add_parser("serve", help="serve the published folder on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--dir", default="published", help="folder (default: published)")
    serve.set_defaults(func=_cmd_serve)

    explore = sub.add_parser(
        "explore", help="open a release's SQLite database in Datasette on 127.0.0.1"
    )
    explore.add_argument("--version", help="release to open (default: the latest)")
    explore.add_argument("--port", type=int, default=8001, help="port (default: 8001; 0: any)")
    explore.add_argument("--dir", default="published", help="folder (default: published)")
    explore.set_defaults(func=_cmd_explore)

    fetch = sub.add_parser(
        "download", help="download a published version and verify every file's sha256 and size"
    )
    fetch.add_argument("base", metavar="BASE_URL", help="http(s) URL or folder of a published/")
    fetch.add_argument("--version", default="latest", help="version (default: latest)")
    fetch.add_argument("--to", help="folder to create (default: kamerbrieven-<version>)")
    fetch.set_defaults(func=_cmd_download)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
