"""Writers: processed tables as CSV and Parquet, workbooks and text, all byte-reproducible.

Every writer goes through :func:`write_bytes_atomic`, so a run that fails halfway leaves the
previous file as it was, and every writer pins what would otherwise vary between runs (zip entry
times in XLSX, document properties, row order).

A run's folders (``data/processed/<round>``, ``reports/<round>``) are never written in place:
:func:`replaced_together` has them written into staging folders beside them and swaps each in
whole once every one is complete, so that a folder holds its previous complete outputs or its
new ones whenever the run is killed, and a killed run's leftovers are finished or undone by the
next. Why folders swapped by rename rather than a link per round: see that function.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import errno
import io
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.load.cells import text_bytes

if TYPE_CHECKING:  # only the example's builders hand in openpyxl workbooks
    import openpyxl

__all__ = [
    "FIXED_TIMESTAMP",
    "SHEET_MAX_ROWS",
    "formula_safe",
    "recover_replaced",
    "replaced_together",
    "table_to_csv_bytes",
    "workbook_bytes",
    "write_bytes_atomic",
    "write_table",
    "write_tables_workbook",
]

#: The date written into every workbook and zip entry, so that reruns give identical bytes.
FIXED_TIMESTAMP = dt.datetime(2000, 1, 1, 0, 0, 0)

#: What a spreadsheet runs as a formula at the start of a text (OWASP's list for CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Where a spreadsheet that splits text on them starts a new cell inside a text: a Dutch one
#: opening a CSV splits on ";", an import or a paste on tabs, every one on line ends. Not the
#: comma: a field holding one is quoted, and a spreadsheet that splits on ";" keeps it whole.
_CELL_BREAKS = ";\t\r\n"
#: A text a spreadsheet may run (:func:`formula_safe`): = + - @ tab or CR at its start, or one
#: of = + - @ after a cell break (quotes between, which would open a quoted cell).
_FORMULA_RISK = r'^[=+\-@\t\r]|[;\t\r\n]"*[=+\-@]'
#: The rewrites that make such text inert, in this order: an apostrophe before each = + - @ that
#: starts a cell, then before a tab or CR that starts the text (Arrow's RE2 and Python's re).
_FORMULA_REWRITES = ((r'(^|[;\t\r\n]"*)([=+\-@])', r"\1'\2"), (r"^([\t\r])", r"'\1"))
_FORMULA_RISK_RE = re.compile(_FORMULA_RISK)
_FORMULA_REWRITES_RE = [(re.compile(find), rewrite) for find, rewrite in _FORMULA_REWRITES]
#: The characters for which a CSV field is quoted (RFC 4180): the separator, the quote and the
#: line breaks, CR too (Python's csv writer, and pandas', leave a CR unquoted with "\n" line
#: ends, and a reader takes it for the end of the row).
_CSV_SPECIAL_CHARACTERS = ',"\r\n'
_CSV_SPECIAL = f"[{_CSV_SPECIAL_CHARACTERS}]"
_CSV_SPECIAL_RE = re.compile(_CSV_SPECIAL)
#: The first bytes of text a spreadsheet would run, as a look-up table of the 256 byte values
#: (UTF-8 holds an ASCII character's byte nowhere else).
_FORMULA_FIRST_BYTES = np.isin(np.arange(256), [ord(c) for c in _FORMULA_STARTS])
#: A column of whole numbers spanning fewer than this is formatted by their offsets from the
#: least (:func:`_whole_number_codes`) rather than hashed.
_LOOKUP_SPAN = 4096
#: Rows formatted at a time: the Arrow text of a block's cells is several times its CSV.
_CSV_BLOCK_ROWS = 100_000
#: A table of at most this many rows (a sheet's block, for a workbook) is formatted in Python,
#: cell by cell; a longer one by Arrow, a column at a time. An Arrow call costs tens of
#: microseconds whatever its length, and a column takes ten or so: the example's tables (at most
#: 1,435 rows) are formatted twice as fast in Python, and from about 1,000 rows Arrow is faster.
_PYTHON_ROWS = 1_000
#: pandas' default text type, Arrow-backed (a run may keep its text in Python strings instead)
_ARROW_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_bytes_atomic(path: Path, data: bytes | Sequence[bytes]) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    ``data`` may come in parts (a sequence of bytes), written one after another.
    """
    with _atomic(path) as temporary, temporary.open("wb") as file:
        if isinstance(data, bytes):
            file.write(data)
        else:
            file.writelines(data)


