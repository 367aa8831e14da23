"""Load one export, or every export of a round, into responses with item codes.

This module ties the others together: the file's layout (:mod:`~pipeline.load.detect`), its
columns matched to items and roles (:mod:`~pipeline.load.match`), its answers mapped to codes
(:mod:`~pipeline.load.answers`), its party (:mod:`~pipeline.load.party`) and its times
(:mod:`~pipeline.load.timestamps`). Every problem of a file is collected and raised together,
and every problem of every file of a round, so a user fixes them in one go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.config import Partnership
from pipeline.errors import InputError, Problem
from pipeline.load.answers import empty_answers, item_answers
from pipeline.load.detect import export_layout
from pipeline.load.layout import Layout
from pipeline.load.match import IDENTIFIER_KINDS, ItemMatcher, Strength, generic_role
from pipeline.load.party import party_column
from pipeline.load.repeats import first_copies
from pipeline.load.timestamps import (
    duration_seconds,
    parse_timestamps,
    submitted_flags,
    timestamp_text,
)
from pipeline.parallel import in_parallel, shared
from pipeline.questionnaire import Instrument

__all__ = [
    "LoadedExport",
    "load_export",
    "load_exports",
    "load_files",
    "load_round",
    "load_rounds",
    "round_responses",
]

#: Texts that tools and respondents put in an identifier column when there is none, folded and
#: without spaces, dots, slashes and dashes (``n.v.t.``, ``N/A``, ``-``): no identifier.
_PLACEHOLDERS = frozenset(
    ("", "anonymous", "anoniem", "anonym", "anonyme", "nvt", "na", "nb", "geen", "onbekend",
     "unknown", "none", "null", "nil", "nee", "no", "x", "xx", "xxx", "0", "?",
     "nietvantoepassing", "notapplicable", "geenemail", "geenmail", "noemail", "privé", "prive")
)  # fmt: skip
_PLACEHOLDER_SET = pa.array(sorted(_PLACEHOLDERS), type=pa.large_string())
_PLACEHOLDER_MARKS = r"[\s.\-/_'\"]"


@dataclass(frozen=True)
class LoadedExport:
    """One export file after loading, with what matched and what was ignored.

    Attributes
    ----------
    path
        The file.
    tool
        The tool that made it: qualtrics, qualtrics-legacy, surveymonkey, limesurvey, msforms,
        googleforms, kobo, spss or plain.
    responses
        One row per response (see :func:`load_export`).
    matched
        Column header -> item code.
    identifiers
        Column header -> identifier kind (a key of ``IDENTIFIER_KINDS``).
    ignored
        Headers of the columns that are not read: those that match nothing, those whose item
        another column matches more strongly, and the columns that only end in the code of
        one item (each also a warning).
    warnings
        Messages for the user: the ignored columns, and the columns without a header.
    metadata
        Column header -> role, for the tool's own columns that are not identifiers (dates,
        duration, finished, and ``meta`` for those that are not used), and ``multiple:<name>``
        for the columns of a ``select_multiple`` question (see :attr:`multiple`).
    """

    path: Path
    tool: str
    responses: pd.DataFrame
    matched: dict[str, str]
    identifiers: dict[str, str]
    ignored: list[str]
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def multiple(self) -> dict[str, str]:
        """Column header -> ``select_multiple`` question, for the columns listed, not scored.

        Such a question's columns are recognised, so that they are neither answers nor
        unmatched columns, but have no column in ``responses``: several choices are no score.
        """
        return {
            header: role.removeprefix("multiple:")
            for header, role in self.metadata.items()
            if role.startswith("multiple:")
        }


def load_round(
    partnership: Partnership, round_id: str, instrument: Instrument, jobs: int = 1
) -> tuple[pd.DataFrame, list[LoadedExport]]:
    """Load every export of a round: :func:`load_rounds` of one round."""
    return load_rounds(partnership, {round_id: instrument}, jobs)[round_id]


def load_rounds(
    partnership: Partnership, instruments: dict[str, Instrument], jobs: int = 1
) -> dict[str, tuple[pd.DataFrame, list[LoadedExport]]]:
    """Load every export of several rounds.

    Parameters
    ----------
    partnership
        The project settings (party ids, paths).
    instruments
        Each round to load (a folder under ``data/raw/``) with its instrument.
    jobs
        Load up to this many files at once, in forked processes (:mod:`pipeline.parallel`):
        the files of all rounds together, the largest first.

    Returns
    -------
    dict
        Per round: all its responses in one table, in file and row order, and the per-file
        results (for ``validate``, the quality log and the manifest).

    Raises
    ------
    InputError
        With every problem of every file of every round.
    """
    return {
        round_id: (round_responses(exports), exports)
        for round_id, exports in load_exports(partnership, instruments, jobs).items()
    }


def load_exports(
    partnership: Partnership, instruments: dict[str, Instrument], jobs: int = 1
) -> dict[str, list[LoadedExport]]:
    """:func:`load_rounds` without putting each round's responses in one table.

    For a caller that does that later, in a process of its own (:func:`round_responses`).

    Raises
    ------
    InputError
        With every problem of every file of every round.
    """
    found = _load_files(partnership, instruments, jobs)
    problems = [problem for _, round_problems in found.values() for problem in round_problems]
    if problems:
        raise InputError(problems)
    return {round_id: exports for round_id, (exports, _) in found.items()}


def round_responses(exports: list[LoadedExport]) -> pd.DataFrame:
    """A round's responses in one table, in file and row order."""
    return pd.concat([export.responses for export in exports], ignore_index=True)


