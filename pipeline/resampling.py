"""Seeded resampling: bootstrap intervals of means, and tests of change between two rounds.

Both are the same every run: each cell draws from a generator seeded by its own key (round,
party, dimension), so the result depends neither on the order cells are computed in nor on the
process that computes them.

**Intervals.** A percentile bootstrap of the mean (Efron & Tibshirani 1993, ch. 13): it lies
within the scores, so within the scale, where a t interval of a small group can leave it. A
resample of n scores drawn with replacement is a multinomial draw of counts over the distinct
scores, so a draw costs the number of distinct scores, not n.

**Change.** The difference of two rounds' means, tested on the respondents it is the mean of:
those of both rounds, with the respondents who answered both (a panel) kept as pairs. The test
is a permutation test that keeps the pairs (each pair's two answers swapped or not, the
unpaired answers of both rounds shuffled between them; Good 2005, *Permutation, Parametric and
Bootstrap Tests of Hypotheses*, 3.6), exact where the arrangements are few, else from
:data:`PERMUTATIONS` random ones with the p-value of Phipson & Smyth (2010). Where a row has
more than :data:`ASYMPTOTIC_FROM` respondents the partially overlapping samples t-test of
Derrick, Toher & White (2017) is used instead: at that size the two agree, and the
permutations would cost seconds. The effect size is Cohen's d of the difference (over the
rounds' mean variance), so it has the sign of the difference by construction.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from dataclasses import dataclass

import numpy as np

from pipeline.statistics import normal_quantile, normal_sf, t_sf

__all__ = [
    "ASYMPTOTIC_FROM",
    "BOOTSTRAP_DRAWS",
    "BOOTSTRAP_UP_TO",
    "EXACT_UP_TO",
    "PERMUTATIONS",
    "Change",
    "Rounds",
    "bootstrap_means",
    "cell_generator",
    "change_test",
    "mean_interval",
    "normal_limit",
    "percentile_interval",
    "pooled_change_test",
]

#: Resamples of a bootstrap interval.
BOOTSTRAP_DRAWS = 2000
#: A group of more scores gets the bootstrap's normal limit (:func:`mean_interval`).
BOOTSTRAP_UP_TO = 1000
#: Random arrangements of a permutation test, when the exact ones are more than
#: :data:`EXACT_UP_TO`: a p of .05 is then known to within .01 (two standard errors).
PERMUTATIONS = 1999
#: At most this many arrangements are all listed, for an exact p (14 pairs, say).
EXACT_UP_TO = 2**14
#: From this many respondents in a change row, the asymptotic test instead of permutations.
ASYMPTOTIC_FROM = 400
_SEED = 20251208
#: A group of at most this many scores per distinct score is resampled score by score: cheaper
#: than a multinomial draw of counts (a binomial per distinct score) while it is small.
_DIRECT_UP_TO = 8


def cell_generator(*key: object) -> np.random.Generator:
    """A random generator seeded by ``key`` alone: the same numbers for the same cell."""
    digest = hashlib.sha256("\x1f".join(map(str, key)).encode("utf-8")).digest()
    return np.random.default_rng([_SEED, int.from_bytes(digest[:8], "little")])


def mean_interval(
    values: np.ndarray, rng: np.random.Generator, confidence: float = 0.95
) -> tuple[float, float]:
    """The interval of a group's mean: bootstrap percentiles, or their limit for a large group.

    Above :data:`BOOTSTRAP_UP_TO` scores the bootstrap means are normal to well within the
    scores' spacing, so the interval is :func:`normal_limit`, kept inside the scores' range:
    what the resampling would give, without resampling a hundred thousand scores two thousand
    times.
    """
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return np.nan, np.nan
    if len(values) <= BOOTSTRAP_UP_TO:
        return percentile_interval(bootstrap_means(values, rng, BOOTSTRAP_DRAWS), confidence)
    error = values.std(ddof=1) / np.sqrt(len(values))
    low, high = normal_limit(values.mean(), error, values.min(), values.max(), confidence)
    return float(low), float(high)


def normal_limit(
    mean: np.ndarray,
    error: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    confidence: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """The normal interval of means with these standard errors, inside ``low`` to ``high``."""
    z = normal_quantile((1 + confidence) / 2)
    return np.maximum(mean - z * error, low), np.minimum(mean + z * error, high)


def bootstrap_means(values: np.ndarray, rng: np.random.Generator, draws: int) -> np.ndarray:
    """The means of ``draws`` resamples of ``values`` with replacement (NaN when empty)."""
    values = np.asarray(values, dtype=float)
    if not len(values):
        return np.full(draws, np.nan)
    distinct, counts = np.unique(values, return_counts=True)
    if len(values) <= _DIRECT_UP_TO * len(distinct):  # a small group: resampled directly
        values = np.sort(values)  # the draws depend on the scores, not on the rows' order
        return values[rng.integers(0, len(values), size=(draws, len(values)))].mean(axis=1)
    resampled = rng.multinomial(len(values), counts / len(values), size=draws)
    return resampled @ distinct / len(values)


def percentile_interval(means: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """The percentile interval of bootstrap means (NaN when they are)."""
    if np.isnan(means).any():
        return np.nan, np.nan
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


@dataclass(frozen=True)
class Rounds:
    """One group's scores in two rounds: the pairs (now, then) and the unpaired of each.

    Kept sorted, so that the random arrangements drawn for a group depend on its scores alone,
    not on the order of its respondents (which their pseudonyms set).
    """

    pairs: np.ndarray  # n_c x 2
    now: np.ndarray  # scored now only
    then: np.ndarray  # scored then only

    def __post_init__(self) -> None:
        pairs = np.asarray(self.pairs, dtype=float).reshape(-1, 2)
        object.__setattr__(self, "pairs", pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))])
        object.__setattr__(self, "now", np.sort(np.asarray(self.now, dtype=float)))
        object.__setattr__(self, "then", np.sort(np.asarray(self.then, dtype=float)))

    @property
    def now_all(self) -> np.ndarray:
        """Every score of the later round, the pairs' first."""
        return np.concatenate([self.pairs[:, 0], self.now])

    @property
    def then_all(self) -> np.ndarray:
        """Every score of the earlier round, the pairs' first."""
        return np.concatenate([self.pairs[:, 1], self.then])


