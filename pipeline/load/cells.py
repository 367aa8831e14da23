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
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from python_calamine import CalamineWorkbook

from pipeline.config import CSV_SUFFIXES, XLSX_SUFFIXES
from pipeline.errors import InputError

__all__ = [
    "cell_text",
    "distinct_text",
    "filled",
    "numbers",
    "read_cells",
    "text_bytes",
    "text_columns",
]

_DELIMITERS = (",", ";", "\t")
#: pandas' text type, whose Arrow data (large strings) the readers hand over without a copy.
_TEXT = pd.api.types.pandas_dtype("str")
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
    try:
        return text_columns(_read_csv_arrow(text, delimiter, width))
    except pa.ArrowInvalid:  # ragged rows, blank lines, a row wider than the sample
        pass
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


def _read_csv_arrow(text: str, delimiter: str, width: int) -> pd.DataFrame:
    """A CSV whose every record has ``width`` cells, as text, read by Arrow's CSV parser.

    Several times faster than pandas' parser on a large export, and gives the same cells; any
    other file (rows of other widths, blank lines) raises ``ArrowInvalid`` and is read by
    pandas, which pads short rows and measures wide ones.
    """
    names = [str(number) for number in range(width)]
    table = pacsv.read_csv(
        pa.py_buffer(text.encode("utf-8")),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_string()),  # pandas' own Arrow type
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return pd.DataFrame(
        {number: _TEXT.__from_arrow__(column) for number, column in enumerate(table.columns)}
    )


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
    sample = "\n".join(_first_lines(text, _SAMPLE_RECORDS))
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


def _first_lines(text: str, count: int) -> list[str]:
    """``text.splitlines()[:count]`` without splitting the rest of a large file."""
    size = 1 << 16
    while True:
        lines = text[:size].splitlines()
        if len(lines) > count or size >= len(text):  # line ``count`` ends inside the prefix
            return lines[:count]
        size *= 4


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
    # column by column straight from calamine's rows (a frame of objects first costs a copy)
    width = max(len(row) for row in rows)
    rows = [row if len(row) == width else [*row, *[""] * (width - len(row))] for row in rows]
    return pd.DataFrame(
        {
            number: _cell_texts(np.array(cells, dtype=object))
            for number, cells in enumerate(zip(*rows, strict=True))
        }
    )


def text_columns(raw: pd.DataFrame) -> pd.DataFrame:
    """Cells of any type as the text a CSV would hold (stripped; blank ``""``).

    Text columns (a CSV's) stay pandas strings, stripped by Arrow; columns of other types (a
    workbook's) are converted once per distinct value, into pandas strings.
    """
    columns = {}
    for label, column in raw.items():
        if _is_arrow_text(column):
            text = _arrow(column)
            if not text.null_count and not any(map(_may_have_edge_space, text.chunks)):
                columns[label] = column.array  # nothing to strip: most answer columns
                continue
            stripped = pc.utf8_trim_whitespace(text)
            if stripped.null_count:  # checked first: fill_null costs more than the strip
                stripped = stripped.fill_null("")
            columns[label] = column.dtype.__from_arrow__(stripped)
        elif isinstance(column.dtype, pd.StringDtype):  # Python strings: a small run's
            cells = column.to_numpy(dtype=object, na_value="")
            columns[label] = pd.array([cell.strip() for cell in cells], dtype=column.dtype)
        else:
            columns[label] = _cell_texts(column.to_numpy(object))
    return pd.DataFrame(columns, index=raw.index)


def _may_have_edge_space(chunk: pa.Array) -> bool:
    """Whether a chunk of large strings may start or end with whitespace.

    Read from the Arrow buffers: a control character, space or non-ASCII byte (Unicode spaces
    are non-ASCII) at a text's start or end says "maybe", and the column is stripped. A column
    of answer codes has no such byte at all, which is checked first, at a fraction of the
    cost of looking up each text's ends. Such columns are left as they are, which spares a
    copy of every text.
    """
    if chunk.type != pa.large_string():
        return True
    text, ends = text_bytes(chunk)
    if ends[-1] == ends[0]:  # every text is empty
        return False
    if not _spacey(text[ends[0] : ends[-1]]).any():
        return False
    starts, ends = ends[:-1], ends[1:]
    filled = ends > starts
    return bool(_spacey(text[starts[filled]]).any() or _spacey(text[ends[filled] - 1]).any())


def text_bytes(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A large-string array's data buffer as bytes, and its texts' bounds in it (n + 1 offsets).

    For looking at the bytes of a whole column at once, without making its texts.
    """
    _, offsets, data = text.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int64)[text.offset : text.offset + len(text) + 1]
    return np.frombuffer(data, dtype=np.uint8) if data else np.zeros(0, np.uint8), bounds


def _spacey(text: np.ndarray) -> np.ndarray:
    """Bytes that may be (part of) whitespace: control characters, space, non-ASCII."""
    return (text <= 0x20) | (text >= 0x7F)


def _cell_texts(cells: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Cells of any Python type as pandas strings, converted once per distinct value."""
    codes, texts = _distinct_cells(cells)
    text = pa.array(texts, type=pa.large_string()).take(codes)  # pandas' own Arrow type
    return _TEXT.__from_arrow__(text)


def distinct_text(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Each cell's distinct value as a number, and the distinct values as text (:func:`cell_text`).

    The last text is ``""``, the code of missing cells too. The loader looks at distinct values
    only and gets rows back by indexing with the codes, so an export of a million rows costs
    one hashing pass per column, not a million Python calls.
    """
    if _is_arrow_text(column):
        encoded = _arrow(column).combine_chunks().dictionary_encode()
        uniques = encoded.dictionary.to_pylist()
        indices = encoded.indices
        if indices.null_count:
            indices = indices.fill_null(len(uniques))
        return indices.to_numpy(), [*(text.strip() for text in uniques), ""]
    return _distinct_cells(column.to_numpy(object))


def _distinct_cells(cells: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """:func:`distinct_text` of cells of any Python type (a workbook's, an SPSS file's)."""
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    # most distinct cells are text (names, e-mail, labels): skip cell_text's type checks
    texts = [value.strip() if type(value) is str else cell_text(value) for value in uniques]
    texts.append("")
    return np.where(codes < 0, len(uniques), codes), texts


def filled(column: pd.Series) -> np.ndarray:
    """Where a column of text cells (as :func:`read_cells` gives them) is not blank."""
    if _is_arrow_text(column):
        lengths = pc.binary_length(_arrow(column)).to_numpy()  # a missing cell's is NaN
        return lengths > 0
    return column.to_numpy(dtype=object, na_value="") != ""


def numbers(column: pd.Series) -> pd.Series:
    """Text cells as numbers (``Float64``), a decimal comma read as a point.

    NA where a cell is blank or not a number.
    """
    text = column.astype(str).str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text.replace("", np.nan), errors="coerce").astype("Float64")


def _is_arrow_text(column: pd.Series) -> bool:
    return isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow"


def _arrow(column: pd.Series) -> pa.ChunkedArray:
    """The Arrow data of a pandas string column, without a copy.

    Arrow's kernels skip pandas' per-call overhead, which is most of the cost on the many small
    columns of an export.
    """
    data = column.array.__arrow_array__()
    return data if isinstance(data, pa.ChunkedArray) else pa.chunked_array([data])


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
