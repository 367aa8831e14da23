"""The instrument: an XLSForm workbook with our extra columns, read into tidy tables.

DESIGN section 5 is the contract: sheets ``survey``, ``choices``, ``settings`` and ``dimensions``;
survey columns ``type, name, label::<lang>, dimension, reverse, friction, aliases``. Any
instrument in that form works, not only the bundled one, so everything here is read from the
workbook and nothing about our own items is hard-coded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from pipeline.errors import InputError, Problem

__all__ = ["QUESTION_TYPES", "Instrument", "load_instrument"]

#: XLSForm types that are questions with an answer column; other rows (groups, notes) are layout.
QUESTION_TYPES = ("select_one", "text", "integer", "decimal")
_REQUIRED_SHEETS = ("survey", "choices", "settings", "dimensions")
_REQUIRED_COLUMNS = {
    "survey": ("type", "name"),
    "choices": ("list_name", "name"),
    "dimensions": ("code",),
    "settings": ("version",),
}
T = TypeVar("T")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Instrument:
    """A questionnaire version.

    Attributes
    ----------
    items
        One row per question, indexed by item code, in survey order: ``type`` (select_one,
        text, ...), ``list_name``, ``label_<lang>`` per language, ``dimension`` (code or NA),
        ``reverse`` (bool), ``friction`` (area code or NA), ``aliases`` (tuple of headers),
        ``role`` (optional: ``brings`` and ``gets`` mark the two halen-en-brengen statements).
    choices
        One row per choice: ``list_name``, ``name``, ``label_<lang>``, ``aliases`` (tuple),
        ``value`` (the number a numeric choice name stands for; NaN for "weet niet" and
        other non-numeric choices, which are missing, never a score).
    dimensions
        One row per dimension, indexed by code, in sheet order: ``label_<lang>`` and ``role``
        (optional: ``outcome`` marks the results dimension).
    """

    path: Path
    form_id: str
    version: str
    languages: tuple[str, ...]
    items: pd.DataFrame
    choices: pd.DataFrame
    dimensions: pd.DataFrame
    sha256: str

    def dimension_items(self, code: str) -> list[str]:
        """Item codes of one dimension, in survey order."""
        return list(self._items_by_dimension.get(code, ()))

    @cached_property
    def _items_by_dimension(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for item, dimension in zip(self.items.index, self.items["dimension"], strict=True):
            if isinstance(dimension, str):
                grouped.setdefault(dimension, []).append(item)
        return grouped

    @property
    def scored_items(self) -> list[str]:
        """Item codes that belong to a dimension, in survey order."""
        return self.items.index[self.items["dimension"].notna()].tolist()

    @property
    def friction_items(self) -> list[str]:
        """Item codes of the glanzen-en-schuren ratings."""
        return self.items.index[self.items["friction"].notna()].tolist()

    @cached_property
    def _values_by_list(self) -> dict[str, pd.Series]:
        choices = self.choices
        numeric: dict[str, tuple[list[str], list[float]]] = {}
        for list_name, name, value in zip(
            choices["list_name"], choices["name"], choices["value"].tolist(), strict=True
        ):
            if value == value:  # not NaN: a numeric choice
                names, values = numeric.setdefault(list_name, ([], []))
                names.append(name)
                values.append(value)
        return {
            list_name: pd.Series(values, index=pd.Index(names, name="name"), name="value")
            for list_name, (names, values) in numeric.items()
        }

    def derived(self, build: Callable[[Instrument], T]) -> T:
        """``build(self)``, computed once per instrument: what later stages look up in it.

        Kept with the instrument (as ``cached_property`` keeps its values), so a copy such as
        :meth:`restricted_to` starts afresh.
        """
        cache = self.__dict__.setdefault("_derived", {})
        if build not in cache:
            cache[build] = build(self)
        return cache[build]

    def restricted_to(self, other: Instrument) -> Instrument:
        """A copy with only the scored items that ``other`` has too (by item code).

        Over-time comparisons score both rounds with the items their versions share.
        """
        scored = self.items["dimension"].notna() | self.items["friction"].notna()
        keep = ~scored | self.items.index.isin(other.items.index)
        return replace(self, items=self.items[keep])

    def item_with_role(self, role: str) -> str | None:
        """The item whose ``role`` column says ``role`` (``brings``, ``gets``), if any."""
        found = self.items.index[self.items["role"] == role]
        return found[0] if len(found) else None

    @property
    def outcome_dimension(self) -> str | None:
        """The dimension with ``role = outcome`` (results), related to the others."""
        found = self.dimensions.index[self.dimensions["role"] == "outcome"]
        return found[0] if len(found) else None

    def choice_values(self, list_name: str) -> pd.Series:
        """Numeric choice values of a list, indexed by choice name."""
        return self._values_by_list.get(list_name, pd.Series(dtype=float))

    def scale_range(self, item: str) -> tuple[float, float]:
        """Lowest and highest numeric choice of the item's list (not the observed extremes)."""
        return self._item_scale_ranges[item]

    @cached_property
    def _item_scale_ranges(self) -> dict[str, tuple[float, float]]:
        unknown = (float("nan"), float("nan"))
        ranges = self._scale_ranges
        return {
            item: ranges.get(list_name, unknown)
            for item, list_name in zip(self.items.index, self.items["list_name"], strict=True)
        }

    @cached_property
    def _scale_ranges(self) -> dict[str, tuple[float, float]]:
        return {
            name: (float(values.min()), float(values.max()))
            for name, values in self._values_by_list.items()
        }

    def label(self, table: str, key: str, language: str) -> str:
        """The label of an item or a dimension in ``language``, falling back to the first one."""
        frame = self.items if table == "items" else self.dimensions
        return _first_label(
            key, [frame.at[key, column] for column in _label_order(frame, self, language)]
        )

    def labels(self, table: str, language: str) -> list[str]:
        """:meth:`label` of every row of ``table`` (items, dimensions or choices), in order.

        A choice without a label is its name.
        """
        frame = {"items": self.items, "dimensions": self.dimensions, "choices": self.choices}[table]
        keys = frame["name"].astype(str) if table == "choices" else frame.index
        columns = [frame[column].tolist() for column in _label_order(frame, self, language)]
        return [_first_label(key, values) for key, *values in zip(keys, *columns, strict=True)]


