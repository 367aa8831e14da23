"""Scores and reliability, checked against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from small_instrument import write_small_instrument

from pipeline import score
from pipeline.questionnaire import load_instrument
from pipeline.score import (
    cronbach_alpha,
    dimension_scores,
    reliability_tables,
    reverse_coded,
    two_thirds_answered,
)

NA = pd.NA


@pytest.fixture(scope="module")
def instrument(tmp_path_factory):
    return load_instrument(write_small_instrument(tmp_path_factory.mktemp("i") / "small.xlsx"))


def responses(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in ("X1", "X2", "X3", "Y1", "Y2", "Y3", "F1"):
        frame[column] = frame.get(column, pd.Series(NA, index=frame.index)).astype("Int8")
    return frame


BASE = {"round": "2025", "party": "a", "level": "uitvoering"}


def test_reverse_coding_uses_the_choice_list_not_the_observed_extremes(instrument):
    # only 2 and 3 observed: reversing by observed extremes would give 3 and 2; by the scale 4, 3
    frame = responses(
        [{**BASE, "respondent": "r1", "X3": 2}, {**BASE, "respondent": "r2", "X3": 3}]
    )
    assert reverse_coded(frame, instrument)["X3"].tolist() == [4.0, 3.0]


def test_reverse_coding_leaves_other_items_and_missing_alone(instrument):
    frame = responses([{**BASE, "respondent": "r1", "X1": 2, "X3": NA}])
    values = reverse_coded(frame, instrument)
    assert values.at[0, "X1"] == 2.0
    assert np.isnan(values.at[0, "X3"])


def test_two_thirds_rule_boundaries():
    assert two_thirds_answered(2, 3)  # 2 of 3 is exactly two thirds
    assert not two_thirds_answered(1, 3)
    assert not two_thirds_answered(2, 4)  # 2 of 4 is a half
    assert two_thirds_answered(3, 4)
    assert two_thirds_answered(4, 6)
    assert not two_thirds_answered(3, 5)  # 3 of 5 = 0.6 < 2/3
    assert two_thirds_answered(4, 5)


def test_dimension_scores_by_hand(instrument):
    frame = responses(
        [
            # D1: 4, 5, reverse(2)=4 -> 13/3; D2: only Y1 answered (1 of 3) -> no score
            {**BASE, "respondent": "r1", "X1": 4, "X2": 5, "X3": 2, "Y1": 3},
            # D1: 2 and reverse(5)=1 (2 of 3 answered) -> 1.5; D2: 4, 4, 5 -> 13/3
            {**BASE, "respondent": "r2", "X1": 2, "X3": 5, "Y1": 4, "Y2": 4, "Y3": 5},
        ]
    )
    scores = dimension_scores(frame, instrument)
    assert list(scores.columns) == ["round", "party", "respondent", "level", "D1", "D2"]
    assert scores.at[0, "D1"] == pytest.approx(13 / 3)
    assert np.isnan(scores.at[0, "D2"])
    assert scores.at[1, "D1"] == pytest.approx(1.5)
    assert scores.at[1, "D2"] == pytest.approx(13 / 3)


def test_cronbach_alpha_worked_example():
    # item variances 5/3, 19/12, 5/3 (sum 59/12); total variance 57/4
    # alpha = 3/2 * (1 - (59/12) / (57/4)) = 56/57
    items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 5], "c": [2, 3, 4, 5]}, dtype=float)
    assert cronbach_alpha(items) == pytest.approx(56 / 57)


def test_cronbach_alpha_matches_the_covariance_formula():
    rng = np.random.default_rng(3)
    latent = rng.normal(size=200)
    items = pd.DataFrame({f"i{k}": latent + rng.normal(size=200) for k in range(5)})
    covariance = np.cov(items.to_numpy(), rowvar=False)
    k = covariance.shape[0]
    expected = k / (k - 1) * (1 - np.trace(covariance) / covariance.sum())
    assert cronbach_alpha(items) == pytest.approx(expected)


def test_cronbach_alpha_uses_complete_rows_only():
    items = pd.DataFrame(
        {"a": [1, 2, 3, 4, 5.0], "b": [2, 3, 3, 5, np.nan], "c": [2, 3, 4, 5, 1.0]}
    )
    assert cronbach_alpha(items) == pytest.approx(56 / 57)


def test_cronbach_alpha_undefined_cases():
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [1.0, 2.0]})))  # one item
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [1.0], "b": [2.0]})))  # one row
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [3.0, 3.0], "b": [3.0, 3.0]})))  # no variance


def test_reliability_table_counts_complete_respondents_after_reverse_coding(instrument):
    frame = responses(
        [
            {**BASE, "respondent": "r1", "X1": 1, "X2": 2, "X3": 4},  # reversed X3 = 2
            {**BASE, "respondent": "r2", "X1": 2, "X2": 3, "X3": 3},  # 3
            {**BASE, "respondent": "r3", "X1": 3, "X2": 3, "X3": 2},  # 4
            {**BASE, "respondent": "r4", "X1": 4, "X2": 5, "X3": 1},  # 5
            {**BASE, "respondent": "r5", "X1": 4, "X2": NA, "X3": 1},  # incomplete
        ]
    )
    table = reliability_tables(frame, instrument, "2025")[0]
    assert list(table.columns) == [
        "round", "dimension", "n_items", "n_complete", "alpha", "alpha_ci_low", "alpha_ci_high",
        "flag_low",
    ]  # fmt: skip
    d1 = table.set_index("dimension").loc["D1"]
    assert (d1["n_items"], d1["n_complete"]) == (3, 4)
    assert d1["alpha"] == pytest.approx(56 / 57)
    assert (d1["alpha_ci_low"], d1["alpha_ci_high"]) == (
        pytest.approx(0.884, abs=5e-4),
        pytest.approx(0.999, abs=5e-4),
    )  # pingouin's printed interval for this example
    assert not d1["flag_low"]
    assert np.isnan(table.set_index("dimension").at["D2", "alpha"])


def test_item_reliability_by_hand(instrument):
    frame = responses(
        [
            {**BASE, "respondent": "r1", "X1": 1, "X2": 2, "X3": 4},  # reversed X3 = 2
            {**BASE, "respondent": "r2", "X1": 2, "X2": 3, "X3": 3},
            {**BASE, "respondent": "r3", "X1": 3, "X2": 3, "X3": 2},
            {**BASE, "respondent": "r4", "X1": 4, "X2": 5, "X3": 1},
        ]
    )
    table = reliability_tables(frame, instrument, "2025")[1].set_index("item")
    # X1 = 1..4 against the rest X2 + X3' = 4, 6, 7, 10: r = 9.5 / sqrt(5 * 18.75)
    assert table.at["X1", "item_rest"] == pytest.approx(9.5 / np.sqrt(5 * 18.75))
    # without X1: variances 19/12 and 20/12, total variance 6.25 -> 2 * (1 - 3.25 / 6.25)
    assert table.at["X1", "alpha_if_deleted"] == pytest.approx(0.96)


def test_low_alpha_is_flagged(instrument):
    rows = [
        {**BASE, "respondent": f"r{i}", "X1": a, "X2": b, "X3": c}
        for i, (a, b, c) in enumerate([(1, 5, 3), (5, 1, 3), (2, 4, 1), (4, 2, 5), (3, 3, 2)])
    ]
    table = reliability_tables(responses(rows), instrument, "2025")[0].set_index("dimension")
    assert table.at["D1", "alpha"] < 0.70
    assert table.at["D1", "flag_low"]


ITEMS = ["X1", "X2", "X3", "Y1", "Y2", "Y3"]
answers = st.one_of(st.none(), st.integers(1, 5))
respondent_rows = st.lists(st.tuples(*[answers] * 6), min_size=1, max_size=25)


def frame_from(rows: list[tuple]) -> pd.DataFrame:
    return responses(
        [
            {**BASE, "respondent": f"r{i}", **dict(zip(ITEMS, row, strict=True))}
            for i, row in enumerate(rows)
        ]
    )


@settings(max_examples=60, deadline=None)
@given(respondent_rows)
def test_scores_stay_within_the_scale(instrument, rows):
    scores = dimension_scores(frame_from(rows), instrument)[["D1", "D2"]].to_numpy()
    shown = scores[~np.isnan(scores)]
    assert ((shown >= 1) & (shown <= 5)).all()


@settings(max_examples=60, deadline=None)
@given(respondent_rows)
def test_reverse_coding_twice_is_the_identity(instrument, rows):
    frame = frame_from(rows)
    once = reverse_coded(frame, instrument)
    twice = reverse_coded(frame.assign(**{c: once[c].astype("Int8") for c in once}), instrument)
    pd.testing.assert_frame_equal(twice, frame[once.columns].astype("float64"))


@settings(max_examples=40, deadline=None)
@given(respondent_rows, st.randoms(use_true_random=False))
def test_shuffling_respondents_changes_nothing(instrument, rows, random):
    frame = frame_from(rows)
    order = list(frame.index)
    random.shuffle(order)
    shuffled = frame.loc[order].reset_index(drop=True)
    first = reliability_tables(frame, instrument, "2025")[0]
    second = reliability_tables(shuffled, instrument, "2025")[0]
    pd.testing.assert_frame_equal(first, second, check_exact=False, rtol=1e-9)
    by_respondent = dimension_scores(frame, instrument).set_index("respondent").sort_index()
    again = dimension_scores(shuffled, instrument).set_index("respondent").sort_index()
    pd.testing.assert_frame_equal(by_respondent, again)


def alpha_by_definition(complete: pd.DataFrame) -> float:
    """Cronbach's alpha of complete rows by its definition, with pandas' sample variances."""
    n, k = complete.shape
    if n < 2 or k < 2 or complete.sum(axis=1).var() == 0:
        return np.nan
    return k / (k - 1) * (1 - complete.var().sum() / complete.sum(axis=1).var())


@settings(max_examples=100, deadline=None)
@given(respondent_rows)
def test_reliability_tables_are_alpha_pearson_and_alpha_of_the_other_items(instrument, rows):
    # every dimension and item against its definition, one at a time: alpha by its formula;
    # scipy's Pearson correlation with the rest score; alpha with the item's column dropped
    frame = frame_from(rows)
    alphas, item_alphas = reliability_tables(frame, instrument, "2025")
    alphas, table = alphas.set_index("dimension"), item_alphas.set_index("item")
    values = reverse_coded(frame, instrument)
    for code in instrument.dimensions.index:
        items = instrument.dimension_items(code)
        complete = values[items].dropna()
        assert alphas.at[code, "n_complete"] == len(complete)
        assert alphas.at[code, "alpha"] == pytest.approx(
            alpha_by_definition(complete), abs=1e-12, nan_ok=True
        )
        for item in items:
            answers, rest = complete[item], complete.drop(columns=item).sum(axis=1)
            if len(complete) > 2 and answers.std() > 0 and rest.std() > 0:
                expected = scipy.stats.pearsonr(answers, rest).statistic
                assert table.at[item, "item_rest"] == pytest.approx(expected, abs=1e-12)
            else:
                assert np.isnan(table.at[item, "item_rest"])
            alpha = alpha_by_definition(complete.drop(columns=item))
            assert table.at[item, "alpha_if_deleted"] == pytest.approx(
                alpha, abs=1e-12, nan_ok=True
            )


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda k: st.lists(st.lists(st.integers(1, 5), min_size=k, max_size=k), max_size=12)
    )
)
def test_reliability_of_any_number_of_items_is_its_definition(rows):
    # the instrument above has three items a dimension; here one to six, ties and constant
    # columns included, against the definitions item by item
    complete = pd.DataFrame(rows, dtype=float)
    alpha, item_rest, alpha_if_deleted = score._reliability_of(complete.to_numpy())
    assert alpha == pytest.approx(alpha_by_definition(complete), abs=1e-12, nan_ok=True)
    assert cronbach_alpha(complete) == pytest.approx(alpha, abs=0, nan_ok=True)
    for i, item in enumerate(complete.columns):
        answers, rest = complete[item], complete.drop(columns=item).sum(axis=1)
        if len(complete) > 2 and answers.std() > 0 and rest.std() > 0:
            expected = scipy.stats.pearsonr(answers, rest).statistic
            assert item_rest[i] == pytest.approx(expected, abs=1e-12)
        else:
            assert np.isnan(item_rest[i])
        others = complete.drop(columns=item)
        expected = alpha_by_definition(others) if others.shape[1] >= 2 else np.nan
        assert alpha_if_deleted[i] == pytest.approx(expected, abs=1e-12, nan_ok=True)
