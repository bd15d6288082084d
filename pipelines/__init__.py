"""kamerbrieven: Dutch parliamentary letters as validated, versioned open data."""

PARSER_VERSION = "1"
"""Bump when parsing or extraction changes output, so cached parses are redone (see issue 4)."""

# Defined above the import so modules reached from it may import PARSER_VERSION.
from pipelines.load import load  # noqa: E402

__all__ = ["PARSER_VERSION", "load"]