@dataclass(frozen=True)
class Change:
    """A change between rounds: its test and effect size."""

    p_value: float
    effect_size: float
    test: str
    effect_measure: str = "cohens_d"


def change_test(rounds: Rounds, key: tuple[object, ...]) -> Change:
    """The difference of the two rounds' means of one group, tested (module docstring)."""
    now, then = rounds.now_all, rounds.then_all
    if len(now) < 2 or len(then) < 2:
        return Change(np.nan, np.nan, "none")
    delta = now.mean() - then.mean()
    d = _cohens_d(delta, [(now, then)])
    if len(now) + len(then) - len(rounds.pairs) > ASYMPTOTIC_FROM:
        return Change(_overlap_t_p(rounds), d, "partially_overlapping_t")
    arrangements = 2 ** len(rounds.pairs) * math.comb(len(rounds.now) + len(rounds.then),
                                                     len(rounds.now))  # fmt: skip
    if arrangements <= EXACT_UP_TO:
        now_means, then_means = _all_arrangements(rounds)
        test = "exact_permutation"
    else:
        now_means, then_means = _random_arrangements(rounds, cell_generator(*key), PERMUTATIONS)
        test = "permutation"
    return Change(_p_value(now_means - then_means, delta, test == "permutation"), d, test)


def pooled_change_test(groups: list[Rounds], key: tuple[object, ...]) -> Change:
    """The change of the mean of group means (equal weight) of the groups of both or either round.

    Each group's respondents are rearranged within the group as by :func:`change_test`, so
    the test keeps the groups and their pairs; the statistic is the difference of the means of
    the group means, over the groups with scores in each round.
    """
    shown_now = [g for g in groups if len(g.now_all)]
    shown_then = [g for g in groups if len(g.then_all)]
    if len(shown_now) < 2 or len(shown_then) < 2:
        return Change(np.nan, np.nan, "none")
    delta = np.mean([g.now_all.mean() for g in shown_now]) - np.mean(
        [g.then_all.mean() for g in shown_then]
    )
    d = _cohens_d(delta, [(g.now_all, g.then_all) for g in groups])
    size = sum(len(g.now_all) + len(g.then_all) - len(g.pairs) for g in groups)
    if size > ASYMPTOTIC_FROM:
        return Change(_pooled_normal_p(groups, delta), d, "partially_overlapping_z")
    rng = cell_generator(*key)
    now_draws, then_draws = [], []
    for group in groups:
        now_means, then_means = _random_arrangements(group, rng, PERMUTATIONS)
        if len(group.now_all):
            now_draws.append(now_means)
        if len(group.then_all):
            then_draws.append(then_means)
    statistic = np.mean(now_draws, axis=0) - np.mean(then_draws, axis=0)
    return Change(_p_value(statistic, delta, True), d, "permutation")


def _p_value(statistic: np.ndarray, observed: float, random: bool) -> float:
    """Two-sided: the share of arrangements at least as far from 0 as ``observed``.

    Random arrangements count the observed one too (Phipson & Smyth 2010), so p is never 0.
    A relative tolerance keeps equal statistics equal despite floating-point sums.
    """
    extreme = np.abs(statistic) >= abs(observed) * (1 - 1e-9) - 1e-12
    if random:
        return float((1 + extreme.sum()) / (1 + len(statistic)))
    return float(extreme.mean())


