"""Compare: scores into party and partnership summaries, with disclosure control.

Parties count equally: the partnership score is the mean of party means, with the
respondent-weighted mean beside it (DESIGN section 4). A group under the anonymity threshold
keeps ``n`` but shows no statistic, and its answers enter no pooled figure: every partnership
row, test and relation is computed over the groups shown (:mod:`pipeline.disclosure`). Nothing
is lost, only hidden: the hidden respondents are counted, and stay in ``responses``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline.config import Bands
from pipeline.disclosure import MIN_POOLED_PARTIES, hidden_cells, shown_scores
from pipeline.questionnaire import Instrument
from pipeline.resampling import (
    BOOTSTRAP_DRAWS,
    BOOTSTRAP_UP_TO,
    Change,
    Rounds,
    bootstrap_means,
    cell_generator,
    change_test,
    mean_interval,
    normal_limit,
    percentile_interval,
    pooled_change_test,
)
from pipeline.score import (
    dimension_scores,
    item_columns,
    reliability_tables,
    reverse_coded,
)
from pipeline.statistics import (
    TEST_COLUMNS,
    coded_group_tests,
    holm,
    kruskal_counts,
    spearman,
    t_sf,
)

__all__ = [
    "CHANGE_COLUMNS",
    "PARTNERSHIP",
    "ROUND_TABLES",
    "SUMMARY_COLUMNS",
    "band",
    "choice_counts",
    "drivers",
    "friction_summary",
    "give_and_take",
    "group_differences",
    "group_statistics",
    "in_table_order",
    "independent_tables",
    "item_counts",
    "item_summary",
    "level_summary",
    "partnership_summary",
    "party_statistics",
    "round_changes",
    "round_tables",
    "summary_tables",
    "suppress_small_groups",
    "verdicts",
    "visible_groups",
]

SUMMARY_COLUMNS = [
    "round",
    "party",
    "dimension",
    "n",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "pct_favourable",
    "band",
    "suppressed",
    "pct_respondents_favourable",
]
_STATISTICS = [
    "mean", "sd", "ci_low", "ci_high", "pct_favourable", "pct_respondents_favourable", "band",
]  # fmt: skip
#: The party value of rows that pool every party.
PARTNERSHIP = "partnership"


def band(mean: pd.Series, bands: Bands) -> pd.Series:
    """The band of each mean: ``shines``, ``attention`` or ``chafes``.

    Means are rounded to 9 decimals first, so a mean of exactly 3 that floating-point
    summation made 2.9999999999999996 is not pushed over a threshold. Missing means get a
    missing band.
    """
    values = np.round(mean.to_numpy(dtype=float), 9)
    labels = np.where(
        values >= bands.shines, "shines", np.where(values < bands.chafes, "chafes", "attention")
    )
    return pd.Series(labels, index=mean.index, dtype=object).where(~np.isnan(values), None)


#: Per dimension, each respondent's answered items and items answered favourably.
ItemCounts = dict[str, tuple[np.ndarray, np.ndarray]]


def item_counts(values: pd.DataFrame, instrument: Instrument) -> ItemCounts:
    """Per dimension, each respondent's items answered and those in the scale's top two choices.

    What % favourable sums per group: the same for every grouping of a round, so counted once.
    ``values`` is :func:`~pipeline.score.reverse_coded` of the responses.
    """
    counts = {}
    for code in instrument.dimensions.index:
        items = instrument.dimension_items(code)
        high = np.array([instrument.scale_range(item)[1] for item in items], dtype=float)
        block = item_columns(values, items)
        answered = np.add.reduce(~np.isnan(block), axis=1, dtype=np.int16)
        counts[code] = answered, np.add.reduce(block >= high - 1, axis=1, dtype=np.int16)
    return counts


def group_statistics(
    responses: pd.DataFrame,
    scores: pd.DataFrame,
    instrument: Instrument,
    by: dict[str, list[str]],
    bands: Bands,
    values: pd.DataFrame | None = None,
    counts: ItemCounts | None = None,
) -> pd.DataFrame:
    """Per group and dimension: n, mean, sd, interval, % favourable and band, unsuppressed.

    Parameters
    ----------
    responses
        The ``responses`` table (for % favourable, item by item).
    scores
        The ``scores`` table, same rows as ``responses``.
    instrument
        For the dimensions, their items and the scale.
    by
        The grouping columns with every category each can take, in output order (so a group
        without respondents still has rows, with n = 0). Rows of other categories are left out.
    bands
        The band thresholds.
    values
        :func:`~pipeline.score.reverse_coded` of ``responses``, when the caller has it already.
    counts
        :func:`item_counts` of ``values``, when the caller has it already.

    Returns
    -------
    pandas.DataFrame
        ``round``, the grouping columns, ``dimension, n, mean, sd, ci_low, ci_high,
        pct_favourable, pct_respondents_favourable, band``. The interval is the seeded 95%
        percentile bootstrap interval of the mean (:mod:`pipeline.resampling`; NaN for n < 2),
        inside the scale by construction. ``pct_favourable`` is the share of the answered items
        that are favourable (4 or 5 after reverse coding), ``pct_respondents_favourable`` the
        share of respondents whose score is at least the second highest choice (4 on 1-5).
    """
    round_id = scores["round"].iloc[0] if len(scores) else ""
    values = reverse_coded(responses, instrument) if values is None else values
    dimensions = list(instrument.dimensions.index)
    keys = list(by)
    group, n_groups = _group_codes(scores, by)
    shape = (n_groups, len(dimensions))
    n, total, squares = np.zeros(shape, np.int64), np.zeros(shape), np.zeros(shape)
    answered, favourable = np.zeros(shape), np.zeros(shape)
    high = np.zeros(shape)  # respondents with a score of 4 or more
    low_ci, high_ci = np.full(shape, np.nan), np.full(shape, np.nan)
    labels = list(itertools.product(*by.values()))
    counts = item_counts(values, instrument) if counts is None else counts
    for column, code in enumerate(dimensions):
        score = scores[code].to_numpy(dtype=float)
        valid = (group >= 0) & ~np.isnan(score)
        rows, score = group[valid], score[valid]
        n[:, column] = np.bincount(rows, minlength=n_groups)
        total[:, column] = np.bincount(rows, score, minlength=n_groups)
        top = max(instrument.scale_range(item)[1] for item in instrument.dimension_items(code))
        high[:, column] = np.bincount(rows, np.round(score, 9) >= top - 1, n_groups)
        # each small group's scores, for its bootstrap interval (a large group's is normal)
        cells = n[:, column]
        small = (cells >= 2) & (cells <= BOOTSTRAP_UP_TO)
        in_small = small[rows]
        order = np.flatnonzero(in_small)[np.argsort(rows[in_small], kind="stable")]
        ends = np.cumsum(np.where(small, cells, 0))
        for cell in np.flatnonzero(small):
            cell_scores = score[order[ends[cell] - cells[cell] : ends[cell]]]
            rng = cell_generator(round_id, *labels[cell], code)
            low_ci[cell, column], high_ci[cell, column] = mean_interval(cell_scores, rng)

        with np.errstate(invalid="ignore", divide="ignore"):
            centred = score - (total[:, column] / n[:, column])[rows]
        squares[:, column] = np.bincount(rows, centred**2, minlength=n_groups)
        # % favourable: answered items in the top two choices, among respondents with a score
        answered_items, favourable_items = counts[code]
        answered[:, column] = np.bincount(rows, answered_items[valid], n_groups)
        favourable[:, column] = np.bincount(rows, favourable_items[valid], n_groups)
    # a large group's interval: the bootstrap's normal limit, inside the scale
    large = n > BOOTSTRAP_UP_TO
    if large.any():
        error = np.sqrt(squares[large] / (n[large] - 1) / n[large])
        ends = np.array([_score_range(instrument, code) for code in dimensions])
        column_of = np.nonzero(large)[1]
        low_ci[large], high_ci[large] = normal_limit(
            total[large] / n[large], error, ends[column_of, 0], ends[column_of, 1]
        )
    n = n.ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total.ravel() / n
        sd = np.sqrt(squares.ravel() / (n - 1))
        share = np.where(answered > 0, 100 * favourable / answered, np.nan).ravel()
        respondents = np.where(n > 0, 100 * high.ravel() / n, np.nan)
    grid = pd.MultiIndex.from_product([*by.values(), dimensions], names=[*keys, "dimension"])
    table = grid.to_frame(index=False)
    table.insert(0, "round", round_id)
    statistics = {"n": n, "mean": mean, "sd": sd, "ci_low": low_ci.ravel()}
    statistics |= {"ci_high": high_ci.ravel(), "pct_favourable": share}
    table[list(statistics)] = pd.DataFrame(statistics)
    table["band"] = band(table["mean"], bands)
    table["pct_respondents_favourable"] = respondents
    return table


def _score_range(instrument: Instrument, code: str) -> tuple[float, float]:
    """The lowest and highest score a dimension's items allow."""
    ranges = [instrument.scale_range(item) for item in instrument.dimension_items(code)]
    return min(low for low, _ in ranges), max(high for _, high in ranges)


