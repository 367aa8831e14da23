"""Statistical building blocks: tests with effect sizes, p-value adjustment, alpha's interval.

Small pure functions on arrays, each checked in ``tests/test_statistics.py`` against scipy or a
worked example. The tables of ``compare.py`` are built from these.

The distributions come from ``scipy.special``, the functions scipy.stats itself calls for these
tests (``chdtrc``, ``fdtri``, ``ndtr``, ``stdtr``): importing ``scipy.stats`` takes about a second,
longer than all of a small partnership's statistics. It is imported only for the one rare case
it is needed, Mann-Whitney's exact distribution. ``scipy.special`` itself (0.15 s) is imported
when first used, or by :func:`import_distributions`: a run imports it in a phase where other
processes work beside this one, not before its first fork.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from types import ModuleType

import numpy as np
import pandas as pd

__all__ = [
    "alpha_interval",
    "coded_group_tests",
    "group_tests",
    "holm",
    "import_distributions",
    "kruskal_counts",
    "kruskal_epsilon_squared",
    "mann_whitney_counts",
    "normal_quantile",
    "normal_sf",
    "rank_counts",
    "spearman",
    "t_sf",
]

TEST_COLUMNS = [
    "comparison", "test", "statistic", "p_value", "p_adjusted", "effect_size", "effect_measure",
    "groups",
]  # fmt: skip


def import_distributions() -> None:
    """Import ``scipy.special``, whose distributions the tests use, ahead of the first test."""
    _special()


def t_sf(t: float, df: float) -> float:
    """The upper tail of Student's t with ``df`` degrees of freedom at ``t``."""
    return float(_special().stdtr(df, -t))


def normal_quantile(q: float) -> float:
    """The standard normal's ``q`` quantile."""
    return float(_special().ndtri(q))


def normal_sf(z: float) -> float:
    """The upper tail of the standard normal at ``z``."""
    return float(_special().ndtr(-z))


def _special() -> ModuleType:
    """``scipy.special``, imported on first use (see the module's note)."""
    from scipy import special

    return special


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


def rank_counts(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """How often each distinct value occurs in each group: a groups x values count matrix.

    ``groups`` holds each value's group as an integer from 0 to ``n_groups - 1``. The columns
    are the distinct values in ascending order. Rank tests need nothing more: scores take a few
    dozen distinct values, so the tests below work on this small table instead of ranking every
    respondent again for each pair of groups.
    """
    position, distinct = _distinct(values)
    cells = np.asarray(groups, dtype=np.int64) * len(distinct) + position
    counts = np.bincount(cells, minlength=n_groups * len(distinct))
    return counts.reshape(n_groups, len(distinct))


def _samples_counts(samples: Sequence[np.ndarray]) -> np.ndarray:
    """:func:`rank_counts` of separate samples, one row each."""
    sizes = [len(sample) for sample in samples]
    values = np.concatenate([np.asarray(sample, dtype=float) for sample in samples])
    return rank_counts(values, np.repeat(np.arange(len(samples)), sizes), len(samples))


def _tie_term(totals: np.ndarray) -> float:
    """Sum of t^3 - t over the tie groups (the distinct values' counts)."""
    t = totals.astype(float)
    return float((t**3 - t).sum())


def _midranks(totals: np.ndarray) -> np.ndarray:
    """The average rank of each distinct value, from how often each occurs."""
    return np.cumsum(totals) - (totals - 1) / 2


def _average_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value's rank, ties sharing their average (scipy's ``rankdata``); and the tie sizes."""
    position, distinct = _distinct(values)
    totals = np.bincount(position, minlength=len(distinct))
    return _midranks(totals)[position], totals


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value's position among the distinct values, and those in ascending order.

    What ``np.unique(values, return_inverse=True)`` gives (in the other order), by hashing
    instead of sorting every value: three times faster on a million scores.
    """
    position, distinct = pd.factorize(np.asarray(values, dtype=float), sort=True)
    if len(position) and position.min() < 0:
        raise ValueError("the values hold NaN: leave missing values out before ranking")
    return position, distinct


