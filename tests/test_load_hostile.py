"""Hostile or damaged exports (issue 26): each is an InputError naming the file, read in bounds.

A CSV cut off inside a quoted answer, cells of any size, XLSX archives that would inflate past
what any export holds, files that are not workbooks, and paths that are links, pipes or folders.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipeline.errors import InputError, Problem
from pipeline.load import workbook
from pipeline.load.cells import read_cells
from pipeline.load.spss import spss_layout

HEADER = "id;AMB1;toelichting"
#: 14 responses on lines 2 to 15, their answers unquoted
RESPONSES = [f"{number};4;antwoord {number}" for number in range(1, 15)]


def _problem(path: Path, read=read_cells) -> Problem:
    with pytest.raises(InputError) as caught:
        read(path, path.name)
    [problem] = caught.value.problems
    assert problem.file == path.name
    assert problem.hint
    return problem


def _write_csv(path: Path, lines: list[str], end: str = "\n") -> Path:
    path.write_text("\n".join(lines) + end, encoding="utf-8")
    return path


# --- a CSV cut off inside a quoted answer -------------------------------------------------------


def test_a_quote_left_open_names_the_line_it_opens_on_rather_than_losing_the_rest(
    tmp_path: Path,
) -> None:
    # response 7's answer opens a quote that nothing closes: Arrow read responses 7 to 14 as
    # one answer, and the file loaded with 6 of its 14 responses
    lines = [HEADER, *RESPONSES]
    lines[7] = '7;4;"antwoord 7'
    problem = _problem(_write_csv(tmp_path / "lisse.csv", lines))
    assert problem.row == 8  # the line as an editor numbers it
    assert problem.column == "toelichting"
    assert "opens on line 8: the 7 lines after it are read as part of that answer" in (
        problem.message
    )
    assert "cut off" in problem.hint
    assert "export" in problem.hint


def test_a_quote_left_open_in_a_middle_column_is_found_where_pandas_reads_the_file(
    tmp_path: Path,
) -> None:
    # the record that swallows the rest is short, so Arrow refuses it and pandas reads the file
    lines = ["id;toelichting;AMB1", *(f"{n};antwoord {n};4" for n in range(1, 15))]
    lines[5] = '5;"antwoord 5;4'
    problem = _problem(_write_csv(tmp_path / "lisse.csv", lines))
    assert (problem.row, problem.column) == (6, "toelichting")


def test_a_file_cut_off_inside_its_last_answer_names_the_line_the_answer_opens_on(
    tmp_path: Path,
) -> None:
    # a multi-line answer before it: the opening line (17) is not the record number (16)
    lines = [HEADER, '1;4;"regel een', 'regel twee"', *RESPONSES[1:], '15;3;"het eind']
    path = tmp_path / "lisse.csv"
    path.write_text("\n".join(lines) + "\nen nog een regel", encoding="utf-8")  # cut off here
    problem = _problem(path)
    assert problem.row == 17
    assert "opens on line 17: the line after it is read" in problem.message


def test_a_quote_left_open_is_found_when_a_stray_quote_makes_the_count_even(
    tmp_path: Path,
) -> None:
    # the 5" in an unquoted answer is a plain character, and makes the number of quotes even
    lines = [HEADER, *RESPONSES]
    lines[3] = '3;4;een 5" scherm'
    lines[9] = '9;4;"antwoord 9'
    assert sum(line.count('"') for line in lines) % 2 == 0
    problem = _problem(_write_csv(tmp_path / "lisse.csv", lines))
    assert (problem.row, problem.column) == (10, "toelichting")


@pytest.mark.parametrize(
    "last",
    ['15;4;"regel een\nregel twee"', '15;4;een 5" scherm', '15;4;"zei ""ja"""'],
    ids=["a last answer on two lines", "a stray quote", "doubled quotes"],
)
def test_quotes_that_close_and_stray_quotes_load_every_row(tmp_path: Path, last: str) -> None:
    lines = [HEADER, *RESPONSES, last]
    for end in ("\n", ""):
        grid = read_cells(_write_csv(tmp_path / "lisse.csv", lines, end), "lisse.csv")
        assert len(grid) == 16
        assert grid.iloc[-1, 0] == "15"