def _group_codes(frame: pd.DataFrame, by: dict[str, list[str]]) -> tuple[np.ndarray, int]:
    """Each row's group as one integer (-1 outside ``by``'s categories), and the group count.

    Groups are numbered as ``pd.MultiIndex.from_product(by.values())`` orders them.
    """
    sizes = [len(categories) for categories in by.values()]
    if not all(sizes):  # a breakdown without categories (an instrument without levels)
        return np.full(len(frame), -1, dtype=np.int64), 0
    codes = [_positions(frame[key], categories) for key, categories in by.items()]
    known = np.logical_and.reduce([c >= 0 for c in codes])
    group = np.ravel_multi_index(codes, sizes, mode="clip")
    return np.where(known, group, -1), int(np.prod(sizes))


def party_statistics(
    responses: pd.DataFrame,
    scores: pd.DataFrame,
    instrument: Instrument,
    party_ids: list[str],
    bands: Bands,
    values: pd.DataFrame | None = None,
    counts: ItemCounts | None = None,
) -> pd.DataFrame:
    """Per party and dimension, unsuppressed: :func:`group_statistics` by party.

    Returns
    -------
    pandas.DataFrame
        ``round, party, dimension, n, mean, sd, ci_low, ci_high, pct_favourable, band``,
        sorted by party (partnership order) and dimension (instrument order).
    """
    by = {"party": party_ids}
    return group_statistics(responses, scores, instrument, by, bands, values, counts)


