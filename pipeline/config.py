"""The partnership project: its settings from ``partnership.toml`` and every path the pipeline uses.

A project is a folder (DESIGN section 5). This module is the one place that knows where raw
exports, processed tables and reports live, so no other module builds a path by hand.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputError, Problem

__all__ = [
    "CONFIG_FILENAME",
    "LOCK_FILENAME",
    "ROUND_ID_RULE",
    "SECRET_FILENAME",
    "Bands",
    "CleaningRules",
    "Partnership",
    "Party",
    "Round",
    "load_partnership",
    "special_file_kind",
    "special_file_problem",
    "valid_round_id",
]

CONFIG_FILENAME = "partnership.toml"
SECRET_FILENAME = ".collab-eval-secret"
#: The file whose operating-system lock a command that writes the project holds (pipeline.lock).
LOCK_FILENAME = ".collab-eval.lock"
LANGUAGES = ("nl", "en")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SPSS_SUFFIXES = (".sav",)
EXPORT_SUFFIXES = (*CSV_SUFFIXES, *XLSX_SUFFIXES, *SPSS_SUFFIXES)
#: How messages list the export types (``.txt`` and ``.tsv`` are CSV, ``.xlsm`` and ``.xls`` XLSX).
EXPORT_TYPES = "(.csv, .xlsx, .sav)"
#: Suffixes that other files share with exports: a ``.txt`` is an export only when it is named
#: after a party (``lisse.txt``, as Excel's "Text (Tab delimited)" saves one), since a round
#: folder's notes (``LEESMIJ.txt``, ``notes.txt``) are ``.txt`` files too.
_PARTY_NAMED_SUFFIXES = (".txt",)

_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
#: A round id names folders (``data/raw/<id>``, ``data/processed/<id>``, ``reports/<id>``), so it
#: is a plain name on every system: ASCII letters, digits, ``-`` and ``_``. It starts with a
#: letter or digit: ``..`` and ``.`` would name the parent folder or the folder itself (a run
#: wrote into ``data/`` and the project folder so), a leading ``.`` would hide it and clash with
#: the staging folders beside the rounds, a leading ``_`` folder is passed over when the rounds
#: are found in ``data/raw/``, and a leading ``-`` reads as an option (``--round -1``).
_ROUND_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
#: :func:`valid_round_id`'s rule in words, for the hints of messages.
ROUND_ID_RULE = (
    "letters (a-z, A-Z), digits, - and _ only, starting with a letter or a digit, at most 64"
)
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
        """The export files of a round, sorted by name.

        Files that are no exports are left out (:meth:`skipped_files` says which and why).
        Every entry is looked at with ``lstat`` only: a symbolic link is never followed and a
        named pipe never opened, so that a link to a system file cannot have its lines shown in
        a message, and a pipe cannot block the run.

        Parameters
        ----------
        round_id
            The round, whose folder is :meth:`raw_dir`.

        Returns
        -------
        list of Path
            The regular files with an export's name.

        Raises
        ------
        InputError
            Naming each entry with an export's name that is a symbolic link, a folder, a named
            pipe, a device or a socket rather than a file: all of them at once.
        """
        exports, _, problems = self._round_entries(round_id)
        if problems:
            raise InputError(problems)
        return exports

    def skipped_files(self, round_id: str) -> list[tuple[Path, str]]:
        """The entries of a round folder that are not exports, sorted by name, each with why.

        For a note beside the run, so that a file the user meant as an export but named
        otherwise is not passed over in silence. Nothing is opened or followed.

        Parameters
        ----------
        round_id
            The round, whose folder is :meth:`raw_dir`.

        Returns
        -------
        list of tuple of (Path, str)
            Each entry and why it is skipped: "a hidden file" (``.DS_Store``, LibreOffice's
            ``.~lock.lisse.xlsx#``), "an Excel lock file ..." (``~$lisse.xlsx``), "a folder",
            or "not an export (.csv, .xlsx, .sav)" (``README.md``, ``Thumbs.db``,
            ``desktop.ini``; with why for a ``.txt`` not named after a party, ``LEESMIJ.txt``).
        """
        return self._round_entries(round_id)[1]

    def _round_entries(
        self, round_id: str
    ) -> tuple[list[Path], list[tuple[Path, str]], list[Problem]]:
        """A round folder's exports, skipped entries with their reasons, and refused entries."""
        folder = self.raw_dir(round_id)
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
        exports: list[Path] = []
        skipped: list[tuple[Path, str]] = []
        problems: list[Problem] = []
        for entry in entries:
            path = folder / entry.name
            reason = self._skip_reason(entry)
            if reason is not None:
                skipped.append((path, reason))
                continue
            try:
                kind = special_file_kind(entry.stat(follow_symlinks=False).st_mode)
            except FileNotFoundError:  # removed since the folder was listed
                continue
            if kind is None:
                exports.append(path)
                continue
            shown = f"{self.relative(folder)}/{entry.name}"  # the link itself, not its target
            problems.append(special_file_problem(kind, shown))
        return exports, skipped, problems

    def _skip_reason(self, entry: os.DirEntry[str]) -> str | None:
        """Why a round folder's entry is no export, or None when it has an export's name."""
        name = entry.name
        if name.startswith("."):
            return "a hidden file"
        if name.startswith("~$"):
            return "an Excel lock file (Excel keeps one beside a workbook while it is open)"
        suffix = Path(name).suffix.lower()
        if suffix not in EXPORT_SUFFIXES:
            if entry.is_dir(follow_symlinks=False):
                return "a folder"
            return f"not an export {EXPORT_TYPES}"
        if suffix in _PARTY_NAMED_SUFFIXES and Path(name).stem not in self.party_ids:
            example = (self.party_ids or ["lisse"])[0] + suffix
            return (
                f"not an export {EXPORT_TYPES}: a {suffix} file is read only when it is named "
                f"after a party, such as {example}"
            )
        return None

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


def special_file_kind(mode: int) -> str | None:
    """What a path whose ``lstat`` mode is ``mode`` is, when it is not a regular file.

    Parameters
    ----------
    mode
        ``st_mode`` of ``os.lstat`` (or of ``os.fstat`` of an open file).

    Returns
    -------
    str or None
        "a symbolic link", "a folder", "a named pipe (FIFO)", "a device" or "a socket"; None
        for a regular file, the only kind an export is read from.
    """
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a regular file"


def special_file_problem(kind: str, name: Path | str) -> Problem:
    """The problem of an export's path that is ``kind`` (:func:`special_file_kind`), not a file.

    Its message never says where a link points, and nothing of what is there is read.

    Parameters
    ----------
    kind
        What the path is, as :func:`special_file_kind` says it.
    name
        How the message names the path.

    Returns
    -------
    Problem
        With a hint on what to put there instead.
    """
    if kind == "a symbolic link":
        return Problem(
            "is a symbolic link, which is not followed",
            file=name,
            hint="copy the export itself into the folder, in place of the link",
        )
    return Problem(
        f"is {kind}, not a file" if kind.startswith("a ") else f"is {kind}",
        file=name,
        hint="put the export file itself in the round folder (as the survey tool saved it), "
        "or move this out of the folder",
    )


def valid_round_id(text: str) -> bool:
    """Whether ``text`` may be a round's id, which names its folders (:data:`_ROUND_ID_PATTERN`).

    Parameters
    ----------
    text
        The id, as ``partnership.toml``, a folder in ``data/raw/`` or ``init --round`` gives it.

    Returns
    -------
    bool
        True for ASCII letters, digits, ``-`` and ``_``, starting with a letter or a digit, at
        most 64 characters (``2025``, ``2025-voorjaar``); False for ``..``, ``a/b``, ``lisse 2``
        or ``ë``.
    """
    return _ROUND_ID_PATTERN.fullmatch(text) is not None


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
        if not isinstance(party_id, str) or not _ID_PATTERN.fullmatch(party_id):
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
    misnamed = False
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
        raw = [{"id": round_id} for round_id in found if valid_round_id(round_id)]
        for name in (name for name in found if not valid_round_id(name)):
            misnamed = True
            problems.append(
                Problem(
                    f"this folder is a round ({CONFIG_FILENAME} lists no [[rounds]], so every "
                    f"folder in data/raw/ is one), but its name {name!r} is not a valid round id",
                    file=f"data/raw/{name}",
                    hint=f"rename the folder ({ROUND_ID_RULE}, such as 2025), put _ before its "
                    "name to have it passed over, or list the rounds in [[rounds]]",
                )
            )
    if (not isinstance(raw, list) or not raw) and not misnamed:
        problems.append(
            Problem(
                "no rounds are listed and data/raw/ holds no round folders",
                file=path,
                hint='add [[rounds]] with id = "2025" and put its exports in data/raw/2025/',
            )
        )
        return []
    if not isinstance(raw, list):
        return []
    rounds: list[Round] = []
    seen: dict[str, str] = {}  # each id by its lower case: ids differing in case clash elsewhere
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.append(
                Problem(f"round {number} is not a table", file=path, hint="use [[rounds]]")
            )
            continue
        _warn_unknown_keys(entry, "rounds", path, warnings)
        round_id = entry.get("id")
        if isinstance(round_id, int) and not isinstance(round_id, bool):
            round_id = str(round_id)
        if not isinstance(round_id, str) or not valid_round_id(round_id):
            problems.append(
                Problem(
                    f"round {number} has id {round_id!r}, which is not a valid round id",
                    file=path,
                    hint=f'use {ROUND_ID_RULE}, such as id = "2025": the round\'s folders are '
                    "named after it (data/raw/<id>/, data/processed/<id>/, reports/<id>/)",
                )
            )
            continue
        twin = seen.get(round_id.lower())
        if twin is not None:
            problems.append(
                Problem(
                    f"round id {round_id!r} is listed twice"
                    if twin == round_id
                    else f"round ids {twin!r} and {round_id!r} differ only in upper and lower "
                    "case: on Windows and macOS they would name one folder",
                    file=path,
                    hint="give each round an id of its own",
                )
            )
            continue
        seen[round_id.lower()] = round_id
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
