"""What a tool module hands to matching: the columns of an export and its data rows.

A :class:`Layout` is the same for every tool: one :class:`Column` per column of the export
(how messages name it, the texts to match against the instrument, and the tool's own meaning
of the column where the tool gives it one) and the data cells as text, indexed by the row
number a user sees in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.errors import Problem
from pipeline.load.cells import filled as filled_cells

__all__ = ["ROLES", "Column", "Layout", "data_rows", "header_columns", "unique_headers"]

#: What a tool's own column means: ``id:<kind>`` (an identifier, see ``IDENTIFIER_KINDS``),
#: ``started_at``, ``ended_at`` (the tool's end or submission time), ``submitted_at`` (when the
#: server received it), ``duration`` (seconds), ``finished`` (1/0, true/false), ``submitdate``
#: (LimeSurvey: empty when not submitted), ``status`` (Qualtrics response type) and ``meta``
#: (known to the tool, not used).
ROLES = (
    "started_at",
    "ended_at",
    "submitted_at",
    "duration",
    "finished",
    "submitdate",
    "status",
    "meta",
)


@dataclass(frozen=True)
class Column:
    """One column of an export.

    Attributes
    ----------
    header
        How messages and ``validate`` name the column (unique within the file).
    keys
        Texts to match against the instrument, most specific first (a field name, then the
        question text).
    role
        The tool's own meaning of the column (see ``ROLES``, or ``id:<kind>``), or None.
    """

    header: str
    keys: tuple[str, ...]
    role: str | None = None


@dataclass(frozen=True)
class Layout:
    """An export as the tool laid it out, reduced to columns and data rows.

    Attributes
    ----------
    tool
        The detected tool: qualtrics, qualtrics-legacy, surveymonkey, limesurvey, msforms,
        googleforms, kobo, spss or plain.
    columns
        One per data column, in file order.
    data
        Text cells (stripped, blank ``""``), columns numbered like ``columns``, index = the
        row number a user sees (a spreadsheet's row number; an SPSS case number).
    submitted
        How the tool says a response was submitted: ``finished`` (a finished column),
        ``submitdate`` (an empty submit date means not submitted), ``always`` (the tool exports
        only submitted responses) or ``unknown``.
    month_first
        Dates such as 03/04/2025 are month first (American) in this tool's exports.
    value_labels
        Per column number: raw value -> label (SPSS value labels).
    missing_values
        Per column number: raw values that are user-missing (SPSS).
    problems
        What was wrong with the layout itself (a value under a column without a header in
        some rows only).
    warnings
        Messages for the user about the layout (a column without a header, ignored).
    """

    tool: str
    columns: tuple[Column, ...]
    data: pd.DataFrame
    submitted: str = "unknown"
    month_first: bool = False
    value_labels: dict[int, dict[str, str]] = field(default_factory=dict)
    missing_values: dict[int, frozenset[str]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()


def header_columns(
    grid: pd.DataFrame, role: Callable[[str], str | None] = lambda header: None
) -> list[Column]:
    """A column per cell of the grid's one header row, the header its own key.

    ``role`` gives a header's role among the tool's own columns (None for the others).
    """
    headers = [str(cell).strip() for cell in grid.iloc[0]]
    return [Column(header=h, keys=(h,) if h else (), role=role(h)) for h in headers]


def unique_headers(headers: list[str]) -> list[str]:
    """Headers made unique by numbering repeats: ``Q1``, ``Q1 (2)``."""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        count = seen.get(header, 0)
        seen[header] = count + 1
        out.append(header if count == 0 or not header else f"{header} ({count + 1})")
    return out


def data_rows(
    tool: str,
    grid: pd.DataFrame,
    header_rows: int,
    columns: list[Column],
    name: str,
    **options: object,
) -> Layout:
    """A layout from a grid whose first ``header_rows`` rows are headers.

    The grid holds text cells as :func:`~pipeline.load.cells.read_cells` gives them (stripped,
    blank ``""``).

    Blank rows are dropped (the index keeps each row's place in the file). A column without a
    header is never an answer; what else it is, its place and its cells tell:

    - empty in every row (a trailing separator, an empty spreadsheet column): dropped;
    - after the last column with a header and filled in some rows only: a problem naming the
      first such row, because there the columns have most likely shifted: an unquoted
      separator inside an answer gives a row one cell more than its neighbours, and its last
      cell lands under no header;
    - otherwise, between columns with headers or filled in every row: a column whose heading
      was left empty (a LimeSurvey question without text, an index a script wrote), ignored
      with a warning. A row that shifted still shows at the end.
    """
    data = grid.iloc[header_rows:]
    data.index = data.index + 1
    filled = {label: filled_cells(values) for label, values in data.items()}
    nonblank = np.logical_or.reduce(list(filled.values()))
    if not nonblank.all():
        data = data[nonblank]
    headed = [number for number, column in enumerate(columns) if column.header]
    last_headed = headed[-1] if headed else -1
    keep: list[int] = []
    kept_columns: list[Column] = []
    problems: list[Problem] = []
    warnings: list[str] = []
    for number, column in enumerate(columns):
        label = grid.columns[number]
        if column.header:
            keep.append(label)
            kept_columns.append(column)
            continue
        cells = filled[label][nonblank]
        if not cells.any():
            continue
        values = data[label]
        row = int(data.index[cells][0])
        if number < last_headed or cells.all():
            warnings.append(
                f"{name}: column {number + 1} has no header and is ignored (it holds values "
                f"such as {values[row]!r})"
            )
            continue
        problems.append(
            Problem(
                f"row {row} has a value in column {number + 1}, which has no header "
                f"({values[row]!r})",
                file=name,
                row=row,
                hint="a separator inside an answer needs quotes around the answer; or give "
                "the column a header",
            )
        )
    headers = unique_headers([c.header for c in kept_columns])
    kept_columns = [
        Column(header, column.keys, column.role)
        for header, column in zip(headers, kept_columns, strict=True)
    ]
    data = data[keep]
    data.columns = range(len(keep))
    return Layout(
        tool=tool,
        columns=tuple(kept_columns),
        data=data,
        problems=tuple(problems),
        warnings=tuple(warnings),
        **options,  # type: ignore[arg-type]
    )
