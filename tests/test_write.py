"""Writers: formula-safe text, atomic replacement, byte-reproducible workbooks and tables."""

from __future__ import annotations

import os
import signal
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from pipeline import write
from pipeline.write import (
    formula_safe,
    recover_replaced,
    replaced_together,
    table_to_csv_bytes,
    write_bytes_atomic,
    write_table,
    write_tables_workbook,
)


def test_formula_safe_prefixes_what_a_spreadsheet_would_run():
    for value in ("=SUM(A1)", "+31 6", "-2+3", "@cmd", "\tx", "\rx"):
        assert formula_safe(value) == "'" + value
    assert formula_safe("a;=1;b\n@c") == "a;'=1;b\n'@c"  # a cell starts after ; and line ends
    assert formula_safe("gewoon tekst") == "gewoon tekst"
    assert formula_safe(-2) == -2  # numbers are not text


def test_csv_is_formula_safe_and_keeps_full_precision():
    table = pd.DataFrame({"text": ['=HYPERLINK("x")', "ok"], "value": [1 / 3, 2.5]})
    text = table_to_csv_bytes(table).decode("utf-8")
    assert "'=HYPERLINK" in text
    assert repr(1 / 3) in text  # 0.3333333333333333, round-trips exactly
    assert pd.read_csv(pd.io.common.StringIO(text))["value"][0] == 1 / 3


def _pandas_csv(table: pd.DataFrame) -> bytes:
    """The reference: pandas' own writer, after formula_safe on every text cell and name.

    Written with CRLF line ends, for which the csv writer quotes a field with a CR too (RFC
    4180), then with LF ones: outside quotes, every other part between them.
    """
    safe = table.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]) and safe[column].dtype != bool:
            safe[column] = safe[column].astype(object).map(formula_safe)
    safe.columns = [formula_safe(column) for column in safe.columns]
    parts = safe.to_csv(index=False, lineterminator="\r\n").split('"')
    parts[::2] = [part.replace("\r\n", "\n") for part in parts[::2]]
    return '"'.join(parts).encode("utf-8")


NASTY_TEXT = [
    "gewoon",
    None,
    "komma, erin",
    'zei "ja"',
    "twee\nregels",
    "cr\rin",
    "=1+1",
    "-min",
    "@x",
    "\tinsprong",
    "",
    " spaties ",
    "één;twee",
]


