"""The instrument: an XLSForm workbook with our extra columns, read into tidy tables.

DESIGN section 5 is the contract: sheets ``survey``, ``choices``, ``settings`` and ``dimensions``;
survey columns ``type, name, label::<lang>, dimension, reverse, friction, aliases``. Any
instrument in that form works, not only the bundled one, so everything here is read from the
workbook and nothing about our own items is hard-coded.

Label columns may also be written the way XLSForm itself allows: a plain ``label`` (a form in one
language, read as the partnership's language) and ``label::Dutch (nl)`` (the language code in
brackets). ``select_multiple`` questions are read too, into :attr:`Instrument.multiple`: the
loader recognises their columns, but they are never scored and have no column in ``responses``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from pipeline.errors import InputError, Problem

__all__ = ["MULTIPLE_TYPE", "QUESTION_TYPES", "Instrument", "load_instrument"]

#: The XLSForm type of a question with several answers: listed, never scored.
MULTIPLE_TYPE = "select_multiple"
#: XLSForm types that are questions with answer columns; other rows (groups, notes) are layout.
QUESTION_TYPES = ("select_one", "text", "integer", "decimal", MULTIPLE_TYPE)
_REQUIRED_SHEETS = ("survey", "choices", "settings", "dimensions")
_REQUIRED_COLUMNS = {
    "survey": ("type", "name"),
    "choices": ("list_name", "name"),
    "dimensions": ("code",),
    "settings": ("version",),
}
T = TypeVar("T")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
#: ``label::Dutch (nl)``: XLSForm's naming of a language, its code in brackets at the end.
_BRACKETED_LANGUAGE = re.compile(r"\((?P<code>[a-z]{2,3}(?:-[a-z0-9]+)*)\)\s*$")
#: Names, labels and aliases of a "weet niet / n.v.t." choice (folded): missing, never a score.
_DONT_KNOW = re.compile(
    r"(?<![\w.])(dk|wn|nvt|n\.v\.t|na|n\.a|n/a|nb|n\.b|weet\s+(ik\s+)?(het\s+)?niet|"
    r"niet\s+van\s+toepassing|geen\s+mening|geen\s+antwoord|geen\s+idee|onbekend|"
    r"wil\s+ik\s+niet\s+zeggen|zeg\s+ik\s+liever\s+niet|don[\'’]?t\s+know|do\s+not\s+know|"
    r"not\s+applicable|no\s+opinion|no\s+answer|unknown|prefer\s+not\s+to\s+say|refused)"
    r"(?![\w])"
)


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
    multiple
        One row per ``select_multiple`` question, indexed by its name, in survey order:
        ``list_name``, ``label_<lang>`` per language and ``aliases``. They are not in
        ``items``: a respondent may pick several choices, which is no score and no single
        column of ``responses``, so the loader only recognises their columns.
    """

    path: Path
    form_id: str
    version: str
    languages: tuple[str, ...]
    items: pd.DataFrame
    choices: pd.DataFrame
    dimensions: pd.DataFrame
    sha256: str
    multiple: pd.DataFrame = field(default_factory=lambda: _no_multiple(()))

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


