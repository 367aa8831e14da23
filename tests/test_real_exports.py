"""Real exports that survey tools made for other public projects, loaded and cleaned.

The files in ``fixtures/real/`` are byte for byte as their projects published them
(``fixtures/real/README.md`` says where each comes from and under which licence). Each is loaded
with a small instrument of its own (:mod:`real_instruments`) under a partnership whose single
party is the file's stem, so every response has a party.

The respondents that cleaning must keep are counted by hand: each case has the number as a
literal, with how it was counted, and :func:`hand_count` recounts it from the raw file with the
csv module (pyreadstat for the .sav), independently of the pipeline, by the rule of issue 26:

- a response is a duplicate only when it is the same submission: identical in every column of
  the raw row except the tool's own response id, or the same person identifier (e-mail, token,
  external reference) again; identical answers of different submissions are different people;
- a tool's response id never identifies a person, and placeholders (anonymous, anoniem, nvt,
  n.v.t., geen, onbekend, -, empty) are no identifier;
- a response with no question of the instrument answered, or that the tool marks as not
  submitted or not finished, is no respondent.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyreadstat
import pytest
from real_instruments import INSTRUMENTS, real_instrument

from pipeline.clean import clean_responses
from pipeline.config import Partnership, Party
from pipeline.load import LoadedExport, load_export
from pipeline.questionnaire import Instrument

REAL = Path(__file__).parent / "fixtures" / "real"
#: Placeholders that identify no one (issue 26), compared casefolded and stripped.
PLACEHOLDERS = {"", "anonymous", "anoniem", "nvt", "n.v.t.", "geen", "onbekend", "-"}
#: Qualtrics' response types that are no responses: previews and generated test responses.
QUALTRICS_NO_RESPONSE = {"survey preview", "survey test", "1", "2"}

Cell = Callable[[str], str]


@dataclass(frozen=True)
class Raw:
    """A raw export as text cells: the header that names its columns and the response rows."""

    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True, repr=False)
class Case:
    """One real export and what loading and cleaning it must give."""

    name: str
    tool: str
    rows: int  #: responses in the file (counted by hand, see each case)
    identifiers: dict[str, str]  #: identifier column -> kind
    kept: int  #: respondents cleaning keeps (counted by hand, see each case)
    read: Callable[[Path], Raw]  #: the raw file's cells, read without the pipeline
    answered: tuple[str, ...]  #: the raw headers of the instrument's questions
    submitted: Callable[[Cell], bool] = lambda cell: True
    response_id: tuple[str, ...] = ()  #: the tool's own response id columns
    person_id: tuple[str, ...] = ()  #: e-mail, token, external reference columns

    def __repr__(self) -> str:
        return self.name


def csv_export(header_row: int, first_row: int, encoding: str = "utf-8-sig") -> Callable:
    """A reader of a CSV export whose names are on ``header_row`` and responses from ``first_row``.

    Blank lines (LimeSurvey ends its CSV with one) are no responses; rows shorter than the
    header (ODK Central leaves out an empty last cell) are padded with empty cells.
    """

    def read(path: Path) -> Raw:
        with path.open(encoding=encoding, newline="") as handle:
            lines = list(csv.reader(handle))
        header = lines[header_row]
        rows = [row + [""] * (len(header) - len(row)) for row in lines[first_row:] if row]
        return Raw(header, rows)

    return read


def sav_export(path: Path) -> Raw:
    """A .sav's variables and cases as text; a labelled Status as its value label."""
    frame, meta = pyreadstat.read_sav(str(path), user_missing=True)

    def text(value: object, variable: str) -> str:
        if value is None or value != value:  # missing (NaN)
            return ""
        labels = meta.variable_value_labels.get(variable, {})
        if variable == "Status" and value in labels:
            return str(labels[value])
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    header = list(frame.columns)
    rows = [
        [text(v, c) for v, c in zip(row, header, strict=True)] for row in frame.itertuples(False)
    ]
    return Raw(header, rows)


