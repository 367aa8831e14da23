"""Google Forms exports (CSV, "Download responses").

One header row: ``Timestamp`` (``Tijdstempel`` in a Dutch form), ``Email Address``
(``E-mailadres``) when the form collects it, then the question titles; a grid row is headed
``question [row]``. Answers are the choice labels; timestamps are in the form's locale (Dutch:
day first). Only submitted responses are exported. A quiz adds ``Score``.
"""

from __future__ import annotations

import pandas as pd

from pipeline.load.layout import Layout, data_rows, header_columns
from pipeline.load.match import fold

__all__ = ["ROLES", "googleforms_layout", "is_googleforms"]

#: Google Forms' own columns, folded, English and Dutch.
ROLES: dict[str, str] = {
    "timestamp": "submitted_at",
    "tijdstempel": "submitted_at",
    "email address": "id:email",
    "e-mailadres": "id:email",
    "score": "meta",
    "punten": "meta",
}


def is_googleforms(grid: pd.DataFrame) -> bool:
    """The first heading is ``Timestamp`` or ``Tijdstempel``."""
    return len(grid) > 0 and fold(grid.iloc[0, 0]) in ("timestamp", "tijdstempel")


def googleforms_layout(grid: pd.DataFrame, name: str) -> Layout:
    """One header row; the first response is on row 2."""
    columns = header_columns(grid, lambda header: ROLES.get(fold(header)))
    month_first = fold(grid.iloc[0, 0]) == "timestamp"
    return data_rows(
        "googleforms", grid, 1, columns, name, submitted="always", month_first=month_first
    )