def load_instrument(path: Path, language: str = "nl") -> Instrument:
    """Read and validate an instrument workbook.

    Parameters
    ----------
    path
        The XLSForm workbook.
    language
        The language of a plain ``label`` column (a form written in one language, as XLSForm
        allows): the partnership's language, so its report finds the labels.

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
    problems: list[Problem] = []
    tidy: dict[str, pd.DataFrame] = {}
    for name, frame in sheets.items():
        sheet = name.strip().lower()
        tidy[sheet] = _label_headers(_tidy(frame), sheet, language, path, problems)
    sheets = tidy
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
            hint="add label::nl (and label::en) columns, or one column label",
        )
    choices, choice_rows = _choices(sheets["choices"], languages, path, problems)
    dimensions = _dimensions(sheets["dimensions"], languages, path, problems)
    items, multiple = _items(sheets["survey"], languages, choices, dimensions, path, problems)
    _check_scales(items, choices, choice_rows, (language, *languages), path, problems)
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
        multiple=multiple,
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


def _label_language(header: str, language: str) -> str | None:
    """The language code of a label column's (lower-case) header; None for other columns.

    ``label`` is ``language``; ``label::nl`` is ``nl``; XLSForm's ``label::Dutch (nl)`` is the
    code in brackets, ``nl``.
    """
    if header == "label":
        return language
    if not header.startswith("label::"):
        return None
    name = header.split("::", 1)[1].strip()
    bracketed = _BRACKETED_LANGUAGE.search(name)
    return bracketed["code"] if bracketed else name or None


def _label_headers(
    frame: pd.DataFrame, sheet: str, language: str, path: Path, problems: list[Problem]
) -> pd.DataFrame:
    """The sheet with every label column headed ``label::<code>``.

    Each label column names its language once, in whichever way XLSForm allows, so that the
    rest of this module reads one naming only. Two columns for one language (``label`` and
    ``label::nl`` with the language nl) are a problem: which of them holds the texts is not
    for us to guess, so the second one is left out and reported.
    """
    renamed: dict[str, str] = {}
    clashing: list[str] = []
    for header in frame.columns:
        code = _label_language(header, language)
        if code is None:
            continue
        first = next((h for h, target in renamed.items() if target == f"label::{code}"), None)
        if first is None:
            renamed[header] = f"label::{code}"
            continue
        clashing.append(header)
        problems.append(
            Problem(
                f"sheet {sheet!r} has two label columns for language {code!r}: "
                f"{first!r} and {header!r}",
                file=path,
                column=f"{sheet}: {header}",
                hint="keep one of them, or name the other one's language, such as "
                "label::en or label::English (en)",
            )
        )
    return frame.drop(columns=clashing).rename(columns=renamed)


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
) -> tuple[pd.DataFrame, list[int]]:
    """The choices as a table, and each one's row in the sheet (for messages)."""
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
    frame = pd.DataFrame(
        {
            "list_name": sheet["list_name"].astype(str),
            "name": names,
            **_label_columns(sheet, languages),
            "aliases": sheet.get("aliases", pd.Series(pd.NA, index=sheet.index)).map(
                _split_aliases
            ),
            "value": value.astype(float),
        }
    )
    return frame.reset_index(drop=True), [int(row) for row in sheet.index]


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
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The questions with one answer column (items) and the ``select_multiple`` ones.

    Also checks each question's own cells: its list exists, its dimension is listed, and only
    a ``select_one`` question on a numeric scale carries a dimension, a friction area or
    ``reverse = yes`` (a reverse-keyed item that is not scored has nothing to reverse).
    """
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
        name = entry["name"]
        listed = entry["kind"] in ("select_one", MULTIPLE_TYPE)
        if listed and entry["list_name"] not in lists:
            add(
                f"item {name!r} uses choice list {entry['list_name']!r}, "
                "which sheet 'choices' does not have",
                row,
                "survey: type",
                f"add the list {entry['list_name']!r} to sheet 'choices' or correct the type",
            )
        dimension = entry.get("dimension")
        if isinstance(dimension, str) and dimension not in dimensions.index:
            add(
                f"item {name!r} has dimension {dimension!r}, which sheet 'dimensions' "
                "does not list",
                row,
                "survey: dimension",
                f"add {dimension!r} to sheet 'dimensions' or correct the code",
            )
        reverse = entry.get("reverse")
        reversed_ = isinstance(reverse, str) and reverse.lower() in ("yes", "true")
        if isinstance(reverse, str) and reverse.lower() not in ("yes", "no", "true", "false"):
            add(
                f"item {name!r} has reverse = {reverse!r}",
                row,
                "survey: reverse",
                "write yes for a reverse-keyed item, or leave it empty",
            )
        friction = entry.get("friction")
        if entry["kind"] == MULTIPLE_TYPE:
            scoring = (("dimension", dimension), ("friction", friction), ("reverse", reverse))
            for cell, value in scoring:
                if isinstance(value, str) and (cell != "reverse" or reversed_):
                    add(
                        f"item {name!r} is select_multiple, which is never scored, but has "
                        f"{cell} = {value!r}",
                        row,
                        f"survey: {cell}",
                        f"leave {cell} empty for a select_multiple question, or make it "
                        "select_one on a numeric scale to score it",
                    )
            continue
        scored = isinstance(dimension, str) or isinstance(friction, str)
        if scored and entry["kind"] == "select_one" and entry["list_name"] in lists:
            if numeric_choices.get(entry["list_name"], 0) < 2:
                add(
                    f"item {name!r} is scored but its list {entry['list_name']!r} has "
                    "fewer than two numeric choices",
                    row,
                    "survey: type",
                    "give the scale's choices numeric names such as 1 to 5",
                )
        elif scored and entry["kind"] != "select_one":
            add(
                f"item {name!r} has a dimension or friction area but is not select_one",
                row,
                "survey: type",
                "scored items are select_one with a numeric choice list",
            )
        if reversed_ and not isinstance(dimension, str):
            add(
                f"item {name!r} has reverse = yes but no dimension, so it is not scored and "
                "there is nothing to reverse",
                row,
                "survey: reverse",
                f"leave reverse empty for {name!r}, or give it the dimension it belongs to",
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
    questions = questions.drop_duplicates("name")
    is_multiple = questions["kind"] == MULTIPLE_TYPE
    multiple, questions = questions[is_multiple], questions[~is_multiple]

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
    return items.set_index("name"), _multiple_table(multiple, languages)


def _no_multiple(languages: tuple[str, ...]) -> pd.DataFrame:
    """The table of an instrument without ``select_multiple`` questions."""
    columns = ["list_name", *(f"label_{lang}" for lang in languages), "aliases"]
    return pd.DataFrame(columns=columns, index=pd.Index([], name="name"), dtype=object)


def _multiple_table(questions: pd.DataFrame, languages: tuple[str, ...]) -> pd.DataFrame:
    """:attr:`Instrument.multiple` from the survey rows of the ``select_multiple`` questions."""
    if questions.empty:
        return _no_multiple(languages)
    aliases = questions.get("aliases", pd.Series(pd.NA, index=questions.index, dtype=object))
    frame = pd.DataFrame(
        {
            "name": questions["name"],
            "list_name": questions["list_name"],
            **_label_columns(questions, languages),
            "aliases": aliases.map(_split_aliases),
        }
    )
    return frame.set_index("name")


def _dont_know_like(texts: Sequence[object]) -> bool:
    """Whether a choice's name, labels or aliases say "weet niet" or "n.v.t." in any way."""
    return any(
        isinstance(text, str) and _DONT_KNOW.search(_folded(text)) is not None for text in texts
    )