def load_files(
    partnership: Partnership, round_id: str, instrument: Instrument, jobs: int = 1
) -> tuple[list[LoadedExport], list[Problem]]:
    """Load every export of a round that can be loaded, and the problems of the others.

    Up to ``jobs`` files are loaded at once, in forked processes, the largest first.

    Returns
    -------
    tuple
        The loaded exports in file order, and every problem of the files that failed.
    """
    return _load_files(partnership, {round_id: instrument}, jobs)[round_id]


def _load_files(
    partnership: Partnership, instruments: dict[str, Instrument], jobs: int
) -> dict[str, tuple[list[LoadedExport], list[Problem]]]:
    """:func:`load_files` of several rounds, their files loaded together."""
    files = {round_id: partnership.export_files(round_id) for round_id in instruments}
    tasks = [(round_id, path) for round_id, paths in files.items() for path in paths]
    largest_first = sorted(tasks, key=lambda task: task[1].stat().st_size, reverse=True)
    loaded = in_parallel(_load_file, largest_first, jobs, (partnership, instruments))
    by_task = dict(zip(largest_first, loaded, strict=True))
    found = {}
    for round_id, paths in files.items():
        if not paths:
            found[round_id] = (
                [],
                [
                    Problem(
                        "the round folder holds no export (.csv, .xlsx, .sav)",
                        file=partnership.raw_dir(round_id),
                        hint="put one export per party in it, named after the party id, such as "
                        "lisse.csv, or one export for all parties with the party question",
                    )
                ],
            )
            continue
        results = [by_task[round_id, path] for path in paths]  # in file order
        exports = [result for result in results if isinstance(result, LoadedExport)]
        problems = [p for result in results if isinstance(result, list) for p in result]
        found[round_id] = exports, problems
    return found


def _load_file(task: tuple[str, Path]) -> LoadedExport | list[Problem]:
    """One export, or its problems (a task of :func:`~pipeline.parallel.in_parallel`)."""
    partnership, instruments = shared()
    round_id, path = task
    try:
        return load_export(
            path, instruments[round_id], partnership, display=partnership.relative(path)
        )
    except InputError as error:
        return error.problems


def load_export(
    path: Path, instrument: Instrument, partnership: Partnership, display: str | None = None
) -> LoadedExport:
    """Load one export file into responses with item codes.

    Parameters
    ----------
    path
        The export: any supported tool's CSV, TSV, XLSX or SPSS .sav, or a plain table.
    instrument
        The instrument its columns and answers are matched against.
    partnership
        For the party ids and names.
    display
        How the file is named in messages and in ``source_file`` (default: the path).

    Returns
    -------
    LoadedExport
        ``responses`` has the columns ``party, source_file, source_row`` (the row a user
        sees in the file), ``id_<kind>`` per identifier kind found (for cleaning, never
        written), ``submitted_at`` (ISO text), ``submitted`` (boolean; NA where the tool does
        not say), ``duration_seconds``, ``dont_know`` (the ';'-joined items answered "weet
        niet", NA when none), then one column per item in instrument order: numeric choices
        as ``Int8``, other choices as their name, text as text.

    Raises
    ------
    InputError
        With every problem of the file.
    """
    name = display or str(path)
    layout = export_layout(path, name)
    problems = list(layout.problems)
    if layout.data.empty:
        raise InputError(
            [
                Problem(
                    "the file has a header but no responses",
                    file=name,
                    hint="export the responses again (all of them, not only the questions), "
                    "or remove the file if this party had no respondents",
                ),
                *problems,
            ]
        )
    matched, identifiers, metadata, ignored, warnings = _classify(
        layout, instrument, name, problems
    )
    if not matched:
        shown = [c.header for c in layout.columns[:5]]
        raise InputError(
            [
                Problem(
                    f"no column matches an item of the instrument ({instrument.path.name}, "
                    f"version {instrument.version}); the file looks like a {layout.tool} export",
                    file=name,
                    row=1,
                    hint="head the columns with the item codes (such as "
                    f"{', '.join(instrument.scored_items[:3])}), their aliases or their labels; "
                    f"first headers found: {', '.join(repr(h) for h in shown)}",
                ),
                *problems,
            ]
        )
    responses = _responses(
        layout, path, name, matched, identifiers, metadata, instrument, partnership, problems
    )
    if problems:
        raise InputError(problems)
    return LoadedExport(
        path=path,
        tool=layout.tool,
        responses=responses,
        matched=matched,
        identifiers=identifiers,
        ignored=ignored,
        warnings=warnings,
        metadata=metadata,
    )


