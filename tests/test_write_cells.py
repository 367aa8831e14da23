"""Safe cells (issue 27): every CSV, Parquet and XLSX the pipeline writes reads back the same
everywhere, and no text cell of them would start a formula in a spreadsheet.

A text with a bare carriage return once split a CSV row (a new row starting with a formula, and
a file Arrow could not read), ``x;=1+1`` became a formula in a spreadsheet that splits on ``;``,
and an item code ``=HYPERLINK(...)`` became a header as it was.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pytest
from python_calamine import CalamineWorkbook

from pipeline import write
from pipeline.write import formula_safe, table_to_csv_bytes, write_table, write_tables_workbook

#: A cell a spreadsheet may run, written here apart from the writer's own rule: one of
#: = + - @ tab CR at the text's start, or one of = + - @ where a spreadsheet that splits on
#: ";", tabs or line ends starts a cell (quotes may come between).
UNSAFE = re.compile(r'\A[=+\-@\t\r]|[;\t\r\n]"*[=+\-@]')

HOSTILE_NAME = '=HYPERLINK("http://x.example","klik")'
LONG = "lang " * 4_000  # 20,000 characters: long, and still whole in a workbook's cell
#: (text written, text every reader must get back); None is a missing cell
HOSTILE = [
    ("abc\r=cmd|' /C calc'!A0", "abc\r'=cmd|' /C calc'!A0"),
    ("x;=1+1", "x;'=1+1"),
    ('x;"=1+1"', 'x;"\'=1+1"'),
    ("lf\nin", "lf\nin"),
    ("crlf\r\nin", "crlf\r\nin"),
    ("regel\n-1", "regel\n'-1"),
    ("één;twee", "één;twee"),
    ('zei "ja", toen', 'zei "ja", toen'),
    ("=1+1", "'=1+1"),
    ("+31 6", "'+31 6"),
    ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t'=1"),
    ("\rcr", "'\rcr"),
    ("a,=b", "a,=b"),  # after a comma: the field is quoted, and ";" readers keep it whole
    ("'t is goed", "'t is goed"),
    (LONG, LONG),
    ("é€😀 ünïcode", "é€😀 ünïcode"),
    ("", ""),
    (None, ""),
    ("gewoon", "gewoon"),
]


def hostile_table() -> pd.DataFrame:
    """Text of every awkward kind beside numbers that are negative, under a hostile header."""
    n = len(HOSTILE)
    return pd.DataFrame(
        {
            HOSTILE_NAME: pd.array([text for text, _ in HOSTILE], dtype="str"),
            "object": pd.Series([text for text, _ in HOSTILE], dtype=object),
            "FRI1": pd.array([-2, None, *range(n - 2)], dtype="Int8"),  # answer codes: numbers
            "score": [-1.5, np.nan, *np.linspace(-2, 2, n - 2)],
            "leeg": pd.Series([None] * n, dtype=object),
        }
    )


def read_with_pandas(data: bytes) -> pd.DataFrame:
    """A CSV's cells as pandas reads them, every cell text."""
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def read_with_arrow(data: bytes) -> pd.DataFrame:
    """A CSV's cells as Arrow reads them (header included), every cell text, nothing missing."""
    width = len(next(csv.reader(io.StringIO(data.decode("utf-8")))))
    table = pa_csv.read_csv(
        io.BytesIO(data),
        read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types={f"f{i}": pa.string() for i in range(width)}, strings_can_be_null=False
        ),
    )
    rows = table.to_pylist()
    header = list(rows[0].values())
    return pd.DataFrame([list(row.values()) for row in rows[1:]], columns=header, dtype=object)


def assert_read_alike(data: bytes) -> pd.DataFrame:
    """pandas and Arrow read the same header and cells from a CSV; returns pandas' table."""
    by_pandas = read_with_pandas(data)
    by_arrow = read_with_arrow(data)
    assert list(by_arrow.columns) == list(by_pandas.columns)
    assert by_arrow.shape == by_pandas.shape
    assert by_arrow.to_numpy().tolist() == by_pandas.to_numpy().tolist()
    return by_pandas


def test_formula_safe_puts_an_apostrophe_before_every_cell_start_a_spreadsheet_would_run():
    for text, safe in HOSTILE:
        if text is not None:
            assert formula_safe(text) == safe
            assert not UNSAFE.search(safe)
    for number in (-2, -1.5, np.int8(-2), np.float64(-0.5)):
        assert formula_safe(number) is number  # only text is guarded


@pytest.mark.parametrize("formatter", ["python", "arrow"])
def test_a_csv_field_with_a_line_break_a_comma_or_a_quote_is_quoted(monkeypatch, formatter):
    if formatter == "arrow":
        monkeypatch.setattr(write, "_PYTHON_ROWS", 0)
    table = pd.DataFrame({"a": ["p\rq", "lf\n", 'q"', "c,", "x"], "n": [1, 2, 3, 4, 5]})
    assert table_to_csv_bytes(table) == (
        b'a,n\n"p\rq",1\n"lf\n",2\n"q""",3\n"c,",4\nx,5\n'  # RFC 4180, quotes doubled
    )
    # one column: an empty or missing cell is "" (a blank line would be no row at all)
    alone = pd.DataFrame({"a": pd.array(["", None, "p\rq"], dtype="str")})
    assert table_to_csv_bytes(alone) == b'a\n""\n""\n"p\rq"\n'