def _folded(text: str) -> str:
    """A text case-folded with its runs of white space as one space (for the patterns here)."""
    return re.sub(r"\s+", " ", text.casefold()).strip()


def _check_scales(
    items: pd.DataFrame,
    choices: pd.DataFrame,
    rows: list[int],
    languages: tuple[str, ...],
    path: Path,
    problems: list[Problem],
) -> None:
    """A choice of a scored or friction item's list that is no number must be "weet niet".

    A non-numeric choice is missing, never a score. That is right for "weet niet / n.v.t."
    (``dk``), which comes after the scale, and wrong for a scale point whose name happens to
    be a word: a list ``1, 2, drie, 4, 5`` makes every "Neutraal" missing, and a dimension's
    alpha is then computed without the middle of the scale. So in such a list a non-numeric
    choice is allowed only after all numeric ones in sheet order, or when its name, a label or
    an alias says "weet niet", "n.v.t.", "geen mening" and the like.
    """
    scored = items["dimension"].notna() | items["friction"].notna()
    lists = set(items.loc[scored, "list_name"].dropna())
    labels = [f"label_{lang}" for lang in dict.fromkeys(languages) if f"label_{lang}" in choices]
    positions: dict[str, list[int]] = {}
    for position, list_name in enumerate(choices["list_name"].tolist()):
        if list_name in lists:
            positions.setdefault(list_name, []).append(position)
    values = choices["value"].tolist()
    for list_name, members in positions.items():
        numeric = [p for p in members if values[p] == values[p]]
        if not numeric:
            continue  # no scale at all: reported as "fewer than two numeric choices"
        last = numeric[-1]
        taken = {values[p] for p in numeric}
        for place, position in enumerate(members):
            if values[position] == values[position] or position > last:
                continue
            entry = choices.iloc[position]
            texts = [entry["name"], *(entry[c] for c in labels), *entry["aliases"]]
            if _dont_know_like(texts):
                continue
            label = _first_label(entry["name"], [entry[c] for c in labels])
            point = _scale_point(
                [values[p] for p in members[:place]],
                [values[p] for p in members[place + 1 :]],
                taken,
            )
            problems.append(
                Problem(
                    f"choice {entry['name']!r} of list {list_name!r} is not a number, so every "
                    f"answer {label!r} would be missing (never a score)",
                    file=path,
                    row=rows[position],
                    column="choices: name",
                    hint="give it the number of its scale point"
                    + (f" ({point})" if point else "")
                    + '; a "weet niet" choice goes after the scale\'s numbers',
                )
            )


def _scale_point(before: list[float], after: list[float], taken: set[float]) -> str | None:
    """The number a scale point between ``before`` and ``after`` most likely has, as text.

    One more than the nearest number before it (or one less than the nearest after it), when
    that number is free and lies between its neighbours; None when no number fits.
    """
    previous = next((v for v in reversed(before) if v == v), None)
    following = next((v for v in after if v == v), None)
    for guess in (
        previous + 1 if previous is not None else None,
        following - 1 if following is not None else None,
    ):
        if guess is None or guess in taken:
            continue
        if (previous is None or guess > previous) and (following is None or guess < following):
            return str(int(guess)) if float(guess).is_integer() else str(guess)
    return None
