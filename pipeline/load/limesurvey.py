"""LimeSurvey response exports (CSV and XLSX).

The CSV is UTF-8 with a BOM, ``;``-separated, every value quoted, CRLF line ends and an extra
empty line at the end. Headings are question codes (``AMB[AMB1]``, or ``AMB_AMB1`` with the
"underscore" option), full question text (``question [statement]``) or both (``AMB[AMB1].
question [statement]``). Answers are answer codes or full answer text, and one file can mix
respondents who answered in Dutch and in English. ``submitdate`` is empty for a respondent who
did not submit; ``interviewtime`` (with timings on) is the time taken in seconds.
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline.load.layout import Layout, data_rows, header_columns
from pipeline.load.match import role_from

__all__ = ["ROLES", "is_limesurvey", "limesurvey_layout"]

#: LimeSurvey's own columns, folded: codes and Dutch full-text headings.
ROLES: dict[str, str] = {
    "id": "id:respondent_id",
    "antwoord id": "id:respondent_id",
    "submitdate": "submitdate",
    "datum verstuurd": "submitdate",
    "lastpage": "meta",
    "laatste pagina": "meta",
    "startlanguage": "meta",
    "starttaal": "meta",
    "seed": "meta",
    "token": "id:token",
    "toegangscode": "id:token",
    "startdate": "started_at",
    "datum gestart": "started_at",
    "datestamp": "meta",
    "datum laatste actie": "meta",
    "ipaddr": "id:ip",
    "ip-adres": "id:ip",
    "refurl": "id:url",
    "verwijzende url": "id:url",
    "interviewtime": "duration",
    "totale tijd": "duration",
    "firstname": "id:name",
    "lastname": "id:name",
    "email": "id:email",
}
_SIGNATURE = {"submitdate", "lastpage", "startlanguage", "datestamp"}
_GROUP_TIME = re.compile(r"^grouptime\d+$")


def is_limesurvey(grid: pd.DataFrame) -> bool:
    """The heading row has ``id`` and LimeSurvey's ``submitdate``, ``lastpage`` or the like."""
    if not len(grid):
        return False
    roles = [role_from(ROLES, str(c)) for c in grid.iloc[0]]
    headings = {str(c).strip().split(".")[0].strip().casefold() for c in grid.iloc[0]}
    has_submit = "submitdate" in roles or bool(headings & _SIGNATURE)
    return "id:respondent_id" in roles and has_submit


def limesurvey_layout(grid: pd.DataFrame, name: str) -> Layout:
    """One heading row; the first response is on row 2."""
    columns = header_columns(
        grid,
        lambda heading: (
            role_from(ROLES, heading) or ("meta" if _GROUP_TIME.match(heading.casefold()) else None)
        ),
    )
    return data_rows("limesurvey", grid, 1, columns, name, submitted="submitdate")
