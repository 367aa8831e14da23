"""LimeSurvey exports: BOM, ';', all quoted, CRLF; headings as codes, text or both."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from export_fixtures import (
    ANSWERS,
    DONT_KNOW,
    FIXTURES,
    SUBMITTED_AT,
    TWIN,
    assert_same_as_twin,
    compared,
    csv_rows,
    load_copy,
    write_xlsx,
)
from export_fixtures import (
    values as _values,
)

from pipeline.questionnaire import Instrument

CODE_AND_TEXT = FIXTURES / "limesurvey" / "code-and-text.csv"
AMB = ["AMB1", "AMB2", "AMB3", "AMB4"]


def test_fixture_bytes() -> None:
    data = CODE_AND_TEXT.read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"id. Antwoord ID";"submitdate. Datum verstuurd";')
    assert data.endswith(b'"\r\n\r\n')  # the extra empty line at the end
    assert data.count(b"\r\n") == 6
    assert b'"Operations / professional"' in data  # Bram answered in English


def test_code_and_text_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(CODE_AND_TEXT, tmp_path, instrument, party="zorgpunt")
    assert export.tool == "limesurvey"
    assert_same_as_twin(export, instrument, tmp_path)
    heading = next(h for h in export.matched if h.startswith("AMB[AMB2]. "))
    assert export.matched[heading] == "AMB2"  # by the code inside the brackets
    heading = next(h for h in export.matched if h.startswith("GS[TEMPO]. "))
    assert export.matched[heading] == "GS_TEMPO"  # by the statement in [...]
    assert export.ignored == []


def test_metadata(tmp_path: Path, instrument: Instrument) -> None:
    export = load_copy(CODE_AND_TEXT, tmp_path, instrument, party="zorgpunt")
    responses = export.responses
    assert _values(responses["source_row"]) == [2, 3, 4, 5]
    assert _values(responses["submitted"]) == [True, True, True, False]  # empty submitdate
    assert _values(responses["submitted_at"]) == [*SUBMITTED_AT[:3], None]
    assert _values(responses["duration_seconds"])[:3] == [573.0, 371.0, 826.0]
    assert _values(responses["dont_know"]) == DONT_KNOW
    assert sorted(export.identifiers.values()) == ["ip", "respondent_id", "token", "url"]
    assert _values(responses["id_token"]) == ["k7Qm2", "p3Xz8", "w9Lr4", "b5Nt1"]
    assert responses["id_ip"].isna().all()


def _code_rows(separator: str) -> list[list[object]]:
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"]
    header += [f"AMB{separator}{code}" if separator != "[" else f"AMB[{code}]" for code in AMB]
    rows: list[list[object]] = [header]
    for number, answers in enumerate(ANSWERS):
        submitted = "" if number == 3 else f"2025-10-0{6 + number // 2} 10:00:00"
        rows.append([12 + number, submitted, 4, "nl", 518273645, "2025-10-06 09:00:00",
                     "2025-10-08 10:00:00", *answers[2:6]])  # fmt: skip
    return rows


@pytest.mark.parametrize("separator", ["[", "_"])
def test_code_headings_and_answer_codes(
    tmp_path: Path, instrument: Instrument, separator: str
) -> None:
    path = write_xlsx(tmp_path / "source" / "results.xlsx", _code_rows(separator))
    export = load_copy(path, tmp_path / "xlsx", instrument, party="zorgpunt")
    assert export.tool == "limesurvey"
    assert sorted(export.matched.values()) == AMB
    twin = load_copy(TWIN, tmp_path / "twin", instrument, party="zorgpunt")
    pd.testing.assert_frame_equal(
        compared(export, instrument)[AMB], compared(twin, instrument)[AMB]
    )
    assert _values(export.responses["submitted"]) == [True, True, True, False]


def test_csv_cells_as_xlsx(tmp_path: Path, instrument: Instrument) -> None:
    rows = csv_rows(CODE_AND_TEXT, delimiter=";")
    path = write_xlsx(tmp_path / "source" / "results.xlsx", rows)
    export = load_copy(path, tmp_path / "xlsx", instrument, party="zorgpunt")
    assert export.tool == "limesurvey"
    assert_same_as_twin(export, instrument, tmp_path)


# --- full-text headings: LimeSurvey's own columns in the administrator's language -------------

FULL_TEXT = FIXTURES / "limesurvey" / "full-text.csv"
ENGLISH = ["Response ID", "Date submitted", "Last page", "Start language", "Seed", "Token",
           "Date started", "Date last action", "IP address", "Referrer URL"]  # fmt: skip
GERMAN = ["Antwort ID", "Datum Abgeschickt", "Letzte Seite", "Start-Sprache", "Zufallsstartwert",
          "Token", "Datum gestartet", "Datum letzte Aktivität", "IP-Adresse",
          "Weiterleitungs-URL"]  # fmt: skip
ROLES = ["id:respondent_id", "submitdate", "meta", "meta", "meta", "id:token", "started_at",
         "meta", "id:ip", "id:url"]  # fmt: skip
TIMINGS = ["Total time", "Group time: Over u", "Question time: level", "Question time: years",
           "Group time: Gedeelde ambitie en visie", "Question time: AMB",
           "Group time: Glanzen en schuren", "Question time: GS",
           "Question time: GSGLANS"]  # fmt: skip


@pytest.mark.parametrize("headings", [ENGLISH, GERMAN], ids=["English", "German"])
def test_full_text_headings_are_limesurvey(
    tmp_path: Path, instrument: Instrument, headings: list[str]
) -> None:
    data = FULL_TEXT.read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"Response ID";"Date submitted";"Last page";')
    assert data.endswith(b'"\r\n\r\n') and data.count(b"\r\n") == 6
    source = tmp_path / "source" / "results-survey518273.csv"
    source.parent.mkdir()
    english = ";".join(f'"{h}"' for h in ENGLISH).encode()
    source.write_bytes(data.replace(english, ";".join(f'"{h}"' for h in headings).encode()))
    export = load_copy(source, tmp_path / "copy", instrument, party="zorgpunt")
    assert export.tool == "limesurvey"
    assert_same_as_twin(export, instrument, tmp_path)
    responses = export.responses
    assert _values(responses["submitted"]) == [True, True, True, False]  # Daan: not submitted
    assert _values(responses["submitted_at"]) == [*SUBMITTED_AT[:3], None]
    assert _values(responses["duration_seconds"]) == [573.27, 371.9, 826.45, 130.02]
    kinds = dict(zip(headings, ROLES, strict=True))
    assert export.identifiers == {h: r[3:] for h, r in kinds.items() if r.startswith("id:")}
    assert export.metadata == {
        **{h: r for h, r in kinds.items() if not r.startswith("id:")},
        **dict.fromkeys(TIMINGS, "meta"),
        "Total time": "duration",
    }
    assert export.ignored == []
