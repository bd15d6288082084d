"""kamerbrieven: Dutch parliamentary letters as validated, versioned open data."""

PARSER_VERSION = "1"
"""Bump when parsing or extraction changes output, so cached parses are redone (see issue 4)."""
