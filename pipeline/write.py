"""Writers: processed tables as CSV and Parquet, workbooks and text, all byte-reproducible.

Every writer goes through :func:`write_bytes_atomic`, so a run that fails halfway leaves the
previous file as it was, and every writer pins what would otherwise vary between runs (zip entry
times in XLSX, document properties, row order).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xlsxwriter

if TYPE_CHECKING:  # only the example's builders hand in openpyxl workbooks
    import openpyxl

__all__ = [
    "FIXED_TIMESTAMP",
    "SHEET_MAX_ROWS",
    "formula_safe",
    "replaced_together",
    "table_to_csv_bytes",
    "workbook_bytes",
    "write_bytes_atomic",
    "write_table",
    "write_tables_workbook",
]

#: The date written into every workbook and zip entry, so that reruns give identical bytes.
FIXED_TIMESTAMP = dt.datetime(2000, 1, 1, 0, 0, 0)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = "[" + "".join(re.escape(start) for start in _FORMULA_STARTS) + "]"
#: The characters for which Python's csv writer (pandas' too) quotes a cell, with "\n" as the
#: line end: the separator, the quote and the line end ("\r" is written as it is).
_CSV_SPECIAL = '[,"\n]'
#: Rows formatted at a time: the Arrow text of a block's cells is several times its CSV.
_CSV_BLOCK_ROWS = 100_000
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    with _atomic(path) as temporary:
        temporary.write_bytes(data)


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
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def table_to_csv_bytes(table: pd.DataFrame) -> bytes:
    r"""A table as UTF-8 CSV: dot decimal, floats in their shortest exact form, formula-safe text.

    The bytes are those of pandas' ``to_csv(index=False, lineterminator="\n")`` after
    :func:`formula_safe`, but each column is formatted once per distinct value (text by Arrow)
    and the lines are joined by Arrow, a block of rows at a time: pandas' writer formats every
    cell in Python, which took a minute for the tables of a round of a million respondents. A
    table with a column of another type (dates, objects that are not all text) is written by
    pandas, and so is a table of one column: the csv module writes an empty cell alone on its
    line as ``""``, where joining would give an empty line.
    """
    kinds = [_csv_kind(table[column]) for column in table.columns]
    if len(kinds) < 2 or None in kinds:
        safe = table.copy()
        for column in safe.columns:
            safe[column] = _formula_safe_column(safe[column])
        return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")
    names = _csv_quoted(pa.array([str(column) for column in table.columns], pa.large_string()))
    parts = [(",".join(names.to_pylist()) + "\n").encode("utf-8")]
    for start in range(0, len(table), _CSV_BLOCK_ROWS):
        block = table.iloc[start : start + _CSV_BLOCK_ROWS]
        cells = [
            _csv_cells(block[column], kind)
            for column, kind in zip(block.columns, kinds, strict=True)
        ]
        rows = pc.binary_join_element_wise(*cells, _text(","))
        lines = pc.binary_join_element_wise(rows, _text("\n"), _text(""))
        # the lines' characters lie one after another in the array's data buffer
        _, offsets, data = lines.buffers()
        bounds = np.frombuffer(offsets, dtype=np.int64)[[lines.offset, lines.offset + len(lines)]]
        parts.append(data.slice(int(bounds[0]), int(bounds[1] - bounds[0])).to_pybytes())
    return b"".join(parts)


def _csv_kind(column: pd.Series) -> str | None:
    """``text`` or ``number`` for a column :func:`_csv_cells` formats, None if pandas must."""
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
    """A column's cells as CSV text (Arrow strings), as pandas writes them."""
    if kind == "text":
        text = pa.array(column, from_pandas=True)  # pandas' Arrow strings: no copy
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks()
        text = text.cast(pa.large_string())
        risky = pc.fill_null(pc.match_substring_regex(text, "^" + _FORMULA_PATTERN), False)
        text = pc.if_else(risky, pc.binary_join_element_wise(_text("'"), text, _text("")), text)
        return _csv_quoted(pc.fill_null(text, ""))
    # numbers: one text per distinct value, as pandas writes it (str(); floats shortest-exact)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    texts = [str(value) for value in np.asarray(uniques, dtype=object)]
    codes = np.where(codes < 0, len(texts), codes)
    texts.append("")
    if pd.api.types.is_float_dtype(column.dtype):  # the factorisation takes -0.0 for 0.0
        values = column.to_numpy(dtype="float64", na_value=np.nan)
        negative_zero = (values == 0) & np.signbit(values)
        if negative_zero.any():
            codes[negative_zero] = len(texts)
            texts.append("-0.0")
    return pa.array(texts, pa.large_string()).take(pa.array(codes))


