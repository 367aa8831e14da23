"""Clean: loaded responses into kept responses with pseudonyms, and a log of every decision.

Identifier columns (names, e-mail, IP addresses, tokens, tool respondent ids) are used here only
to find duplicates and to make a stable pseudonym, then dropped: nothing after this stage sees
them. Every response that is excluded, changed or flagged gets a row in the quality log with its
reason, so that received = kept + excluded can be checked per file.
"""

from __future__ import annotations

import secrets
from typing import NamedTuple

import numpy as np
import pandas as pd

from pipeline.questionnaire import Instrument
from pipeline.score import two_thirds_answered

__all__ = [
    "QUALITY_LOG_COLUMNS",
    "Cleaned",
    "clean_responses",
    "new_secret",
    "pseudonyms",
]

QUALITY_LOG_COLUMNS = ["round", "party", "source_file", "source_row", "check", "action", "detail"]
_IDENTIFIER_PREFERENCE = ("id_email", "id_token", "id_respondent_id", "id_name")


def new_secret() -> str:
    """A new pseudonymisation key: 16 URL-safe characters (96 random bits)."""
    return secrets.token_urlsafe(12)


def pseudonyms(keys: pd.Series, secret: str) -> pd.Series:
    """Keyed, irreversible pseudonyms for ``keys``.

    SipHash-2-4 (pandas' vectorised ``hash_pandas_object`` with ``hash_key``) is a keyed hash
    designed as a message authentication code: without the secret the pseudonym cannot be
    recomputed from an e-mail address, and the same key gives the same pseudonym in every round.
    """
    if len(secret.encode("utf-8")) != 16:
        raise ValueError("the pseudonymisation secret must be 16 bytes of UTF-8")
    hashed = pd.util.hash_pandas_object(keys.astype(str), index=False, hash_key=secret)
    return pd.Series(
        np.char.add("R", np.char.zfill(np.char.mod("%x", hashed.to_numpy()), 16)),
        index=keys.index,
        dtype=object,
    )


class Cleaned(NamedTuple):
    """What cleaning gives: the kept responses, the log of its decisions, "weet niet" answers."""

    responses: pd.DataFrame
    quality_log: pd.DataFrame
    dont_know: pd.DataFrame


def clean_responses(
    loaded: pd.DataFrame, instrument: Instrument, round_id: str, secret: str
) -> Cleaned:
    """Apply the quality checks and strip identifiers.

    Parameters
    ----------
    loaded
        The round's responses as :func:`pipeline.load.load_round` returns them.
    instrument
        The round's instrument (which items are answers, which belong to a dimension).
    round_id
        The round, written into every row.
    secret
        The project's pseudonymisation key (:func:`new_secret`).

    Returns
    -------
    Cleaned
        ``responses`` (DESIGN section 5: ``round, party, respondent, level`` and one column per
        closed item, sorted by party and respondent), the ``quality_log`` of this stage, and
        ``dont_know`` (``round, party, respondent, item``: the "weet niet" answers of kept
        respondents, which are missing in ``responses``).
    """
    items = instrument.items
    answer_items = [
        code
        for code in items.index
        if code not in ("party", "level")
        and (
            pd.notna(items.at[code, "dimension"])
            or pd.notna(items.at[code, "friction"])
            or items.at[code, "type"] == "text"
        )
    ]
    closed_items = [
        code
        for code in items.index
        if code not in ("party", "level") and items.at[code, "type"] != "text"
    ]
    frame = loaded.reset_index(drop=True)
    events: list[pd.DataFrame] = []
    keep = pd.Series(True, index=frame.index)

    no_party = frame["party"].isna()
    events.append(_events(frame[no_party], "no_party", "excluded", "the response names no party"))
    keep &= ~no_party

    present = [code for code in answer_items if code in frame]
    empty = frame[present].isna().all(axis=1) if present else pd.Series(True, index=frame.index)
    events.append(
        _events(frame[keep & empty], "empty_response", "excluded", "no question answered")
    )
    keep &= ~empty

    identifier_columns = [c for c in frame.columns if c.startswith("id_")]
    answers = [c for c in dict.fromkeys([*closed_items, *answer_items]) if c in frame]
    duplicate_key = ["party", *identifier_columns, *answers]
    order = _latest_last(frame)
    candidates = frame.loc[order][keep.loc[order]]
    exact = candidates.duplicated(subset=duplicate_key, keep="last")
    exact_rows = exact[exact].index
    events.append(
        _events(
            frame.loc[exact_rows],
            "duplicate",
            "excluded",
            "exact duplicate of a later submission, which is kept",
        )
    )
    keep.loc[exact_rows] = False

    frame["respondent"] = _respondent_keys(frame, round_id, secret)
    has_identifier = frame[[c for c in _IDENTIFIER_PREFERENCE if c in frame]].notna().any(axis=1)
    candidates = frame.loc[order][keep.loc[order] & has_identifier.loc[order]]
    repeated = candidates.duplicated(subset=["respondent"], keep="last")
    repeated_rows = repeated[repeated].index
    events.append(
        _events(
            frame.loc[repeated_rows],
            "same_identifier",
            "excluded",
            "the same person answered again later; the later response is kept",
        )
    )
    keep.loc[repeated_rows] = False

    events.append(_identifier_events(frame, identifier_columns))

    kept = frame[keep]
    responses = pd.DataFrame(
        {
            "round": round_id,
            "party": kept["party"].astype(str),
            "respondent": kept["respondent"],
            "level": kept.get("level", pd.NA),
        }
    )
    for code in closed_items:
        responses[code] = kept[code]
    responses = responses.sort_values(["party", "respondent"], kind="stable").reset_index(drop=True)

    too_few = _too_few_items(kept, instrument)
    events.append(
        _events(
            kept[too_few],
            "too_few_items",
            "flagged",
            "fewer than two thirds of the items of every dimension answered: kept, no scores",
        )
    )
    events = [e for e in events if not e.empty]
    log = pd.concat(events, ignore_index=True) if events else _events(frame.iloc[:0], "", "", "")
    log.insert(0, "round", round_id)
    log = log[QUALITY_LOG_COLUMNS].sort_values(
        ["source_file", "source_row", "check"], kind="stable"
    )
    return Cleaned(responses, log.reset_index(drop=True), _dont_know(kept, round_id))


