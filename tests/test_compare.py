"""Party and partnership summaries and disclosure control, checked by hand and against scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from small_instrument import write_small_instrument

from pipeline.compare import (
    SUMMARY_COLUMNS,
    band,
    partnership_summary,
    party_statistics,
    suppress_small_groups,
)
from pipeline.config import Bands
from pipeline.questionnaire import load_instrument
from pipeline.score import dimension_scores

NA = pd.NA


@pytest.fixture(scope="module")
def instrument(tmp_path_factory):
    return load_instrument(write_small_instrument(tmp_path_factory.mktemp("i") / "small.xlsx"))


def responses(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame([{"round": "2025", "level": "uitvoering", **row} for row in rows])
    for column in ("X1", "X2", "X3", "Y1", "Y2", "Y3", "F1"):
        frame[column] = frame.get(column, pd.Series(NA, index=frame.index)).astype("Int8")
    return frame


@pytest.fixture()
def example(instrument):
    frame = responses(
        [
            # D1 = 13/3; D2 too few items
            {"party": "a", "respondent": "r1", "X1": 4, "X2": 5, "X3": 2, "Y1": 3},
            # D1 = (2 + 1)/2 = 1.5; D2 = 13/3
            {"party": "a", "respondent": "r2", "X1": 2, "X3": 5, "Y1": 4, "Y2": 4, "Y3": 5},
            # D1 = (5 + 5 + 4)/3 = 14/3; D2 = 2
            {
                "party": "b",
                "respondent": "r3",
                "X1": 5,
                "X2": 5,
                "X3": 2,
                "Y1": 2,
                "Y2": 2,
                "Y3": 2,
            },
        ]
    )
    return frame, dimension_scores(frame, instrument)


def test_band_thresholds():
    means = pd.Series([4.0, 3.99, 3.0, 2.999, np.nan])
    assert band(means, Bands()).tolist() == ["shines", "attention", "attention", "chafes", None]
    assert band(pd.Series([3.6]), Bands(shines=3.5, chafes=2.5)).tolist() == ["shines"]


def test_party_statistics_by_hand(instrument, example):
    frame, scores = example
    table = party_statistics(frame, scores, instrument, ["a", "b", "c"], Bands())
    assert list(table.columns) == SUMMARY_COLUMNS[:-1]
    a = table.set_index(["party", "dimension"]).loc[("a", "D1")]
    assert a["n"] == 2
    assert a["mean"] == pytest.approx((13 / 3 + 1.5) / 2)
    assert a["sd"] == pytest.approx(abs(13 / 3 - 1.5) / np.sqrt(2))
    low, high = stats.t.interval(0.95, 1, loc=a["mean"], scale=a["sd"] / np.sqrt(2))
    assert (a["ci_low"], a["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    # answered items of scored respondents after reverse coding: 4,5,4 and 2,1 -> 3 of 5 favourable
    assert a["pct_favourable"] == pytest.approx(60.0)
    assert a["band"] == "chafes"  # 2.9167


def test_party_statistics_keeps_parties_without_respondents(instrument, example):
    frame, scores = example
    table = party_statistics(frame, scores, instrument, ["a", "b", "c"], Bands())
    c = table[table["party"] == "c"]
    assert c["n"].tolist() == [0, 0]
    assert c["mean"].isna().all()
    b = table.set_index(["party", "dimension"]).loc[("b", "D2")]
    assert (b["n"], b["mean"], b["pct_favourable"]) == (1, 2.0, 0.0)
    assert np.isnan(b["sd"]) and np.isnan(b["ci_low"])


def test_partnership_is_the_mean_of_party_means(instrument, example):
    _, scores = example
    table = partnership_summary(scores, instrument, Bands()).set_index("dimension")
    d1 = table.loc["D1"]
    party_a = (13 / 3 + 1.5) / 2
    assert d1["parties"] == 2 and d1["n"] == 3
    assert d1["mean_equal_weight"] == pytest.approx((party_a + 14 / 3) / 2)
    assert d1["mean_respondent_weight"] == pytest.approx((13 / 3 + 1.5 + 14 / 3) / 3)
    assert d1["band"] == "attention"  # 3.79
    d2 = table.loc["D2"]
    assert d2["mean_equal_weight"] == pytest.approx((13 / 3 + 2) / 2)


def statistics_table(ns: dict[str, dict[str, int]]) -> pd.DataFrame:
    rows = [
        {
            "round": "2025",
            "party": party,
            "dimension": dim,
            "n": n,
            "mean": 3.5,
            "sd": 1.0,
            "ci_low": 3.0,
            "ci_high": 4.0,
            "pct_favourable": 50.0,
            "band": "attention",
        }
        for dim, by_party in ns.items()
        for party, n in by_party.items()
    ]
    return pd.DataFrame(rows)


def test_primary_and_secondary_suppression():
    table = suppress_small_groups(
        statistics_table(
            {
                "D1": {"a": 10, "b": 3, "c": 6, "d": 8},  # b primary, c (next smallest) secondary
                "D2": {"a": 2, "b": 3, "c": 10},  # two primary: no secondary needed
                "D3": {"a": 5, "b": 9},  # 5 is not under the threshold
                "D4": {"a": 3, "b": 7, "c": 7},  # tie for next smallest: the first, b
            }
        ),
        min_group_size=5,
    )
    hidden = {
        dim: sorted(rows.loc[rows["suppressed"], "party"])
        for dim, rows in table.groupby("dimension")
    }
    assert hidden == {"D1": ["b", "c"], "D2": ["a", "b"], "D3": [], "D4": ["a", "b"]}


def test_suppressed_rows_keep_n_and_lose_every_statistic():
    table = suppress_small_groups(statistics_table({"D1": {"a": 3, "b": 6, "c": 9}}), 5)
    hidden = table[table["suppressed"]]
    assert hidden["n"].tolist() == [3, 6]
    for column in ("mean", "sd", "ci_low", "ci_high", "pct_favourable"):
        assert hidden[column].isna().all(), column
    assert hidden["band"].isna().all()
    shown = table[~table["suppressed"]]
    assert shown["mean"].tolist() == [3.5] and shown["band"].tolist() == ["attention"]


def test_no_breakdown_has_exactly_one_hidden_cell():
    rng = np.random.default_rng(7)
    for _ in range(200):
        parties = int(rng.integers(2, 7))
        ns = {
            f"D{d}": {f"p{i}": int(rng.integers(0, 12)) for i in range(parties)} for d in range(3)
        }
        table = suppress_small_groups(statistics_table(ns), 5)
        for _, rows in table.groupby("dimension"):
            assert rows["suppressed"].sum() != 1
            assert rows.loc[rows["n"] < 5, "suppressed"].all()
