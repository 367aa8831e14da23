"""Matching headers to items and roles: codes inside brackets and paths, statements, folding."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_fixtures import instrument_with_partners
from export_fixtures import partnership as export_partnership

from pipeline.errors import InputError
from pipeline.load import IDENTIFIER_KINDS, LoadedExport, fold, load_export
from pipeline.load.layout import Column
from pipeline.load.match import (
    ItemMatcher,
    Match,
    Strength,
    code_variants,
    generic_role,
    label_variants,
)
from pipeline.questionnaire import Instrument

AMB1_NL = "De partners hebben een gezamenlijke ambitie voor de samenwerking."
AMB1_EN = "The partners share a common ambition for the collaboration."


@pytest.fixture(scope="module")
def matcher(instrument: Instrument) -> ItemMatcher:
    return ItemMatcher(instrument)


def test_fold() -> None:
    assert fold("  „Mee   EENS“?  ") == "mee eens"
    assert fold("Weet niet / n.v.t.") == "weet niet / n.v.t"


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("AMB[AMB1]", "AMB1"),  # LimeSurvey
        ("AMB_AMB1", "AMB1"),  # LimeSurvey, underscore option
        ("amb/AMB1", "AMB1"),  # Kobo group path
        ("groep/sub/AMB1", "AMB1"),
        ("amb-AMB1", "AMB1"),  # ODK Central
        ("AMB[AMB1]. Ambitie [statement]", "AMB1"),  # LimeSurvey code and text
    ],
)
def test_code_variants(header: str, code: str) -> None:
    assert code in code_variants(header)
    assert code_variants(header)[0] in (header, header.split(". ")[0])


def test_a_header_with_spaces_is_no_code() -> None:
    assert code_variants("Op welk niveau") == []


@pytest.mark.parametrize(
    "header",
    [
        f"Ambitie: stellingen - {AMB1_NL}",  # Qualtrics, SurveyMonkey
        f"Ambitie [{AMB1_NL}]",  # LimeSurvey, Google Forms
        f"AMBX. Ambitie [{AMB1_NL}]",  # LimeSurvey code and text
        f"Gedeelde ambitie/{AMB1_NL}",  # Kobo labels with groups
        f"Ambitie-{AMB1_NL}",  # Qualtrics legacy
    ],
)
def test_statement_counts_as_the_label(header: str, matcher: ItemMatcher) -> None:
    assert AMB1_NL in label_variants(header)
    assert matcher.item(Column(header, (header,))) == "AMB1"


@pytest.mark.parametrize(
    ("keys", "item"),
    [
        (("amb1",), "AMB1"),
        (("Q5_1", f"Q - {AMB1_EN}"), "AMB1"),  # English label, statement part
        (("niveau",), "level"),  # alias
        (("Organisatie",), "party"),  # alias
        (("Q7", "Voor welke organisatie werkt u?"), "party"),  # label
        (("Q_RecaptchaScore",), None),
        (("Opmerking intern",), None),
    ],
)
def test_item_matching(keys: tuple[str, ...], item: str | None, matcher: ItemMatcher) -> None:
    assert matcher.item(Column(keys[0], keys)) == item


def test_a_matcher_asked_again_answers_as_a_new_one(matcher: ItemMatcher) -> None:
    # a round's files share their headers: each column's keys are matched once per process
    asked = [("amb1",), ("Q7", "Voor welke organisatie werkt u?"), ("Opmerking intern",)]
    first = [matcher.item(Column(keys[0], keys)) for keys in asked]
    again = [matcher.item(Column("another header", keys)) for keys in reversed(asked)]
    fresh = ItemMatcher(matcher.instrument)
    assert first == [fresh.item(Column(keys[0], keys)) for keys in asked]
    assert first == ["AMB1", "party", None] and again == first[::-1]
    # the same header with its question text is other keys, matched anew
    assert matcher.item(Column("Q7", ("Q7",))) is None


def test_code_wins_over_a_label_of_another_item(matcher: ItemMatcher) -> None:
    # the header's code says AMB2, its text is AMB1's label: the code decides
    column = Column("AMB[AMB2]", ("AMB[AMB2]", f"Ambitie [{AMB1_NL}]"))
    assert matcher.item(column) == "AMB2"


# Every identifier column the issue names, per tool, with the kind cleaning gets.
ISSUE_IDENTIFIERS = {
    "IPAddress": "ip", "RecipientEmail": "email", "RecipientFirstName": "name",
    "RecipientLastName": "name", "ResponseId": "respondent_id",
    "ExternalReference": "external_id", "LocationLatitude": "location",
    "LocationLongitude": "location", "Respondent ID": "respondent_id",
    "IP Address": "ip", "Email Address": "email", "First Name": "name", "Last Name": "name",
    "Custom Data 1": "external_id", "id": "respondent_id", "token": "token", "ipaddr": "ip",
    "refurl": "url", "ID": "respondent_id", "Email": "email", "Name": "name",
    "_id": "respondent_id", "_uuid": "respondent_id", "_submitted_by": "account",
    "deviceid": "device", "KEY": "respondent_id", "instanceID": "respondent_id",
    "meta/instanceID": "respondent_id", "username": "account", "phonenumber": "phone",
    "E-mailadres": "email", "Naam": "name",
}  # fmt: skip


@pytest.mark.parametrize(("header", "kind"), ISSUE_IDENTIFIERS.items())
def test_identifier_columns_of_every_tool(header: str, kind: str) -> None:
    assert generic_role(header) == f"id:{kind}"
    assert kind in IDENTIFIER_KINDS


def test_identifier_kinds_are_folded() -> None:
    for headers in IDENTIFIER_KINDS.values():
        assert all(fold(h) == h for h in headers)


def test_submitted_header_is_recognised(tmp_path: Path) -> None:
    assert generic_role("Ingevuld op") == "submitted_at"
    assert generic_role("Opmerking") is None


# --- how strongly a column matches, and which column an item takes ---------------------------


@pytest.mark.parametrize(
    ("header", "item", "strength"),
    [
        ("AMB1", "AMB1", Strength.CODE),
        ("AMB1. Een stelling", "AMB1", Strength.CODE),  # LimeSurvey code and text
        ("AMB[AMB1]", "AMB1", Strength.BRACKET),
        ("AMB_AMB1", "AMB1", Strength.SUFFIX),
        ("groep/AMB1", "AMB1", Strength.SUFFIX),
        ("amb-AMB1", "AMB1", Strength.SUFFIX),
        ("niveau", "level", Strength.ALIAS),
        (f"Ambitie - {AMB1_NL}", "AMB1", Strength.LABEL),
    ],
)
def test_match_strength(header: str, item: str, strength: Strength, matcher: ItemMatcher) -> None:
    assert matcher.match(Column(header, (header,))) == Match(item, strength)


@pytest.mark.parametrize("header", ["2025_AMB1", "1-AMB1", "12.AMB1", "2025/AMB1"])
def test_a_code_at_the_end_needs_a_name_before_it(header: str, matcher: ItemMatcher) -> None:
    # a group path or a prefix is a name (a letter first, no spaces); a year or a number is not
    assert matcher.item(Column(header, (header,))) is None


def _load_plain(folder: Path, text: str, instrument: Instrument) -> LoadedExport:
    path = folder / "lisse.csv"
    path.write_text(text, encoding="utf-8")
    return load_export(path, instrument, export_partnership(folder, instrument))


def test_a_column_matching_by_code_wins_over_alias_and_label(
    tmp_path: Path, instrument: Instrument
) -> None:
    level = "Op welk niveau bent u vooral betrokken bij de samenwerking?"
    export = _load_plain(
        tmp_path, f"niveau,{level},level,AMB1\nBestuur,Bestuur,uitvoering,4\n", instrument
    )
    assert export.matched == {"level": "level", "AMB1": "AMB1"}  # the code, not the first
    assert export.ignored == ["niveau", level]
    assert export.warnings == [
        f"{tmp_path / 'lisse.csv'}: column 'niveau' matches item 'level' by an alias, but "
        "column 'level' matches it by its code, so 'niveau' is ignored",
        f"{tmp_path / 'lisse.csv'}: column {level!r} matches item 'level' by its label, but "
        f"column 'level' matches it by its code, so {level!r} is ignored",
    ]
    assert export.responses["level"].tolist() == ["uitvoering"]


def test_columns_that_only_end_in_an_items_code_are_no_match(
    tmp_path: Path, instrument: Instrument
) -> None:
    # REGULAR_SODA and DIET_SODA for an item soda: which one is meant is not for us to guess
    export = _load_plain(
        tmp_path,
        "REGULAR_AMB1,DIET_AMB1,X_level,Y_level,niveau,AMB2\n4,2,bestuur,management,Bestuur,5\n",
        instrument,
    )
    assert export.matched == {"niveau": "level", "AMB2": "AMB2"}  # the alias, once no end
    assert export.ignored == ["REGULAR_AMB1", "DIET_AMB1", "X_level", "Y_level"]
    first, second = export.warnings
    assert "columns 'REGULAR_AMB1' and 'DIET_AMB1' each end in the code of item 'AMB1'" in first
    assert "neither is taken for it and both are ignored" in first
    assert first.endswith("(aliases = REGULAR_AMB1)")
    assert "'X_level' and 'Y_level'" in second and second.endswith("(aliases = X_level)")
    assert export.responses["AMB1"].isna().all()
    assert export.responses["level"].tolist() == ["bestuur"]


def test_two_columns_with_one_items_code_in_brackets_stay_a_problem(
    tmp_path: Path, instrument: Instrument
) -> None:
    with pytest.raises(InputError) as caught:
        _load_plain(tmp_path, "AMB[AMB1],X[AMB1],AMB2\n4,2,5\n", instrument)
    (problem,) = caught.value.problems
    assert problem.message == (
        "columns 'AMB[AMB1]' and 'X[AMB1]' both match item 'AMB1' by the code in its brackets"
    )
    assert (problem.row, problem.column) == (1, "X[AMB1]")


# --- select_multiple questions: recognised, never scored -------------------------------------


@pytest.fixture(scope="module")
def partners(tmp_path_factory: pytest.TempPathFactory) -> ItemMatcher:
    return ItemMatcher(instrument_with_partners(tmp_path_factory.mktemp("partners")))


@pytest.mark.parametrize(
    "header",
    [
        "samen/lisse",  # ODK, Kobo
        "achtergrond/samen/zorgpunt",  # Kobo, with its group path
        "samen_lisse",  # SPSS and others
        "samen.clientenraad",
        "samen[woonstede]",  # LimeSurvey
        "samen[lisse]. Met welke partners werkt u vooral samen? [Gemeente Lisse]",
        "Met welke partners werkt u vooral samen? [Gemeente Hillegom]",  # LimeSurvey full text
        "Met welke partners werkt u vooral samen? - Gemeente Lisse",  # Qualtrics, SurveyMonkey
        "Which partners do you mainly work with? - Woonstede",
        "Met welke partners werkt u vooral samen?/Zorgpunt Bollenstreek",  # Kobo labels
        "samen",  # Kobo's column of the chosen names
        "achtergrond-samen",  # ODK Central
    ],
)
def test_the_columns_of_a_select_multiple_question(header: str, partners: ItemMatcher) -> None:
    found = partners.match(Column(header, (header,)))
    assert found is not None and (found.item, found.multiple) == ("samen", True)
    assert partners.item(Column(header, (header,))) is None  # no item, no answer


def test_a_select_multiple_column_needs_a_choice_of_its_list(partners: ItemMatcher) -> None:
    assert partners.match(Column("samen/gemeente_leiden", ("samen/gemeente_leiden",))) is None
    assert partners.match(Column("level", ("level",))) == Match("level", Strength.CODE)


# --- identifier columns of ODK and Kobo --------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("device_id", "device"),
        ("gps-Latitude", "location"),  # ODK Central
        ("groep-gps-Accuracy", "location"),
        ("_gps_latitude", "location"),  # Kobo
        ("groep/_locatie_precision", "location"),
        ("_Waar bent u nu?_longitude", "location"),  # Kobo with labels as headers
    ],
)
def test_device_and_geopoint_columns_are_identifiers(header: str, kind: str) -> None:
    assert generic_role(header) == f"id:{kind}"
