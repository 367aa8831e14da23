"""How each survey tool writes the bundled example's exports: one function per tool, bytes out.

The example's parties each use their own tool (see :mod:`pipeline.example`), and these
functions write the generated answers the way that tool lays out its export: header rows,
separators, BOM, quoting, line ends, metadata columns and Dutch labels. Everything that a tool
would fill with the current time or a random id is derived from the round, the party and the
respondent's position, so the same answers always give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import openpyxl
import pandas as pd

from pipeline.questionnaire import Instrument
from pipeline.write import workbook_bytes

__all__ = ["WRITERS", "ExportContext", "Row"]

Row = dict[str, object]

_MATRIX_NL = "{dimension}: in hoeverre bent u het eens met de volgende stellingen?"
_FRICTION_NL = "Glanzen en schuren: hoe werken de verschillen tussen de partners uit?"
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_SPSS_DONT_KNOW = 99


@dataclass(frozen=True)
class ExportContext:
    """What a writer needs besides the rows.

    Attributes
    ----------
    instrument
        The questionnaire: item order, labels, choices.
    round_id
        The round, for dates and ids.
    file_id
        The file's stem (a party id, or the name of a file shared by several parties).
    party_question
        Whether the export has the party question (a file shared by several parties).
    """

    instrument: Instrument
    round_id: str
    file_id: str
    party_question: bool = False

    @property
    def items(self) -> list[str]:
        """The items the export holds, in questionnaire order."""
        return [
            item for item in self.instrument.items.index if item != "party" or self.party_question
        ]

    def label(self, item: str, language: str = "nl") -> str:
        """The item's label (question or statement)."""
        return self.instrument.label("items", item, language)

    def answer(self, item: str, value: object, language: str = "nl") -> str:
        """A value as the label a respondent picked ("" when unanswered)."""
        if value is None:
            return ""
        kind, list_name = self._kinds[item]
        if kind == "text":
            return str(value)
        return self._labels[(list_name, str(value), language)]

    @cached_property
    def _kinds(self) -> dict[str, tuple[str, str]]:
        """Item -> (type, choice list)."""
        items = self.instrument.items
        return dict(
            zip(items.index, zip(items["type"], items["list_name"], strict=True), strict=True)
        )

    @cached_property
    def _labels(self) -> dict[tuple[str, str, str], str]:
        """(list name, choice name, language) -> label."""
        choices = self.instrument.choices
        return {
            (row["list_name"], row["name"], language): str(row[f"label_{language}"])
            for _, row in choices.iterrows()
            for language in self.instrument.languages
        }

    def dimension(self, item: str) -> str | None:
        """The dimension code of a statement, or None."""
        value = self.instrument.items.at[item, "dimension"]
        return value if isinstance(value, str) else None

    def key(self, number: int, length: int, salt: str = "") -> str:
        """A stable pseudo-random id for the respondent at ``number``."""
        digest = hashlib.sha256(f"{self.round_id}/{self.file_id}/{number}/{salt}".encode()).digest()
        return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:length])


def _times(row: Row, number: int) -> tuple[dt.datetime, dt.datetime]:
    """Start and end of a response: the end is when it was filled in, the start before that."""
    end = dt.datetime.strptime(str(row["Ingevuld op"]), "%Y-%m-%d %H:%M")
    end += dt.timedelta(seconds=(number * 13) % 60)
    return end - dt.timedelta(seconds=240 + (number * 53) % 900), end


def _names(row: Row) -> tuple[str, str]:
    """First and last name."""
    first, _, last = str(row["Naam"]).partition(" ")
    return first, last