@pytest.mark.parametrize("formatter", ["python", "arrow"])
def test_a_hostile_table_reads_back_alike_from_its_csv_parquet_and_workbook(
    tmp_path, monkeypatch, formatter
):
    if formatter == "arrow":  # formatted by Arrow, a column at a time, in blocks of 4 rows
        monkeypatch.setattr(write, "_PYTHON_ROWS", 0)
        monkeypatch.setattr(write, "_CSV_BLOCK_ROWS", 4)
    table = hostile_table()
    csv_path, parquet_path = write_table(table, tmp_path, "hostile")
    header = ["'" + HOSTILE_NAME, "object", "FRI1", "score", "leeg"]
    texts = [safe for _, safe in HOSTILE]
    scores = ["-1.5", "", *(repr(value) for value in table["score"][2:])]
    answers = ["-2", "", *(str(value) for value in range(len(HOSTILE) - 2))]
    expected = pd.DataFrame(
        {"a": texts, "b": texts, "c": answers, "d": scores, "e": [""] * len(HOSTILE)}
    )
    expected.columns = header

    # the CSV: pandas and Arrow read the cells that were meant
    cells = assert_read_alike(csv_path.read_bytes())
    pd.testing.assert_frame_equal(cells, expected, check_dtype=False)

    # Parquet: the same text, numbers as numbers
    # Parquet: the same text (a missing cell still missing), numbers as numbers
    back = pd.read_parquet(parquet_path)
    assert list(back.columns) == header
    for name in header[:2]:
        assert back[name].fillna("").tolist() == texts
        assert back[name].isna().tolist() == [text is None for text, _ in HOSTILE]
    assert back["FRI1"].dtype == "Int8" and back["FRI1"][0] == -2
    assert back["score"][0] == -1.5
    # and the same bytes when written again
    again = write_table(table, tmp_path / "again", "hostile")
    assert [p.read_bytes() for p in again] == [csv_path.read_bytes(), parquet_path.read_bytes()]

    # the workbook: the same text as strings, numbers as numbers, no formula anywhere
    book = tmp_path / "tables.xlsx"
    write_tables_workbook({"hostile": table}, book)
    with zipfile.ZipFile(book) as parts:
        sheet = parts.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("hostile").to_python()
    assert rows[0] == header
    assert [row[0] for row in rows[1:]] == texts
    assert [row[1] for row in rows[1:]] == texts
    assert rows[1][2:4] == [-2, -1.5]  # number cells, not text


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example partnership run once with hostile open answers in one party's export."""
    from pipeline.cli import main

    root = tmp_path_factory.mktemp("hostile") / "project"
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        assert main(["example", str(root)]) == 0, output.getvalue()
        export = root / "data" / "raw" / "2026" / "welzijn.csv"
        rows = list(csv.reader(io.StringIO(export.read_text(encoding="utf-8"), newline="")))
        column = rows[0].index("Waar schuurt de samenwerking? Geef een voorbeeld.")
        for row, (text, _) in zip(rows[1:], HOSTILE[:6], strict=False):
            row[column] = text
        text = io.StringIO(newline="")
        csv.writer(text, lineterminator="\r\n").writerows(rows)  # quotes fields with CR or LF
        export.write_text(text.getvalue(), encoding="utf-8", newline="")
        assert main(["run", "--project", str(root), "--jobs", "1"]) == 0, output.getvalue()
    return root


def test_every_output_of_a_run_reads_back_alike_and_holds_no_formula(hostile_run):
    csvs = sorted((hostile_run / "data" / "processed").glob("*/*.csv"))
    assert len(csvs) > 20
    for path in csvs:
        cells = assert_read_alike(path.read_bytes())
        back = pd.read_parquet(path.with_suffix(".parquet"))
        assert list(back.columns) == list(cells.columns), path
        assert len(back) == len(cells), path
        for name in cells.columns:
            assert not UNSAFE.search(name), (path, name)
        for name in back.columns:
            if pd.api.types.is_string_dtype(back[name]) or back[name].dtype == object:
                # the Parquet's text is the CSV's, guarded the same way; numbers are no text
                assert back[name].fillna("").tolist() == cells[name].tolist(), (path, name)
                assert not cells[name].str.contains(UNSAFE).any(), (path, name)
    comments = read_with_pandas((hostile_run / "data/processed/2026/comments.csv").read_bytes())
    arrived = set(comments["text"])
    assert {"abc\r'=cmd|' /C calc'!A0", "x;'=1+1", 'x;"\'=1+1"', "regel\n'-1"} <= arrived
    # the workbooks: text as strings, never a formula, guarded as in the CSV
    books = sorted((hostile_run / "reports").glob("*/tables.xlsx"))
    assert len(books) == 3
    for book in books:
        with zipfile.ZipFile(book) as parts:
            for name in parts.namelist():
                if name.startswith("xl/worksheets/"):
                    xml = parts.read(name).decode("utf-8")
                    assert "<f>" not in xml and "<f " not in xml, (book, name)
        workbook = CalamineWorkbook.from_path(str(book))
        for sheet in workbook.sheet_names:
            for row in workbook.get_sheet_by_name(sheet).to_python():
                for cell in row:
                    assert not (isinstance(cell, str) and UNSAFE.search(cell)), (book, sheet, cell)
