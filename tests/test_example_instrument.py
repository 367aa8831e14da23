"""Structure of the bundled instrument questionnaires/samenwerking-v1.xlsx (DESIGN.md 2 and 5)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.example_instrument import INSTRUMENT_FILENAME, write_instrument

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "questionnaires" / INSTRUMENT_FILENAME

QUESTION_PREFIXES = ("select_one", "text", "integer")
DIMENSION_CODES = ["AMB", "BEL", "VER", "ROL", "PRO", "HAB", "DRA", "RES"]


def _filled(value: object) -> bool:
    """True for a non-empty cell (not NaN/None, not only whitespace)."""
    if value is None:
        return False
    try:
        if pd.isna(value):
            return False
    except (TypeError, ValueError):
        pass
    return str(value).strip() != ""


@pytest.fixture(scope="module")
def sheets() -> dict[str, pd.DataFrame]:
    return pd.read_excel(COMMITTED, sheet_name=None, engine="calamine")


@pytest.fixture(scope="module")
def survey(sheets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return sheets["survey"]


@pytest.fixture(scope="module")
def choices(sheets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return sheets["choices"]


def _questions(survey: pd.DataFrame) -> pd.DataFrame:
    types = survey["type"].astype("string").fillna("").str.strip()
    is_question = types.map(lambda t: t.split(" ")[0] in QUESTION_PREFIXES).astype(bool)
    return survey[is_question]


def _items(survey: pd.DataFrame) -> pd.DataFrame:
    return survey[survey["dimension"].map(_filled).astype(bool)]


def _row(survey: pd.DataFrame, name: str) -> pd.Series:
    rows = survey[survey["name"] == name]
    assert len(rows) == 1, f"expected exactly one survey row named {name!r}, found {len(rows)}"
    return rows.iloc[0]


def test_sheets_exist(sheets: dict[str, pd.DataFrame]) -> None:
    missing = {"survey", "choices", "settings", "dimensions"} - set(sheets)
    assert not missing, f"missing sheets: {sorted(missing)}"


def test_survey_columns(survey: pd.DataFrame) -> None:
    assert list(survey.columns) == [
        "type",
        "name",
        "label::nl",
        "label::en",
        "required",
        "appearance",
        "dimension",
        "reverse",
        "friction",
        "aliases",
        "role",
    ]


def test_questions_have_both_labels(survey: pd.DataFrame) -> None:
    questions = _questions(survey)
    assert len(questions) > 0
    for language in ("nl", "en"):
        unlabelled = questions.loc[~questions[f"label::{language}"].map(_filled), "name"]
        assert unlabelled.empty, f"questions without label::{language}: {list(unlabelled)}"


def test_choices_have_both_labels(choices: pd.DataFrame) -> None:
    assert len(choices) > 0
    for language in ("nl", "en"):
        unlabelled = choices.loc[~choices[f"label::{language}"].map(_filled)]
        assert unlabelled.empty, f"choices without label::{language}:\n{unlabelled}"


def test_survey_names_unique(survey: pd.DataFrame) -> None:
    names = survey.loc[survey["name"].map(_filled), "name"]
    duplicated = sorted(set(names[names.duplicated()]))
    assert not duplicated, f"duplicate survey names: {duplicated}"
    unnamed = _questions(survey).loc[~_questions(survey)["name"].map(_filled)]
    assert unnamed.empty, f"questions without a name:\n{unnamed}"


def test_choice_names_unique_within_list(choices: pd.DataFrame) -> None:
    duplicated = choices[choices.duplicated(subset=["list_name", "name"], keep=False)]
    assert duplicated.empty, f"duplicate choice names:\n{duplicated}"
    assert choices["name"].map(_filled).all(), "a choice without a name"


def test_select_one_lists_exist(survey: pd.DataFrame, choices: pd.DataFrame) -> None:
    lists = set(choices["list_name"])
    types = survey["type"].astype("string").fillna("")
    referred = {t.split()[1] for t in types if t.startswith("select_one")}
    assert referred, "no select_one questions"
    missing = referred - lists
    assert not missing, f"select_one refers to unknown list(s): {sorted(missing)}"


def test_dimensions_sheet(sheets: dict[str, pd.DataFrame], survey: pd.DataFrame) -> None:
    dimensions = sheets["dimensions"]
    assert list(dimensions["code"]) == DIMENSION_CODES
    for column in ("label::nl", "label::en", "description::nl", "description::en"):
        assert dimensions[column].map(_filled).all(), f"empty {column} in dimensions"
    used = set(_items(survey)["dimension"])
    assert used == set(DIMENSION_CODES), f"survey dimensions {sorted(used)} != dimensions sheet"


def test_each_dimension_has_3_to_6_items(
    sheets: dict[str, pd.DataFrame], survey: pd.DataFrame
) -> None:
    counts = _items(survey)["dimension"].value_counts()
    for code in sheets["dimensions"]["code"]:
        n = int(counts.get(code, 0))
        assert 3 <= n <= 6, f"dimension {code} has {n} items"


def test_items_are_agree_items_coded_by_dimension(survey: pd.DataFrame) -> None:
    items = _items(survey)
    assert (items["type"] == "select_one agree").all()
    for name, code in zip(items["name"], items["dimension"], strict=True):
        assert name.startswith(code) and name[len(code) :].isdigit(), name


def test_reverse_keyed_in_at_least_half_the_dimensions(survey: pd.DataFrame) -> None:
    items = _items(survey)
    reverse = items["reverse"].map(_filled).astype(bool)
    assert set(items.loc[reverse, "reverse"]) <= {"yes"}, "reverse must be 'yes' or empty"
    with_reverse = set(items.loc[reverse, "dimension"])
    all_dimensions = set(items["dimension"])
    assert len(with_reverse) * 2 >= len(all_dimensions), (
        f"reverse-keyed items in only {sorted(with_reverse)}"
    )
    for code in all_dimensions:
        n_items = int((items["dimension"] == code).sum())
        n_reverse = int((reverse & (items["dimension"] == code)).sum())
        assert n_reverse < n_items, f"dimension {code} has only reverse-keyed items"


def _list_names(choices: pd.DataFrame, list_name: str) -> list[str]:
    return list(choices.loc[choices["list_name"] == list_name, "name"])


def test_agree_list(choices: pd.DataFrame) -> None:
    assert _list_names(choices, "agree") == ["1", "2", "3", "4", "5", "dk"]


def test_friction_list(choices: pd.DataFrame) -> None:
    assert _list_names(choices, "friction") == ["-2", "-1", "0", "1", "2", "dk"]


def test_background_lists(choices: pd.DataFrame) -> None:
    assert _list_names(choices, "level") == ["bestuur", "management", "uitvoering"]
    assert _list_names(choices, "party") == [
        "lisse",
        "hillegom",
        "zorgpunt",
        "woonstede",
        "welzijn",
        "clientenraad",
    ]


def test_friction_items(survey: pd.DataFrame) -> None:
    friction = survey[survey["type"] == "select_one friction"]
    expected = {
        "GS_ORG": "organisatie",
        "GS_BES": "besluitvorming",
        "GS_GELD": "geld",
        "GS_VOL": "volwassenheid",
        "GS_TEMPO": "tempo",
    }
    assert dict(zip(friction["name"], friction["friction"], strict=True)) == expected
    assert not friction["dimension"].map(_filled).any(), "a friction item has a dimension"
    coded = survey[survey["friction"].map(_filled).astype(bool)]
    assert (coded["type"] == "select_one friction").all(), "friction code on a non-friction row"


def test_halen_en_brengen_items(survey: pd.DataFrame) -> None:
    hab1 = _row(survey, "HAB1")
    hab2 = _row(survey, "HAB2")
    assert hab1["label::nl"] == (
        "Mijn organisatie brengt veel in de samenwerking in (mensen, geld, kennis)."
    )
    assert hab2["label::nl"] == "Mijn organisatie krijgt veel terug uit de samenwerking."
    assert hab1["dimension"] == "HAB" and hab2["dimension"] == "HAB"


def test_background_questions(survey: pd.DataFrame) -> None:
    for name in ("party", "level", "years"):
        row = _row(survey, name)
        assert row["type"] == f"select_one {name}"
        assert not _filled(row["dimension"]), f"background question {name} has a dimension"
    assert _row(survey, "party")["required"] == "yes"


def test_open_questions(survey: pd.DataFrame) -> None:
    for name in ("GS_GLANS", "GS_SCHUUR"):
        row = _row(survey, name)
        assert row["type"] == "text"
        assert not _filled(row["dimension"]) and not _filled(row["friction"])


def test_groups_balanced(survey: pd.DataFrame) -> None:
    depth = 0
    for kind in survey["type"]:
        depth += {"begin_group": 1, "end_group": -1}.get(kind, 0)
        assert 0 <= depth <= 1, "groups are unbalanced or nested"
    assert depth == 0, "a group is not closed"


def test_settings(sheets: dict[str, pd.DataFrame]) -> None:
    settings = sheets["settings"]
    assert len(settings) == 1
    assert settings.loc[0, "form_id"] == "samenwerking"
    assert settings.loc[0, "version"] == "v1"


def test_write_is_reproducible_and_matches_committed(tmp_path: Path) -> None:
    first = tmp_path / "a" / INSTRUMENT_FILENAME
    second = tmp_path / "b" / INSTRUMENT_FILENAME
    write_instrument(first)
    write_instrument(second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == COMMITTED.read_bytes(), (
        "questionnaires/samenwerking-v1.xlsx is stale; regenerate it with write_instrument"
    )


def test_roles_mark_the_give_and_take_map_and_the_outcome(
    survey: pd.DataFrame, sheets: dict[str, pd.DataFrame]
) -> None:
    roles = survey.dropna(subset=["role"]).set_index("name")["role"].to_dict()
    assert roles == {"HAB1": "brings", "HAB2": "gets"}
    dimensions = sheets["dimensions"].dropna(subset=["role"])
    assert dimensions[["code", "role"]].values.tolist() == [["RES", "outcome"]]