def _csv(rows: list[list[object]], delimiter: str = ",", quote_all: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator="\r\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return buffer.getvalue()


def _workbook(rows: list[list[object]], title: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append([None if value == "" else value for value in row])
    return workbook_bytes(workbook)


def _answered(row: Row, items: list[str]) -> float:
    return sum(row.get(item) is not None for item in items) / len(items)


def _matrix(context: ExportContext, item: str) -> str | None:
    """The matrix (a dimension's code, or GS for the frictions) a statement is shown in."""
    if context.instrument.items.at[item, "type"] == "text":
        return None
    return context.dimension(item) or ("GS" if item.startswith("GS_") else None)


def _matrix_heading(context: ExportContext, group: str) -> str:
    if group == "GS":
        return _FRICTION_NL
    return _MATRIX_NL.format(dimension=context.instrument.label("dimensions", group, "nl"))


def _import_id(import_id: str, zone: bool = False) -> str:
    value = {"ImportId": import_id, **({"timeZone": "Europe/Amsterdam"} if zone else {})}
    return json.dumps(value, separators=(",", ":"))


# --- Qualtrics --------------------------------------------------------------------------------


def qualtrics_csv(context: ExportContext, rows: list[Row]) -> tuple[str, bytes]:
    """Qualtrics CSV with choice text: three header rows, UTF-8 BOM, CRLF, Dutch question text."""
    meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)",
            "Finished", "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName",
            "RecipientEmail", "ExternalReference", "LocationLatitude", "LocationLongitude",
            "DistributionChannel", "UserLanguage"]  # fmt: skip
    meta_nl = ["Startdatum", "Einddatum", "Antwoordtype", "IP-adres", "Voortgang",
               "Duur (in seconden)", "Voltooid", "Opgenomen datum", "Antwoord-ID",
               "Achternaam ontvanger", "Voornaam ontvanger", "E-mail ontvanger",
               "Externe gegevensreferentie", "Breedtegraad locatie", "Lengtegraad locatie",
               "Distributiekanaal", "Gebruikerstaal"]  # fmt: skip
    import_ids = ["startDate", "endDate", "status", "ipAddress", "progress", "duration",
                  "finished", "recordedDate", "_recordId", "recipientLastName",
                  "recipientFirstName", "recipientEmail", "externalDataReference",
                  "locationLatitude", "locationLongitude", "distributionChannel",
                  "userLanguage"]  # fmt: skip
    names, texts = list(meta), list(meta_nl)
    imports = [_import_id(i, zone=i.endswith("Date")) for i in import_ids]
    question, statement, previous = 1, 0, None
    for item in context.items:
        group = _matrix(context, item)
        if group is None or group != previous:
            question, statement = question + 1, 0
        previous = group
        if group is None:
            text_item = context.instrument.items.at[item, "type"] == "text"
            names.append(f"Q{question}")
            texts.append(context.label(item))
            imports.append(_import_id(f"QID{question}_TEXT" if text_item else f"QID{question}"))
            continue
        statement += 1
        names.append(f"Q{question}_{statement}")
        texts.append(f"{_matrix_heading(context, group)} - {context.label(item)}")
        imports.append(_import_id(f"QID{question}_{statement}"))
    table: list[list[object]] = [names, texts, imports]
    for number, row in enumerate(rows):
        start, end = _times(row, number)
        finished = bool(row["_finished"])
        first, last = _names(row)
        recorded = end if finished else end + dt.timedelta(days=7)
        table.append(
            [
                start.strftime("%Y-%m-%d %H:%M:%S"),
                end.strftime("%Y-%m-%d %H:%M:%S"),
                "IP Address",
                f"145.{94 + number % 7}.{(number * 37) % 256}.{(number * 101) % 250 + 3}",
                "100" if finished else str(round(100 * _answered(row, context.items))),
                str(int((end - start).total_seconds())),
                "True" if finished else "False",
                recorded.strftime("%Y-%m-%d %H:%M:%S"),
                f"R_{context.key(number, 15)}",
                last,
                first,
                row["E-mail"],
                "",
                "52.2586",
                "4.5581",
                "email",
                "NL",
                *(context.answer(item, row.get(item)) for item in context.items),
            ]
        )
    return "csv", b"\xef\xbb\xbf" + _csv(table).encode("utf-8")


# --- Microsoft Forms ----------------------------------------------------------------------------


def msforms_xlsx(context: ExportContext, rows: list[Row]) -> tuple[str, bytes]:
    """Microsoft Forms "Open in Excel": ID, times as dates, Email, Name, one column per item."""
    header = ["ID", "Start time", "Completion time", "Email", "Name"]
    table: list[list[object]] = [[*header, *(context.label(item) for item in context.items)]]
    for number, row in enumerate(rows):
        start, end = _times(row, number)
        table.append(
            [
                number + 1,
                start,
                end,
                row["E-mail"],
                row["Naam"],
                *(context.answer(item, row.get(item)) for item in context.items),
            ]
        )
    return "xlsx", _workbook(table, "Form1")


# --- LimeSurvey ---------------------------------------------------------------------------------


def _limesurvey_code(context: ExportContext, item: str) -> str:
    group = _matrix(context, item)
    if group:
        return f"{group}[{item.removeprefix('GS_')}]"
    return item.replace("_", "")  # LimeSurvey codes are letters and digits only


def _limesurvey_text(context: ExportContext, item: str) -> str:
    group = _matrix(context, item)
    if group:
        return f"{_matrix_heading(context, group)} [{context.label(item)}]"
    return context.label(item)


