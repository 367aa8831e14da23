"""KoboToolbox and ODK Central exports (CSV, often ``;``-separated, or XLSX).

Headers and answers are XML names (``achtergrond/level``, ``bestuur``) or labels; a group path
is written ``group/name`` (Kobo) or ``group-name`` (ODK Central). System columns: Kobo's
``start, end, today, deviceid, ..., _id, _uuid, _submission_time, _validation_status, _notes,
_status, _submitted_by, __version__, _tags, _index``; ODK Central's ``SubmissionDate, ...,
meta-instanceID, KEY, SubmitterID, SubmitterName, ..., ReviewState, DeviceID, Edits,
FormVersion``. Only submitted responses are exported.

A geopoint question is a location, never an answer: Kobo writes the point itself and
``_<name>_latitude``, ``_<name>_longitude``, ``_<name>_altitude``, ``_<name>_precision``
(formpack's ``FormGPSField``); ODK Central ``<path>-Latitude``, ``-Longitude``, ``-Altitude``
and ``-Accuracy`` (``getHeader`` in central-backend's ``lib/data/briefcase.js``). A
``select_multiple`` question is Kobo's ``<name>`` (the chosen names) and ``<name>/<choice>``
(1 or 0 each), ODK Central's one column of chosen names.
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline.load.layout import Layout, data_rows, header_columns
from pipeline.load.match import GEOPOINT, fold, role_from

__all__ = ["ROLES", "is_kobo", "kobo_layout"]

#: Kobo's and ODK Central's own columns, folded (also as the last part of a group path).
ROLES: dict[str, str] = {
    "start": "started_at",
    "end": "ended_at",
    "today": "meta",
    "deviceid": "id:device",
    "device id": "id:device",
    "device_id": "id:device",
    "subscriberid": "id:device",
    "simserial": "id:device",
    "phonenumber": "id:phone",
    "username": "id:account",
    "email": "id:email",
    "audit": "meta",
    "_id": "id:respondent_id",
    "_uuid": "id:respondent_id",
    "instanceid": "id:respondent_id",
    "meta-instanceid": "id:respondent_id",
    "key": "id:respondent_id",
    "_submission_time": "submitted_at",
    "submissiondate": "submitted_at",
    "_submitted_by": "id:account",
    "submitterid": "id:account",
    "submittername": "id:account",
    "_validation_status": "meta",
    "_notes": "meta",
    "_status": "meta",
    "__version__": "meta",
    "_version_": "meta",
    "_tags": "meta",
    "_index": "id:respondent_id",  # the export's row number, as _id
    "_parent_index": "meta",
    "_xform_id_string": "meta",
    "_attachments": "meta",
    "_geolocation": "id:location",
    "uuid": "meta",
    "formhub/uuid": "meta",
    "formhub-uuid": "meta",
    "rootuuid": "meta",
    "meta-rootuuid": "meta",
    "deprecatedid": "meta",
    "meta-deprecatedid": "meta",
    "instancename": "meta",
    "meta-instancename": "meta",
    "attachmentspresent": "meta",
    "attachmentsexpected": "meta",
    "status": "meta",
    "reviewstate": "meta",
    "edits": "meta",
    "formversion": "meta",
}
_SIGNATURE = {
    "_id",
    "_uuid",
    "_submission_time",
    "_index",
    "_submitted_by",
    "__version__",
    "meta/instanceid",
    "meta-instanceid",
    "formhub/uuid",
    "submissiondate",
}


def is_kobo(grid: pd.DataFrame) -> bool:
    """The header has Kobo's or ODK Central's system columns."""
    return len(grid) > 0 and bool({fold(c) for c in grid.iloc[0]} & _SIGNATURE)


def kobo_layout(grid: pd.DataFrame, name: str) -> Layout:
    """One header row; the first response is on row 2."""
    points = _geopoints([str(cell).strip() for cell in grid.iloc[0]])

    def role(header: str) -> str | None:
        folded = fold(header)
        if folded in points or GEOPOINT.search(folded):
            return "id:location"
        return ROLES.get(folded) or (role_from(ROLES, header) if "/" in header else None)

    columns = header_columns(grid, role)
    return data_rows("kobo", grid, 1, columns, name, submitted="always")


#: Kobo's latitude column of a geopoint (folded), with the group path before it.
_KOBO_LATITUDE = re.compile(r"^(?P<path>(?:.*/)?)_(?P<name>[^/]+)_latitude$")


def _geopoints(headers: list[str]) -> frozenset[str]:
    """The (folded) headers of Kobo's geopoint columns themselves: those with a latitude.

    ``groep/locatie`` holds "lat lon altitude precision" when ``groep/_locatie_latitude`` is
    there too; its name is any question name, so only its neighbours tell what it is.
    """
    found = (_KOBO_LATITUDE.match(fold(header)) for header in headers)
    return frozenset(match["path"] + match["name"] for match in found if match)
