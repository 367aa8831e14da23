"""Compare: scores into party and partnership summaries, with disclosure control.

Parties count equally: the partnership score is the mean of party means, with the
respondent-weighted mean beside it (DESIGN section 4). A party row under the anonymity threshold
keeps ``n`` but shows no statistic; where that leaves exactly one party of a dimension hidden, the
party with the next smallest ``n`` is hidden too, so the partnership figures cannot reveal it.
Partnership rows count every kept respondent, suppressed or not: nothing is lost, only hidden.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from pipeline.config import Bands
from pipeline.questionnaire import Instrument
from pipeline.score import reverse_coded

__all__ = [
    "SUMMARY_COLUMNS",
    "band",
    "partnership_summary",
    "party_statistics",
    "suppress_small_groups",
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
]
_STATISTICS = ["mean", "sd", "ci_low", "ci_high", "pct_favourable", "band"]


def band(mean: pd.Series, bands: Bands) -> pd.Series:
    """The band of each mean: ``shines``, ``attention`` or ``chafes``.

    Missing means get a missing band.
    """
    values = mean.to_numpy(dtype=float)
    labels = np.where(
        values >= bands.shines, "shines", np.where(values < bands.chafes, "chafes", "attention")
    )
    return pd.Series(labels, index=mean.index, dtype=object).where(~np.isnan(values), None)


def party_statistics(
    responses: pd.DataFrame,
    scores: pd.DataFrame,
    instrument: Instrument,
    party_ids: list[str],
    bands: Bands,
) -> pd.DataFrame:
    """Per party and dimension: n, mean, sd, t interval, % favourable and band, unsuppressed.

    Parameters
    ----------
    responses
        The ``responses`` table (for % favourable, item by item).
    scores
        The ``scores`` table.
    instrument
        For the dimensions, their items and the scale.
    party_ids
        Every party of the partnership, so that a party without respondents still has rows.
    bands
        The band thresholds.

    Returns
    -------
    pandas.DataFrame
        ``round, party, dimension, n, mean, sd, ci_low, ci_high, pct_favourable, band``,
        sorted by party (partnership order) and dimension (instrument order). The interval is a
        95% t interval of the mean (NaN for n < 2).
    """
    round_id = scores["round"].iloc[0] if len(scores) else ""
    dimensions = list(instrument.dimensions.index)
    long = scores.melt(
        id_vars=["party"], value_vars=dimensions, var_name="dimension", value_name="score"
    ).dropna(subset=["score"])
    grouped = long.groupby(["party", "dimension"])["score"]
    stats_frame = pd.DataFrame(
        {"n": grouped.size(), "mean": grouped.mean(), "sd": grouped.std(ddof=1)}
    )
    grid = pd.MultiIndex.from_product([party_ids, dimensions], names=["party", "dimension"])
    table = stats_frame.reindex(grid)
    table["n"] = table["n"].fillna(0).astype("int64")
    half_width = stdtrit(table["n"] - 1, 0.975) * table["sd"] / np.sqrt(table["n"])
    table["ci_low"] = table["mean"] - half_width
    table["ci_high"] = table["mean"] + half_width
    table["pct_favourable"] = _pct_favourable(responses, scores, instrument).reindex(grid)
    table = table.reset_index()
    table["band"] = band(table["mean"], bands)
    table.insert(0, "round", round_id)
    return table[SUMMARY_COLUMNS[:-1]]


def _pct_favourable(
    responses: pd.DataFrame, scores: pd.DataFrame, instrument: Instrument
) -> pd.Series:
    """Share (0-100) of answered items in the top two choices, among respondents with a score."""
    values = reverse_coded(responses, instrument)
    shares = {}
    for code in instrument.dimensions.index:
        items = instrument.dimension_items(code)
        high = np.array([instrument.scale_range(item)[1] for item in items])
        block = values[items].to_numpy()
        scored = scores[code].notna().to_numpy()
        answered = pd.Series((~np.isnan(block)).sum(axis=1) * scored, index=scores.index)
        favourable = pd.Series(
            ((block >= high - 1) & ~np.isnan(block)).sum(axis=1) * scored, index=scores.index
        )
        by_party = favourable.groupby(scores["party"]).sum() / answered.groupby(
            scores["party"]
        ).sum().replace(0, np.nan)
        for party, share in by_party.items():
            shares[(party, code)] = 100 * share
    return pd.Series(shares, dtype=float).rename_axis(["party", "dimension"])


def suppress_small_groups(statistics: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    """Hide every statistic of groups under ``min_group_size``, with secondary suppression.

    Parameters
    ----------
    statistics
        Rows with at least ``dimension``, ``n`` and the statistic columns.
    min_group_size
        The anonymity threshold.

    Returns
    -------
    pandas.DataFrame
        The same rows with ``suppressed`` added; suppressed rows keep ``n`` and lose every
        statistic. Where exactly one group of a dimension is under the threshold, the group with
        the next smallest ``n`` (ties: first in row order) is suppressed too.
    """
    table = statistics.copy()
    primary = table["n"] < min_group_size
    suppressed = primary.copy()
    for _, rows in table.groupby("dimension", sort=False):
        hidden = primary[rows.index]
        if hidden.sum() == 1 and len(rows) > 1:
            visible = rows[~hidden]
            next_smallest = visible["n"].idxmin()
            suppressed[next_smallest] = True
    table["suppressed"] = suppressed
    columns = [c for c in _STATISTICS if c in table]
    table.loc[suppressed, columns] = np.nan
    if "band" in table:
        table["band"] = table["band"].astype(object).where(~suppressed, None)
    return table


def partnership_summary(scores: pd.DataFrame, instrument: Instrument, bands: Bands) -> pd.DataFrame:
    """Per dimension the mean of party means (equal weight) and the mean of all respondents.

    Returns
    -------
    pandas.DataFrame
        The ``partnership`` table: ``round, dimension, parties, n, mean_equal_weight,
        mean_respondent_weight, band``; ``parties`` counts the parties with at least one score,
        and the band follows the equal-weight mean.
    """
    round_id = scores["round"].iloc[0] if len(scores) else ""
    rows = []
    for code in instrument.dimensions.index:
        valid = scores[["party", code]].dropna()
        party_means = valid.groupby("party")[code].mean()
        rows.append(
            {
                "round": round_id,
                "dimension": code,
                "parties": int(party_means.size),
                "n": len(valid),
                "mean_equal_weight": float(party_means.mean()) if party_means.size else np.nan,
                "mean_respondent_weight": float(valid[code].mean()) if len(valid) else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    table["band"] = band(table["mean_equal_weight"], bands)
    return table
