"""When a response was started and submitted, how long it took, and whether it was submitted.

Tools write dates in their own way: ISO (Qualtrics, LimeSurvey, Kobo, workbooks), day first
(Dutch Google Forms, Microsoft Forms), month first with AM/PM (SurveyMonkey, English Google
Forms). Each column is parsed with the format that reads most of its distinct values, trying
the tool's usual order first, so that 03-04-2025 is read the same way as the rest of its column.
A time zone suffix (``+02:00``, ``Z``, ``GMT+2``) is dropped: times stay the local times the
tool wrote. Every parse runs once per distinct value, never per row.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.load.cells import distinct_text, filled, numbers
from pipeline.load.match import fold_column

__all__ = ["duration_seconds", "parse_timestamps", "submitted_flags", "timestamp_text"]

_ZONE = re.compile(r"(\s*(Z|[+-]\d\d:?\d\d|(GMT|UTC)([+-]\d{1,2}(:?\d\d)?)?|CES?T|CEST))$", re.I)
#: ISO dates and times without a zone (or empty): parsed as they are.
_PLAIN_ISO = r"(\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d(\.\d+)?)?)?)?"
_DAY_FIRST = (
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d-%m-%Y",
    "%d/%m/%Y",
)
_MONTH_FIRST = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
)
_OTHER = ("%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
_TRUE = {"1", "true", "waar", "ja", "yes", "finished", "voltooid", "complete", "completed"}
_FALSE = {"0", "false", "onwaar", "nee", "no", "not finished", "niet voltooid", "incomplete"}
_NOT_RESPONSES = ("preview", "test", "voorbeeld")  # Qualtrics response types that are no response


def parse_timestamps(column: pd.Series, month_first: bool = False) -> pd.Series:
    """Text timestamps as datetimes (NaT where empty or unreadable).

    The distinct texts are tidied in Python and parsed as arrays: on a round's few dozen
    distinct times, pandas' string methods and Series cost more than the work.
    """
    codes, texts = distinct_text(column)
    plain = pc.match_substring_regex(pa.array(texts, type=pa.large_string()), _PLAIN_ISO_TEXT)
    if pc.all(plain).as_py():  # the usual case
        parsed = pd.to_datetime(np.array(texts, dtype=object), format="ISO8601", errors="coerce")
        return pd.Series(parsed.to_numpy()[codes], index=column.index, dtype="datetime64[us]")
    values = np.array([_tidy_time(text) for text in texts], dtype=object)
    parsed = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    ordered = _MONTH_FIRST + _DAY_FIRST if month_first else _DAY_FIRST + _MONTH_FIRST
    candidates = ("ISO8601", *ordered, *_OTHER)
    remaining = np.array([bool(_DIGIT_FIRST.match(text)) for text in values], dtype=bool)
    while remaining.any():
        rows = np.flatnonzero(remaining)
        best, best_read, best_count = None, None, 0
        for fmt in candidates:
            attempt = pd.to_datetime(values[rows], format=fmt, errors="coerce")
            read = ~np.isnat(attempt.to_numpy())
            count = int(read.sum())
            if count > best_count:
                best, best_read, best_count = attempt, read, count
            if count == len(rows):  # reads every value left: no later format can do better
                break
        if best is None:
            break
        parsed[rows[best_read]] = best.to_numpy()[best_read].astype("datetime64[us]")
        remaining &= np.isnat(parsed)
    return pd.Series(parsed[codes], index=column.index, dtype="datetime64[us]")


_PLAIN_ISO_TEXT = f"^{_PLAIN_ISO}$"  # Arrow's (RE2) "$" is the end of the text only
_DIGIT_FIRST = re.compile(r"\d")
_AM = re.compile(r"\b(a\.m\.|vm)$")
_PM = re.compile(r"\b(p\.m\.|nm)$")


def _tidy_time(text: str) -> str:
    """A time without its zone, with AM or PM as ``%p`` reads them."""
    return _PM.sub("PM", _AM.sub("AM", _ZONE.sub("", text).strip()))


def timestamp_text(parsed: pd.Series, raw: pd.Series) -> pd.Series:
    """ISO text (``2025-10-01 09:12:33``) where parsed, the raw text where not, NA where empty.

    Each distinct moment is formatted once: a round's submissions share their minutes.
    """
    codes, moments = pd.factorize(parsed.to_numpy().astype("datetime64[s]"))  # NaT: -1
    texts = np.array([*_iso_texts(np.asarray(moments)), pd.NA], dtype=object)
    text = pd.Series(texts[codes], index=parsed.index, dtype=object)
    unparsed = codes < 0
    if unparsed.any():
        rest = raw[unparsed]
        text[unparsed] = rest.astype(object).where(filled(rest), pd.NA)  # cells are stripped
    return text


def _iso_texts(moments: np.ndarray) -> np.ndarray:
    """``YYYY-MM-DD HH:MM:SS`` of moments (``datetime64[s]``, no NaT), as Python strings.

    numpy's ISO form with the ``T`` made a space where every year has four digits (as Arrow's
    ``strftime`` pads them); Arrow's ``strftime``, several times slower, otherwise.
    """
    if not len(moments):
        return np.array([], dtype=object)
    iso = np.datetime_as_string(moments, unit="s")  # 2025-10-01T09:12:33
    chars = iso.view(np.uint32).reshape(len(iso), -1)  # a year of 5 digits or BC moves the T
    if (chars[:, 10] == ord("T")).all():
        chars[:, 10] = ord(" ")
        return iso.astype(object)
    formatted = pc.strftime(pa.array(moments), format="%Y-%m-%d %H:%M:%S")
    return np.array(formatted.to_pylist(), dtype=object)


def duration_seconds(
    duration: pd.Series | None, started: pd.Series | None, ended: pd.Series | None
) -> pd.Series | None:
    """Seconds from the tool's duration column, else end minus start; None when neither."""
    if duration is not None:
        return numbers(duration)
    if started is not None and ended is not None:
        seconds = (ended - started).dt.total_seconds()
        return seconds.astype("Float64")
    return None


def submitted_flags(
    rule: str,
    index: pd.Index,
    finished: pd.Series | None,
    status: pd.Series | None,
    submitdate: pd.Series | None,
) -> pd.Series:
    """Whether each response was submitted: True, False, or NA where the tool does not say.

    Parameters
    ----------
    rule
        The layout's rule (``finished``, ``submitdate``, ``always``, ``unknown``).
    index
        The rows.
    finished
        A finished column (1/0, true/false), where the export has one.
    status
        Qualtrics' response type: a survey preview or test is not a submitted response.
    submitdate
        LimeSurvey's submit date: empty when the respondent did not submit.
    """
    flags = pd.Series(pd.NA, index=index, dtype="boolean")
    if finished is not None:
        folded = fold_column(finished)
        flags = flags.mask(folded.isin(_TRUE), True).mask(folded.isin(_FALSE), False)
    elif submitdate is not None:
        flags = pd.Series(submitdate.astype(str).str.strip() != "", index=index, dtype="boolean")
    elif rule == "always":
        flags = pd.Series(True, index=index, dtype="boolean")
    if status is not None:
        folded = fold_column(status)
        no_response = folded.isin(["1", "2"]) | folded.str.contains(
            "|".join(_NOT_RESPONSES), regex=True
        )
        flags = flags.mask(no_response, False)
    return flags
