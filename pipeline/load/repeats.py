"""Rows of an export that are the same submission: equal in every raw cell but the tool's row id.

This is the evidence for an exact duplicate (DESIGN section 4): an export that holds one
submission twice repeats every cell of it, its submission times and the columns that match no
item included; only the tool's own number for the row (LimeSurvey ``id``, Kobo ``_id``) may
differ. Equal answers alone are no such evidence: on a short questionnaire many people give the
same answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["first_copies"]


def first_copies(
    data: pd.DataFrame, columns: list[object], groups: np.ndarray | None = None
) -> np.ndarray:
    """For each row, the index label of the first row equal to it in ``columns``; -1 if none.

    Parameters
    ----------
    data
        An export's text cells (:class:`~pipeline.load.layout.Layout`'s ``data``), indexed by
        the row number a user sees.
    columns
        The labels of the columns to compare, those most likely to tell rows apart first (the
        submission times): rows are split column by column, and a row that no other shares the
        cells so far with is settled, so a column is read only for the rows still unsettled.
    groups
        Optional numbers of a first split (equal rows share a number; rows of different
        numbers are never equal), such as a hash of the answers already read.

    Returns
    -------
    numpy.ndarray
        ``int64``, one per row: the first equal row's label (the row itself for the first of a
        group), or -1 for a row that no other equals.
    """
    rows = np.arange(len(data))
    # every row in one group to start with, or in the groups given
    group = np.zeros(len(data), dtype=np.int64) if groups is None else groups.astype(np.int64)
    shared = np.bincount(group)[group] > 1
    rows, group = rows[shared], group[shared]
    for number, column in enumerate(columns):
        if len(rows) < 2:
            break
        if len(rows) <= _FEW:  # the rest of the columns at once, as rows of cells
            cells = [_cells(data[c], rows) for c in columns[number:]]
            codes = pd.factorize(pd.Series(list(zip(*cells, strict=True))))[0]
            group = pd.factorize(group * (int(codes.max()) + 1) + codes)[0]
            shared = np.bincount(group)[group] > 1
            rows, group = rows[shared], group[shared]
            break
        codes = _codes(data[column], rows)
        # the group so far and this column's cell, numbered together
        group = pd.factorize(group * (int(codes.max()) + 1) + codes)[0]
        shared = np.bincount(group)[group] > 1
        rows, group = rows[shared], group[shared]
    out = np.full(len(data), -1, dtype=np.int64)
    if len(rows) < 2:
        return out
    labels = data.index.to_numpy(dtype=np.int64)[rows]
    first = np.full(int(group.max()) + 1, np.iinfo(np.int64).max)
    np.minimum.at(first, group, labels)
    out[rows] = first[group]
    return out


#: At most this many rows still unsettled are compared on all the remaining columns at once: a
#: column at a time costs a fixed amount per column, whatever the number of rows.
_FEW = 4096


def _cells(column: pd.Series, rows: np.ndarray) -> list[object]:
    """The cells of ``column`` at positions ``rows`` as Python objects, taken by Arrow."""
    try:
        text = pa.array(column, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text
        return column.iloc[rows].tolist()
    return text.take(pa.array(rows)).to_pylist()


def _codes(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    """The cells of ``column`` at positions ``rows``, numbered by their distinct values.

    Text by Arrow's dictionary encoding, without making Python strings; cells of other types
    (a workbook's numbers) by pandas. A missing cell has a number of its own.
    """
    few = len(rows) < len(column) // 8  # the few rows left: taken before they are converted
    cells = column.iloc[rows] if few else column
    try:
        text = pa.array(cells, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text
        return pd.factorize(column.iloc[rows], use_na_sentinel=False)[0]
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    if not few and len(rows) < len(column):
        text = text.take(pa.array(rows))
    encoded = pc.dictionary_encode(text, null_encoding="encode")
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
