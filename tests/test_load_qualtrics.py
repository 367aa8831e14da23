"""Qualtrics exports: three-row CSV, UTF-16 TSV and XLSX, the legacy format, and real exports."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from export_fixtures import (
    DONT_KNOW,
    DURATIONS,
    FIXTURES,
    NUMERIC_TWIN,
    SUBMITTED_AT,
    assert_same_as_twin,
    csv_rows,
    load_copy,
    sha256,
    write_xlsx,
)
from export_fixtures import (
    values as _values,
)

from pipeline.config import Partnership, Party
from pipeline.errors import InputError
from pipeline.load import load_export
from pipeline.questionnaire import Instrument, load_instrument

CHOICE_TEXT = FIXTURES / "qualtrics" / "choice-text.csv"
NUMERIC_TSV = FIXTURES / "qualtrics" / "numeric-values.tsv"
LEGACY = FIXTURES / "qualtrics-legacy" / "legacy.csv"
REAL_EXPORTS = Path(__file__).parent / "fixtures" / "real"


def test_fixture_bytes_are_those_of_a_qualtrics_download() -> None:
    data = CHOICE_TEXT.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfStartDate,EndDate,Status,IPAddress,Progress,")
    assert data.count(b"\r\n") == 7 and data.count(b"\n") == 7  # 3 header rows + 4 responses
    assert b'"{""ImportId"":""startDate"",""timeZone"":""Europe/Amsterdam""}"' in data
    tsv = NUMERIC_TSV.read_bytes()
    assert tsv.startswith(b"\xff\xfeS\x00t\x00a\x00r\x00t\x00")  # UTF-16 LE with BOM
    assert tsv.decode("utf-16").splitlines()[0].endswith("\t")  # the empty trailing column


def test_choice_text_csv_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(CHOICE_TEXT, tmp_path, instrument)
    assert export.tool == "qualtrics"
    assert_same_as_twin(export, instrument, tmp_path)
    assert export.matched["Q5_1"] == "AMB1"  # by the statement of "question - statement"
    assert export.matched["Q12_5"] == "GS_TEMPO"
    assert export.matched["Q2"] == "level"
    assert export.ignored == []


def test_xlsx_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    rows = csv_rows(CHOICE_TEXT)
    path = write_xlsx(tmp_path / "source" / "export.xlsx", rows)
    export = load_copy(path, tmp_path / "xlsx", instrument)
    assert export.tool == "qualtrics"
    assert_same_as_twin(export, instrument, tmp_path)
    assert _values(export.responses["source_row"]) == [4, 5, 6, 7]
    assert _values(export.responses["duration_seconds"]) == DURATIONS


def test_numeric_tsv_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(NUMERIC_TSV, tmp_path, instrument)
    assert export.tool == "qualtrics"
    assert_same_as_twin(export, instrument, tmp_path, twin=NUMERIC_TWIN)
    assert export.ignored == []  # the empty trailing column is no column
    assert export.identifiers == {"IPAddress": "ip", "ResponseId": "respondent_id"}


def test_metadata_submitted_duration_and_rows(tmp_path: Path, instrument: Instrument) -> None:
    responses = load_copy(CHOICE_TEXT, tmp_path, instrument).responses
    assert _values(responses["source_row"]) == [4, 5, 6, 7]  # the first response is on row 4
    assert _values(responses["submitted"]) == [True, True, True, False]  # Daan: Finished False
    assert responses["submitted"].dtype == "boolean"
    assert _values(responses["duration_seconds"]) == DURATIONS
    assert _values(responses["submitted_at"]) == SUBMITTED_AT
    assert _values(responses["dont_know"]) == DONT_KNOW


def test_identifier_columns(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(CHOICE_TEXT, tmp_path, instrument)
    assert export.identifiers == {
        "IPAddress": "ip",
        "ResponseId": "respondent_id",
        "RecipientLastName": "name",
        "RecipientFirstName": "name",
        "RecipientEmail": "email",
        "ExternalReference": "external_id",
        "LocationLatitude": "location",
        "LocationLongitude": "location",
    }
    responses = export.responses
    assert _values(responses["id_name"])[0] == "de Vries Anna"
    assert _values(responses["id_email"])[0] == "anna.devries@lisse.nl"
    assert responses["id_external_id"].isna().all()
    assert export.metadata["Duration (in seconds)"] == "duration"
    assert export.metadata["DistributionChannel"] == "meta"


def test_preview_responses_are_not_submitted(tmp_path: Path, instrument: Instrument) -> None:
    text = CHOICE_TEXT.read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    lines[3] = lines[3].replace(",IP Address,", ",Survey Preview,", 1)
    path = tmp_path / "source" / "lisse.csv"
    path.parent.mkdir()
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    responses = load_copy(path, tmp_path / "copy", instrument).responses
    assert _values(responses["submitted"]) == [False, True, True, False]


def test_legacy_format_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(LEGACY, tmp_path, instrument)
    assert export.tool == "qualtrics-legacy"
    assert_same_as_twin(export, instrument, tmp_path)
    responses = export.responses
    assert _values(responses["source_row"]) == [3, 4, 5, 6]
    assert _values(responses["submitted"]) == [True, True, True, False]
    assert _values(responses["duration_seconds"]) == DURATIONS  # end minus start
    assert export.identifiers["EmailAddress"] == "email"
    assert export.identifiers["LocationAccuracy"] == "location"
    assert export.ignored == []


def test_unknown_choice_text_names_row_as_the_user_sees_it(
    tmp_path: Path, instrument: Instrument
) -> None:
    lines = CHOICE_TEXT.read_bytes().decode("utf-8-sig").split("\r\n")
    lines[4] = lines[4].replace(",Mee oneens,", ",Mee onees,")  # Bram's AMB3
    path = tmp_path / "lisse.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    partnership = Partnership(tmp_path, "x", "nl", 5, (Party("lisse", "Lisse"),), ())
    with pytest.raises(InputError) as caught:
        load_export(path, instrument, partnership)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (5, "Q5_3")  # Bram: row 5 as a spreadsheet shows it
    assert "'Mee onees'" in problem.message
    assert "'Mee oneens'" in problem.hint


# --- real exports made by Qualtrics itself --------------------------------------------------------


def _q1_q2_instrument(folder: Path) -> Instrument:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    sheets = {
        "survey": [("type", "name", "label::en"), ("select_one q1", "Q1", "Multiple choice"),
                   ("text", "Q2", "Free text")],
        "choices": [("list_name", "name", "label::en"), ("q1", "1", "One"), ("q1", "2", "Two"),
                    ("q1", "3", "Three")],
        "settings": [("form_id", "version"), ("sample", "1")],
        "dimensions": [("code", "label::en")],
    }  # fmt: skip
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(folder / "q1q2.xlsx")
    return load_instrument(folder / "q1q2.xlsx")


@pytest.mark.parametrize(
    ("name", "tool", "row"),
    [
        ("qualtrics-sample.csv", "qualtrics", 4),
        ("qualtrics-legacy-sample.csv", "qualtrics-legacy", 3),
    ],
)
def test_real_export(tmp_path: Path, name: str, tool: str, row: int) -> None:
    source = REAL_EXPORTS / name
    if not source.is_file():
        pytest.fail(f"{source} is missing: the real exports are in tests/fixtures/real/")
    instrument = _q1_q2_instrument(tmp_path)
    path = tmp_path / "sample.csv"
    shutil.copy(source, path)
    partnership = Partnership(tmp_path, "x", "nl", 5, (Party("sample", "Sample"),), ())
    export = load_export(path, instrument, partnership)
    assert sha256(path) == sha256(source)
    assert export.tool == tool
    assert {"IPAddress": "ip"}.items() <= export.identifiers.items()
    assert set(export.identifiers.values()) >= {"ip", "respondent_id", "email", "location"}
    responses = export.responses
    assert responses["Q1"].tolist() == [2]
    assert responses["Q2"].tolist() == ["Hello World!"]
    assert responses["source_row"].tolist() == [row]
    assert responses["submitted"].tolist() == [True]
    assert responses["id_respondent_id"].tolist() == ["R_2YPOQ602ER1jkf1"]
    assert responses["id_ip"].tolist() == ["130.92.34.66"]


def test_import_ids_written_as_python_dictionaries(tmp_path: Path, instrument: Instrument) -> None:
    # row 3 as exports of 2016-2017 (and scripts) write it: {'ImportId': 'QID5_1'}, never run
    with CHOICE_TEXT.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[2] = [repr(json.loads(cell)) for cell in rows[2]]
    email = rows[0].index("RecipientEmail")
    rows[0][email] = "Contactadres"  # a renamed field: its ImportId still says what it is
    rows[2][email] = "{'ImportId': 'panel-RecipientEmail'}"
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "source" / "export.csv"
    path.parent.mkdir()
    path.write_bytes(text.getvalue().encode("utf-8-sig"))
    assert b"\"{'ImportId': 'startDate', 'timeZone': 'Europe/Amsterdam'}\"" in path.read_bytes()
    export = load_copy(path, tmp_path / "copy", instrument)
    assert export.tool == "qualtrics"
    assert_same_as_twin(export, instrument, tmp_path)
    responses = export.responses
    assert _values(responses["source_row"]) == [4, 5, 6, 7]
    assert _values(responses["submitted"]) == [True, True, True, False]
    assert _values(responses["duration_seconds"]) == DURATIONS
    assert export.identifiers["Contactadres"] == "email"
    assert export.ignored == []