def hand_count(case: Case) -> int:
    """The respondents of ``case``'s raw file by the rule of issue 26 (module docstring)."""
    raw = case.read(REAL / case.name)
    first = {}
    for place, name in enumerate(raw.header):
        first.setdefault(name, place)

    def cells(row: list[str]) -> Cell:
        return lambda name: row[first[name]].strip()

    candidates = [
        row
        for row in raw.rows
        if any(cells(row)(name) for name in case.answered) and case.submitted(cells(row))
    ]
    # the same submission: every column equal but the response id
    skip = {place for place, name in enumerate(raw.header) if name in case.response_id}
    submissions = {
        tuple(c for place, c in enumerate(row) if place not in skip): row for row in candidates
    }
    # the same person answering again counts once; placeholders identify no one
    people, unidentified = set(), 0
    for row in submissions.values():
        ids = [cells(row)(name).casefold() for name in case.person_id]
        person = next((i for i in ids if i not in PLACEHOLDERS), None)
        if person is None:
            unidentified += 1
        else:
            people.add(person)
    return len(people) + unidentified


def qualtrics_submitted(cell: Cell) -> bool:
    """Finished, and not a preview or a generated test response."""
    return cell("Finished").casefold() in {"1", "true"} and (
        cell("Status").casefold() not in QUALTRICS_NO_RESPONSE
    )


QUALTRICS_IDENTIFIERS = {
    "IPAddress": "ip",
    "ResponseId": "respondent_id",
    "RecipientLastName": "name",
    "RecipientFirstName": "name",
    "RecipientEmail": "email",
    "ExternalReference": "external_id",
    "LocationLatitude": "location",
    "LocationLongitude": "location",
}
ODK_POINTS = ("location-corner1", "perimeter-corner2", "perimeter-corner3", "perimeter-corner4")
ODK_IDENTIFIERS = {
    "meta-instanceID": "respondent_id",
    "KEY": "respondent_id",
    "SubmitterID": "account",
    "SubmitterName": "account",
    "device_id": "device",  # the form's deviceid field, named device_id
    # each geopoint's parts, as ODK Central splits them: where the quadrat was surveyed
    **{
        f"{point}-{part}": "location"
        for point in ODK_POINTS
        for part in ("Latitude", "Longitude", "Altitude", "Accuracy")
    },
}
LIMESURVEY_998192 = (
    "Describe yourselves [Openness]",
    "Describe yourselves [Conscientiousness]",
    "Describe yourselves [Extraversion]",
    "Please\xa0 describe your current mood.",
)
INTEND = "Please indicate whether you intend to use any of the following.  "
LIMESURVEY_100001 = (
    f"{INTEND}[Alcohol:|absolutely not|absolutely]",
    f"{INTEND}[Cannabis (weed or hashish):|absolutely not|absolutely]",
    f"{INTEND}[Psychedelics (for example magic mushrooms, truffles, LSD, ketamine, 2c-b):"
    "|absolutely not|absolutely]",
)
SATISFACTION = ("Q1", "Q4", "Q13", "Q15")