def level_summary(
    responses: pd.DataFrame,
    scores: pd.DataFrame,
    shown: pd.DataFrame,
    instrument: Instrument,
    party_ids: list[str],
    bands: Bands,
    min_group_size: int,
    values: pd.DataFrame | None = None,
    counts: ItemCounts | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per level (bestuur, management, uitvoering) and dimension, for the partnership and parties.

    A party's score on a dimension is released beside its levels, so its levels are a line
    whose hidden part must not be small: a level under ``min_group_size`` is hidden, and where
    the hidden levels and the respondents without a level together number 1 to
    ``min_group_size - 1``, the next smallest level is hidden too, until they number at least
    ``min_group_size`` (their joint mean is then that of a group large enough to show). The
    ``partnership`` rows pool, per level, the party levels shown, from two parties on; the
    same rule holds for them against the partnership's respondents. ``scores`` are the round's
    scores and ``shown`` its shown scores (:func:`~pipeline.disclosure.shown_scores`).

    Returns
    -------
    tuple of pandas.DataFrame
        The ``levels`` table (``round, party, level, dimension`` and the statistics of
        ``summary``), and the scores its pooled rows are computed from: those of the party
        levels shown (for the tests across levels).
    """
    levels = _levels(instrument, responses)
    dimensions = list(instrument.dimensions.index)
    values = reverse_coded(responses, instrument) if values is None else values
    counts = item_counts(values, instrument) if counts is None else counts
    by_party = {"party": party_ids, "level": levels}
    parties = group_statistics(responses, shown, instrument, by_party, bands, values, counts)
    shape = (len(party_ids), len(levels), len(dimensions))
    n = parties["n"].to_numpy().reshape(shape)
    total = shown.groupby("party")[dimensions].count().reindex(party_ids, fill_value=0)
    hidden = _protected_lines(n, total.to_numpy(), min_group_size)  # parties x levels x dims
    # every respondent's score where its party's level is shown, for the pooled rows
    level = _positions(shown["level"], levels)
    party = _positions(shown["party"], party_ids)
    known = (level >= 0) & (party >= 0)  # the others are in no level row, pooled or not
    pooled_scores = shown
    for d, code in enumerate(dimensions):
        hide = np.zeros(len(shown), dtype=bool)
        hide[known] = hidden[party[known], level[known], d]
        if hide.any():
            if pooled_scores is shown:  # copied only when a party level is hidden
                pooled_scores = shown.copy(deep=False)
            pooled_scores[code] = shown[code].mask(hide)
    pooled = group_statistics(
        responses, pooled_scores, instrument, {"level": levels}, bands, values, counts
    )
    pooled.insert(1, "party", PARTNERSHIP)
    few = (~hidden & (n > 0)).sum(axis=0) < MIN_POOLED_PARTIES  # levels x dims
    pooled_n = pooled["n"].to_numpy().reshape(1, len(levels), len(dimensions))
    pooled_total = shown[dimensions].count().to_numpy()[None, :]
    pooled_hidden = _protected_lines(pooled_n, pooled_total, min_group_size, few[None])[0]
    hide = np.concatenate([pooled_hidden.ravel(), hidden.ravel()])
    table = pd.concat([pooled, parties], ignore_index=True)
    return suppress_small_groups(table, min_group_size, also=hide), pooled_scores


def _protected_lines(
    n: np.ndarray, total: np.ndarray, min_group_size: int, hidden: np.ndarray | None = None
) -> np.ndarray:
    """Which level cells to hide so that no line's hidden part is small (:func:`level_summary`).

    ``n`` holds the scores per line (a total), level and dimension, ``total`` the scores per
    line and dimension, levels or not; ``hidden`` cells hidden already. A cell with 1 to
    ``min_group_size - 1`` scores is hidden; then, while a line's hidden part (its hidden
    cells and the scores without a level) numbers 1 to ``min_group_size - 1``, its smallest
    shown cell (the first of equals) is hidden too. An empty cell hides nobody.
    """
    hidden = (n < min_group_size) if hidden is None else (hidden | (n < min_group_size))
    for _ in range(n.shape[1]):  # at most one more cell per level
        part = total - np.where(hidden, 0, n).sum(axis=1)  # the hidden scores of each line
        small = (part > 0) & (part < min_group_size)
        if not small.any():
            break
        candidates = np.where(hidden | ~small[:, None, :], np.iinfo(np.int64).max, n)
        smallest = candidates.argmin(axis=1)  # per line and dimension
        lines, dims = np.nonzero(small & (candidates.min(axis=1) < np.iinfo(np.int64).max))
        hidden[lines, smallest[lines, dims], dims] = True
    return hidden


def _levels(instrument: Instrument, responses: pd.DataFrame) -> list[str]:
    """The level choices in instrument order, else the levels found."""
    if "level" in instrument.items.index:
        list_name = instrument.items.at["level", "list_name"]
        names = instrument.choices.loc[instrument.choices["list_name"] == list_name, "name"]
        if len(names):
            return names.tolist()
    return sorted(responses["level"].dropna().unique())


def suppress_small_groups(
    statistics: pd.DataFrame,
    min_group_size: int,
    hidden_columns: Sequence[str] = _STATISTICS,
    also: np.ndarray | None = None,
) -> pd.DataFrame:
    """Hide every statistic of the groups under ``min_group_size``, and of those in ``also``.

    No other group needs hiding to protect them: their answers enter no pooled figure
    (:mod:`pipeline.disclosure`).

    Parameters
    ----------
    statistics
        Rows with at least ``n`` and the statistic columns.
    min_group_size
        The anonymity threshold.
    hidden_columns
        The statistic columns a suppressed row loses.
    also
        Rows to hide whatever their ``n`` (a part of a total whose other parts are hidden).

    Returns
    -------
    pandas.DataFrame
        The same rows with ``suppressed`` added; suppressed rows keep ``n`` and lose every
        statistic.
    """
    table = statistics.copy()
    suppressed = table["n"].to_numpy(dtype="float64") < min_group_size
    if also is not None:
        suppressed = suppressed | also
    table["suppressed"] = suppressed
    if "pct_respondents_favourable" in table:  # after DESIGN section 5's columns
        table["pct_respondents_favourable"] = table.pop("pct_respondents_favourable")
    columns = [c for c in hidden_columns if c in table]
    any_hidden = suppressed.any()
    for column in columns:  # NaN where hidden; an integer statistic becomes float either way
        dtype = table[column].dtype
        if isinstance(dtype, np.dtype) and dtype.kind in "iuf":
            values = table[column].to_numpy(dtype="float64")
            table[column] = np.where(suppressed, np.nan, values) if any_hidden else values
        elif any_hidden:
            table.loc[suppressed, column] = np.nan
    if "band" in table:
        table["band"] = table["band"].astype(object).where(~suppressed, None)
    return table


def _suppress_parties(
    table: pd.DataFrame, min_group_size: int, hidden_columns: list[str], pooled: np.ndarray
) -> pd.DataFrame:
    """Suppress the rows under the threshold, and the pooled rows marked in ``pooled``.

    ``pooled`` says, per pooled (``partnership``) row in row order, whether it has fewer than
    two shown parties to pool. (A pooled row's ``n`` is that of its shown parties, so it is
    under the threshold only when it pools none.)
    """
    also = np.zeros(len(table), dtype=bool)
    also[(table["party"] == PARTNERSHIP).to_numpy()] = pooled
    return suppress_small_groups(table, min_group_size, hidden_columns, also)


def partnership_summary(scores: pd.DataFrame, instrument: Instrument, bands: Bands) -> pd.DataFrame:
    """Per dimension the mean of party means (equal weight) and the mean of their respondents.

    ``scores`` are the shown scores (:func:`~pipeline.disclosure.shown_scores`): a hidden
    party's scores are missing, so it is in neither mean.

    Returns
    -------
    pandas.DataFrame
        The ``partnership`` table: ``round, dimension, parties, n, mean_equal_weight,
        mean_respondent_weight, band, ci_low, ci_high, suppressed``; ``parties`` counts the
        parties pooled, the band follows the equal-weight mean, and the interval is its seeded
        95% percentile bootstrap interval, each party's respondents resampled within the party.
        With fewer than two parties to pool, nothing is given (``suppressed``).
    """
    round_id = scores["round"].iloc[0] if len(scores) else ""
    rows = []
    for code in instrument.dimensions.index:
        valid = scores[["party", code]].dropna()
        by_party = valid.groupby("party", sort=True)[code]
        party_means = by_party.mean()
        enough = party_means.size >= MIN_POOLED_PARTIES
        low = high = np.nan
        if enough and len(valid) <= BOOTSTRAP_UP_TO * party_means.size:
            # each party's respondents resampled within it, the party means averaged
            draws = [
                bootstrap_means(group.to_numpy(), cell_generator(round_id, party, code, "pooled"),
                                BOOTSTRAP_DRAWS)
                for party, group in by_party
            ]  # fmt: skip
            low, high = percentile_interval(np.mean(draws, axis=0))
        elif enough:  # large parties: the normal limit, each party's error counted once
            error = np.sqrt((by_party.var(ddof=1) / by_party.size()).fillna(0).sum())
            low, high = normal_limit(
                party_means.mean(), error / party_means.size, *_score_range(instrument, code)
            )
        rows.append(
            {
                "round": round_id,
                "dimension": code,
                "parties": int(party_means.size),
                "n": len(valid),
                "mean_equal_weight": float(party_means.mean()) if enough else np.nan,
                "mean_respondent_weight": float(valid[code].mean()) if enough else np.nan,
                "ci_low": low,
                "ci_high": high,
                "suppressed": not enough,
            }
        )
    table = pd.DataFrame(rows)
    table.insert(6, "band", band(table["mean_equal_weight"], bands))
    return table


# --- tests across parties and levels --------------------------------------------------------


def group_differences(
    scores: pd.DataFrame,
    instrument: Instrument,
    visible_parties: dict[str, list[str]],
    visible_levels: dict[str, list[str]],
    level_scores: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``tests`` table: whether parties, and levels, see a dimension differently.

    Per dimension a Kruskal-Wallis test with epsilon-squared across the groups shown (not
    suppressed), and Mann-Whitney tests for each pair with rank-biserial correlations. The
    omnibus p-values of one comparison (parties, or levels) are Holm-adjusted across the
    dimensions, and its pairwise p-values across every pair of every dimension of the round:
    the report shows them together, so the family-wise error is held over the round, with no
    gate on the omnibus test. ``groups`` names the groups each row covers.

    Parameters
    ----------
    scores
        The ``scores`` table.
    instrument
        For the dimensions.
    visible_parties, visible_levels
        Per dimension the parties, and the levels, whose figures are shown.
    level_scores
        The scores the levels are compared on: those of the parties whose levels are shown
        (:func:`level_summary`); default ``scores``.

    Returns
    -------
    pandas.DataFrame
        ``round, dimension, comparison, test, statistic, p_value, p_adjusted, effect_size,
        effect_measure``.
    """
    round_id = scores["round"].iloc[0] if len(scores) else ""
    rows: list[dict[str, object]] = []
    comparisons = [("parties", "party", visible_parties, scores)]
    if "level" in instrument.items.index:  # an instrument may have no level question
        levels = scores if level_scores is None else level_scores
        comparisons.append(("levels", "level", visible_levels, levels))
    for label, column, visible, frame in comparisons:
        first = len(rows)  # this comparison's rows start here
        omnibus = []  # each dimension's Kruskal-Wallis row, the first of its tests
        # the groups numbered once, in sorted order (-1: missing), not looked up per dimension
        groups, names = pd.factorize(frame[column], sort=True)
        names = np.asarray(names, dtype=object)
        for code in instrument.dimensions.index:
            score = frame[code].to_numpy(dtype=float, na_value=np.nan)
            shown = np.flatnonzero(np.isin(names, visible.get(code, [])))
            valid = np.isin(groups, shown) & ~np.isnan(score)
            # the groups of the rows shown, numbered again among themselves
            found = np.bincount(groups[valid], minlength=len(names)) > 0
            renumbered = (np.cumsum(found) - 1)[groups[valid]]
            omnibus.append(len(rows))
            tests = coded_group_tests(score[valid], renumbered, names[found].tolist(), label)
            rows += [{"dimension": code, **test} for test in tests]
        # the omnibus tests Holm-adjusted across the dimensions, and the pairwise tests across
        # all the round's pairs of this comparison: the family a reader takes in at once
        pairs = [i for i in range(first, len(rows)) if i not in set(omnibus)]
        for family in (omnibus, pairs):
            adjusted = holm([rows[i]["p_value"] for i in family])
            for i, p_adjusted in zip(family, adjusted, strict=True):
                rows[i]["p_adjusted"] = p_adjusted
    table = pd.DataFrame(rows, columns=["dimension", *TEST_COLUMNS])
    table.insert(0, "round", round_id)
    return table


