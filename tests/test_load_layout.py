"""A column without a header between headed ones, or filled in every row: ignored, with a warning.

A value under no header after the last headed column in some rows only stays a problem (a row
whose cells shifted); that case is tested in ``test_load.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from export_fixtures import partnership
from export_fixtures import values as _values

from pipeline.load import LoadedExport, load_export
from pipeline.questionnaire import Instrument


def _load(folder: Path, text: str, instrument: Instrument) -> LoadedExport:
    path = folder / "lisse.csv"
    path.write_text(text, encoding="utf-8")
    return load_export(path, instrument, partnership(folder, instrument), display="lisse.csv")


@pytest.mark.parametrize(
    ("text", "number", "value"),
    [
        (",AMB1,AMB2\n1,4,5\n2,3,2\n", 1, "1"),  # an index a script wrote, without a heading
        ("AMB1;;AMB2\n4;x;5\n3;y;2\n", 2, "x"),
        ("AMB1;;AMB2\n4;;5\n3;unknw;2\n", 2, "unknw"),  # a LimeSurvey question without text
        ("AMB1;AMB2;\n4;5;Lisse\n3;2;Lisse\n", 3, "Lisse"),  # the last one, in every row
    ],
)
def test_a_column_without_header_filled_in_every_row_is_ignored(
    tmp_path: Path, instrument: Instrument, text: str, number: int, value: str
) -> None:
    export = _load(tmp_path, text, instrument)
    assert _values(export.responses["AMB1"]) == [4, 3]
    assert _values(export.responses["AMB2"]) == [5, 2]
    assert export.warnings == [
        f"lisse.csv: column {number} has no header and is ignored (it holds values such as "
        f"{value!r})"
    ]
