"""The questions the README answers in one query each, asked of a release built from the real
samples (../shared/samples, its native files and raw/), with the answers read off the documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipelines.ingest.run import ingest
from pipelines.tables.rows import build_tables
from tests.conftest import RAW

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is absent")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    raw = tmp_path_factory.mktemp("raw")
    for folder in (SAMPLES / "letters", SAMPLES / "native" / "files", RAW):
        for path in folder.iterdir():
            shutil.copy(path, raw / path.name)
    tables = build_tables(ingest(raw).letters)
    return {name: table.to_pandas() for name, table in tables.items()}


def test_documents_per_class(release: dict[str, pd.DataFrame]) -> None:
    assert release["letters"]["doc_class"].value_counts().to_dict() == {
        "Brief regering": 15,
        "Antwoord schriftelijke vragen": 5,
        "Motie": 2,
        "Verslag van een schriftelijk overleg": 2,
        "Brief Voorzitter": 1,
        "Brief informateur": 1,
        "Lijst van vragen en antwoorden": 1,
    }


def test_letters_per_ministry_and_year(release: dict[str, pd.DataFrame]) -> None:
    signers = release["offices"].query("relation == 'signer'")
    joined = signers.merge(release["letters"], on="letter_id")
    counts = joined.groupby(["ministry_code", "parliamentary_year"])["letter_id"].nunique()
    assert counts.to_dict() == {
        ("AZ", "2001-2002"): 1, ("AZ", "2011-2012"): 1,
        ("BZ", "1998-1999"): 1, ("BZ", "2015-2016"): 1, ("BZ", "2019-2020"): 1,
        ("DEF", "2008-2009"): 1, ("DEF", "2017-2018"): 1,
        ("EZ", "2017-2018"): 1,
        ("FIN", "2006-2007"): 1, ("FIN", "2023-2024"): 1,
        ("IenW", "2012-2013"): 1,
        ("JenV", "2003-2004"): 1, ("JenV", "2023-2024"): 2,
        ("LVVN", "2021-2022"): 1, ("LVVN", "2023-2024"): 1, ("LVVN", "2024-2025"): 1,
        ("OCW", "2018-2019"): 1,
        ("SZW", "2019-2020"): 1,
    }  # fmt: skip
    undated = joined[joined["parliamentary_year"].isna()]
    assert sorted(undated["ministry_code"]) == ["BZ", "DEF"], "the seed prints no date"


def test_who_asked_and_who_answered(release: dict[str, pd.DataFrame]) -> None:
    answers = (
        release["askers"]
        .merge(release["letters"], on="letter_id")
        .merge(release["offices"].query("relation == 'signer'"), on="letter_id")
        .query("letter_id == 'ah-tk-20232024-1786'")
    )
    assert [
        (r.name_x, r.party, r.name_y, r.ministry_code, str(r.questions_submitted), str(r.date))
        for r in answers.itertuples()
    ] == [
        ("Hirsch", "GroenLinks-PvdA", "Van Rij", "FIN", "2024-04-04", "2024-05-21"),
        ("Teunissen", "PvdA", "Van Rij", "FIN", "2024-04-04", "2024-05-21"),
    ]


def test_letters_per_person(release: dict[str, pd.DataFrame]) -> None:
    per_person = release["signatories"].groupby("name_normalized")["letter_id"].nunique()
    assert per_person["W. Koolmees"] == 2, "as minister (kst-35228-6) and informateur"
    assert per_person["K.H. Ollongren"] == 1 and per_person["H. Bruins Slot"] == 1


def test_a_letters_official_publication(release: dict[str, pd.DataFrame]) -> None:
    letters = release["letters"].set_index("letter_id")
    assert letters.loc["kst-33783-46", "url"] == (
        "https://zoek.officielebekendmakingen.nl/kst-33783-46.html"
    )
    assert letters.loc["ah-tk-20232024-1786", "url"] == (
        "https://zoek.officielebekendmakingen.nl/ah-tk-20232024-1786.html"
    )
