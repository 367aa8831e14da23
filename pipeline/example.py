"""The bundled example partnership: six parties over three rounds, generated deterministically.

``collab-eval example DIR`` writes ``partnership.toml``, the instrument and every raw export;
the repository root holds the same files, committed, and a test checks that regenerating gives
identical bytes. The answers tell a story the report should make visible:

- trust (VER) grows every round, for every party;
- tempo and money chafe for the two smaller parties (welfare organisation, client council):
  low process tempo (PRO6) and negative friction ratings on ``tempo`` and ``geld``;
- at the care provider the board and the work floor disagree: the board is positive about
  ambition and commitment (AMB, DRA), the work floor is not;
- the client council has only four respondents in 2024, under the anonymity threshold.

And the exports contain what real ones do: "weet niet", partial responses, an empty response,
a duplicate submission, names and e-mail addresses, Dutch labels as well as codes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import openpyxl

from pipeline.example_instrument import INSTRUMENT_FILENAME, write_instrument
from pipeline.questionnaire import Instrument, load_instrument
from pipeline.write import workbook_bytes, write_bytes_atomic

__all__ = ["ROUNDS", "SEED", "write_example"]

SEED = 20240901
ROUNDS = ("2024", "2025", "2026")
PARTNERSHIP_NAME = "Samenwerkingsverband Voorbeeldregio"

# id, name, e-mail domain, size per round, export format, header style
_PARTIES = (
    ("lisse", "Gemeente Lisse", "lisse.nl", (38, 41, 40), "csv;", "codes"),
    ("hillegom", "Gemeente Hillegom", "hillegom.nl", (30, 29, 33), "xlsx", "labels"),
    ("zorgpunt", "Zorgpunt Bollenstreek", "zorgpunt.nl", (34, 36, 35), "csv,", "codes"),
    ("woonstede", "Woonstede", "woonstede.nl", (22, 24, 25), "xlsx", "codes"),
    ("welzijn", "Welzijn Duin- en Bollenstreek", "welzijndb.nl", (14, 15, 16), "csv;", "labels"),
    (
        "clientenraad",
        "Cliëntenraad Sociaal Domein",
        "clientenraad-sd.nl",
        (4, 9, 11),
        "xlsx",
        "labels",
    ),
)
_SMALL_PARTIES = ("welzijn", "clientenraad")
_BASE = {
    "AMB": 3.7,
    "BEL": 3.3,
    "VER": 3.2,
    "ROL": 3.1,
    "PRO": 3.0,
    "HAB": 3.4,
    "DRA": 3.5,
    "RES": 3.3,
}
_PARTY_SHIFT = {
    "lisse": 0.15,
    "hillegom": 0.05,
    "zorgpunt": 0.0,
    "woonstede": 0.1,
    "welzijn": -0.25,
    "clientenraad": -0.35,
}
_TRUST_GROWTH = (0.0, 0.45, 0.95)
_LEVELS = ("bestuur", "management", "uitvoering")
_LEVEL_SHARE = (0.15, 0.25, 0.60)
_LEVEL_LABELS = {
    "bestuur": "Bestuur of toezicht",
    "management": "Management",
    "uitvoering": "Uitvoering / professional",
}
_YEARS = ("y0_1", "y1_3", "y3_5", "y5plus")
_YEARS_LABELS = {
    "y0_1": "Korter dan 1 jaar",
    "y1_3": "1 tot 3 jaar",
    "y3_5": "3 tot 5 jaar",
    "y5plus": "5 jaar of langer",
}
_AGREE_LABELS = {
    1: "Helemaal mee oneens",
    2: "Mee oneens",
    3: "Neutraal",
    4: "Mee eens",
    5: "Helemaal mee eens",
}
_FRICTION_LABELS = {
    -2: "Schuurt sterk",
    -1: "Schuurt",
    0: "Neutraal",
    1: "Glanst",
    2: "Glanst sterk",
}
_DONT_KNOW_LABEL = "Weet niet / n.v.t."
_FIRST_NAMES = (
    "Anna",
    "Bram",
    "Chantal",
    "Daan",
    "Eva",
    "Femke",
    "Gijs",
    "Hanneke",
    "Iris",
    "Jeroen",
    "Karin",
    "Lars",
    "Marloes",
    "Niels",
    "Olga",
    "Pieter",
    "Quinten",
    "Roos",
    "Sander",
    "Tessa",
    "Ufuk",
    "Vera",
    "Wouter",
    "Yasmina",
    "Zoë",
)
_LAST_NAMES = (
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "El Amrani",
    "Yilmaz",
    "van Dijk",
    "Koster",
)
_SHINES = (
    "Het overleg tussen de uitvoerders loopt goed; we weten elkaar snel te vinden.",
    "De gezamenlijke aanpak voor kwetsbare inwoners werkt echt.",
    "Er is meer vertrouwen dan vorig jaar, we durven elkaar aan te spreken.",
    "Korte lijnen met de wijkteams.",
)
_CHAFES = (
    "Het tempo van de gemeenten ligt te hoog voor onze kleine organisatie.",
    "Over geld wordt pas gesproken als het te laat is.",
    "Besluiten blijven hangen tussen de bestuurders.",
    "Wij worden te laat betrokken bij nieuwe plannen.",
)


def _items(instrument: Instrument) -> dict[str, list[tuple[str, bool]]]:
    """Item codes per dimension with whether they are reverse-keyed, read from the instrument."""
    return {
        dim: [
            (code, bool(instrument.items.at[code, "reverse"]))
            for code in instrument.dimension_items(dim)
        ]
        for dim in instrument.dimensions.index
    }


def write_example(root: Path) -> list[Path]:
    """Write the example partnership into ``root``.

    Parameters
    ----------
    root
        The project folder; created when missing. Existing files are overwritten.

    Returns
    -------
    list of Path
        Every file written, in the order written.
    """
    rng = np.random.default_rng(SEED)
    written = [root / "partnership.toml", root / "questionnaires" / INSTRUMENT_FILENAME]
    write_bytes_atomic(written[0], _partnership_toml().encode("utf-8"))
    write_instrument(written[1])
    instrument = load_instrument(written[1])
    for round_index, round_id in enumerate(ROUNDS):
        for party in _PARTIES:
            rows = _respondents(rng, instrument, party, round_index, round_id)
            path, data = _export(root / "data" / "raw" / round_id, party, rows)
            write_bytes_atomic(path, data)
            written.append(path)
    return written


def _partnership_toml() -> str:
    lines = [
        "# The bundled example: a fictional partnership, generated by `collab-eval example`.",
        "",
        "[partnership]",
        f'name = "{PARTNERSHIP_NAME}"',
        f'instrument = "questionnaires/{INSTRUMENT_FILENAME}"',
        'language = "nl"',
        "min_group_size = 5",
        "",
        "[bands]",
        "shines = 4.0",
        "chafes = 3.0",
    ]
    for party_id, name, *_ in _PARTIES:
        lines += ["", "[[parties]]", f'id = "{party_id}"', f'name = "{name}"']
    for round_id in ROUNDS:
        lines += ["", "[[rounds]]", f'id = "{round_id}"']
    return "\n".join(lines) + "\n"


def _respondents(
    rng: np.random.Generator, instrument: Instrument, party: tuple, round_index: int, round_id: str
) -> list[dict[str, object]]:
    """The rows of one party's export in one round (answers as numbers, "dk" or None)."""
    party_id, _, domain, sizes, _, _ = party
    size = sizes[round_index]
    items = _items(instrument)
    friction = instrument.items["friction"].dropna()
    rows: list[dict[str, object]] = []
    levels = rng.choice(len(_LEVELS), size=size, p=_LEVEL_SHARE)
    attitude = rng.normal(0.0, 0.55, size=size)
    people = _staff(party_id)
    chosen = rng.choice(len(people), size=size, replace=False)
    for number in range(size):
        level = _LEVELS[levels[number]]
        first, last = people[chosen[number]]
        row: dict[str, object] = {
            "Naam": f"{first} {last}",
            "E-mail": f"{first}.{last.replace(' ', '')}@{domain}".lower().replace("ë", "e"),
            "Ingevuld op": f"{round_id}-10-{1 + (number % 28):02d} "
            f"{8 + number % 10:02d}:{(number * 7) % 60:02d}",
            "level": level,
            "years": _YEARS[rng.integers(len(_YEARS))],
        }
        stop_after = rng.integers(2, len(items)) if rng.random() < 0.06 else None
        for position, dim in enumerate(items):
            mean = (
                _dimension_mean(party_id, dim, round_index, level)
                + attitude[number]
                + rng.normal(0.0, 0.3)
            )
            for code, reverse in items[dim]:
                if stop_after is not None and position >= stop_after:
                    row[code] = None
                    continue
                if rng.random() < 0.04:
                    row[code] = "dk"
                    continue
                value = int(np.clip(np.rint(mean + rng.normal(0.0, 0.5)), 1, 5))
                if code == "PRO6" and party_id in _SMALL_PARTIES:
                    value = int(np.clip(value - 1, 1, 5))
                row[code] = 6 - value if reverse else value
        complete = stop_after is None
        for code, area in friction.items():
            if not complete:
                row[code] = None
                continue
            shift = -1.3 if party_id in _SMALL_PARTIES and area in ("tempo", "geld") else 0.3
            shift += 0.15 * round_index if area == "besluitvorming" else 0.0
            row[code] = (
                "dk"
                if rng.random() < 0.05
                else int(np.clip(np.rint(shift + rng.normal(0.0, 0.8)), -2, 2))
            )
        row["GS_GLANS"] = (
            _SHINES[rng.integers(len(_SHINES))] if complete and rng.random() < 0.3 else None
        )
        row["GS_SCHUUR"] = (
            _CHAFES[rng.integers(len(_CHAFES))] if complete and rng.random() < 0.3 else None
        )
        rows.append(row)
    if party_id == "lisse":
        empty = {key: None for key in rows[0]}
        empty.update(
            {
                "Naam": "Test Gebruiker",
                "E-mail": "test@lisse.nl",
                "Ingevuld op": f"{round_id}-10-02 12:00",
            }
        )
        rows.insert(len(rows) // 2, empty)
    if party_id == "hillegom":
        rows.append(dict(rows[3]))  # the same form sent twice
    if party_id == "woonstede":  # started, answered two statements and the frictions, stopped
        for dim, codes in items.items():
            for code, _ in codes[2 if dim == next(iter(items)) else 0 :]:
                rows[1][code] = None
    return rows


def _staff(party_id: str) -> list[tuple[str, str]]:
    """A party's staff: unique names, the same every round, so that some answer every year."""
    rng = np.random.default_rng([SEED, sum(map(ord, party_id))])
    pairs = [(first, last) for first in _FIRST_NAMES for last in _LAST_NAMES]
    size = int(max(sizes for p in _PARTIES if p[0] == party_id for sizes in p[3]) * 1.5)
    return [pairs[i] for i in rng.choice(len(pairs), size=size, replace=False)]


def _dimension_mean(party_id: str, dim: str, round_index: int, level: str) -> float:
    mean = _BASE[dim] + _PARTY_SHIFT[party_id]
    if dim == "VER":
        mean += _TRUST_GROWTH[round_index]
    if dim == "PRO" and party_id in _SMALL_PARTIES:
        mean -= 0.3
    if party_id == "zorgpunt" and dim in ("AMB", "DRA"):
        mean += {"bestuur": 0.9, "management": 0.2, "uitvoering": -0.8}[level]
    return mean


def _export(folder: Path, party: tuple, rows: list[dict[str, object]]) -> tuple[Path, bytes]:
    """The export file of one party: plain CSV or XLSX with item codes as headers."""
    party_id, _, _, _, file_format, style = party
    header = list(rows[0])
    if style == "labels":
        header = [{"level": "niveau"}.get(h, h) for h in header]
    table = [[_answer(key, row[key], style) for key in rows[0]] for row in rows]
    if file_format == "xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Antwoorden"
        sheet.append(header)
        for values in table:
            sheet.append(values)
        return folder / f"{party_id}.xlsx", workbook_bytes(workbook)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=file_format[-1], lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in values] for values in table)
    encoding = "utf-8-sig" if file_format == "csv;" else "utf-8"
    return folder / f"{party_id}.csv", buffer.getvalue().encode(encoding)


def _answer(key: str, value: object, style: str) -> object:
    """A value as the export writes it: a code, or in the label style the Dutch label."""
    if value is None or style == "codes" or key in ("Naam", "E-mail", "Ingevuld op"):
        return value
    if key == "level":
        return _LEVEL_LABELS[str(value)]
    if key == "years":
        return _YEARS_LABELS[str(value)]
    if value == "dk":
        return _DONT_KNOW_LABEL
    if key.startswith("GS_") and isinstance(value, int):
        return _FRICTION_LABELS[value]
    if isinstance(value, int):
        return _AGREE_LABELS[value]
    return value