def _classify(
    layout: Layout, instrument: Instrument, name: str, problems: list[Problem]
) -> tuple[dict[str, str], dict[str, str], dict[str, str], list[str], list[str]]:
    """Each column to an item, an identifier kind, a tool role, or ignored; and the warnings.

    An item takes the column that matches it most strongly (see
    :class:`~pipeline.load.match.Strength`): by its code, then its code in brackets, its code
    at the end of a group path or prefix, an alias, its label. A weaker column of the same item
    is ignored with a warning. Two columns at the same strength are a problem, since which one
    holds the answers is not for us to guess; except for a code at the end: ``REGULAR_SODA``
    and ``DIET_SODA`` both end in an item's code ``soda``, which is then no match at all. Both
    are ignored, with a warning that names the alias to add (renaming a column is impossible
    in a ``.sav``). A ``select_multiple`` question's columns get the role
    ``multiple:<question>``: listed, never scored. The lists are in file order.
    """
    matcher = instrument.derived(ItemMatcher)  # built once per process for all its files
    roles: dict[str, str | None] = {}
    candidates: dict[str, list[tuple[Strength, str]]] = {}
    for column in layout.columns:
        role = column.role
        if role is None:
            found = matcher.match(column)
            if found is not None and not found.multiple:
                candidates.setdefault(found.item, []).append((found.strength, column.header))
                continue
            role = f"multiple:{found.item}" if found is not None else generic_role(column.header)
        roles[column.header] = role
    chosen: dict[str, str] = {}
    notes: dict[str, str] = {}  # header -> why a column that matches an item is ignored
    for item, found in candidates.items():
        ends = [header for strength, header in found if strength == Strength.SUFFIX]
        if len(ends) > 1:
            notes[ends[0]] = _shared_end(name, item, ends)
            notes.update(dict.fromkeys(ends[1:], ""))
            found = [(strength, header) for strength, header in found if header not in ends]
        if not found:
            continue
        strongest = max(strength for strength, _ in found)
        first, *others = [header for strength, header in found if strength == strongest]
        chosen[first] = item
        for other in others:
            problems.append(
                Problem(
                    f"columns {first!r} and {other!r} both match item {item!r} "
                    f"{strongest.described}",
                    file=name,
                    row=1,
                    column=other,
                    hint="remove or rename one of the two columns",
                )
            )
        for strength, header in found:
            if strength < strongest:
                notes[header] = (
                    f"{name}: column {header!r} matches item {item!r} {strength.described}, "
                    f"but column {first!r} matches it {strongest.described}, so {header!r} is "
                    "ignored"
                )
    matched: dict[str, str] = {}
    identifiers: dict[str, str] = {}
    metadata: dict[str, str] = {}
    ignored: list[str] = []
    warnings = list(layout.warnings)
    for column in layout.columns:
        header = column.header
        if header in chosen:
            matched[header] = chosen[header]
        elif header in notes:
            ignored.append(header)
            warnings += [notes[header]] if notes[header] else []
        elif header in roles:
            role = roles[header]
            if role is None:
                ignored.append(header)
                warnings.append(f"{name}: column {header!r} matches no item and is ignored")
            elif role.startswith("id:"):
                identifiers[header] = role.removeprefix("id:")
            else:
                metadata[header] = role
    return matched, identifiers, metadata, ignored, warnings


