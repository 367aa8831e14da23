"""What a report shows: the processed tables of a round, its labels, and lookups over them.

The report computes no statistic (DESIGN section 3): every number comes from a table of
:mod:`pipeline.compare` or :mod:`pipeline.score`. This module holds those tables
(:class:`RoundReportData`), builds the label tables from an instrument (:func:`report_labels`),
puts the rounds' summaries side by side for the trends (:func:`history_rows`), and gives the
sections sorted, labelled views of the tables (:class:`Context`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import pandas as pd

from pipeline.compare import PARTNERSHIP, ROUND_TABLES
from pipeline.report.formatting import is_missing, without_parentheses
from pipeline.report.text import TEXT

T = TypeVar("T")

if TYPE_CHECKING:
    from pipeline.questionnaire import Instrument

__all__ = [
    "HISTORY_COLUMNS",
    "PARTNERSHIP",
    "REPORT_TABLES",
    "Context",
    "RoundReportData",
    "history_rows",
    "records",
    "report_labels",
]

#: The processed tables a report can show, by their name in ``data/processed/<round>/``.
#: Every table of the compare stage but the respondents' scores, and two of the clean stage.
REPORT_TABLES = (*(t for t in ROUND_TABLES if t != "scores"), "quality_log", "comments")

HISTORY_COLUMNS = [
    "round",
    "party",
    "dimension",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "band",
    "suppressed",
]
ITEM_COLUMNS = ["round", "party", "item", "dimension", "n", "mean", "mean_scored",
                "n_dont_know", "pct_dont_know", "suppressed"]  # fmt: skip
#: p below this counts as significant in the report's words.
SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class RoundReportData:
    """Everything the reports of one round show, computed by earlier stages.

    Parameters
    ----------
    partnership_name, round_id, language, min_group_size
        From ``partnership.toml``; ``language`` is ``"nl"`` (default) or ``"en"``.
    dimensions
        Columns ``code, label`` (label in the report language), in instrument order; optional
        ``role`` (``outcome`` for the results dimension).
    parties
        Columns ``id, name``, in ``partnership.toml`` order; optional ``invited`` (staff
        invited, for the response rate; missing where not known).
    summary, partnership, reliability, quality_log
        The DESIGN section 5 tables of this round.
    response_counts
        Columns ``party, received, kept, excluded``, one row per party.
    manifest
        Run manifest: ``generated_at``, ``software``, ``settings``, ``instrument``, ``inputs``.
    questions
        From :func:`report_labels`: ``code, type, dimension, area, reverse, list_name, label,
        role``, one row per question in survey order.
    choices
        From :func:`report_labels`: ``list_name, name, value, label``.
    levels, item_reliability, items, distribution, tests, changes, friction, verdicts,
    give_take, drivers
        The tables of :func:`pipeline.compare.round_tables` (``changes`` only from the second
        round on). A section whose table is missing says that it has nothing to show.
    comments
        Open answers (``round, party, level, question, text``), redacted by the clean stage;
        None when none were collected.
    history
        :func:`history_rows` of this round and every earlier one, for the trends.
    min_group_size_comments
        A party's open answers are shown as its own only from this many kept respondents on.
    """

    partnership_name: str
    round_id: str
    language: str
    min_group_size: int
    dimensions: pd.DataFrame
    parties: pd.DataFrame
    summary: pd.DataFrame
    partnership: pd.DataFrame
    reliability: pd.DataFrame
    quality_log: pd.DataFrame
    response_counts: pd.DataFrame
    manifest: dict = field(default_factory=dict)
    questions: pd.DataFrame | None = None
    choices: pd.DataFrame | None = None
    levels: pd.DataFrame | None = None
    item_reliability: pd.DataFrame | None = None
    items: pd.DataFrame | None = None
    distribution: pd.DataFrame | None = None
    tests: pd.DataFrame | None = None
    changes: pd.DataFrame | None = None
    friction: pd.DataFrame | None = None
    verdicts: pd.DataFrame | None = None
    give_take: pd.DataFrame | None = None
    drivers: pd.DataFrame | None = None
    comments: pd.DataFrame | None = None
    history: pd.DataFrame | None = None
    min_group_size_comments: int = 10


def report_labels(instrument: Instrument, language: str) -> dict[str, pd.DataFrame]:
    """The label tables a report needs from an instrument, in ``language``.

    Returns
    -------
    dict
        ``dimensions`` (``code, label, role``), ``questions`` (``code, type, dimension, area,
        reverse, list_name, label``) and ``choices`` (``list_name, name, value, label``), ready to
        pass to :class:`RoundReportData` as keyword arguments.
    """
    dims = instrument.dimensions
    items = instrument.items
    choices = instrument.choices

    return {
        "dimensions": pd.DataFrame(
            {
                "code": list(dims.index),
                "label": instrument.labels("dimensions", language),
                "role": dims["role"].tolist() if "role" in dims else [None] * len(dims),
            }
        ),
        "questions": pd.DataFrame(
            {
                "code": list(items.index),
                "type": items["type"].astype(str).str.split().str[0].tolist(),
                "dimension": items["dimension"].tolist(),
                "area": items["friction"].tolist(),
                "reverse": items["reverse"].fillna(False).astype(bool).tolist(),
                "list_name": items["list_name"].tolist(),
                "label": instrument.labels("items", language),
                "role": items["role"].tolist() if "role" in items else [None] * len(items),
            }
        ),
        "choices": pd.DataFrame(
            {
                "list_name": choices["list_name"].tolist(),
                "name": choices["name"].tolist(),
                "value": choices["value"].tolist(),
                "label": instrument.labels("choices", language),
            }
        ),
    }


def history_rows(summary: pd.DataFrame, partnership: pd.DataFrame) -> pd.DataFrame:
    """One round's ``summary`` and ``partnership`` rows in one table, for the trends.

    Returns
    -------
    pandas.DataFrame
        :data:`HISTORY_COLUMNS`: the summary rows as they are, and per dimension a row with
        party ``partnership`` whose ``mean`` is the equal-weight partnership mean (no interval).
    """
    parties = summary.reindex(columns=HISTORY_COLUMNS).copy()
    pooled = pd.DataFrame(
        {
            "round": partnership["round"],
            "party": PARTNERSHIP,
            "dimension": partnership["dimension"],
            "n": partnership["n"],
            "mean": partnership["mean_equal_weight"],
            "ci_low": np.nan,
            "ci_high": np.nan,
            "band": partnership["band"],
            "suppressed": False,
        }
    )
    frames = [frame for frame in (pooled, parties) if len(frame)]
    if not frames:
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    table = pd.concat(frames, ignore_index=True)
    table["round"] = table["round"].astype(str)
    table["party"] = table["party"].astype(str)
    table["dimension"] = table["dimension"].astype(str)
    table["suppressed"] = table["suppressed"].map(lambda v: (not is_missing(v)) and bool(v))
    return table


def records(table: pd.DataFrame) -> list[dict[str, object]]:
    """The rows of a table as dicts: the same values as ``table.to_dict("records")``.

    pandas builds the records row by row, looking up and boxing each cell through its generic
    machinery; here each column becomes a list at once. The pages take 136 tables' records, and
    pandas' way cost the example's pages a sixth of their time. As pandas does, numbers become
    Python's, and pandas' NA becomes None; NaN stays NaN.

    Parameters
    ----------
    table
        Any table with unique column names.

    Returns
    -------
    list of dict
        One dict per row, keyed by column name, in the table's order.
    """
    columns = table.columns.tolist()
    cells = [_python_cells(column) for _, column in table.items()]
    return [dict(zip(columns, row, strict=True)) for row in zip(*cells, strict=True)]


def _python_cells(column: pd.Series) -> list[object]:
    """A column's cells as ``to_dict("records")`` gives them."""
    cells = column.tolist()  # Python numbers from a numpy column; a masked one keeps NA
    if isinstance(column.dtype, np.dtype) and column.dtype != object:
        return cells
    return [_python_cell(cell) if isinstance(cell, np.generic) or cell is pd.NA else cell
            for cell in cells]  # fmt: skip


