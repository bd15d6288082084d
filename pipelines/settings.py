"""Operational settings in one place: schedule, sensor, quality thresholds, parallelism.

Each can be overridden by an environment variable of the same name prefixed `KAMERBRIEVEN_`, so a
deployment changes them without touching code.
"""

from __future__ import annotations

import os


def _env(name: str, default: str) -> str:
    return os.environ.get(f"KAMERBRIEVEN_{name}", default)


REFRESH_CRON = _env("REFRESH_CRON", "0 6 * * *")
"""When the scheduled refresh runs (cron syntax): daily at 06:00."""

TIMEZONE = _env("TIMEZONE", "Europe/Amsterdam")
"""Time zone the cron expression is read in."""

SENSOR_INTERVAL_SECONDS = int(_env("SENSOR_INTERVAL_SECONDS", "30"))
"""How often the raw-folder sensor looks for changes."""

DEBOUNCE_SECONDS = float(_env("DEBOUNCE_SECONDS", "60"))
"""The raw folder must be unchanged this long before the sensor starts a run, so a folder
being copied in starts one run, not one per file."""

MIN_SHARE_WITH_DATE = float(_env("MIN_SHARE_WITH_DATE", "0.5"))
"""Quality gate: share of letters with a date. Some letters print none (null is right for them),
so the bar is a majority, not all."""

MIN_SHARE_WITH_DOSSIER = float(_env("MIN_SHARE_WITH_DOSSIER", "0.95"))
"""Quality gate: share of letters in Kamerstuk layout (an ondernummer printed in the header) that
have a dossier number, which that layout always prints with it."""

MIN_SHARE_WITH_PARAGRAPH = float(_env("MIN_SHARE_WITH_PARAGRAPH", "0.95"))
"""Quality gate: share of letters with at least one body paragraph."""

GATE_MIN_LETTERS = int(_env("GATE_MIN_LETTERS", "50"))
"""Quality gates judge a share only when it is measured over at least this many letters (the
minima above, and the comparison with the latest release, which must have as many), and the
letter count only against a release of at least this many: a share of a few letters says
nothing about the parser, and a small folder loses a third of its letters with one file."""

MAX_SHARE_DROP = float(_env("MAX_SHARE_DROP", "0.10"))
"""Quality gate: how far (absolute) a share may fall below the latest release's. A parser that
breaks lowers it; a folder whose letters always lacked something does not."""

MAX_LETTER_DROP = float(_env("MAX_LETTER_DROP", "0.25"))
"""Quality gate: the fraction of the latest release's letters a build may lose, as a broken
parser that rejects files would. To publish a deliberate removal of more raw files, set it to 1
for that refresh."""

PARSE_WORKERS = int(_env("PARSE_WORKERS", str(os.cpu_count() or 1)))
"""Processes used to parse letters; parsing is CPU-bound and letters are independent."""

EXECUTOR = _env("EXECUTOR", "multiprocess")
"""Dagster executor for launched runs: multiprocess (one process per step), or on a cluster
k8s (dagster-k8s's k8s_job_executor, one pod per step) or celery (dagster-celery)."""

MAX_FILE_BYTES = int(_env("MAX_FILE_BYTES", str(50 * 1024 * 1024)))
"""Raw files larger than this are rejected unread; real letters are far smaller."""

PARSE_TIMEOUT_SECONDS = float(_env("PARSE_TIMEOUT_SECONDS", "60"))
"""Budget per raw file: a file still being parsed after this many seconds is rejected by name
and its worker process replaced. Real letters take milliseconds."""

PARSE_MEMORY_MB = int(_env("PARSE_MEMORY_MB", "2048"))
"""Budget per raw file: memory a parse worker may map beyond what it starts with. A file that
needs more is rejected by name and its worker replaced, so the peak memory of a refresh stays
bounded by the number of workers, whatever one file contains."""

TK_URL = _env("TK_URL", "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/")
"""The Tweede Kamer Gegevensmagazijn's OData base the harvester lists letters from."""

KOOP_URL = _env("KOOP_URL", "https://repository.overheid.nl/sru")
"""KOOP's SRU search of officielebekendmakingen.nl the harvester lists Kamerstuk letters from."""

TK_LETTER_SOORTS = tuple(
    soort.strip()
    for soort in _env("TK_LETTER_SOORTS", "Brief regering").split(";")
    if soort.strip()
)
"""Which portal `Soort` values are harvested as letters, `;`-separated (the data dictionary
lists the others: `Brief commissie`, `Antwoord schriftelijke vragen`, ...)."""

HARVEST_CONNECT_TIMEOUT = float(_env("HARVEST_CONNECT_TIMEOUT", "10"))
HARVEST_READ_TIMEOUT = float(_env("HARVEST_READ_TIMEOUT", "60"))
"""Seconds the harvester waits for a connection and, between bytes, for an answer."""

HARVEST_RETRIES = int(_env("HARVEST_RETRIES", "5"))
"""Retries of a request that failed to connect, was cut off, or got 429 or a 5xx."""

HARVEST_BACKOFF = float(_env("HARVEST_BACKOFF", "1"))
HARVEST_MAX_WAIT = float(_env("HARVEST_MAX_WAIT", "60"))
"""First retry waits up to `HARVEST_BACKOFF` seconds, doubling each time (with full jitter),
never more than `HARVEST_MAX_WAIT`, which also caps a service's `Retry-After`."""

HARVEST_IN_FLIGHT = int(_env("HARVEST_IN_FLIGHT", "4"))
"""Requests the harvester keeps in flight at once: a public service's fair share."""

HARVEST_USER_AGENT = _env(
    "HARVEST_USER_AGENT",
    "kamerbrieven-harvester/0.1 (+https://github.com/kamerbrieven/kamerbrieven)",
)
"""How the harvester names itself to the services it calls."""

HARVEST_SOURCES = tuple(
    source.strip() for source in _env("HARVEST_SOURCES", "tk,koop").split(",") if source.strip()
)
"""Sources the daily schedule harvests before it refreshes, `,`-separated (`tk`, `koop`). Empty
turns harvesting off: the schedule then refreshes what the raw folder holds, as before."""
