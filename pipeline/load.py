"""Load: raw exports of a round into one table of responses with item codes.

Reads plain CSV (comma, semicolon or tab; UTF-8 with or without BOM, or cp1252) and XLSX
(through python-calamine). Headers map to items by code, alias or label in any of the
instrument's languages; answers map to choices by name, alias or label. Every problem of a file
is collected and raised together, so a user fixes a file in one go. Raw files are only read.

Output columns: ``party, source_file, source_row``, identifier columns ``id_<kind>`` (used by
cleaning to find duplicates and make pseudonyms, never written), ``submitted_at``, then one
column per item in instrument order: numeric choices as nullable ``Int8`` codes ("weet niet"
and other non-numeric choices of a scale are missing), other choices as their name, text as
text.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import Partnership
from pipeline.errors import InputError, Problem
from pipeline.questionnaire import Instrument

__all__ = ["IDENTIFIER_KINDS", "LoadedExport", "fold", "load_export", "load_round"]

#: Headers of identifier columns, folded, by kind. They are used only to find duplicates and
#: make pseudonyms; cleaning drops them before anything is written.
IDENTIFIER_KINDS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "naam",
        "full name",
        "volledige naam",
        "first name",
        "last name",
        "voornaam",
        "achternaam",
        "respondent",
        "respondent name",
    ),
    "email": ("email", "e-mail", "email address", "e-mailadres", "emailadres", "e-mail address"),
    "ip": ("ip", "ip address", "ipaddress", "ip-adres", "ip adres"),
    "token": ("token", "access code", "toegangscode"),
    "respondent_id": ("id", "respondent id", "response id", "responseid", "respondentnummer"),
}
_SUBMITTED_HEADERS = (
    "submitted",
    "submitted at",
    "submitdate",
    "timestamp",
    "tijdstempel",
    "ingevuld op",
    "completion time",
    "end date",
    "enddate",
    "datum",
)
_FIRST_DATA_ROW = 2  # spreadsheet numbering: the header is row 1
_INTEGER_TEXT = re.compile(r"^\s*(-?\d+)(?:[.,]0+)?\s*$")


@dataclass(frozen=True)
class LoadedExport:
    """One export file after loading, with what matched and what was ignored."""

    path: Path
    tool: str
    responses: pd.DataFrame
    matched: dict[str, str]
    identifiers: dict[str, str]
    ignored: list[str]
    warnings: list[str] = field(default_factory=list)


def fold(text: object) -> str:
    """Fold a header or an answer for matching: case, whitespace, quotes, trailing punctuation."""
    value = unicodedata.normalize("NFKC", str(text)).casefold()
    value = re.sub(r"\s+", " ", value).strip()
    value = value.strip("\"'“”‘’„`")
    return value.rstrip(" .:?!*").strip()


def load_round(
    partnership: Partnership, round_id: str, instrument: Instrument
) -> tuple[pd.DataFrame, list[LoadedExport]]:
    """Load every export of a round.

    Parameters
    ----------
    partnership
        The project settings (party ids, paths).
    round_id
        The round, a folder under ``data/raw/``.
    instrument
        The round's instrument.

    Returns
    -------
    tuple
        All responses of the round in one table, sorted by file and row, and the per-file
        results (for ``validate`` and the quality log).

    Raises
    ------
    InputError
        With every problem of every file of the round.
    """
    files = partnership.export_files(round_id)
    folder = partnership.raw_dir(round_id)
    if not files:
        raise InputError.single(
            "the round folder holds no export (.csv, .xlsx)",
            file=folder,
            hint="put one export per party in it, named after the party id, such as lisse.csv",
        )
    problems: list[Problem] = []
    exports: list[LoadedExport] = []
    for path in files:
        try:
            exports.append(
                load_export(path, instrument, partnership, display=partnership.relative(path))
            )
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    responses = pd.concat([export.responses for export in exports], ignore_index=True)
    return responses, exports


def load_export(
    path: Path, instrument: Instrument, partnership: Partnership, display: str | None = None
) -> LoadedExport:
    """Load one export file into responses with item codes.

    Parameters
    ----------
    path
        The export.
    instrument
        The instrument its columns and answers are matched against.
    partnership
        For the party ids and names.
    display
        How the file is named in messages and in ``source_file`` (default: the path).

    Returns
    -------
    LoadedExport
        The responses with what matched, the identifier columns and the ignored columns.

    Raises
    ------
    InputError
        With every problem of the file.
    """
    name = display or str(path)
    table = _read_table(path, name)
    if table.empty:
        raise InputError.single(
            "the file has a header but no responses",
            file=name,
            hint="export the responses again (all of them, not only the questions), "
            "or remove the file if this party had no respondents",
        )
    header = list(table.columns)
    matched, identifiers, submitted, ignored, problems = _match_headers(header, instrument, name)
    if not matched:
        raise InputError(
            [
                Problem(
                    "no column matches an item of the instrument "
                    f"({instrument.path.name}, version {instrument.version})",
                    file=name,
                    row=1,
                    hint="head the columns with the item codes (such as "
                    f"{', '.join(instrument.scored_items[:3])}), their aliases or their labels; "
                    f"first headers found: {', '.join(repr(h) for h in header[:5])}",
                ),
                *problems,
            ]
        )
    party = _party_column(table, matched, path.stem, partnership, instrument, name, problems)
    columns: dict[str, pd.Series] = {
        "party": party,
        "source_file": pd.Series(name, index=table.index, dtype=object),
        "source_row": pd.Series(table.index.to_numpy() + _FIRST_DATA_ROW, index=table.index),
    }
    for kind in IDENTIFIER_KINDS:
        headers = [h for h, k in identifiers.items() if k == kind]
        if headers:
            joined = table[headers[0]].str.cat(table[headers[1:]], sep=" ").str.strip()
            columns[f"id_{kind}"] = joined.replace("", pd.NA)
    columns["submitted_at"] = (
        table[submitted].replace("", pd.NA) if submitted else pd.Series(pd.NA, index=table.index)
    ).astype(object)
    by_item = {item: header for header, item in matched.items()}
    lookups: dict[str, tuple[dict[str, str], list[str]]] = {}
    for item in instrument.items.index:
        if item == "party":
            continue
        if item in by_item:
            columns[item] = _answers(
                table[by_item[item]], item, instrument, name, problems, lookups
            )
        else:
            columns[item] = _empty_item(item, instrument, len(table))
            columns[item].index = table.index
    if problems:
        raise InputError(problems)
    warnings = [f"{name}: column {h!r} matches no item and is ignored" for h in ignored]
    return LoadedExport(
        path=path,
        tool="plain",
        responses=pd.DataFrame(columns).reset_index(drop=True),
        matched=matched,
        identifiers=identifiers,
        ignored=ignored,
        warnings=warnings,
    )


def _read_table(path: Path, name: str) -> pd.DataFrame:
    """Read a CSV or XLSX export as text cells; blank cells are empty strings."""
    if not path.is_file():
        raise InputError.single("the file does not exist", file=name, hint="check the path")
    data = path.read_bytes()
    if not data.strip():
        raise InputError.single(
            "the file is empty",
            file=name,
            hint="export the responses again from the survey tool, or remove the file",
        )
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        table = _read_workbook(path, name)
    elif suffix in (".csv", ".tsv", ".txt"):
        table = _read_csv(data, name)
    else:
        raise InputError.single(
            f"files of type {suffix!r} cannot be read yet",
            file=name,
            hint="export the responses as CSV or XLSX",
        )
    table.columns = _unique_headers([str(c).strip() for c in table.columns])
    table = table.loc[:, [c for c in table.columns if c and not c.startswith("Unnamed: ")]]
    # blank lines are no responses; the index keeps each row's place in the file
    return table[(table.astype(str).apply(lambda c: c.str.strip()) != "").any(axis=1)]


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        count = seen.get(header, 0)
        seen[header] = count + 1
        out.append(header if count == 0 or not header else f"{header} ({count + 1})")
    return out


def _read_csv(data: bytes, name: str) -> pd.DataFrame:
    if b"\x00" in data[:65536]:
        raise InputError.single(
            "holds binary data, not CSV text",
            file=name,
            hint="export the responses as CSV or XLSX again; a renamed .xlsx or .sav is not CSV",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    first_lines = "\n".join(text.splitlines()[:20])
    try:
        delimiter = csv.Sniffer().sniff(first_lines, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: first_lines.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=counts.__getitem__)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            table = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                index_col=False,
            )
        if caught:  # some rows have more fields than the header: fine only if those are empty
            _check_extra_fields(text, delimiter, len(table.columns), name)
        return table
    except (pd.errors.ParserError, csv.Error) as error:
        raise InputError.single(
            f"cannot be read as CSV with separator {delimiter!r}: {error}",
            file=name,
            hint="check the line named: every row needs as many fields as the header",
        ) from None


def _check_extra_fields(text: str, delimiter: str, width: int, name: str) -> None:
    """Raise when a row has a non-empty field beyond the header (a trailing separator is fine)."""
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        extra = [field for field in row[width:] if field.strip()]
        if extra:
            raise InputError.single(
                f"row {number} has more fields than the header ({len(row)} > {width}), "
                f"the first extra one {extra[0]!r}",
                file=name,
                row=number,
                hint="a separator inside an answer needs quotes; or a header is missing",
            )


def _read_workbook(path: Path, name: str) -> pd.DataFrame:
    try:
        raw = pd.read_excel(path, sheet_name=0, engine="calamine", header=None, dtype=object)
    except Exception as error:  # calamine raises several types for corrupt files
        raise InputError.single(
            f"cannot be read as an Excel workbook ({type(error).__name__}: {error})",
            file=name,
            hint="open it in Excel or LibreOffice and save it again as .xlsx, or export it anew",
        ) from None
    if raw.empty:
        raise InputError.single(
            "the workbook's first sheet is empty",
            file=name,
            hint="put the responses on the first sheet, one row per respondent under a header row",
        )
    cells = raw.map(_cell_text)
    header = [str(value) for value in cells.iloc[0]]
    table = cells.iloc[1:].reset_index(drop=True)
    table.columns = header
    return table


def _cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ")
    return str(value)


def _lookup(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Folded key -> value, the first pair winning."""
    out: dict[str, str] = {}
    for key, value in pairs:
        folded = fold(key)
        if folded and folded not in out:
            out[folded] = value
    return out


