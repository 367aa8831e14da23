"""Matching headers to items and roles: codes inside brackets and paths, statements, folding."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.load import IDENTIFIER_KINDS, fold
from pipeline.load.layout import Column
from pipeline.load.match import ItemMatcher, code_variants, generic_role, label_variants
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
