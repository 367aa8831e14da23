"""Party and partnership summaries and disclosure control, checked by hand and against scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from small_instrument import write_small_instrument

from pipeline import compare
from pipeline.compare import (
    ROUND_TABLES,
    SUMMARY_COLUMNS,
    band,
    choice_counts,
    drivers,
    friction_summary,
    give_and_take,
    group_differences,
    independent_tables,
    item_summary,
    level_summary,
    partnership_summary,
    party_statistics,
    round_changes,
    round_tables,
    summary_tables,
    suppress_small_groups,
    verdicts,
)
from pipeline.config import Bands
from pipeline.disclosure import hidden_cells, shown_scores
from pipeline.questionnaire import load_instrument
from pipeline.score import dimension_scores
from pipeline.statistics import group_tests, holm

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


def test_band_is_not_moved_by_summation_error():
    # ten answers of 0.3 summed give 2.9999999999999996: a mean of 3 to anyone reading it
    assert sum([0.3] * 10) < 3.0
    means = pd.Series([sum([0.3] * 10), 4 - 4e-16, 2.99])
    assert band(means, Bands()).tolist() == ["attention", "shines", "chafes"]


def test_party_statistics_by_hand(instrument, example):
    frame, scores = example
    table = party_statistics(frame, scores, instrument, ["a", "b", "c"], Bands())
    assert list(table.columns) == [c for c in SUMMARY_COLUMNS if c != "suppressed"]
    a = table.set_index(["party", "dimension"]).loc[("a", "D1")]
    assert a["n"] == 2
    assert a["mean"] == pytest.approx((13 / 3 + 1.5) / 2)
    assert a["sd"] == pytest.approx(abs(13 / 3 - 1.5) / np.sqrt(2))
    # two scores resampled: both the lower (1/4), one of each (1/2), both the higher (1/4), so
    # the 2.5% and 97.5% points of the bootstrap means are the two scores (a t interval of the
    # same two runs from -15.1 to 19.3, off the scale)
    assert (a["ci_low"], a["ci_high"]) == (1.5, pytest.approx(13 / 3))
    # answered items of scored respondents after reverse coding: 4,5,4 and 2,1 -> 3 of 5 favourable
    assert a["pct_favourable"] == pytest.approx(60.0)
    assert a["pct_respondents_favourable"] == pytest.approx(50.0)  # 13/3 is, 1.5 is not
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
    # each party resampled within itself: a's mean is 1.5, 2.92 or 4.33 (1/4, 1/2, 1/4), b's
    # always 14/3, so the 2.5% and 97.5% points are those of a's lowest and highest
    assert d1["ci_low"] == pytest.approx((1.5 + 14 / 3) / 2)
    assert d1["ci_high"] == pytest.approx((13 / 3 + 14 / 3) / 2)
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


def test_groups_under_the_threshold_are_hidden_and_no_others():
    # no secondary suppression: a hidden group's answers enter no pooled figure
    table = suppress_small_groups(
        statistics_table({"D1": {"a": 10, "b": 3, "c": 6}, "D2": {"a": 5, "b": 4}}),
        min_group_size=5,
    )
    assert table["suppressed"].tolist() == [False, True, False, False, True]
    assert table["mean"].isna().tolist() == table["suppressed"].tolist()
    extra = suppress_small_groups(
        statistics_table({"D1": {"a": 10, "b": 7}}), 5, also=np.array([False, True])
    )
    assert extra["suppressed"].tolist() == [False, True]  # hidden for another group's sake


def test_suppressed_rows_keep_n_and_lose_every_statistic():
    table = suppress_small_groups(statistics_table({"D1": {"a": 3, "b": 4, "c": 9}}), 5)
    hidden = table[table["suppressed"]]
    assert hidden["n"].tolist() == [3, 4]
    for column in ("mean", "sd", "ci_low", "ci_high", "pct_favourable"):
        assert hidden[column].isna().all(), column
    assert hidden["band"].isna().all()
    shown = table[~table["suppressed"]]
    assert shown["mean"].tolist() == [3.5] and shown["band"].tolist() == ["attention"]


def test_the_columns_are_of_one_type_whether_or_not_a_group_is_hidden():
    def suppressed(ns: dict[str, int]) -> pd.DataFrame:
        table = statistics_table({"D1": ns}).assign(count=7)  # an integer statistic
        return suppress_small_groups(table, 5, hidden_columns=["mean", "count", "band"])

    none_hidden, some_hidden = suppressed({"a": 8, "b": 9}), suppressed({"a": 3, "b": 4})
    assert not none_hidden["suppressed"].any() and some_hidden["suppressed"].all()
    assert none_hidden.dtypes.to_dict() == some_hidden.dtypes.to_dict()
    assert none_hidden["count"].dtype == "float64" and none_hidden["count"].tolist() == [7.0, 7.0]
    assert none_hidden["n"].dtype == "int64"  # n is never hidden


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=4), min_size=1, max_size=5),
    st.lists(st.integers(0, 6), min_size=5, max_size=5),
    st.integers(1, 10),
)
def test_no_line_of_levels_hides_a_small_part(lines, unknown, min_group_size):
    # lines: each total's level counts; unknown: its scores without a level
    width = max(map(len, lines))
    n = np.array([line + [0] * (width - len(line)) for line in lines])[:, :, None]
    total = (n.sum(axis=1)[:, 0] + np.array(unknown[: len(lines)]))[:, None]
    hidden = compare._protected_lines(n, total, min_group_size)
    for line in range(len(lines)):
        counts, hide = n[line, :, 0], hidden[line, :, 0]
        assert hide[(counts > 0) & (counts < min_group_size)].all()  # every small level
        part = counts[hide].sum() + unknown[line]
        # what the line's total minus its shown levels gives: nobody, or a group large enough
        assert part == 0 or part >= min_group_size or hide[counts > 0].all()


# --- issue 5: levels, tests, changes, statements, frictions, verdicts, give and take ----------


def scored_rows(party: str, values: list[tuple], level: str = "uitvoering", start: int = 0):
    """Rows whose D1 items are (X1, X2, X3 as answered) and D2 items all equal the last value."""
    return [
        {
            "party": party,
            "respondent": f"{party}{start + i}",
            "level": level,
            "X1": x1,
            "X2": x2,
            "X3": x3,
            "Y1": y,
            "Y2": y,
            "Y3": y,
        }
        for i, (x1, x2, x3, y) in enumerate(values)
    ]


def level_table(frame, instrument, parties, k=5):
    scores = dimension_scores(frame, instrument)
    dims = list(instrument.dimensions.index)
    shown = shown_scores(scores, hidden_cells(scores, parties, dims, k))
    table, pooled_scores = level_summary(frame, scores, shown, instrument, parties, Bands(), k)
    return table[table["dimension"] == "D1"].set_index(["party", "level"]), pooled_scores


def test_level_summary_hides_a_party_s_levels_so_its_total_gives_none_away(instrument):
    frame = responses(
        scored_rows("a", [(4, 4, 2, 3)] * 6, level="uitvoering")
        + scored_rows("a", [(2, 2, 4, 3)] * 3, level="bestuur", start=10)
        + scored_rows("b", [(5, 5, 1, 4)] * 5, level="bestuur")
        + scored_rows("c", [(3, 3, 3, 4)] * 6, level="bestuur")
        + scored_rows("c", [(4, 4, 2, 4)] * 5, level="uitvoering", start=10)
    )
    d1, pooled_scores = level_table(frame, instrument, ["a", "b", "c"])
    # a: bestuur (3) is hidden, and a's score (9) is shown: uitvoering (6) is hidden too
    assert d1.at[("a", "bestuur"), "suppressed"] and d1.at[("a", "uitvoering"), "suppressed"]
    assert np.isnan(d1.at[("a", "uitvoering"), "mean"])
    assert not d1.at[("b", "bestuur"), "suppressed"]
    # the partnership pools the party levels shown: bestuur of b and c, uitvoering of c alone
    assert d1.at[("partnership", "bestuur"), "n"] == 11
    assert d1.at[("partnership", "bestuur"), "mean"] == pytest.approx((5 * 5 + 6 * 3) / 11)
    assert d1.at[("partnership", "uitvoering"), "suppressed"]  # one party: no pooled figure
    assert pooled_scores.loc[frame["party"] == "a", "D1"].isna().all()


def test_respondents_without_a_level_are_a_hidden_part_of_their_party(instrument):
    frame = responses(
        scored_rows("a", [(4, 4, 2, 3)] * 6, level="uitvoering")
        + scored_rows("a", [(2, 2, 4, 3)] * 6, level="bestuur", start=10)
        + scored_rows("a", [(1, 1, 5, 3)] * 2, level=None, start=20)  # no level: 2
    )
    d1, _ = level_table(frame, instrument, ["a"])
    # a's score minus its two levels would give the two without a level: one level hidden
    # bestuur (the first of the two of 6) hidden; management has no one to show
    assert d1.loc["a", "suppressed"].tolist() == [True, True, False]
    assert d1.loc["a", "n"].tolist() == [6, 0, 6]


def test_group_differences_use_only_groups_shown_and_adjust_across_dimensions(instrument):
    frame = responses(
        scored_rows("a", [(1, 1, 5, 1), (2, 2, 4, 2), (1, 2, 5, 1), (2, 1, 4, 2)])
        + scored_rows("b", [(5, 5, 1, 5), (4, 4, 2, 4), (5, 4, 1, 5), (4, 5, 2, 4)])
        + scored_rows("c", [(3, 3, 3, 3)])
    )
    scores = dimension_scores(frame, instrument)
    visible = {"D1": ["a", "b"], "D2": ["a", "b"]}
    table = group_differences(scores, instrument, visible, {"D1": [], "D2": []})
    parties = table[(table["comparison"] == "parties")].set_index("dimension")
    reference = stats.kruskal(scores.loc[:3, "D1"], scores.loc[4:7, "D1"])
    assert parties.at["D1", "statistic"] == pytest.approx(reference.statistic)
    assert parties.at["D1", "effect_size"] == pytest.approx(reference.statistic / 7)
    assert parties["p_adjusted"].to_numpy() == pytest.approx(holm(parties["p_value"].to_numpy()))
    assert "a vs c" not in set(table["comparison"])  # c is not shown
    assert parties["groups"].tolist() == ["a, b", "a, b"]  # which parties each test covers
    # the pairwise tests: Holm over every pair of the round, all dimensions together
    pairs = table[table["test"] == "mann_whitney"]
    assert pairs["p_adjusted"].to_numpy() == pytest.approx(holm(pairs["p_value"].to_numpy()))
    assert list(table.columns) == [
        "round",
        "dimension",
        "comparison",
        "test",
        "statistic",
        "p_value",
        "p_adjusted",
        "effect_size",
        "effect_measure",
        "groups",
    ]


def test_changes_with_independent_samples(instrument):
    before = responses(scored_rows("a", [(2, 2, 4, 2)] * 3 + [(3, 3, 3, 3)] * 3)).assign(
        round="2024"
    )
    after = responses(scored_rows("a", [(4, 4, 2, 4)] * 3 + [(5, 5, 1, 5)] * 3, start=100))
    table = round_changes(after, before, instrument, instrument, ["a"], 5)
    row = table[(table["party"] == "a") & (table["dimension"] == "D1")].iloc[0]
    assert (row["round"], row["previous_round"]) == ("2025", "2024")
    assert (row["previous_mean"], row["mean"], row["delta"]) == (2.5, 4.5, 2.0)
    # no one answered both rounds: scipy's exact permutation test of two independent samples
    # (its two-sided p is the |difference| one here: equal sizes make the null symmetric)
    reference = stats.permutation_test(
        ([4, 4, 4, 5, 5, 5], [2, 2, 2, 3, 3, 3]),
        lambda x, y: np.mean(x) - np.mean(y),
        permutation_type="independent",
        n_resamples=np.inf,
    )
    assert row["test"] == "exact_permutation"
    assert row["p_value"] == pytest.approx(reference.pvalue)
    assert row["effect_size"] == pytest.approx(2.0 / np.sqrt(0.3))  # Cohen's d: variances 0.3
    assert row["effect_measure"] == "cohens_d"
    assert list(table.columns[:9]) == [
        "round",
        "previous_round",
        "party",
        "dimension",
        "mean",
        "previous_mean",
        "delta",
        "p_value",
        "effect_size",
    ]


def test_changes_pair_respondents_who_answered_both_rounds(instrument):
    before = responses(
        scored_rows(
            "a",
            [(2, 2, 4, 2), (3, 3, 3, 3), (2, 3, 4, 1), (1, 2, 5, 4), (3, 2, 3, 2), (4, 4, 2, 3)],
        )
    ).assign(round="2024")
    after = responses(
        scored_rows(
            "a",
            [(3, 3, 3, 3), (4, 4, 2, 4), (3, 3, 3, 1), (4, 4, 4, 4), (5, 4, 1, 2), (4, 5, 1, 3)],
        )
    )
    table = round_changes(after, before, instrument, instrument, ["a"], 5)
    row = table[(table["party"] == "a") & (table["dimension"] == "D1")].iloc[0]
    now = dimension_scores(after, instrument)["D1"].to_numpy()
    then = dimension_scores(before, instrument)["D1"].to_numpy()
    # all six answered both rounds: scipy's exact permutation test of paired samples
    reference = stats.permutation_test(
        (now, then),
        lambda x, y: np.mean(x) - np.mean(y),
        permutation_type="samples",
        n_resamples=np.inf,
    )
    assert row["test"] == "exact_permutation" and row["n_paired"] == 6
    assert row["p_value"] == pytest.approx(reference.pvalue)
    assert np.sign(row["effect_size"]) == np.sign(row["delta"]) != 0


def test_changes_only_use_items_both_versions_share(instrument, tmp_path):
    older = load_instrument(write_small_instrument(tmp_path / "old.xlsx", drop=("X2",)))
    before = responses(scored_rows("a", [(2, 5, 4, 2)] * 5)).assign(round="2024")
    after = responses(scored_rows("a", [(2, 1, 4, 2)] * 5, start=50))
    table = round_changes(after, before, instrument, older, ["a"], 5)
    row = table[(table["party"] == "a") & (table["dimension"] == "D1")].iloc[0]
    assert row["shared_items"] == 2
    assert row["delta"] == 0.0  # X2 changed, but the older version did not ask it


def test_changes_suppress_a_party_small_in_either_round(instrument):
    before = responses(scored_rows("a", [(2, 2, 4, 2)] * 4)).assign(round="2024")
    after = responses(scored_rows("a", [(4, 4, 2, 4)] * 8, start=10))
    table = round_changes(after, before, instrument, instrument, ["a"], 5)
    party = table[table["party"] == "a"]
    assert party["suppressed"].all() and party["delta"].isna().all()
    # a partnership of one party shown is no partnership figure
    partnership = table[table["party"] == "partnership"]
    assert partnership["suppressed"].all() and partnership["previous_mean"].isna().all()


def test_item_summary_counts_dont_know_apart(instrument):
    frame = responses(
        scored_rows("a", [(4, 4, 2, 3), (5, 4, 2, 3), (2, 4, 2, 3), (4, 4, 2, 3), (1, 4, 2, 3)])
    )
    frame.loc[4, "X1"] = NA  # answered "weet niet"
    dont_know = pd.DataFrame({"party": ["a"], "respondent": ["a4"], "item": ["X1"]})
    items, distribution = item_summary(frame, instrument, ["a"], 3, dont_know)
    x1 = items[(items["party"] == "a") & (items["item"] == "X1")].iloc[0]
    assert (x1["n"], x1["mean"], x1["n_dont_know"]) == (4, 3.75, 1)
    assert x1["pct_dont_know"] == pytest.approx(20.0)
    x3 = items[(items["party"] == "a") & (items["item"] == "X3")].iloc[0]
    assert (x3["mean"], x3["mean_scored"]) == (2.0, 4.0)
    shares = distribution[(distribution["party"] == "a") & (distribution["item"] == "X1")]
    assert shares["choice"].tolist() == [1, 2, 3, 4, 5]
    assert shares["pct"].tolist() == pytest.approx([0, 25, 0, 50, 25])  # of 4, not of 5


@settings(max_examples=40, deadline=None)
@given(
    answers=st.lists(
        st.tuples(st.sampled_from(["a", "b", "other"]), st.sampled_from(["X1", "X3", "F1", "T"])),
        max_size=30,
    )
)
def test_item_summary_counts_each_party_s_dont_know_and_pools_them(instrument, answers):
    # reference: the answers counted one by one; another party (not in partnership.toml) and
    # an item that is not summarised (T) count for no one
    frame = responses(scored_rows("a", [(4, 4, 2, 3)] * 3) + scored_rows("b", [(2, 2, 4, 3)] * 3))
    frame["F1"] = pd.array([1] * 6, dtype="Int8")  # answered by all: no row is suppressed
    dont_know = pd.DataFrame(answers or None, columns=["party", "item"]).assign(respondent="r")
    items, _ = item_summary(frame, instrument, ["a", "b"], 1, dont_know)
    counted = items.set_index(["party", "item"])["n_dont_know"]
    for party in ("partnership", "a", "b"):
        for item in ("X1", "X3", "F1"):
            expected = sum(
                i == item and (party == who or (party == "partnership" and who in ("a", "b")))
                for who, i in answers
            )
            assert counted[party, item] == expected


def test_item_summary_suppresses_small_parties(instrument):
    frame = responses(scored_rows("a", [(4, 4, 2, 3)] * 6) + scored_rows("b", [(2, 2, 4, 3)] * 2))
    items, distribution = item_summary(frame, instrument, ["a", "b"], 5)
    x1 = items[items["item"] == "X1"].set_index("party")
    assert x1.loc[["a", "b"], "suppressed"].tolist() == [False, True]
    assert distribution.loc[distribution["party"] == "b", "pct"].isna().all()
    # the partnership would pool a alone (b's answers enter no pooled figure): not shown
    assert x1.at["partnership", "suppressed"] and np.isnan(x1.at["partnership", "mean"])
    assert x1.at["partnership", "n"] == 6
    frame = pd.concat([frame, responses(scored_rows("c", [(3, 3, 3, 3)] * 5, start=90))])
    items, distribution = item_summary(frame, instrument, ["a", "b", "c"], 5)
    x1 = items[items["item"] == "X1"].set_index("party")
    assert x1.at["partnership", "mean"] == pytest.approx((6 * 4 + 5 * 3) / 11)
    pooled = distribution[(distribution["party"] == "partnership") & (distribution["item"] == "X1")]
    assert pooled["n"].tolist() == [0, 0, 5, 6, 0]


def test_friction_summary_by_hand(instrument):
    frame = responses(scored_rows("a", [(4, 4, 2, 3)] * 5) + scored_rows("b", [(4, 4, 2, 3)] * 5))
    frame["F1"] = pd.array([-2, -1, -1, 0, 1, 2, 2, 1, 0, NA], dtype="Int8")
    table = friction_summary(frame, instrument, ["a", "b"], 4).set_index("party")
    assert table.at["a", "area"] == "tempo"
    assert table.at["a", "mean"] == pytest.approx(-0.6)
    assert table.at["a", "pct_chafes"] == pytest.approx(60.0)
    assert table.at["a", "pct_shines"] == pytest.approx(20.0)
    assert table.at["b", "n"] == 4 and table.at["b", "mean"] == pytest.approx(1.25)
    assert table.at["partnership", "mean"] == pytest.approx((-0.6 + 1.25) / 2)
    # one weighting in the row: the shares too are means of the parties' (b: 0% and 75%)
    assert table.at["partnership", "pct_chafes"] == pytest.approx((60 + 0) / 2)
    assert table.at["partnership", "pct_shines"] == pytest.approx((20 + 75) / 2)
    stricter = friction_summary(frame, instrument, ["a", "b"], 5).set_index("party")
    assert stricter.at["b", "suppressed"] and not stricter.at["a", "suppressed"]  # b: 4 answers
    assert stricter.at["partnership", "suppressed"]  # it would be a's figure alone


def test_verdicts_follow_the_rules(instrument):
    summary = pd.DataFrame(
        {
            "dimension": ["D1", "D1", "D2", "D2"],
            "party": ["a", "b"] * 2,
            "mean": [4.2, 4.4, 2.0, 3.2],
            "suppressed": False,
        }
    )
    partnership = pd.DataFrame(
        {"round": "2025", "dimension": ["D1", "D2"], "mean_equal_weight": [4.3, 2.6]}
    )
    tests = pd.DataFrame(
        {
            "dimension": ["D1", "D2"],
            "comparison": "parties",
            "test": "kruskal_wallis",
            "p_adjusted": [0.5, 0.5],
        }
    )
    frame = responses(scored_rows("a", [(4, 4, 2, 3)] * 5) + scored_rows("b", [(4, 4, 2, 3)] * 5))
    items, _ = item_summary(frame, instrument, ["a", "b"], 5)
    counted = choice_counts(frame, instrument, ["a", "b"])
    table = verdicts(items, summary, partnership, tests, counted, instrument, ["a", "b"], Bands())
    dims = table[table["kind"] == "dimension"].set_index("code")
    assert dims.at["D1", "verdict"] == "shines"  # high, parties agree
    # 1.2 points apart, but without evidence (p .5): apart, not dividing
    assert dims.at["D2", "verdict"] == "spread"
    assert dims.at["D2", "spread"] == pytest.approx(1.2)
    tests["p_adjusted"] = [0.5, 0.01]  # now with evidence
    again = verdicts(items, summary, partnership, tests, counted, instrument, ["a", "b"], Bands())
    assert again.set_index("code").at["D2", "verdict"] == "divides"
    statements = table[table["kind"] == "item"].set_index("code")
    assert statements.at["X3", "mean"] == pytest.approx(4.0)  # judged after reverse coding
    assert statements.at["X3", "verdict"] == "shines"
    assert statements.at["Y1", "verdict"] == "attention"


@pytest.mark.parametrize("lookup_span", [4096, 0])  # a look-up table, or a binary search
def test_choice_counts_by_hand_leave_out_answers_that_are_no_choice(
    instrument, monkeypatch, lookup_span
):
    monkeypatch.setattr(compare, "_LOOKUP_SPAN", lookup_span)
    rows = [(4, 4, 2, 3)]
    frame = responses(scored_rows("a", rows * 3) + scored_rows("b", rows * 2, start=3))
    frame = pd.concat([frame, responses(scored_rows("z", rows, start=5))], ignore_index=True)
    frame["X1"] = pd.array([1, 2.5, 7, None, 5, 5], dtype="Float64")  # z: no party named
    choices, counts = choice_counts(frame, instrument, ["a", "b"])["X1"]
    assert choices.tolist() == [1, 2, 3, 4, 5]
    # the partnership (a and b: z is in no pooled figure), then a and b: 2.5, 7 and the missing
    # answer nowhere
    assert counts.tolist() == [[1, 0, 0, 0, 1], [1, 0, 0, 0, 0], [0, 0, 0, 0, 1]]
    _, y1 = choice_counts(frame, instrument, ["a", "b"])["Y1"]
    assert y1.tolist() == [[0, 0, 5, 0, 0], [0, 0, 3, 0, 0], [0, 0, 2, 0, 0]]  # D2: all 3
    # pooled: the parties with at least min_group_size answers (here a, with 3)
    _, y1 = choice_counts(frame, instrument, ["a", "b"], 3)["Y1"]
    assert y1[0].tolist() == [0, 0, 3, 0, 0]
    # a list's items all integers, as the loader gives them: read as integers, not floats;
    # answers below, above and at the ends of Int8's range, and 0 (the missing value's offset)
    frame["X1"] = pd.array([1, 3, 7, None, 5, 5], dtype="Int8")
    frame["X2"] = pd.array([1, 0, 127, None, 5, -128], dtype="Int8")
    counted = choice_counts(frame, instrument, ["a", "b"])
    assert counted["X1"][1].tolist() == [[1, 0, 1, 0, 1], [1, 0, 1, 0, 0], [0, 0, 0, 0, 1]]
    assert counted["X2"][1].tolist() == [[1, 0, 0, 0, 1], [1, 0, 0, 0, 0], [0, 0, 0, 0, 1]]
    frame[["X1", "X2", "X3"]] = np.array([[5, 6, 2, 2, 0, 1]] * 3).T  # numpy's, none missing
    _, x2 = choice_counts(frame, instrument, ["a", "b"])["X2"]
    assert x2.tolist() == [[0, 2, 0, 0, 1], [0, 1, 0, 0, 1], [0, 1, 0, 0, 0]]


def test_give_and_take_by_hand(instrument):
    frame = responses(
        scored_rows("a", [(4, 2, 3, 3), (5, 3, 3, 3), (3, 1, 3, 3), (4, 2, 3, 3), (4, 2, 3, 3)])
        + scored_rows("b", [(2, 5, 3, 3)] * 6)
    )
    table = give_and_take(frame, instrument, ["a", "b"], 5).set_index("party")
    assert (table.at["a", "brings"], table.at["a", "gets"]) == (4.0, 2.0)
    assert (table.at["b", "brings"], table.at["b", "gets"]) == (2.0, 5.0)
    assert table.at["a", "n"] == 5 and not table["suppressed"].any()


def test_drivers_match_scipy_spearman(instrument):
    rng = np.random.default_rng(5)
    values = [tuple(int(v) for v in rng.integers(1, 6, 4)) for _ in range(30)]
    frame = responses(scored_rows("a", values))
    scores = dimension_scores(frame, instrument)
    table = drivers(scores, instrument)
    assert table["dimension"].tolist() == ["D1"] and table["outcome"].tolist() == ["D2"]
    reference = stats.spearmanr(scores["D1"], scores["D2"])
    assert table.at[0, "rho"] == pytest.approx(reference.statistic)
    assert table.at[0, "p_value"] == pytest.approx(reference.pvalue)  # one party: as scipy's


def test_drivers_are_within_parties(instrument):
    # within each party the two scores are unrelated; party b is higher on both: pooled, they
    # would look strongly related
    a = [(1, 1, 5, 3), (2, 2, 4, 2), (1, 2, 5, 1), (2, 1, 4, 3), (1, 1, 5, 2), (2, 2, 4, 1)]
    b = [(x1 + 3, x2 + 3, x3 - 3, y + 2) for x1, x2, x3, y in a]
    frame = responses(scored_rows("a", a) + scored_rows("b", b))
    scores = dimension_scores(frame, instrument)
    table = drivers(scores, instrument)
    pooled = stats.spearmanr(scores["D1"], scores["D2"]).statistic
    centred = scores[["D1", "D2"]] - scores.groupby("party")[["D1", "D2"]].transform("mean")
    reference = stats.spearmanr(centred["D1"], centred["D2"])
    assert pooled > 0.5 > abs(table.at[0, "rho"])
    assert table.at[0, "rho"] == pytest.approx(reference.statistic)
    # p of rho with n - 2 - 1 degrees of freedom: one party mean taken out beyond the first
    t = reference.statistic * np.sqrt(9 / (1 - reference.statistic**2))
    assert table.at[0, "p_value"] == pytest.approx(2 * stats.t.sf(abs(t), 9))
    assert table.at[0, "parties"] == 2


def test_round_tables_are_the_two_parts_in_order(instrument):
    """A run computes a round's two parts in separate processes and joins them."""
    before = responses(scored_rows("a", [(2, 2, 4, 2)] * 6)).assign(round="2024")
    after = responses(
        scored_rows("a", [(4, 4, 2, 4)] * 6, start=10) + scored_rows("b", [(1, 2, 5, 1)] * 6)
    )
    dont_know = pd.DataFrame({"party": ["a"], "respondent": ["a10"], "item": ["Y1"]})
    bands = Bands(shines=3.5, chafes=2.5)
    summary = summary_tables(after, dont_know, instrument, ["a", "b"], bands, 5)
    independent = independent_tables(after, instrument, ["a", "b"], 5, (before, instrument))
    tables = round_tables(after, dont_know, instrument, ["a", "b"], bands, 5, (before, instrument))

    assert not summary.keys() & independent.keys()
    assert list(tables) == list(ROUND_TABLES)
    for name, table in (summary | independent).items():
        pd.testing.assert_frame_equal(tables[name], table)
    assert tables["changes"].set_index(["party", "dimension"]).at[("a", "D1"), "delta"] == 2.0
    means = tables["summary"].set_index(["party", "dimension"])["mean"]
    assert (means[("a", "D1")], means[("b", "D1")]) == (4.0, pytest.approx(4 / 3))  # X3 reversed
    first = independent_tables(after, instrument, ["a", "b"], 5)
    assert "changes" not in first and "changes" not in round_tables(
        after, dont_know, instrument, ["a", "b"], bands, 5
    )


