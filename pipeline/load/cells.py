"""Read an export file (CSV, TSV or XLSX) into a grid of text cells, the way a user sees it.

Every cell is text, blank cells are ``""``; the index is the row number in the file minus one
(so a spreadsheet's row 4 has index 3), the columns are numbered from 0. Header rows are not
interpreted here: that is the tool modules' work. SPSS ``.sav`` files are read by
:mod:`pipeline.load.spss`. Raw files are only read, never written.
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from pipeline.errors import InputError

__all__ = ["CSV_SUFFIXES", "XLSX_SUFFIXES", "cell_text", "read_cells", "text_columns"]

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_DELIMITERS = (",", ";", "\t")
_SAMPLE_RECORDS = 50
_MAGIC = {
    b"PK\x03\x04": "an Excel workbook (.xlsx)",
    b"$FL2": "an SPSS data file (.sav)",
    b"$FL3": "an SPSS data file (.sav)",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
    b"%PDF": "a PDF document",
}


def read_cells(path: Path, name: str) -> pd.DataFrame:
    """Every cell of a CSV or of a workbook's first sheet as text.

    Parameters
    ----------
    path
        The export.
    name
        How messages name the file.

    Returns
    -------
    pandas.DataFrame
        Text cells, stripped (blank: ``""``), index = row number - 1, columns numbered from 0.

    Raises
    ------
    InputError
        When the file is missing, empty, binary where text is expected, or unreadable.
    """
    if not path.is_file():
        raise InputError.single("the file does not exist", file=name, hint="check the path")
    data = path.read_bytes()
    if not data.strip():
        raise InputError.single(
            "the file is empty",
            file=name,
            hint="export the responses again from the survey tool, or remove the file",
        )
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _read_workbook(path, name)
    if suffix in CSV_SUFFIXES:
        return _read_csv(data, name)
    raise InputError.single(
        f"files of type {suffix!r} cannot be read",
        file=name,
        hint="export the responses as CSV, XLSX or SPSS .sav",
    )


def _read_csv(data: bytes, name: str) -> pd.DataFrame:
    text = _decode(data, name)
    delimiter, width = _dialect(text)
    options = {
        "sep": delimiter,
        "header": None,
        "dtype": str,
        "keep_default_na": False,
        "na_filter": False,
        "skip_blank_lines": False,
        "index_col": False,
    }
    try:
        try:
            table = pd.read_csv(io.StringIO(text), names=range(width), **options)
        except pd.errors.ParserError:  # a row further down is wider than the sample: measure all
            width = max(len(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter))
            table = pd.read_csv(io.StringIO(text), names=range(width), **options)
    except (pd.errors.ParserError, csv.Error) as error:
        raise InputError.single(
            f"cannot be read as CSV with separator {delimiter!r}: {error}",
            file=name,
            hint="check the line named: a separator or a line break inside an answer needs "
            "quotes around the answer",
        ) from None
    return text_columns(table)


def _decode(data: bytes, name: str) -> str:
    """Text of a CSV: UTF-8 (with or without BOM), UTF-16 with BOM (Qualtrics TSV) or cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data[:65536]:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
    kind = next((what for magic, what in _MAGIC.items() if data.startswith(magic)), None)
    raise InputError.single(
        "holds binary data, not CSV text" + (f"; it looks like {kind}" if kind else ""),
        file=name,
        hint="give the file the extension of what it is (.xlsx, .sav), or export the responses "
        "as CSV again",
    )


def _dialect(text: str) -> tuple[str, int]:
    """The separator that splits the first records most consistently, and their widest count."""
    sample = "\n".join(text.splitlines()[:_SAMPLE_RECORDS])
    best: tuple[tuple[int, int], str, int] | None = None
    for delimiter in _DELIMITERS:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rows = [row for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if row]
        except csv.Error:
            continue
        if not rows:
            continue
        first = len(rows[0])
        consistent = sum(len(row) in (first, first + 1) for row in rows) if first > 1 else 0
        score = (consistent, first)
        width = max(len(row) for row in rows)
        if best is None or score > best[0]:
            best = (score, delimiter, width)
    if best is None:
        return ",", 1
    return best[1], best[2]


def _read_workbook(path: Path, name: str) -> pd.DataFrame:
    """The first sheet through python-calamine, from cell A1 (so row numbers stay those of Excel).

    python-calamine is used directly rather than through ``pd.read_excel``, which converts
    every cell in Python: for a 100,000-row export that is most of the time spent.
    """
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises several types for corrupt files
        raise InputError.single(
            f"cannot be read as an Excel workbook ({type(error).__name__}: {error})",
            file=name,
            hint="open it in Excel or LibreOffice and save it again as .xlsx, or export it anew",
        ) from None
    if not any(cell != "" for row in rows for cell in row):  # stops at the first filled cell
        raise InputError.single(
            "the workbook's first sheet is empty",
            file=name,
            hint="put the responses on the first sheet, one row per respondent under the header",
        )
    return text_columns(pd.DataFrame(rows, dtype=object))


def text_columns(raw: pd.DataFrame) -> pd.DataFrame:
    """Cells of any type as the text a CSV would hold (stripped; blank ``""``).

    Text columns (a CSV's) stay pandas strings, stripped in one vectorised pass; columns of
    other types (a workbook's) are converted once per distinct value, into pandas strings.
    """
    columns = {}
    for label in raw.columns:
        column = raw[label]
        if isinstance(column.dtype, pd.StringDtype):
            stripped = column.str.strip()
            columns[label] = stripped.fillna("") if stripped.hasnans else stripped
        else:
            codes, texts = distinct_text(column)
            text = pd.Series(texts, dtype="str")  # pandas strings: later passes are vectorised
            columns[label] = pd.Series(text.array.take(codes), index=raw.index)
    return pd.DataFrame(columns, index=raw.index)


def distinct_text(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each cell's distinct value as a number, and the distinct values as text (:func:`cell_text`).

    The last text is ``""``, the code of missing cells too. The loader looks at distinct values
    only and gets rows back by indexing with the codes, so an export of a million rows costs
    one hashing pass per column, not a million Python calls.
    """
    if isinstance(column.dtype, pd.StringDtype):
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        texts = [text.strip() for text in uniques.tolist()]
    else:
        codes, uniques = pd.factorize(column.to_numpy(object), use_na_sentinel=True)
        texts = [cell_text(value) for value in uniques]
    texts.append("")
    return np.where(codes < 0, len(uniques), codes), texts


def cell_text(value: object) -> str:
    """A workbook or SPSS cell as text: whole numbers without ``.0``, times in ISO form."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ")
    return str(value).strip()