def _match_headers(
    header: list[str], instrument: Instrument, name: str
) -> tuple[dict[str, str], dict[str, str], str | None, list[str], list[Problem]]:
    """Map headers to items (by code, then alias, then label), identifiers and the date."""
    items = instrument.items
    by_code = _lookup([(code, code) for code in items.index])
    by_alias = _lookup(
        [(alias, code) for code in items.index for alias in items.at[code, "aliases"]]
    )
    by_label = _lookup(
        [
            (items.at[code, f"label_{lang}"], code)
            for lang in instrument.languages
            for code in items.index
            if isinstance(items.at[code, f"label_{lang}"], str)
        ]
    )
    identifier_lookup = {fold(h): kind for kind, hs in IDENTIFIER_KINDS.items() for h in hs}
    matched: dict[str, str] = {}
    identifiers: dict[str, str] = {}
    submitted: str | None = None
    ignored: list[str] = []
    problems: list[Problem] = []
    for column in header:
        key = fold(column)
        item = by_code.get(key) or by_alias.get(key) or by_label.get(key)
        if item is not None:
            if item in matched.values():
                first = next(h for h, i in matched.items() if i == item)
                problems.append(
                    Problem(
                        f"columns {first!r} and {column!r} both match item {item!r}",
                        file=name,
                        row=1,
                        column=column,
                        hint="remove or rename one of the two columns",
                    )
                )
                continue
            matched[column] = item
        elif key in identifier_lookup:
            identifiers[column] = identifier_lookup[key]
        elif key in _SUBMITTED_HEADERS and submitted is None:
            submitted = column
        else:
            ignored.append(column)
    return matched, identifiers, submitted, ignored, problems