def test_changes_pool_only_the_parties_shown_in_each_round(instrument):
    before = responses(
        scored_rows("a", [(3, 3, 3, 3)] * 6) + scored_rows("b", [(5, 5, 1, 5)] * 3)
        + scored_rows("c", [(3, 3, 3, 3)] * 6) + scored_rows("zz", [(1, 1, 5, 1)] * 6)
    ).assign(round="2024")  # fmt: skip
    after = responses(
        scored_rows("a", [(4, 4, 2, 4)] * 6, start=50)
        + scored_rows("b", [(1, 1, 5, 1)] * 6, start=50)
        + scored_rows("c", [(2, 2, 4, 2)] * 6, start=50)
        + scored_rows("zz", [(5, 5, 1, 5)] * 6, start=50)
    )
    table = round_changes(after, before, instrument, instrument, ["a", "b", "c"], 5)
    d1 = table[table["dimension"] == "D1"].set_index("party")
    assert list(d1.index) == ["partnership", "a", "b", "c"]
    assert (d1.at["a", "mean"], d1.at["a", "previous_mean"], d1.at["a", "delta"]) == (4, 3, 1)
    assert d1.at["b", "suppressed"] and np.isnan(d1.at["b", "previous_mean"])  # 3 in 2024
    # each round's partnership as it was released: its shown parties (zz is not in
    # partnership.toml: in neither), b left out of 2024's
    assert (d1.at["partnership", "mean"], d1.at["partnership", "n"]) == ((4 + 1 + 2) / 3, 18)
    assert d1.at["partnership", "previous_mean"] == 3.0
    assert d1.at["partnership", "previous_n"] == 12


