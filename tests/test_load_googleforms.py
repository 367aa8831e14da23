"""Google Forms exports: Tijdstempel (Timestamp), E-mailadres, grids as question [row]."""

from __future__ import annotations

from pathlib import Path

from export_fixtures import (
    DONT_KNOW,
    FIXTURES,
    SUBMITTED_AT,
    assert_same_as_twin,
    load_copy,
)
from export_fixtures import (
    values as _values,
)

from pipeline.questionnaire import Instrument

CSV = FIXTURES / "googleforms" / "welzijn.csv"


def test_fixture_bytes() -> None:
    data = CSV.read_bytes()
    assert data.startswith(b"Tijdstempel,E-mailadres,Op welk niveau bent u")
    assert b"\r\n6-10-2025 9:21:37,anna.devries@lisse.nl," in data
    assert b'"Korte lijnen, snel geschakeld."' in data  # quoted only where needed


def test_csv_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(CSV, tmp_path, instrument, party="welzijn")
    assert export.tool == "googleforms"
    assert_same_as_twin(export, instrument, tmp_path)
    grid = next(h for h in export.matched if h.endswith("[We bespreken regelmatig of we nog op "
                                                        "dezelfde koers zitten.]"))  # fmt: skip
    assert export.matched[grid] == "AMB3"
    assert export.identifiers == {"E-mailadres": "email"}
    responses = export.responses
    assert _values(responses["submitted_at"]) == SUBMITTED_AT  # Dutch: day first
    assert _values(responses["submitted"]) == [True] * 4
    assert responses["duration_seconds"].isna().all()  # only one time is given
    assert _values(responses["dont_know"]) == DONT_KNOW


def test_english_form(tmp_path: Path, instrument: Instrument) -> None:
    lines = CSV.read_bytes().decode("utf-8").split("\r\n")
    lines[0] = lines[0].replace("Tijdstempel,E-mailadres", "Timestamp,Email Address")
    stamps = ["2025/10/06 9:21:37 AM GMT+2", "2025/10/06 11:47:02 AM GMT+2",
              "2025/10/07 8:15:59 AM GMT+2", "2025/10/08 2:32:10 PM GMT+2"]  # fmt: skip
    for number, stamp in enumerate(stamps, start=1):
        lines[number] = stamp + lines[number][lines[number].index(",") :]
    path = tmp_path / "source" / "welzijn.csv"
    path.parent.mkdir()
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    export = load_copy(path, tmp_path, instrument, party="welzijn")
    assert export.tool == "googleforms"
    assert export.identifiers == {"Email Address": "email"}
    assert _values(export.responses["submitted_at"]) == SUBMITTED_AT