def _label_order(frame: pd.DataFrame, instrument: Instrument, language: str) -> list[str]:
    """The label columns of ``frame`` in the order they are tried: ``language`` first."""
    columns = (f"label_{lang}" for lang in (language, *instrument.languages))
    return [column for column in columns if column in frame]


def _first_label(key: str, values: Sequence[object]) -> str:
    """The first of ``values`` that is text and not empty; ``key`` if none is."""
    return next((value for value in values if isinstance(value, str) and value), key)


def load_instrument(path: Path) -> Instrument:
    """Read and validate an instrument workbook.

    Parameters
    ----------
    path
        The XLSForm workbook.

    Returns
    -------
    Instrument
        Its items, choices and dimensions as tables.

    Raises
    ------
    InputError
        Listing every problem of the workbook at once, each with its sheet, row and column.
    """
    if not path.is_file():
        raise InputError.single(
            "the instrument workbook does not exist",
            file=path,
            hint="check the instrument path in partnership.toml, relative to the project folder",
        )
    data = path.read_bytes()
    try:
        sheets = pd.read_excel(path, sheet_name=None, engine="calamine", dtype=object)
    except Exception as error:  # calamine raises several types for a corrupt file
        raise InputError.single(
            f"cannot be read as an Excel workbook ({type(error).__name__}: {error})",
            file=path,
            hint="save the instrument as .xlsx from Excel or LibreOffice",
        ) from None
    sheets = {name.strip().lower(): _tidy(frame) for name, frame in sheets.items()}
    problems: list[Problem] = []
    for sheet in _REQUIRED_SHEETS:
        if sheet not in sheets:
            problems.append(
                Problem(
                    f"has no sheet {sheet!r}",
                    file=path,
                    hint="the instrument needs the sheets survey, choices, settings and dimensions",
                )
            )
            continue
        for column in _REQUIRED_COLUMNS[sheet]:
            if column not in sheets[sheet].columns:
                problems.append(
                    Problem(
                        f"sheet {sheet!r} has no column {column!r}",
                        file=path,
                        hint=f"add a column headed {column!r} to sheet {sheet!r}",
                    )
                )
    if problems:
        raise InputError(problems)

    languages = _languages(sheets["survey"])
    if not languages:
        raise InputError.single(
            "sheet 'survey' has no label column",
            file=path,
            hint="add label::nl (and label::en) columns",
        )
    choices = _choices(sheets["choices"], languages, path, problems)
    dimensions = _dimensions(sheets["dimensions"], languages, path, problems)
    items = _items(sheets["survey"], languages, choices, dimensions, path, problems)
    settings = sheets["settings"]
    version = _setting(settings, "version") or ""
    form_id = _setting(settings, "form_id") or path.stem
    if not version:
        problems.append(
            Problem(
                "sheet 'settings' has no version", file=path, hint="fill in version, such as v1"
            )
        )
    if problems:
        raise InputError(problems)
    return Instrument(
        path=path,
        form_id=form_id,
        version=version,
        languages=languages,
        items=items,
        choices=choices,
        dimensions=dimensions,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _setting(settings: pd.DataFrame, name: str) -> str | None:
    """The first row's value of a setting, as text; None when the column or the cell is empty."""
    if name not in settings or not len(settings):
        return None
    value = settings[name].iloc[0]
    return None if pd.isna(value) else str(value)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Lower-case headers, text cells stripped, numbers as their plain text, blanks missing.

    A blank is NaN in a column with text and NA in an empty one, as pandas' ``map`` left them.
    Cell by cell in Python: a sheet is a few hundred cells, for which pandas' machinery (map,
    astype) costs more than the work.
    """
    names = [str(column).strip().lower() for column in frame.columns]
    kept = [position for position, name in enumerate(names) if not name.startswith("unnamed:")]

    def text(value: object) -> object:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return pd.NA
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        value = str(value).strip()
        return value if value else pd.NA

    cells = frame.to_numpy(dtype=object)
    columns = {}
    for position in kept:
        texts = [text(value) for value in cells[:, position].tolist()]
        if any(type(value) is str for value in texts):  # a text column: missing is NaN
            texts = [np.nan if value is pd.NA else value for value in texts]
        columns[position] = texts
    tidy = pd.DataFrame(columns, index=frame.index + 2, dtype=object)  # rows as in the sheet
    tidy.columns = [names[position] for position in kept]
    return tidy.dropna(how="all")


def _languages(survey: pd.DataFrame) -> tuple[str, ...]:
    return tuple(
        column.split("::", 1)[1].strip()
        for column in survey.columns
        if column.startswith("label::")
    )


def _split_aliases(value: object) -> tuple[str, ...]:
    if not isinstance(value, str):
        return ()
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _label_columns(frame: pd.DataFrame, languages: tuple[str, ...]) -> dict[str, pd.Series]:
    return {
        f"label_{lang}": frame.get(f"label::{lang}", pd.Series(pd.NA, index=frame.index))
        for lang in languages
    }


def _choices(
    sheet: pd.DataFrame, languages: tuple[str, ...], path: Path, problems: list[Problem]
) -> pd.DataFrame:
    sheet = sheet.dropna(subset=["list_name", "name"], how="all")
    for row in sheet.index[sheet["list_name"].isna() | sheet["name"].isna()]:
        problems.append(
            Problem(
                "choice without list_name or name",
                file=path,
                row=int(row),
                column="choices",
                hint="fill in both",
            )
        )
    sheet = sheet.dropna(subset=["list_name", "name"])
    duplicated = sheet[sheet.duplicated(subset=["list_name", "name"], keep="first")]
    for row, entry in duplicated.iterrows():
        problems.append(
            Problem(
                f"choice {entry['name']!r} appears twice in list {entry['list_name']!r}",
                file=path,
                row=int(row),
                column="choices",
                hint="give each choice of a list a unique name",
            )
        )
    names = sheet["name"].astype(str)
    value = pd.to_numeric(names.where(names.str.match(_NUMBER)), errors="coerce")
    return pd.DataFrame(
        {
            "list_name": sheet["list_name"].astype(str),
            "name": names,
            **_label_columns(sheet, languages),
            "aliases": sheet.get("aliases", pd.Series(pd.NA, index=sheet.index)).map(
                _split_aliases
            ),
            "value": value.astype(float),
        }
    ).reset_index(drop=True)


def _dimensions(
    sheet: pd.DataFrame, languages: tuple[str, ...], path: Path, problems: list[Problem]
) -> pd.DataFrame:
    sheet = sheet.dropna(subset=["code"])
    for row, code in sheet["code"][sheet["code"].duplicated()].items():
        problems.append(
            Problem(
                f"dimension {code!r} appears twice",
                file=path,
                row=int(row),
                column="dimensions",
                hint="give each dimension a unique code",
            )
        )
    role = sheet.get("role", pd.Series(pd.NA, index=sheet.index, dtype=object))
    frame = pd.DataFrame({"code": sheet["code"], **_label_columns(sheet, languages), "role": role})
    return frame.drop_duplicates("code").set_index("code")


def _items(
    sheet: pd.DataFrame,
    languages: tuple[str, ...],
    choices: pd.DataFrame,
    dimensions: pd.DataFrame,
    path: Path,
    problems: list[Problem],
) -> pd.DataFrame:
    sheet = sheet.dropna(subset=["type"])
    kind = sheet["type"].str.split().str[0]
    questions = sheet[kind.isin(QUESTION_TYPES)].copy()
    questions["kind"] = kind[questions.index]
    questions["list_name"] = questions["type"].str.split().str[1]
    lists = set(choices["list_name"])
    numeric_choices = choices["list_name"][choices["value"].notna()].value_counts()

    def add(message: str, row: int, column: str, hint: str) -> None:
        problems.append(Problem(message, file=path, row=row, column=column, hint=hint))

    for row, entry in zip(questions.index, questions.to_dict("records"), strict=True):
        row = int(row)
        if pd.isna(entry["name"]):
            add("question without a name", row, "survey: name", "give every question a name")
            continue
        if entry["kind"] == "select_one" and entry["list_name"] not in lists:
            add(
                f"item {entry['name']!r} uses choice list {entry['list_name']!r}, "
                "which sheet 'choices' does not have",
                row,
                "survey: type",
                f"add the list {entry['list_name']!r} to sheet 'choices' or correct the type",
            )
        dimension = entry.get("dimension")
        if isinstance(dimension, str) and dimension not in dimensions.index:
            add(
                f"item {entry['name']!r} has dimension {dimension!r}, which sheet 'dimensions' "
                "does not list",
                row,
                "survey: dimension",
                f"add {dimension!r} to sheet 'dimensions' or correct the code",
            )
        reverse = entry.get("reverse")
        if isinstance(reverse, str) and reverse.lower() not in ("yes", "no", "true", "false"):
            add(
                f"item {entry['name']!r} has reverse = {reverse!r}",
                row,
                "survey: reverse",
                "write yes for a reverse-keyed item, or leave it empty",
            )
        scored = isinstance(dimension, str) or isinstance(entry.get("friction"), str)
        if scored and entry["kind"] == "select_one" and entry["list_name"] in lists:
            if numeric_choices.get(entry["list_name"], 0) < 2:
                add(
                    f"item {entry['name']!r} is scored but its list {entry['list_name']!r} has "
                    "fewer than two numeric choices",
                    row,
                    "survey: type",
                    "give the scale's choices numeric names such as 1 to 5",
                )
        elif scored and entry["kind"] != "select_one":
            add(
                f"item {entry['name']!r} has a dimension or friction area but is not select_one",
                row,
                "survey: type",
                "scored items are select_one with a numeric choice list",
            )
    questions = questions.dropna(subset=["name"])
    for row, name in questions["name"][questions["name"].duplicated()].items():
        add(f"item name {name!r} appears twice", int(row), "survey: name", "make names unique")
    for code in dimensions.index:
        if not (questions.get("dimension") == code).any():
            problems.append(
                Problem(
                    f"dimension {code!r} has no items",
                    file=path,
                    column="dimensions",
                    hint="give it items in sheet 'survey' or remove it",
                )
            )

    def column(name: str) -> pd.Series:
        return questions.get(name, pd.Series(pd.NA, index=questions.index, dtype=object))

    items = pd.DataFrame(
        {
            "name": questions["name"],
            "type": questions["kind"],
            "list_name": questions["list_name"],
            **_label_columns(questions, languages),
            "dimension": column("dimension"),
            "reverse": column("reverse").fillna("").str.lower().isin(["yes", "true"]),
            "friction": column("friction"),
            "aliases": column("aliases").map(_split_aliases),
            "role": column("role"),
        }
    )
    return items.drop_duplicates("name").set_index("name")
