"""LimeSurvey response exports (CSV and XLSX).

The CSV is UTF-8 with a BOM, ``;``-separated, every value quoted, CRLF line ends and an extra
empty line at the end. Headings are question codes (``AMB[AMB1]``, or ``AMB_AMB1`` with the
"underscore" option), full question text (``question [statement]``) or both (``AMB[AMB1].
question [statement]``). Answers are answer codes or full answer text, and one file can mix
respondents who answered in Dutch and in English. ``submitdate`` is empty for a respondent who
did not submit; ``interviewtime`` (with timings on) is the time taken in seconds.

With full-text headings LimeSurvey's own columns are headed in the administrator's language:
``Response ID, Date submitted, Last page, Start language, Seed, Token, Date started, Date last
action, IP address, Referrer URL`` and, with timings, ``Total time``, ``Group time: <group>``
and ``Question time: <question>`` (the English texts of ``createFieldMap`` and
``createTimingsFieldMap`` in LimeSurvey's ``application/helpers/common_helper.php``); German
``Antwort ID, Datum Abgeschickt, Letzte Seite, Start-Sprache, Zufallsstartwert, Datum gestartet,
Datum letzte Aktivität, IP-Adresse, Weiterleitungs-URL`` (as real exports have them); Dutch
``Antwoord ID, Datum verstuurd, ...`` (not checked against a real export). These are recognised
like the codes, so an empty ``Date submitted`` is a response that was not submitted.
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline.load.layout import Layout, data_rows, header_columns
from pipeline.load.match import fold, role_from

__all__ = ["ROLES", "is_limesurvey", "limesurvey_layout"]

#: LimeSurvey's own columns, folded: the codes, then the full-text headings in English,
#: German (as seen in real exports) and Dutch, each in LimeSurvey's column order.
ROLES: dict[str, str] = {
    "id": "id:respondent_id",
    "submitdate": "submitdate",
    "lastpage": "meta",
    "startlanguage": "meta",
    "seed": "meta",
    "token": "id:token",
    "startdate": "started_at",
    "datestamp": "meta",
    "ipaddr": "id:ip",
    "refurl": "id:url",
    "interviewtime": "duration",
    "firstname": "id:name",
    "lastname": "id:name",
    "email": "id:email",
    # English: createFieldMap and createTimingsFieldMap
    "response id": "id:respondent_id",
    "date submitted": "submitdate",
    "last page": "meta",
    "start language": "meta",
    "date started": "started_at",
    "date last action": "meta",
    "ip address": "id:ip",
    "referrer url": "id:url",
    "referring url": "id:url",  # LimeSurvey 1.x
    "total time": "duration",
    # German
    "antwort id": "id:respondent_id",
    "datum abgeschickt": "submitdate",
    "letzte seite": "meta",
    "start-sprache": "meta",
    "zufallsstartwert": "meta",
    "zufallsgeneratorstartwert": "meta",
    "datum gestartet": "started_at",
    "datum letzte aktivität": "meta",
    "ip-adresse": "id:ip",
    "weiterleitungs-url": "id:url",
    # Dutch
    "antwoord id": "id:respondent_id",
    "datum verstuurd": "submitdate",
    "laatste pagina": "meta",
    "starttaal": "meta",
    "toegangscode": "id:token",
    "datum gestart": "started_at",
    "datum laatste actie": "meta",
    "ip-adres": "id:ip",
    "verwijzende url": "id:url",
    "totale tijd": "duration",
}
_SIGNATURE = {"submitdate", "lastpage", "startlanguage", "datestamp"}
#: The timing columns: codes (``grouptime12``, ``123456X12time``, ``G12time``, ``Q34time``) and
#: the full-text ``Group time: <group>`` and ``Question time: <question>``.
_TIMING = re.compile(
    r"^(grouptime\d+|\d+x\d+(x\d+)?time|[gq]\d+time|(group|question) time:.*)$", re.DOTALL
)


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
            role_from(ROLES, heading) or ("meta" if _TIMING.match(fold(heading)) else None)
        ),
    )
    return data_rows("limesurvey", grid, 1, columns, name, submitted="submitdate")
