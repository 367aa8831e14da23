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

from pipeline.load.cells import distinct_text

__all__ = ["first_copies"]


def first_copies(data: pd.DataFrame, columns: list[object]) -> np.ndarray:
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

    Returns
    -------
    numpy.ndarray
        ``int64``, one per row: the first equal row's label (the row itself for the first of a
        group), or -1 for a row that no other equals.
    """
    rows = np.arange(len(data))
    group = np.zeros(len(data), dtype=np.int64)  # every row in one group to start with
    for column in columns:
        if len(rows) < 2:
            break
        codes, _ = distinct_text(data[column].iloc[rows])
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
