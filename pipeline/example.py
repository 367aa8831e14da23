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
a duplicate submission, names and e-mail addresses, Dutch labels as well as codes. Each party
exports from its own survey tool, the way that tool writes it (:mod:`pipeline.example_exports`):

=============  =====================  =====================  =====================
party          2024                   2025                   2026
=============  =====================  =====================  =====================
lisse          Qualtrics CSV          Qualtrics CSV          Qualtrics CSV
hillegom       Microsoft Forms XLSX   Microsoft Forms XLSX   Microsoft Forms XLSX
zorgpunt       LimeSurvey CSV         LimeSurvey CSV         SPSS .sav
woonstede      SurveyMonkey XLSX      SurveyMonkey XLSX      SurveyMonkey XLSX
welzijn        Google Forms CSV       gezamenlijk.csv        Google Forms CSV
clientenraad   KoboToolbox XLSX       gezamenlijk.csv        KoboToolbox XLSX
=============  =====================  =====================  =====================

In 2025 the welfare organisation and the client council ran one Google Form together, with
the party question, so their answers share one file, ``gezamenlijk.csv``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.example_exports import WRITERS, ExportContext, Row
from pipeline.example_instrument import INSTRUMENT_FILENAME, write_instrument
from pipeline.questionnaire import Instrument, load_instrument
from pipeline.write import write_bytes_atomic

__all__ = ["ROUNDS", "SEED", "write_example"]

SEED = 20240901
ROUNDS = ("2024", "2025", "2026")
PARTNERSHIP_NAME = "Samenwerkingsverband Voorbeeldregio"

# id, name, e-mail domain, size per round, survey tool per round
_PARTIES = (
    ("lisse", "Gemeente Lisse", "lisse.nl", (38, 41, 40), ("qualtrics",) * 3),
    ("hillegom", "Gemeente Hillegom", "hillegom.nl", (30, 29, 33), ("msforms",) * 3),
    (
        "zorgpunt",
        "Zorgpunt Bollenstreek",
        "zorgpunt.nl",
        (34, 36, 35),
        ("limesurvey", "limesurvey", "spss"),
    ),
    ("woonstede", "Woonstede", "woonstede.nl", (22, 24, 25), ("surveymonkey",) * 3),
    (
        "welzijn",
        "Welzijn Duin- en Bollenstreek",
        "welzijndb.nl",
        (14, 15, 16),
        ("googleforms",) * 3,
    ),
    (
        "clientenraad",
        "Cliëntenraad Sociaal Domein",
        "clientenraad-sd.nl",
        (4, 9, 11),
        ("kobo", "googleforms", "kobo"),
    ),
)
#: Round -> (file stem, parties): parties that answered one questionnaire together, in one file.
SHARED_FILES = {"2025": ("gezamenlijk", ("welzijn", "clientenraad"))}
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
# the care provider's board answers in numbers, so its disagreement with the work floor shows
_CARE_PROVIDER_LEVEL_SHARE = (0.30, 0.20, 0.50)
_YEARS = ("y0_1", "y1_3", "y3_5", "y5plus")
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
        folder = root / "data" / "raw" / round_id
        shared_stem, shared_parties = SHARED_FILES.get(round_id, ("", ()))
        shared_rows: list[Row] = []
        for party in _PARTIES:
            rows = _respondents(rng, instrument, party, round_index, round_id)
            if party[0] in shared_parties:
                shared_rows += [{**row, "party": party[0]} for row in rows]
                if party[0] != shared_parties[-1]:
                    continue
                stem, rows, party_question = shared_stem, shared_rows, True
            else:
                stem, party_question = party[0], False
            context = ExportContext(instrument, round_id, stem, party_question)
            suffix, data = WRITERS[party[4][round_index]](context, rows)
            path = folder / f"{stem}.{suffix}"
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
    party_id, _, domain, sizes, _ = party
    size = sizes[round_index]
    items = _items(instrument)
    friction = instrument.items["friction"].dropna()
    rows: list[dict[str, object]] = []
    shares = _CARE_PROVIDER_LEVEL_SHARE if party_id == "zorgpunt" else _LEVEL_SHARE
    levels = rng.choice(len(_LEVELS), size=size, p=shares)
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
        row["_finished"] = complete  # partial responses: the tools that record it say so
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
                "_finished": True,  # clicked through to the end without answering
            }
        )
        rows.insert(len(rows) // 2, empty)
    if party_id == "hillegom":  # the same form sent twice; the copy arrived later that hour
        rows.append({**rows[3], "Ingevuld op": str(rows[3]["Ingevuld op"])[:-2] + "59"})
    if party_id == "woonstede":  # started, answered two statements and the frictions, stopped
        for dim, codes in items.items():
            for code, _ in codes[2 if dim == next(iter(items)) else 0 :]:
                rows[1][code] = None
        rows[1]["_finished"] = False
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
