"""Plain CSV and XLSX: one header row of item codes, aliases or labels; one row per response.

The first response is on row 2. Identifier columns (names, e-mail, ...) and a submission time
are recognised by their header (:func:`~pipeline.load.match.generic_role`); whether a response
was submitted is not known.
"""

from __future__ import annotations

import pandas as pd

from pipeline.load.layout import Layout, data_rows, header_columns

__all__ = ["plain_layout"]


def plain_layout(grid: pd.DataFrame, name: str) -> Layout:
    """One header row; the first response is on row 2."""
    return data_rows("plain", grid, 1, header_columns(grid), name)
