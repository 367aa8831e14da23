"""The party of each response: the file stem, or the party question when a file holds several."""

from __future__ import annotations

import pandas as pd

from pipeline.config import Partnership
from pipeline.errors import Problem
from pipeline.load.answers import choice_lookup, map_choices
from pipeline.load.match import fold
from pipeline.questionnaire import Instrument

__all__ = ["party_column"]


def party_column(
    answers: pd.Series | None,
    header: str | None,
    index: pd.Index,
    stem: str,
    partnership: Partnership,
    instrument: Instrument,
    name: str,
    problems: list[Problem],
    labels: dict[str, str] | None = None,
) -> pd.Series:
    """The party id of every row.

    Parameters
    ----------
    answers
        The raw answers of the party question, or None when the file has none.
    header
        The party question's column, for messages.
    index
        The rows.
    stem
        The file name without extension: the party when it is a party id.
    partnership, instrument
        Party ids and names; the party question's choices.
    name
        The file, for messages.
    problems
        Where a file without a party, or an unknown party, is reported.
    labels
        SPSS value labels of the party question.
    """
    ids = partnership.party_ids
    stem_party = stem if stem in ids else None
    if answers is None:
        if stem_party is None:
            problems.append(
                Problem(
                    f"the file name {stem!r} is no party id in partnership.toml and the file "
                    "has no party question",
                    file=name,
                    hint=f"rename the file to a party id ({', '.join(ids)}), or add the party "
                    "question (the party of each respondent) to the export",
                )
            )
        return pd.Series(stem_party, index=index, dtype=object)
    pairs = [(p.id, p.id) for p in partnership.parties] + [
        (p.name, p.id) for p in partnership.parties
    ]
    if "party" in instrument.items.index:
        lookup, _ = choice_lookup(instrument, instrument.items.at["party", "list_name"])
        pairs += [(key, value) for key, value in lookup.items() if value in ids]
    folded: dict[str, str] = {}
    for key, value in pairs:
        folded.setdefault(fold(key), value)
    shown = ids + [p.name for p in partnership.parties]
    party = map_choices(
        answers,
        folded,
        shown,
        name=name,
        header=header or "party",
        problems=problems,
        what="party",
        labels=labels,
    )
    if stem_party is not None:
        party = party.fillna(stem_party)
    return party.astype(object)
