"""Map an item's answers to the instrument's codes.

An answer maps to a choice by its name, an alias or its label in any of the instrument's
languages (after :func:`~pipeline.load.match.fold`; ``4,0`` and ``4.0`` count as ``4``). A
"weet niet" answer (a non-numeric choice of a numeric scale) is missing, and marked in
``dont_know``. An answer that matches nothing is a problem naming the file, the row, the column,
the value and the closest choices, never silently missing. Each distinct value is looked up
once; rows are only touched by vectorised indexing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.errors import Problem
from pipeline.load.cells import distinct_text, filled, numbers
from pipeline.load.match import fold
from pipeline.questionnaire import Instrument

__all__ = ["Answers", "choice_lookup", "empty_answers", "item_answers", "map_choices"]

_INTEGER_TEXT = re.compile(r"^\s*([+-]?\d+)(?:[.,]0+)?\s*$")
_MAX_PROBLEMS_PER_COLUMN = 10


@dataclass(frozen=True)
class Answers:
    """One column's answers.

    ``values`` in the item's type, ``dont_know`` where "weet niet", and ``out_of_range``: the
    raw number where a numeric export holds a number that is no choice of the scale (such as 7
    on 1-5), which is set missing and logged by cleaning rather than stopping the run. Numeric
    values and the flags are arrays in the column's row order, which spares a pandas Series
    per item and file; text stays an object Series (an array would be inferred as ``str``).
    """

    values: pd.Series | pd.api.extensions.ExtensionArray
    dont_know: np.ndarray | None = None
    out_of_range: pd.Series | None = None


def choice_lookup(instrument: Instrument, list_name: str) -> tuple[dict[str, str], list[str]]:
    """Folded name, label (any language) or alias -> choice name; and the names to show."""
    return instrument.derived(_choice_lookups).get(list_name, ({}, []))


def _choice_lookups(instrument: Instrument) -> dict[str, tuple[dict[str, str], list[str]]]:
    """:func:`choice_lookup` of every list, in one pass over the choices: built once."""
    choices = instrument.choices
    labels = [choices[f"label_{lang}"] for lang in instrument.languages]
    lists: dict[str, list[tuple[str, tuple[str, ...], list[object]]]] = {}
    for list_name, name, aliases, *texts in zip(
        choices["list_name"], choices["name"], choices["aliases"], *labels, strict=True
    ):
        lists.setdefault(list_name, []).append((name, aliases, texts))
    return {list_name: _lookup(rows, len(labels)) for list_name, rows in lists.items()}


def _lookup(
    rows: list[tuple[str, tuple[str, ...], list[object]]], languages: int
) -> tuple[dict[str, str], list[str]]:
    """A list's look-up: names first, then the labels language by language, then aliases."""
    pairs: list[tuple[str, str]] = [(name, name) for name, _, _ in rows]
    shown = [name for name, _, _ in rows]
    for language in range(languages):
        found = [(texts[language], name) for name, _, texts in rows]
        pairs += [(label, name) for label, name in found if isinstance(label, str)]
        shown += [label for label, _ in found if isinstance(label, str)]
    pairs += [(alias, name) for name, aliases, _ in rows for alias in aliases]
    lookup: dict[str, str] = {}
    for key, value in pairs:
        folded = fold(key)
        if folded and folded not in lookup:
            lookup[folded] = value
    return lookup, list(dict.fromkeys(shown))


