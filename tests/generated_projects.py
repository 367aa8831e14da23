"""Partnership projects built from a description: an instrument of any valid shape and exports.

For the property tests that run the whole pipeline on instruments other than ours: without a
level, party, friction, open or halen-en-brengen question, with one dimension or a dimension of
two items, with parties of one respondent and more.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl

#: The tables of DESIGN section 5 that every round writes (``changes`` from the second round).
CONTRACT_TABLES = (
    "responses", "quality_log", "scores", "summary", "partnership", "reliability", "tests",
)  # fmt: skip
LEVELS = ("bestuur", "management", "uitvoering")


@dataclass(frozen=True)
class ProjectSpec:
    """What a generated project holds.

    ``dimensions`` gives each dimension's number of items; ``sizes`` each party's respondents
    per round (a party of 0 has no file that round).
    """

    dimensions: tuple[int, ...] = (3, 2)
    reverse_first: bool = True
    level: bool = True
    party_question: bool = False
    frictions: int = 1
    text: bool = True
    brings_gets: bool = True
    outcome: bool = True
    sizes: tuple[tuple[int, ...], ...] = ((6, 5), (6, 4))
    min_group_size: int = 3
    one_language: bool = False
    seed: int = 0


def dimension_codes(spec: ProjectSpec) -> list[str]:
    return [f"D{number + 1}" for number in range(len(spec.dimensions))]


def item_codes(spec: ProjectSpec) -> dict[str, list[str]]:
    """Each dimension's item codes."""
    return {
        code: [f"{code}I{number + 1}" for number in range(count)]
        for code, count in zip(dimension_codes(spec), spec.dimensions, strict=True)
    }


def write_instrument(spec: ProjectSpec, path: Path) -> Path:
    """The instrument of ``spec`` as an XLSForm workbook."""
    labels = ["label"] if spec.one_language else ["label::nl", "label::en"]
    header = ["type", "name", *labels, "dimension", "reverse", "friction", "role"]

    def row(kind, name, text, dimension=None, reverse=None, friction=None, role=None):
        texts = [text] if spec.one_language else [text, f"{text} (en)"]
        return [kind, name, *texts, dimension, reverse, friction, role]

    survey = [header]
    parties = [f"p{number + 1}" for number in range(len(spec.sizes[0]))]
    if spec.party_question:
        survey.append(row("select_one party", "party", "Organisatie"))
    if spec.level:
        survey.append(row("select_one level", "level", "Niveau"))
    for dimension, items in item_codes(spec).items():
        for number, item in enumerate(items):
            reverse = "yes" if spec.reverse_first and number == 0 else None
            role = None
            if spec.brings_gets and dimension == "D1" and number < 2:
                role = ("brings", "gets")[number]
            survey.append(
                row("select_one agree", item, f"Stelling {item}.", dimension, reverse, None, role)
            )
    for number in range(spec.frictions):
        survey.append(
            row("select_one friction", f"F{number + 1}", f"Gebied {number + 1}", None, None,
                f"gebied{number + 1}")
        )  # fmt: skip
    if spec.text:
        survey.append(row("text", "T1", "Waar glanst het?"))

    def choice(list_name, name, text):
        return [list_name, name, text] if spec.one_language else [list_name, name, text, text]

    choices = [["list_name", "name", *labels]]
    choices += [choice("agree", str(value), f"Keuze {value}") for value in range(1, 6)]
    choices.append(choice("agree", "dk", "Weet niet"))
    choices += [choice("friction", str(value), f"Wrijving {value}") for value in range(-2, 3)]
    choices += [choice("party", party, f"Partij {party}") for party in parties]
    choices += [choice("level", level, level.title()) for level in LEVELS]
    dimensions = [["code", *labels, "role"]]
    for number, code in enumerate(dimension_codes(spec)):
        texts = [f"Dimensie {code}"] if spec.one_language else [f"Dimensie {code}", code]
        last = number == len(spec.dimensions) - 1
        dimensions.append([code, *texts, "outcome" if spec.outcome and last else None])
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    sheets = {
        "survey": survey,
        "choices": choices,
        "settings": [["form_id", "version"], ["gegenereerd", "g1"]],
        "dimensions": dimensions,
    }
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for line in rows:
            sheet.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_project(spec: ProjectSpec, root: Path) -> Path:
    """A project folder for ``spec``: partnership.toml, the instrument and the exports."""
    write_instrument(spec, root / "questionnaires" / "instrument.xlsx")
    parties = [f"p{number + 1}" for number in range(len(spec.sizes[0]))]
    rounds = [str(2024 + number) for number in range(len(spec.sizes))]
    toml = [
        "[partnership]",
        'name = "Gegenereerd"',
        'instrument = "questionnaires/instrument.xlsx"',
        'language = "nl"',
        f"min_group_size = {spec.min_group_size}",
        "",
    ]
    for party in parties:
        toml += ["[[parties]]", f'id = "{party}"', f'name = "Partij {party}"', ""]
    for round_id in rounds:
        toml += ["[[rounds]]", f'id = "{round_id}"', ""]
    (root / "partnership.toml").write_text("\n".join(toml), encoding="utf-8")
    rng = np.random.default_rng(spec.seed)
    items = [item for codes in item_codes(spec).values() for item in codes]
    header = ["E-mail", *(["party"] if spec.party_question else [])]
    header += ["level"] if spec.level else []
    header += items + [f"F{n + 1}" for n in range(spec.frictions)] + (["T1"] if spec.text else [])
    for round_id, sizes in zip(rounds, spec.sizes, strict=True):
        folder = root / "data" / "raw" / round_id
        folder.mkdir(parents=True, exist_ok=True)
        files: dict[str, list[list[str]]] = {}
        for party, size in zip(parties, sizes, strict=True):
            lines = files.setdefault("alle" if spec.party_question else party, [])
            for person in range(size):
                cells = [f"persoon{person}@{party}.nl"]
                cells += [party] if spec.party_question else []
                cells += [str(rng.choice(LEVELS))] if spec.level else []
                for _ in items:
                    draw = rng.random()
                    cells.append("" if draw < 0.05 else "dk" if draw < 0.1 else str(
                        int(rng.integers(1, 6))
                    ))  # fmt: skip
                cells += [str(int(rng.integers(-2, 3))) for _ in range(spec.frictions)]
                cells += [f"Antwoord {person}"] if spec.text else []
                lines.append(cells)
        for stem, lines in files.items():
            if lines:
                text = "".join(",".join(line) + "\n" for line in [header, *lines])
                (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    return root