def _closest(value: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(value, candidates, n=3, cutoff=0.5)
    if not close:
        close = candidates[:6]
    return ", ".join(repr(c) for c in close)


def _map_column(
    column: pd.Series,
    lookup: dict[str, str],
    shown_choices: list[str],
    name: str,
    header: str,
    problems: list[Problem],
    what: str,
) -> pd.Series:
    """Map raw answers to choice names through ``lookup``; unknown answers become problems."""
    stripped = column.astype(str).str.strip()
    uniques = pd.unique(stripped[stripped != ""])
    mapping: dict[str, object] = {"": pd.NA}
    for raw in uniques:
        integer = _INTEGER_TEXT.match(raw)
        key = fold(integer.group(1)) if integer else fold(raw)
        if key in lookup:
            mapping[raw] = lookup[key]
            continue
        mapping[raw] = pd.NA
        rows = stripped.index[stripped == raw]
        count = len(rows)
        first_row = int(rows[0]) + _FIRST_DATA_ROW
        problems.append(
            Problem(
                f"{what} {raw!r} matches no choice"
                + (f" ({count} rows, the first shown)" if count > 1 else ""),
                file=name,
                row=first_row,
                column=header,
                hint=f"use one of the choices or their labels; closest: "
                f"{_closest(raw, shown_choices)}; or add {raw!r} as an alias of a choice "
                "in the instrument's sheet 'choices'",
            )
        )
    return stripped.map(mapping)


def _choice_lookup(instrument: Instrument, list_name: str) -> tuple[dict[str, str], list[str]]:
    rows = instrument.choices[instrument.choices["list_name"] == list_name]
    pairs: list[tuple[str, str]] = [(n, n) for n in rows["name"]]
    shown = list(rows["name"])
    for lang in instrument.languages:
        labels = rows[f"label_{lang}"]
        pairs += [
            (label, n)
            for label, n in zip(labels, rows["name"], strict=True)
            if isinstance(label, str)
        ]
        shown += [label for label in labels if isinstance(label, str)]
    pairs += [
        (alias, n)
        for aliases, n in zip(rows["aliases"], rows["name"], strict=True)
        for alias in aliases
    ]
    return _lookup(pairs), shown


def _answers(
    column: pd.Series,
    item: str,
    instrument: Instrument,
    name: str,
    problems: list[Problem],
    lookups: dict[str, tuple[dict[str, str], list[str]]],
) -> pd.Series:
    """One item's answers as codes: Int8 for numeric choices, choice names or text otherwise."""
    kind = instrument.items.at[item, "type"]
    if kind == "text":
        return column.astype(str).str.strip().replace("", pd.NA).astype(object)
    if kind in ("integer", "decimal"):
        text = column.astype(str).str.strip().str.replace(",", ".", regex=False)
        numbers = pd.to_numeric(text.replace("", np.nan), errors="coerce")
        bad = numbers.isna() & (text != "")
        for row in bad[bad].index[:5]:
            problems.append(
                Problem(
                    f"{column[row]!r} is not a number",
                    file=name,
                    row=int(row) + _FIRST_DATA_ROW,
                    column=str(column.name),
                    hint="write a number, or leave the cell empty",
                )
            )
        return numbers.astype("Float64")
    list_name = instrument.items.at[item, "list_name"]
    if list_name not in lookups:
        lookups[list_name] = _choice_lookup(instrument, list_name)
    lookup, shown = lookups[list_name]
    values = instrument.choice_values(list_name)
    if not values.empty:  # map answers straight to their numeric value; "weet niet" is missing
        lookup = {key: values.get(choice, pd.NA) for key, choice in lookup.items()}
    mapped = _map_column(column, lookup, shown, name, str(column.name), problems, "answer")
    if values.empty:
        return mapped.astype(object)
    return mapped.astype("Float64").round().astype("Int8")


def _empty_item(item: str, instrument: Instrument, length: int) -> pd.Series:
    kind = instrument.items.at[item, "type"]
    if (
        kind == "select_one"
        and not instrument.choice_values(instrument.items.at[item, "list_name"]).empty
    ):
        return pd.Series(pd.NA, index=range(length), dtype="Int8")
    if kind in ("integer", "decimal"):
        return pd.Series(pd.NA, index=range(length), dtype="Float64")
    return pd.Series(pd.NA, index=range(length), dtype=object)


def _party_column(
    table: pd.DataFrame,
    matched: dict[str, str],
    stem: str,
    partnership: Partnership,
    instrument: Instrument,
    name: str,
    problems: list[Problem],
) -> pd.Series:
    """The party of each row: the party question where the file has one, else the file stem."""
    party_header = next((h for h, item in matched.items() if item == "party"), None)
    ids = partnership.party_ids
    stem_party = stem if stem in ids else None
    if party_header is None:
        if stem_party is None:
            problems.append(
                Problem(
                    f"the file name {stem!r} is no party id in partnership.toml and the file "
                    "has no party question",
                    file=name,
                    hint=f"rename the file to a party id ({', '.join(ids)}) or add the party "
                    "column",
                )
            )
        return pd.Series(stem_party, index=table.index, dtype=object)
    pairs = [(p.id, p.id) for p in partnership.parties] + [
        (p.name, p.id) for p in partnership.parties
    ]
    if "party" in instrument.items.index:
        lookup, _ = _choice_lookup(instrument, instrument.items.at["party", "list_name"])
        pairs += [(key, value) for key, value in lookup.items() if value in ids]
    shown = ids + [p.name for p in partnership.parties]
    party = _map_column(
        table[party_header], _lookup(pairs), shown, name, party_header, problems, "party"
    )
    if stem_party is not None:
        party = party.fillna(stem_party)
    return party.astype(object)
