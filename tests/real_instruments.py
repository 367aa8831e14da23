"""Small instruments written by hand for the real exports in ``fixtures/real/``.

Each real export is another project's survey, so each gets an instrument of its own that fits a
few of its questions: one or two dimensions of scored items (numeric choice names, the tool's
answer texts as labels) and an open question where the survey has one. The instrument only
matches columns by code, alias or label, as a partnership's own instrument would; every other
column of the export is ignored or recognised as the tool's own.

Every scored or open item of an instrument is a question that counts as answered in cleaning
(``empty_response``); the instruments have no other questions, so "no question answered" means
the same here for the loader and for the tests' own counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

from pipeline.questionnaire import Instrument, load_instrument

__all__ = ["INSTRUMENTS", "RealInstrument", "real_instrument"]

SURVEY_HEADER = (
    "type", "name", "label::nl", "label::en", "dimension", "reverse", "friction", "aliases",
)  # fmt: skip
CHOICES_HEADER = ("list_name", "name", "label::nl", "label::en", "aliases")
DIMENSIONS_HEADER = ("code", "label::nl", "label::en")


@dataclass(frozen=True)
class RealInstrument:
    """An instrument as rows of its sheets.

    ``survey`` rows are ``(type, name, label::nl, label::en, dimension, aliases)`` (``reverse``
    and ``friction`` are empty in all of them), ``choices`` rows ``(list_name, name, label::nl,
    label::en, aliases)``, ``dimensions`` rows ``(code, label::nl, label::en)``.
    """

    form_id: str
    survey: tuple[tuple[str | None, ...], ...]
    choices: tuple[tuple[str | None, ...], ...]
    dimensions: tuple[tuple[str, str, str], ...]

    def write(self, path: Path) -> Path:
        """Write the workbook to ``path`` and return it."""
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        survey = [
            (kind, name, nl, en, dimension, None, None, aliases)
            for kind, name, nl, en, dimension, aliases in self.survey
        ]
        for title, header, rows in (
            ("survey", SURVEY_HEADER, survey),
            ("choices", CHOICES_HEADER, self.choices),
            ("dimensions", DIMENSIONS_HEADER, self.dimensions),
            ("settings", ("form_id", "version"), [(self.form_id, "real-1")]),
        ):
            sheet = workbook.create_sheet(title)
            sheet.append(list(header))
            for row in rows:
                sheet.append(list(row))
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
        return path


def _scale(list_name: str, labels: list[str], first: int = 1) -> tuple[tuple[str, ...], ...]:
    """A choice list numbered from ``first``, the export's answer texts as English labels."""
    return tuple(
        (list_name, str(number), label, label, None)
        for number, label in enumerate(labels, start=first)
    )


def _numbers(list_name: str, low: int, high: int) -> tuple[tuple[str, ...], ...]:
    """A choice list of the whole numbers ``low..high``, labelled with themselves."""
    return tuple((list_name, str(n), str(n), str(n), None) for n in range(low, high + 1))


# --- ropensci/qualtRics: one respondent, a multiple-choice Q1 and a free-text Q2 ------------------

_QUALTRICS_SAMPLE = RealInstrument(
    form_id="qualtrics-sample",
    survey=(
        ("select_one q1", "Q1", "Meerkeuzevraag", "This is a multiple choice question.", "D", None),
        ("text", "Q2", "Open vraag", "This is a free text question.", None, None),
    ),
    choices=_scale("q1", ["One", "Two", "Three"]),
    dimensions=(("D", "Voorbeeld", "Sample"),),
)

# --- limonaid: LimeSurvey's R export, full question texts as headings -----------------------------

#: survey 998192: "Describe yourselves [Openness]" ... (answers 1-5) and the open mood question
_LIMESURVEY_998192 = RealInstrument(
    form_id="limesurvey-998192",
    survey=(
        ("select_one five", "OPEN", "Openheid", "Openness", "PERS", None),
        ("select_one five", "CONSC", "Zorgvuldigheid", "Conscientiousness", "PERS", None),
        ("select_one five", "EXTRA", "Extraversie", "Extraversion", "PERS", None),
        ("text", "MOOD", "Stemming", "Please describe your current mood.", None, None),
    ),
    choices=_numbers("five", 1, 5),
    dimensions=(("PERS", "Persoonlijkheid", "Personality"),),
)

#: survey 100001: the four "intend to use" statements of the first array (answers 1-5); the
#: statement "Alcohol:|absolutely not|absolutely" recurs under another question, so the items
#: are matched by the whole heading (an alias), not by the statement
_INTEND = "Please indicate whether you intend to use any of the following.  "
_LIMESURVEY_100001 = RealInstrument(
    form_id="limesurvey-100001",
    survey=(
        (
            "select_one five",
            "INT_ALC",
            "Alcohol",
            "Intends alcohol",
            "INT",
            f"{_INTEND}[Alcohol:|absolutely not|absolutely]",
        ),
        (
            "select_one five",
            "INT_CAN",
            "Cannabis",
            "Intends cannabis",
            "INT",
            f"{_INTEND}[Cannabis (weed or hashish):|absolutely not|absolutely]",
        ),
        (
            "select_one five",
            "INT_PSY",
            "Psychedelica",
            "Intends psychedelics",
            "INT",
            f"{_INTEND}[Psychedelics (for example magic mushrooms, truffles, LSD, ketamine, "
            "2c-b):|absolutely not|absolutely]",
        ),
    ),
    choices=_numbers("five", 1, 5),
    dimensions=(("INT", "Voornemen", "Intention"),),
)

