"""Disclosure control of a round's release: which groups are hidden, and what the rest may use.

The rule (README, *Privacy*): a group of fewer than ``min_group_size`` respondents is hidden,
and **a hidden group's answers enter no released figure**. Every pooled figure (the partnership
rows of every table, the tests, reliability, drivers, change) is computed over the shown groups
only, so no sum, difference or equation of released figures contains a hidden group, in this
round or a later one. Where a group's total is released beside its parts (a party's score beside
its levels), the parts are hidden all together or not at all, respondents without a level
counting as a part of their own. A pooled figure over fewer than two shown parties is not
released either: it would be one party's figure under another name.

Pure functions from tables to tables; :mod:`pipeline.compare` applies them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MIN_POOLED_PARTIES", "hidden_cells", "shown_scores"]

#: A pooled figure needs at least this many shown parties.
MIN_POOLED_PARTIES = 2


def hidden_cells(
    scores: pd.DataFrame, party_ids: list[str], dimensions: list[str], min_group_size: int
) -> pd.DataFrame:
    """Which party's score on which dimension is hidden: fewer than ``min_group_size`` scores.

    Returns
    -------
    pandas.DataFrame
        Booleans, indexed by ``party_ids``, one column per dimension (a party without
        respondents is hidden: it has nothing to show).
    """
    counts = scores.groupby("party", sort=False)[dimensions].count()
    counts = counts.reindex(party_ids, fill_value=0)
    return counts < min_group_size


def shown_scores(scores: pd.DataFrame, hidden: pd.DataFrame) -> pd.DataFrame:
    """``scores`` with every score of a hidden party and dimension made missing.

    What every pooled figure is computed from. A party not in ``hidden`` (not in
    ``partnership.toml``) is hidden too.
    """
    if not len(scores):
        return scores
    party = pd.Index(hidden.index).get_indexer(scores["party"])
    out = scores
    for code in hidden.columns:
        hide = np.append(hidden[code].to_numpy(dtype=bool), True)[party]
        if hide.any():
            if out is scores:  # copied only when something is hidden: a large round rarely is
                out = scores.copy(deep=False)
            out[code] = scores[code].mask(hide)
    return out