score_rows = st.lists(
    st.tuples(
        st.sampled_from(["b", "a", "c"]),
        st.sampled_from(["uitvoering", "bestuur", None]),
        st.sampled_from([1.0, 2.5, 4.0, np.nan]),
        st.sampled_from([2.0, 3.0, np.nan]),
    ),
    max_size=30,
)
shown_groups = st.lists(st.sampled_from(["a", "b", "c", "x", "bestuur", "uitvoering"]), unique=True)


@settings(max_examples=100, deadline=None)
@given(score_rows, shown_groups, shown_groups, shown_groups)
def test_group_differences_are_the_group_tests_of_the_rows_shown(instrument, rows, d1, d2, lv):
    scores = pd.DataFrame(rows, columns=["party", "level", "D1", "D2"]).assign(round="2025")
    visible_parties, visible_levels = {"D1": d1, "D2": d2}, {"D1": lv, "D2": d1}
    table = group_differences(scores, instrument, visible_parties, visible_levels)
    # by definition: per dimension, the tests of the rows whose group is shown
    expected = []
    for label, column, visible in (
        ("parties", "party", visible_parties),
        ("levels", "level", visible_levels),
    ):
        omnibus, pairs = [], []
        for code in ["D1", "D2"]:
            shown = scores[column].isin(visible[code])
            omnibus.append(len(expected))
            tests = group_tests(scores[code][shown], scores[column][shown], label)
            pairs += range(len(expected) + 1, len(expected) + len(tests))
            expected += [{"dimension": code, **test} for test in tests]
        # the omnibus tests across the dimensions, the pairs across all pairs of the round
        for family in (omnibus, pairs):
            adjusted = holm([expected[i]["p_value"] for i in family])
            for i, p_adjusted in zip(family, adjusted, strict=True):
                expected[i]["p_adjusted"] = p_adjusted
    expected = pd.DataFrame(expected, columns=table.columns[1:])
    expected.insert(0, "round", "2025" if rows else "")  # no rows: no round to name
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(st.sampled_from(["a", "b", "c", "other", None, np.nan, pd.NA]), max_size=40),
    categories=st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=4),
    dtype=st.sampled_from([object, "str", "string[pyarrow]", "category"]),
)
def test_positions_are_pandas_get_indexer(cells, categories, dtype):
    # reference: pandas looking every cell up in the categories; a missing cell is -1 in both
    column = pd.Series(cells, dtype=object)
    if dtype is not object:
        column = column.where(column.notna(), None).astype(dtype)
    expected = pd.Index(categories, dtype=object).get_indexer(column.astype(object))
    expected = np.where(column.isna().to_numpy(), -1, expected)
    assert compare._positions(column, categories).tolist() == expected.tolist()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(1, 12), min_size=2, max_size=4),
    st.integers(0, 2**32 - 1),
    st.floats(0, 0.9),
)
def test_no_change_against_its_delta_and_no_interval_off_the_scale(instrument, sizes, seed, panel):
    rng = np.random.default_rng(seed)

    def round_rows(round_id: str, start: int) -> pd.DataFrame:
        rows = []
        for party, size in enumerate(sizes):
            for person in range(size):
                # a share of the respondents answer both rounds: the same pseudonym
                who = person if rng.random() < panel else start + person
                values = tuple(int(v) for v in rng.integers(1, 6, 4))
                rows += scored_rows(f"p{party}", [values], start=who)
        return responses(rows).assign(round=round_id)

    before, after = round_rows("2024", 1000), round_rows("2025", 2000)
    parties = [f"p{n}" for n in range(len(sizes))]
    tables = round_tables(
        after, pd.DataFrame(), instrument, parties, Bands(), 2, (before, instrument)
    )
    changes = tables["changes"]
    known = changes["effect_size"].notna() & changes["delta"].notna()
    signs = (
        np.sign(changes.loc[known, "effect_size"]),
        np.sign(changes.loc[known, "delta"].round(12)),
    )
    assert (signs[0] == signs[1]).all()
    for name in ("summary", "levels", "partnership"):
        table = tables[name]
        shown = table["ci_low"].notna()
        assert (table.loc[shown, "ci_low"] >= 1).all() and (table.loc[shown, "ci_high"] <= 5).all()
        middle = table["mean"] if "mean" in table else table["mean_equal_weight"]
        assert (table.loc[shown, "ci_low"] <= middle[shown] + 1e-9).all()
        assert (middle[shown] <= table.loc[shown, "ci_high"] + 1e-9).all()


def test_a_large_group_s_interval_is_the_normal_limit_of_its_bootstrap(instrument):
    rng = np.random.default_rng(2)
    values = [tuple(int(v) for v in rng.integers(1, 6, 4)) for _ in range(1500)]
    frame = responses(scored_rows("a", values) + scored_rows("b", values[:40]))
    scores = dimension_scores(frame, instrument)
    table = party_statistics(frame, scores, instrument, ["a", "b"], Bands())
    a = table.set_index(["party", "dimension"]).loc[("a", "D1")]
    d1 = scores.loc[scores["party"] == "a", "D1"].dropna()
    reference = stats.norm.interval(0.95, d1.mean(), stats.sem(d1))
    assert (a["ci_low"], a["ci_high"]) == pytest.approx(reference, rel=1e-9)
