"""A tiny instrument written by hand for the stage tests: two dimensions of three items.

X1 and X2 are the give-and-take pair (roles brings, gets); D2 is the outcome dimension.

D1: X1, X2, X3 (X3 reverse-keyed); D2: Y1, Y2, Y3; a friction item F1 (-2..2); party, level;
an open question T1. Scale 1..5 plus ``dk`` (weet niet), which is missing.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

SURVEY = [
    (
        "type",
        "name",
        "label::nl",
        "label::en",
        "dimension",
        "reverse",
        "friction",
        "aliases",
        "role",
    ),
    ("select_one party", "party", "Organisatie", "Organisation", None, None, None, "organisatie"),
    ("select_one level", "level", "Niveau", "Level", None, None, None, "niveau"),
    ("begin_group", "d1", "Eerste", "First", None, None, None, None),
    (
        "select_one agree",
        "X1",
        "Wij brengen veel in.",
        "We bring a lot.",
        "D1",
        None,
        None,
        None,
        "brings",
    ),
    (
        "select_one agree",
        "X2",
        "Wij krijgen veel terug.",
        "We get a lot back.",
        "D1",
        None,
        None,
        "x-two",
        "gets",
    ),
    (
        "select_one agree",
        "X3",
        "Wij willen elk iets anders.",
        "We each want something else.",
        "D1",
        "yes",
        None,
        None,
    ),
    ("end_group", None, None, None, None, None, None, None),
    (
        "select_one agree",
        "Y1",
        "Ik vertrouw de partners.",
        "I trust the partners.",
        "D2",
        None,
        None,
        None,
    ),
    ("select_one agree", "Y2", "Partners zijn open.", "Partners are open.", "D2", None, None, None),
    (
        "select_one agree",
        "Y3",
        "Afspraken worden nagekomen.",
        "Agreements are kept.",
        "D2",
        None,
        None,
        None,
    ),
    ("select_one friction", "F1", "Tempo", "Pace", None, None, "tempo", None),
    ("text", "T1", "Waar schuurt het?", "Where does it chafe?", None, None, None, None),
]
CHOICES = [
    ("list_name", "name", "label::nl", "label::en", "aliases"),
    ("agree", "1", "Helemaal mee oneens", "Strongly disagree", None),
    ("agree", "2", "Mee oneens", "Disagree", None),
    ("agree", "3", "Neutraal", "Neutral", None),
    ("agree", "4", "Mee eens", "Agree", "eens"),
    ("agree", "5", "Helemaal mee eens", "Strongly agree", None),
    ("agree", "dk", "Weet niet / n.v.t.", "Don't know", "weet niet"),
    ("friction", "-2", "Schuurt sterk", "Chafes strongly", None),
    ("friction", "-1", "Schuurt", "Chafes", None),
    ("friction", "0", "Neutraal", "Neutral", None),
    ("friction", "1", "Glanst", "Shines", None),
    ("friction", "2", "Glanst sterk", "Shines strongly", None),
    ("friction", "dk", "Weet niet / n.v.t.", "Don't know", None),
    ("party", "a", "Partij A", "Party A", None),
    ("party", "b", "Partij B", "Party B", None),
    ("level", "bestuur", "Bestuur of toezicht", "Board", None),
    ("level", "management", "Management", "Management", None),
    ("level", "uitvoering", "Uitvoering / professional", "Operations", None),
]
DIMENSIONS = [
    ("code", "label::nl", "label::en", "role"),
    ("D1", "Doelen", "Goals", None),
    ("D2", "Resultaten", "Results", "outcome"),
]
SETTINGS = [("form_id", "version"), ("klein", "t1")]


def write_small_instrument(path: Path, drop: tuple[str, ...] = ()) -> Path:
    """Write the tiny instrument to ``path`` (without the items in ``drop``) and return it."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in (
        ("survey", SURVEY),
        ("choices", CHOICES),
        ("settings", SETTINGS),
        ("dimensions", DIMENSIONS),
    ):
        sheet = workbook.create_sheet(title)
        for row in rows:
            if title != "survey" or row[1] not in drop:
                sheet.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
