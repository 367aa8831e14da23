"""Statistical building blocks against scipy, pingouin's published values and hand calculation."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pipeline import statistics
from pipeline.statistics import (
    TEST_COLUMNS,
    alpha_interval,
    group_tests,
    holm,
    kruskal_counts,
    kruskal_epsilon_squared,
    mann_whitney_counts,
    rank_counts,
    spearman,
)


def mann_whitney_rank_biserial(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """The pairwise test of two samples, from their counts as the tests table computes it."""
    return mann_whitney_counts(*statistics._samples_counts([x, y]))


def test_holm_by_hand():
    # sorted 0.005, 0.01, 0.03, 0.04 -> x4, x3, x2, x1 = 0.02, 0.03, 0.06, 0.04 -> running max
    adjusted = holm([0.01, 0.04, 0.03, 0.005])
    assert adjusted == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_holm_caps_at_one_and_skips_missing():
    adjusted = holm([0.5, np.nan, 0.6])
    assert adjusted[0] == pytest.approx(1.0) and adjusted[2] == pytest.approx(1.0)
    assert np.isnan(adjusted[1])
    assert holm([0.02]) == pytest.approx([0.02])


def test_kruskal_matches_scipy_and_epsilon_is_h_over_n_minus_one():
    groups = [np.array([1, 2, 2, 3.0]), np.array([3, 4, 4, 5.0]), np.array([2, 3, 5.0])]
    h, p, epsilon = kruskal_epsilon_squared(groups)
    reference = stats.kruskal(*groups)
    assert (h, p) == (pytest.approx(reference.statistic), pytest.approx(reference.pvalue))
    assert epsilon == pytest.approx(reference.statistic / (11 - 1))


def test_kruskal_undefined_without_two_groups_or_variation():
    assert np.isnan(kruskal_epsilon_squared([np.array([1.0, 2.0])])[0])
    assert np.isnan(kruskal_epsilon_squared([np.array([3.0, 3.0]), np.array([3.0])])[0])


def test_mann_whitney_by_hand():
    # every x below every y: U = 0, r = -1; exact two-sided p = 2 / C(6, 3) = 0.1
    u, p, r = mann_whitney_rank_biserial(np.array([1, 2, 3.0]), np.array([4, 5, 6.0]))
    assert (u, r) == (0.0, -1.0)
    assert p == pytest.approx(0.1)
    u, _, r = mann_whitney_rank_biserial(np.array([4, 5, 6.0]), np.array([1, 2, 3.0]))
    assert (u, r) == (9.0, 1.0)


def test_mann_whitney_rank_biserial_is_the_common_language_difference():
    x, y = np.array([1, 3, 3, 5.0]), np.array([2, 3, 4.0])
    # pairs x > y: (3>2)x2, (5>2,5>3,5>4) -> 5; ties (3=3)x2 -> 1; U = 5 + 1 = 6 of 12
    u, _, r = mann_whitney_rank_biserial(x, y)
    assert u == 6.0 and r == pytest.approx(0.0)


@pytest.mark.parametrize("seed", range(6))
def test_spearman_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    n = [5, 30, 400][seed % 3]
    x = rng.integers(1, 6, n) / 1.0 if seed % 2 else rng.normal(size=n)
    y = x + rng.normal(scale=1 + seed, size=n)
    rho, p = spearman(x, y)
    reference = stats.spearmanr(x, y)
    assert rho == pytest.approx(reference.statistic, rel=1e-12)
    assert p == pytest.approx(reference.pvalue, rel=1e-9)


def test_spearman_edges():
    # a perfect relation has p 0; too few pairs or a constant variable give NaN, as in scipy
    assert spearman(np.array([1.0, 2, 3, 4]), np.array([2.0, 4, 6, 9])) == (1.0, 0.0)
    assert np.isnan(spearman(np.array([1.0, 2]), np.array([2.0, 1]))).all()
    assert np.isnan(spearman(np.array([1.0, 2, 3]), np.array([5.0, 5, 5]))).all()


@pytest.mark.parametrize(("alpha", "n", "k"), [(0.8, 40, 5), (0.55, 12, 3), (0.93, 900, 24)])
def test_alpha_interval_matches_scipy_f_quantiles(alpha, n, k):
    low, high = alpha_interval(alpha, n, k)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    assert low == pytest.approx(1 - (1 - alpha) * stats.f.isf(0.025, df1, df2), rel=1e-12)
    assert high == pytest.approx(1 - (1 - alpha) * stats.f.isf(0.975, df1, df2), rel=1e-12)


def test_alpha_interval_matches_pingouin():
    # pingouin.cronbach_alpha on the 4 x 3 worked example prints (0.98246, [0.884, 0.999])
    low, high = alpha_interval(56 / 57, n=4, k=3)
    assert low == pytest.approx(0.884, abs=5e-4)
    assert high == pytest.approx(0.999, abs=5e-4)


def test_alpha_interval_contains_alpha_and_narrows_with_n():
    narrow = alpha_interval(0.8, n=400, k=5)
    wide = alpha_interval(0.8, n=40, k=5)
    assert wide[0] < narrow[0] < 0.8 < narrow[1] < wide[1]


def test_group_tests_adjusts_pairs_with_holm():
    values = pd.Series([1, 2, 1, 2, 4, 5, 4, 5, 3, 3, 3, 4.0])
    groups = pd.Series(list("aaaabbbbcccc"))
    table = pd.DataFrame(group_tests(values, groups, "parties"), columns=TEST_COLUMNS)
    assert table["comparison"].tolist() == ["parties", "a vs b", "a vs c", "b vs c"]
    pairs = table.iloc[1:]
    assert pairs["p_adjusted"].to_numpy() == pytest.approx(holm(pairs["p_value"].to_numpy()))
    reference = stats.mannwhitneyu([1, 2, 1, 2], [4, 5, 4, 5])
    assert pairs["p_value"].iloc[0] == pytest.approx(reference.pvalue)
    assert table["effect_measure"].tolist()[:2] == ["epsilon_squared", "rank_biserial"]


def test_group_tests_do_not_depend_on_row_order():
    rng = np.random.default_rng(1)
    values = pd.Series(rng.integers(1, 6, 40).astype(float))
    groups = pd.Series(rng.choice(["x", "y", "z"], 40))
    order = rng.permutation(40)
    first = pd.DataFrame(group_tests(values, groups, "levels"))
    second = pd.DataFrame(group_tests(values.iloc[order], groups.iloc[order], "levels"))
    pd.testing.assert_frame_equal(first, second)


def test_rank_counts_by_hand():
    counts = rank_counts(np.array([2.0, 1.0, 2.0, 5.0]), np.array([0, 1, 1, 1]), 3)
    # distinct values 1, 2, 5; group 2 is empty
    assert counts.tolist() == [[0, 1, 0], [1, 1, 1], [0, 0, 0]]


@pytest.mark.parametrize("seed", range(12))
def test_mann_whitney_from_counts_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    # small samples without ties (scipy's exact branch), scores with many ties, and large ones
    kind = seed % 3
    if kind == 0:
        x, y = rng.permutation(20)[: 3 + seed % 5], rng.permutation(20)[10:] + 0.5
    elif kind == 1:
        x, y = rng.integers(1, 6, 25) / 2, rng.integers(2, 6, 9) / 2
    else:
        x, y = rng.integers(3, 16, 3000) / 3, rng.integers(3, 16, 2000) / 3
    u, p, r = mann_whitney_rank_biserial(x.astype(float), y.astype(float))
    reference = stats.mannwhitneyu(x, y, alternative="two-sided")
    assert u == pytest.approx(reference.statistic, rel=1e-12)
    assert p == pytest.approx(reference.pvalue, rel=1e-9)
    assert r == pytest.approx(2 * reference.statistic / (len(x) * len(y)) - 1)


@pytest.mark.parametrize("seed", range(6))
def test_kruskal_from_counts_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    groups = [rng.integers(1, 6, size) / 1.0 for size in rng.integers(2, 300, 2 + seed % 4)]
    h, p, epsilon = kruskal_epsilon_squared(groups)
    reference = stats.kruskal(*groups)
    assert h == pytest.approx(reference.statistic, rel=1e-10)
    assert p == pytest.approx(reference.pvalue, rel=1e-8)
    assert epsilon == pytest.approx(reference.statistic / (sum(map(len, groups)) - 1))


def test_kruskal_counts_ignores_empty_groups():
    with_empty = kruskal_counts(np.array([[2, 1, 0], [0, 0, 0], [0, 2, 3]]))
    without = stats.kruskal([1, 1, 2], [2, 2, 3, 3, 3])
    assert with_empty[:2] == (pytest.approx(without.statistic), pytest.approx(without.pvalue))


def test_group_tests_pairs_match_scipy_on_every_pair():
    rng = np.random.default_rng(7)
    values = pd.Series(rng.integers(2, 11, 400) / 2).where(rng.random(400) > 0.1)
    groups = pd.Series(rng.choice(["b", "a", "d", "c"], 400))
    table = pd.DataFrame(group_tests(values, groups, "parties")).set_index("comparison")
    for pair in ["a vs b", "a vs d", "c vs d"]:
        first, second = pair.split(" vs ")
        x = values[(groups == first) & values.notna()]
        y = values[(groups == second) & values.notna()]
        reference = stats.mannwhitneyu(x, y)
        assert table.at[pair, "statistic"] == pytest.approx(reference.statistic)
        assert table.at[pair, "p_value"] == pytest.approx(reference.pvalue, rel=1e-9)
    omnibus = stats.kruskal(*[values[(groups == g) & values.notna()] for g in "abcd"])
    assert table.at["parties", "p_value"] == pytest.approx(omnibus.pvalue, rel=1e-9)


def test_rank_tests_refuse_missing_values_instead_of_ranking_them():
    with pytest.raises(ValueError, match="NaN"):
        spearman(np.array([1.0, np.nan, 3.0, 4.0]), np.array([1.0, 2.0, 3.0, 4.0]))
    with pytest.raises(ValueError, match="NaN"):
        mann_whitney_rank_biserial(np.array([1.0, np.nan, 2.0]), np.array([2.0, 3.0, 4.0]))


def test_the_pipeline_imports_scipy_only_when_a_test_needs_it():
    # scipy.special takes 0.15 s to import: a run imports it while a helper cleans (cli)
    script = (
        "import sys\nimport pipeline.cli\nfrom pipeline import statistics\n"
        "before = 'scipy.special' in sys.modules\n"
        "statistics.import_distributions()\n"
        "print(before, 'scipy.special' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "True"]