def limesurvey_csv(context: ExportContext, rows: list[Row]) -> tuple[str, bytes]:
    """LimeSurvey CSV, "question code & question text" headings and full answer text.

    UTF-8 BOM, ``;``, every value quoted, CRLF and an extra empty line at the end; a respondent
    who chose English has English answers; one who did not finish has no submitdate.
    """
    header = ["id. Antwoord ID", "submitdate. Datum verstuurd", "lastpage. Laatste pagina",
              "startlanguage. Starttaal", "seed. Seed", "token. Toegangscode",
              "startdate. Datum gestart", "datestamp. Datum laatste actie", "ipaddr. IP-adres",
              "refurl. Verwijzende URL", "firstname. Voornaam", "lastname. Achternaam",
              "email. E-mailadres"]  # fmt: skip
    header += [
        f"{_limesurvey_code(context, i)}. {_limesurvey_text(context, i)}" for i in context.items
    ]
    table: list[list[object]] = [header]
    for number, row in enumerate(rows):
        start, end = _times(row, number)
        finished = bool(row["_finished"])
        language = "en" if number % 9 == 4 else "nl"
        first, last = _names(row)
        table.append(
            [
                str(number + 1),
                end.strftime("%Y-%m-%d %H:%M:%S") if finished else "",
                "11" if finished else str(1 + round(10 * _answered(row, context.items))),
                language,
                str(int(context.key(number, 8, "seed").encode().hex(), 16) % 10**9),
                context.key(number, 5, "token"),
                start.strftime("%Y-%m-%d %H:%M:%S"),
                end.strftime("%Y-%m-%d %H:%M:%S"),
                "",
                "https://intranet.zorgpunt.nl/nieuws/evaluatie-samenwerking",
                first,
                last,
                row["E-mail"],
                *(context.answer(item, row.get(item), language) for item in context.items),
            ]
        )
    text = _csv(table, delimiter=";", quote_all=True) + "\r\n"
    return "csv", b"\xef\xbb\xbf" + text.encode("utf-8")


# --- SPSS -----------------------------------------------------------------------------------------


def spss_sav(context: ExportContext, rows: list[Row]) -> tuple[str, bytes]:
    """An SPSS .sav as LimeSurvey's SPSS export writes it: coded answers with value labels.

    "Weet niet" is 99, declared user-missing. The file's creation date and time, which SPSS
    writers stamp with the current time, are pinned to the round, so the bytes are the same on
    every run.
    """
    import pyreadstat  # only this writer needs it

    instrument = context.instrument
    frame: dict[str, list[object]] = {
        "id": [float(number + 1) for number in range(len(rows))],
        "token": [context.key(number, 5, "token") for number in range(len(rows))],
        "submitdate": [],
        "startdate": [],
        "firstname": [_names(row)[0] for row in rows],
        "lastname": [_names(row)[1] for row in rows],
        "email": [str(row["E-mail"]) for row in rows],
    }
    for number, row in enumerate(rows):
        start, end = _times(row, number)
        frame["submitdate"].append(end.strftime("%Y-%m-%d %H:%M:%S") if row["_finished"] else "")
        frame["startdate"].append(start.strftime("%Y-%m-%d %H:%M:%S"))
    value_labels: dict[str, dict[float, str]] = {}
    missing: dict[str, list[float]] = {}
    variable_labels = {
        "id": "Antwoord ID",
        "submitdate": "Datum verstuurd",
        "token": "Toegangscode",
    }
    for item in context.items:
        name = item if not context.dimension(item) else f"{context.dimension(item)}_{item}"
        variable_labels[name] = _limesurvey_text(context, item)
        if instrument.items.at[item, "type"] == "text":
            frame[name] = ["" if row.get(item) is None else str(row[item]) for row in rows]
            continue
        choices = instrument.choices[
            instrument.choices["list_name"] == instrument.items.at[item, "list_name"]
        ]
        numeric = choices["value"].notna().any()
        codes = {
            name_: (_SPSS_DONT_KNOW if numeric and pd.isna(value) else position + 1)
            for position, (name_, value) in enumerate(
                zip(choices["name"], choices["value"], strict=True)
            )
        }
        value_labels[name] = {
            float(codes[n]): str(label)
            for n, label in zip(choices["name"], choices["label_nl"], strict=True)
        }
        if numeric:
            missing[name] = [float(_SPSS_DONT_KNOW)]
        frame[name] = [
            float("nan") if row.get(item) is None else float(codes[str(row[item])]) for row in rows
        ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.sav"
        pyreadstat.write_sav(
            pd.DataFrame(frame),
            str(path),
            column_labels=variable_labels,
            variable_value_labels=value_labels,
            missing_ranges=missing,
        )
        data = bytearray(path.read_bytes())
    # the header's creation date (9 bytes at 92) and time (8 bytes at 101): pinned
    data[92:101] = f"01 Nov {context.round_id[-2:]}".encode("ascii")
    data[101:109] = b"12:00:00"
    return "sav", bytes(data)


# --- SurveyMonkey -------------------------------------------------------------------------------


def surveymonkey_xlsx(context: ExportContext, rows: list[Row]) -> tuple[str, bytes]:
    """SurveyMonkey XLSX: two header rows, a matrix question written above its first column."""
    first = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
             "Email Address", "First Name", "Last Name", "Custom Data 1"]  # fmt: skip
    second = [""] * len(first)
    previous = None
    for item in context.items:
        group = _matrix(context, item)
        text_item = context.instrument.items.at[item, "type"] == "text"
        if group is None:
            first.append(context.label(item))
            second.append("Open-Ended Response" if text_item else "Response")
        else:
            first.append(_matrix_heading(context, group) if group != previous else "")
            second.append(context.label(item))
        previous = group
    table: list[list[object]] = [first, second]
    for number, row in enumerate(rows):
        start, end = _times(row, number)
        given, family = _names(row)
        table.append(
            [
                114_000_000_000 + int(context.round_id) * 1000 + number,
                431_234_567,
                start.strftime("%m/%d/%Y %I:%M:%S %p"),
                end.strftime("%m/%d/%Y %I:%M:%S %p"),
                f"82.{161 + number % 9}.{(number * 29) % 256}.{(number * 71) % 250 + 2}",
                row["E-mail"],
                given,
                family,
                "",
                *(context.answer(item, row.get(item)) for item in context.items),
            ]
        )
    return "xlsx", _workbook(table, "Sheet")


