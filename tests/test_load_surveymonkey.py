"""SurveyMonkey exports: two header rows, the question only above a matrix's first column."""

from __future__ import annotations

from pathlib import Path

from export_fixtures import (
    DONT_KNOW,
    DURATIONS,
    FIXTURES,
    SUBMITTED_AT,
    assert_same_as_twin,
    csv_rows,
    load_copy,
    write_xlsx,
)
from export_fixtures import (
    values as _values,
)

from pipeline.questionnaire import Instrument

CSV = FIXTURES / "surveymonkey" / "woonstede.csv"
MATRIX = "Gedeelde ambitie en visie: in hoeverre bent u het eens met de volgende stellingen?"


def test_fixture_bytes() -> None:
    data = CSV.read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"Respondent ID","Collector ID","Start Date","End Date",')
    second = data.split(b"\r\n")[1]
    assert second.startswith(b'"","","","","","","","","","Response","Response","De partners')
    assert b'"Verschillen in organisatie (structuur, werkwijze) tussen de partners"' in data


def test_csv_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(CSV, tmp_path, instrument, party="woonstede")
    assert export.tool == "surveymonkey"
    assert_same_as_twin(export, instrument, tmp_path)
    # the statement columns after the first keep the matrix question, written only once
    statement = "Het is mij duidelijk wat we samen willen bereiken."
    assert export.matched[f"{MATRIX} - {statement}"] == "AMB2"
    assert export.ignored == []


def test_xlsx_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    path = write_xlsx(tmp_path / "source" / "export.xlsx", csv_rows(CSV))
    export = load_copy(path, tmp_path / "xlsx", instrument, party="woonstede")
    assert export.tool == "surveymonkey"
    assert_same_as_twin(export, instrument, tmp_path)


def test_metadata(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(CSV, tmp_path, instrument, party="woonstede")
    responses = export.responses
    assert _values(responses["source_row"]) == [3, 4, 5, 6]
    assert responses["submitted"].isna().all()  # SurveyMonkey does not say
    assert _values(responses["submitted_at"]) == SUBMITTED_AT  # 10/06/2025 ... AM, month first
    assert _values(responses["duration_seconds"]) == DURATIONS
    assert _values(responses["dont_know"]) == DONT_KNOW
    assert export.identifiers == {
        "Respondent ID": "respondent_id",
        "IP Address": "ip",
        "Email Address": "email",
        "First Name": "name",
        "Last Name": "name",
        "Custom Data 1": "external_id",
    }
    assert _values(responses["id_name"])[1] == "Bram Jansen"
    assert export.metadata["Collector ID"] == "meta"