@pytest.fixture(params=["python", "arrow"])
def formatter(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Tables formatted as a short one is (cell by cell, in Python) and as a long one (by Arrow)."""
    if request.param == "arrow":
        monkeypatch.setattr(write, "_PYTHON_ROWS", 0)
    return request.param


@pytest.mark.parametrize("block_rows", [100_000, 4])  # one block, and four of up to 4 rows
def test_csv_has_the_bytes_pandas_writes_for_every_column_type(monkeypatch, block_rows, formatter):
    monkeypatch.setattr(write, "_CSV_BLOCK_ROWS", block_rows)
    n = len(NASTY_TEXT)
    floats = [0.0, -0.0, float("nan"), 1e-7, 1e16, 1 / 3, float("inf"), -float("inf"), 2.5,
              -1.25, 1e22, 123456.789, 3.0]  # fmt: skip
    table = pd.DataFrame(
        {
            "tekst": pd.array(NASTY_TEXT, dtype="str"),
            "object": pd.Series([*NASTY_TEXT[:-1], pd.NA], dtype=object),
            "leeg": pd.Series([None] * n, dtype=object),
            "float": floats,
            "Float64": pd.array([*floats[:-1], None], dtype="Float64"),
            "Int8": pd.array([1, None, -3, 127, -128, 0, 5, 5, None, 2, 1, 0, 4], dtype="Int8"),
            "int": list(range(-6, n - 6)),
            "bool": [True, False] * 6 + [True],
            "boolean": pd.array([True, None, False] * 4 + [None], dtype="boolean"),
            'naam, "quoted"': ["x"] * n,
            "=naam;-x": ["y"] * n,
        }
    )
    assert table_to_csv_bytes(table) == _pandas_csv(table)
    assert table_to_csv_bytes(table.iloc[:0]) == _pandas_csv(table.iloc[:0])
    # types pandas formats itself: one column, dates, objects that are not all text
    for other in (
        table[["tekst"]],
        table.assign(datum=pd.Timestamp("2025-10-06 09:12")),
        table.assign(gemengd=pd.Series([1, "x", 2.5, None] * 3 + [True], dtype=object)),
    ):
        assert table_to_csv_bytes(other) == _pandas_csv(other)


#: cells mostly plain (a column is then passed over by the byte checks), now and then with a
#: character that makes a spreadsheet formula or needs CSV quotes, at the start or inside
_CELL = st.one_of(
    st.text(alphabet="abc 1é", max_size=5),
    st.tuples(
        st.sampled_from(["", "=", "+", "-", "@", "\t", "\r", "a"]),
        st.text(alphabet="ab", max_size=3),
        st.sampled_from(["", ",", '"', "\n", "\r", "é", "x", ";=", ';"-', "\t@", "\r\n+"]),
        st.text(alphabet="ab", max_size=3),
    ).map("".join),
    st.none(),
)


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(_CELL, min_size=1, max_size=9),
    least=st.sampled_from([-128, -3, 0, 1, 100, 5000]),
    span=st.sampled_from([0, 4, 300, 4095, 4096]),
    block_rows=st.sampled_from([2, 100_000]),
)
def test_arrow_csv_has_pandas_bytes_for_text_and_whole_numbers(texts, least, span, block_rows):
    # the reference is pandas' writer: the byte checks that pass a column over, and whole numbers
    # numbered from the least rather than hashed (a span too wide is hashed), change no byte
    n = len(texts)
    numbers = [least + (span * i) // max(n - 1, 1) for i in range(n)]
    table = pd.DataFrame(
        {
            "tekst": pd.array(texts, dtype="str"),
            "object": pd.Series(texts, dtype=object),
            "Int64": pd.array([None if i % 3 == 1 else v for i, v in enumerate(numbers)], "Int64"),
            "int": numbers,
        }
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(write, "_PYTHON_ROWS", 0)
        patch.setattr(write, "_CSV_BLOCK_ROWS", block_rows)
        assert table_to_csv_bytes(table) == _pandas_csv(table)


def test_atomic_write_leaves_the_old_file_when_it_fails(tmp_path, monkeypatch):
    target = tmp_path / "summary.csv"
    target.write_bytes(b"old")

    def fail(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(write.os, "replace", fail)
    with pytest.raises(OSError):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["summary.csv"]  # no temporary file left behind


def test_an_atomic_write_takes_its_bytes_whole_or_in_parts(tmp_path):
    write_bytes_atomic(tmp_path / "whole.html", b"<head>js</head>")
    write_bytes_atomic(tmp_path / "parts.html", (b"<head>", b"js", b"</head>"))
    assert (tmp_path / "parts.html").read_bytes() == (tmp_path / "whole.html").read_bytes()
    assert (tmp_path / "parts.html").read_bytes() == b"<head>js</head>"
    assert sorted(os.listdir(tmp_path)) == ["parts.html", "whole.html"]


def test_tables_are_written_twice_identically(tmp_path):
    table = pd.DataFrame({"party": ["a", "b"], "mean": [3.25, float("nan")], "n": [5, 2]})
    first = [p.read_bytes() for p in write_table(table, tmp_path / "one", "summary")]
    second = [p.read_bytes() for p in write_table(table, tmp_path / "two", "summary")]
    assert first == second
    back = pd.read_parquet(tmp_path / "one" / "summary.parquet")
    pd.testing.assert_frame_equal(back, table)


def test_tables_in_python_strings_are_the_same_files_as_in_arrow_strings(tmp_path):
    def table(storage: str) -> pd.DataFrame:
        text = pd.StringDtype(storage, na_value=np.nan)
        return pd.DataFrame(
            {"party": pd.array(["a", None, "=b"], dtype=text), "n": [1, 2, 3]}
        ).astype({"party": text})

    arrow = [p.read_bytes() for p in write_table(table("pyarrow"), tmp_path / "arrow", "t")]
    in_python = table("python")
    python = [p.read_bytes() for p in write_table(in_python, tmp_path / "python", "t")]
    assert python == arrow
    pd.testing.assert_frame_equal(in_python, table("python"))  # the table itself is left be
    assert in_python["party"].dtype.storage == "python"
    back = pd.read_parquet(tmp_path / "python" / "t.parquet")
    safe = table("pyarrow")  # formula-safe, as in the CSV
    safe["party"] = safe["party"].replace("=b", "'=b")
    pd.testing.assert_frame_equal(back, safe)


def test_workbook_text_is_never_a_formula_and_bytes_are_reproducible(tmp_path, formatter):
    tables = {"comments": pd.DataFrame({"text": ["=1+1", "@SUM(A1)", "gewoon"], "n": [1, 2, None]})}
    write_tables_workbook(tables, tmp_path / "a.xlsx")
    write_tables_workbook(tables, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["comments"]
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"  # as in the CSV
    assert sheet["A3"].data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert sheet["B4"].value is None


def test_workbook_keeps_types_and_missing_cells(tmp_path, formatter):
    table = pd.DataFrame(
        {
            "round": ["2025", "2025"],
            "party": pd.Series(["a", None], dtype="str"),
            "n": pd.Series([3, None], dtype="Int8"),
            "mean": [3.25, float("nan")],
            "suppressed": pd.Series([False, None], dtype="boolean"),
        }
    )
    write_tables_workbook({"summary": table, "empty": table.iloc[:0]}, tmp_path / "t.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert workbook.sheetnames == ["summary", "empty"]
    rows = list(workbook["summary"].iter_rows(values_only=True))
    assert rows == [
        ("round", "party", "n", "mean", "suppressed"),
        ("2025", "a", 3, 3.25, False),
        ("2025", None, None, None, None),
    ]
    assert workbook["summary"]["A1"].font.bold
    assert list(workbook["empty"].iter_rows(values_only=True)) == [tuple(table.columns)]


def _folder(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def _contents(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


OLD = {"a.txt": "old a", "b.txt": "old b"}
NEW = {"a.txt": "new a", "c.txt": "new c"}


def test_replaced_together_writes_beside_the_folders_and_swaps_them_in_when_all_are_done(
    tmp_path: Path,
) -> None:
    first = _folder(tmp_path / "processed" / "2025", OLD)
    second = tmp_path / "reports" / "2025"  # no outputs yet
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / ".gitkeep").write_text("", encoding="utf-8")
    with replaced_together([first, second]) as staged:
        assert set(staged) == {first, second}
        for folder, staging in staged.items():
            assert staging.parent == folder.parent  # the same file system: renames are atomic
            assert staging.name.startswith(".staging-")
            assert list(staging.iterdir()) == []
            for name, text in NEW.items():
                (staging / name).write_text(text, encoding="utf-8")
        assert _contents(first) == OLD  # never written in place
        assert not second.exists()
    assert _contents(first) == _contents(second) == NEW
    assert os.listdir(tmp_path / "processed") == ["2025"]  # nothing left beside
    assert sorted(os.listdir(tmp_path / "reports")) == [".gitkeep", "2025"]


def test_replaced_together_keeps_the_old_folders_when_the_block_fails(tmp_path: Path) -> None:
    first = _folder(tmp_path / "processed" / "2025", OLD)
    second = _folder(tmp_path / "reports" / "2025", OLD)
    with pytest.raises(RuntimeError), replaced_together([first, second]) as staged:
        (staged[first] / "a.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    for folder in (first, second):
        assert _contents(folder) == OLD
        assert os.listdir(folder.parent) == ["2025"]


def _replace_and_kill(folders: list[Path], kill_at: int, exchange: bool) -> int:
    """Replace ``folders`` in a forked process that SIGKILLs itself at the ``kill_at``-th change
    of the file system once its block is done: the journal, each rename or exchange, the
    journal's removal, each old folder's removal. Returns its exit code (-9: killed)."""
    pid = os.fork()
    if pid == 0:  # the child: never back into pytest
        code = 1
        try:
            with replaced_together(folders) as staged:
                for staging in staged.values():
                    for name, text in NEW.items():
                        (staging / name).write_text(text, encoding="utf-8")
                steps = [0]

                def counted(function: Callable[..., object]) -> Callable[..., object]:
                    def step(*args: object) -> object:
                        steps[0] += 1
                        if steps[0] == kill_at:
                            os.kill(os.getpid(), signal.SIGKILL)
                        return function(*args)

                    return step

                os.replace = counted(os.replace)  # the journal, by write_bytes_atomic
                Path.rename = counted(Path.rename)
                Path.unlink = counted(Path.unlink)
                write._remove = counted(write._remove)
                write._exchanged = counted(write._exchanged) if exchange else lambda *_: False
            code = 0
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "renamed-aside"])
def test_a_kill_at_any_step_of_the_swap_leaves_each_folder_whole_and_the_next_run_finishes(
    tmp_path: Path, exchange: bool
) -> None:
    if exchange and not _exchange_works(tmp_path):
        pytest.skip("this file system cannot exchange two folders in one step")
    kills = 0
    for kill_at in range(1, 20):
        root = tmp_path / str(kill_at)
        old = [root / "processed" / "2025", root / "reports" / "2025"]
        for folder in old:
            _folder(folder, OLD)
        added = root / "processed" / "2026"  # a round without outputs before
        folders = [*old, added]
        code = _replace_and_kill(folders, kill_at, exchange)
        # at the moment of the kill: each folder its old contents or its new ones, whole; only
        # between two renames (no exchange) is a folder missing, its old contents beside it
        for folder in old:
            if folder.exists():
                assert _contents(folder) in (OLD, NEW), (kill_at, folder)
            else:
                assert not exchange, (kill_at, folder)
                (aside,) = folder.parent.glob(f".previous-*-{folder.name}")
                assert _contents(aside) == OLD
        assert not added.exists() or _contents(added) == NEW
        # what the next run does first: the swaps finished once the journal was written (the
        # first step), else undone; so the folders are replaced together, and nothing is left
        recover_replaced([root / "processed", root / "reports"])
        versions = {folder: _contents(folder) if folder.exists() else None for folder in folders}
        expected = NEW if kill_at > 1 else OLD
        assert versions == {**dict.fromkeys(old, expected), added: NEW if kill_at > 1 else None}
        assert sorted(os.listdir(root / "processed")) == (
            ["2025", "2026"] if kill_at > 1 else ["2025"]
        )
        assert os.listdir(root / "reports") == ["2025"]
        if code == 0:  # not killed: every step was passed
            break
        assert code == -signal.SIGKILL
        kills += 1
    # the journal, the three folders swapped in (two renames each where the two cannot be
    # exchanged, but one for the new folder), the journal's removal, two old folders removed
    assert kills == (7 if exchange else 9)


def _exchange_works(folder: Path) -> bool:
    """Whether two folders in ``folder`` can be exchanged in one step (Linux's renameat2)."""
    first, second = folder / "probe-1", folder / "probe-2"
    first.mkdir()
    second.mkdir()
    try:
        return write._exchanged(first, second)
    finally:
        first.rmdir()
        second.rmdir()


def test_recovery_puts_back_an_old_folder_whose_run_was_killed_between_two_renames(
    tmp_path: Path,
) -> None:
    # no journal: the run had not finished writing, so its staging folders are deleted too
    _folder(tmp_path / ".previous-123-2025", OLD)
    _folder(tmp_path / ".staging-123-2025", {"a.txt": "half"})
    _folder(tmp_path / ".staging-123-2026", {"a.txt": "half"})
    recover_replaced([tmp_path])
    assert os.listdir(tmp_path) == ["2025"]
    assert _contents(tmp_path / "2025") == OLD


def test_recovery_puts_back_the_earlier_schemes_old_folders_of_a_run_killed_while_writing(
    tmp_path: Path,
) -> None:
    # the scheme before staging wrote in place, with the old folder aside as .<name>.previous
    _folder(tmp_path / ".2025.previous", OLD)
    _folder(tmp_path / "2025", {"a.txt": "half"})
    recover_replaced([tmp_path])
    assert os.listdir(tmp_path) == ["2025"]
    assert _contents(tmp_path / "2025") == OLD


def test_recovery_keeps_what_a_run_of_the_earlier_scheme_had_finished(tmp_path: Path) -> None:
    # killed while renaming the old folders .replaced: one is, the other still .previous
    first, second = tmp_path / "processed", tmp_path / "reports"
    for parent, old in ((first, ".2025.replaced"), (second, ".2025.previous")):
        _folder(parent / old, OLD)
        _folder(parent / "2025", NEW)
    recover_replaced([first, second])
    for parent in (first, second):
        assert os.listdir(parent) == ["2025"]
        assert _contents(parent / "2025") == NEW


def test_workbook_cells_read_back_as_they_were_written(tmp_path, formatter):
    long = "x" * 40_000
    texts = ["a\x01b", "cr\rlf\r\n", "_x0041_", "<b>&amp;</b>", "  spaced ", "é€😀", "", None]
    mixed = [1, 1.5, True, "y\x02", None, float("inf"), np.nan, pd.NA]
    table = pd.DataFrame(
        {
            "text": pd.Series(texts, dtype="str"),
            "mixed": pd.Series(mixed, dtype=object),
            "flag": [True, False] * 4,
            "value": [float("-inf"), 0.1, 1e-7, 1e16, np.nan, 1 / 3, 2.0, -3.0],
        }
    )
    path = tmp_path / "t.xlsx"
    write_tables_workbook({"cells": table, "long": pd.DataFrame({"text": [long]})}, path)
    with zipfile.ZipFile(path) as book:  # every part is well-formed XML
        for name in book.namelist():
            ElementTree.fromstring(book.read(name))
    workbook = CalamineWorkbook.from_path(str(path))
    rows = workbook.get_sheet_by_name("cells").to_python()
    assert rows[0] == ["text", "mixed", "flag", "value"]
    # calamine, as Excel, reads the _xHHHH_ escapes back; blanks and NaN are empty cells
    assert [row[0] for row in rows[1:]] == [*texts[:6], "", ""]
    assert [row[1] for row in rows[1:]] == [1.0, 1.5, True, "y\x02", "", "inf", "", ""]
    assert [row[2] for row in rows[1:]] == [True, False] * 4
    assert [row[3] for row in rows[1:]] == ["-inf", 0.1, 1e-7, 1e16, "", 1 / 3, 2.0, -3.0]
    # a cell holds at most 32,767 characters
    assert workbook.get_sheet_by_name("long").to_python()[1] == [long[:32_767]]


def test_short_and_long_tables_are_formatted_to_the_same_bytes(tmp_path, monkeypatch):
    n = len(NASTY_TEXT)
    table = pd.DataFrame(
        {
            "text": pd.array(NASTY_TEXT, dtype="str"),
            "repeated": ["a&b", "<x>", "a&b", "_x0041_", "y\x02"] * 2 + ["", None, "a&b"],
            "zeros": [0.0, -0.0, 1.5, -0.0, np.nan, 1.5, 0.0, 2.0, 1 / 3, -1e-300, 1e22, 3.0, -0.0],
            "Int8": pd.array([1, None, -3, 1, 1, 0, 5, 5, None, 2, 1, 0, 4], dtype="Int8"),
            "flag": pd.array([True, None, False] * 4 + [True], dtype="boolean"),
            "mixed": pd.Series([1, 1.0, True, "x", None, np.nan] * 2 + [pd.NA], dtype=object),
        }
    )
    assert len(table) == n
    in_python = []
    sheet_rows = write._sheet_rows_in_python
    monkeypatch.setattr(
        write,
        "_sheet_rows_in_python",
        lambda block, first: in_python.append(len(block)) or sheet_rows(block, first),
    )
    write_tables_workbook({"t": table}, tmp_path / "python.xlsx")
    short_csv = table_to_csv_bytes(table[["text", "repeated", "zeros", "Int8", "flag"]])
    assert in_python == [n]
    monkeypatch.setattr(write, "_PYTHON_ROWS", 0)
    write_tables_workbook({"t": table}, tmp_path / "arrow.xlsx")
    assert in_python == [n]  # Arrow, this time
    assert (tmp_path / "python.xlsx").read_bytes() == (tmp_path / "arrow.xlsx").read_bytes()
    assert table_to_csv_bytes(table[["text", "repeated", "zeros", "Int8", "flag"]]) == short_csv


def test_workbook_columns_past_z_land_in_their_own_column(tmp_path, formatter):
    assert [write._column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702, 16_383)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD",
    ]  # fmt: skip
    table = pd.DataFrame([list(range(30))], columns=[f"c{i}" for i in range(30)])
    write_tables_workbook({"wide": table}, tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["wide"]
    assert sheet["AD1"].value == "c29" and sheet["AD2"].value == 29
    assert sheet.dimensions == "A1:AD2"
    assert [cell.value for cell in sheet[2]] == list(range(30))
    # a sheet's range: one cell for a table without columns, the header for one without rows
    tables = {"none": pd.DataFrame(index=range(3)), "header": pd.DataFrame(columns=["a", "b"])}
    write_tables_workbook(tables, tmp_path / "u.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "u.xlsx")
    assert workbook["none"].dimensions == "A1:A1" and workbook["none"]["A1"].value is None
    assert workbook["header"].dimensions == "A1:B1"


def test_workbook_writes_in_blocks_and_notes_a_table_too_long_for_it(
    tmp_path, monkeypatch, formatter
):
    monkeypatch.setattr("pipeline.write.SHEET_MAX_ROWS", 5)
    monkeypatch.setattr("pipeline.write._BLOCK_ROWS", 2)
    fits = pd.DataFrame({"n": range(5)})
    too_long = pd.DataFrame({"n": range(6)})
    write_tables_workbook({"fits": fits, "responses": too_long}, tmp_path / "t.xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert [row[0] for row in workbook["fits"].iter_rows(values_only=True)] == ["n", 0, 1, 2, 3, 4]
    note = list(workbook["responses"].iter_rows(values_only=True))
    assert (
        note[0] == ("note",) and "responses.parquet" in note[1][0] and note[1][0].startswith("6 ")
    )
