"""Shared by the loader tests: the bundled instrument, a partnership, the fixtures and their twins.

Every tool fixture under ``fixtures/exports/<tool>/`` holds the same four respondents' answers
as the plain twin ``fixtures/exports/plain/answers.csv`` (item codes as headers, choice names
as answers), written the way that tool writes them. Daan (the fourth) did not finish where the
tool records that.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from pipeline.config import Partnership, Party, Round
from pipeline.example_instrument import write_instrument
from pipeline.load import LoadedExport, load_export
from pipeline.questionnaire import Instrument, load_instrument

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
TWIN = FIXTURES / "plain" / "answers.csv"
NUMERIC_TWIN = FIXTURES / "plain" / "numeric.csv"
PARTIES = ("lisse", "hillegom", "zorgpunt", "woonstede", "welzijn", "clientenraad")
PARTY_NAMES = {
    "lisse": "Gemeente Lisse",
    "hillegom": "Gemeente Hillegom",
    "zorgpunt": "Zorgpunt Bollenstreek",
    "woonstede": "Woonstede",
    "welzijn": "Welzijn Duin- en Bollenstreek",
    "clientenraad": "Cliëntenraad Sociaal Domein",
}
# The twin's answers (for the XLSX and SPSS fixtures that tests write): level, years, AMB1-4,
# GS_ORG, GS_TEMPO, GS_GLANS.
ANSWERS = [
    ["bestuur", "y3_5", "4", "dk", "5", "2", "1", "-2", "Korte lijnen, snel geschakeld."],
    ["uitvoering", "y1_3", "1", "3", "2", "dk", "-2", "0", ""],
    ["management", "y5plus", "", "4", "dk", "5", "0", "dk",
     'De cliëntenraad zegt: "eindelijk gehoord"'],
    ["uitvoering", "y0_1", "3", "", "", "", "", "", ""],
]  # fmt: skip
DONT_KNOW = ["AMB2", "AMB4", "AMB3;GS_TEMPO", None]
LABELS_NL = {
    "level": {"bestuur": "Bestuur of toezicht", "management": "Management",
              "uitvoering": "Uitvoering / professional"},
    "years": {"y0_1": "Korter dan 1 jaar", "y1_3": "1 tot 3 jaar", "y3_5": "3 tot 5 jaar",
              "y5plus": "5 jaar of langer"},
    "agree": {"1": "Helemaal mee oneens", "2": "Mee oneens", "3": "Neutraal", "4": "Mee eens",
              "5": "Helemaal mee eens", "dk": "Weet niet / n.v.t.", "": ""},
    "friction": {"-2": "Schuurt sterk", "-1": "Schuurt", "0": "Neutraal", "1": "Glanst",
                 "2": "Glanst sterk", "dk": "Weet niet / n.v.t.", "": ""},
}  # fmt: skip
QUESTION = {
    "level": "Op welk niveau bent u vooral betrokken bij de samenwerking?",
    "years": "Hoe lang bent u al betrokken bij de samenwerking?",
    "AMB1": "De partners hebben een gezamenlijke ambitie voor de samenwerking.",
    "AMB2": "Het is mij duidelijk wat we samen willen bereiken.",
    "AMB3": "We bespreken regelmatig of we nog op dezelfde koers zitten.",
    "AMB4": "De partners willen met de samenwerking elk iets anders bereiken.",
    "GS_ORG": "Verschillen in organisatie (structuur, werkwijze) tussen de partners",
    "GS_TEMPO": "Verschillen in tempo (hoe snel partners willen en kunnen) tussen de partners",
    "GS_GLANS": "Waar glanst de samenwerking? Geef een voorbeeld.",
}
TIMES = [  # start, end (local time) of the four responses
    (dt.datetime(2025, 10, 6, 9, 12, 4), dt.datetime(2025, 10, 6, 9, 21, 37)),
    (dt.datetime(2025, 10, 6, 11, 40, 51), dt.datetime(2025, 10, 6, 11, 47, 2)),
    (dt.datetime(2025, 10, 7, 8, 2, 13), dt.datetime(2025, 10, 7, 8, 15, 59)),
    (dt.datetime(2025, 10, 8, 14, 30, 0), dt.datetime(2025, 10, 8, 14, 32, 10)),
]
SUBMITTED_AT = ["2025-10-06 09:21:37", "2025-10-06 11:47:02", "2025-10-07 08:15:59",
                "2025-10-08 14:32:10"]  # fmt: skip
DURATIONS = [573.0, 371.0, 826.0, 130.0]


def labelled(answers: list[str]) -> list[str]:
    """One respondent's answers as the Dutch labels a tool writes."""
    level, years, *agree, org, tempo, text = answers
    return [
        LABELS_NL["level"][level],
        LABELS_NL["years"][years],
        *(LABELS_NL["agree"][a] for a in agree),
        LABELS_NL["friction"][org],
        LABELS_NL["friction"][tempo],
        text,
    ]