def _csv_quoted(text: pa.Array) -> pa.Array:
    """Text cells quoted as Python's csv module quotes them (``QUOTE_MINIMAL``)."""
    needs = pc.match_substring_regex(text, _CSV_SPECIAL)
    if not pc.any(needs).as_py():
        return text
    doubled = pc.replace_substring(text, '"', '""')
    quoted = pc.binary_join_element_wise(_text('"'), doubled, _text('"'), _text(""))
    return pc.if_else(needs, quoted, text)


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

    Returns the paths written.
    """
    csv_path = folder / f"{name}.csv"
    parquet_path = folder / f"{name}.parquet"
    write_bytes_atomic(csv_path, table_to_csv_bytes(table))
    arrow = pa.Table.from_pandas(table.reset_index(drop=True), preserve_index=False)
    sink = pa.BufferOutputStream()
    pq.write_table(arrow, sink, compression="zstd")
    write_bytes_atomic(parquet_path, sink.getvalue().to_pybytes())
    return [csv_path, parquet_path]


def write_tables_workbook(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """Write every table as a sheet of one workbook, header frozen, text never a formula.

    Written with XlsxWriter row by row in its constant-memory mode (openpyxl builds a cell
    object per value first: several times slower, and all in memory), a block of rows at a time,
    with fixed document dates; its zip entries carry a fixed date already, so the same tables
    always give the same bytes. A table with more than :data:`SHEET_MAX_ROWS` rows gets a
    sheet that says so and where the whole table is, rather than a cut one.
    """
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with _atomic(path) as temporary:
        workbook = xlsxwriter.Workbook(str(temporary), options)
        workbook.set_properties(
            {"created": FIXED_TIMESTAMP, "author": "collab-eval", "comments": "collab-eval"}
        )
        bold = workbook.add_format({"bold": True})
        for name, table in tables.items():
            sheet = workbook.add_worksheet(name[:31])
            if len(table) > SHEET_MAX_ROWS:
                sheet.write_row(0, 0, ["note"], bold)
                sheet.write_string(1, 0, _too_long(name, len(table)))
                continue
            sheet.write_row(0, 0, [str(column) for column in table.columns], bold)
            for start in range(0, len(table), _BLOCK_ROWS):
                block = table.iloc[start : start + _BLOCK_ROWS]
                columns = [_cells(block[column]) for column in block.columns]
                for number, row in enumerate(zip(*columns, strict=True), start=start + 1):
                    sheet.write_row(number, 0, row)
            sheet.freeze_panes(1, 0)
        workbook.close()


#: The most rows a table may have to get a sheet of its own. Excel holds 1,048,575 under the
#: header, but a sheet of a few hundred thousand respondents is slow to write (a minute per
#: 100,000 rows of 60 items) and slower to open; such tables are read from CSV or Parquet.
SHEET_MAX_ROWS = 200_000
_BLOCK_ROWS = 20_000


def _cells(column: pd.Series) -> list[object]:
    """A column's values as Python objects XlsxWriter writes; missing values become None."""
    return column.to_numpy(dtype=object, na_value=None).tolist()


def _too_long(name: str, rows: int) -> str:
    return (
        f"{rows:,} rows: too many for this workbook (at most {SHEET_MAX_ROWS:,} a sheet). The "
        f"whole table is {name}.parquet and {name}.csv in the round's data/processed folder."
    )


@contextmanager
def replaced_together(folders: Sequence[Path]) -> Iterator[None]:
    """Make the folders written inside the block replace the old ones only if all succeed.

    The old folders are moved aside (``.<name>.previous``) first; if the block fails, whatever
    it wrote is removed and the old folders are put back, so a run that fails halfway leaves the
    previous outputs as they were. Once the block has succeeded the old folders are renamed
    ``.<name>.replaced`` before they are deleted. So when the next run finds ``.previous``
    folders, a killed run left them: if none of the folders has a ``.replaced`` one yet it was
    killed before it finished, and the old folders are put back; if any has, it had finished
    and was killed while clearing up, and its new folders stay. Either way the folders are
    replaced together.
    """
    finished = any(_beside(folder, "replaced").exists() for folder in folders)
    aside: dict[Path, Path] = {}
    for folder in folders:
        backup, replaced = _beside(folder, "previous"), _beside(folder, "replaced")
        if replaced.exists():
            shutil.rmtree(replaced)
        if backup.exists():
            if finished:
                shutil.rmtree(backup)
            else:
                if folder.exists():
                    shutil.rmtree(folder)
                backup.rename(folder)
        if folder.exists():
            folder.rename(backup)
            aside[folder] = backup
    try:
        yield
    except BaseException:
        for folder in folders:
            if folder.exists():
                shutil.rmtree(folder)
            if folder in aside:
                aside[folder].rename(folder)
        raise
    replaced = [_beside(folder, "replaced") for folder in aside]
    for backup, old in zip(aside.values(), replaced, strict=True):
        backup.rename(old)
    for old in replaced:
        shutil.rmtree(old)


def _beside(folder: Path, tag: str) -> Path:
    """The hidden name ``.<name>.<tag>`` beside ``folder`` that :func:`replaced_together` uses."""
    return folder.with_name(f".{folder.name}.{tag}")