@contextmanager
def _atomic(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write; renamed to ``path`` when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    """Serialise an openpyxl workbook with fixed properties and zip entry times.

    openpyxl stamps the current time into ``docProps/core.xml`` and into every zip entry;
    both are pinned here so that the same content always gives the same bytes.
    """
    workbook.properties.created = FIXED_TIMESTAMP
    workbook.properties.modified = FIXED_TIMESTAMP
    workbook.properties.creator = "collab-eval"
    workbook.properties.lastModifiedBy = "collab-eval"
    raw = io.BytesIO()
    workbook.save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _pin_core_dates(data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()


def _pin_core_dates(core_xml: bytes) -> bytes:
    """Openpyxl writes the save time as ``dcterms:modified`` whatever the property says."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
        rb"\g<1>" + stamp + rb"\g<2>",
        core_xml,
    )


def formula_safe(value: object) -> object:
    r"""Text made inert for a spreadsheet: an apostrophe before every cell start it would run.

    The rule every writer of this module applies to text cells and column names alike (CSV,
    Parquet and the workbook, so that the three hold the same text, and a workbook saved again
    as CSV gives no formula either). A cell starts at the start of the text and, in a
    spreadsheet that splits text on them, after a ``;`` (a Dutch one opening a CSV), a tab, a
    CR or an LF; quotes may come between, as they would open a quoted cell. An apostrophe
    goes before each ``=``, ``+``, ``-`` or ``@`` that starts a cell, and before a tab or a CR
    that starts the text (OWASP's advice for CSV injection): ``x;=1+1`` becomes ``x;'=1+1``,
    ``-2`` ``'-2``, and ``\t=1`` ``'\t'=1``. A spreadsheet takes a cell that starts with an
    apostrophe as text. After a comma nothing is added: a CSV field holding one is
    quoted, and a spreadsheet that splits on ``;`` keeps the comma in its cell. Only text is
    guarded: a number (``-1.5``, an answer code ``-2`` in a number column) stays a number.

    Parameters
    ----------
    value
        A cell or a column name; anything but a ``str`` is returned as it is.

    Returns
    -------
    object
        The text with its apostrophes, or ``value`` itself.
    """
    if isinstance(value, str) and _FORMULA_RISK_RE.search(value):
        for find, rewrite in _FORMULA_REWRITES_RE:
            value = find.sub(rewrite, value)
    return value


def table_to_csv_bytes(table: pd.DataFrame) -> bytes:
    r"""A table as UTF-8 CSV: dot decimal, floats in their shortest exact form, formula-safe text.

    Every text cell and column name goes through :func:`formula_safe`; numbers are never
    guarded. A field that holds a comma, a quote, a CR or an LF is quoted, its quotes doubled
    (RFC 4180), and lines end in LF. The bytes are those of pandas' ``to_csv(index=False)``
    after :func:`formula_safe`, but for a CR: pandas (Python's csv writer) quotes it only when
    lines end in CRLF, and a CR left bare would end the row for a reader. A table of text and
    numbers is formatted by this module: a short one (:data:`_PYTHON_ROWS`) cell by cell in
    Python; a longer one by Arrow, each column once per distinct value and the lines joined a
    block of rows at a time, where pandas' writer, which formats every cell in Python, took a
    minute for the tables of a round of a million respondents. A table with a column of another
    type (dates, objects that are not all text) is written by pandas.
    """
    kinds = [_column_kind(column) for _, column in table.items()]
    if not kinds or None in kinds:
        safe = table.copy()
        for column in safe.columns:
            safe[column] = _formula_safe_column(safe[column])
        safe.columns = [formula_safe(column) for column in safe.columns]
        # CRLF line ends make the csv writer quote a CR too; then LF, outside the quotes
        return _lf_line_ends(safe.to_csv(index=False, lineterminator="\r\n")).encode("utf-8")
    header = _csv_line([_csv_field(str(formula_safe(column))) for column in table.columns])
    if len(table) <= _PYTHON_ROWS:
        return _csv_in_python(table, kinds, header)
    parts = [header.encode("utf-8")]
    for start in range(0, len(table), _CSV_BLOCK_ROWS):
        block = table.iloc[start : start + _CSV_BLOCK_ROWS]
        cells = [
            _csv_cells(block[column], kind)
            for column, kind in zip(block.columns, kinds, strict=True)
        ]
        rows = pc.binary_join_element_wise(*cells, _text(","))
        if len(cells) == 1:  # an empty field alone on its line is "", as the csv module has it
            rows = pc.if_else(pc.equal(rows, ""), _text('""'), rows)
        parts.append(_joined_bytes(pc.binary_join_element_wise(rows, _text("\n"), _text(""))))
    return b"".join(parts)


def _csv_in_python(table: pd.DataFrame, kinds: list[str], header: str) -> bytes:
    """:func:`table_to_csv_bytes` of text and number columns, cell by cell: a short table's.

    ``header`` is the table's first line, made already.
    """
    columns = []
    for (values, missing), kind in zip(_python_columns(table), kinds, strict=True):
        if kind == "text":
            cells = [
                "" if gone else _csv_field(formula_safe(value))
                for value, gone in zip(values, missing, strict=True)
            ]
        else:  # str(), as pandas writes numbers: floats in their shortest exact form
            cells = [
                "" if gone else str(value) for value, gone in zip(values, missing, strict=True)
            ]
        columns.append(cells)
    lines = [",".join(row) for row in zip(*columns, strict=True)]
    if len(columns) == 1:
        lines = [line or '""' for line in lines]
    return (header + "".join(line + "\n" for line in lines)).encode("utf-8")


def _csv_field(text: str) -> str:
    """One CSV field: quoted, its quotes doubled, if it holds a comma, a quote, a CR or an LF."""
    if _CSV_SPECIAL_RE.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_line(fields: list[str]) -> str:
    """A line of CSV fields, with its LF; a line of one empty field is ``""``, not blank."""
    return (",".join(fields) if fields != [""] else '""') + "\n"


def _lf_line_ends(text: str) -> str:
    """CSV written with CRLF line ends, with LF ones.

    The csv writer quotes every field that holds a CR or an LF when lines end in CRLF, so a
    CRLF outside quotes ends a line. Outside quotes is every other part between quotes: a
    doubled quote inside a field opens and closes one empty part.
    """
    parts = text.split('"')
    parts[::2] = [part.replace("\r\n", "\n") for part in parts[::2]]
    return '"'.join(parts)


def _python_columns(table: pd.DataFrame) -> zip[tuple[np.ndarray, np.ndarray]]:
    """Each column's cells as Python objects, and where they are missing."""
    return zip(table.to_numpy(dtype=object).T, table.isna().to_numpy().T, strict=True)


def _joined_bytes(texts: pa.Array) -> bytes:
    """Arrow text cells one after another, as UTF-8: they lie so in the array's data buffer."""
    data, bounds = text_bytes(texts)
    return data[bounds[0] : bounds[-1]].tobytes()


def _column_kind(column: pd.Series) -> str | None:
    """``text`` or ``number`` for a column the CSV and sheet writers format by Arrow; else None.

    None: the CSV goes through pandas, the sheet's column cell by cell.
    """
    dtype = column.dtype
    if isinstance(dtype, pd.StringDtype) or (
        pd.api.types.is_object_dtype(dtype)
        and pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")
    ):
        return "text"
    if pd.api.types.is_float_dtype(dtype):
        return "number" if str(dtype).lower() == "float64" else None  # float32: shorter form
    if pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return "number"
    return None


def _csv_cells(column: pd.Series, kind: str) -> pa.Array:
    """A column's cells as CSV text (Arrow strings): text formula-safe and quoted (RFC 4180)."""
    if kind == "text":
        text = _arrow_text(column)
        if text.null_count:
            text = pc.fill_null(text, "")
        return _csv_quoted(_formula_safe_text(text))
    # numbers as pandas writes them: str(), floats in their shortest exact form
    cells = _per_distinct_value(column, str, "")
    if pd.api.types.is_float_dtype(column.dtype):  # the factorisation takes -0.0 for 0.0
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        negative_zero = (values == 0) & np.signbit(values)
        if negative_zero.any():
            cells = pc.if_else(pa.array(negative_zero), _text("-0.0"), cells)
    return cells


def _per_distinct_value(
    column: pd.Series, text_of: Callable[[object], str | None], blank: str | None
) -> pa.Array:
    """Each cell as ``text_of`` its value, called once per distinct value; ``blank`` if missing.

    Whole numbers of a short range (the answers) are numbered by their offset from the least,
    which spares hashing them.
    """
    codes, uniques = _whole_number_codes(column) or pd.factorize(column, use_na_sentinel=True)
    texts = [text_of(value) for value in np.asarray(uniques, dtype=object)]
    codes = np.where(codes < 0, len(texts), codes)
    return pa.array([*texts, blank], pa.large_string()).take(pa.array(codes))


def _whole_number_codes(column: pd.Series) -> tuple[np.ndarray, list[int]] | None:
    """A column of integers as codes into every whole number from its least to its greatest.

    Missing cells get -1. None for any other column, or one whose numbers span
    :data:`_LOOKUP_SPAN` or more (a code per number between would cost more than hashing).
    """
    dtype = column.dtype
    if not pd.api.types.is_integer_dtype(dtype) or getattr(dtype, "numpy_dtype", dtype) == "u8":
        return None  # not integers, or some beyond int64
    missing = column.isna().to_numpy(dtype=bool)
    values = column.to_numpy(dtype=np.int64, na_value=0)
    present = values[~missing]
    if not len(present):
        return np.full(len(values), -1, dtype=np.int64), []
    least, greatest = int(present.min()), int(present.max())
    if greatest - least >= _LOOKUP_SPAN:
        return None
    return np.where(missing, -1, values - least), list(range(least, greatest + 1))


def _cells_holding(text: pa.Array, characters: str) -> np.ndarray | None:
    """Which cells of a text (large strings) hold one of the ASCII ``characters``; None: none.

    Read from the Arrow data buffer: first ``bytes.find`` (the C library's ``memchr``, far
    cheaper than a look-up per byte) says which characters occur at all, which passes most
    columns over; then numpy finds where those occur, and their cells. UTF-8 holds an ASCII
    character's byte nowhere else. A missing cell has no bytes (any it had would only make it
    a cell to look at).
    """
    if text.type != pa.large_string():
        text = text.cast(pa.large_string())
    data, bounds = text_bytes(text)
    raw = data[bounds[0] : bounds[-1]]
    whole = raw.tobytes()
    found = [ord(character) for character in characters if whole.find(character.encode()) >= 0]
    if not found:
        return None
    at = raw == found[0]
    for byte in found[1:]:
        at |= raw == byte
    cells = np.searchsorted(bounds, np.flatnonzero(at) + bounds[0], side="right") - 1
    holding = np.zeros(len(text), dtype=bool)
    holding[cells] = True
    return holding


def _formula_safe_text(text: pa.Array) -> pa.Array:
    """:func:`formula_safe` on every cell of an Arrow text of large strings; nulls stay null.

    Looked at from the text's bytes: a cell without a cell break (:func:`_cells_holding`) can
    only need an apostrophe in front, if its first byte is ``=``, ``+``, ``-`` or ``@`` (one
    look-up per cell); only the cells holding a break are matched and rewritten by Arrow's
    regular expressions. A text none of whose cells needs it is returned itself, which most
    columns are.
    """
    if text.type != pa.large_string():
        text = text.cast(pa.large_string())
    data, bounds = text_bytes(text)
    filled = bounds[1:] > bounds[:-1]
    prefixed = np.zeros(len(text), dtype=bool)
    prefixed[filled] = _FORMULA_FIRST_BYTES[data[bounds[:-1][filled]]]
    breaking = _cells_holding(text, _CELL_BREAKS)
    if breaking is not None:
        prefixed &= ~breaking  # a tab or CR first is a break: such cells are rewritten below
    safe = text
    if prefixed.any():
        mask = pa.array(prefixed)
        apostrophed = pc.binary_join_element_wise(_text("'"), text.filter(mask), _text(""))
        safe = pc.replace_with_mask(text, mask, apostrophed)
    if breaking is None:
        return safe
    looked_at = np.flatnonzero(breaking)
    risky = pc.match_substring_regex(text.take(pa.array(looked_at)), _FORMULA_RISK)
    rewritten = looked_at[pc.fill_null(risky, False).to_numpy(zero_copy_only=False)]
    if not len(rewritten):
        return safe
    cells = text.take(pa.array(rewritten))
    for find, rewrite in _FORMULA_REWRITES:
        cells = pc.replace_substring_regex(cells, find, rewrite)
    where = np.zeros(len(text), dtype=bool)
    where[rewritten] = True
    return pc.replace_with_mask(safe, pa.array(where), cells)


def _arrow_text(column: pd.Series) -> pa.Array:
    """A text column as one Arrow array of large strings (pandas' own: no copy)."""
    text = pa.array(column, from_pandas=True)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    return text.cast(pa.large_string())


def _csv_quoted(text: pa.Array) -> pa.Array:
    """Text cells quoted where they hold a comma, a quote, a CR or an LF, quotes doubled.

    The cells to quote are found from the text's bytes (:func:`_cells_holding`), and only they
    are rewritten: a text without any is returned itself, at a fraction of matching each cell.
    """
    holding = _cells_holding(text, _CSV_SPECIAL_CHARACTERS)
    if holding is None:
        return text
    needs = pa.array(holding)
    doubled = pc.replace_substring(text.filter(needs), '"', '""')
    quoted = pc.binary_join_element_wise(_text('"'), doubled, _text('"'), _text(""))
    return pc.replace_with_mask(text, needs, quoted)


def _text(value: str) -> pa.Scalar:
    """An Arrow text scalar of the type the cells have (pandas' large strings)."""
    return pa.scalar(value, pa.large_string())


def _formula_safe_column(column: pd.Series) -> pd.Series:
    """:func:`formula_safe` on every cell of a table pandas writes.

    Cell by cell: only tables with columns of other types come here, and a factorisation would
    take 1, 1.0 and True as one value.
    """
    if isinstance(column.dtype, pd.StringDtype) or column.dtype == object:
        return column.map(formula_safe)
    return column


def write_table(table: pd.DataFrame, folder: Path, name: str) -> list[Path]:
    """Write ``table`` as ``<name>.csv`` and ``<name>.parquet`` in ``folder``.

    Text cells and column names are made formula-safe in both (:func:`formula_safe`), so that
    the two hold the same text; numbers stay numbers. Returns the paths written.
    """
    csv_path = folder / f"{name}.csv"
    parquet_path = folder / f"{name}.parquet"
    write_bytes_atomic(csv_path, table_to_csv_bytes(table))
    frame = table.reset_index(drop=True)  # a new frame: setting its columns leaves the table be
    # a column at a time, since DataFrame.astype rebuilds the whole frame (twice as slow)
    for position, (_, column) in enumerate(frame.items()):
        cells = _parquet_cells(column)
        if cells is not None:
            frame.isetitem(position, cells)
    names = [formula_safe(column) for column in frame.columns]
    if names != list(frame.columns):
        frame.columns = names
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    pq.write_table(arrow, sink, compression="zstd")
    write_bytes_atomic(parquet_path, sink.getvalue().to_pybytes())
    return [csv_path, parquet_path]


def _parquet_cells(column: pd.Series) -> pd.api.extensions.ExtensionArray | np.ndarray | None:
    """A column's cells as :func:`write_table` writes them to Parquet; None: as they are.

    Text is made formula-safe by Arrow (a column whose bytes need it nowhere is kept as it is),
    keeping its type, and text in Python strings (a small run's) becomes Arrow's, so that both
    give the same file; a column of mixed objects is made safe cell by cell.
    """
    dtype = column.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "python":
        cells = pa.array(column.to_numpy(dtype=object), pa.large_string(), from_pandas=True)
        return _ARROW_TEXT.__from_arrow__(_formula_safe_text(cells))  # as astype, at a third
    kind = _column_kind(column)
    if kind == "text":
        text = _arrow_text(column)
        safe = _formula_safe_text(text)
        if safe is text:
            return None
        if isinstance(dtype, pd.StringDtype):
            return dtype.__from_arrow__(safe)
        return safe.to_numpy(zero_copy_only=False)  # objects, missing cells None
    if kind is None and pd.api.types.is_object_dtype(dtype):
        return _formula_safe_column(column).to_numpy()
    return None


def write_tables_workbook(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """Write every table as a sheet of one workbook, header bold and frozen, text never a formula.

    The sheets' XML is built by Arrow a block of rows at a time, each column's cells at once
    (numbers formatted once per distinct value), and streamed into the zip: XlsxWriter, which
    writes cell by cell in Python, took 85 s for the tables of a round of 100,000 respondents.
    Text is stored as inline strings, which a spreadsheet never evaluates, and made
    formula-safe as in the CSV (:func:`formula_safe`, the header too), so that the sheet holds
    the CSV's text and gives no formula when it is saved again as CSV. Parts, zip entry
    dates and document properties are fixed, so the same tables always give the same bytes. A
    table with more than :data:`SHEET_MAX_ROWS` rows gets a sheet that says so and where the
    whole table is, rather than a cut one.
    """
    names = [name[:31] for name in tables]
    with (
        _atomic(path) as temporary,
        zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as book,
    ):
        for part, text in _workbook_parts(names):
            book.writestr(_zip_entry(part), text.encode("utf-8"))
        for number, (name, table) in enumerate(tables.items(), start=1):
            fits = len(table) <= SHEET_MAX_ROWS
            shown = table if fits else pd.DataFrame({"note": [_too_long(name, len(table))]})
            entry = _zip_entry(f"xl/worksheets/sheet{number}.xml")
            large = len(shown) * max(len(shown.columns), 1) > _ZIP64_CELLS
            with book.open(entry, "w", force_zip64=large) as sheet:
                for chunk in _sheet_xml(shown, frozen=fits, selected=number == 1):
                    sheet.write(chunk)


#: The most rows a table may have to get a sheet of its own. Excel holds 1,048,575 under the
#: header, but a sheet of a few hundred thousand respondents is slow to open; such tables are
#: read from CSV or Parquet.
SHEET_MAX_ROWS = 200_000
#: Rows of a sheet built at a time: the Arrow text of a block's cells is ~40 bytes a cell.
_BLOCK_ROWS = 20_000
#: Cells from which a sheet's XML might pass 4 GiB (at ~400 bytes a cell), so that its zip
#: entry is given Zip64 fields; a respondents' sheet of 200,000 rows has 13 million.
_ZIP64_CELLS = 10_000_000
#: The longest text a cell holds; longer text is cut in the workbook (CSV and Parquet keep it).
CELL_MAX_CHARS = 32_767
#: Characters XML 1.0 cannot hold (control characters), written as Excel's ``_xHHHH_`` escapes.
_XML_ILLEGAL = "[\x00-\x08\x0b-\x1f\ufffe\uffff]"
#: Text that reads as one of those escapes, so that its underscore is escaped in turn.
_EXCEL_ESCAPE = "_x[0-9A-Fa-f]{4}_"
#: Text cells with either are escaped in Python, the rest by Arrow.
_XML_AWKWARD = f"{_XML_ILLEGAL}|{_EXCEL_ESCAPE}"
#: Text that needs escaping of some kind: the test every text column gets.
_XML_SPECIAL = "[&<>]|" + _XML_AWKWARD
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "application/vnd.openxmlformats-officedocument"
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font>'
    '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/>'
    '<right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" '
    'fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1">'
    '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _workbook_parts(names: list[str]) -> list[tuple[str, str]]:
    """The parts of a workbook other than its sheets: content types, relations, properties."""
    sheets = range(1, len(names) + 1)
    worksheet = f"{_OFFICE}.spreadsheetml.worksheet+xml"
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{worksheet}"/>'
        for n in sheets
    )
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    dates = "".join(
        f'<dcterms:{kind} xsi:type="dcterms:W3CDTF">{stamp}</dcterms:{kind}>'
        for kind in ("created", "modified")
    )
    relation = f"{_RELATIONSHIPS}/worksheet"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{_OFFICE}.'
            'extended-properties+xml"/><Override PartName="/docProps/core.xml" ContentType='
            '"application/vnd.openxmlformats-package.core-properties+xml"/><Override '
            f'PartName="/xl/styles.xml" ContentType="{_OFFICE}.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.spreadsheetml.'
            f'sheet.main+xml"/>{types}</Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/><Relationship '
            f'Id="rId2" Type="{_PACKAGE_RELATIONSHIPS}/metadata/core-properties" '
            'Target="docProps/core.xml"/><Relationship Id="rId3" '
            f'Type="{_RELATIONSHIPS}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        ),
        "docProps/app.xml": (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties">'
            "<Application>collab-eval</Application></Properties>"
        ),
        "docProps/core.xml": (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
            'XMLSchema-instance"><dc:creator>collab-eval</dc:creator><dc:description>'
            f"collab-eval</dc:description><cp:lastModifiedBy>collab-eval</cp:lastModifiedBy>"
            f"{dates}</cp:coreProperties>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><bookViews><workbookView/>'
            "</bookViews><sheets>"
            + "".join(
                f'<sheet name="{_xml_text(name, quotes=True)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, name in zip(sheets, names, strict=True)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{relation}" Target="worksheets/sheet{n}.xml"/>'
                for n in sheets
            )
            + f'<Relationship Id="rId{len(names) + 1}" Type="{_RELATIONSHIPS}/styles" '
            'Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": _STYLES,
    }
    return [(part, _XML_HEAD + text) for part, text in parts.items()]


#: zlib's level for the workbook's parts. Level 1 deflates the sheets of a round of 100,000
#: respondents (265 MB of XML) in 1.4 s into 35 MB; zlib's default, 6, took 5.9 s for 25 MB,
#: two thirds of writing the workbook.
_ZIP_LEVEL = 1


def _zip_entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed date and mode, compressed at :data:`_ZIP_LEVEL`."""
    entry = zipfile.ZipInfo(name, date_time=FIXED_TIMESTAMP.timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    # an entry's own level (the ZipFile's is not applied to a ZipInfo): public from Python 3.13
    if hasattr(entry, "compress_level"):
        entry.compress_level = _ZIP_LEVEL
    else:
        entry._compresslevel = _ZIP_LEVEL  # type: ignore[attr-defined]
    entry.external_attr = 0o644 << 16
    return entry


def _sheet_xml(table: pd.DataFrame, frozen: bool, selected: bool) -> Iterator[bytes]:
    """A table as the XML of a worksheet, header in bold: the head, blocks of rows, the end."""
    columns = len(table.columns)
    spans = columns > 1 or (columns == 1 and len(table) > 0)  # else the range is A1 alone
    last = f":{_column_letter(columns - 1)}{len(table) + 1}" if spans else ""
    tab = ' tabSelected="1"' if selected else ""
    pane = (
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft"/>'
        if frozen
        else ""
    )
    yield (
        f'{_XML_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><dimension '
        f'ref="A1{last}"/><sheetViews><sheetView{tab} workbookViewId="0">{pane}</sheetView>'
        '</sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>'
    ).encode()
    header = "".join(
        f'<c r="{_column_letter(index)}1" s="1"{_cell_value(str(formula_safe(name)))}'
        for index, name in enumerate(table.columns)
        if str(name)
    )
    yield f'<row r="1">{header}</row>'.encode()
    for start in range(0, len(table), _BLOCK_ROWS):
        yield _sheet_rows(table.iloc[start : start + _BLOCK_ROWS], start + 2)
    yield (
        b'</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
        b'header="0.3" footer="0.3"/></worksheet>'
    )


def _sheet_rows(block: pd.DataFrame, first: int) -> bytes:
    """The ``<row>`` elements of a block of rows, the first numbered ``first``; blanks left out."""
    if block.empty:
        return b""
    if len(block) <= _PYTHON_ROWS:
        return _sheet_rows_in_python(block, first)
    numbers = pa.array(np.arange(first, first + len(block)).astype(str), pa.large_string())
    cells = [  # null where the cell is blank
        pc.binary_join_element_wise(
            _text(f'<c r="{_column_letter(index)}'),
            numbers,
            _text('"'),
            _sheet_values(block[column]),
            _text(""),
        )
        for index, column in enumerate(block.columns)
    ]
    rows = pc.binary_join_element_wise(
        _text('<row r="'), numbers, _text('">'), *cells, _text("</row>"), _text(""),
        null_handling="replace",
    )  # fmt: skip
    return _joined_bytes(rows)


def _sheet_rows_in_python(block: pd.DataFrame, first: int) -> bytes:
    """:func:`_sheet_rows` cell by cell: a short block's, each distinct text or number once."""
    kinds = [_column_kind(column) for _, column in block.items()]
    columns = []
    for (values, missing), kind in zip(_python_columns(block), kinds, strict=True):
        if kind is None:  # mixed objects: one by one, as 1, 1.0 and True are equal keys
            columns.append([_cell_value(formula_safe(value)) or None for value in values])
            continue
        ends: dict[object, str | None] = {}  # equal values share the first one's, as Arrow's
        for value in values[~missing]:
            if value not in ends:
                ends[value] = _cell_value(formula_safe(value)) or None  # numbers as they are
        columns.append(
            [None if gone else ends[value] for value, gone in zip(values, missing, strict=True)]
        )
    starts = [f'<c r="{_column_letter(index)}' for index in range(len(kinds))]
    rows = []
    for number, row in enumerate(zip(*columns, strict=True), start=first):
        cells = "".join(
            f'{start}{number}"{end}' for start, end in zip(starts, row, strict=True) if end
        )
        rows.append(f'<row r="{number}">{cells}</row>')
    return "".join(rows).encode("utf-8")


def _sheet_values(column: pd.Series) -> pa.Array:
    """Each cell of a column as the rest of its ``<c>`` element (type and value); null if blank.

    Text columns go through Arrow, made formula-safe as in the CSV; numbers and booleans are
    formatted once per distinct value; a column of mixed Python objects cell by cell.
    """
    kind = _column_kind(column)
    if kind == "text":
        text = _formula_safe_text(_arrow_text(column))
        long = len(text.buffers()[2] or b"") > CELL_MAX_CHARS  # then a cell may be too long
        if long or pc.any(pc.match_substring_regex(text, _XML_SPECIAL)).as_py():
            text = _xml_escaped(text, long)
        element = pc.binary_join_element_wise(
            _text(_INLINE), text, _text("</t></is></c>"), _text("")
        )
        return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.large_string()), element)
    if kind == "number":
        return _per_distinct_value(column, lambda value: _cell_value(value) or None, None)
    # mixed objects: one by one, as a factorisation would take 1, 1.0 and True as one value
    values = [_cell_value(formula_safe(value)) or None for value in column.to_numpy(object)]
    return pa.array(values, pa.large_string())


def _xml_escaped(text: pa.Array, long: bool) -> pa.Array:
    """Text cells with XML's special characters escaped, what XML cannot hold as Excel does it.

    ``long`` says to look for cells longer than a cell holds, which are cut.
    """
    awkward = pc.fill_null(pc.match_substring_regex(text, _XML_AWKWARD), False)
    if long:
        awkward = pc.or_(awkward, pc.greater(pc.fill_null(pc.utf8_length(text), 0), CELL_MAX_CHARS))
    if pc.any(awkward).as_py():  # rare: escaped one by one
        mask = awkward.to_numpy(zero_copy_only=False)
        fixed = [_excel_escaped(value) for value in np.asarray(text.to_pylist())[mask]]
        text = pc.replace_with_mask(text, awkward, pa.array(fixed, pa.large_string()))
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = pc.replace_substring(text, character, entity)
    return text


#: The start of a text cell's value: an inline string, which a spreadsheet never evaluates.
_INLINE = ' t="inlineStr"><is><t xml:space="preserve">'


def _cell_value(value: object) -> str:
    """The end of one cell's ``<c>`` element for a Python value; ``""`` for a blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | np.integer):
        return f"><v>{int(value)}</v></c>"
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        if np.isinf(value):  # a spreadsheet has no infinity: shown as text
            return f"{_INLINE}{value}</t></is></c>"
        return f"><v>{float(value)!r}</v></c>"
    text = _xml_text(_excel_escaped(str(value)))
    return f"{_INLINE}{text}</t></is></c>" if text else ""


def _excel_escaped(text: str) -> str:
    """Text a cell can hold: cut to its maximum, characters XML cannot hold as ``_xHHHH_``.

    Text that already reads as such an escape has its underscore escaped, so that it is shown
    as it was.
    """
    text = re.sub(_EXCEL_ESCAPE, lambda found: "_x005F" + found[0], text[:CELL_MAX_CHARS])
    return re.sub(_XML_ILLEGAL, lambda found: f"_x{ord(found[0]):04X}_", text)


def _xml_text(text: str, quotes: bool = False) -> str:
    """Text with XML's special characters escaped (quotes too, for an attribute)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quotes else text


def _column_letter(index: int) -> str:
    """A spreadsheet column's letters from its 0-based index: A, ..., Z, AA, ..."""
    letters, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _too_long(name: str, rows: int) -> str:
    return (
        f"{rows:,} rows: too many for this workbook (at most {SHEET_MAX_ROWS:,} a sheet). The "
        f"whole table is {name}.parquet and {name}.csv in the round's data/processed folder."
    )


#: What :func:`replaced_together` keeps beside the folders it replaces, each name followed by the
#: run's process id: the new outputs while they are written (``.staging-<pid>-<name>``), an old
#: folder between the two renames where the folders cannot be exchanged in one step
#: (``.previous-<pid>-<name>``), and the journal of a run that has written every folder and is
#: swapping them in (``.replacing-<pid>.json``).
_STAGING, _PREVIOUS, _JOURNAL = ".staging-", ".previous-", ".replacing-"
#: Linux's ``renameat2`` flag that exchanges two paths in one step, and its "relative to the
#: working folder" (``<linux/fs.h>``, ``<fcntl.h>``).
_RENAME_EXCHANGE, _AT_FDCWD = 2, -100
#: The errors of ``renameat2`` that say the system or the file system cannot exchange (NFS, a
#: kernel before 3.15): then the old folder is renamed aside first.
_NO_EXCHANGE = frozenset({errno.EINVAL, errno.ENOSYS, errno.ENOTSUP})


@contextmanager
def replaced_together(folders: Sequence[Path]) -> Iterator[dict[Path, Path]]:
    """Write new versions of ``folders`` beside them; swap each in whole once all are complete.

    The block gets each folder's staging folder, ``.staging-<pid>-<name>`` beside it (so on the
    same file system, where a rename is atomic), and writes the folder's new contents there. If
    the block raises, the staging folders are deleted and the folders are left as they were.
    If it succeeds, a journal (``.replacing-<pid>.json`` beside the first folder) lists the
    folders, then each staging folder takes its folder's place and the old one is deleted, and
    then the journal. So a folder is never written in place: whoever reads it, and whenever the
    run is killed (``kill -9`` included), finds its previous complete contents or its new ones.

    On Linux a folder and its staging folder are exchanged in one step (``renameat2`` with
    ``RENAME_EXCHANGE``): the folder's name always names a complete folder. Where that cannot be
    had (another system; NFS) the old folder is renamed ``.previous-<pid>-<name>`` and the
    staging folder to its name; between the two renames the name is missing, and the next call
    puts one back. A directory cannot be replaced by a plain rename when the target is a folder
    that is not empty, and a symbolic link per folder swapped by :func:`os.replace` would make
    ``reports/<round>`` a link, which copying, zipping or syncing a report folder (and
    Windows) do not take as the folder.

    Before it starts, the call recovers what a killed run left beside the folders (in their
    parent folders, for every round, not only these): with a journal, that run had written every
    folder, and the swaps it did not do are done, so the folders are still replaced together;
    staging folders without a journal are deleted (that run was killed while writing), and a
    ``.previous`` folder whose folder is missing is put back. See :func:`recover_replaced`. The
    caller must hold the project's lock (:func:`pipeline.lock.project_lock`), so that another
    running run's staging folders are not taken for a dead one's.

    Parameters
    ----------
    folders
        The folders to replace; a folder that does not exist yet is made.

    Yields
    ------
    dict of Path to Path
        Each folder's staging folder, made empty, to write into instead of the folder.
    """
    parents = list(dict.fromkeys(folder.parent for folder in folders))
    recover_replaced(parents)
    tag = str(os.getpid())
    staged = {folder: _beside(folder, _STAGING, tag) for folder in folders}
    for staging in staged.values():
        staging.mkdir(parents=True)
    try:
        yield dict(staged)
    except BaseException:
        _remove_all(list(staged.values()))
        raise
    if not staged:
        return
    journal = parents[0] / f"{_JOURNAL}{tag}.json"
    # real paths: a "../../reports/2025" read back leads where it did, data/processed a link or not
    home = journal.parent.resolve()
    entries = [
        [os.path.relpath(folder.parent.resolve() / folder.name, home), _inode(staging)]
        for folder, staging in staged.items()
    ]
    write_bytes_atomic(journal, json.dumps({"folders": entries}).encode("utf-8"))
    old = [_swap_in(folder, staging, tag) for folder, staging in staged.items()]
    journal.unlink()
    # the old folders together, in threads: the system's work of freeing the files (0.1 s for
    # the example's 75 MB of reports) does not hold Python's lock
    _remove_all([path for path in old if path is not None])


def recover_replaced(parents: Sequence[Path]) -> None:
    """Finish or undo what a killed :func:`replaced_together` left in these parent folders.

    A journal (``.replacing-<pid>.json``) says its run had written all its folders: each folder
    that does not yet hold its new version (told by the staging folder's inode number, which a
    rename keeps) gets it, so that they are all replaced, as that run would have. Then what is
    left is deleted: staging folders (new outputs a run was killed writing, or old ones it had
    exchanged out) and ``.previous`` folders, but a ``.previous`` folder whose folder is missing
    (a run killed between its two renames) is put back. Folders of the scheme before
    (``.<name>.previous``, ``.<name>.replaced``) are recovered as it did.

    Parameters
    ----------
    parents
        The folders that hold the replaced folders (``data/processed``, ``reports``); one that
        does not exist is passed over. Only a process that holds the project's lock may call
        this: a running run's staging folders look like a dead one's.
    """
    for parent in parents:
        for journal in sorted(parent.glob(f"{_JOURNAL}*.json")):
            _finish_swaps(journal)
    leftovers = [
        parent / name
        for parent in parents
        if parent.is_dir()
        for name in sorted(os.listdir(parent))
        if name.startswith(".")
    ]
    _recover_earlier_scheme(leftovers)
    gone = []
    for path in leftovers:
        name = path.name
        if name.startswith((_STAGING, f".{_JOURNAL}")):  # a journal's temporary file too
            gone.append(path)
        elif name.startswith(_PREVIOUS) and name.count("-") >= 2:
            folder = path.with_name(name.split("-", 2)[2])
            if os.path.lexists(folder):
                gone.append(path)
            else:
                path.rename(folder)
    _remove_all(gone)


def _finish_swaps(journal: Path) -> None:
    """Swap in the folders whose new version a run had written when it was killed swapping."""
    tag = journal.name.removeprefix(_JOURNAL).removesuffix(".json")
    try:
        listed = json.loads(journal.read_text(encoding="utf-8"))["folders"]
        entries = [(str(name), int(inode)) for name, inode in listed]
    except (OSError, ValueError, KeyError, TypeError):  # written whole: this is none of ours
        entries = []
    home = journal.parent.resolve()
    for name, inode in entries:
        folder = home / name
        staging = _beside(folder, _STAGING, tag)
        if _inode(folder) != inode and _inode(staging) == inode:
            _swap_in(folder, staging, tag)
    journal.unlink()


def _recover_earlier_scheme(leftovers: list[Path]) -> None:
    """Recover what a run of the earlier scheme left (``.<name>.previous``, ``.<name>.replaced``).

    That scheme wrote the new folders in place, with the old ones aside as ``.previous``; once
    it had written them all, it renamed them ``.replaced`` before deleting them. So if any
    ``.replaced`` folder is left, its run had finished, and ``.previous`` folders are deleted;
    else the ``.previous`` folders are put back in place of what was half written.
    """
    earlier = [
        path
        for path in leftovers
        if path.name.endswith((".previous", ".replaced"))
        and not path.name.startswith((_STAGING, _PREVIOUS, _JOURNAL, f".{_JOURNAL}"))
    ]
    finished = any(path.name.endswith(".replaced") for path in earlier)
    for path in earlier:
        leftovers.remove(path)
        folder = path.with_name(path.name[1:].rsplit(".", 1)[0])
        if path.name.endswith(".previous") and not finished:
            if os.path.lexists(folder):
                _remove(folder)
            path.rename(folder)
        else:
            _remove(path)


def _swap_in(folder: Path, staging: Path, tag: str) -> Path | None:
    """Put ``staging`` in ``folder``'s place; returns where the old folder now is, if any."""
    if not os.path.lexists(folder):
        staging.rename(folder)
        return None
    if _exchanged(staging, folder):
        return staging  # which now holds the old folder
    previous = _beside(folder, _PREVIOUS, tag)
    folder.rename(previous)
    staging.rename(folder)
    return previous


def _exchanged(source: Path, target: Path) -> bool:
    """Exchange two paths in one step (Linux's ``renameat2``); False where that cannot be had."""
    rename = _renameat2()
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in _NO_EXCHANGE:
            return False
        raise OSError(code, os.strerror(code), str(source), None, str(target))
    return True


@cache
def _renameat2() -> Callable[..., int] | None:
    """The C library's ``renameat2`` (glibc from 2.28); None off Linux or where it is missing."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    path_argument = [ctypes.c_int, ctypes.c_char_p]  # a folder's descriptor, a path
    function.argtypes = [*path_argument, *path_argument, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _inode(path: Path) -> int | None:
    """The inode number of ``path`` itself (a link is not followed); None if it is missing."""
    try:
        return os.lstat(path).st_ino
    except FileNotFoundError:
        return None


def _remove(path: Path) -> None:
    """Delete a folder with what it holds, or a file or link; nothing if it is missing."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _remove_all(paths: Sequence[Path]) -> None:
    """:func:`_remove` these paths together, in threads (freeing files does not hold the GIL)."""
    if paths:
        with ThreadPoolExecutor(min(len(paths), 8)) as pool:
            list(pool.map(_remove, paths))


def _beside(folder: Path, prefix: str, tag: str) -> Path:
    """The hidden name ``<prefix><tag>-<name>`` beside ``folder`` (:func:`replaced_together`)."""
    return folder.with_name(f"{prefix}{tag}-{folder.name}")
