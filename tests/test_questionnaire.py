"""The instrument workbook: the bundled one, a tiny hand-made one, and every kind of broken one."""

from __future__ import annotations

import math
import os
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.errors import InputError
from pipeline.questionnaire import Instrument, load_instrument

SURVEY_HEADER = ["type", "name", "label::nl", "label::en", "dimension", "reverse", "aliases"]
# Sheet rows 2..7 of a tiny instrument: two dimensions of two items, one background question.
SURVEY = [
    ["begin_group", "g1", "Groep", "Group", None, None, None],
    ["select_one agree", "A1", "Stelling a1", "Statement a1", "AAA", None, "a-een"],
    ["select_one agree", "A2", "Stelling a2", "Statement a2", "AAA", "yes", None],
    ["select_one agree", "B1", "Stelling b1", "Statement b1", "BBB", None, None],
    ["select_one agree", "B2", "Stelling b2", "Statement b2", "BBB", None, None],
    ["select_one level", "level", "Niveau", "Level", None, None, "niveau"],
]
CHOICES = [
    ["agree", 1, "Oneens", "Disagree", None],
    ["agree", 2, "Neutraal", "Neutral", None],
    ["agree", 3, "Eens", "Agree", None],
    ["agree", "dk", "Weet niet", "Don't know", "wn;n.v.t."],
    ["level", "bestuur", "Bestuur", "Board", None],
    ["level", "uitvoering", "Uitvoering", "Operations", None],
]
DIMENSIONS = [["AAA", "Dimensie A", "Dimension A"], ["BBB", "Dimensie B", "Dimension B"]]