def _shared_end(name: str, item: str, headers: list[str]) -> str:
    """The warning for columns that each end in one item's code, none of them taken for it."""
    listed = ", ".join(repr(h) for h in headers[:-1]) + f" and {headers[-1]!r}"
    two = len(headers) == 2
    taken = "neither is taken for it and both are" if two else "none is taken for it and all are"
    return (
        f"{name}: columns {listed} each end in the code of item {item!r}, so {taken} ignored; "
        "if one of them holds its answers, write that header in the item's aliases in the "
        f"instrument's survey sheet (aliases = {headers[0]})"
    )


def _responses(
    layout: Layout,
    path: Path,
    name: str,
    matched: dict[str, str],
    identifiers: dict[str, str],
    metadata: dict[str, str],
    instrument: Instrument,
    partnership: Partnership,
    problems: list[Problem],
) -> pd.DataFrame:
    data = layout.data
    index = data.index
    number = {column.header: n for n, column in enumerate(layout.columns)}
    by_item = {item: header for header, item in matched.items()}

    party_header = by_item.get("party")
    party = party_column(
        data[number[party_header]] if party_header else None,
        party_header,
        index,
        path.stem,
        partnership,
        instrument,
        name,
        problems,
        labels=layout.value_labels.get(number[party_header]) if party_header else None,
    )
    columns: dict[str, pd.Series] = {
        "party": party,
        "source_file": pd.Series(name, index=index, dtype=object),
        "source_row": pd.Series(index.to_numpy(dtype="int64"), index=index),
    }
    for kind in IDENTIFIER_KINDS:
        headers = [h for h, k in identifiers.items() if k == kind]
        if headers:
            parts = [data[number[h]].astype(str) for h in headers]
            joined = parts[0].str.cat(parts[1:], sep=" ").str.strip() if parts[1:] else parts[0]
            columns[f"id_{kind}"] = joined.astype(object).mask(_no_identifier(joined, kind), pd.NA)
    columns.update(_times(layout, number, metadata))
    columns["first_copy"] = None  # its place; found once the answers are read, below

    answered: dict[str, pd.Series | pd.api.extensions.ExtensionArray] = {}
    dont_know: dict[str, np.ndarray] = {}
    off_scale: dict[str, pd.Series] = {}
    for item in instrument.items.index:
        if item == "party":
            continue
        header = by_item.get(item)
        if header is None:
            answered[item] = empty_answers(item, instrument, index)
            continue
        answers = item_answers(
            data[number[header]],
            item,
            instrument,
            name=name,
            header=header,
            problems=problems,
            labels=layout.value_labels.get(number[header]),
            missing=layout.missing_values.get(number[header], frozenset()),
        )
        answered[item] = answers.values
        if answers.dont_know is not None and answers.dont_know.any():
            dont_know[item] = answers.dont_know
        if answers.out_of_range is not None:
            off_scale[item] = answers.out_of_range
    columns["dont_know"] = _dont_know(dont_know, index)
    columns["out_of_range"] = _out_of_range(off_scale, index)
    order = _comparison_order(layout, identifiers, metadata)
    copies = first_copies(data, order, _answer_groups(answered, len(index)))
    columns["first_copy"] = pd.Series(copies, index=index)
    columns.update(answered)
    return pd.DataFrame(columns, index=index).reset_index(drop=True)


def _no_identifier(texts: pd.Series, kind: str) -> np.ndarray:
    """Where an identifier column holds none: a placeholder, or an e-mail address without ``@``.

    ``nvt``, ``anoniem`` or ``-`` in thirteen rows of an e-mail column would otherwise make
    thirteen people one. No placeholder holds an ``@``, so an e-mail column needs only that
    test; other columns are compared, lower-cased and without spaces and punctuation, with
    :data:`_PLACEHOLDERS`, by Arrow (a column of a million distinct tokens is common).
    """
    text = pa.array(texts, type=pa.large_string(), from_pandas=True)
    if kind == "email":
        return ~pc.match_substring(text, "@").to_numpy(zero_copy_only=False).astype(bool)
    bare = pc.replace_substring_regex(pc.utf8_lower(text), _PLACEHOLDER_MARKS, "")
    none = pc.is_in(bare, value_set=_PLACEHOLDER_SET)
    return pc.fill_null(none, True).to_numpy(zero_copy_only=False).astype(bool)