def bundled_instrument(folder: Path) -> Instrument:
    """The bundled instrument, written into ``folder`` and read back."""
    path = folder / "samenwerking-v1.xlsx"
    write_instrument(path)
    return load_instrument(path)


#: The select_multiple question :func:`instrument_with_partners` adds (choices: the parties).
PARTNERS = {"type": "select_multiple party", "name": "samen",
            "label::nl": "Met welke partners werkt u vooral samen?",
            "label::en": "Which partners do you mainly work with?"}  # fmt: skip


def instrument_with_partners(folder: Path) -> Instrument:
    """The bundled instrument with a ``select_multiple`` question after ``years``: ``samen``."""
    path = folder / "samenwerking-partners.xlsx"
    write_instrument(path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["survey"]
    header = [cell.value for cell in sheet[1]]
    after = next(row[0].row for row in sheet.iter_rows(min_row=2) if row[1].value == "years")
    sheet.insert_rows(after + 1)
    for column, value in PARTNERS.items():
        sheet.cell(row=after + 1, column=header.index(column) + 1, value=value)
    workbook.save(path)
    return load_instrument(path)


def partnership(root: Path, instrument: Instrument) -> Partnership:
    """The example's six parties, with one round 2025."""
    return Partnership(
        root=root,
        name="Testverband",
        language="nl",
        min_group_size=5,
        parties=tuple(Party(p, PARTY_NAMES[p]) for p in PARTIES),
        rounds=(Round("2025", instrument.path),),
    )


def run_cli(argv: list[object], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``collab-eval`` with ``argv``: its exit code, stdout and stderr, never a traceback."""
    from pipeline.cli import main

    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def sha256(path: Path) -> str:
    """The file's SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_copy(
    source: Path, folder: Path, instrument: Instrument, party: str = "lisse"
) -> LoadedExport:
    """Load a copy of a fixture named after a party; the fixture and the copy stay unchanged."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{party}{source.suffix}"
    shutil.copy(source, target)
    before = sha256(target)
    export = load_export(target, instrument, partnership(folder, instrument))
    assert sha256(target) == before == sha256(source)
    return export


def compared(export: LoadedExport, instrument: Instrument) -> pd.DataFrame:
    """The columns a twin must equal: party, every item, dont_know."""
    items = [item for item in instrument.items.index if item != "party"]
    return export.responses[["party", *items, "dont_know"]]


def assert_same_as_twin(
    export: LoadedExport, instrument: Instrument, folder: Path, twin: Path = TWIN
) -> None:
    """The export's responses equal the plain twin's: items, values, party, level, dont_know."""
    party = str(export.responses["party"][0])
    reference = load_copy(twin, folder / "twin", instrument, party=party)
    assert reference.tool == "plain"
    pd.testing.assert_frame_equal(compared(export, instrument), compared(reference, instrument))


def write_xlsx(path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    """A workbook whose first sheet holds ``rows`` (None and "" are empty cells)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append([None if value == "" else value for value in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def csv_rows(path: Path, delimiter: str = ",", encoding: str = "utf-8-sig") -> list[list[object]]:
    """A CSV fixture's cells, whole numbers as numbers (as the tool's XLSX export holds them)."""
    with path.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    return [[int(v) if v.lstrip("-").isdigit() and len(v) < 16 else v for v in r] for r in rows]


# --- fixtures that tests write: Microsoft Forms XLSX and SPSS .sav -------------------------------

MSFORMS_HEADER = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
PEOPLE = [
    ("anna.devries@lisse.nl", "Anna de Vries"),
    ("bram.jansen@lisse.nl", "Bram Jansen"),
    ("chantal.bakker@lisse.nl", "Chantal Bakker"),
    ("daan.visser@lisse.nl", "Daan Visser"),
]
MSFORMS_ITEMS = ["level", "years", "AMB1", "AMB2", "AMB3", "AMB4", "GS_ORG", "GS_TEMPO", "GS_GLANS"]


FRICTION_QUESTION = "Hoe werken de verschillen tussen de partners uit?"
LEVEL_CODES = {"bestuur": 1, "management": 2, "uitvoering": 3}
YEARS_CODES = {"y0_1": 1, "y1_3": 2, "y3_5": 3, "y5plus": 4}
FRICTION_CODES = {"-2": 1, "-1": 2, "0": 3, "1": 4, "2": 5}  # SPSS codes 1..5, labelled -2..2


def write_msforms(
    folder: Path, header: list[str] = MSFORMS_HEADER, anonymous: bool = False
) -> Path:
    """Microsoft Forms' "Open in Excel" workbook: real dates, whole-number IDs, labels."""
    rows: list[list[object]] = [[*header, *(QUESTION[item] for item in MSFORMS_ITEMS)]]
    for number, (answers, (start, end)) in enumerate(zip(ANSWERS, TIMES, strict=True)):
        email, name = ("anonymous", "") if anonymous else PEOPLE[number]
        rows.append([number + 1, start, end, email, name, "", *labelled(answers)])
    return write_xlsx(folder / "Samenwerking in het partnerschap(1-4).xlsx", rows, "Form1")


def _code(value: str, codes: dict[str, int] | None = None) -> float:
    if value == "":
        return np.nan
    if value == "dk":
        return 99.0
    return float(codes[value] if codes else int(value))


def write_sav(path: Path) -> Path:
    """A .sav as LimeSurvey's SPSS export writes it: coded answers, labels, 99 user-missing."""
    frame = pd.DataFrame(
        {
            "id": [12.0, 13.0, 14.0, 15.0],
            "token": ["k7Qm2", "p3Xz8", "w9Lr4", "b5Nt1"],
            "submitdate": [*SUBMITTED_AT[:3], ""],
            "startdate": ["2025-10-06 09:12:04", "2025-10-06 11:40:51", "2025-10-07 08:02:13",
                          "2025-10-08 14:30:00"],
            "level": [_code(a[0], LEVEL_CODES) for a in ANSWERS],
            "years": [_code(a[1], YEARS_CODES) for a in ANSWERS],
            **{f"AMB_AMB{n}": [_code(a[1 + n]) for a in ANSWERS] for n in range(1, 5)},
            "GSORG": [_code(a[6], FRICTION_CODES) for a in ANSWERS],
            "GSTEMPO": [_code(a[7], FRICTION_CODES) for a in ANSWERS],
            "GSGLANS": [a[8] for a in ANSWERS],
        }
    )  # fmt: skip
    dont_know = {99.0: LABELS_NL["agree"]["dk"]}
    agree = {float(k): v for k, v in LABELS_NL["agree"].items() if k.isdigit()} | dont_know
    friction = {
        float(code): LABELS_NL["friction"][value] for value, code in FRICTION_CODES.items()
    } | dont_know
    value_labels = {
        "level": {float(c): LABELS_NL["level"][v] for v, c in LEVEL_CODES.items()},
        "years": {float(c): LABELS_NL["years"][v] for v, c in YEARS_CODES.items()},
        **{f"AMB_AMB{n}": agree for n in range(1, 5)},
        "GSORG": friction,
        "GSTEMPO": friction,
    }
    column_labels = {
        "id": "Antwoord ID",
        "submitdate": "Datum verstuurd",
        "level": QUESTION["level"],
        "years": QUESTION["years"],
        **{f"AMB_AMB{n}": f"Ambitie [{QUESTION[f'AMB{n}']}]" for n in range(1, 5)},
        "GSORG": f"{FRICTION_QUESTION} [{QUESTION['GS_ORG']}]",
        "GSTEMPO": f"{FRICTION_QUESTION} [{QUESTION['GS_TEMPO']}]",
        "GSGLANS": QUESTION["GS_GLANS"],
    }
    missing = {name: [99.0] for name in value_labels if name not in ("level", "years")}
    path.parent.mkdir(parents=True, exist_ok=True)
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=column_labels,
        variable_value_labels=value_labels,
        missing_ranges=missing,
    )
    return path


def write_project(
    root: Path, parties: tuple[str, ...] = PARTIES, rounds: tuple[str, ...] = ("2025",)
) -> Path:
    """A partnership project with the bundled instrument and empty round folders."""
    write_instrument(root / "questionnaires" / "samenwerking-v1.xlsx")
    lines = [
        "[partnership]",
        'name = "Testverband"',
        'instrument = "questionnaires/samenwerking-v1.xlsx"',
        "min_group_size = 3",
    ]
    for party in parties:
        lines += ["[[parties]]", f'id = "{party}"', f'name = "{PARTY_NAMES.get(party, party)}"']
    for round_id in rounds:
        lines += ["[[rounds]]", f'id = "{round_id}"']
        (root / "data" / "raw" / round_id).mkdir(parents=True, exist_ok=True)
    (root / "partnership.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its SHA-256."""
    return {
        path.relative_to(folder).as_posix(): sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def values(series: pd.Series) -> list[object]:
    """A column as a list, missing values as None (for comparing with literals)."""
    return [None if pd.isna(value) else value for value in series]