def visible_groups(table: pd.DataFrame, column: str) -> dict[str, list[str]]:
    """Per dimension the groups of ``column`` whose row is not suppressed and has n > 0."""
    shown = table[~table["suppressed"] & (table["n"] > 0)]
    return {code: rows[column].tolist() for code, rows in shown.groupby("dimension", sort=False)}


# --- change over rounds ------------------------------------------------------------------------


def round_changes(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    current_instrument: Instrument,
    previous_instrument: Instrument,
    party_ids: list[str],
    min_group_size: int,
) -> pd.DataFrame:
    """The ``changes`` table: each dimension's change since the previous round.

    Both rounds are scored again over the items their instruments share (by item code), so a
    changed questionnaire does not look like a changed partnership. Each row's test is on the
    respondents its means are of: a party's, with its panel respondents (the same pseudonym in
    both rounds) as pairs; the partnership's, its parties' respondents rearranged within their
    party, for the change of the mean of party means (:mod:`pipeline.resampling`). The effect
    size is Cohen's d of the change, so it has its sign.

    Each round keeps the disclosure control it was released with: a party hidden in either
    round's summary (or with fewer than ``min_group_size`` scores on the shared items) has its
    row suppressed and is in neither round's partnership figures here.

    Returns
    -------
    pandas.DataFrame
        ``round, previous_round, party, dimension, mean, previous_mean, delta, p_value,
        effect_size``, then ``n, previous_n, n_paired, shared_items, test, effect_measure,
        suppressed``;
        party ``partnership`` compares the means of the shown party means, over their
        respondents (suppressed with fewer than two shown parties in either round).
    """
    shared = current_instrument.restricted_to(previous_instrument)
    dimensions = [code for code in shared.dimensions.index if shared.dimension_items(code)]
    now = _released_scores(current, current_instrument, shared, party_ids, min_group_size)
    then = _released_scores(
        previous, previous_instrument, previous_instrument.restricted_to(current_instrument),
        party_ids, min_group_size,
    )  # fmt: skip
    # each respondent's row in the previous round, -1 where absent (one row per person and party
    # a round: the party is part of the pseudonym)
    before = pd.Index(then["respondent"]).get_indexer(now["respondent"])
    now_codes = _positions(now["party"], party_ids)  # -1: not in partnership.toml
    then_codes = _positions(then["party"], party_ids)
    round_id = current["round"].iloc[0] if len(current) else ""
    rows = []
    for code in dimensions:
        groups = _change_groups(now[code], then[code], before, now_codes, then_codes, party_ids)
        pooled = pooled_change_test(list(groups.values()), (round_id, PARTNERSHIP, code))
        shown_now = [g.now_all.mean() for g in groups.values() if len(g.now_all)]
        shown_then = [g.then_all.mean() for g in groups.values() if len(g.then_all)]
        rows.append(
            {"party": PARTNERSHIP, "dimension": code,
             "mean": np.mean(shown_now) if shown_now else np.nan,
             "previous_mean": np.mean(shown_then) if shown_then else np.nan,
             **_change_columns(pooled),
             "n": sum(len(g.now_all) for g in groups.values()),
             "previous_n": sum(len(g.then_all) for g in groups.values()),
             "n_paired": sum(len(g.pairs) for g in groups.values()),
             "shared_items": len(shared.dimension_items(code)),
             "suppressed": min(len(shown_now), len(shown_then)) < MIN_POOLED_PARTIES}
        )  # fmt: skip
        for party, group in groups.items():
            a, b = group.now_all, group.then_all
            change = change_test(group, (round_id, party, code))
            rows.append(
                {"party": party, "dimension": code,
                 "mean": a.mean() if len(a) else np.nan,
                 "previous_mean": b.mean() if len(b) else np.nan,
                 **_change_columns(change),
                 "n": len(a), "previous_n": len(b), "n_paired": len(group.pairs),
                 "shared_items": len(shared.dimension_items(code)),
                 "suppressed": len(a) < min_group_size or len(b) < min_group_size}
            )  # fmt: skip
    if not rows:  # no dimension shares items with the previous round
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    table = pd.DataFrame(rows)
    table["delta"] = table["mean"] - table["previous_mean"]
    small = table["suppressed"].to_numpy(dtype=bool)
    table.loc[small, ["mean", "previous_mean", "delta", "p_value", "effect_size"]] = np.nan
    table.insert(0, "round", current["round"].iloc[0] if len(current) else "")
    table.insert(1, "previous_round", previous["round"].iloc[0] if len(previous) else "")
    return table[CHANGE_COLUMNS]


def _released_scores(
    responses: pd.DataFrame,
    instrument: Instrument,
    shared: Instrument,
    party_ids: list[str],
    min_group_size: int,
) -> pd.DataFrame:
    """A round's scores on the shared items, without its hidden parties' (missing there).

    Hidden are the parties hidden in the round's own summary (scored on its whole instrument)
    and those with fewer than ``min_group_size`` scores on the shared items.
    """
    scores = dimension_scores(responses, shared)
    dimensions = [code for code in shared.dimensions.index if shared.dimension_items(code)]
    hidden = hidden_cells(scores, party_ids, dimensions, min_group_size)
    if list(shared.scored_items) != list(instrument.scored_items):  # the release's own set
        whole = dimension_scores(responses, instrument)
        released = hidden_cells(whole, party_ids, dimensions, min_group_size)
        hidden |= released
    return shown_scores(scores, hidden)


