"""kamerbrieven: Dutch parliamentary letters as validated, versioned open data.

`pipelines.load("letters")` reads a published table; it is imported on first use, so that
importing the document model or a parser does not pull in pyarrow.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load"]


def __getattr__(name: str) -> Any:
    if name == "load":
        from pipelines.access.load import load

        return load
    raise AttributeError(f"module 'pipelines' has no attribute {name!r}")
