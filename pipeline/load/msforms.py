"""Microsoft Forms exports (XLSX, "Open in Excel").

One header row: ``ID, Start time, Completion time, Email`` (``anonymous`` when the form is
anonymous), ``Name``, sometimes ``Last modified time``, then one column per question or Likert
statement headed with its text; answers are the choice labels. Quizzes add ``Total points``,
``Quiz feedback`` and ``Points - ...``/``Feedback - ...`` columns. Dutch accounts head the
first columns in Dutch. Only submitted responses are exported.
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline.load.layout import Layout, data_rows, header_columns
from pipeline.load.match import fold

__all__ = ["ROLES", "is_msforms", "msforms_layout"]

#: Microsoft Forms' own columns, folded, English and Dutch.
ROLES: dict[str, str] = {
    "id": "id:respondent_id",
    "start time": "started_at",
    "begintijd": "started_at",
    "starttijd": "started_at",
    "completion time": "ended_at",
    "tijd van voltooien": "ended_at",
    "voltooiingstijd": "ended_at",
    "email": "id:email",
    "e-mail": "id:email",
    "name": "id:name",
    "naam": "id:name",
    "last modified time": "meta",
    "tijd van laatste wijziging": "meta",
    "laatst gewijzigd": "meta",
    "total points": "meta",
    "totaal aantal punten": "meta",
    "quiz feedback": "meta",
    "feedback over toets": "meta",
}
_QUIZ = re.compile(r"^(points|feedback|punten) - ")


def is_msforms(grid: pd.DataFrame) -> bool:
    """The header starts ``ID, Start time, Completion time`` (or the Dutch words)."""
    first = [fold(c) for c in grid.iloc[0][:4]] if len(grid) else []
    return (
        len(first) >= 3
        and first[0] == "id"
        and ROLES.get(first[1]) == "started_at"
        and ROLES.get(first[2]) == "ended_at"
    )


def msforms_layout(grid: pd.DataFrame, name: str) -> Layout:
    """One header row; the first response is on row 2."""
    columns = header_columns(
        grid,
        lambda header: ROLES.get(fold(header)) or ("meta" if _QUIZ.match(fold(header)) else None),
    )
    return data_rows("msforms", grid, 1, columns, name, submitted="always")