def kruskal_counts(counts: np.ndarray) -> tuple[float, float, float]:
    """Kruskal-Wallis H, p-value and epsilon-squared from a :func:`rank_counts` matrix.

    The same H as ``scipy.stats.kruskal`` (tie-corrected, chi-squared p-value); empty groups
    are left out. NaN for all three when fewer than two groups, or when every value is the same.
    """
    counts = np.asarray(counts)
    counts = counts[counts.sum(axis=1) > 0]
    totals = counts.sum(axis=0)
    totals_kept = totals[totals > 0]
    if len(counts) < 2 or len(totals_kept) < 2:
        return np.nan, np.nan, np.nan
    n_total = float(totals.sum())
    rank_sums = counts @ _midranks(totals)
    sizes = counts.sum(axis=1)
    h = 12 / (n_total * (n_total + 1)) * float((rank_sums**2 / sizes).sum()) - 3 * (n_total + 1)
    h /= 1 - _tie_term(totals_kept) / (n_total**3 - n_total)
    p = float(_special().chdtrc(len(counts) - 1, h))  # scipy.stats.chi2.sf
    return float(h), p, float(h / (n_total - 1))


def kruskal_epsilon_squared(groups: Sequence[np.ndarray]) -> tuple[float, float, float]:
    """Kruskal-Wallis H across groups, its p-value, and epsilon-squared = H / (N - 1).

    NaN for all three when fewer than two groups, or when every value is the same.
    """
    if len(groups) == 0:
        return np.nan, np.nan, np.nan
    return kruskal_counts(_samples_counts(groups))  # empty groups are left out there


