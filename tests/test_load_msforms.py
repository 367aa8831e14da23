"""Microsoft Forms exports: XLSX with ID, Start time, Completion time, Email, Name."""

from __future__ import annotations

from pathlib import Path

from export_fixtures import (
    DONT_KNOW,
    DURATIONS,
    SUBMITTED_AT,
    assert_same_as_twin,
    load_copy,
    write_msforms,
)
from export_fixtures import (
    values as _values,
)

from pipeline.questionnaire import Instrument

HEADER = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]


def test_xlsx_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(write_msforms(tmp_path / "source", HEADER), tmp_path, instrument, "hillegom")
    assert export.tool == "msforms"
    assert_same_as_twin(export, instrument, tmp_path)
    assert export.ignored == []
    assert export.identifiers == {"ID": "respondent_id", "Email": "email", "Name": "name"}
    responses = export.responses
    assert _values(responses["submitted"]) == [True] * 4  # Forms exports submitted ones only
    assert _values(responses["submitted_at"]) == SUBMITTED_AT
    assert _values(responses["duration_seconds"]) == DURATIONS
    assert _values(responses["dont_know"]) == DONT_KNOW
    assert _values(responses["id_respondent_id"]) == ["1", "2", "3", "4"]


def test_anonymous_form_has_no_email(tmp_path: Path, instrument: Instrument) -> None:
    path = write_msforms(tmp_path / "source", HEADER, anonymous=True)
    responses = load_copy(path, tmp_path, instrument, "hillegom").responses
    assert responses["id_email"].isna().all()  # "anonymous" is no address
    assert responses["id_name"].isna().all()


def test_dutch_headers(tmp_path: Path, instrument: Instrument) -> None:
    header = [
        "Id",
        "Begintijd",
        "Tijd van voltooien",
        "E-mail",
        "Naam",
        "Tijd van laatste wijziging",
    ]
    export = load_copy(write_msforms(tmp_path / "source", header), tmp_path, instrument, "hillegom")
    assert export.tool == "msforms"
    assert export.ignored == []
    assert _values(export.responses["duration_seconds"]) == DURATIONS
    assert_same_as_twin(export, instrument, tmp_path)
