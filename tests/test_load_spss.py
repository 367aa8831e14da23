"""SPSS .sav files: codes with value labels, user-missing "weet niet", variable labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_fixtures import (
    DONT_KNOW,
    SUBMITTED_AT,
    assert_same_as_twin,
    load_copy,
    partnership,
    write_sav,
)
from export_fixtures import (
    values as _values,
)

from pipeline.errors import InputError
from pipeline.load import load_export
from pipeline.questionnaire import Instrument


def test_sav_equals_its_plain_twin(tmp_path: Path, instrument: Instrument) -> None:
    path = write_sav(tmp_path / "source" / "export.sav")
    export = load_copy(path, tmp_path, instrument, party="zorgpunt")
    assert export.tool == "spss"
    assert_same_as_twin(export, instrument, tmp_path)
    assert export.matched["GSORG"] == "GS_ORG"  # by its variable label's statement
    assert export.matched["AMB_AMB3"] == "AMB3"  # by the code after Q_
    assert export.ignored == []


def test_labels_say_what_codes_mean(tmp_path: Path, instrument: Instrument) -> None:
    responses = load_copy(write_sav(tmp_path / "s" / "e.sav"), tmp_path, instrument).responses
    # the SPSS codes 1..5 are labelled "Schuurt sterk".."Glanst sterk": the label means -2..2
    assert _values(responses["GS_TEMPO"]) == [-2, 0, None, None]
    assert _values(responses["level"]) == ["bestuur", "uitvoering", "management", "uitvoering"]


def test_user_missing_is_dont_know(tmp_path: Path, instrument: Instrument) -> None:
    responses = load_copy(write_sav(tmp_path / "s" / "e.sav"), tmp_path, instrument).responses
    assert _values(responses["dont_know"]) == DONT_KNOW
    assert _values(responses["AMB2"]) == [None, 3, 4, None]
    assert _values(responses["source_row"]) == [1, 2, 3, 4]  # case numbers
    assert _values(responses["submitted"]) == [True, True, True, False]
    assert _values(responses["submitted_at"]) == [*SUBMITTED_AT[:3], None]
    assert _values(responses["id_token"]) == ["k7Qm2", "p3Xz8", "w9Lr4", "b5Nt1"]


@pytest.mark.parametrize("data", [b"", b"$FL2 but then nothing sensible" * 3, b"a,b\n1,2\n"])
def test_damaged_sav_is_an_input_error(tmp_path: Path, instrument: Instrument, data: bytes) -> None:
    path = tmp_path / "zorgpunt.sav"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        load_export(path, instrument, partnership(tmp_path, instrument))
    (problem,) = caught.value.problems
    assert str(path) in str(problem)
    assert problem.hint
    assert path.read_bytes() == data
