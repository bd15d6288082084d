"""Harvest: keep the raw folder in step with the sources, so a refresh publishes new letters
by itself.

- `tk`: the Tweede Kamer Gegevensmagazijn (OData v4): `Document` rows of the letter kinds
  (`Soort`), their files, withdrawals (`Verwijderd`).
- `koop`: officielebekendmakingen.nl through KOOP's SRU search: Kamerstuk letters as
  publication XML with their metadata.xml.
- `http`: the one pooled, retrying, same-host HTTP client both use.
- `store`: the raw folder's harvested layout, names from strict identifier patterns, state.
- `run`: one harvest over the chosen sources, with its report.

This stage sits above the others and imports only `settings` and `util`: ingest reads what it
wrote like any hand-dropped file.
"""

from pipelines.harvest.run import Harvest, HarvestReport

__all__ = ["Harvest", "HarvestReport"]
