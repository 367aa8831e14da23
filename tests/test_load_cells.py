"""The text grid of :mod:`pipeline.load.cells`: stripped text, distinct values, blank cells."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.load.cells import _first_lines, distinct_text, filled, read_cells, text_columns

#: pandas' text types: Arrow strings (the default), and Python strings (a small run's)
TEXT_TYPES = ["str", pd.StringDtype("python", na_value=np.nan), "string[python]", object]


@pytest.mark.parametrize("dtype", TEXT_TYPES[:3])
def test_text_columns_strip_csv_text_and_convert_workbook_cells(dtype: object) -> None:
    raw = pd.DataFrame(
        {
            0: pd.array([" a ", None, "b\t", ""], dtype=dtype),
            1: pd.array([3.0, "", " x ", None], dtype=object),
            2: pd.array([True, 2.5, dt.datetime(2025, 10, 6, 9, 12, 4), 7], dtype=object),
        },
        index=[1, 2, 3, 5],
    )
    out = text_columns(raw)
    assert out.index.tolist() == [1, 2, 3, 5]
    assert out[0].tolist() == ["a", "", "b", ""]
    assert out[1].tolist() == ["3", "", "x", ""]
    assert out[2].tolist() == ["1", "2.5", "2025-10-06 09:12:04", "7"]
    assert all(isinstance(out[label].dtype, pd.StringDtype) for label in out.columns)
    assert out[0].dtype == raw[0].dtype


@pytest.mark.parametrize("dtype", TEXT_TYPES)
def test_distinct_text_numbers_values_in_order_of_first_appearance(dtype: object) -> None:
    column = pd.Series(["4", "dk", None, "4", " 2 ", "dk"], dtype=dtype)
    codes, texts = distinct_text(column)
    assert texts == ["4", "dk", "2", ""]  # missing cells share the last code, ""
    assert codes.tolist() == [0, 1, 3, 0, 2, 1]
    assert [texts[code] for code in codes] == ["4", "dk", "", "4", "2", "dk"]


@pytest.mark.parametrize("dtype", TEXT_TYPES)
def test_filled_is_false_for_blank_and_missing_cells(dtype: object) -> None:
    column = pd.Series(["", "x", None, "0", ""], dtype=dtype)
    result = filled(column)
    assert isinstance(result, np.ndarray)
    assert result.tolist() == [False, True, False, True, False]


def _grid(frame: pd.DataFrame) -> list[list[str]]:
    return frame.to_numpy(dtype=object).tolist()


def test_read_cells_csv_quotes_line_breaks_and_separators_in_answers(tmp_path) -> None:
    # every record as wide as the header: the fast (Arrow) parser reads it
    path = tmp_path / "export.csv"
    text = (
        "id;antwoord;score\r\n"
        '1;"regel een\r\nregel twee";4\r\n'
        '2;"zei ""ja""; toen";\r\n'
        '3; café ;" 5 "\r\n'
    )
    path.write_bytes(text.encode("utf-8-sig"))
    cells = read_cells(path, "export.csv")
    assert cells.index.tolist() == [0, 1, 2, 3]  # records, not lines: the break is inside
    assert _grid(cells) == [
        ["id", "antwoord", "score"],
        ["1", "regel een\r\nregel twee", "4"],
        ["2", 'zei "ja"; toen', ""],
        ["3", "café", "5"],
    ]
    assert all(isinstance(cells[label].dtype, pd.StringDtype) for label in cells.columns)


def test_read_cells_csv_pads_short_rows_and_keeps_blank_lines_as_rows(tmp_path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("a,b,c\n1,2\n\n3,4,5\n", encoding="utf-8")
    cells = read_cells(path, "export.csv")
    assert _grid(cells) == [["a", "b", "c"], ["1", "2", ""], ["", "", ""], ["3", "4", "5"]]
    assert cells.index.tolist() == [0, 1, 2, 3]  # row 4 of the file stays index 3


def test_read_cells_csv_measures_a_row_wider_than_the_first_records(tmp_path) -> None:
    path = tmp_path / "export.csv"
    rows = ["a,b", *(f"{n},x" for n in range(60)), "61,y,extra"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cells = read_cells(path, "export.csv")
    assert cells.shape == (62, 3)
    assert _grid(cells)[0] == ["a", "b", ""]
    assert _grid(cells)[-1] == ["61", "y", "extra"]


#: texts whose ends are mostly plain (the fast path) and sometimes a space of some kind
_EDGY = st.tuples(
    st.sampled_from(["", "", "", "", " ", "\t", "\u00a0", "\x1f"]),
    st.text(alphabet=["a", "7", "-", "b", " ", "é", "\x7f"], min_size=1, max_size=6),
    st.sampled_from(["", "", "", "", " ", "\n", "\u3000", "\x0b"]),
).map("".join)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(_EDGY, max_size=12), cut=st.integers(0, 3))
@example(texts=["ab ", "c"], cut=0)  # only the last byte of the first text is a space
@example(texts=["a", "bc\u3000"], cut=1)
@example(texts=["", " "], cut=0)  # the only byte of the column
def test_text_columns_strip_arrow_text_as_arrow_trims_it(texts: list[str], cut: int) -> None:
    # the reference: Arrow's trim on every text; text_columns skips it only where it changes
    # nothing, judged from the first and last bytes (sliced and chunked arrays included)
    data = pa.array(texts, type=pa.large_string())
    chunks = pa.chunked_array([data.slice(min(cut, len(texts))), data[: min(cut, len(texts))]])
    column = pd.Series(pd.arrays.ArrowStringArray(chunks, dtype=pd.StringDtype("pyarrow")))
    expected = pc.utf8_trim_whitespace(chunks).to_pylist()
    assert text_columns(pd.DataFrame({0: column}))[0].tolist() == expected


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.integers(0, 4000), st.sampled_from(["\n", "\r\n", "\r", "\u2028"])),
        min_size=0,
        max_size=70,
    )
)
def test_first_lines_of_a_large_text_are_those_of_splitlines(lines: list[tuple[int, str]]) -> None:
    text = "".join("x" * length + end for length, end in lines)
    assert _first_lines(text, 50) == text.splitlines()[:50]


def test_first_lines_read_on_where_the_first_sample_ends_inside_a_line_or_a_line_break() -> None:
    inside_a_line = "a\n" * 49 + "b" * (1 << 17) + "\nc\n"  # line 50 runs past the sample
    straddling = "a" * ((1 << 16) - 1) + "\r\n" + "b\n" * 60  # "\r" is the last sampled
    for text in (inside_a_line, straddling):
        assert _first_lines(text, 50) == text.splitlines()[:50]