# --- ruODK: ODK Central's CSV of a Flora Quadrat form (group paths written group-name) ------------

_TERRAIN = ["flat", "mid-slope", "open-depression", "crest", "upper-slope", "lower-slope"]
_ODK_FLORA = RealInstrument(
    form_id="odk-flora-quadrat",
    survey=(
        (
            "select_one terrain",
            "morphological_type",
            "Terreinvorm",
            "Morphological type",
            "HAB",
            None,
        ),
        ("text", "area_name", "Gebied", "Area name", None, None),
    ),
    choices=_scale("terrain", _TERRAIN),
    dimensions=(("HAB", "Habitat", "Habitat"),),
)

# --- jupyter/surveys: the 2016 Jupyter education survey, a Google Forms CSV -----------------------

_GOOGLEFORMS_JUPYTER = RealInstrument(
    form_id="jupyter-education-2016",
    survey=(
        (
            "select_one size",
            "CLASS_SIZE",
            "Aantal studenten",
            "Approximately how many students are in your class?",
            "COURSE",
            None,
        ),
        (
            "select_one experience",
            "EXPERIENCE",
            "Programmeerervaring",
            "What is the minimum "
            "level of programming experience that your students are expected to be at?",
            "COURSE",
            None,
        ),
        (
            "text",
            "PAIN",
            "Pijnpunten",
            "What are the biggest pain points for you in running your class?",
            None,
            None,
        ),
    ),
    choices=(
        *_scale(
            "size",
            [
                "Less than 10",
                "10 - 25",
                "25 - 50",
                "50 - 100",
                "100 - 250",
                "250 - 500",
                "More than 500",
            ],
        ),
        *_scale(
            "experience",
            [
                "Complete novice (no experience)",
                "Novice (~1 semester of experience)",
                "Intermediate (a year of experience)",
                "Advanced (2-3 years of experience)",
            ],
        ),
    ),
    dimensions=(("COURSE", "Cursus", "Course"),),
)

# --- libjohn/qualtrics_manipulate: Qualtrics' student satisfaction template, CSV and SPSS ---------

#: the codes are those of the SPSS export's value labels (1 = the first answer shown)
_HELPFUL = ["Extremely helpful", "Moderately helpful", "Slightly helpful",
            "Neither helpful nor unhelpful", "Slightly unhelpful", "Moderately unhelpful",
            "Extremely unhelpful"]  # fmt: skip
_SATISFIED = ["Very Satisfied", "Satisfied", "Somewhat Satisfied", "Neutral",
              "Somewhat Dissatisfied", "Dissatisfied", "Very Dissatisfied"]  # fmt: skip
_QUALTRICS_SATISFACTION = RealInstrument(
    form_id="student-satisfaction",
    survey=(
        # Q1's question text starts with the survey's introduction and a line break
        (
            "select_one helpful",
            "Q1",
            "Studieadviseur",
            "How helpful or unhelpful is your academic advisor?",
            "SERVICES",
            None,
        ),
        (
            "select_one helpful",
            "Q4",
            "Gezondheidscentrum",
            "How helpful or unhelpful is the staff at the on-campus health center?",
            "SERVICES",
            None,
        ),
        (
            "select_one satisfied",
            "Q13",
            "Tevredenheid",
            "Overall, how satisfied or "
            "dissatisfied are you with your experience at this university?",
            "OVERALL",
            None,
        ),
        (
            "select_one nps",
            "Q15",
            "Aanbevelen",
            "How likely are you to recommend this university to friends or colleagues?",
            "OVERALL",
            None,
        ),
    ),
    choices=(
        *_scale("helpful", _HELPFUL),
        *_scale("satisfied", _SATISFIED),
        *_numbers("nps", 0, 10),
    ),
    dimensions=(
        ("SERVICES", "Voorzieningen", "Services"),
        ("OVERALL", "Algemeen oordeel", "Overall"),
    ),
)

#: The instrument of each real export, by file name.
INSTRUMENTS: dict[str, RealInstrument] = {
    "qualtrics-sample.csv": _QUALTRICS_SAMPLE,
    "qualtrics-legacy-sample.csv": _QUALTRICS_SAMPLE,
    "limesurvey-fulltext-998192.csv": _LIMESURVEY_998192,
    "limesurvey-fulltext-100001.csv": _LIMESURVEY_100001,
    "odk-central-flora-quadrat-04.csv": _ODK_FLORA,
    "odk-central-flora-quadrat-02.csv": _ODK_FLORA,
    "googleforms-jupyter-education-2016.csv": _GOOGLEFORMS_JUPYTER,
    "qualtrics-student-satisfaction-choice-text.csv": _QUALTRICS_SATISFACTION,
    "spss-qualtrics-student-satisfaction.sav": _QUALTRICS_SATISFACTION,
}


def real_instrument(name: str, folder: Path) -> Instrument:
    """The instrument of the real export ``name``, written into ``folder`` and read back."""
    spec = INSTRUMENTS[name]
    return load_instrument(spec.write(folder / f"{spec.form_id}.xlsx"))
