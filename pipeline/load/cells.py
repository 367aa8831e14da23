"""Read an export file (CSV, TSV or XLSX) into a grid of text cells, the way a user sees it.

Every cell is text, blank cells are ``""``; the index is the row number in the file minus one
(so a spreadsheet's row 4 has index 3), the columns are numbered from 0. Header rows are not
interpreted here: that is the tool modules' work. SPSS ``.sav`` files are read by
:mod:`pipeline.load.spss`. Raw files are only read, never written.

A damaged or hostile file is an :class:`~pipeline.errors.InputError`, found before it costs
more than reading it: a path that is a link, pipe or folder is not opened, a CSV that ends
inside a quoted answer is named with the line the answer opens on, and an XLSX archive is
checked against limits no real export reaches before its sheet is read.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import itertools
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from python_calamine import CalamineWorkbook

from pipeline.config import (
    CSV_SUFFIXES,
    XLSX_SUFFIXES,
    special_file_kind,
    special_file_problem,
)
from pipeline.errors import InputError
from pipeline.load.workbook import FILE_KINDS, check_workbook

__all__ = [
    "cell_text",
    "check_regular_file",
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

#: The csv module's limit on one cell while this module reads a CSV: a cell may be as long as
#: the file (the module's default, 128 KiB, refused a long open answer). 2**31 - 1 is the
#: largest the module takes on every platform (a C long).
_FIELD_SIZE = 2**31 - 1
#: A line put after a CSV's last when looking for a quote left open: a record of its own when
#: every quote is closed, part of the open answer when one is not. Private-use characters,
#: which no export holds.
_END_OF_FILE = "\ue000collab-eval: end of file\ue000"


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
        When the file is missing, empty, not a regular file (a link is not followed, a pipe not
        opened), binary where text is expected, cut off inside a quoted answer, an XLSX archive
        beyond the limits of any export (:func:`_check_workbook`), or unreadable.
    """
    data = _read_regular_file(path, name)
    if not data.strip():
        raise InputError.single(
            "the file is empty",
            file=name,
            hint="export the responses again from the survey tool, or remove the file",
        )
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        check_workbook(data, suffix, name)
        return _read_workbook(path, name)
    if suffix in CSV_SUFFIXES:
        return _read_csv(data, name)
    raise InputError.single(
        f"files of type {suffix!r} cannot be read",
        file=name,
        hint="export the responses as CSV, XLSX or SPSS .sav",
    )


