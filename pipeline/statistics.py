"""Statistical building blocks: tests with effect sizes, p-value adjustment, alpha's interval.

Small pure functions on arrays, each checked in ``tests/test_statistics.py`` against scipy or a
worked example. The tables of ``compare.py`` are built from these.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "alpha_interval",
    "group_tests",
    "holm",
    "kruskal_epsilon_squared",
    "mann_whitney_rank_biserial",
    "wilcoxon_rank_biserial",
]

TEST_COLUMNS = [
    "comparison", "test", "statistic", "p_value", "p_adjusted", "effect_size", "effect_measure",
]  # fmt: skip


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (Holm 1979); NaN stays NaN and is not counted.

    The same as ``statsmodels.stats.multitest.multipletests(p, method="holm")[1]``.
    """
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    m = len(valid)
    if m == 0:
        return adjusted
    order = valid[np.argsort(p[valid], kind="stable")]
    scaled = (m - np.arange(m)) * p[order]
    adjusted[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return adjusted


def kruskal_epsilon_squared(groups: Sequence[np.ndarray]) -> tuple[float, float, float]:
    """Kruskal-Wallis H across groups, its p-value, and epsilon-squared = H / (N - 1).

    NaN for all three when fewer than two groups, or when every value is the same.
    """
    groups = [np.asarray(g, dtype=float) for g in groups if len(g)]
    total = sum(len(g) for g in groups)
    if len(groups) < 2 or len(np.unique(np.concatenate(groups))) < 2:
        return np.nan, np.nan, np.nan
    h, p = stats.kruskal(*groups)
    return float(h), float(p), float(h / (total - 1))


def mann_whitney_rank_biserial(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Two-sided Mann-Whitney U of ``x`` against ``y``, its p-value, and the rank-biserial r.

    r = 2 U / (n_x n_y) - 1 (Kerby 2014): positive when ``x`` tends to be larger, from -1 to 1.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) == 0 or len(y) == 0 or len(np.unique(np.concatenate([x, y]))) < 2:
        return np.nan, np.nan, np.nan
    u, p = stats.mannwhitneyu(x, y, alternative="two-sided")
    return float(u), float(p), float(2 * u / (len(x) * len(y)) - 1)


def wilcoxon_rank_biserial(after: np.ndarray, before: np.ndarray) -> tuple[float, float, float]:
    """Wilcoxon signed-rank test of paired values, its p-value, and the matched-pairs r.

    r = (R+ - R-) / (R+ + R-) over the ranks of the non-zero differences (Kerby 2014): positive
    when ``after`` tends to be larger. NaN when every difference is zero. Zero differences are
    dropped (Wilcoxon's method); the p-value is exact for up to 50 differences without ties and
    from the tie-corrected normal approximation otherwise.
    """
    difference = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
    nonzero = difference[difference != 0]
    if len(nonzero) == 0:
        return np.nan, np.nan, np.nan
    # exact where the exact distribution holds (no ties, small n); otherwise the normal
    # approximation with tie correction (scipy's "auto" would run a slow permutation test)
    exact = len(nonzero) <= 50 and len(np.unique(np.abs(nonzero))) == len(nonzero)
    method = "exact" if exact else "approx"
    statistic, p = stats.wilcoxon(nonzero, zero_method="wilcox", method=method)
    ranks = stats.rankdata(np.abs(nonzero))
    positive, negative = ranks[nonzero > 0].sum(), ranks[nonzero < 0].sum()
    return float(statistic), float(p), float((positive - negative) / (positive + negative))


def alpha_interval(alpha: float, n: int, k: int, confidence: float = 0.95) -> tuple[float, float]:
    """Feldt's (1965) confidence interval of Cronbach's alpha from ``n`` respondents, ``k`` items.

    (1 - alpha) / (1 - alpha_population) follows F with n - 1 and (n - 1)(k - 1) degrees of
    freedom; the interval is 1 - (1 - alpha) * F quantiles (the same as pingouin's).
    """
    if np.isnan(alpha) or n < 2 or k < 2:
        return np.nan, np.nan
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lower = 1 - (1 - alpha) * stats.f.isf((1 - confidence) / 2, df1, df2)
    upper = 1 - (1 - alpha) * stats.f.isf((1 + confidence) / 2, df1, df2)
    return float(lower), float(upper)


def group_tests(values: pd.Series, groups: pd.Series, label: str) -> pd.DataFrame:
    """Kruskal-Wallis across every group, then Mann-Whitney for each pair, Holm-adjusted.

    Parameters
    ----------
    values
        One value per respondent (NaN is left out).
    groups
        The group of each respondent; groups are taken in order of first appearance in
        ``pd.unique`` of a sorted copy, so the output does not depend on row order.
    label
        What the groups are (``parties``, ``levels``), written as the omnibus comparison.

    Returns
    -------
    pandas.DataFrame
        One omnibus row (``comparison = label``, p_adjusted left to the caller) and one row per
        pair (``comparison = "a vs b"``), with the pairs' p-values Holm-adjusted together.
    """
    valid = values.notna() & groups.notna()
    data = pd.DataFrame({"value": values[valid].astype(float), "group": groups[valid]})
    names = sorted(data["group"].unique(), key=str)
    samples = {name: data.loc[data["group"] == name, "value"].to_numpy() for name in names}
    h, p, epsilon = kruskal_epsilon_squared(list(samples.values()))
    rows = [
        {"comparison": label, "test": "kruskal_wallis", "statistic": h, "p_value": p,
         "p_adjusted": np.nan, "effect_size": epsilon, "effect_measure": "epsilon_squared"}
    ]  # fmt: skip
    pairs = []
    for first, second in itertools.combinations(names, 2):
        u, p_pair, r = mann_whitney_rank_biserial(samples[first], samples[second])
        pairs.append(
            {"comparison": f"{first} vs {second}", "test": "mann_whitney", "statistic": u,
             "p_value": p_pair, "effect_size": r, "effect_measure": "rank_biserial"}
        )  # fmt: skip
    if pairs:
        adjusted = holm([pair["p_value"] for pair in pairs])
        for pair, p_adjusted in zip(pairs, adjusted, strict=True):
            pair["p_adjusted"] = p_adjusted
    return pd.DataFrame(rows + pairs, columns=TEST_COLUMNS)
