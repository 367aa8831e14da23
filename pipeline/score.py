"""Score: kept responses into dimension scores per respondent, and reliability per dimension.

Reverse-keyed items are recoded as ``min + max - x`` of the item's choice list (not the observed
extremes). A respondent gets a dimension score, the mean of its answered items, only when at
least two thirds of the dimension's items are answered; "weet niet" is missing, never a score.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.questionnaire import Instrument
from pipeline.statistics import alpha_interval

__all__ = [
    "RESPONDENT_COLUMNS",
    "cronbach_alpha",
    "dimension_scores",
    "item_columns",
    "reliability_tables",
    "reverse_coded",
    "two_thirds_answered",
]

RESPONDENT_COLUMNS = ["round", "party", "respondent", "level"]
#: Alpha under this is flagged in the reliability table and the report.
LOW_ALPHA = 0.70


def two_thirds_answered(answered: int | np.ndarray, n_items: int) -> bool | np.ndarray:
    """Whether at least two thirds of a dimension's ``n_items`` are answered."""
    return np.asarray(answered) * 3 >= 2 * n_items


def reverse_coded(responses: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """The scored items as floats, reverse-keyed ones recoded; missing stays missing.

    Parameters
    ----------
    responses
        The ``responses`` table (item codes as columns).
    instrument
        Says which items belong to a dimension, which are reverse-keyed, and their scale.

    Returns
    -------
    pandas.DataFrame
        One column per scored item, same index as ``responses``.
    """
    items = instrument.scored_items
    values = responses[items].to_numpy(dtype="float64", na_value=np.nan, copy=True)
    reverse = np.flatnonzero(instrument.items.loc[items, "reverse"].to_numpy(dtype=bool))
    if len(reverse):
        ends = np.array([sum(instrument.scale_range(items[i])) for i in reverse])
        values[:, reverse] = ends - values[:, reverse]
    # the matrix is new: kept by the frame, not copied (pandas copies an array by default)
    return pd.DataFrame(values, index=responses.index, columns=items, copy=False)


def item_columns(values: pd.DataFrame, items: list[str]) -> np.ndarray:
    """These items' columns of :func:`reverse_coded` as a matrix, respondents by items.

    Taken from the frame's one float block, not as a sub-frame: that costs a millisecond, and
    every dimension of every group statistic takes one.
    """
    return values.to_numpy(dtype="float64")[:, values.columns.get_indexer(items)]


def dimension_scores(
    responses: pd.DataFrame, instrument: Instrument, values: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per respondent the mean of each dimension's items, where two thirds are answered.

    Parameters
    ----------
    responses
        The ``responses`` table.
    instrument
        The dimensions and their items.
    values
        :func:`reverse_coded` of ``responses``, when the caller has it already.

    Returns
    -------
    pandas.DataFrame
        The ``scores`` table: ``round, party, respondent, level`` and one column per dimension
        code (NaN where too few items were answered).
    """
    values = reverse_coded(responses, instrument) if values is None else values
    means = {}
    for code in instrument.dimensions.index:
        block = item_columns(values, instrument.dimension_items(code))
        answered = (~np.isnan(block)).sum(axis=1)
        enough = two_thirds_answered(answered, block.shape[1])
        with np.errstate(invalid="ignore", divide="ignore"):
            means[code] = np.where(enough, np.nansum(block, axis=1) / answered, np.nan)
    respondents = responses[RESPONDENT_COLUMNS]
    return pd.concat([respondents, pd.DataFrame(means, index=respondents.index)], axis=1)


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of complete rows: k/(k-1) * (1 - sum of item variances / total variance).

    Variances are sample variances (ddof 1). NaN when fewer than two items or two complete
    rows, or when the total has no variance.
    """
    return _reliability_of(items.dropna().to_numpy(dtype=float))[0]


def reliability_tables(
    responses: pd.DataFrame,
    instrument: Instrument,
    round_id: str,
    values: pd.DataFrame | None = None,
    left_out: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cronbach's alpha per dimension, and per item its item-rest correlation and alpha if deleted.

    Everything over the respondents who answered all the dimension's items; the rest score is
    the sum of the dimension's other items after reverse coding. The two tables come from the
    same complete rows and covariances, so they are made together.

    Parameters
    ----------
    responses
        The ``responses`` table.
    instrument
        The dimensions, their items and which are reverse-keyed.
    round_id
        The ``round`` of every row.
    values
        :func:`reverse_coded` of ``responses``, when the caller has it already.
    left_out
        Per respondent and dimension, whether to leave the respondent out of that dimension
        (a hidden group's, whose answers enter no released figure); default none.

    Returns
    -------
    reliability : pandas.DataFrame
        ``round, dimension, n_items, n_complete, alpha``, then Feldt's 95% interval
        ``alpha_ci_low, alpha_ci_high`` and ``flag_low`` (alpha < .70). McDonald's omega is not
        given: it needs a one-factor model fitted by maximum likelihood, which scipy has no
        sound routine for, and an ad-hoc fit would not be trustworthy.
    item_reliability : pandas.DataFrame
        ``round, dimension, item, item_rest, alpha_if_deleted``.
    """
    values = reverse_coded(responses, instrument) if values is None else values
    rows, tables = [], []
    for code in instrument.dimensions.index:
        items = instrument.dimension_items(code)
        block = item_columns(values, items)
        if left_out is not None:
            block = block[~left_out[code].to_numpy(dtype=bool)]
        complete = _complete_rows(block)
        n_complete, n_items = complete.shape
        alpha, item_rest, alpha_if_deleted = _reliability_of(complete)
        low, high = alpha_interval(alpha, n_complete, n_items)
        rows.append(
            {
                "round": round_id,
                "dimension": code,
                "n_items": n_items,
                "n_complete": n_complete,
                "alpha": alpha,
                "alpha_ci_low": low,
                "alpha_ci_high": high,
                "flag_low": bool(alpha < LOW_ALPHA),
            }
        )
        table = {"round": round_id, "dimension": code, "item": items, "item_rest": item_rest}
        tables.append(pd.DataFrame(table | {"alpha_if_deleted": alpha_if_deleted}))
    columns = ["round", "dimension", "item", "item_rest", "alpha_if_deleted"]
    items_table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=columns)
    return pd.DataFrame(rows), items_table


def _complete_rows(block: np.ndarray) -> np.ndarray:
    """The rows of a respondents x items matrix without a missing value."""
    return block[~np.isnan(block).any(axis=1)]


def _reliability_of(complete: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Alpha, and each item's item-rest correlation and alpha if deleted, from complete rows.

    One covariance matrix (ddof 1) of the items, their total and each item's rest score gives
    all three: alpha needs the items' variances and the total's; an item's alpha if deleted
    needs the other items' variances and their total's, which is its rest score's. The columns
    are centred before their products are summed, so a column without variance has exactly
    none. Missing where undefined: alpha and alpha if deleted where the total has no variance
    or there are fewer than two rows or two items left; a correlation where an item or rest
    score has no variance or there are fewer than three rows (as ``np.corrcoef``).
    """
    n, k = complete.shape
    alpha, item_rest, alpha_if_deleted = float("nan"), np.full(k, np.nan), np.full(k, np.nan)
    if n < 2:
        return alpha, item_rest, alpha_if_deleted
    columns = np.empty((n, 2 * k + 1))  # the items, their total, then each item's rest score
    columns[:, :k] = complete
    np.add.reduce(complete, axis=1, out=columns[:, k])
    np.subtract(columns[:, k, None], complete, out=columns[:, k + 1 :])
    columns -= columns.mean(axis=0)
    covariance = columns.T @ columns / (n - 1)
    variance, total_variance = np.diag(covariance)[:k], covariance[k, k]
    rest_variance = np.diag(covariance)[k + 1 :]
    with np.errstate(invalid="ignore", divide="ignore"):
        if k >= 2 and total_variance > 0:
            alpha = float(k / (k - 1) * (1 - variance.sum() / total_variance))
        if k >= 3:
            others = (variance.sum() - variance) / rest_variance
            alpha_if_deleted = np.where(rest_variance > 0, (k - 1) / (k - 2) * (1 - others), np.nan)
        if n > 2:
            with_rest = covariance[np.arange(k), np.arange(k + 1, 2 * k + 1)]
            # 0 / 0 where an item or its rest score has no variance: no covariance either
            item_rest = np.clip(with_rest / np.sqrt(variance * rest_variance), -1, 1)
    return alpha, item_rest, alpha_if_deleted