def _closest(value: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(value, candidates, n=3, cutoff=0.5)
    if not close:
        folded = {fold(c): c for c in candidates}
        close = [folded[c] for c in difflib.get_close_matches(fold(value), list(folded), n=3)]
    return ", ".join(repr(c) for c in (close or candidates[:6]))


def _key(raw: str) -> str:
    integer = _INTEGER_TEXT.match(raw)
    return fold(str(int(integer.group(1)))) if integer else fold(raw)


def _choice_names(
    texts: list[str],
    lookup: dict[str, str],
    labels: dict[str, str] | None,
    missing: frozenset[str],
) -> tuple[np.ndarray, list[int]]:
    """Each distinct text's choice name (NA if empty or unknown), and the unknown ones."""
    names = np.empty(len(texts), dtype=object)
    names[:] = pd.NA
    unknown: list[int] = []
    for number, raw in enumerate(texts):
        if raw == "":
            continue
        keys = [fold(labels[raw])] if labels and raw in labels else []
        keys.append(_key(raw))
        choice = next((lookup[key] for key in keys if key in lookup), None)
        if choice is not None:
            names[number] = choice
        elif raw not in missing:
            unknown.append(number)
    return names, unknown


def _report_unknown(
    unknown: list[int],
    codes: np.ndarray,
    texts: list[str],
    index: pd.Index,
    shown: list[str],
    *,
    name: str,
    header: str,
    problems: list[Problem],
    what: str,
    labels: dict[str, str] | None,
) -> None:
    """A problem for each distinct value that matches no choice, at the first row holding it."""
    if not unknown:
        return
    counts = np.bincount(codes, minlength=len(texts))
    present, first = np.unique(codes, return_index=True)
    first_row = dict(zip(present.tolist(), index.to_numpy()[first].tolist(), strict=True))
    for number in unknown[:_MAX_PROBLEMS_PER_COLUMN]:
        raw = texts[number]
        shown_raw = f"{raw!r}" + (f" ({labels[raw]!r})" if labels and raw in labels else "")
        count = int(counts[number])
        problems.append(
            Problem(
                f"{what} {shown_raw} matches no choice"
                + (f" ({count} rows, the first shown)" if count > 1 else ""),
                file=name,
                row=int(first_row[number]),
                column=header,
                hint=f"use one of the choices or their labels; closest: "
                f"{_closest(raw, shown)}; or add {raw!r} as an alias of a choice "
                "in the instrument's sheet 'choices'",
            )
        )
    if len(unknown) > _MAX_PROBLEMS_PER_COLUMN:
        problems.append(
            Problem(
                f"and {len(unknown) - _MAX_PROBLEMS_PER_COLUMN} more values match no choice",
                file=name,
                column=header,
                hint="check that this column holds the answers of this question",
            )
        )


def map_choices(
    column: pd.Series,
    lookup: dict[str, str],
    shown: list[str],
    *,
    name: str,
    header: str,
    problems: list[Problem],
    what: str = "answer",
    labels: dict[str, str] | None = None,
    missing: frozenset[str] = frozenset(),
) -> pd.Series:
    """Raw answers -> choice names (NA where empty); unknown answers become problems.

    Parameters
    ----------
    column
        Text cells, indexed by the row number a user sees.
    lookup
        Folded key -> choice name (:func:`choice_lookup`).
    shown
        Choice names and labels offered as the closest ones in a message.
    name, header
        The file and the column, for messages.
    problems
        Where unknown answers are reported.
    what
        How a message calls a value ("answer", "party").
    labels
        Raw value -> value label (SPSS); a label is tried before the raw value.
    missing
        Raw values that are user-missing (SPSS): missing when they match no choice.
    """
    codes, texts = distinct_text(column)
    names, unknown = _choice_names(texts, lookup, labels, missing)
    _report_unknown(unknown, codes, texts, column.index, shown, name=name, header=header,
                    problems=problems, what=what, labels=labels)  # fmt: skip
    return pd.Series(names[codes], index=column.index, dtype=object)


def item_answers(
    column: pd.Series,
    item: str,
    instrument: Instrument,
    *,
    name: str,
    header: str,
    problems: list[Problem],
    labels: dict[str, str] | None = None,
    missing: frozenset[str] = frozenset(),
) -> Answers:
    """One item's answers as codes.

    Numeric choices become nullable ``Int8`` values, with their "weet niet" rows in
    ``dont_know``; other choices become their name; text stays text; integer and decimal
    questions become ``Float64``.
    """
    plan = instrument.derived(_plans)[item]
    kind = plan.kind
    if kind == "text":
        codes, texts = distinct_text(column)
        text = np.array([labels.get(t, t) if labels else t for t in texts], dtype=object)
        text[text == ""] = pd.NA
        return Answers(pd.Series(text[codes], index=column.index, dtype=object))
    if kind in ("integer", "decimal"):
        return Answers(_numbers(column, name, header, problems).array)
    lookup, shown, values = plan.lookup, plan.shown, plan.values
    codes, texts = distinct_text(column)
    off = np.zeros(len(texts), dtype=bool)
    if values:
        off[:] = [_off_the_scale(raw, lookup, labels, missing) for raw in texts]
    names, unknown = _choice_names(
        [raw if not flagged else "" for raw, flagged in zip(texts, off, strict=True)],
        lookup,
        labels,
        missing,
    )
    _report_unknown(unknown, codes, texts, column.index, shown, name=name, header=header,
                    problems=problems, what="answer", labels=labels)  # fmt: skip
    if not values:
        return Answers(pd.Series(names[codes], index=column.index, dtype=object))
    number = np.array([values.get(choice, np.nan) for choice in names], dtype=float)
    answered = ~np.isnan(number)
    integers = pd.arrays.IntegerArray(
        np.where(answered, np.round(number), 0).astype(np.int8)[codes], ~answered[codes]
    )
    dont_know = (pd.notna(names) & ~answered)[codes]
    out_of_range = None
    if off.any():
        raw = pd.Series(np.array(texts, dtype=object)[codes], index=column.index)
        out_of_range = raw.where(off[codes])
    return Answers(integers, dont_know, out_of_range)


def empty_answers(item: str, instrument: Instrument, index: pd.Index) -> pd.Series:
    """The answers to an item the export has no column for.

    All missing, in the type :func:`item_answers` gives the item.
    """
    plan = instrument.derived(_plans)[item]
    if plan.kind in ("integer", "decimal"):
        return pd.Series(pd.NA, index=index, dtype="Float64")
    numeric_choices = plan.kind != "text" and bool(plan.values)
    return pd.Series(pd.NA, index=index, dtype="Int8" if numeric_choices else object)


@dataclass(frozen=True)
class _ItemPlan:
    """What reading an item's answers needs from the instrument, looked up once."""

    kind: str
    lookup: dict[str, str]
    shown: list[str]
    #: choice name -> number, for numeric choice lists; empty otherwise
    values: dict[str, float]


def _plans(instrument: Instrument) -> dict[str, _ItemPlan]:
    """Every item's :class:`_ItemPlan`; use ``instrument.derived(_plans)`` to build it once."""
    lists = {
        name: (*choice_lookup(instrument, name), instrument.choice_values(name).to_dict())
        for name in instrument.items["list_name"].dropna().unique()
    }
    empty: tuple[dict[str, str], list[str], dict[str, float]] = ({}, [], {})
    plans = {
        item: _ItemPlan(kind, *lists.get(list_name, empty))
        for item, kind, list_name in zip(
            instrument.items.index, instrument.items["type"], instrument.items["list_name"],
            strict=True,
        )
    }  # fmt: skip
    return plans


def _off_the_scale(
    raw: str, lookup: dict[str, str], labels: dict[str, str] | None, missing: frozenset[str]
) -> bool:
    """A whole number that is no choice (nor a labelled or user-missing value): kept aside.

    Such a cell is set missing and logged as out of range by cleaning, not a problem.
    """
    return bool(
        raw
        and _INTEGER_TEXT.match(raw)
        and _key(raw) not in lookup
        and raw not in missing
        and not (labels and raw in labels and fold(labels[raw]) in lookup)
    )


def _numbers(column: pd.Series, name: str, header: str, problems: list[Problem]) -> pd.Series:
    values = numbers(column)
    bad = values.isna() & filled(column)
    for row in bad[bad].index[:5]:
        problems.append(
            Problem(
                f"{column[row]!r} is not a number",
                file=name,
                row=int(row),
                column=header,
                hint="write a number, or leave the cell empty",
            )
        )
    return values
