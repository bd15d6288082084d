"""The Dagster code location: `dagster dev` loads `defs` from here (see pyproject.toml)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.assets import (
    letter_tables,
    package_is_valid,
    parsed_letters,
    published_package,
    staged_package,
)
from pipelines.defs.resources import PipelinePaths

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Full refresh: raw/ to a validated, published data package.",
)

defs = dg.Definitions(
    assets=[parsed_letters, letter_tables, staged_package, published_package],
    asset_checks=[package_is_valid],
    jobs=[refresh_job],
    resources={"paths": PipelinePaths()},
)
