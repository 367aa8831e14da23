"""The partnership project: its settings from ``partnership.toml`` and every path the pipeline uses.

A project is a folder (DESIGN section 5). This module is the one place that knows where raw
exports, processed tables and reports live, so no other module builds a path by hand.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, Problem

__all__ = [
    "CONFIG_FILENAME",
    "SECRET_FILENAME",
    "Bands",
    "CleaningRules",
    "Partnership",
    "Party",
    "Round",
    "load_partnership",
]

CONFIG_FILENAME = "partnership.toml"
SECRET_FILENAME = ".collab-eval-secret"
LANGUAGES = ("nl", "en")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SPSS_SUFFIXES = (".sav",)
EXPORT_SUFFIXES = (*CSV_SUFFIXES, *XLSX_SUFFIXES, *SPSS_SUFFIXES)

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_KNOWN_KEYS = {
    "partnership": {"name", "instrument", "language", "min_group_size", "min_group_size_comments"},
    "parties": {"id", "name", "invited"},
    "rounds": {"id", "instrument"},
    "bands": {"shines", "chafes"},
    "cleaning": {"exclude_speeders", "exclude_straightliners", "speeder_fraction"},
}


@dataclass(frozen=True)
class Party:
    """A partner organisation; ``id`` is its file stem and its choice name in the party question."""

    id: str
    name: str
    invited: int | None = None  # staff invited to the survey, for the response rate


@dataclass(frozen=True)
class Round:
    """A yearly round; ``id`` is its folder name under ``data/raw/``."""

    id: str
    instrument: Path


@dataclass(frozen=True)
class Bands:
    """Score bands: at least ``shines`` shines, below ``chafes`` chafes, between needs attention."""

    shines: float = 4.0
    chafes: float = 3.0


@dataclass(frozen=True)
class CleaningRules:
    """The choices ``partnership.toml`` makes under ``[cleaning]``.

    Speeders (a duration under ``speeder_fraction`` of their party's median) and straight-liners
    (the same answer to every statement, reverse-keyed ones included) are flagged; they are
    excluded only when ``exclude_speeders`` or ``exclude_straightliners`` says so.
    """

    speeder_fraction: float = 1 / 3
    exclude_speeders: bool = False
    exclude_straightliners: bool = False


@dataclass(frozen=True)
class Partnership:
    """Everything ``partnership.toml`` says, with the project's paths."""

    root: Path
    name: str
    language: str
    min_group_size: int
    parties: tuple[Party, ...]
    rounds: tuple[Round, ...]
    bands: Bands = Bands()
    cleaning: CleaningRules = CleaningRules()
    min_group_size_comments: int = 10
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def config_path(self) -> Path:
        """The settings file."""
        return self.root / CONFIG_FILENAME

    @property
    def secret_path(self) -> Path:
        """The key of the respondents' pseudonyms; kept out of git."""
        return self.root / SECRET_FILENAME

    def raw_dir(self, round_id: str) -> Path:
        """Where the exports of a round are dropped."""
        return self.root / "data" / "raw" / round_id

    def processed_dir(self, round_id: str) -> Path:
        """Where the processed tables of a round are written."""
        return self.root / "data" / "processed" / round_id

    def reports_dir(self, round_id: str) -> Path:
        """Where the reports of a round are written."""
        return self.root / "reports" / round_id

    def export_files(self, round_id: str) -> list[Path]:
        """The export files of a round, sorted by name; hidden files and others are skipped."""
        folder = self.raw_dir(round_id)
        return sorted(
            path
            for path in folder.iterdir()
            if path.is_file()
            and not path.name.startswith((".", "~$"))
            and path.suffix.lower() in EXPORT_SUFFIXES
        )

    def relative(self, path: Path) -> str:
        """A path as it is shown in messages and logs: relative to the project where it can be."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    @property
    def party_ids(self) -> list[str]:
        """Party ids in the order of ``partnership.toml``."""
        return [party.id for party in self.parties]


def load_partnership(root: Path) -> Partnership:
    """Read and validate ``partnership.toml`` in the project folder ``root``.

    Parameters
    ----------
    root
        The project folder.

    Returns
    -------
    Partnership
        The validated settings.

    Raises
    ------
    InputError
        Listing every problem at once, each naming the file and what to change.
    """
    root = root.resolve()
    path = root / CONFIG_FILENAME
    if not root.is_dir():
        raise InputError.single(
            "the project folder does not exist",
            file=root,
            hint="pass an existing folder with --project, or make one with `collab-eval init DIR`",
        )
    if not path.is_file():
        raise InputError.single(
            f"no {CONFIG_FILENAME} in this folder",
            file=path,
            hint="run the command in a partnership project, pass --project DIR, "
            "or make a project with `collab-eval init DIR`",
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise InputError.single(
            f"not UTF-8 text ({error.reason} at byte {error.start})",
            file=path,
            hint="save the file as UTF-8",
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError.single(
            f"not valid TOML: {error}",
            file=path,
            hint="fix the syntax at the line named; strings need double quotes, "
            "tables are written [partnership], [[parties]], [[rounds]]",
        ) from None
    return _partnership_from_dict(raw, root, path)


def _partnership_from_dict(raw: dict, root: Path, path: Path) -> Partnership:
    """Validate the parsed TOML; collect every problem before raising."""
    problems: list[Problem] = []
    warnings: list[str] = []

    def problem(message: str, hint: str) -> None:
        problems.append(Problem(message, file=path, hint=hint))

    for key in sorted(set(raw) - set(_KNOWN_KEYS)):
        warnings.append(f"{path}: unknown section [{key}] is ignored")
    section = raw.get("partnership")
    if not isinstance(section, dict):
        problem("the [partnership] section is missing", 'add [partnership] with name = "..."')
        section = {}
    _warn_unknown_keys(section, "partnership", path, warnings)

    name = section.get("name")
    if not isinstance(name, str) or not name.strip():
        problem("[partnership] has no name", 'add name = "Samenwerkingsverband ..." under it')
        name = ""
    language = section.get("language", "nl")
    if language not in LANGUAGES:
        problem(
            f"[partnership] language = {language!r} is not supported",
            'use language = "nl" or language = "en"',
        )
    min_group_size = section.get("min_group_size", 5)
    if (
        not isinstance(min_group_size, int)
        or isinstance(min_group_size, bool)
        or min_group_size < 1
    ):
        problem(
            f"[partnership] min_group_size = {min_group_size!r} is not a whole number >= 1",
            "use min_group_size = 5 (the usual anonymity threshold)",
        )
        min_group_size = 5
    default_instrument = section.get("instrument")
    if default_instrument is not None and not isinstance(default_instrument, str):
        problem(
            "[partnership] instrument is not a path",
            'write instrument = "questionnaires/samenwerking-v1.xlsx"',
        )
        default_instrument = None

    parties = _parties(raw.get("parties"), path, problems, warnings)
    rounds = _rounds(raw.get("rounds"), default_instrument, root, path, problems, warnings)
    bands = _bands(raw.get("bands", {}), path, problems)
    cleaning = _cleaning(raw.get("cleaning", {}), path, problems, warnings)
    min_group_size_comments = section.get("min_group_size_comments", 10)
    if (
        not isinstance(min_group_size_comments, int)
        or isinstance(min_group_size_comments, bool)
        or min_group_size_comments < 1
    ):
        problem(
            f"[partnership] min_group_size_comments = {min_group_size_comments!r} is not a "
            "whole number >= 1",
            "use min_group_size_comments = 10: open answers are shown per party only for "
            "groups at least this large",
        )
        min_group_size_comments = 10

    if problems:
        raise InputError(problems)
    return Partnership(
        root=root,
        name=name.strip(),
        language=language,
        min_group_size=min_group_size,
        parties=tuple(parties),
        rounds=tuple(rounds),
        bands=bands,
        cleaning=cleaning,
        min_group_size_comments=min_group_size_comments,
        warnings=tuple(warnings),
    )


def _warn_unknown_keys(table: dict, section: str, path: Path, warnings: list[str]) -> None:
    for key in sorted(set(table) - _KNOWN_KEYS[section]):
        warnings.append(f"{path}: unknown key {key!r} in [{section}] is ignored")


def _parties(raw: object, path: Path, problems: list[Problem], warnings: list[str]) -> list[Party]:
    if not isinstance(raw, list) or not raw:
        problems.append(
            Problem(
                "no parties are listed",
                file=path,
                hint='add one [[parties]] table per organisation with id = "..." and name = "..."',
            )
        )
        return []
    parties: list[Party] = []
    seen: set[str] = set()
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.append(
                Problem(f"party {number} is not a table", file=path, hint="use [[parties]]")
            )
            continue
        _warn_unknown_keys(entry, "parties", path, warnings)
        party_id = entry.get("id")
        if not isinstance(party_id, str) or not _ID_PATTERN.match(party_id):
            problems.append(
                Problem(
                    f"party {number} has id {party_id!r}, which is not a valid party id",
                    file=path,
                    hint='use lower-case letters, digits, - and _ only, such as id = "lisse"; '
                    "it is the file name of the party's export without extension",
                )
            )
            continue
        if party_id in seen:
            problems.append(
                Problem(f"party id {party_id!r} is listed twice", file=path, hint="make ids unique")
            )
            continue
        seen.add(party_id)
        party_name = entry.get("name", party_id)
        invited = entry.get("invited")
        if invited is not None and (
            not isinstance(invited, int) or isinstance(invited, bool) or invited < 1
        ):
            problems.append(
                Problem(
                    f"party {party_id!r} has invited = {invited!r}, not a whole number >= 1",
                    file=path,
                    hint="give the number of staff invited to the survey, or leave it out",
                )
            )
            invited = None
        parties.append(Party(id=party_id, name=str(party_name), invited=invited))
    return parties


def _rounds(
    raw: object,
    default_instrument: str | None,
    root: Path,
    path: Path,
    problems: list[Problem],
    warnings: list[str],
) -> list[Round]:
    if raw is None:
        raw_folder = root / "data" / "raw"
        found = (
            sorted(
                p.name
                for p in raw_folder.iterdir()
                if p.is_dir() and not p.name.startswith((".", "_"))
            )
            if raw_folder.is_dir()
            else []
        )
        raw = [{"id": round_id} for round_id in found]
    if not isinstance(raw, list) or not raw:
        problems.append(
            Problem(
                "no rounds are listed and data/raw/ holds no round folders",
                file=path,
                hint='add [[rounds]] with id = "2025" and put its exports in data/raw/2025/',
            )
        )
        return []
    rounds: list[Round] = []
    seen: set[str] = set()
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.append(
                Problem(f"round {number} is not a table", file=path, hint="use [[rounds]]")
            )
            continue
        _warn_unknown_keys(entry, "rounds", path, warnings)
        round_id = entry.get("id")
        if isinstance(round_id, int):
            round_id = str(round_id)
        if not isinstance(round_id, str) or not round_id or "/" in round_id or round_id in seen:
            problems.append(
                Problem(
                    f"round {number} has id {round_id!r}, which is empty, repeated or not a name",
                    file=path,
                    hint='give each round a unique id = "2025", its folder name in data/raw/',
                )
            )
            continue
        seen.add(round_id)
        instrument = entry.get("instrument", default_instrument)
        if not isinstance(instrument, str) or not instrument:
            problems.append(
                Problem(
                    f"round {round_id!r} has no instrument",
                    file=path,
                    hint='set instrument = "questionnaires/...xlsx" in [partnership] or the round',
                )
            )
            continue
        folder = root / "data" / "raw" / round_id
        if not folder.is_dir():
            problems.append(
                Problem(
                    f"round {round_id!r} has no folder {folder.relative_to(root)}",
                    file=path,
                    hint=f"create {folder.relative_to(root)}/ and put the round's exports in it, "
                    "or remove the round",
                )
            )
            continue
        rounds.append(Round(id=round_id, instrument=(root / instrument).resolve()))
    return rounds


def _bands(raw: object, path: Path, problems: list[Problem]) -> Bands:
    if not isinstance(raw, dict):
        problems.append(
            Problem("[bands] is not a table", file=path, hint="write [bands] shines = 4.0")
        )
        return Bands()
    shines = raw.get("shines", Bands.shines)
    chafes = raw.get("chafes", Bands.chafes)
    if (
        not isinstance(shines, int | float)
        or not isinstance(chafes, int | float)
        or isinstance(shines, bool)
        or isinstance(chafes, bool)
        or not chafes < shines
    ):
        problems.append(
            Problem(
                f"[bands] shines = {shines!r}, chafes = {chafes!r} are not two numbers with "
                "chafes below shines",
                file=path,
                hint="for example shines = 4.0 and chafes = 3.0",
            )
        )
        return Bands()
    return Bands(shines=float(shines), chafes=float(chafes))


def _cleaning(
    raw: object, path: Path, problems: list[Problem], warnings: list[str]
) -> CleaningRules:
    if not isinstance(raw, dict):
        problems.append(
            Problem("[cleaning] is not a table", file=path, hint="write [cleaning] on its own line")
        )
        return CleaningRules()
    _warn_unknown_keys(raw, "cleaning", path, warnings)
    defaults = CleaningRules()
    values = {}
    for key in ("exclude_speeders", "exclude_straightliners"):
        value = raw.get(key, getattr(defaults, key))
        if not isinstance(value, bool):
            problems.append(
                Problem(
                    f"[cleaning] {key} = {value!r} is not true or false",
                    file=path,
                    hint=f"write {key} = true to exclude them, false to only flag them",
                )
            )
            value = getattr(defaults, key)
        values[key] = value
    fraction = raw.get("speeder_fraction", defaults.speeder_fraction)
    if isinstance(fraction, bool) or not isinstance(fraction, int | float) or not 0 < fraction < 1:
        problems.append(
            Problem(
                f"[cleaning] speeder_fraction = {fraction!r} is not a number between 0 and 1",
                file=path,
                hint="for example 0.33: faster than a third of the party's median time",
            )
        )
        fraction = defaults.speeder_fraction
    return CleaningRules(speeder_fraction=float(fraction), **values)
