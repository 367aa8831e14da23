"""The bundled questionnaire "samenwerking-v1", kept as plain Python data and written as XLSForm.

The pipeline reads its instrument from an XLSForm workbook (``questionnaires/samenwerking-v1.xlsx``)
so that an evaluator can adapt it in Excel and any survey tool that speaks XLSForm can field it.
The content lives here, as reviewable text, and :func:`write_instrument` regenerates the
workbook byte for byte, so a change to a statement shows up as a readable diff in this module
and the committed workbook can always be checked against it.

The instrument follows DESIGN.md section 2: eight dimensions of 4 to 6 statements on a
5-point agreement scale (plus *weet niet / n.v.t.*), one reverse-keyed statement in six of
them, the glanzen-en-schuren block (five bipolar ratings from -2 to +2 and two open questions)
and three background questions (party, level, years involved). The sheets and columns are the
contract of DESIGN.md section 5.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import openpyxl
from openpyxl.styles import Font

from pipeline.write import workbook_bytes, write_bytes_atomic

__all__ = ["INSTRUMENT_FILENAME", "build_instrument_workbook", "write_instrument"]

#: File name of the bundled instrument inside a project's ``questionnaires/`` folder.
INSTRUMENT_FILENAME = "samenwerking-v1.xlsx"

_YES = "yes"


class _Item(NamedTuple):
    """One agreement statement of a dimension."""

    nl: str
    en: str
    reverse: bool = False


class _Dimension(NamedTuple):
    """A dimension: its code, labels, one-line descriptions and statements."""

    code: str
    label_nl: str
    label_en: str
    description_nl: str
    description_en: str
    items: tuple[_Item, ...]


class _Friction(NamedTuple):
    """One glanzen-en-schuren area rated from -2 (schuurt sterk) to +2 (glanst sterk)."""

    name: str
    area: str
    nl: str
    en: str


class _Choice(NamedTuple):
    """One answer option of a choice list."""

    name: str
    nl: str
    en: str
    aliases: str | None = None


# --------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------

_INTRO_NL = (
    "Welkom bij deze vragenlijst over de samenwerking in ons partnerschap. Het invullen duurt "
    "ongeveer 10 minuten. Uw antwoorden zijn anoniem: niemand kan zien wat u persoonlijk hebt "
    "geantwoord. Er zijn geen goede of foute antwoorden; het gaat om uw eigen ervaring."
)
_INTRO_EN = (
    "Welcome to this questionnaire about the collaboration in our partnership. It takes about "
    "10 minutes. Your answers are anonymous: nobody can see what you personally answered. "
    "There are no right or wrong answers; it is about your own experience."
)

_DIMENSIONS: tuple[_Dimension, ...] = (
    _Dimension(
        "AMB",
        "Gedeelde ambitie en visie",
        "Shared ambition and vision",
        "Hebben de partners een gezamenlijke ambitie en zitten ze nog op dezelfde koers?",
        "Do the partners share an ambition, and are they still on the same course?",
        (
            _Item(
                "De partners hebben een gezamenlijke ambitie voor de samenwerking.",
                "The partners share a common ambition for the collaboration.",
            ),
            _Item(
                "Het is mij duidelijk wat we samen willen bereiken.",
                "It is clear to me what we want to achieve together.",
            ),
            _Item(
                "We bespreken regelmatig of we nog op dezelfde koers zitten.",
                "We regularly discuss whether we are still on the same course.",
            ),
            _Item(
                "De partners willen met de samenwerking elk iets anders bereiken.",
                "The partners each want to achieve something different with the collaboration.",
                reverse=True,
            ),
        ),
    ),
    _Dimension(
        "BEL",
        "Belangen op tafel",
        "Interests on the table",
        "Kennen de partners hun eigen belangen en die van de ander, en worden ze open benoemd?",
        "Do the partners know their own and each other's interests, and are they named openly?",
        (
            _Item(
                "Mijn organisatie weet goed wat haar eigen belangen in de samenwerking zijn.",
                "My organisation knows well what its own interests in the collaboration are.",
            ),
            _Item(
                "De partners benoemen hun eigen belangen open in het overleg.",
                "The partners name their own interests openly in meetings.",
            ),
            _Item(
                "We vragen na wat de andere partners belangrijk vinden, in plaats van dat aan "
                "te nemen.",
                "We check what the other partners find important, instead of assuming it.",
            ),
            _Item(
                "Lastige belangen van partners blijven onder tafel.",
                "Difficult interests of partners are kept off the table.",
                reverse=True,
            ),
        ),
    ),
    _Dimension(
        "VER",
        "Vertrouwen en openheid",
        "Trust and openness",
        "Werken de partners open en transparant samen op basis van vertrouwen, met een "
        "persoonlijke klik?",
        "Do the partners work together openly and transparently, based on trust, with a "
        "personal connection?",
        (
            _Item(
                "Ik vertrouw erop dat de partners hun afspraken nakomen.",
                "I trust the partners to keep their agreements.",
            ),
            _Item(
                "De partners zijn open en eerlijk naar elkaar.",
                "The partners are open and honest with each other.",
            ),
            _Item(
                "Er is een goede persoonlijke klik tussen de mensen die samenwerken.",
                "There is a good personal connection between the people who work together.",
            ),
            _Item(
                "Ik kan in de samenwerking zeggen wat ik denk, ook als dat lastig is.",
                "In the collaboration I can say what I think, even when that is difficult.",
            ),
            _Item(
                "Partners houden informatie voor zichzelf.",
                "Partners keep information to themselves.",
                reverse=True,
            ),
        ),
    ),
    _Dimension(
        "ROL",
        "Rolduidelijkheid",
        "Clarity of roles",
        "Zijn rollen, bevoegdheden en verantwoordelijkheden helder, en onderweg bespreekbaar?",
        "Are roles, powers and responsibilities clear, and open to discussion along the way?",
        (
            _Item(
                "Het is duidelijk wie in de samenwerking wat doet.",
                "It is clear who does what in the collaboration.",
            ),
            _Item(
                "Het is duidelijk wie waarover mag beslissen.",
                "It is clear who may decide on what.",
            ),
            _Item(
                "We kunnen rollen en verwachtingen onderweg opnieuw bespreken.",
                "We can discuss roles and expectations again along the way.",
            ),
            _Item(
                "Ik weet vaak niet wat er in de samenwerking van mij wordt verwacht.",
                "I often do not know what is expected of me in the collaboration.",
                reverse=True,
            ),
        ),
    ),
    _Dimension(
        "PRO",
        "Proceskwaliteit",
        "Quality of the process",
        "Zijn de aanpak, structuur, werkafspraken, het overleg, de besluitvorming en het tempo "
        "goed?",
        "Are the approach, structure, working agreements, consultation, decision-making and "
        "pace good?",
        (
            _Item(
                "De samenwerking heeft een duidelijke aanpak.",
                "The collaboration has a clear approach.",
            ),
            _Item(
                "De samenwerking is goed georganiseerd.",
                "The collaboration is well organised.",
            ),
            _Item(
                "De werkafspraken tussen de partners zijn helder.",
                "The working agreements between the partners are clear.",
            ),
            _Item(
                "Het overleg tussen de partners is goed geregeld.",
                "Consultation between the partners is well arranged.",
            ),
            _Item(
                "Besluiten in de samenwerking komen moeizaam tot stand.",
                "Decisions in the collaboration are hard to reach.",
                reverse=True,
            ),
            _Item(
                "Het tempo van de samenwerking past bij wat we willen bereiken.",
                "The pace of the collaboration suits what we want to achieve.",
            ),
        ),
    ),
    _Dimension(
        "HAB",
        "Halen en brengen",
        "Give and take",
        "Wat brengt elke partner in en wat krijgt hij terug, en is die balans eerlijk en "
        "zichtbaar?",
        "What does each partner bring in and get back, and is that balance fair and visible?",
        (
            _Item(
                "Mijn organisatie brengt veel in de samenwerking in (mensen, geld, kennis).",
                "My organisation puts a lot into the collaboration (people, money, knowledge).",
            ),
            _Item(
                "Mijn organisatie krijgt veel terug uit de samenwerking.",
                "My organisation gets a lot back from the collaboration.",
            ),
            _Item(
                "Wat mijn organisatie inbrengt en terugkrijgt, is in een eerlijke balans.",
                "What my organisation puts in and gets back is in fair balance.",
            ),
            _Item(
                "Het is duidelijk wat elke partner inbrengt en terugkrijgt.",
                "It is clear what each partner puts in and gets back.",
            ),
        ),
    ),
    _Dimension(
        "DRA",
        "Draagvlak en borging",
        "Support and commitment",
        "Zijn werkvloer, management en bestuur betrokken, en is de samenwerking bestuurlijk "
        "geborgd?",
        "Are the work floor, management and board involved, and is the collaboration "
        "committed to at board level?",
        (
            _Item(
                "De bestuurders van de partners staan achter de samenwerking.",
                "The partners' boards stand behind the collaboration.",
            ),
            _Item(
                "Het management van mijn organisatie geeft ruimte om aan de samenwerking te "
                "werken.",
                "The management of my organisation gives room to work on the collaboration.",
            ),
            _Item(
                "Ideeën van de werkvloer krijgen een plek in de samenwerking.",
                "Ideas from the work floor find a place in the collaboration.",
            ),
            _Item(
                "De samenwerking hangt af van een paar mensen.",
                "The collaboration depends on just a few people.",
                reverse=True,
            ),
        ),
    ),
    _Dimension(
        "RES",
        "Resultaten en effecten",
        "Results and effects",
        "Levert de samenwerking betere dienstverlening, efficiëntie, beheerste risico's en de "
        "afgesproken maatschappelijke doelen op?",
        "Does the collaboration deliver better services, efficiency, managed risks and the "
        "agreed societal goals?",
        (
            _Item(
                "Door de samenwerking krijgen inwoners betere hulp en dienstverlening.",
                "Because of the collaboration, residents get better help and services.",
            ),
            _Item(
                "De samenwerking levert meer op dan zij kost.",
                "The collaboration yields more than it costs.",
            ),
            _Item(
                "Door de samenwerking beheersen we de risico's van ons werk beter.",
                "Because of the collaboration, we manage the risks of our work better.",
            ),
            _Item(
                "De samenwerking haalt de maatschappelijke doelen die we hebben afgesproken.",
                "The collaboration reaches the societal goals we agreed on.",
            ),
            _Item(
                "We kunnen goed laten zien wat de samenwerking oplevert.",
                "We can clearly show what the collaboration delivers.",
            ),
        ),
    ),
)

_GS_LABEL_NL = "Glanzen en schuren"
_GS_LABEL_EN = "Shining and chafing"
_GS_NOTE_NL = (
    "De partners verschillen van elkaar. Hoe werken die verschillen uit in de samenwerking? "
    "Kies -2 als een verschil sterk schuurt, 0 als het niet uitmaakt en +2 als het sterk "
    "glanst: de samenwerking wordt er juist beter van."
)
_GS_NOTE_EN = (
    "The partners differ from each other. How do those differences work out in the "
    "collaboration? Choose -2 if a difference chafes strongly, 0 if it makes no difference and "
    "+2 if it shines strongly: the collaboration actually gets better because of it."
)

_FRICTIONS: tuple[_Friction, ...] = (
    _Friction(
        "GS_ORG",
        "organisatie",
        "Verschillen in organisatie (structuur, werkwijze) tussen de partners",
        "Differences in organisation (structure, way of working) between the partners",
    ),
    _Friction(
        "GS_BES",
        "besluitvorming",
        "Verschillen in besluitvorming (wie beslist, hoe en wanneer) tussen de partners",
        "Differences in decision-making (who decides, how and when) between the partners",
    ),
    _Friction(
        "GS_GELD",
        "geld",
        "Verschillen in geld (budget, financiering) tussen de partners",
        "Differences in money (budget, funding) between the partners",
    ),
    _Friction(
        "GS_VOL",
        "volwassenheid",
        "Verschillen in volwassenheid (ervaring met samenwerken) tussen de partners",
        "Differences in maturity (experience with collaborating) between the partners",
    ),
    _Friction(
        "GS_TEMPO",
        "tempo",
        "Verschillen in tempo (hoe snel partners willen en kunnen) tussen de partners",
        "Differences in pace (how fast partners want to and can move) between the partners",
    ),
)

_OPEN_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "GS_GLANS",
        "Waar glanst de samenwerking? Geef een voorbeeld.",
        "Where does the collaboration shine? Give an example.",
    ),
    (
        "GS_SCHUUR",
        "Waar schuurt de samenwerking? Geef een voorbeeld.",
        "Where does the collaboration chafe? Give an example.",
    ),
)

_DK = _Choice(
    "dk",
    "Weet niet / n.v.t.",
    "Don't know / not applicable",
    "Weet niet;n.v.t.;Not applicable;Don't know",
)

_CHOICE_LISTS: tuple[tuple[str, tuple[_Choice, ...]], ...] = (
    (
        "agree",
        (
            _Choice("1", "Helemaal mee oneens", "Strongly disagree", "Helemaal oneens"),
            _Choice("2", "Mee oneens", "Disagree", "Oneens"),
            _Choice(
                "3",
                "Neutraal",
                "Neutral",
                "Niet mee eens, niet mee oneens;Neither agree nor disagree",
            ),
            _Choice("4", "Mee eens", "Agree", "Eens"),
            _Choice("5", "Helemaal mee eens", "Strongly agree", "Helemaal eens"),
            _DK,
        ),
    ),
    (
        "friction",
        (
            _Choice("-2", "Schuurt sterk", "Chafes strongly"),
            _Choice("-1", "Schuurt", "Chafes"),
            _Choice("0", "Neutraal", "Neutral"),
            _Choice("1", "Glanst", "Shines", "+1"),
            _Choice("2", "Glanst sterk", "Shines strongly", "+2"),
            _DK,
        ),
    ),
    (
        "party",
        (
            _Choice("lisse", "Gemeente Lisse", "Municipality of Lisse", "Lisse"),
            _Choice("hillegom", "Gemeente Hillegom", "Municipality of Hillegom", "Hillegom"),
            _Choice("zorgpunt", "Zorgpunt Bollenstreek", "Zorgpunt Bollenstreek (care provider)"),
            _Choice("woonstede", "Woonstede", "Woonstede (housing corporation)"),
            _Choice(
                "welzijn",
                "Welzijn Duin- en Bollenstreek",
                "Welzijn Duin- en Bollenstreek (social welfare)",
            ),
            _Choice(
                "clientenraad",
                "Cliëntenraad Sociaal Domein",
                "Client council for the social domain",
                "Clientenraad Sociaal Domein",
            ),
        ),
    ),
    (
        "level",
        (
            _Choice("bestuur", "Bestuur of toezicht", "Board or supervision", "Bestuur;Toezicht"),
            _Choice("management", "Management", "Management"),
            _Choice(
                "uitvoering",
                "Uitvoering / professional",
                "Operations / professional",
                "Uitvoering;Professional",
            ),
        ),
    ),
    (
        "years",
        (
            _Choice("y0_1", "Korter dan 1 jaar", "Less than 1 year"),
            _Choice("y1_3", "1 tot 3 jaar", "1 to 3 years"),
            _Choice("y3_5", "3 tot 5 jaar", "3 to 5 years"),
            _Choice("y5plus", "5 jaar of langer", "5 years or more"),
        ),
    ),
)

_SETTINGS: dict[str, str] = {
    "form_title": "Samenwerking in het partnerschap",
    "form_id": "samenwerking",
    "version": "v1",
    "default_language": "nl",
}

# --------------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------------

_SURVEY_COLUMNS: tuple[str, ...] = (
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
)
_CHOICES_COLUMNS: tuple[str, ...] = ("list_name", "name", "label::nl", "label::en", "aliases")
_DIMENSIONS_COLUMNS: tuple[str, ...] = (
    "code",
    "label::nl",
    "label::en",
    "description::nl",
    "description::en",
    "role",
)

#: Column widths (in characters) by header; anything not listed gets the default.
_WIDTHS: dict[str, int] = {
    "type": 20,
    "name": 14,
    "list_name": 12,
    "code": 8,
    "label::nl": 70,
    "label::en": 70,
    "description::nl": 70,
    "description::en": 70,
    "required": 10,
    "appearance": 12,
    "dimension": 11,
    "reverse": 9,
    "friction": 15,
    "aliases": 40,
    "role": 10,
    "form_title": 36,
    "form_id": 16,
    "version": 10,
    "default_language": 20,
}
_DEFAULT_WIDTH = 14

#: The ``role`` column: the two halen-en-brengen statements (what my organisation brings in,
#: what it gets back: the axes of the map) and the outcome dimension that the others are
#: related to in "what matters most".
_ROLES: dict[str, str] = {"HAB1": "brings", "HAB2": "gets", "RES": "outcome"}

_Row = dict[str, str | None]


def _survey_rows() -> list[_Row]:
    """List the rows of the ``survey`` sheet in order, as column -> value (absent is empty)."""
    rows: list[_Row] = [
        {"type": "note", "name": "intro", "label::nl": _INTRO_NL, "label::en": _INTRO_EN}
    ]
    rows += [
        {
            "type": "begin_group",
            "name": "achtergrond",
            "label::nl": "Over u",
            "label::en": "About you",
        },
        {
            "type": "select_one party",
            "name": "party",
            "label::nl": "Voor welke organisatie werkt u?",
            "label::en": "Which organisation do you work for?",
            "required": _YES,
            "aliases": "organisatie;organisation;Organisatie",
        },
        {
            "type": "select_one level",
            "name": "level",
            "label::nl": "Op welk niveau bent u vooral betrokken bij de samenwerking?",
            "label::en": "At which level are you mainly involved in the collaboration?",
            "aliases": "niveau",
        },
        {
            "type": "select_one years",
            "name": "years",
            "label::nl": "Hoe lang bent u al betrokken bij de samenwerking?",
            "label::en": "How long have you been involved in the collaboration?",
            "aliases": "jaren betrokken",
        },
        {"type": "end_group"},
    ]
    for dimension in _DIMENSIONS:
        rows.append(
            {
                "type": "begin_group",
                "name": dimension.code.lower(),
                "label::nl": dimension.label_nl,
                "label::en": dimension.label_en,
                "appearance": "field-list",
            }
        )
        for number, item in enumerate(dimension.items, start=1):
            rows.append(
                {
                    "type": "select_one agree",
                    "name": f"{dimension.code}{number}",
                    "label::nl": item.nl,
                    "label::en": item.en,
                    "dimension": dimension.code,
                    "reverse": _YES if item.reverse else None,
                    "role": _ROLES.get(f"{dimension.code}{number}"),
                }
            )
        rows.append({"type": "end_group"})
    rows += [
        {
            "type": "begin_group",
            "name": "glanzen_schuren",
            "label::nl": _GS_LABEL_NL,
            "label::en": _GS_LABEL_EN,
            "appearance": "field-list",
        },
        {"type": "note", "name": "gs_uitleg", "label::nl": _GS_NOTE_NL, "label::en": _GS_NOTE_EN},
    ]
    rows += [
        {
            "type": "select_one friction",
            "name": friction.name,
            "label::nl": friction.nl,
            "label::en": friction.en,
            "friction": friction.area,
        }
        for friction in _FRICTIONS
    ]
    rows += [
        {"type": "text", "name": name, "label::nl": nl, "label::en": en}
        for name, nl, en in _OPEN_QUESTIONS
    ]
    rows.append({"type": "end_group"})
    return rows


def _choice_rows() -> list[_Row]:
    """List the rows of the ``choices`` sheet, list by list."""
    return [
        {
            "list_name": list_name,
            "name": choice.name,
            "label::nl": choice.nl,
            "label::en": choice.en,
            "aliases": choice.aliases,
        }
        for list_name, choices in _CHOICE_LISTS
        for choice in choices
    ]


def _dimension_rows() -> list[_Row]:
    """List the rows of the ``dimensions`` sheet, in questionnaire order."""
    return [
        {
            "code": dimension.code,
            "label::nl": dimension.label_nl,
            "label::en": dimension.label_en,
            "description::nl": dimension.description_nl,
            "description::en": dimension.description_en,
            "role": _ROLES.get(dimension.code),
        }
        for dimension in _DIMENSIONS
    ]


def _add_sheet(
    workbook: openpyxl.Workbook, title: str, columns: tuple[str, ...], rows: list[_Row]
) -> None:
    """Append a sheet with a bold, frozen header, text-only cells and readable column widths."""
    sheet = workbook.create_sheet(title=title)
    sheet.append(list(columns))
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise ValueError(f"sheet {title!r} has no column(s) {sorted(unknown)}")
        sheet.append([row.get(column) or None for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for data_row in sheet.iter_rows(min_row=2):
        for cell in data_row:
            if cell.value is not None:
                # Names such as "-2" and aliases such as "+1" stay text, never a number or formula.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS.get(column, _DEFAULT_WIDTH)


def build_instrument_workbook() -> openpyxl.Workbook:
    """Build the bundled instrument "samenwerking-v1" as an XLSForm workbook.

    Returns
    -------
    openpyxl.Workbook
        A new workbook with the sheets ``survey``, ``choices``, ``settings`` and
        ``dimensions`` (in that order), each with a bold, frozen header row. Empty cells are
        left empty (``None``), and every filled cell is stored as text.

    """
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    _add_sheet(workbook, "survey", _SURVEY_COLUMNS, _survey_rows())
    _add_sheet(workbook, "choices", _CHOICES_COLUMNS, _choice_rows())
    _add_sheet(workbook, "settings", tuple(_SETTINGS), [dict(_SETTINGS)])
    _add_sheet(workbook, "dimensions", _DIMENSIONS_COLUMNS, _dimension_rows())
    return workbook


def write_instrument(path: Path) -> None:
    """Write the workbook byte-reproducibly.

    Parameters
    ----------
    path : pathlib.Path
        Where to write the ``.xlsx`` file; missing parent folders are created. The file is
        replaced atomically, and the same module content always gives the same bytes.

    """
    write_bytes_atomic(path, workbook_bytes(build_instrument_workbook()))