def mann_whitney_counts(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Mann-Whitney U of ``x`` against ``y`` from their rows of a :func:`rank_counts` matrix.

    The same U and two-sided p-value as ``scipy.stats.mannwhitneyu`` with its defaults: exact
    when one sample has at most 8 values and there are no ties, otherwise the tie-corrected
    normal approximation with continuity correction. Also the rank-biserial r.
    """
    x, y = np.asarray(x), np.asarray(y)
    totals = x + y
    present = totals > 0
    x, y, totals = x[present], y[present], totals[present]
    n1, n2 = float(x.sum()), float(y.sum())
    if n1 == 0 or n2 == 0 or len(totals) < 2:
        return np.nan, np.nan, np.nan
    u1 = float(x @ _midranks(totals)) - n1 * (n1 + 1) / 2
    if (n1 <= 8 or n2 <= 8) and totals.max() == 1:
        from scipy import stats  # slow to import; only this rare case needs it

        order = np.arange(len(totals), dtype=float)
        exact = stats.mannwhitneyu(np.repeat(order, x), np.repeat(order, y), method="exact")
        p = float(exact.pvalue)
    else:
        n = n1 + n2
        spread = np.sqrt(n1 * n2 / 12 * ((n + 1) - _tie_term(totals) / (n * (n - 1))))
        z = (max(u1, n1 * n2 - u1) - n1 * n2 / 2 - 0.5) / spread
        p = float(min(1.0, 2 * _special().ndtr(-z)))
    return u1, p, 2 * u1 / (n1 * n2) - 1


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman's rho of paired values and its two-sided p-value (t with n - 2 df).

    The same as ``scipy.stats.spearmanr``: Pearson's r of the average ranks. NaN for both
    when fewer than three pairs or when either variable does not vary.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(x)
    if n < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return np.nan, np.nan
    rho = float(np.corrcoef(_average_ranks(x)[0], _average_ranks(y)[0])[1, 0])
    with np.errstate(divide="ignore"):  # rho of +-1: t is infinite, p is 0
        t = rho * np.sqrt(max(np.float64(n - 2) / ((rho + 1.0) * (1.0 - rho)), 0))
    return rho, float(2 * _special().stdtr(n - 2, -abs(t)))


def alpha_interval(alpha: float, n: int, k: int, confidence: float = 0.95) -> tuple[float, float]:
    """Feldt's (1965) confidence interval of Cronbach's alpha from ``n`` respondents, ``k`` items.

    (1 - alpha) / (1 - alpha_population) follows F with n - 1 and (n - 1)(k - 1) degrees of
    freedom; the interval is 1 - (1 - alpha) * F quantiles (the same as pingouin's).
    """
    if np.isnan(alpha) or n < 2 or k < 2:
        return np.nan, np.nan
    df1, df2 = n - 1, (n - 1) * (k - 1)
    # scipy.stats.f.isf(q, df1, df2) is fdtri(df1, df2, 1 - q)
    lower = 1 - (1 - alpha) * _special().fdtri(df1, df2, 1 - (1 - confidence) / 2)
    upper = 1 - (1 - alpha) * _special().fdtri(df1, df2, 1 - (1 + confidence) / 2)
    return float(lower), float(upper)


def group_tests(values: pd.Series, groups: pd.Series, label: str) -> list[dict[str, object]]:
    """Kruskal-Wallis across every group, then Mann-Whitney for each pair, Holm-adjusted.

    Parameters
    ----------
    values
        One value per respondent (NaN is left out).
    groups
        The group of each respondent; groups are taken in sorted order, so the output does
        not depend on row order.
    label
        What the groups are (``parties``, ``levels``), written as the omnibus comparison.

    Returns
    -------
    list of dict
        One omnibus row (``comparison = label``, p_adjusted left to the caller) and one row per
        pair (``comparison = "a vs b"``), with the pairs' p-values Holm-adjusted together; the
        keys are :data:`TEST_COLUMNS`, ``groups`` naming the groups each row covers. Rows, not
        a table: a round runs these tests for every dimension, and its ``tests`` table is made
        from all of their rows at once.
    """
    valid = (values.notna() & groups.notna()).to_numpy()
    codes, names = pd.factorize(groups[valid], sort=True)
    score = values.to_numpy(dtype=float, na_value=np.nan)[valid]
    rows = coded_group_tests(score, codes, list(names), label)
    adjusted = holm([row["p_value"] for row in rows[1:]])
    for row, p_adjusted in zip(rows[1:], adjusted, strict=True):
        row["p_adjusted"] = p_adjusted
    return rows


def coded_group_tests(
    values: np.ndarray, codes: np.ndarray, names: list[str], label: str
) -> list[dict[str, object]]:
    """:func:`group_tests` of values without NaN and their groups numbered already.

    Parameters
    ----------
    values
        One value per respondent, none missing.
    codes
        Each value's group, numbered from 0 in ``names``' order.
    names
        The groups, in the order their rows and pairs are given (sorted, for
        :func:`group_tests`).
    label
        What the groups are, as for :func:`group_tests`.

    Returns
    -------
    list of dict
        As :func:`group_tests`, but every ``p_adjusted`` left to the caller, who knows the
        family of tests (a round's).
    """
    cells = rank_counts(values, codes, len(names))
    h, p, epsilon = kruskal_counts(cells)
    rows = [
        {"comparison": label, "test": "kruskal_wallis", "statistic": h, "p_value": p,
         "p_adjusted": np.nan, "effect_size": epsilon, "effect_measure": "epsilon_squared",
         "groups": ", ".join(map(str, names))}
    ]  # fmt: skip
    for (i, first), (j, second) in itertools.combinations(enumerate(names), 2):
        u, p_pair, r = mann_whitney_counts(cells[i], cells[j])
        rows.append(
            {"comparison": f"{first} vs {second}", "test": "mann_whitney", "statistic": u,
             "p_value": p_pair, "p_adjusted": np.nan, "effect_size": r,
             "effect_measure": "rank_biserial", "groups": f"{first}, {second}"}
        )  # fmt: skip
    return rows