def check_regular_file(path: Path, name: str) -> None:
    """Refuse a path that is not a regular file, looked at with ``lstat`` only.

    A symbolic link is not followed: its target may be any file of the system, whose lines a
    message about its "columns" would show. A named pipe or device is not opened: a pipe
    without a writer blocks a read for ever.

    Parameters
    ----------
    path
        The export.
    name
        How messages name the file.

    Raises
    ------
    InputError
        When nothing is there, or it is a link, folder, pipe, device or socket.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        raise InputError.single(
            "the file does not exist", file=name, hint="check the path"
        ) from None
    except OSError as error:
        raise InputError.single(
            f"cannot be looked at ({error.strerror})",
            file=name,
            hint="check that the folder can be read, or copy the export into it anew",
        ) from None
    kind = special_file_kind(mode)
    if kind is not None:
        raise InputError([special_file_problem(kind, name)])


def _read_regular_file(path: Path, name: str) -> bytes:
    """The bytes of a regular file (:func:`check_regular_file`).

    Opened without following a link and without waiting on a pipe, and checked again once
    open, so that an entry swapped for a link or pipe after the check is refused too.
    """
    check_regular_file(path, name)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputError([special_file_problem("a symbolic link", name)]) from None
        raise InputError.single(
            f"cannot be opened ({error.strerror})",
            file=name,
            hint="check that you may read the file, or copy the export into the folder anew",
        ) from None
    with open(descriptor, "rb") as handle:
        kind = special_file_kind(os.fstat(handle.fileno()).st_mode)
        if kind is not None:
            raise InputError([special_file_problem(kind, name)])
        return handle.read()


def _read_csv(data: bytes, name: str) -> pd.DataFrame:
    """A CSV's cells: by Arrow's parser where every record is as wide, else by pandas'.

    A quote that nothing closes makes the rest of the file one answer, in either parser, and
    is looked for (:func:`_check_quotes_closed`) only where a cheap sign says it may be there:
    an odd number of quotes (a file whose quotes all close has an even number, unless an
    unquoted answer holds one), or a last record with a line break in a cell (the rest of the
    file is in it).
    """
    text = _decode(data, name)
    delimiter, width = _dialect(text)
    quotes_even = text.count('"') % 2 == 0
    if not quotes_even:
        _check_quotes_closed(text, delimiter, name)
    try:
        table = _read_csv_arrow(text, delimiter, width)
    except pa.ArrowInvalid:  # ragged rows, blank lines, a row wider than the sample, a huge cell
        table = _read_csv_pandas(text, delimiter, width, name)
    if quotes_even and _spans_lines(table.iloc[-1].tolist() if len(table) else []):
        _check_quotes_closed(text, delimiter, name)
    return text_columns(table)


def _read_csv_pandas(text: str, delimiter: str, width: int, name: str) -> pd.DataFrame:
    """A CSV's cells by pandas' parser, which pads short rows and measures wide ones."""
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
            return pd.read_csv(io.StringIO(text), names=range(width), **options)
        except pd.errors.ParserError:  # a row further down is wider than the sample: measure all
            with _cells_of_any_size():
                rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
                width = max(len(row) for row in rows)
            return pd.read_csv(io.StringIO(text), names=range(width), **options)
    except (pd.errors.ParserError, csv.Error) as error:
        _check_quotes_closed(text, delimiter, name)  # the clearer message, when that is it
        raise InputError.single(
            f"cannot be read as CSV with separator {delimiter!r}: {error}",
            file=name,
            hint="check the line named: a separator or a line break inside an answer needs "
            "quotes around the answer",
        ) from None


def _spans_lines(cells: list[object]) -> bool:
    """Whether any of these cells holds a line break."""
    return any(isinstance(cell, str) and ("\n" in cell or "\r" in cell) for cell in cells)


def _check_quotes_closed(text: str, delimiter: str, name: str) -> None:
    """Refuse a CSV that ends inside a quoted answer, naming the line the answer opens on.

    Every line after such a quote is read as part of one answer: the file was cut off in the
    middle of an answer, or a quote inside an answer was not doubled. The csv module reads
    quotes as Arrow and pandas do (a quote opens an answer only at its start); the text is
    read record by record, which is why :func:`_read_csv` calls this only on a sign of an open
    quote. A marker line after the text is a record of its own when every quote is closed.

    Raises
    ------
    InputError
        With the line (``row``) and column where the open answer starts.
    """
    lines = itertools.chain(io.StringIO(text, newline=""), [_END_OF_FILE])
    reader = csv.reader(lines, delimiter=delimiter)
    header: list[str] = []
    record: list[str] = []
    try:
        with _cells_of_any_size():
            for number, record in enumerate(reader):
                if number == 0:
                    header = record
    except csv.Error:  # a file the csv module cannot read: the parsers' own errors stand
        return
    if record == [_END_OF_FILE] or not record or not record[-1].endswith(_END_OF_FILE):
        return
    # the answer holds every line break from the one ending its first line to the file's end
    line = _line_breaks(text) - _line_breaks(record[-1]) + 1
    after = _line_breaks(text) + (not text.endswith(("\n", "\r"))) - line  # lines after it
    field = len(record) - 1
    column = header[field].strip() if record is not header and field < len(header) else ""
    rest = {0: "", 1: ": the line after it is read as part of that answer"}.get(
        after, f": the {after:,} lines after it are read as part of that answer"
    )
    raise InputError.single(
        f"the file ends inside a quoted answer that opens on line {line}{rest}",
        file=name,
        row=line,
        column=column or None,
        hint="the file was cut off, or a quote inside an answer is not doubled: export the "
        'responses again from the survey tool (a quote inside quotes is written "")',
    )


def _line_breaks(text: str) -> int:
    """How many line breaks a text holds, as an editor counts them (CR LF, LF or CR)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


@contextlib.contextmanager
def _cells_of_any_size() -> Iterator[None]:
    """The csv module without its limit on a cell's size (:data:`_FIELD_SIZE`), then as it was."""
    previous = csv.field_size_limit(_FIELD_SIZE)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


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
    kind = next((what for magic, what in FILE_KINDS.items() if data.startswith(magic)), None)
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
            with warnings.catch_warnings(), _cells_of_any_size():
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
