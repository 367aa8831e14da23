"""SurveyMonkey exports (XLSX and CSV, "all responses data", expanded).

Two header rows. Row 1: ``Respondent ID, Collector ID, Start Date, End Date, IP Address, Email
Address, First Name, Last Name, Custom Data 1``, then the question text, written only above the
first column of a matrix (the next cells are empty). Row 2: the statement of a matrix column, or
``Response`` / ``Open-Ended Response``. The first response is on row 3. Dates are American
(month first, with AM/PM). The export does not say whether a response was completed.
"""

from __future__ import annotations

import pandas as pd

from pipeline.load.layout import Column, Layout, data_rows
from pipeline.load.match import fold

__all__ = ["ROLES", "is_surveymonkey", "surveymonkey_layout"]

#: SurveyMonkey's own columns (row 1), folded; English and Dutch accounts.
ROLES: dict[str, str] = {
    "respondent id": "id:respondent_id",
    "respondent-id": "id:respondent_id",
    "collector id": "meta",
    "collector-id": "meta",
    "start date": "started_at",
    "begindatum": "started_at",
    "startdatum": "started_at",
    "end date": "ended_at",
    "einddatum": "ended_at",
    "ip address": "id:ip",
    "ip-adres": "id:ip",
    "email address": "id:email",
    "e-mailadres": "id:email",
    "first name": "id:name",
    "voornaam": "id:name",
    "last name": "id:name",
    "achternaam": "id:name",
    **{f"custom data {n}": "id:external_id" for n in range(1, 6)},
    **{f"aangepaste gegevens {n}": "id:external_id" for n in range(1, 6)},
}
#: Row 2 of a column that is a whole question rather than a matrix statement.
_WHOLE_QUESTION = {
    "response",
    "open-ended response",
    "antwoord",
    "reactie",
    "open antwoord",
    "open reactie",
    "open-ended antwoord",
}


def is_surveymonkey(grid: pd.DataFrame) -> bool:
    """Row 1 has ``Respondent ID`` and ``Collector ID``."""
    first = {fold(c) for c in grid.iloc[0]} if len(grid) else set()
    return bool(first & {"respondent id", "respondent-id"}) and bool(
        first & {"collector id", "collector-id"}
    )


def surveymonkey_layout(grid: pd.DataFrame, name: str) -> Layout:
    """Columns from the two header rows; a matrix statement keeps its question."""
    questions = [str(c).strip() for c in grid.iloc[0]]
    seconds = [str(c).strip() for c in grid.iloc[1]] if len(grid) > 1 else [""] * len(questions)
    columns = []
    question = ""
    for text, second in zip(questions, seconds, strict=True):
        role = ROLES.get(fold(text)) if text else None
        if text:
            question = text
        elif not second:
            question = ""  # a column without anything above it: a trailing empty column
        if role or fold(second) in _WHOLE_QUESTION or not second:
            columns.append(Column(header=text, keys=(text,) if text else (), role=role))
        else:
            columns.append(
                Column(
                    header=f"{question} - {second}" if question else second,
                    keys=(second, f"{question} - {second}") if question else (second,),
                )
            )
    return data_rows("surveymonkey", grid, 2, columns, name, month_first=True)
