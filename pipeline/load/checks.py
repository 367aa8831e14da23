"""A round's exports checked together: what loads file by file and is still wrong.

Each file of a round can load and the round still be wrong: a file whose headers miss most of a
dimension that the other files have (its respondents get no score there), the same export copied
under two party ids, more responses than a party invited, a party without a file. ``validate``
and ``run`` both ask these questions, so that "valid" means that the run will be right.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

import pandas as pd

from pipeline.config import Partnership
from pipeline.errors import Problem
from pipeline.load.export import LoadedExport
from pipeline.load.match import fold
from pipeline.questionnaire import Instrument

__all__ = ["RoundCheck", "check_round", "closest_item", "dimension_coverage"]

#: How alike (difflib's ratio of the folded texts) a header and an item's code or label must
#: be for the item to be named as the closest.
_CLOSE = 0.6
#: Columns of a loaded export that are not about the answers, left out of a file's fingerprint.
_WHERE = ("party", "source_file", "source_row", "first_copy")


@dataclass(frozen=True)
class RoundCheck:
    """What :func:`check_round` found: problems (the run stops) and warnings (it goes on)."""

    problems: list[Problem]
    warnings: list[str]


def dimension_coverage(export: LoadedExport, instrument: Instrument) -> dict[str, tuple[int, int]]:
    """Per dimension: how many of its items the file matched, and how many it has."""
    matched = set(export.matched.values())
    return {
        code: (sum(item in matched for item in items), len(items))
        for code in instrument.dimensions.index
        for items in [instrument.dimension_items(code)]
    }


def closest_item(header: str, instrument: Instrument) -> tuple[str, str] | None:
    """The item whose code or label is most like ``header``, and the aliases cell that matches it.

    Returns
    -------
    tuple or None
        The item code and the full text its ``aliases`` cell in sheet ``survey`` would hold with
        ``header`` added; None when no item is alike enough.
    """
    items = instrument.items
    wanted = fold(header)
    best: tuple[float, str] | None = None
    for code in items.index:
        texts = [code, *(items.at[code, f"label_{lang}"] for lang in instrument.languages)]
        for text in texts:
            if isinstance(text, str) and text:
                ratio = difflib.SequenceMatcher(None, wanted, fold(text)).ratio()
                if best is None or ratio > best[0]:
                    best = (ratio, code)
    if best is None or best[0] < _CLOSE:
        return None
    code = best[1]
    return code, "; ".join([*items.at[code, "aliases"], header])


def check_round(
    partnership: Partnership, round_id: str, instrument: Instrument, exports: list[LoadedExport]
) -> RoundCheck:
    """The problems and warnings of a round's loaded exports, taken together.

    Parameters
    ----------
    partnership
        For the parties, their ``invited`` counts and how files are named.
    round_id
        The round, for the messages.
    instrument
        The round's instrument (its dimensions).
    exports
        Every export of the round, loaded.
    """
    problems = [*_coverage_problems(instrument, exports), *_copied_exports(exports)]
    problems += _above_invited(partnership, round_id, exports)
    warnings = _parties_without_responses(partnership, round_id, exports)
    return RoundCheck(problems, warnings)


def _coverage_problems(instrument: Instrument, exports: list[LoadedExport]) -> list[Problem]:
    """A file that matches fewer than two thirds of a dimension's items the other files have.

    Its respondents would get no score on that dimension (a score needs two thirds of the
    items), most likely because its headers differ from the instrument's.
    """
    matched = [set(export.matched.values()) for export in exports]
    problems = []
    for number, export in enumerate(exports):
        others = set().union(*(m for n, m in enumerate(matched) if n != number))
        for code in instrument.dimensions.index:
            wanted = [item for item in instrument.dimension_items(code) if item in others]
            found = [item for item in wanted if item in matched[number]]
            if wanted and len(found) < math.ceil(2 * len(wanted) / 3):
                missing = [item for item in wanted if item not in matched[number]]
                problems.append(
                    Problem(
                        f"matches {len(found)} of the {len(wanted)} items of dimension {code} "
                        f"that the round's other files have (missing: {', '.join(missing)}), so "
                        f"its respondents would get no {code} score",
                        file=export.responses["source_file"].iloc[0],
                        row=1,
                        hint="head those columns with the item codes or their labels, or add the "
                        "headers to the items' aliases (collab-eval validate lists the columns "
                        "that matched nothing, with the closest item)",
                    )
                )
    return problems


def _copied_exports(exports: list[LoadedExport]) -> list[Problem]:
    """Two files of a round with the same responses, row for row: one export under two names."""
    seen: dict[tuple[int, ...], LoadedExport] = {}
    problems = []
    sizes = pd.Series([len(export.responses) for export in exports])
    for export in exports:
        # only files of the same length can be copies: a large round hashes no rows
        if len(export.responses) < 2 or (sizes == len(export.responses)).sum() < 2:
            continue
        answers = export.responses.drop(columns=[c for c in _WHERE if c in export.responses])
        key = tuple(sorted(pd.util.hash_pandas_object(answers, index=False).tolist()))
        first = seen.setdefault(key, export)
        if first is not export:
            problems.append(
                Problem(
                    f"holds the same {len(answers)} responses, row for row, as "
                    f"{first.responses['source_file'].iloc[0]}",
                    file=export.responses["source_file"].iloc[0],
                    hint="one export was copied under two party ids: put each party's own "
                    "export in the round folder",
                )
            )
    return problems


def _responses_per_party(exports: list[LoadedExport]) -> pd.Series:
    """The responses of each party that the tool does not mark as unsubmitted."""
    counts = [
        export.responses["party"][export.responses["submitted"].ne(False).fillna(True)]
        for export in exports
    ]
    if not counts:
        return pd.Series(dtype="int64")
    return pd.concat(counts).value_counts()


def _above_invited(
    partnership: Partnership, round_id: str, exports: list[LoadedExport]
) -> list[Problem]:
    """A party with more submitted responses than ``partnership.toml`` says it invited."""
    counts = _responses_per_party(exports)
    problems = []
    for party in partnership.parties:
        found = int(counts.get(party.id, 0))
        if party.invited is not None and found > party.invited:
            problems.append(
                Problem(
                    f"party {party.id!r} has {found} submitted responses in round {round_id}, "
                    f"more than the {party.invited} it invited",
                    file=partnership.config_path,
                    column="invited",
                    hint=f"set invited to the number of staff of {party.id!r} who were invited, "
                    "or check that no other party's export is in its file",
                )
            )
    return problems


def _parties_without_responses(
    partnership: Partnership, round_id: str, exports: list[LoadedExport]
) -> list[str]:
    """A warning for each party of ``partnership.toml`` that has no response in the round."""
    found = set(pd.concat([e.responses["party"] for e in exports]).dropna()) if exports else set()
    folder = partnership.relative(partnership.raw_dir(round_id))
    return [
        f"party {party.id!r} has no responses in round {round_id}: no {folder}/{party.id}.csv "
        "(or .xlsx, .sav), and no row of a joint export names it"
        for party in partnership.parties
        if party.id not in found
    ]