CHANGE_COLUMNS = [
    "round", "previous_round", "party", "dimension", "mean", "previous_mean", "delta", "p_value",
    "effect_size", "n", "previous_n", "n_paired", "shared_items", "test", "effect_measure",
    "suppressed",
]  # fmt: skip


def _change_groups(
    now: pd.Series,
    then: pd.Series,
    before: np.ndarray,
    now_codes: np.ndarray,
    then_codes: np.ndarray,
    party_ids: list[str],
) -> dict[str, Rounds]:
    """Each party's scores on one dimension in both rounds, its panel respondents as pairs.

    ``before`` is each current respondent's row in the previous round (-1: none); a pair needs
    a score in both rounds and the same party.
    """
    score, score_then = now.to_numpy(dtype=float), then.to_numpy(dtype=float)
    has_now, has_then = ~np.isnan(score), ~np.isnan(score_then)
    linked = before >= 0
    paired = np.zeros(len(score), dtype=bool)
    paired[linked] = has_now[linked] & has_then[before[linked]]
    paired &= now_codes == np.where(linked, then_codes[np.maximum(before, 0)], -2)
    paired_then = np.zeros(len(score_then), dtype=bool)
    paired_then[before[paired]] = True
    groups = {}
    for code, party in enumerate(party_ids):
        mine = paired & (now_codes == code)
        groups[party] = Rounds(
            pairs=np.column_stack([score[mine], score_then[before[mine]]]),
            now=score[has_now & ~paired & (now_codes == code)],
            then=score_then[has_then & ~paired_then & (then_codes == code)],
        )
    return groups


def _change_columns(change: Change) -> dict[str, object]:
    return {"p_value": change.p_value, "effect_size": change.effect_size, "test": change.test,
            "effect_measure": change.effect_measure}  # fmt: skip


# --- statements, frictions, verdicts, give and take, drivers -----------------------------------


