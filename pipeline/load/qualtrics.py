"""Qualtrics exports: CSV, TSV (UTF-16) and XLSX, current three-row and legacy two-row format.

Current format: row 1 the field names (``Q5_1``), row 2 the question text in the account's
language (a matrix statement as ``question - statement``), row 3 ``{"ImportId":"QID5_1"}``
(sometimes with a ``timeZone``); the first response is on row 4. Exports of 2016-2017 (and
files saved again by scripts) write row 3 as Python dictionaries, ``{'ImportId': 'QID1'}``,
with ``responseId``, ``panel-RecipientEmail`` and ``Location-LocationLatitude`` as the ids of
the tool's own columns (as in the test data of rOpenSci's qualtRics package); they are read
the same, as literals, never run as code. Legacy format: row 1
``V1..V10`` and then the field names, row 2 the metadata names and the question texts; the first
response is on row 3. Both may end with an empty column. ``Finished`` says whether a response
was submitted; ``Duration (in seconds)`` how long it took.
"""

from __future__ import annotations

import ast
import json
import re

import pandas as pd

from pipeline.load.layout import Column, Layout, data_rows
from pipeline.load.match import fold

__all__ = [
    "ROLES",
    "is_qualtrics",
    "is_qualtrics_legacy",
    "qualtrics_layout",
    "qualtrics_legacy_layout",
]

#: Qualtrics' own columns, by folded field name (row 1; legacy: row 2 of V1..V10).
ROLES: dict[str, str] = {
    "startdate": "started_at",
    "enddate": "ended_at",
    "status": "status",
    "ipaddress": "id:ip",
    "progress": "meta",
    "duration (in seconds)": "duration",
    "duration__in_seconds_": "duration",
    "finished": "finished",
    "recordeddate": "meta",
    "responseid": "id:respondent_id",
    "responseset": "meta",
    "name": "id:name",
    "recipientlastname": "id:name",
    "recipientfirstname": "id:name",
    "recipientemail": "id:email",
    "emailaddress": "id:email",
    "externalreference": "id:external_id",
    "externaldatareference": "id:external_id",
    "locationlatitude": "id:location",
    "locationlongitude": "id:location",
    "locationaccuracy": "id:location",
    "distributionchannel": "meta",
    "userlanguage": "meta",
    "_recordid": "id:respondent_id",
}
#: The same columns by their ImportId (row 3), in case a field was renamed.
_IMPORT_ROLES: dict[str, str] = {
    "startdate": "started_at",
    "enddate": "ended_at",
    "status": "status",
    "ipaddress": "id:ip",
    "progress": "meta",
    "duration": "duration",
    "finished": "finished",
    "recordeddate": "meta",
    "_recordid": "id:respondent_id",
    "recipientlastname": "id:name",
    "recipientfirstname": "id:name",
    "recipientemail": "id:email",
    "externaldatareference": "id:external_id",
    "locationlatitude": "id:location",
    "locationlongitude": "id:location",
    "distributionchannel": "meta",
    "userlanguage": "meta",
    # the ids of 2016-2017 exports, row 3 written as {'ImportId': 'responseId'}
    "responseid": "id:respondent_id",
    "responsesetid": "meta",
    "panel-recipientlastname": "id:name",
    "panel-recipientfirstname": "id:name",
    "panel-recipientemail": "id:email",
    "panel-externaldatareference": "id:external_id",
    "location-locationlatitude": "id:location",
    "location-locationlongitude": "id:location",
    "location-locationaccuracy": "id:location",
}
#: How a cell of row 3 starts: JSON (``{"ImportId"``) or a Python dictionary (``{'ImportId'``).
_IMPORT_ID_STARTS = ('{"ImportId"', "{'ImportId'")
#: A longer row-3 cell is no ImportId: never handed to the literal parser.
_IMPORT_ID_LENGTH = 1000
_GENERATED = re.compile(r" - (parent topics|topics|sentiment( polarity| score)?|topic sentiment)")
_LEGACY_V = re.compile(r"^V\d+$")


def _row(grid: pd.DataFrame, number: int) -> list[str]:
    if len(grid) <= number:
        return []
    return [str(v).strip() for v in grid.iloc[number]]


def is_qualtrics(grid: pd.DataFrame) -> bool:
    """Row 3 holds ``{"ImportId": ...}`` (or ``{'ImportId': ...}``) cells."""
    return any(cell.startswith(_IMPORT_ID_STARTS) for cell in _row(grid, 2))


def is_qualtrics_legacy(grid: pd.DataFrame) -> bool:
    """Row 1 starts ``V1, V2`` and row 2 names ``ResponseID``."""
    first = _row(grid, 0)
    return first[:2] == ["V1", "V2"] and "responseid" in {fold(c) for c in _row(grid, 1)}


def _import_id(cell: str) -> str:
    """The ImportId of a row-3 cell, JSON or a Python dictionary; "" when it has none.

    A Python dictionary is read by :func:`ast.literal_eval`, which takes literals only: a cell
    is data, never code.
    """
    if not cell.startswith(_IMPORT_ID_STARTS) or len(cell) > _IMPORT_ID_LENGTH:
        return ""
    try:
        value = json.loads(cell) if cell.startswith('{"') else ast.literal_eval(cell)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return ""
    return str(value.get("ImportId", "")) if isinstance(value, dict) else ""


def _role(name: str, text: str, import_id: str = "") -> str | None:
    role = ROLES.get(fold(name)) or _IMPORT_ROLES.get(fold(import_id))
    if role:
        return role
    if name.startswith("Q_") or _GENERATED.search(fold(text or name)):
        return "meta"  # Qualtrics' own fields (Q_TotalDuration, ...) and text analysis columns
    return None


def qualtrics_layout(grid: pd.DataFrame, name: str) -> Layout:
    """The current three-row format."""
    names, texts, imports = _row(grid, 0), _row(grid, 1), _row(grid, 2)
    columns = [
        Column(
            header=field_name,
            keys=tuple(k for k in (field_name, text) if k),
            role=_role(field_name, text, _import_id(import_cell)),
        )
        for field_name, text, import_cell in zip(names, texts, imports, strict=True)
    ]
    return data_rows("qualtrics", grid, 3, columns, name, submitted="finished")


def qualtrics_legacy_layout(grid: pd.DataFrame, name: str) -> Layout:
    """The legacy two-row format: ``V1..V10`` then field names; metadata names in row 2."""
    names, texts = _row(grid, 0), _row(grid, 1)
    columns = []
    for field_name, text in zip(names, texts, strict=True):
        if _LEGACY_V.match(field_name):
            columns.append(Column(header=text or field_name, keys=(text,), role=_role(text, text)))
        else:
            columns.append(
                Column(
                    header=field_name,
                    keys=tuple(k for k in (field_name, text) if k),
                    role=_role(field_name, text),
                )
            )
    return data_rows("qualtrics-legacy", grid, 2, columns, name, submitted="finished")