# --- cells of any size --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [200 * 1024, 3 * 2**20], ids=["200 KiB", "3 MiB"])
def test_a_cell_of_any_size_loads_with_every_row(tmp_path: Path, size: int) -> None:
    # over the csv module's 128 KiB field limit, and (3 MiB) over Arrow's block of 1 MB; the
    # long answer is in the first records, which the separator is sniffed from
    answer = ("lang antwoord " * (size // 14 + 1))[:size].strip()
    lines = ["id,AMB1,toelichting", f'1,4,"{answer}"', "2,5,kort", "3,2,"]
    grid = read_cells(_write_csv(tmp_path / "lisse.csv", lines), "lisse.csv")
    assert grid.shape == (4, 3)
    assert grid[2].tolist() == ["toelichting", answer, "kort", ""]
    assert grid[1].tolist() == ["AMB1", "4", "5", "2"]


# --- XLSX archives, checked before they are read --------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELATIONS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="{kind}" Target="{target}"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


def _write_workbook(
    path: Path, dimension: str | None, rows: int = 0, row: bytes = b"<row><c><v>4</v></c></row>"
) -> Path:
    """A workbook of one sheet: a header cell, then ``rows`` copies of ``row``.

    The sheet is streamed into the archive in blocks, so a sheet that inflates to many MB is
    never held whole in memory.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            _RELATIONS.format(kind=f"{_RELATIONSHIPS}/officeDocument", target="xl/workbook.xml"),
        )
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            _RELATIONS.format(kind=f"{_RELATIONSHIPS}/worksheet", target="worksheets/sheet1.xml"),
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
                b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension is not None:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(
                b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>AMB1</t></is></c></row>'
            )
            block = 10_000
            for start in range(0, rows, block):
                sheet.write(row * min(block, rows - start))
            sheet.write(b"</sheetData></worksheet>")
    return path


def test_a_sheet_that_inflates_a_hundred_times_its_size_is_refused_unread(tmp_path: Path) -> None:
    # a million tiny rows: 26 MB of XML in 64 KB; calamine would make a million-row grid
    path = _write_workbook(tmp_path / "hillegom.xlsx", None, rows=1_000_000)
    assert path.stat().st_size < 200_000
    problem = _problem(path)
    assert "xl/worksheets/sheet1.xml" in problem.message
    assert "100 times" in problem.message


def test_a_part_larger_than_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # numbered rows compress as real sheets do (10x); the limit lowered to keep the test small
    monkeypatch.setattr(workbook, "_MAX_PART_BYTES", 2**20)
    row_of = (f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 60_000))
    path = tmp_path / "hillegom.xlsx"
    _write_workbook(path, None, rows=1, row="".join(row_of).encode())
    problem = _problem(path)
    assert "xl/worksheets/sheet1.xml" in problem.message
    assert "1 MiB" in problem.message


@pytest.mark.parametrize(
    ("dimension", "words"),
    [("A1:B21000000", "21,000,000 rows"), ("A1:ZZ1000000", "702,000,000 cells")],
)
def test_a_sheet_whose_dimension_is_beyond_any_export_is_refused_unread(
    tmp_path: Path, dimension: str, words: str
) -> None:
    path = _write_workbook(tmp_path / "hillegom.xlsx", dimension, rows=2)
    problem = _problem(path)
    assert dimension in problem.message
    assert words in problem.message
    assert f"{workbook._MAX_SHEET_ROWS:,}" in problem.message or (
        f"{workbook._MAX_SHEET_CELLS:,}" in problem.message
    )


def test_workbooks_within_the_limits_load(tmp_path: Path) -> None:
    built = _write_workbook(tmp_path / "built.xlsx", "A1:A3", rows=2)
    assert read_cells(built, "built.xlsx")[0].tolist() == ["AMB1", "4", "4"]
    workbook = openpyxl.Workbook()
    for row in (["AMB1", "AMB2"], [4, 5], [3, None]):
        workbook.active.append(row)
    workbook.save(tmp_path / "saved.xlsx")
    assert read_cells(tmp_path / "saved.xlsx", "saved.xlsx").to_numpy().tolist() == [
        ["AMB1", "AMB2"],
        ["4", "5"],
        ["3", ""],
    ]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"AMB1;AMB2\n4;5\n", ".csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "password"),
        (b"%PDF-1.4\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200), "cut off"),
    ],
    ids=["csv text", "encrypted or old excel", "pdf", "a zip cut off"],
)
def test_an_xlsx_that_is_no_zip_archive_says_what_it_is(
    tmp_path: Path, data: bytes, words: str
) -> None:
    path = tmp_path / "hillegom.xlsx"
    path.write_bytes(data)
    problem = _problem(path)
    assert "not" in problem.message
    assert "Error" not in problem.message  # no exception names from the libraries
    assert words in problem.message + problem.hint


# --- links, pipes and folders -------------------------------------------------------------------

SECRET = "root:x:0:0:geheime regel"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".sav"])
def test_a_symbolic_link_is_refused_and_never_followed(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / "elders" / f"passwd{suffix}"
    target.parent.mkdir()
    target.write_text(f"{SECRET}\n{SECRET}\n", encoding="utf-8")
    link = tmp_path / f"lisse{suffix}"
    link.symlink_to(target)
    problem = _problem(link, spss_layout if suffix == ".sav" else read_cells)
    assert "symbolic link" in problem.message
    assert "copy the export itself" in problem.hint
    assert SECRET not in str(problem)
    assert str(target) not in str(problem)


@pytest.mark.parametrize("suffix", [".csv", ".sav"])
def test_a_named_pipe_is_refused_without_opening_it(tmp_path: Path, suffix: str) -> None:
    # opened, a pipe with no writer would block the read for ever
    pipe = tmp_path / f"lisse{suffix}"
    os.mkfifo(pipe)
    problem = _problem(pipe, spss_layout if suffix == ".sav" else read_cells)
    assert "named pipe" in problem.message


def test_a_folder_named_like_an_export_is_refused(tmp_path: Path) -> None:
    (tmp_path / "lisse.csv").mkdir()
    assert "folder" in _problem(tmp_path / "lisse.csv").message