CASES = [
    Case(
        "qualtrics-sample.csv",
        tool="qualtrics",
        rows=1,  # line 4, after the three header lines
        identifiers=QUALTRICS_IDENTIFIERS,
        kept=1,  # the one response: Finished 1, Status 0 (IP Address), Q1 = 2
        read=csv_export(0, 3),
        answered=("Q1", "Q2"),
        submitted=qualtrics_submitted,
        response_id=("ResponseId",),
        person_id=("RecipientEmail", "ExternalReference"),
    ),
    Case(
        "qualtrics-legacy-sample.csv",
        tool="qualtrics-legacy",
        rows=1,  # line 3, after V1..V10 and the names
        identifiers={
            "ResponseID": "respondent_id",
            "Name": "name",
            "ExternalDataReference": "external_id",
            "EmailAddress": "email",
            "IPAddress": "ip",
            "LocationLatitude": "location",
            "LocationLongitude": "location",
            "LocationAccuracy": "location",
        },
        kept=1,  # the same response as qualtrics-sample.csv: Finished 1, Status 0
        read=csv_export(1, 2),
        answered=("This is a multiple choice question.", "This is a free text question."),
        submitted=qualtrics_submitted,
        response_id=("ResponseID",),
        person_id=("EmailAddress", "ExternalDataReference"),
    ),
    Case(
        "limesurvey-fulltext-998192.csv",
        tool="limesurvey",
        rows=7,  # Response IDs 1, 4, 5, 6, 7, 8, 9 (then LimeSurvey's empty last line)
        identifiers={"Response ID": "respondent_id"},
        # only 1 and 9 have a "Date submitted"; 1 answered no Openness, Conscientiousness,
        # Extraversion or mood (its answers are on the last page), so only 9 is a respondent
        kept=1,
        read=csv_export(0, 1),
        answered=LIMESURVEY_998192,
        submitted=lambda cell: cell("Date submitted") != "",
        response_id=("Response ID",),
    ),
    Case(
        "limesurvey-fulltext-100001.csv",
        tool="limesurvey",
        rows=3,  # Response IDs 1, 2, 3
        identifiers={"Response ID": "respondent_id"},
        kept=2,  # 1 and 3 submitted and rated the intentions; 2 left after the first page
        read=csv_export(0, 1),
        answered=LIMESURVEY_100001,
        submitted=lambda cell: cell("Date submitted") != "",
        response_id=("Response ID",),
    ),
    Case(
        "odk-central-flora-quadrat-04.csv",
        tool="kobo",
        rows=2,  # two submissions (their last cell, Status, left out)
        identifiers=ODK_IDENTIFIERS,
        kept=2,  # both answered the morphological type (mid-slope, flat): two submissions
        read=csv_export(0, 1, encoding="utf-8"),
        answered=("habitat-morphological_type", "location-area_name"),
        response_id=("meta-instanceID", "KEY"),
    ),
    Case(
        "odk-central-flora-quadrat-02.csv",
        tool="kobo",
        rows=2,  # two submissions (their last cell, Status, left out)
        identifiers=ODK_IDENTIFIERS,
        kept=2,  # both answered the morphological type (open-depression, flat)
        read=csv_export(0, 1, encoding="utf-8"),
        answered=("habitat-morphological_type", "location-area_name"),
        response_id=("meta-instanceID", "KEY"),
    ),
    Case(
        "googleforms-jupyter-education-2016.csv",
        tool="googleforms",
        rows=125,  # 126 lines of records, the first the header
        identifiers={},  # the form collected no e-mail address
        # every response answered class size and experience; no two share a Timestamp, so
        # none is the same submission as another, though 11 repeat another's three answers
        kept=125,
        read=csv_export(0, 1, encoding="utf-8"),
        answered=(
            "Approximately how many students are in your class?",
            "What is the minimum level of programming experience that your students are "
            "expected to be at?",
            "What are the biggest pain points for you in running your class?",
        ),
    ),
    Case(
        "qualtrics-student-satisfaction-choice-text.csv",
        tool="qualtrics",
        rows=25,  # lines 4-28 as a spreadsheet shows them (the Q1 heading holds a line break)
        identifiers=QUALTRICS_IDENTIFIERS,
        kept=0,  # all 25 have Status "Survey Test": Qualtrics' generated test responses
        read=csv_export(0, 3),
        answered=SATISFACTION,
        submitted=qualtrics_submitted,
        response_id=("ResponseId",),
        person_id=("RecipientEmail", "ExternalReference"),
    ),
    Case(
        "spss-qualtrics-student-satisfaction.sav",
        tool="spss",
        rows=25,  # 25 cases
        identifiers=QUALTRICS_IDENTIFIERS,
        kept=0,  # all 25 have Status 2, labelled "Survey Test"
        read=sav_export,
        answered=SATISFACTION,
        submitted=qualtrics_submitted,
        response_id=("ResponseId",),
        person_id=("RecipientEmail", "ExternalReference"),
    ),
]
BY_NAME = {case.name: case for case in CASES}
#: Each fixture's git blob id, as in its source repository (fixtures/real/README.md).
BLOBS = {
    "qualtrics-sample.csv": "8727cf6f93e240e308ad3105de93afbb37220eb0",
    "qualtrics-legacy-sample.csv": "8ed33b395716df2824ab549da4f909f6a2018b47",
    "limesurvey-fulltext-998192.csv": "6028765dd7f5ec6559ade4c5a00fb42ea0c0530f",
    "limesurvey-fulltext-100001.csv": "856e9b7833e2d3a2c25eed7ccc75d7f96d921221",
    "odk-central-flora-quadrat-04.csv": "2129aa33eb8b3b4e4c27e9e51d0dec655feac102",
    "odk-central-flora-quadrat-02.csv": "1f6bac4fbd34537a8bcb18ee07e754a461b18197",
    "googleforms-jupyter-education-2016.csv": "6006f6bd497072a98b6bf3a514c529d3b46674ea",
    "qualtrics-student-satisfaction-choice-text.csv": "4ddadf3f9ae0e1a920da35c7d5c0cf5e5bc37b79",
    "spss-qualtrics-student-satisfaction.sav": "8d8558f219a441769270127abfae1fd1f893d006",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(case: Case, folder: Path) -> tuple[LoadedExport, Instrument]:
    """Load a copy of the export named after its party; the copy stays unchanged."""
    instrument = real_instrument(case.name, folder)
    path = folder / "data" / case.name
    path.parent.mkdir()
    shutil.copy(REAL / case.name, path)
    stem = path.stem
    partnership = Partnership(folder, "Echte exports", "nl", 5, (Party(stem, stem),), ())
    before = sha256(path)
    export = load_export(path, instrument, partnership)
    assert sha256(path) == before == sha256(REAL / case.name)
    return export, instrument


def test_every_fixture_has_a_case_and_an_instrument() -> None:
    files = {path.name for path in REAL.iterdir() if path.name != "README.md"}
    assert files == set(BY_NAME) == set(INSTRUMENTS) == set(BLOBS)
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for name, blob in BLOBS.items():
        assert f"`{name}`" in readme and blob in readme


@pytest.mark.parametrize("name", sorted(BLOBS))
def test_fixture_is_the_published_file(name: str) -> None:
    data = (REAL / name).read_bytes()
    assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == BLOBS[name]
    assert len(data) < 300_000


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_hand_counts_match_the_raw_file(case: Case) -> None:
    raw = case.read(REAL / case.name)
    assert len(raw.rows) == case.rows
    assert set(case.answered) <= set(raw.header)
    assert hand_count(case) == case.kept


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_tool_and_rows(tmp_path: Path, case: Case) -> None:
    export, _ = load(case, tmp_path)
    assert export.tool == case.tool
    assert len(export.responses) == case.rows
    assert export.responses["party"].eq(Path(case.name).stem).all()


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_identifier_columns(tmp_path: Path, case: Case) -> None:
    export, _ = load(case, tmp_path)
    assert export.identifiers == case.identifiers


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_kept_respondents(tmp_path: Path, case: Case) -> None:
    export, instrument = load(case, tmp_path)
    cleaned = clean_responses(export.responses, instrument, "2025", "0123456789abcdef")
    log = cleaned.quality_log
    excluded = log[log["action"] == "excluded"]
    assert len(cleaned.responses) == case.kept, excluded[["source_row", "check"]].to_string()
    assert len(cleaned.responses) + excluded["source_row"].nunique() == case.rows