def item_summary(
    responses: pd.DataFrame,
    instrument: Instrument,
    party_ids: list[str],
    min_group_size: int,
    dont_know: pd.DataFrame | None = None,
    counted: ChoiceCounts | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per party (and the partnership) and item: n, mean and the distribution over the choices.

    "Weet niet" answers are counted and reported as a share of everyone who answered the item
    (``pct_dont_know``) but left out of n, the mean and the distribution's percentages.

    Parameters
    ----------
    responses
        The ``responses`` table.
    instrument
        For the scale and friction items and their choices.
    party_ids
        Every party, in output order.
    min_group_size
        Party rows under it are suppressed; the pooled rows pool the parties shown.
    dont_know
        The ``dont_know`` table (``party, respondent, item``) of the round, if known.
    counted
        :func:`choice_counts` of the round, when already counted.

    Returns
    -------
    tuple of pandas.DataFrame
        ``items`` (``round, party, item, dimension, n, mean, mean_scored, n_dont_know,
        pct_dont_know, suppressed``; ``mean_scored`` is after reverse coding) and
        ``distribution`` (``round, party, item, choice, n, pct``).
    """
    round_id = responses["round"].iloc[0] if len(responses) else ""
    items = [*instrument.scored_items, *instrument.friction_items]
    parties = [PARTNERSHIP, *party_ids]
    if counted is None:
        counted = choice_counts(responses, instrument, party_ids, min_group_size)
    n = np.array([counted[item][1].sum(axis=1) for item in items]).T  # parties x items
    totals = np.array([counted[item][1] @ counted[item][0] for item in items]).T
    grid_items = pd.MultiIndex.from_product([parties, items], names=["party", "item"])
    table = pd.DataFrame(index=grid_items)
    table["n"] = n.ravel().astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        table["mean"] = (totals / n).ravel()
    table = table.reset_index()
    reverse = instrument.items["reverse"].reindex(items).to_numpy()
    span = np.array([sum(instrument.scale_range(item)) for item in items])
    flip = pd.Series(reverse, index=items)
    table["mean_scored"] = np.where(
        flip.reindex(table["item"]).to_numpy(),
        pd.Series(span, index=items).reindex(table["item"]).to_numpy() - table["mean"],
        table["mean"],
    )
    table["dimension"] = instrument.items["dimension"].reindex(table["item"]).to_numpy()
    shown = n[1:] >= min_group_size  # parties x items: the cells the pooled rows pool
    table["n_dont_know"] = _dont_know_counts(dont_know, party_ids, items, shown).ravel()
    asked = table["n"] + table["n_dont_know"]
    table["pct_dont_know"] = 100 * table["n_dont_know"] / asked.replace(0, np.nan)
    table = _suppress_parties(
        table, min_group_size, ["mean", "mean_scored", "pct_dont_know", "n_dont_know"],
        shown.sum(axis=0) < MIN_POOLED_PARTIES,
    )  # fmt: skip
    table.insert(0, "round", round_id)
    table = table[["round", "party", "item", "dimension", "n", "mean", "mean_scored",
                   "n_dont_know", "pct_dont_know", "suppressed"]]  # fmt: skip

    # party outer, then item, then choice: each item's parties x choices block, reordered
    sizes = [len(counted[item][0]) for item in items]
    distribution = pd.DataFrame(
        {
            "order": np.concatenate(
                [
                    np.repeat(np.arange(len(parties)) * len(items) + position, size)
                    for position, size in enumerate(sizes)
                ]
            ),
            "item": np.repeat(np.array(items, dtype=object), [len(parties) * n for n in sizes]),
            "choice": np.concatenate([np.tile(counted[item][0], len(parties)) for item in items]),
            "n": np.concatenate([counted[item][1].ravel() for item in items]),
        }
    ).sort_values("order", kind="stable")
    distribution.insert(0, "party", np.array(parties)[distribution.pop("order") // len(items)])
    distribution = distribution.reset_index(drop=True).astype({"choice": "int64", "n": "int64"})
    answered = distribution.groupby(["party", "item"], sort=False)["n"].transform("sum")
    distribution["pct"] = 100 * distribution["n"] / answered.replace(0, np.nan)
    hidden = table.set_index(["party", "item"])["suppressed"]
    secret = hidden.reindex(pd.MultiIndex.from_frame(distribution[["party", "item"]])).to_numpy()
    distribution.loc[secret, ["n", "pct"]] = np.nan
    distribution.insert(0, "round", round_id)
    return table.reset_index(drop=True), distribution


def _dont_know_counts(
    dont_know: pd.DataFrame | None, party_ids: list[str], items: list[str], shown: np.ndarray
) -> np.ndarray:
    """The "weet niet" answers per party (the partnership first) and item.

    The partnership's are those of the cells ``shown`` (parties x items), as its other counts.

    Counted by numbers: a million respondents give some 2.4 million answers, whose grouping by
    party and item as text took 1 s.
    """
    if dont_know is None or not len(dont_know):
        return np.zeros((1 + len(party_ids), len(items)), dtype=np.int64)
    item = _positions(dont_know["item"], items)  # -1: an item not summarised
    party = _party_codes(dont_know, party_ids)[item >= 0]  # the last: another party
    cells = party * len(items) + item[item >= 0]
    counts = np.bincount(cells, minlength=(len(party_ids) + 1) * len(items))
    counts = counts.reshape(len(party_ids) + 1, len(items))[: len(party_ids)]
    return np.vstack([np.where(shown, counts, 0).sum(axis=0), counts])


def _party_codes(responses: pd.DataFrame, party_ids: list[str]) -> np.ndarray:
    """Each response's position in ``party_ids``; ``len(party_ids)`` for any other party."""
    codes = _positions(responses["party"], party_ids)  # -1: another party, or none
    return np.where(codes < 0, len(party_ids), codes).astype(np.int64)


def _positions(column: pd.Series, categories: Sequence[object]) -> np.ndarray:
    """``pd.Index(categories).get_indexer(column)``: each cell's position, -1 where absent.

    The column's distinct values are looked up rather than each cell: a party or item column
    holds few, and a million text cells were looked up one by one in 0.14 s, not 0.02 s.
    """
    codes, distinct = pd.factorize(column)  # codes -1: a missing cell
    return np.append(pd.Index(categories).get_indexer(distinct), -1)[codes]


#: Item -> its choice values and their counts per party (:func:`choice_counts`).
ChoiceCounts = dict[str, tuple[np.ndarray, np.ndarray]]


def choice_counts(
    responses: pd.DataFrame, instrument: Instrument, party_ids: list[str], min_group_size: int = 1
) -> ChoiceCounts:
    """How often each choice of every scored and friction item was chosen, per party.

    Counted once per round: the item, friction and verdict tables are built from these counts.

    Returns
    -------
    dict
        Item -> its choice values (ascending), and a (1 + parties) x choices count matrix whose
        other rows follow ``party_ids`` and whose first row pools the parties shown: those
        with at least ``min_group_size`` answers to the item (:mod:`pipeline.disclosure`).
    """
    party, n_parties = _party_codes(responses, party_ids), len(party_ids)
    items = [*instrument.scored_items, *instrument.friction_items]
    by_list: dict[str, list[str]] = {}
    for item in items:
        by_list.setdefault(instrument.items.at[item, "list_name"], []).append(item)
    counted: ChoiceCounts = {}
    block = max(1, _COUNTED_CELLS // max(1, len(responses)))
    for list_name, list_items in by_list.items():  # a list's items counted together
        choices = np.sort(instrument.choice_values(list_name)).astype(np.int64)
        for start in range(0, len(list_items), block):
            some = list_items[start : start + block]
            counts = _choice_counts(responses[some], choices, party, n_parties)
            counted |= {
                item: (choices, _with_pooled(counts[k][:n_parties], min_group_size))
                for k, item in enumerate(some)
            }
    return {item: counted[item] for item in items}


def _with_pooled(counts: np.ndarray, min_group_size: int) -> np.ndarray:
    """Parties x choices counts with the pooled row of the shown parties put first."""
    shown = counts.sum(axis=1) >= min_group_size
    return np.vstack([counts[shown].sum(axis=0), counts])


#: At most this many answers are counted at once by :func:`choice_counts`: all of a small
#: round's items of a list (one numpy call rather than one per item), a few items at a time of
#: a larger round, whose arrays then hold 8 MB each (at 2**22 a round of 100,000 peaked 170 MB
#: higher).
_COUNTED_CELLS = 2**20
#: A choice list whose values span fewer whole numbers than this finds each answer's choice by a
#: look-up table of that span, several times faster than a binary search.
_LOOKUP_SPAN = 4096


def _choice_counts(
    answers: pd.DataFrame, choices: np.ndarray, party: np.ndarray, n_parties: int
) -> np.ndarray:
    """How often each of ``choices`` was chosen in each column of ``answers``, per party.

    Parameters
    ----------
    answers
        Items of one choice list.
    choices
        The list's choice values, ascending.
    party, n_parties
        :func:`_party_codes` of the responses and the number of parties it numbered.

    Returns
    -------
    numpy.ndarray
        Items x (1 + parties) x choices: the parties in order, then any other party.
    """
    n_items, width = answers.shape[1], len(choices)
    # each answer's choice, or ``width`` where it is missing or no choice: those are counted in
    # a last bin per item and party, then dropped
    low = choices[0] if width else 0
    if width and choices[-1] - low < _LOOKUP_SPAN:  # a look-up over the scale's whole numbers
        which = np.full(choices[-1] - low + 2, width, dtype=np.int64)  # the last: no choice
        which[choices - low] = np.arange(width)
        if all(pd.api.types.is_integer_dtype(dtype) for dtype in answers.dtypes):
            # the loader's Int8 answers read as integers: half the time of floats at 1M
            offset = np.column_stack(
                [answers[item].to_numpy(dtype=np.int64, na_value=low - 1) for item in answers]
            )
            offset = np.clip(offset - low, -1, len(which) - 1)  # -1: the last entry
        else:
            offset = answers.to_numpy(dtype="float64", na_value=np.nan) - low
            whole = (offset >= 0) & (offset < len(which) - 1) & (offset == np.floor(offset))
            offset = np.where(whole, offset, -1).astype(np.int64)
        position = which[offset]
    else:  # a sparse scale (found by a binary search: 30 ms per million answers)
        values = answers.to_numpy(dtype="float64", na_value=np.nan)
        found = np.searchsorted(choices, values).clip(0, max(width - 1, 0))
        position = np.where(choices[found] == values, found, width) if width else found
    cells = (np.arange(n_items) * (n_parties + 1) + party[:, None]) * (width + 1) + position
    counts = np.bincount(cells.ravel(), minlength=n_items * (n_parties + 1) * (width + 1))
    return counts.reshape(n_items, n_parties + 1, width + 1)[:, :, :width]


def friction_summary(
    responses: pd.DataFrame,
    instrument: Instrument,
    party_ids: list[str],
    min_group_size: int,
    counted: ChoiceCounts | None = None,
) -> pd.DataFrame:
    """Per friction area and party: the mean on -2..2 and the shares that chafe and shine.

    ``counted`` is :func:`choice_counts` of the round, when already counted.

    Returns
    -------
    pandas.DataFrame
        ``round, party, area, item, n, mean, pct_chafes, pct_shines, suppressed``; party
        ``partnership`` gives the means of the shown parties' means and shares, each party
        counting equally (hidden with fewer than two shown parties).
    """
    round_id = responses["round"].iloc[0] if len(responses) else ""
    frames = []
    if counted is None:
        counted = choice_counts(responses, instrument, party_ids, min_group_size)
    for item in instrument.friction_items:
        choices, counts = counted[item]
        n = counts.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            frame = pd.DataFrame(
                {"party": [PARTNERSHIP, *party_ids], "area": instrument.items.at[item, "friction"],
                 "item": item, "n": n, "mean": counts @ choices / n,
                 "pct_chafes": 100 * counts[:, choices < 0].sum(axis=1) / n,
                 "pct_shines": 100 * counts[:, choices > 0].sum(axis=1) / n}
            )  # fmt: skip
        # the partnership's figures are the means of the shown parties' (parties count equally)
        shown = n[1:] >= min_group_size
        for column in ("mean", "pct_chafes", "pct_shines"):
            party_values = frame[column].iloc[1:][shown]
            frame.loc[0, column] = party_values.mean() if len(party_values) else np.nan
        frame["pooled_hidden"] = [shown.sum() < MIN_POOLED_PARTIES, *[False] * len(party_ids)]
        frames.append(frame.iloc[[*range(1, len(frame)), 0]])  # partnership last
    if not frames:  # an instrument without friction areas
        texts = dict.fromkeys(["party", "area", "item"], object)
        numbers = dict.fromkeys(["n", "mean", "pct_chafes", "pct_shines"], float)
        frames = [
            pd.DataFrame(columns=[*texts, *numbers, "pooled_hidden"]).astype(
                texts | numbers | {"pooled_hidden": bool}
            )
        ]
    table = pd.concat(frames, ignore_index=True)
    pooled = table.pop("pooled_hidden").to_numpy(dtype=bool)[table["party"] == PARTNERSHIP]
    table = _suppress_parties(table, min_group_size, ["mean", "pct_chafes", "pct_shines"], pooled)
    table.insert(0, "round", round_id)
    return table.reset_index(drop=True)


def verdicts(
    items: pd.DataFrame,
    summary: pd.DataFrame,
    partnership: pd.DataFrame,
    tests: pd.DataFrame,
    counted: ChoiceCounts,
    instrument: Instrument,
    party_ids: list[str],
    bands: Bands,
) -> pd.DataFrame:
    """Glanzen en schuren per statement and per dimension: shines, chafes or divides.

    ``divides`` when the parties shown differ significantly (Kruskal-Wallis, Holm-adjusted
    across the dimensions, or across the statements, p < .05); ``spread`` when their means lie
    a point or more apart without that evidence (a spread that small groups easily show by
    chance); otherwise ``chafes`` below the chafes band, ``shines`` at or above the shines
    band, and ``attention`` in between. Statements are judged on their reverse-coded mean, so a
    high value is always good. ``counted`` is :func:`choice_counts` of the round over
    ``party_ids``.

    Returns
    -------
    pandas.DataFrame
        ``round, kind, code, dimension, mean, spread, p_adjusted, verdict``; ``kind`` is
        ``dimension`` or ``item``, ``mean`` the mean of party means.
    """
    round_id = partnership["round"].iloc[0] if len(partnership) else ""
    rows = []
    omnibus = tests[(tests["comparison"] == "parties") & (tests["test"] == "kruskal_wallis")]
    p_dimension = dict(zip(omnibus["dimension"], omnibus["p_adjusted"], strict=True))
    shown = summary[~summary["suppressed"]]
    dimension_of = shown["dimension"].to_numpy(dtype=object)
    dimension_mean_of = shown["mean"].to_numpy(dtype=float)
    for code, mean in zip(partnership["dimension"], partnership["mean_equal_weight"], strict=True):
        rows.append(
            {"kind": "dimension", "code": code, "dimension": code, "mean": mean,
             "spread": _spread(dimension_mean_of[dimension_of == code]),
             "p_adjusted": p_dimension.get(code, np.nan)}
        )  # fmt: skip
    shown_items = items[(items["party"] != PARTNERSHIP) & ~items["suppressed"] & (items["n"] > 0)]
    item_of = shown_items["item"].to_numpy(dtype=object)
    # the row of each party in ``counted``, after the partnership's
    row_of = 1 + pd.Index(party_ids).get_indexer(shown_items["party"].to_numpy(dtype=object))
    mean_of = shown_items["mean_scored"].to_numpy(dtype=float)
    dimension_of_item = instrument.items["dimension"].to_dict()
    item_rows = []
    for item in instrument.scored_items:
        here = item_of == item
        _, counts = counted[item]
        # ranks of reverse-coded answers are the reverse of the raw ones: the same H
        _, p_value, _ = kruskal_counts(counts[row_of[here]])
        means = mean_of[here]
        item_rows.append(
            {"kind": "item", "code": item, "dimension": dimension_of_item[item],
             "mean": _mean(means), "spread": _spread(means), "p_value": p_value}
        )  # fmt: skip
    item_table = pd.DataFrame(item_rows)
    item_table["p_adjusted"] = holm(item_table["p_value"].to_numpy())
    table = pd.concat([pd.DataFrame(rows), item_table.drop(columns="p_value")], ignore_index=True)
    divides = table["p_adjusted"] < 0.05
    spread = ~divides & (np.round(table["spread"], 9) >= 1.0)
    table["verdict"] = (
        band(table["mean"], bands).where(~divides, "divides").where(~spread, "spread")
    )
    table.loc[table["mean"].isna(), "verdict"] = None
    table.insert(0, "round", round_id)
    return table


def _mean(means: np.ndarray) -> float:
    """The mean of the means shown, as pandas takes it (NaN skipped); NaN without any."""
    known = means[~np.isnan(means)]
    return float(known.mean()) if len(known) else np.nan


def _spread(means: np.ndarray) -> float:
    """Highest minus lowest of the means shown (NaN skipped); NaN with fewer than two."""
    known = means[~np.isnan(means)]
    return float(known.max() - known.min()) if len(means) >= 2 and len(known) else np.nan


def give_and_take(
    responses: pd.DataFrame, instrument: Instrument, party_ids: list[str], min_group_size: int
) -> pd.DataFrame:
    """Halen en brengen: per party the mean of what it brings in and what it gets back.

    The two statements are the items with ``role`` ``brings`` and ``gets`` in the instrument;
    without them the table is empty.

    Returns
    -------
    pandas.DataFrame
        ``round, party, n, brings, gets, suppressed`` (n counts respondents who answered both).
    """
    columns = ["round", "party", "n", "brings", "gets", "suppressed"]
    brings, gets = instrument.item_with_role("brings"), instrument.item_with_role("gets")
    if brings is None or gets is None:
        return pd.DataFrame(columns=columns)
    both = responses[["party", brings, gets]].dropna().astype({brings: float, gets: float})
    grouped = both.groupby("party")
    table = pd.DataFrame(
        {"n": grouped.size(), "brings": grouped[brings].mean(), "gets": grouped[gets].mean()}
    ).reindex(party_ids)
    table["n"] = table["n"].fillna(0).astype("int64")
    table = table.rename_axis("party").reset_index()
    table = suppress_small_groups(table, min_group_size, hidden_columns=["brings", "gets"])
    table.insert(0, "round", responses["round"].iloc[0] if len(responses) else "")
    return table[columns]


def drivers(scores: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """What matters most: Spearman's rho of each dimension with the outcome, within parties.

    Over respondents with both scores (pairwise complete), each score centred on its party's
    mean of those respondents, so that a relation between parties (one party higher on both)
    does not pass for a relation between what respondents experience. The p-value is that of
    rho with ``n - 2`` degrees of freedom less one per party beyond the first, the party means
    taken out. Without an outcome dimension in the instrument the table is empty.

    Returns
    -------
    pandas.DataFrame
        ``round, dimension, outcome, n, parties, rho, p_value``, strongest relation first.
    """
    columns = ["round", "dimension", "outcome", "n", "parties", "rho", "p_value"]
    outcome = instrument.outcome_dimension
    if outcome is None or len(instrument.dimensions) < 2:  # nothing to relate the outcome to
        return pd.DataFrame(columns=columns)
    party, names = pd.factorize(scores["party"])  # -1: no party
    rows = []
    for code in instrument.dimensions.index:
        if code == outcome:
            continue
        x, y = scores[code].to_numpy(dtype=float), scores[outcome].to_numpy(dtype=float)
        both = ~np.isnan(x) & ~np.isnan(y) & (party >= 0)
        x, y, group = x[both], y[both], party[both]
        counts = np.bincount(group, minlength=len(names))
        with np.errstate(invalid="ignore", divide="ignore"):  # parties without a pair: unused
            x = x - (np.bincount(group, x, len(names)) / counts)[group]
            y = y - (np.bincount(group, y, len(names)) / counts)[group]
        parties = int((counts > 0).sum())
        rho, _ = spearman(x, y)
        df = len(x) - 2 - max(parties - 1, 0)
        p = np.nan
        if np.isfinite(rho) and df > 0:
            t = rho * np.sqrt(df / max((1 - rho) * (1 + rho), 1e-300))
            p = float(2 * t_sf(abs(t), df))
        rows.append({"dimension": code, "outcome": outcome, "n": len(x), "parties": parties,
                     "rho": float(rho), "p_value": p})  # fmt: skip
    table = pd.DataFrame(rows).sort_values("rho", ascending=False, kind="stable")
    table.insert(0, "round", scores["round"].iloc[0] if len(scores) else "")
    return table[columns].reset_index(drop=True)


#: The tables of one round, in the order :func:`round_tables` gives them.
ROUND_TABLES = (
    "scores",
    "summary",
    "partnership",
    "levels",
    "reliability",
    "item_reliability",
    "items",
    "distribution",
    "tests",
    "changes",
    "friction",
    "verdicts",
    "give_take",
    "drivers",
)


def round_tables(
    responses: pd.DataFrame,
    dont_know: pd.DataFrame,
    instrument: Instrument,
    party_ids: list[str],
    bands: Bands,
    min_group_size: int,
    previous: tuple[pd.DataFrame, Instrument] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every table of the score and compare stages for one round, by name.

    The union of :func:`summary_tables` and :func:`independent_tables`, which a run computes
    apart so that two processes can share a round.

    Parameters
    ----------
    responses, dont_know
        The cleaned round.
    instrument
        The round's instrument.
    party_ids, bands, min_group_size
        From ``partnership.toml``.
    previous
        The previous round's responses and instrument, for ``changes``; None for the first.

    Returns
    -------
    dict of pandas.DataFrame
        ``scores, summary, partnership, levels, reliability, item_reliability, items,
        distribution, tests, changes`` (when there is a previous round), ``friction, verdicts,
        give_take, drivers`` (:data:`ROUND_TABLES`).
    """
    values = reverse_coded(responses, instrument)
    summary = summary_tables(
        responses, dont_know, instrument, party_ids, bands, min_group_size, values
    )
    return in_table_order(
        summary
        | independent_tables(
            responses, instrument, party_ids, min_group_size, previous, values, summary["scores"]
        )
    )


def in_table_order(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A round's tables, joined from its parts, in :data:`ROUND_TABLES` order.

    The order they are written in, and the order of the workbook's sheets.
    """
    return {name: tables[name] for name in ROUND_TABLES if name in tables}


def summary_tables(
    responses: pd.DataFrame,
    dont_know: pd.DataFrame,
    instrument: Instrument,
    party_ids: list[str],
    bands: Bands,
    min_group_size: int,
    values: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The round's scores, summaries, tests and what is built on them, by name.

    These tables build on each other (the tests compare the parties the summary shows; the
    verdicts read the summaries, tests and answer counts), so they are computed together.
    ``values`` is :func:`~pipeline.score.reverse_coded` of ``responses`` when the caller has it.

    Returns
    -------
    dict of pandas.DataFrame
        ``scores, summary, partnership, levels, items, distribution, tests, friction,
        verdicts``.
    """
    if values is None:  # once: every table below starts from it
        values = reverse_coded(responses, instrument)
    scores = dimension_scores(responses, instrument, values)
    counts = item_counts(values, instrument)  # once, for every grouping
    hidden = hidden_cells(scores, party_ids, list(instrument.dimensions.index), min_group_size)
    shown = shown_scores(scores, hidden)
    summary = suppress_small_groups(
        party_statistics(responses, scores, instrument, party_ids, bands, values, counts),
        min_group_size,
    )
    partnership = partnership_summary(shown, instrument, bands)
    levels, level_scores = level_summary(
        responses, scores, shown, instrument, party_ids, bands, min_group_size, values, counts
    )
    tests = group_differences(
        shown,
        instrument,
        visible_groups(summary, "party"),
        visible_groups(levels[levels["party"] == PARTNERSHIP], "level"),
        level_scores,
    )
    counted = choice_counts(responses, instrument, party_ids, min_group_size)
    items, distribution = item_summary(
        responses, instrument, party_ids, min_group_size, dont_know, counted
    )
    return {
        "scores": scores,
        "summary": summary,
        "partnership": partnership,
        "levels": levels,
        "items": items,
        "distribution": distribution,
        "tests": tests,
        "friction": friction_summary(responses, instrument, party_ids, min_group_size, counted),
        "verdicts": verdicts(
            items, summary, partnership, tests, counted, instrument, party_ids, bands
        ),
    }


def independent_tables(
    responses: pd.DataFrame,
    instrument: Instrument,
    party_ids: list[str],
    min_group_size: int,
    previous: tuple[pd.DataFrame, Instrument] | None = None,
    values: pd.DataFrame | None = None,
    scores: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The round's tables that need only its responses (and the previous round's), by name.

    ``values`` (:func:`~pipeline.score.reverse_coded`) and ``scores``
    (:func:`~pipeline.score.dimension_scores`) of ``responses`` are passed when the caller has
    them, as when it computes :func:`summary_tables` of the round in the same process.

    Returns
    -------
    dict of pandas.DataFrame
        ``reliability, item_reliability, changes`` (when there is a previous round),
        ``give_take, drivers``.
    """
    round_id = responses["round"].iloc[0] if len(responses) else ""
    if values is None:
        values = reverse_coded(responses, instrument)
    if scores is None:
        scores = dimension_scores(responses, instrument, values)
    dimensions = list(instrument.dimensions.index)
    hidden = hidden_cells(scores, party_ids, dimensions, min_group_size)
    shown = shown_scores(scores, hidden)
    hidden_scores = (
        None if shown is scores else scores[dimensions].notna() & shown[dimensions].isna()
    )
    alphas, item_alphas = reliability_tables(responses, instrument, round_id, values, hidden_scores)
    tables = {"reliability": alphas, "item_reliability": item_alphas}
    if previous is not None:
        tables["changes"] = round_changes(
            responses, previous[0], instrument, previous[1], party_ids, min_group_size
        )
    tables["give_take"] = give_and_take(responses, instrument, party_ids, min_group_size)
    tables["drivers"] = drivers(shown, instrument)
    return tables