def _write(
    path: Path,
    survey: list[list[object]] = SURVEY,
    choices: list[list[object]] = CHOICES,
    dimensions: list[list[object]] | None = DIMENSIONS,
    settings: list[object] | None = ("mini", "v7"),
    labels: tuple[str, ...] = ("label::nl", "label::en"),
) -> Path:
    """The tiny instrument; ``labels`` heads its two label columns in every sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in [["type", "name", *labels, *SURVEY_HEADER[4:]], *survey]:
        sheet.append(list(row))
    sheet = workbook.create_sheet("choices")
    for row in [["list_name", "name", *labels, "aliases"], *choices]:
        sheet.append(list(row))
    if settings is not None:
        sheet = workbook.create_sheet("settings")
        sheet.append(["form_id", "version"])
        sheet.append(list(settings))
    if dimensions is not None:
        sheet = workbook.create_sheet("dimensions")
        for row in [["code", *labels], *dimensions]:
            sheet.append(list(row))
    workbook.save(path)
    return path


def _one_language(rows: list[list[object]], label_at: int) -> list[list[object]]:
    """Rows of a sheet with only the first of their two label cells (at ``label_at``)."""
    return [[*row[: label_at + 1], *row[label_at + 2 :]] for row in rows]


def _problems(path: Path) -> list:
    with pytest.raises(InputError) as caught:
        load_instrument(path)
    for problem in caught.value.problems:
        assert str(path) in str(problem)
        assert problem.hint
    return caught.value.problems


def test_bundled_instrument_has_eight_dimensions(instrument: Instrument) -> None:
    assert list(instrument.dimensions.index) == [
        "AMB",
        "BEL",
        "VER",
        "ROL",
        "PRO",
        "HAB",
        "DRA",
        "RES",
    ]
    assert instrument.languages == ("nl", "en")
    assert instrument.version == "v1"
    assert instrument.form_id == "samenwerking"
    assert len(instrument.sha256) == 64


def test_bundled_instrument_reverse_items(instrument: Instrument) -> None:
    reverse = instrument.items.index[instrument.items["reverse"]].tolist()
    assert reverse == ["AMB4", "BEL4", "VER5", "ROL4", "PRO5", "DRA4"]


def test_bundled_instrument_items_per_dimension(instrument: Instrument) -> None:
    assert instrument.dimension_items("AMB") == ["AMB1", "AMB2", "AMB3", "AMB4"]
    assert instrument.dimension_items("PRO") == [f"PRO{i}" for i in range(1, 7)]
    assert len(instrument.scored_items) == 36
    assert instrument.friction_items == ["GS_ORG", "GS_BES", "GS_GELD", "GS_VOL", "GS_TEMPO"]
    assert instrument.items.at["GS_TEMPO", "friction"] == "tempo"
    assert instrument.items.at["level", "aliases"] == ("niveau",)


def test_bundled_agree_scale_values(instrument: Instrument) -> None:
    choices = instrument.choices
    agree = choices[choices["list_name"] == "agree"].set_index("name")["value"]
    assert list(agree.index) == ["1", "2", "3", "4", "5", "dk"]
    assert agree.loc[["1", "2", "3", "4", "5"]].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert math.isnan(agree.loc["dk"])
    assert instrument.choice_values("agree").to_dict() == {str(i): float(i) for i in range(1, 6)}
    assert instrument.scale_range("AMB1") == (1, 5)


def test_bundled_friction_items_run_from_minus_two_to_two(instrument: Instrument) -> None:
    values = instrument.choice_values(instrument.items.at["GS_ORG", "list_name"])
    assert values.tolist() == [-2.0, -1.0, 0.0, 1.0, 2.0]
    for item in instrument.friction_items:
        assert instrument.scale_range(item) == (-2, 2)


def test_bundled_labels(instrument: Instrument) -> None:
    assert instrument.label("dimensions", "VER", "nl") == "Vertrouwen en openheid"
    assert instrument.label("dimensions", "VER", "en") == "Trust and openness"
    dimensions = instrument.labels("dimensions", "en")
    assert dimensions[list(instrument.dimensions.index).index("VER")] == "Trust and openness"
    for table in ("items", "dimensions"):
        for language in ("nl", "en"):
            keys = getattr(instrument, table).index
            assert instrument.labels(table, language) == [
                instrument.label(table, key, language) for key in keys
            ]


def test_a_label_falls_back_to_the_other_language_then_to_the_code(
    instrument: Instrument,
) -> None:
    items = instrument.items.copy()
    items.loc["AMB1", "label_en"] = pd.NA
    items.loc["AMB2", ["label_nl", "label_en"]] = ["", pd.NA]
    choices = instrument.choices.copy()
    choices.loc[0, ["label_nl", "label_en"]] = [pd.NA, "Only English"]
    choices.loc[1, ["label_nl", "label_en"]] = [pd.NA, pd.NA]
    changed = replace(instrument, items=items, choices=choices)
    labels = dict(zip(items.index, changed.labels("items", "en"), strict=True))
    assert labels["AMB1"] == items.at["AMB1", "label_nl"] and labels["AMB2"] == "AMB2"
    assert changed.label("items", "AMB1", "en") == labels["AMB1"]
    assert changed.labels("choices", "nl")[:2] == ["Only English", str(choices.at[1, "name"])]


def test_derived_is_built_once_per_instrument_and_afresh_for_a_copy(
    instrument: Instrument,
) -> None:
    calls = []

    def count_items(instrument: Instrument) -> int:
        calls.append(instrument)
        return len(instrument.items)

    assert (
        instrument.derived(count_items) == instrument.derived(count_items) == len(instrument.items)
    )
    assert calls == [instrument]
    smaller = instrument.restricted_to(instrument)
    assert smaller.derived(count_items) == len(smaller.items)
    assert len(calls) == 2 and calls[1] is smaller


def test_tiny_instrument_loads(tmp_path: Path) -> None:
    instrument = load_instrument(_write(tmp_path / "i.xlsx"))
    assert list(instrument.items.index) == ["A1", "A2", "B1", "B2", "level"]
    assert instrument.items["reverse"].tolist() == [False, True, False, False, False]
    assert instrument.items.at["A1", "aliases"] == ("a-een",)
    assert instrument.items.at["B1", "label_en"] == "Statement b1"
    assert instrument.scale_range("B2") == (1, 3)
    assert instrument.version == "v7"
    assert instrument.form_id == "mini"
    dk = instrument.choices[instrument.choices["name"] == "dk"].iloc[0]
    assert dk["aliases"] == ("wn", "n.v.t.")
    assert math.isnan(dk["value"])
    assert instrument.choice_values("level").empty


def test_an_empty_version_is_a_problem_and_an_empty_form_id_is_the_file_name(
    tmp_path: Path,
) -> None:
    # an empty cell, which is also the settings sheet's whole column: once read as "<NA>"
    problems = _problems(_write(tmp_path / "i.xlsx", settings=("mini", None)))
    assert [p.message for p in problems] == ["sheet 'settings' has no version"]
    instrument = load_instrument(_write(tmp_path / "mini-v8.xlsx", settings=(None, "v8")))
    assert (instrument.form_id, instrument.version) == ("mini-v8", "v8")


def test_missing_dimensions_sheet(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path / "i.xlsx", dimensions=None))
    assert len(problems) == 1
    assert "has no sheet 'dimensions'" in problems[0].message


def test_two_missing_sheets_give_two_problems(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path / "i.xlsx", dimensions=None, settings=None))
    messages = sorted(p.message for p in problems)
    assert messages == ["has no sheet 'dimensions'", "has no sheet 'settings'"]


def test_select_one_with_missing_list(tmp_path: Path) -> None:
    survey = [list(row) for row in SURVEY]
    survey[3][0] = "select_one agreee"  # B1, sheet row 5
    problems = _problems(_write(tmp_path / "i.xlsx", survey=survey))
    first = problems[0]
    assert "'B1'" in first.message
    assert "'agreee'" in first.message
    assert first.row == 5
    assert "'agreee'" in first.hint


def test_select_one_with_missing_list_is_one_problem(tmp_path: Path) -> None:
    survey = [list(row) for row in SURVEY]
    survey[3][0] = "select_one agreee"
    problems = _problems(_write(tmp_path / "i.xlsx", survey=survey))
    assert len(problems) == 1
    assert "not select_one" not in problems[0].message


def test_unknown_dimension_code(tmp_path: Path) -> None:
    survey = [list(row) for row in SURVEY]
    survey[4][4] = "CCC"  # B2, sheet row 6
    problems = _problems(_write(tmp_path / "i.xlsx", survey=survey))
    assert len(problems) == 1
    assert "'B2'" in problems[0].message
    assert "'CCC'" in problems[0].message
    assert problems[0].row == 6
    assert "dimension" in problems[0].column


def test_duplicate_item_name(tmp_path: Path) -> None:
    survey = [list(row) for row in SURVEY]
    survey[4][1] = "B1"  # sheet row 6 repeats the name of row 5
    problems = _problems(_write(tmp_path / "i.xlsx", survey=survey))
    assert len(problems) == 1
    assert "'B1' appears twice" in problems[0].message
    assert problems[0].row == 6


def test_two_faults_give_two_problems_at_once(tmp_path: Path) -> None:
    survey = [list(row) for row in SURVEY]
    survey[1][4] = "XXX"  # A1, sheet row 3: unknown dimension
    survey[4][1] = "B1"  # sheet row 6: duplicate name
    problems = _problems(_write(tmp_path / "i.xlsx", survey=survey))
    assert sorted(p.row for p in problems) == [3, 6]
    text = str(InputError(problems))
    assert "'XXX'" in text
    assert "'B1' appears twice" in text


def test_scored_item_with_non_numeric_list(tmp_path: Path) -> None:
    survey = [list(row) for row in SURVEY]
    survey[2][0] = "select_one level"  # A2, sheet row 4, scored on a list without numbers
    problems = _problems(_write(tmp_path / "i.xlsx", survey=survey))
    assert len(problems) == 1
    assert "'A2'" in problems[0].message
    assert "fewer than two numeric choices" in problems[0].message
    assert problems[0].row == 4


def test_row_numbers_count_blank_rows(tmp_path: Path) -> None:
    path = _write(tmp_path / "i.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["survey"]
    sheet.insert_rows(3)  # A1 moves to row 4, A2 to 5, B1 to 6, B2 to 7
    sheet.cell(row=7, column=5, value="CCC")  # B2: unknown dimension
    workbook.save(path)
    problems = _problems(path)
    assert [p.row for p in problems] == [7]


def test_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "i.xlsx"
    path.write_bytes(os.urandom(2048))
    problems = _problems(path)
    assert len(problems) == 1
    assert "cannot be read as an Excel workbook" in problems[0].message


def test_missing_file(tmp_path: Path) -> None:
    problems = _problems(tmp_path / "missing.xlsx")
    assert len(problems) == 1
    assert "does not exist" in problems[0].message
    assert "partnership.toml" in problems[0].hint


# --- label columns as XLSForm allows them ----------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_plain_label_column_is_the_partnership_language(tmp_path: Path, language: str) -> None:
    path = _write(
        tmp_path / "i.xlsx",
        survey=_one_language(SURVEY, 2),
        choices=_one_language(CHOICES, 2),
        dimensions=_one_language(DIMENSIONS, 1),
        labels=("label",),
    )
    instrument = load_instrument(path, language=language)
    assert instrument.languages == (language,)
    assert instrument.label("items", "A1", language) == "Stelling a1"
    assert instrument.label("dimensions", "BBB", language) == "Dimensie B"
    assert instrument.labels("choices", language)[:2] == ["Oneens", "Neutraal"]


def test_xlsform_language_names_give_their_code_in_brackets(tmp_path: Path) -> None:
    path = _write(tmp_path / "i.xlsx", labels=("label::Dutch (nl)", "label::English (en)"))
    instrument = load_instrument(path)
    assert instrument.languages == ("nl", "en")
    assert instrument.label("items", "B1", "en") == "Statement b1"
    assert instrument.label("dimensions", "AAA", "nl") == "Dimensie A"
    assert instrument.labels("choices", "en")[:2] == ["Disagree", "Neutral"]


def test_two_label_columns_of_one_language_are_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path / "i.xlsx", labels=("label", "label::Dutch (nl)"))
    problems = _problems(path)
    assert [p.column for p in problems] == [
        "survey: label::dutch (nl)",
        "choices: label::dutch (nl)",
        "dimensions: label::dutch (nl)",
    ]
    assert "two label columns for language 'nl'" in problems[0].message
    assert "label::en" in problems[0].hint


# --- select_multiple ----------------------------------------------------------------------------


def test_select_multiple_is_listed_apart_from_the_items(tmp_path: Path) -> None:
    survey = [*SURVEY, ["select_multiple level", "rollen", "Rollen", "Roles", None, None, "rol"]]
    instrument = load_instrument(_write(tmp_path / "i.xlsx", survey=survey))
    assert "rollen" not in instrument.items.index  # no column in responses, never scored
    assert list(instrument.multiple.index) == ["rollen"]
    multiple = instrument.multiple.loc["rollen"]
    assert (multiple["list_name"], multiple["label_en"], multiple["aliases"]) == (
        "level",
        "Roles",
        ("rol",),
    )
    assert instrument.scored_items == ["A1", "A2", "B1", "B2"]


def test_a_select_multiple_with_a_dimension_friction_or_reverse_is_a_problem(
    tmp_path: Path,
) -> None:
    survey = [[*row, None] for row in SURVEY]  # a friction column after aliases
    survey += [
        ["select_multiple level", "rollen", "Rollen", "Roles", "AAA", None, None, None],  # row 8
        ["select_multiple level", "taken", "Taken", "Tasks", None, "yes", None, "org"],  # row 9
        ["select_multiple agreee", "lijst", "Lijst", "List", None, None, None, None],  # row 10
    ]
    path = _write(tmp_path / "i.xlsx", survey=survey)
    workbook = openpyxl.load_workbook(path)
    workbook["survey"].cell(row=1, column=8, value="friction")
    workbook.save(path)
    problems = _problems(path)
    found = [(p.row, p.column) for p in problems]
    assert found == [
        (8, "survey: dimension"),
        (9, "survey: friction"),
        (9, "survey: reverse"),
        (10, "survey: type"),
    ]
    assert "'rollen' is select_multiple, which is never scored, but has dimension = 'AAA'" in (
        problems[0].message
    )
    assert "'agreee'" in problems[3].message


# --- a scale whose choices are not all numbers ---------------------------------------------


def test_a_word_between_the_numbers_of_a_scale_is_a_problem(tmp_path: Path) -> None:
    choices = [
        ["agree", "nvt", "N.v.t.", "Not applicable", None],  # sheet row 2: "weet niet"-like
        ["agree", 1, "Oneens", "Disagree", None],
        ["agree", "twee", "Neutraal", "Neutral", None],  # row 4: the middle of the scale
        ["agree", "gm", "Geen mening", "No opinion", None],  # "weet niet"-like
        ["agree", 3, "Eens", "Agree", None],
        ["agree", 4, "Helemaal eens", "Strongly agree", None],
        ["agree", "anders", "Anders", "Other", None],  # after the numbers
        ["level", "bestuur", "Bestuur", "Board", None],  # not a scale: never checked
        ["level", "uitvoering", "Uitvoering", "Operations", None],
    ]
    problems = _problems(_write(tmp_path / "i.xlsx", choices=choices))
    assert [(p.row, p.column) for p in problems] == [(4, "choices: name")]
    assert problems[0].message == (
        "choice 'twee' of list 'agree' is not a number, so every answer 'Neutraal' would be "
        "missing (never a score)"
    )
    assert "give it the number of its scale point (2)" in problems[0].hint


def test_reverse_on_an_item_that_is_not_scored_is_a_problem(tmp_path: Path) -> None:
    survey = [list(row) for row in SURVEY]
    survey[5][5] = "yes"  # level, sheet row 7: a background question
    problems = _problems(_write(tmp_path / "i.xlsx", survey=survey))
    assert [(p.row, p.column) for p in problems] == [(7, "survey: reverse")]
    assert "'level' has reverse = yes but no dimension" in problems[0].message