def _dont_know(kept: pd.DataFrame, round_id: str) -> pd.DataFrame:
    """One row per "weet niet" answer, from the loader's ``;``-joined ``dont_know`` column."""
    columns = ["round", "party", "respondent", "item"]
    if "dont_know" not in kept:
        return pd.DataFrame(columns=columns)
    answers = kept[["party", "respondent", "dont_know"]].dropna(subset=["dont_know"])
    long = answers.assign(item=answers["dont_know"].str.split(";")).explode("item")
    long = long[long["item"].str.len() > 0].assign(round=round_id)
    return long[columns].sort_values(columns[1:], kind="stable").reset_index(drop=True)


def _latest_last(frame: pd.DataFrame) -> pd.Index:
    """Row order in which the latest submission of a file comes last."""
    submitted = pd.to_datetime(frame["submitted_at"], errors="coerce", format="mixed")
    order = pd.DataFrame(
        {"file": frame["source_file"], "submitted": submitted, "row": frame["source_row"]}
    )
    return order.sort_values(["file", "submitted", "row"], na_position="first", kind="stable").index


def _respondent_keys(frame: pd.DataFrame, round_id: str, secret: str) -> pd.Series:
    """Pseudonyms from the first identifier a response has, else from where it was found."""
    key = pd.Series(pd.NA, index=frame.index, dtype=object)
    for column in _IDENTIFIER_PREFERENCE:
        if column in frame:
            folded = frame[column].astype("string").str.strip().str.casefold()
            key = key.fillna(("" + column + ":" + folded).astype(object))
    where = (
        "row:"
        + round_id
        + "|"
        + frame["source_file"].astype(str)
        + "|"
        + frame["source_row"].astype(str)
    )
    return pseudonyms(key.fillna(where), secret)


def _too_few_items(kept: pd.DataFrame, instrument: Instrument) -> pd.Series:
    enough = pd.Series(False, index=kept.index)
    for code in instrument.dimensions.index:
        columns = instrument.dimension_items(code)
        answered = kept[columns].notna().sum(axis=1).to_numpy()
        enough |= two_thirds_answered(answered, len(columns))
    return ~enough


def _events(rows: pd.DataFrame, check: str, action: str, detail: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "party": rows["party"].astype(object),
            "source_file": rows["source_file"],
            "source_row": rows["source_row"].astype("Int64"),
            "check": check,
            "action": action,
            "detail": detail,
        }
    )


def _identifier_events(frame: pd.DataFrame, identifier_columns: list[str]) -> pd.DataFrame:
    """One event per file that carried identifiers: which kinds were removed, from how many."""
    if not identifier_columns:
        return _events(frame.iloc[:0], "identifiers_removed", "changed", "")
    present = frame[identifier_columns].notna().groupby(frame["source_file"], sort=True).sum()
    present = present[present.sum(axis=1) > 0]
    parties = frame.groupby("source_file", sort=True)["party"].agg(
        lambda p: ", ".join(sorted(p.dropna().unique()))
    )
    rows = []
    for source_file, counts in present.iterrows():
        kinds = ", ".join(
            f"{column.removeprefix('id_')} ({count})" for column, count in counts.items() if count
        )
        rows.append(
            {
                "party": parties.get(source_file) or pd.NA,
                "source_file": source_file,
                "source_row": pd.NA,
                "check": "identifiers_removed",
                "action": "changed",
                "detail": f"identifier columns dropped after pseudonymisation: {kinds}",
            }
        )
    return pd.DataFrame(rows).astype({"source_row": "Int64"})
