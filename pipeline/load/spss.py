"""SPSS ``.sav`` files (through pyreadstat), as Qualtrics, LimeSurvey or SPSS itself write them.

Variables are matched by name and by variable label; answers by value label first (the label
says what a code means), then by the code itself. User-missing values (such as 99 = "weet
niet") are missing: "weet niet" when their label is the instrument's "weet niet" choice. The
row number of a response is its case number. Metadata variables are those of the tool that made
the file (``Finished`` and ``Duration__in_seconds_`` from Qualtrics, ``submitdate`` from
LimeSurvey).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.load import limesurvey, qualtrics
from pipeline.load.cells import check_regular_file, text_columns
from pipeline.load.layout import Column, Layout, unique_headers
from pipeline.load.match import fold

__all__ = ["ROLES", "spss_layout"]

#: Metadata variables of the tools that write .sav files, folded.
ROLES: dict[str, str] = {**limesurvey.ROLES, **qualtrics.ROLES}


def spss_layout(path: Path, name: str) -> Layout:
    """Read a .sav file into a layout with its value labels and user-missing values.

    The path is looked at with ``lstat`` first (:func:`~pipeline.load.cells.check_regular_file`):
    a symbolic link is refused, never followed, and a named pipe never opened.
    """
    import pyreadstat  # imported here: only .sav files need it

    check_regular_file(path, name)
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic not in (b"$FL2", b"$FL3"):
        raise InputError.single(
            "is not an SPSS data file (it does not start like a .sav file)"
            if magic
            else "the file is empty",
            file=name,
            hint="export the responses again as SPSS .sav, or give the file the extension of "
            "what it is (.csv, .xlsx)",
        )
    try:
        frame, meta = pyreadstat.read_sav(
            str(path), user_missing=True, dates_as_pandas_datetime=True
        )
    except Exception as error:  # pyreadstat raises its own types for damaged files
        raise InputError.single(
            f"cannot be read as an SPSS .sav file ({type(error).__name__}: {error})",
            file=name,
            hint="save it again from SPSS (File > Save As > .sav), or export it anew",
        ) from None
    data = text_columns(frame.reset_index(drop=True))
    data.index = data.index + 1  # case numbers
    labels = meta.column_names_to_labels or {}
    columns: list[Column] = []
    value_labels: dict[int, dict[str, str]] = {}
    missing_values: dict[int, frozenset[str]] = {}
    for number, variable in enumerate(frame.columns):
        label = labels.get(variable) or ""
        role = ROLES.get(fold(variable))
        columns.append(
            Column(header=variable, keys=tuple(k for k in (variable, label) if k), role=role)
        )
        if variable in meta.variable_value_labels:
            value_labels[number] = {
                _code_text(code): str(text)
                for code, text in meta.variable_value_labels[variable].items()
            }
        missing = _user_missing(frame[variable], meta.missing_ranges.get(variable, []))
        if missing:
            missing_values[number] = missing
    headers = unique_headers([c.header for c in columns])
    columns = [Column(h, c.keys, c.role) for h, c in zip(headers, columns, strict=True)]
    data.columns = range(len(columns))
    data = data[(data != "").any(axis=1)]
    roles = {c.role for c in columns}
    submitted = "finished" if "finished" in roles else "unknown"
    if submitted == "unknown" and "submitdate" in roles:
        submitted = "submitdate"
    return Layout(
        tool="spss",
        columns=tuple(columns),
        data=data,
        submitted=submitted,
        value_labels=value_labels,
        missing_values=missing_values,
    )


def _code_text(code: object) -> str:
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code).strip()


def _user_missing(values: pd.Series, ranges: list[dict]) -> frozenset[str]:
    """The texts of the column's distinct values that fall in a user-missing range."""
    out: set[str] = set()
    uniques = pd.unique(values.dropna())
    for missing in ranges:
        low, high = missing.get("lo"), missing.get("hi")
        for value in uniques:
            try:
                inside = low <= value <= high
            except TypeError:
                inside = False
            if inside:
                out.add(_code_text(value))
    return frozenset(out)