def _all_arrangements(rounds: Rounds) -> tuple[np.ndarray, np.ndarray]:
    """Each round's mean under every arrangement: pairs swapped or not, unpaired shuffled."""
    pairs, pooled = rounds.pairs, np.concatenate([rounds.now, rounds.then])
    flips = np.array(list(itertools.product((0, 1), repeat=len(pairs))), dtype=bool)
    flips = flips.reshape(2 ** len(pairs), len(pairs))
    pair_now = np.where(flips, pairs[:, 1], pairs[:, 0]).sum(axis=1)  # arrangements of pairs
    subsets = list(itertools.combinations(range(len(pooled)), len(rounds.now)))
    chosen = np.zeros((len(subsets), len(pooled)), dtype=bool)
    for row, subset in enumerate(subsets):
        chosen[row, list(subset)] = True
    unpaired_now = chosen.astype(float) @ pooled if len(pooled) else np.zeros(len(subsets))
    now_sum = (pair_now[:, None] + unpaired_now[None, :]).ravel()
    total = pairs.sum() + pooled.sum()
    n_now, n_then = len(pairs) + len(rounds.now), len(pairs) + len(rounds.then)
    return now_sum / n_now, (total - now_sum) / n_then


def _random_arrangements(
    rounds: Rounds, rng: np.random.Generator, draws: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each round's mean under ``draws`` random arrangements (NaN for a round without scores)."""
    pairs, pooled = rounds.pairs, np.concatenate([rounds.now, rounds.then])
    flips = rng.random((draws, len(pairs))) < 0.5
    pair_now = np.where(flips, pairs[:, 1], pairs[:, 0]).sum(axis=1)
    if len(pooled):
        shuffled = rng.permuted(np.broadcast_to(pooled, (draws, len(pooled))), axis=1)
        unpaired_now = shuffled[:, : len(rounds.now)].sum(axis=1)
    else:
        unpaired_now = np.zeros(draws)
    now_sum = pair_now + unpaired_now
    total = pairs.sum() + pooled.sum()
    n_now, n_then = len(pairs) + len(rounds.now), len(pairs) + len(rounds.then)
    with np.errstate(invalid="ignore", divide="ignore"):
        return now_sum / n_now, (total - now_sum) / n_then


def _cohens_d(delta: float, groups: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """``delta`` over the root of the mean within-group variance of the two rounds."""
    variances = [np.var(values, ddof=1) for pair in groups for values in pair if len(values) > 1]
    spread = math.sqrt(float(np.mean(variances))) if variances else 0.0
    delta = 0.0 if abs(delta) < 1e-12 else delta  # equal means, whatever the sums' last bits
    if spread == 0:  # no variance to measure the difference by
        return 0.0 if delta == 0 and variances else np.nan
    return float(delta / spread)


def _overlap_parts(rounds: Rounds) -> tuple[float, float, float]:
    """The variances of the two means and their covariance through the pairs (Derrick 2017)."""
    now, then = rounds.now_all, rounds.then_all
    s_now, s_then = np.var(now, ddof=1), np.var(then, ddof=1)
    n_c = len(rounds.pairs)
    r = 0.0
    if n_c >= 2 and np.ptp(rounds.pairs[:, 0]) > 0 and np.ptp(rounds.pairs[:, 1]) > 0:
        r = float(np.corrcoef(rounds.pairs[:, 0], rounds.pairs[:, 1])[0, 1])
    covariance = r * math.sqrt(s_now * s_then) * n_c / (len(now) * len(then))
    return s_now / len(now), s_then / len(then), covariance


def _overlap_t_p(rounds: Rounds) -> float:
    """Two-sided p of the partially overlapping samples t-test, T_new2 of Derrick et al. 2017."""
    var_now, var_then, covariance = _overlap_parts(rounds)
    spread = var_now + var_then - 2 * covariance
    delta = rounds.now_all.mean() - rounds.then_all.mean()
    if spread <= 0:
        return np.nan if delta == 0 else 0.0
    n_c, n_a, n_b = len(rounds.pairs), len(rounds.now), len(rounds.then)
    n1, n2 = n_c + n_a, n_c + n_b
    welch = (var_now + var_then) ** 2 / (var_now**2 / (n1 - 1) + var_then**2 / (n2 - 1))
    df = (n_c - 1) + (welch - n_c + 1) / (n_a + n_b + 2 * n_c) * (n_a + n_b)
    return 2 * t_sf(abs(delta) / math.sqrt(spread), max(df, 1))


def _pooled_normal_p(groups: list[Rounds], delta: float) -> float:
    """Two-sided p of the change of the mean of group means, by the normal approximation."""
    counts_now = sum(len(g.now_all) > 0 for g in groups)
    counts_then = sum(len(g.then_all) > 0 for g in groups)
    variance = 0.0
    for group in groups:
        in_now, in_then = len(group.now_all) > 1, len(group.then_all) > 1
        if in_now and in_then:
            var_now, var_then, covariance = _overlap_parts(group)
            variance += var_now / counts_now**2 + var_then / counts_then**2
            variance -= 2 * covariance / (counts_now * counts_then)
        elif in_now:
            variance += np.var(group.now_all, ddof=1) / len(group.now_all) / counts_now**2
        elif in_then:
            variance += np.var(group.then_all, ddof=1) / len(group.then_all) / counts_then**2
    if variance <= 0:
        return np.nan if delta == 0 else 0.0
    return 2 * normal_sf(abs(delta) / math.sqrt(variance))
