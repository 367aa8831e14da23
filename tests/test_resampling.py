"""Bootstrap intervals and tests of change, against scipy and computations written out here."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from pipeline import resampling
from pipeline.resampling import (
    Rounds,
    bootstrap_means,
    cell_generator,
    change_test,
    mean_interval,
    percentile_interval,
    pooled_change_test,
)


def rounds(pairs=(), now=(), then=()) -> Rounds:
    return Rounds(np.array(pairs, dtype=float).reshape(-1, 2), np.array(now, float),
                  np.array(then, float))  # fmt: skip


def brute_force_p(group: Rounds) -> float:
    """Every arrangement listed one by one: pairs swapped or not, the unpaired reshuffled."""
    pooled = [*group.now, *group.then]
    observed = abs(group.now_all.mean() - group.then_all.mean())
    hits = total = 0
    for flips in itertools.product((False, True), repeat=len(group.pairs)):
        pair_now = [b if f else a for (a, b), f in zip(group.pairs, flips, strict=True)]
        pair_then = [a if f else b for (a, b), f in zip(group.pairs, flips, strict=True)]
        for chosen in itertools.combinations(range(len(pooled)), len(group.now)):
            now = pair_now + [pooled[i] for i in chosen]
            then = pair_then + [pooled[i] for i in range(len(pooled)) if i not in chosen]
            hits += abs(np.mean(now) - np.mean(then)) >= observed - 1e-12
            total += 1
    return hits / total


def test_a_mixed_sample_s_exact_p_is_that_of_every_arrangement():
    group = rounds(pairs=[(4, 3), (3, 3), (5, 2), (2, 2.5)], now=[4, 4.5, 3], then=[2, 3])
    change = change_test(group, ("t",))
    assert change.test == "exact_permutation"
    assert change.p_value == pytest.approx(brute_force_p(group))


def test_small_paired_samples_with_ties_get_the_exact_p():
    # eight pairs with ties and zero differences, as in a small party's panel: the normal
    # approximation the change table used gave a p under .05 here
    now = np.array([4, 4, 3.5, 5, 4, 3, 4.5, 4])
    then = np.array([3, 3, 3.5, 4, 3, 3, 3.5, 4])
    change = change_test(rounds(pairs=np.column_stack([now, then])), ("t",))
    reference = stats.permutation_test(
        (now, then), lambda x, y: np.mean(x) - np.mean(y), permutation_type="samples",
        n_resamples=np.inf,
    )  # fmt: skip
    assert change.test == "exact_permutation"
    assert change.p_value == pytest.approx(reference.pvalue)
    assert change.p_value == pytest.approx(2 / 2**5)  # five non-zero differences, all +1
    assert stats.wilcoxon(now - then, method="approx").pvalue < 0.05 < change.p_value


def test_random_arrangements_agree_with_every_arrangement():
    group = rounds(pairs=[(4, 3), (3, 2), (5, 4), (2, 2)] * 3, now=[4, 5, 3, 4], then=[2, 3, 3])
    exact_now, exact_then = resampling._all_arrangements(group)
    observed = group.now_all.mean() - group.then_all.mean()
    exact = resampling._p_value(exact_now - exact_then, observed, random=False)
    change = change_test(group, ("t",))  # 2**12 * C(7, 4) = 143,360 arrangements: random ones
    assert change.test == "permutation"
    assert change.p_value == pytest.approx(exact, abs=0.01)  # 9,999 draws: sd about 0.003


@pytest.mark.parametrize("seed", range(4))
def test_large_rows_use_the_partially_overlapping_t_test(seed, monkeypatch):
    monkeypatch.setattr(resampling, "ASYMPTOTIC_FROM", 10)
    rng = np.random.default_rng(seed)
    before = rng.normal(3, 1, 40)
    after = before + rng.normal(0.3, 0.8, 40)
    # all paired: the paired t-test; none paired: Welch's (Derrick et al. 2017 reduce to both)
    paired = change_test(rounds(pairs=np.column_stack([after, before])), ("t",))
    assert paired.test == "partially_overlapping_t"
    assert paired.p_value == pytest.approx(stats.ttest_rel(after, before).pvalue, rel=1e-9)
    welch = change_test(rounds(now=after[:25], then=before[:31]), ("t",))
    reference = stats.ttest_ind(after[:25], before[:31], equal_var=False).pvalue
    assert welch.p_value == pytest.approx(reference, rel=1e-9)


def test_the_partnership_test_rearranges_within_each_party():
    # two parties, unpaired; a naive reference: many shuffles of each party's two rounds
    a = rounds(now=[4, 5, 4, 3], then=[3, 3, 2])
    b = rounds(now=[2, 3, 2], then=[2, 2, 3, 1])
    change = pooled_change_test([a, b], ("t",))
    observed = np.mean([a.now_all.mean(), b.now_all.mean()]) - np.mean(
        [a.then_all.mean(), b.then_all.mean()]
    )
    rng = np.random.default_rng(7)
    hits, draws = 0, 20000
    for _ in range(draws):
        means = []
        for group in (a, b):
            pooled = rng.permutation(np.concatenate([group.now, group.then]))
            means.append((pooled[: len(group.now)].mean(), pooled[len(group.now) :].mean()))
        statistic = np.mean([m[0] for m in means]) - np.mean([m[1] for m in means])
        hits += abs(statistic) >= abs(observed) - 1e-12
    assert change.test == "permutation"
    assert change.p_value == pytest.approx(hits / draws, abs=0.015)


groups = st.builds(
    rounds,
    pairs=st.lists(st.tuples(*[st.sampled_from([1, 2, 2.5, 3, 4, 5])] * 2), max_size=6),
    now=st.lists(st.sampled_from([1, 2, 3, 3.5, 4, 5]), max_size=6),
    then=st.lists(st.sampled_from([1, 2, 3, 4, 4.5, 5]), max_size=6),
)


@settings(max_examples=200, deadline=None)
@given(groups, st.lists(groups, min_size=2, max_size=4))
def test_the_effect_size_has_the_sign_of_the_change(group, parties):
    for change, delta in (
        (change_test(group, ("t",)), _delta([group])),
        (pooled_change_test(parties, ("t",)), _delta(parties)),
    ):
        if np.isfinite(change.effect_size) and np.isfinite(delta):
            assert np.sign(change.effect_size) == np.sign(np.round(delta, 12))
        if np.isfinite(change.p_value):
            assert 0 < change.p_value <= 1


def _delta(groups: list[Rounds]) -> float:
    now = [g.now_all.mean() for g in groups if len(g.now_all)]
    then = [g.then_all.mean() for g in groups if len(g.then_all)]
    return np.mean(now) - np.mean(then) if now and then else np.nan


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([1, 1.5, 2, 3, 4, 4.5, 5]), min_size=2, max_size=40))
def test_bootstrap_intervals_stay_inside_the_scores(scores):
    values = np.array(scores, dtype=float)
    low, high = percentile_interval(bootstrap_means(values, cell_generator(len(values)), 2000))
    assert values.min() <= low <= high <= values.max()
    assert low >= 1 and high <= 5


def test_the_bootstrap_agrees_with_scipy_s():
    rng = np.random.default_rng(3)
    values = rng.integers(1, 6, 30).astype(float)
    ours = percentile_interval(bootstrap_means(values, cell_generator("x"), 20000))
    theirs = stats.bootstrap(
        (values,), np.mean, n_resamples=20000, method="percentile", random_state=1
    ).confidence_interval
    assert ours == pytest.approx((theirs.low, theirs.high), abs=0.05)


def test_the_same_cell_draws_the_same_numbers():
    values = np.array([1.0, 2, 4, 5, 5])
    first = bootstrap_means(values, cell_generator("2025", "lisse", "AMB"), 50)
    again = bootstrap_means(values, cell_generator("2025", "lisse", "AMB"), 50)
    other = bootstrap_means(values, cell_generator("2025", "hillegom", "AMB"), 50)
    assert (first == again).all() and not (first == other).all()


def test_a_large_group_s_interval_is_the_bootstrap_s_normal_limit_inside_the_scores():
    rng = np.random.default_rng(11)
    values = rng.integers(1, 6, 5000).astype(float)
    low, high = mean_interval(values, cell_generator("large"))
    reference = stats.norm.interval(0.95, values.mean(), stats.sem(values))
    assert (low, high) == pytest.approx(reference, rel=1e-12)
    # and agrees with resampling itself (the bootstrap it stands in for)
    draws = bootstrap_means(values, cell_generator("large"), 4000)
    assert percentile_interval(draws) == pytest.approx((low, high), abs=0.01)
    # nearly everyone at the top of the scale: the interval stops at the highest score
    top = np.r_[np.full(4999, 5.0), 4.0]
    assert mean_interval(top, cell_generator("top"))[1] == 5.0


def test_the_draws_depend_on_the_scores_not_on_the_respondents_order():
    # the order of respondents follows their pseudonyms, which each project's secret sets
    rng = np.random.default_rng(4)
    pairs, now, then = rng.integers(1, 6, (15, 2)), rng.integers(1, 6, 9), rng.integers(1, 6, 7)
    first = change_test(rounds(pairs, now, then), ("t",))
    again = change_test(rounds(pairs[::-1], now[::-1], rng.permutation(then)), ("t",))
    assert first.test == "permutation" and first == again
    values = rng.integers(1, 6, 30).astype(float)
    assert (
        bootstrap_means(values, cell_generator("x"), 100)
        == bootstrap_means(values[::-1], cell_generator("x"), 100)
    ).all()