# --- Google Forms -------------------------------------------------------------------------------


def googleforms_csv(context: ExportContext, rows: list[Row]) -> tuple[str, bytes]:
    """Google Forms CSV of a Dutch form: Tijdstempel, E-mailadres, grids as question [row]."""
    header = ["Tijdstempel", "E-mailadres"]
    for item in context.items:
        group = _matrix(context, item)
        label = context.label(item)
        header.append(f"{_matrix_heading(context, group)} [{label}]" if group else label)
    table: list[list[object]] = [header]
    ordered = sorted(
        enumerate(rows), key=lambda pair: (_times(pair[1], pair[0])[1], str(pair[1]["E-mail"]))
    )
    for number, row in ordered:
        _, end = _times(row, number)
        stamp = f"{end.day}-{end.month}-{end.year} {end.hour}:{end.minute:02d}:{end.second:02d}"
        table.append(
            [stamp, row["E-mail"], *(context.answer(item, row.get(item)) for item in context.items)]
        )
    return "csv", _csv(table).encode("utf-8")


# --- KoboToolbox --------------------------------------------------------------------------------


def kobo_xlsx(context: ExportContext, rows: list[Row]) -> tuple[str, bytes]:
    """KoboToolbox XLSX, "XML values and headers" with group paths, and the system columns."""

    def group(item: str) -> str:
        dimension = context.dimension(item)
        if dimension:
            return dimension.lower()
        return "glanzen_schuren" if item.startswith("GS_") else "achtergrond"

    header = ["start", "end", *(f"{group(item)}/{item}" for item in context.items)]
    header += ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
               "_submitted_by", "__version__", "_tags", "_index"]  # fmt: skip
    table: list[list[object]] = [header]
    for number, row in enumerate(rows):
        start, end = _times(row, number)
        first, last = _names(row)
        identifier = uuid.uuid5(
            uuid.NAMESPACE_URL, f"{context.round_id}/{context.file_id}/{number}"
        )
        received = end - dt.timedelta(hours=2) + dt.timedelta(seconds=4)
        table.append(
            [
                start.strftime("%Y-%m-%dT%H:%M:%S.000+02:00"),
                end.strftime("%Y-%m-%dT%H:%M:%S.000+02:00"),
                *("" if row.get(item) is None else str(row[item]) for item in context.items),
                91_000_000 + int(context.round_id) % 100 * 1000 + number,
                str(identifier),
                received.strftime("%Y-%m-%dT%H:%M:%S"),
                "",
                "",
                "submitted_via_web",
                f"{first[0]}{last.replace(' ', '')}".lower(),
                "vGpTm6kL9hYbWq3zR8xN2c",
                "",
                number + 1,
            ]
        )
    return "xlsx", _workbook(table, "Samenwerking in het partners")


#: Tool name -> writer (the loader's names for the tools).
WRITERS: dict[str, Callable[[ExportContext, list[Row]], tuple[str, bytes]]] = {
    "qualtrics": qualtrics_csv,
    "msforms": msforms_xlsx,
    "limesurvey": limesurvey_csv,
    "spss": spss_sav,
    "surveymonkey": surveymonkey_xlsx,
    "googleforms": googleforms_csv,
    "kobo": kobo_xlsx,
}
