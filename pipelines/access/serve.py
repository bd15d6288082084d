"""`kamerbrieven serve`: the published folder over HTTP on 127.0.0.1, for local use and tests.

The catalog page, the download client and `pipelines.access.load` all work against any static file
server; this one is Python's own, bound to loopback only, with media types for the files a
release holds.
"""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pipelines.publish.storage import MEDIA_TYPES


class PublishedHandler(SimpleHTTPRequestHandler):
    """Static files with the release's media types; request logging only when asked for."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MEDIA_TYPES}
    quiet = False

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def make_server(directory: Path, port: int = 8000, quiet: bool = False) -> ThreadingHTTPServer:
    """An HTTP server for `directory` on 127.0.0.1:`port` (0 picks a free port)."""
    handler = type("Handler", (PublishedHandler,), {"quiet": quiet})
    return ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(directory))
    )