def _python_cell(cell: object) -> object:
    """A numpy scalar, or NA, boxed as pandas' ``to_dict`` boxes it."""
    if cell is pd.NA:
        return None
    if isinstance(cell, np.datetime64):
        return pd.Timestamp(cell)
    if isinstance(cell, np.timedelta64):
        return pd.Timedelta(cell)
    return cell.item()  # type: ignore[attr-defined]


def _table(frame: pd.DataFrame | None) -> pd.DataFrame:
    return frame if frame is not None else pd.DataFrame()


def _flag(values: pd.Series) -> pd.Series:
    """A boolean column from a column that may hold NA."""
    return pd.Series(
        [(not is_missing(v)) and bool(v) for v in values], index=values.index, dtype=bool
    )


class Context:
    """Sorted, labelled views of a :class:`RoundReportData`, shared by every section."""

    def __init__(self, data: RoundReportData) -> None:
        if data.language not in TEXT:
            raise ValueError(
                f"report language {data.language!r} is not supported; use one of {sorted(TEXT)}"
            )
        self.data = data
        self.language = data.language
        self.t = TEXT[data.language]
        self.k = int(data.min_group_size)
        self._memo: dict[tuple[object, ...], object] = {}

    def memo(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()`` once per key: the round's pages share what they have in common."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    # --- labels ---------------------------------------------------------------------------

    @cached_property
    def party_names(self) -> dict[str, str]:
        """Party id -> display name, in ``partnership.toml`` order."""
        parties = self.data.parties
        return {
            str(pid): (str(pid) if is_missing(name) else str(name))
            for pid, name in zip(parties["id"], parties["name"], strict=True)
        }

    def party_name(self, party: str) -> str:
        """The party's name; the partnership's word for the pooled rows."""
        if party == PARTNERSHIP:
            return self.t["partnership"]
        return self.party_names.get(party, party)

    @cached_property
    def not_asked(self) -> dict[str, str]:
        """The report's parts the instrument has no questions for: section id -> its name.

        An instrument may leave out the level, friction, open, halen-en-brengen or results
        questions; the report then leaves their sections out and names them in one line.
        """
        questions, dimensions = self.data.questions, self.data.dimensions
        if questions is None:  # the labels are not known: every part is taken as asked
            return {}
        roles = set(questions["role"].dropna())
        outcome = "role" in dimensions and dimensions["role"].eq("outcome").any()
        missing = {
            "levels": "level" not in set(questions["code"]),
            "give-take": not {"brings", "gets"} <= roles,
            "drivers": not outcome or len(dimensions) < 2,
            "friction-areas": questions["area"].isna().all(),
            "comments": not questions["type"].eq("text").any(),
        }
        names = {"levels": "sec_levels", "give-take": "sec_give_take", "drivers": "sec_drivers",
                 "friction-areas": "part_friction", "comments": "sec_comments"}  # fmt: skip
        return {part: self.t[names[part]] for part, absent in missing.items() if absent}

    @cached_property
    def invited(self) -> dict[str, int]:
        """Party id -> staff invited, where ``partnership.toml`` says."""
        parties = self.data.parties
        if "invited" not in parties:
            return {}
        return {
            str(pid): int(n)
            for pid, n in zip(parties["id"], parties["invited"], strict=True)
            if not is_missing(n)
        }

    @cached_property
    def dimension_labels(self) -> dict[str, str]:
        """Dimension code -> label, in instrument order."""
        dims = self.data.dimensions
        return {
            str(code): (str(code) if is_missing(label) else str(label))
            for code, label in zip(dims["code"], dims["label"], strict=True)
        }

    def dimension_label(self, code: str) -> str:
        """The dimension's label (its code when unknown)."""
        return self.dimension_labels.get(str(code), str(code))

    @cached_property
    def questions(self) -> pd.DataFrame:
        """The question labels indexed by code (empty when not given)."""
        questions = self.data.questions
        if questions is None or questions.empty:
            return pd.DataFrame(
                columns=["type", "dimension", "area", "reverse", "list_name", "label"]
            )
        return questions.assign(code=questions["code"].astype(str)).set_index("code")

    @cached_property
    def _labels(self) -> dict[str, str]:
        """Code -> statement or question text, for the codes that have one."""
        return {
            code: str(label)
            for code, label in self.questions["label"].items()
            if not is_missing(label)
        }

    @cached_property
    def _dimensions(self) -> dict[str, str]:
        """Code -> the code of its dimension, as text."""
        return {str(code): str(dim) for code, dim in self.questions["dimension"].items()}

    def item_dimension(self, code: str) -> str:
        """The code of the statement's dimension ("" when the statement is unknown)."""
        return self._dimensions.get(code, "")

    @cached_property
    def _reverse(self) -> frozenset[str]:
        """The codes of the reverse-keyed statements."""
        if "reverse" not in self.questions:
            return frozenset()
        flags = self.questions["reverse"]
        return frozenset(code for code, flag in flags.items() if not is_missing(flag) and flag)

    def question_label(self, code: str) -> str:
        """The statement or question text (its code when unknown)."""
        return self._labels.get(code, str(code))

    def is_reverse(self, code: str) -> bool:
        """Whether the statement is reverse-keyed (agreeing is unfavourable)."""
        return code in self._reverse

    def choice_labels(self, code: str) -> dict[float, str]:
        """Numeric choice value -> label for the statement's choice list."""
        return dict(self.memo(("choice_labels", code), lambda: self._choice_labels(code)))

    def _choice_labels(self, code: str) -> dict[float, str]:
        choices = self.data.choices
        if choices is None or choices.empty or code not in self.questions.index:
            return {}
        list_name = self.questions.at[code, "list_name"]
        rows = choices[(choices["list_name"] == list_name) & choices["value"].notna()]
        return {float(v): str(label) for v, label in zip(rows["value"], rows["label"], strict=True)}

    @cached_property
    def level_labels(self) -> dict[str, str]:
        """Level code -> label, in instrument order (the codes found when not given)."""
        choices = self.data.choices
        if choices is not None and "level" in self.questions.index:
            list_name = self.questions.at["level", "list_name"]
            rows = choices[choices["list_name"] == list_name]
            if len(rows):
                return {
                    str(n): str(label) for n, label in zip(rows["name"], rows["label"], strict=True)
                }
        levels = _table(self.data.levels)
        found = sorted(levels["level"].dropna().astype(str).unique()) if len(levels) else []
        return {code: code for code in found}

    def level_label(self, code: str) -> str:
        """The level's label (its code when unknown)."""
        return self.level_labels.get(str(code), str(code))

    @cached_property
    def area_labels(self) -> dict[str, str]:
        """Friction area -> its statement's label, in survey order."""
        friction = _table(self.data.friction)
        areas: dict[str, str] = {}
        questions = self.questions
        if "area" in questions:
            for _, row in questions[questions["area"].notna()].iterrows():
                areas[str(row["area"])] = str(row["label"])
        if len(friction):
            for area, item in zip(friction["area"], friction["item"], strict=True):
                areas.setdefault(str(area), self.question_label(str(item)))
        return areas

    @cached_property
    def area_short(self) -> dict[str, str]:
        """Friction area -> a short name: its label without asides, prefix and suffix.

        The words that every area's label shares at the start and the end are left out
        ('Verschillen in geld tussen de partners' -> 'geld'), so a title can name areas.
        """
        labels = {area: without_parentheses(label) for area, label in self.area_labels.items()}
        if len(labels) < 2:
            return labels
        split = {area: label.split() for area, label in labels.items()}
        lists = list(split.values())
        prefix = 0
        while (
            all(len(words) > prefix + 1 for words in lists)
            and len({words[prefix].lower() for words in lists}) == 1
        ):
            prefix += 1
        suffix = 0
        while (
            all(len(words) > prefix + suffix + 1 for words in lists)
            and len({words[-1 - suffix].lower() for words in lists}) == 1
        ):
            suffix += 1
        return {
            area: " ".join(words[prefix : len(words) - suffix]) for area, words in split.items()
        }

    @cached_property
    def outcome(self) -> str | None:
        """The results dimension the drivers relate to."""
        drivers = _table(self.data.drivers)
        if len(drivers) and "outcome" in drivers:
            return str(drivers["outcome"].iloc[0])
        dims = self.data.dimensions
        if "role" in dims:
            found = dims.loc[dims["role"] == "outcome", "code"]
            if len(found):
                return str(found.iloc[0])
        return None

    # --- tables -----------------------------------------------------------------------------

    def ordered(self, table: pd.DataFrame, keys: list[tuple[str, list[str]]]) -> pd.DataFrame:
        """Rows sorted by the order of each key's known values (unknown values last).

        Each key column becomes text; rows with the same rank (unknown values) are sorted by
        that text, missing last, and rows equal in every key keep their order.
        """
        if table.empty:
            return table.copy()
        table = table.copy()
        sort_keys = []
        for column, order in keys:
            values = table[column].astype(str)
            table[column] = values
            rank = {value: i for i, value in enumerate(order)}
            text, _ = pd.factorize(values, sort=True)  # missing is -1: put it last
            sort_keys += [
                np.array([rank.get(v, len(rank)) for v in values.tolist()]),
                np.where(text < 0, len(text), text),
            ]
        rows = np.lexsort(sort_keys[::-1])  # the last key sorts first; stable
        return table.take(rows).reset_index(drop=True)

    @cached_property
    def party_order(self) -> list[str]:
        """The partnership first, then the parties in ``partnership.toml`` order."""
        return [PARTNERSHIP, *self.party_names]

    @cached_property
    def partnership(self) -> pd.DataFrame:
        """The partnership rows in instrument order, with a ``label``."""
        table = self.ordered(self.data.partnership, [("dimension", list(self.dimension_labels))])
        table["label"] = [self.dimension_label(c) for c in table["dimension"]]
        return table

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Summary rows of known parties and dimensions, party then dimension order."""
        table = self.data.summary
        table = table[
            table["party"].astype(str).isin(self.party_names)
            & table["dimension"].astype(str).isin(self.dimension_labels)
        ]
        table = self.ordered(
            table, [("party", list(self.party_names)), ("dimension", list(self.dimension_labels))]
        )
        table["suppressed"] = _flag(table["suppressed"])
        table["party_name"] = [self.party_name(p) for p in table["party"]]
        table["label"] = [self.dimension_label(c) for c in table["dimension"]]
        return table

    @cached_property
    def shown_summary(self) -> pd.DataFrame:
        """Summary rows that are shown (not suppressed, with a mean)."""
        table = self.summary
        return table[~table["suppressed"] & table["mean"].notna()]

    def table(self, name: str) -> pd.DataFrame:
        """A processed table by name, empty when not given."""
        return _table(getattr(self.data, name))

    @cached_property
    def choice_pct(self) -> dict[tuple[str, str, float], float]:
        """The ``distribution`` table's ``pct`` by (party, item, choice)."""
        table = self.table("distribution")
        if table.empty:
            return {}
        columns = [table[c].tolist() for c in ("party", "item", "choice", "pct")]
        return {
            (str(party), str(item), float(choice)): pct
            for party, item, choice, pct in zip(*columns, strict=True)
        }

    @cached_property
    def item_records(self) -> dict[tuple[str, str], dict[str, object]]:
        """The rows of :attr:`items` as dicts, by (party, item)."""
        return {(r["party"], r["item"]): r for r in records(self.items)}

    @cached_property
    def items(self) -> pd.DataFrame:
        """The ``items`` table with ``suppressed`` as booleans."""
        items = self.table("items")
        if items.empty:
            return pd.DataFrame(columns=ITEM_COLUMNS)
        items = items.copy()
        items["party"] = items["party"].astype(str)
        items["item"] = items["item"].astype(str)
        items["suppressed"] = _flag(items["suppressed"])
        return items

    @cached_property
    def friction(self) -> pd.DataFrame:
        """The ``friction`` table in party and survey order, ``suppressed`` as booleans."""
        friction = self.table("friction")
        if friction.empty:
            return friction
        table = self.ordered(
            friction, [("party", self.party_order), ("area", list(self.area_labels))]
        )
        table["suppressed"] = _flag(table["suppressed"])
        return table

    @cached_property
    def levels(self) -> pd.DataFrame:
        """The ``levels`` table in dimension and level order, ``suppressed`` as booleans.

        The party is text. One stable sort of all parties keeps each party's rows in the order
        a sort of its own rows would give.
        """
        levels = self.table("levels")
        if levels.empty:
            return levels
        table = self.ordered(
            levels.assign(party=levels["party"].astype(str)),
            [("dimension", list(self.dimension_labels)), ("level", list(self.level_labels))],
        )
        table["suppressed"] = _flag(table["suppressed"])
        return table

    @cached_property
    def changes(self) -> pd.DataFrame:
        """The ``changes`` table in party and dimension order, ``suppressed`` as booleans."""
        changes = self.table("changes")
        if changes.empty:
            return changes
        table = self.ordered(
            changes, [("party", self.party_order), ("dimension", list(self.dimension_labels))]
        )
        table["suppressed"] = _flag(table["suppressed"]) if "suppressed" in table else False
        return table

    @cached_property
    def previous_round(self) -> str | None:
        """The round the changes compare with, if any."""
        changes = self.changes
        if changes.empty:
            return None
        return str(changes["previous_round"].iloc[0])

    @cached_property
    def history(self) -> pd.DataFrame:
        """The trends table: rounds in their given order, parties and dimensions in order."""
        history = self.table("history")
        if history.empty:
            history = history_rows(self.data.summary, self.data.partnership)
        history = history.copy()
        history["round"] = history["round"].astype(str)
        rounds = list(dict.fromkeys(history["round"]))
        table = self.ordered(
            history,
            [
                ("round", rounds),
                ("party", self.party_order),
                ("dimension", list(self.dimension_labels)),
            ],
        )
        table["suppressed"] = _flag(table["suppressed"])
        return table

    @cached_property
    def rounds(self) -> list[str]:
        """The rounds of the history, in order."""
        return list(dict.fromkeys(self.history["round"]))

    @cached_property
    def kept(self) -> dict[str, int]:
        """Party id -> kept respondents this round."""
        counts = self.data.response_counts
        return {str(p): int(n) for p, n in zip(counts["party"], counts["kept"], strict=True)}

    def suppressed_reason(self, n: object) -> str:
        """The cell text of a hidden cell: ``n < k``, or 'hidden' for a level hidden with others."""
        small = is_missing(n) or int(n) < self.k
        return (self.t["suppressed_cell"] if small else self.t["hidden_cell"]).format(k=self.k)

    def suppressed_hover(self, n: object) -> str:
        """Why a cell is hidden, for a hover label or a note."""
        small = is_missing(n) or int(n) < self.k
        return (self.t["hover_suppressed"] if small else self.t["hover_hidden"]).format(k=self.k)

    # --- settings ---------------------------------------------------------------------------

    @cached_property
    def thresholds(self) -> tuple[float, float]:
        """The (shines, chafes) band bounds from the manifest settings, else 4.0 and 3.0."""
        settings = self.data.manifest.get("settings", {}) or {}
        try:
            return (
                float(settings.get("bands_shines", 4.0)),
                float(settings.get("bands_chafes", 3.0)),
            )
        except (TypeError, ValueError):
            return 4.0, 3.0
