"""KoboToolbox and ODK Central exports: XML names or labels, group paths, system columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_fixtures import (
    ANSWERS,
    DONT_KNOW,
    FIXTURES,
    PARTIES,
    QUESTION,
    assert_same_as_twin,
    instrument_with_partners,
    labelled,
    load_copy,
    write_xlsx,
)
from export_fixtures import (
    values as _values,
)

from pipeline.questionnaire import Instrument

KOBO = FIXTURES / "kobo" / "clientenraad.csv"
ODK = FIXTURES / "kobo" / "odk-central.csv"
GROUPS = {"level": "Over u", "years": "Over u", "GS_ORG": "Glanzen en schuren",
          "GS_TEMPO": "Glanzen en schuren", "GS_GLANS": "Glanzen en schuren"}  # fmt: skip


def test_fixture_bytes() -> None:
    data = KOBO.read_bytes()
    assert data.startswith(b'"start";"end";"achtergrond/level";"achtergrond/years";"amb/AMB1";')
    assert b';"_id";"_uuid";"_submission_time";' in data
    assert ODK.read_bytes().startswith(b"SubmissionDate,start,end,today,deviceid,achtergrond-level")


def test_xml_csv_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(KOBO, tmp_path, instrument, party="clientenraad")
    assert export.tool == "kobo"
    assert_same_as_twin(export, instrument, tmp_path)
    assert export.matched["glanzen_schuren/GS_TEMPO"] == "GS_TEMPO"  # group/name
    assert export.ignored == []
    assert export.identifiers == {
        "_id": "respondent_id",
        "_uuid": "respondent_id",
        "_submitted_by": "account",
        "_index": "respondent_id",  # the export's row number, left out of the copies' comparison
    }
    responses = export.responses
    assert _values(responses["submitted"]) == [True] * 4
    assert _values(responses["submitted_at"])[0] == "2025-10-06 07:21:37"  # the server's time
    assert _values(responses["duration_seconds"])[3] == 130.0  # end minus start, zone dropped
    assert _values(responses["dont_know"]) == DONT_KNOW


def test_odk_central_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(ODK, tmp_path, instrument, party="clientenraad")
    assert export.tool == "kobo"
    assert_same_as_twin(export, instrument, tmp_path)
    assert export.matched["amb-AMB1"] == "AMB1"  # group-name
    assert export.ignored == []
    assert export.identifiers["KEY"] == "respondent_id"
    assert export.identifiers["meta-instanceID"] == "respondent_id"
    assert export.identifiers["deviceid"] == "device"
    assert export.identifiers["SubmitterName"] == "account"


def test_labels_xlsx_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    items = ["level", "years", "AMB1", "AMB2", "AMB3", "AMB4", "GS_ORG", "GS_TEMPO", "GS_GLANS"]
    header = ["start", "end"] + [
        f"{GROUPS.get(item, 'Gedeelde ambitie en visie')}/{QUESTION[item]}" for item in items
    ] + ["_id", "_uuid", "_submission_time", "_index"]  # fmt: skip
    rows: list[list[object]] = [header]
    for number, answers in enumerate(ANSWERS):
        rows.append(["2025-10-06T09:12:04.118+02:00", "2025-10-06T09:21:37.902+02:00",
                     *labelled(answers), 41234567 + number, f"uuid-{number}",
                     "2025-10-06T07:21:40", number + 1])  # fmt: skip
    path = write_xlsx(tmp_path / "source" / "Samenwerking_-_all_versions.xlsx", rows)
    export = load_copy(path, tmp_path / "xlsx", instrument, party="clientenraad")
    assert export.tool == "kobo"
    assert_same_as_twin(export, instrument, tmp_path)
    assert export.ignored == []


# --- select_multiple and geopoint questions, device ids ---------------------------------------

SELECT_GEO = FIXTURES / "kobo" / "select-multiple-geopoint.csv"
ODK_GEO = FIXTURES / "kobo" / "odk-central-geopoint.csv"
GEOPOINT = ["latitude", "longitude", "altitude", "precision"]


@pytest.fixture(scope="module")
def partners(tmp_path_factory: pytest.TempPathFactory) -> Instrument:
    return instrument_with_partners(tmp_path_factory.mktemp("partners"))


def test_kobo_select_multiple_and_geopoint(tmp_path: Path, partners: Instrument) -> None:
    assert SELECT_GEO.read_bytes().startswith(b'"start";"end";"deviceid";"achtergrond/level";')
    export = load_copy(SELECT_GEO, tmp_path, partners, party="clientenraad")
    assert export.tool == "kobo"
    assert_same_as_twin(export, partners, tmp_path)
    # the question's column of chosen names, and a 1/0 column per choice: listed, never scored
    assert export.multiple == dict.fromkeys(
        ["achtergrond/samen", *(f"achtergrond/samen/{party}" for party in PARTIES)], "samen"
    )
    assert "samen" not in export.responses.columns
    locations = [header for header, kind in export.identifiers.items() if kind == "location"]
    assert locations == ["achtergrond/locatie", *(f"achtergrond/_locatie_{p}" for p in GEOPOINT)]
    assert export.identifiers["deviceid"] == "device"
    assert export.ignored == [] and export.warnings == []
    assert _values(export.responses["id_location"])[3] is None  # Daan gave no location


def test_odk_central_select_multiple_geopoint_and_own_columns(
    tmp_path: Path, partners: Instrument
) -> None:
    export = load_copy(ODK_GEO, tmp_path, partners, party="clientenraad")
    assert export.tool == "kobo"
    assert_same_as_twin(export, partners, tmp_path)
    assert export.multiple == {"achtergrond-samen": "samen"}
    points = [f"achtergrond-locatie-{p}" for p in ("Latitude", "Longitude", "Altitude", "Accuracy")]
    assert export.identifiers == {
        "device_id": "device",
        **dict.fromkeys(points, "location"),
        "meta-instanceID": "respondent_id",
        "KEY": "respondent_id",
        "SubmitterID": "account",
        "SubmitterName": "account",
        "DeviceID": "device",
    }
    assert export.metadata == {
        "SubmissionDate": "submitted_at",
        "start": "started_at",
        "end": "ended_at",
        "today": "meta",
        "achtergrond-samen": "multiple:samen",
        **dict.fromkeys(
            ["AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "Edits",
             "FormVersion"],
            "meta",
        ),
    }  # fmt: skip
    assert export.ignored == []
