"""Raw rows that are the same submission, found by the loader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from export_fixtures import FIXTURES, load_copy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import clean_responses
from pipeline.load import repeats
from pipeline.load.repeats import first_copies
from pipeline.questionnaire import Instrument


def grid(rows: list[tuple[str, ...]], first_row: int = 2) -> pd.DataFrame:
    frame = pd.DataFrame(rows, dtype="str")
    frame.index = range(first_row, first_row + len(rows))
    return frame


def test_a_row_equal_in_every_compared_cell_names_the_first_of_its_group() -> None:
    data = grid(
        [
            ("1", "2025-10-01 09:00", "4", "4"),
            ("2", "2025-10-01 09:05", "4", "4"),  # the same answers, another time
            ("3", "2025-10-01 09:00", "4", "4"),  # row 2 again, under another response id
            ("4", "2025-10-01 09:00", "4", "5"),
        ]
    )
    assert first_copies(data, [1, 2, 3]).tolist() == [2, -1, 2, -1]
    # the response id compared too: no two rows are equal
    assert first_copies(data, [0, 1, 2, 3]).tolist() == [-1, -1, -1, -1]


def test_rows_of_different_given_groups_are_never_equal() -> None:
    data = grid([("4", "a"), ("4", "a"), ("4", "a")])
    assert first_copies(data, [0, 1]).tolist() == [2, 2, 2]
    # a first split (a hash of the answers) that puts row 3 apart
    assert first_copies(data, [0, 1], np.array([7, 0, 7])).tolist() == [2, -1, 2]


def test_unmatched_columns_count_too() -> None:
    data = grid([("4", "zonder"), ("4", "met"), ("4", "zonder")], first_row=4)
    assert first_copies(data, [0, 1]).tolist() == [4, -1, 4]
    assert first_copies(data, [0]).tolist() == [4, 4, 4]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(*[st.sampled_from(["", "1", "2", "a"])] * 3), max_size=15),
    st.permutations([0, 1, 2]),
    st.booleans(),
)
def test_groups_are_those_of_pandas_duplicated(rows, order, one_at_a_time) -> None:
    # every column read by itself, as in a large file, or the rest all at once
    original = repeats._FEW
    repeats._FEW = 0 if one_at_a_time else original
    try:
        check_groups(rows, order)
    finally:
        repeats._FEW = original


def check_groups(rows, order) -> None:
    data = grid(rows)
    found = first_copies(data, list(order))
    if not rows:
        assert found.tolist() == []
        return
    shared = data.duplicated(keep=False).to_numpy()
    assert ((found >= 0) == shared).all()
    # each row's first equal row, by a plain comparison of the rows as tuples
    cells = [tuple(row) for row in data.itertuples(index=False)]
    expected = [data.index[cells.index(row)] for row in cells]
    assert (found[shared] == np.array(expected)[shared]).all()


def test_a_kobo_submission_exported_twice_is_one_duplicate_and_equal_answers_are_not(
    tmp_path: Path, instrument: Instrument
) -> None:
    lines = (FIXTURES / "kobo" / "clientenraad.csv").read_text("utf-8").splitlines()
    header, first = lines[0], lines[1]
    cells = first.split(";")
    names = [name.strip('"') for name in header.split(";")]
    # the same submission again, under new numbers of Kobo's (_id, _uuid, _index)
    again = list(cells)
    for name, value in (("_id", '"41234999"'), ("_uuid", '"aaaa"'), ("_index", '"9"')):
        again[names.index(name)] = value
    # the same answers from someone else: another submission time
    other = list(again)
    other[names.index("_submission_time")] = '"2025-10-07T08:00:00"'
    source = tmp_path / "source.csv"
    source.write_text("\n".join([*lines, ";".join(again), ";".join(other)]) + "\n", "utf-8")
    export = load_copy(source, tmp_path / "raw", instrument, party="clientenraad")
    rows = len(lines) - 1
    assert export.responses["first_copy"].tolist() == [2] + [-1] * (rows - 1) + [2, -1]
    cleaned = clean_responses(export.responses, instrument, "2025", "0123456789abcdef")
    log = cleaned.quality_log
    assert log.loc[log["check"] == "duplicate", "source_row"].tolist() == [2]
    assert len(cleaned.responses) == rows + 1  # the copy out, the other person in