def _answer_groups(answered: dict[str, object], rows: int) -> np.ndarray:
    """Rows numbered by a hash of their numeric answers: copies of one row share a number.

    Two copies of a submission have the same answers, so only rows that share a number need
    their raw cells compared (:func:`~pipeline.load.repeats.first_copies`); on a long
    questionnaire that is hardly any. Rows whose hashes meet by chance are told apart there.
    """
    hashed = np.zeros(rows, dtype=np.uint64)
    for values in answered.values():
        array = getattr(values, "array", values)
        if isinstance(array, pd.arrays.IntegerArray):  # the codes, and 256 where missing
            # read from the array's own buffers: its public to_numpy doubles a round's cost
            codes = array._data.astype(np.uint64) + array._mask * np.uint64(256)
            hashed = hashed * _MIX + codes  # modulo 2**64
    return pd.factorize(hashed)[0]


#: The 64-bit FNV prime: a multiplier that spreads the answers over the hash's bits.
_MIX = np.uint64(1099511628211)


def _comparison_order(
    layout: Layout, identifiers: dict[str, str], metadata: dict[str, str]
) -> list[int]:
    """The data columns that make a submission, those that tell people apart first.

    The tool's own number for a row (``id:respondent_id``) differs between two copies of one
    submission; every other cell, answers and unmatched columns included, is the same. A
    person's identifiers and the submission times come first: they settle most rows at once.
    """
    first = ("id:email", "id:token", "id:external_id", "submitted_at", "ended_at", "started_at",
             "submitdate", "duration")  # fmt: skip
    roles = {
        n: f"id:{identifiers[c.header]}" if c.header in identifiers else metadata.get(c.header)
        for n, c in enumerate(layout.columns)
    }
    numbers = [n for n, role in roles.items() if role != "id:respondent_id"]
    return sorted(numbers, key=lambda n: first.index(roles[n]) if roles[n] in first else 99)


def _times(layout: Layout, number: dict[str, int], metadata: dict[str, str]) -> dict:
    """``submitted_at``, ``submitted`` and ``duration_seconds`` from the tool's own columns."""
    data = layout.data
    first: dict[str, pd.Series] = {}
    for header, role in metadata.items():
        first.setdefault(role, data[number[header]])
    parsed: dict[str, pd.Series] = {
        role: parse_timestamps(first[role], layout.month_first)
        for role in ("started_at", "ended_at", "submitted_at", "submitdate")
        if role in first
    }
    ended = parsed.get("ended_at", parsed.get("submitdate"))
    moment = next((r for r in ("submitted_at", "ended_at", "submitdate") if r in parsed), None)
    submitted_at = (
        timestamp_text(parsed[moment], first[moment])
        if moment
        else pd.Series(pd.NA, index=data.index, dtype=object)
    )
    duration = duration_seconds(first.get("duration"), parsed.get("started_at"), ended)
    return {
        "submitted_at": submitted_at,
        "submitted": submitted_flags(
            layout.submitted,
            data.index,
            first.get("finished"),
            first.get("status"),
            first.get("submitdate"),
        ),
        "duration_seconds": (
            pd.Series(pd.NA, index=data.index, dtype="Float64") if duration is None else duration
        ),
    }


def _dont_know(flags: dict[str, np.ndarray], index: pd.Index) -> pd.Series:
    """The ';'-joined items answered "weet niet" per row (instrument order), NA when none."""
    out = np.full(len(index), pd.NA, dtype=object)
    if flags:
        matrix = np.column_stack(list(flags.values()))
        rows, columns = np.nonzero(matrix)  # by row, then in instrument order
        if len(rows):
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            items = pa.array(list(flags), type=pa.large_string()).take(pa.array(columns))
            offsets = pa.array(np.r_[starts, len(rows)], type=pa.int64())
            lists = pa.LargeListArray.from_arrays(offsets, items)
            joined = pc.binary_join(lists, pa.scalar(";", pa.large_string()))
            out[rows[starts]] = joined.to_numpy(zero_copy_only=False)
    return pd.Series(out, index=index, dtype=object)


def _out_of_range(values: dict[str, pd.Series], index: pd.Index) -> pd.Series:
    """The ';'-joined ``item=value`` of numbers off the scale per row, NA when none."""
    out = pd.Series(pd.NA, index=index, dtype=object)
    if not values:
        return out
    joined = pd.Series("", index=index, dtype=object)
    for item, raw in values.items():
        joined = joined + (item + "=" + raw.astype(object) + ";").fillna("")
    return joined.str.rstrip(";").mask(joined == "", pd.NA)
