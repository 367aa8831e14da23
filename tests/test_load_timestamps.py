"""Dates in each tool's format, durations, and whether a response was submitted."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.load.timestamps import (
    duration_seconds,
    parse_timestamps,
    submitted_flags,
    timestamp_text,
)


def _text(values: list[str], month_first: bool = False) -> list[object]:
    raw = pd.Series(values)
    out = timestamp_text(parse_timestamps(raw, month_first), raw)
    return [None if pd.isna(v) else v for v in out]


@pytest.mark.parametrize(
    ("values", "month_first", "expected"),
    [
        (["2025-10-06 09:21:37"], False, "2025-10-06 09:21:37"),  # Qualtrics, LimeSurvey
        (["2025-10-06T09:21:37.902+02:00"], False, "2025-10-06 09:21:37"),  # Kobo, zone dropped
        (["2025-10-06T07:21:40.000Z"], False, "2025-10-06 07:21:40"),  # ODK Central
        (["6-10-2025 9:21:37"], False, "2025-10-06 09:21:37"),  # Dutch Google Forms
        (["10/06/2025 09:21:37 AM"], True, "2025-10-06 09:21:37"),  # SurveyMonkey
        (["2025/10/06 9:21:37 PM GMT+2"], False, "2025-10-06 21:21:37"),  # English Google Forms
        (["06.10.2025 09:21"], False, "2025-10-06 09:21:00"),
    ],
)
def test_formats(values: list[str], month_first: bool, expected: str) -> None:
    assert _text(values, month_first) == [expected]


def test_a_column_is_read_in_one_order() -> None:
    # 03-10 could be 3 October or 10 March; 25-10 can only be day first: the column is day first
    assert _text(["03-10-2025 10:00", "25-10-2025 10:00"]) == [
        "2025-10-03 10:00:00",
        "2025-10-25 10:00:00",
    ]
    assert _text(["03/10/2025 10:00", "12/25/2025 10:00"], month_first=True)[0] == (
        "2025-03-10 10:00:00"
    )


def test_empty_and_unreadable() -> None:
    assert _text(["", "gisteren"]) == [None, "gisteren"]


def test_duration() -> None:
    start = parse_timestamps(pd.Series(["2025-10-06 09:00:00", ""]))
    end = parse_timestamps(pd.Series(["2025-10-06 09:10:30", "2025-10-06 09:10:30"]))
    seconds = duration_seconds(None, start, end)
    assert seconds is not None
    assert seconds[0] == 630.0
    assert pd.isna(seconds[1])
    given = duration_seconds(pd.Series(["38", "12,5", ""]), start, end)
    assert given is not None
    assert [None if pd.isna(v) else v for v in given] == [38.0, 12.5, None]
    assert duration_seconds(None, start, None) is None


def test_submitted_flags() -> None:
    index = pd.RangeIndex(4)
    finished = pd.Series(["1", "0", "True", ""])
    flags = submitted_flags("finished", index, finished, None, None)
    assert [None if pd.isna(v) else v for v in flags] == [True, False, True, None]
    status = pd.Series(["0", "1", "Survey Test", "IP Address"])
    flags = submitted_flags("finished", index, pd.Series(["1"] * 4), status, None)
    assert list(flags) == [True, False, False, True]
    dates = pd.Series(["2025-10-06 09:00:00", "", "x", " "])
    assert list(submitted_flags("submitdate", index, None, None, dates)) == [
        True,
        False,
        True,
        False,
    ]
    assert submitted_flags("always", index, None, None, None).all()
    assert submitted_flags("unknown", index, None, None, None).isna().all()


@settings(max_examples=100, deadline=None)
@given(
    moments=st.lists(
        st.one_of(
            st.none(),
            st.datetimes(dt.datetime(1000, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59)),
            st.datetimes(dt.datetime(1, 1, 1), dt.datetime(999, 12, 31)),  # years padded to 4
        ),
        max_size=20,
    )
)
def test_timestamp_text_is_the_iso_form_of_each_moment_to_the_second(
    moments: list[dt.datetime | None],
) -> None:
    parsed = pd.Series(pd.array(moments, dtype="datetime64[us]"))
    raw = pd.Series(["" if m is None else "x" for m in moments])  # blank where unparsed
    expected = [
        None
        if moment is None
        else f"{moment.year:04d}-{moment:%m-%d %H:%M:%S}"  # microseconds dropped, not rounded
        for moment in moments
    ]
    out = timestamp_text(parsed, raw)
    assert [None if pd.isna(text) else text for text in out] == expected


def test_timestamp_text_of_a_year_of_five_digits_is_still_iso() -> None:
    parsed = pd.Series(np.array(["12000-01-02T03:04:05", "NaT"], dtype="datetime64[us]"))
    out = timestamp_text(parsed, pd.Series(["x", ""]))
    assert out[0] == "12000-01-02 03:04:05"
    assert pd.isna(out[1])
