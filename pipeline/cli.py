"""The ``collab-eval`` command: the only place that prints and that decides the exit code.

Exit codes (DESIGN section 5): 0 done (warnings are printed and logged); 2 the input is wrong
(the message says where and how to fix it); 1 anything else. A user mistake never shows a
traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import gc
import hashlib
import importlib.metadata
import json
import math
import os
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from pipeline import __version__
from pipeline.clean import Cleaned, clean_responses, new_secret
from pipeline.compare import in_table_order, independent_tables, summary_tables
from pipeline.config import (
    CONFIG_FILENAME,
    LOCK_FILENAME,
    ROUND_ID_RULE,
    SECRET_FILENAME,
    Partnership,
    load_partnership,
    valid_round_id,
)
from pipeline.errors import InputError
from pipeline.load import LoadedExport, load_exports, load_files, round_responses
from pipeline.load.checks import check_round, closest_item, dimension_coverage
from pipeline.lock import project_lock
from pipeline.parallel import WorkerLostError, forked_processes, in_parallel, shared, usable_cpus
from pipeline.questionnaire import Instrument, load_instrument
from pipeline.report import (
    REPORT_TABLES,
    STEERING_PAGE,
    Context,
    RoundReportData,
    history_rows,
    page_file,
    report_labels,
    report_page,
)
from pipeline.score import reverse_coded
from pipeline.statistics import import_distributions
from pipeline.write import (
    replaced_together,
    write_bytes_atomic,
    write_table,
    write_tables_workbook,
)

__all__ = ["SOFTWARE", "console", "main", "package_versions"]

EXIT_OK, EXIT_ERROR, EXIT_INPUT = 0, 1, 2
#: The packages whose versions the run manifest records (and the benchmark prints).
SOFTWARE = (
    "pandas", "numpy", "scipy", "plotly", "pyarrow", "openpyxl", "python-calamine",
)  # fmt: skip


@dataclass(frozen=True)
class RoundResult:
    """What one round's run produced, for the closing summary."""

    round_id: str
    received: int
    kept: int
    excluded: dict[str, int]
    flagged: dict[str, int]
    report: Path
    warnings: list[str]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "command"):
        parser.print_help()
        return EXIT_INPUT
    try:
        return args.command(args)
    except InputError as error:
        count = len(error.problems)
        _err(f"error: the input needs fixing ({count} problem{'s' if count != 1 else ''}):")
        _err(str(error))
        return EXIT_INPUT
    except BrokenPipeError:  # the reader (such as `head`) stopped reading: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        _err("interrupted; outputs already written are complete, the rest were left as they were")
        return EXIT_ERROR
    except (OSError, WorkerLostError) as error:  # the machine's: a full disk, too little memory
        if os.environ.get("COLLAB_EVAL_DEBUG"):
            raise
        _err(f"error: {error}")
        return EXIT_ERROR
    except Exception as error:  # a bug, not a user mistake: say so and point at the report path
        if os.environ.get("COLLAB_EVAL_DEBUG"):
            raise
        _err(f"internal error: {type(error).__name__}: {error}")
        _err("this is a bug in collab-eval; rerun with COLLAB_EVAL_DEBUG=1 for the traceback")
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="collab-eval",
        description="Evaluate the collaboration of a partnership from its partners' survey "
        "exports: load, clean, score, compare and report, one round at a time.",
    )
    parser.add_argument("--version", action="version", version=f"collab-eval {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="run every stage for every round and write tables and reports",
        description="Run load, clean, score, compare and report for every round of the project. "
        "Writes data/processed/<round>/ and reports/<round>/.",
    )
    _project_argument(run)
    run.add_argument(
        "--round",
        dest="rounds",
        action="append",
        metavar="ID",
        help="run only this round (repeatable); default: every round",
    )
    _jobs_argument(run, "load the files, clean and compare the rounds, and write the pages")
    run.set_defaults(command=_command_run)

    validate = commands.add_parser(
        "validate",
        help="check partnership.toml, the instruments and every export without writing anything",
        description="Check the project's settings, instruments and exports and list every "
        "problem at once, with file, row and column. Writes nothing.",
    )
    _project_argument(validate)
    validate.add_argument(
        "--verbose",
        action="store_true",
        help="also list, for each file, which column went to which item, identifier or tool column",
    )
    _jobs_argument(validate, "load the files")
    validate.set_defaults(command=_command_validate)

    init = commands.add_parser(
        "init",
        help="make a new partnership project folder",
        description="Make a new partnership project: partnership.toml to fill in, the bundled "
        "instrument, and an empty round folder for this year.",
    )
    init.add_argument("directory", type=Path, metavar="DIR", help="the folder to create")
    init.add_argument("--name", default="Mijn samenwerkingsverband", help="the partnership's name")
    init.add_argument(
        "--round", dest="round_id", default=str(dt.date.today().year), help="the first round's id"
    )
    init.set_defaults(command=_command_init)

    example = commands.add_parser(
        "example",
        help="write the bundled example partnership (deterministic) into a folder",
        description="Write the example partnership of six parties over three rounds, with "
        "partnership.toml, the instrument and every raw export. The same bytes every time.",
    )
    example.add_argument("directory", type=Path, metavar="DIR", help="the folder to write into")
    example.set_defaults(command=_command_example)
    return parser


def _project_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the partnership project folder (default: the current folder)",
    )


def _jobs_argument(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--jobs",
        type=_positive_int,
        default=usable_cpus(),
        metavar="N",
        help=f"{what} in N processes at once (default: one per CPU; 1: all in this process); "
        "the outputs are the same for any N",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


# --- run ---------------------------------------------------------------------------------------


def _command_run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    _large_blocks_apart()
    partnership = load_partnership(args.project)
    # one command at a time: the secret is made, and the outputs staged and swapped in, by one
    with project_lock(partnership.root, "run"):
        return _run_locked(args, partnership, started)


def _run_locked(args: argparse.Namespace, partnership: Partnership, started: float) -> int:
    """``run`` holding the project's lock: every round's outputs written and swapped in."""
    for warning in partnership.warnings:
        _err(f"warning: {warning}")
    rounds = [r.id for r in _selected_rounds(partnership, args.rounds)]
    secret = _project_secret(partnership)
    order = [r.id for r in partnership.rounds]
    previous_of = {r: order[order.index(r) - 1] if order.index(r) else None for r in rounds}
    needed = sorted(set(rounds) | {p for p in previous_of.values() if p}, key=order.index)
    by_id = {r.id: r for r in partnership.rounds}
    instruments = {by_id[r].instrument: None for r in needed}
    for path in instruments:
        instruments[path] = load_instrument(path, language=partnership.language)
    run = _Run(
        partnership,
        args.jobs,
        secret,
        {r: instruments[by_id[r].instrument] for r in needed},
        {r: partnership.export_files(r) for r in needed},
    )
    for round_id in needed:
        for path, reason in partnership.skipped_files(round_id):
            _err(f"note: skipped {partnership.relative(path)}: {reason}")
    outputs = [
        folder
        for round_id in rounds
        for folder in (partnership.processed_dir(round_id), partnership.reports_dir(round_id))
    ]
    results: list[RoundResult] = []
    history_of: dict[str, pd.DataFrame] = {}  # the trends' rows of the rounds computed here
    carried: dict[str, PreparedRound] = {}  # the previous batch's last round, for the changes
    # each folder written beside it, all swapped in once all are complete: previous or new, whole
    with _text_storage(run), replaced_together(outputs) as staged:
        for batch in _batches(run, needed):
            prepared = carried | _prepare(run, batch)
            computing = [r for r in batch if r in rounds]
            pairs = [
                (prepared[r], prepared[previous_of[r]] if previous_of[r] else None)
                for r in computing
            ]
            if pairs:
                results += _compute_and_write(run, pairs, history_of, staged)
            carried = {batch[-1]: prepared[batch[-1]]}
            del prepared, pairs  # while the next batch loads, only the carried round stays
    _print_summary(partnership, results, time.monotonic() - started)
    return EXIT_OK


#: glibc's ``M_MMAP_THRESHOLD`` (``<malloc.h>``), and the size from which a block of memory gets
#: its own mapping, given back to the system when freed. glibc's default threshold rises as
#: large blocks are freed (up to 32 MB); a later batch's arrays then come from the heap, whose
#: freed holes do not always fit them, and the heap grows from batch to batch. Three rounds of a
#: million responses peaked at 3.25 GB of all processes so, and at 2.86 GB with the threshold
#: fixed at 1 MB; one round of a million ran as fast as before (57-58 s), at 2.12 GB for 2.22.
_M_MMAP_THRESHOLD, _LARGE_BLOCK = -3, 2**20


def _large_blocks_apart() -> None:
    """Fix glibc's threshold for mapping large blocks apart (see :data:`_LARGE_BLOCK`).

    The forked workers inherit it. Where the C library is not glibc, nothing changes.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # no mallopt: not glibc
        return
    mallopt(_M_MMAP_THRESHOLD, _LARGE_BLOCK)


@dataclass(frozen=True)
class _Run:
    """What every stage of a ``run`` reads: the project, its settings and its files."""

    partnership: Partnership
    jobs: int
    secret: str
    instrument_of: dict[str, Instrument]
    files_of: dict[str, list[Path]]

    def export_bytes(self, rounds: Iterable[str]) -> int:
        """The size of these rounds' export files together."""
        return sum(path.stat().st_size for r in rounds for path in self.files_of[r])


#: A run whose export files together hold at most this many bytes keeps its text in Python
#: strings rather than Arrow's. An Arrow kernel is fast per cell but costs more per call, and a
#: small run makes thousands of calls on columns of a few hundred cells: the example (0.4 MB)
#: runs about 11% faster in Python strings; at 10,000 responses (2 MB) they are even, and at
#: 100,000 (18 MB) Python strings are slower. The outputs are the same bytes either way.
_PYTHON_TEXT_BYTES = 4 * 2**20


def _text_storage(run: _Run) -> contextlib.AbstractContextManager[object]:
    """Where pandas keeps the run's text: see :data:`_PYTHON_TEXT_BYTES`.

    The forked workers inherit the setting.
    """
    if run.export_bytes(run.files_of) > _PYTHON_TEXT_BYTES:
        return contextlib.nullcontext()
    return pd.option_context("mode.string_storage", "python")


#: Rounds whose export files together hold more bytes than this run one batch after another, each
#: batch loaded, cleaned, compared and written before the next is loaded, and only the last
#: round of a batch kept for the next one's changes: so a run holds one batch and one earlier
#: round, not every round. A round of a million responses is 190 MB of CSV; the example is
#: 0.4 MB in all.
_BATCH_BYTES = 64 * 2**20


def _batches(run: _Run, needed: list[str]) -> list[list[str]]:
    """The rounds in order, in batches of at most :data:`_BATCH_BYTES` of export files.

    A round larger than that is a batch of its own.
    """
    batches: list[list[str]] = []
    size = 0
    for round_id in needed:
        round_size = run.export_bytes([round_id])
        if batches and size + round_size <= _BATCH_BYTES:
            batches[-1].append(round_id)
            size += round_size
        else:
            batches.append([round_id])
            size = round_size
    return batches


def _prepare(run: _Run, batch: list[str]) -> dict[str, PreparedRound]:
    """Load and clean the rounds of a batch."""
    files = [path for r in batch for path in run.files_of[r]]
    _err(f"loading {_rounds(batch)} ({len(files)} files){_processes(run.jobs, files)}")
    instrument_of = {r: run.instrument_of[r] for r in batch}
    exports_of = load_exports(run.partnership, instrument_of, run.jobs)
    checks = [check_round(run.partnership, r, instrument_of[r], exports_of[r]) for r in batch]
    problems = [problem for check in checks for problem in check.problems]
    if problems:
        raise InputError(problems)
    for warning in (warning for check in checks for warning in check.warnings):
        _err(f"warning: {warning}")
    _err(f"cleaning {_rounds(batch)}{_processes(run.jobs, batch)}")
    setup = (run.partnership, instrument_of, run.secret, exports_of)
    cleaned = in_parallel(_clean_round, batch, run.jobs, setup, _while_cleaning)
    prepared = {
        r: PreparedRound.of(r, run.instrument_of[r], exports_of[r], *round_cleaned)
        for r, round_cleaned in zip(batch, cleaned, strict=True)
    }
    del exports_of, setup  # the loaded rows are not needed after cleaning: a large round frees much
    for round_id, round_ in prepared.items():
        received, kept = round_.received, len(round_.cleaned.responses)
        _progress(
            f"round {round_id}: {len(round_.files)} files, {received} responses; "
            f"{kept} kept, {received - kept} excluded"
        )
    return prepared


def _while_cleaning() -> None:
    """What the run needs later, done here while a helper cleans (``in_parallel``'s meanwhile).

    scipy's distributions for the tests (0.17 s to import, not needed before), and the versions
    that the manifests name (read from the disk: 25 ms).
    """
    import_distributions()
    _software()


def _compute_and_write(
    run: _Run,
    pairs: list[tuple[PreparedRound, PreparedRound | None]],
    history_of: dict[str, pd.DataFrame],
    staged: dict[Path, Path],
) -> list[RoundResult]:
    """Score and compare rounds (each with its previous round), and write their outputs.

    Each output folder is written into its staging folder in ``staged`` (see
    :func:`pipeline.write.replaced_together`), never in place.
    """
    partnership, jobs = run.partnership, run.jobs
    rounds = [prepared.round_id for prepared, _ in pairs]
    parts = _table_tasks(pairs, forked_processes(jobs))  # off Linux, one process: whole rounds
    _err(f"scoring and comparing {_rounds(rounds)}{_processes(jobs, parts)}")
    # each round's reverse-coded answers made once, here, and inherited by the helpers: a round
    # of a million responses has 450 MB of them, and each part of it made its own copy
    values = [reverse_coded(p.cleaned.responses, p.instrument) for p, _ in pairs]
    tables_of = in_parallel(_compute_tables, parts, jobs, (partnership, pairs, values))
    del values  # freed before the outputs are written
    merged: list[dict[str, pd.DataFrame]] = [{} for _ in rounds]
    for (index, _), tables in zip(parts, tables_of, strict=True):
        merged[index] |= tables
    results, renders = [], []
    for (prepared, _), parts_tables in zip(pairs, merged, strict=True):
        tables = in_table_order(parts_tables)
        history_of[prepared.round_id] = history_rows(tables["summary"], tables["partnership"])
        result, render = _round_render(partnership, prepared, tables, history_of, staged)
        results.append(result)
        renders.append(render)
    tasks = _write_tasks(renders, jobs)
    files = sum(len(render.pages()) for render in renders) + len(renders)
    _err(f"writing tables, {files} report pages and workbooks{_processes(jobs, tasks)}")
    in_parallel(_write_output, tasks, jobs, (renders, {}))
    for round_id in rounds:
        processed = partnership.processed_dir(round_id).relative_to(partnership.root)
        reports = partnership.reports_dir(round_id).relative_to(partnership.root)
        _progress(f"wrote {processed}/ and {reports}/")
    return results


def _rounds(round_ids: Sequence[str]) -> str:
    return f"round {round_ids[0]}" if len(round_ids) == 1 else f"rounds {', '.join(round_ids)}"


def _processes(jobs: int, tasks: Sequence[object]) -> str:
    workers = min(jobs, len(tasks))
    return f" in {workers} processes" if workers > 1 else ""


def _selected_rounds(partnership: Partnership, wanted: list[str] | None) -> list:
    if not wanted:
        return list(partnership.rounds)
    known = {r.id: r for r in partnership.rounds}
    unknown = [r for r in wanted if r not in known]
    if unknown:
        raise InputError.single(
            f"round {unknown[0]!r} is not in {CONFIG_FILENAME}",
            file=partnership.config_path,
            hint=f"use one of {', '.join(known)}, or add the round",
        )
    return [known[r] for r in wanted]


def _project_secret(partnership: Partnership) -> str:
    """The project's pseudonymisation key, made on the first run and kept out of git."""
    path = partnership.secret_path
    if path.is_file():
        secret = path.read_text(encoding="utf-8").strip()
        if len(secret.encode("utf-8")) == 16:
            return secret
        raise InputError.single(
            "the pseudonymisation secret is damaged (it must be 16 characters)",
            file=path,
            hint="restore it from a backup; deleting it gives every respondent a new pseudonym",
        )
    secret = new_secret()
    write_bytes_atomic(path, (secret + "\n").encode("utf-8"))
    path.chmod(0o600)
    _err(f"made a new pseudonymisation secret in {path} (keep it, out of git; see README)")
    return secret


@dataclass(frozen=True)
class PreparedRound:
    """A round after cleaning, with what the later stages read of its loading.

    Attributes
    ----------
    files
        Each export file: path, tool and rows, for the manifest.
    warnings
        The exports' warnings.
    received, received_by_party
        The responses loaded.
    """

    round_id: str
    instrument: Instrument
    files: list[tuple[Path, str, int]]
    warnings: list[str]
    received: int
    received_by_party: pd.Series
    cleaned: Cleaned

    @classmethod
    def of(
        cls,
        round_id: str,
        instrument: Instrument,
        exports: list[LoadedExport],
        received_by_party: pd.Series,
        cleaned: Cleaned,
    ) -> PreparedRound:
        """The cleaned round, keeping of the loaded rows only their counts."""
        return cls(
            round_id,
            instrument,
            [(export.path, export.tool, len(export.responses)) for export in exports],
            [warning for export in exports for warning in export.warnings],
            sum(len(export.responses) for export in exports),
            received_by_party,
            cleaned,
        )


def _clean_round(round_id: str) -> tuple[pd.Series, Cleaned]:
    """Clean one loaded round (a task of :func:`in_parallel`).

    Returns its responses received per party, and the cleaned round. The round's files are put
    in one table here, in the task, rather than before the tasks.
    """
    partnership, instrument_of, secret, exports_of = shared()
    responses = round_responses(exports_of[round_id])
    cleaned = clean_responses(
        responses, instrument_of[round_id], round_id, secret, partnership.cleaning
    )
    return responses["party"].value_counts(), cleaned


def _table_tasks(
    pairs: Sequence[tuple[PreparedRound, PreparedRound | None]], jobs: int
) -> list[tuple[int, tuple[str, ...]]]:
    """The tasks of :func:`_compute_tables` for these rounds.

    With one process, a round is one task: its parts share the reverse-coded answers and the
    scores. With more, a round is two: its summaries (and what builds on them) and the rest,
    so that two processes share one round, or an odd number of rounds. The summaries come
    first, the largest round's first; of the other parts, those of rounds with a previous round
    come first: they compare the two rounds too, and take half as long again (the example's
    three rounds are computed 60 ms sooner so). Two processes on one round each hold its
    working memory, but share its reverse-coded answers, made before them: at a million
    responses the run peaks at about 1.85 GB in all (2.3 GB when each made its own).
    """
    if jobs <= 1:
        return [(i, ("summary", "independent")) for i in range(len(pairs))]
    largest = sorted(range(len(pairs)), key=lambda i: -len(pairs[i][0].cleaned.responses))
    compared = [i for i in range(len(pairs)) if pairs[i][1] is not None]
    return [
        *[(i, ("summary",)) for i in largest],
        *[(i, ("independent",)) for i in compared],
        *[(i, ("independent",)) for i in range(len(pairs)) if i not in compared],
    ]


def _compute_tables(task: tuple[int, tuple[str, ...]]) -> dict[str, pd.DataFrame]:
    """Score and compare a round, or a part of it (a task of :func:`in_parallel`): its tables."""
    partnership, pairs, values_of = shared()
    index, parts = task
    prepared, previous = pairs[index]
    responses, instrument = prepared.cleaned.responses, prepared.instrument
    values = values_of[index]
    tables = {}
    if "summary" in parts:
        tables |= summary_tables(
            responses,
            prepared.cleaned.dont_know,
            instrument,
            partnership.party_ids,
            partnership.bands,
            partnership.min_group_size,
            values,
        )
    if "independent" in parts:
        tables |= independent_tables(
            responses,
            instrument,
            partnership.party_ids,
            partnership.min_group_size,
            (previous.cleaned.responses, previous.instrument) if previous else None,
            values,
            tables.get("scores"),
        )
    return tables


def _round_render(
    partnership: Partnership,
    prepared: PreparedRound,
    computed: dict[str, pd.DataFrame],
    history_of: dict[str, pd.DataFrame],
    staged: dict[Path, Path],
) -> tuple[RoundResult, RoundRender]:
    """Write a round's manifest; what its summary line says, and what its outputs are made from.

    ``history_of`` holds the trends' rows of the rounds computed in this run; an earlier round
    that is not is read from the tables an earlier run wrote. ``staged`` gives each output
    folder's staging folder, where the manifest and the outputs are written.
    """
    round_id, instrument = prepared.round_id, prepared.instrument
    responses, quality_log, dont_know, comments = prepared.cleaned
    tables = {
        "responses": responses,
        "quality_log": quality_log,
        "dont_know": dont_know,
        "comments": comments,
        **computed,
    }
    counts = _response_counts(prepared.received_by_party, responses, partnership)
    manifest = _manifest(partnership, round_id, instrument, prepared.files)
    processed = staged[partnership.processed_dir(round_id)]
    write_bytes_atomic(
        processed / "manifest.json",
        (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode(),
    )
    reports = partnership.reports_dir(round_id)
    language = partnership.language
    # the trends: this round's summary and partnership rows, and those of every earlier round,
    # computed in this run or written by an earlier run; a round whose tables are missing or
    # unreadable is left out of the trends
    order = [r.id for r in partnership.rounds]
    history = []
    for earlier in order[: order.index(round_id)] if round_id in order else []:
        if earlier in history_of:
            history.append(history_of[earlier])
            continue
        folder = partnership.processed_dir(earlier)
        try:
            summary_then = pd.read_parquet(folder / "summary.parquet")
            pooled_then = pd.read_parquet(folder / "partnership.parquet")
            history.append(history_rows(summary_then, pooled_then))
        except (OSError, ValueError):
            continue
    history.append(history_of[round_id])
    report_data = RoundReportData(
        partnership_name=partnership.name,
        round_id=round_id,
        language=language,
        min_group_size=partnership.min_group_size,
        min_group_size_comments=partnership.min_group_size_comments,
        parties=pd.DataFrame(
            {
                "id": [p.id for p in partnership.parties],
                "name": [p.name for p in partnership.parties],
                "invited": pd.array([p.invited for p in partnership.parties], dtype="Int64"),
            }
        ),
        response_counts=counts,
        manifest=manifest,
        history=pd.concat(history, ignore_index=True),
        **report_labels(instrument, language),
        **{name: tables.get(name) for name in REPORT_TABLES},
    )
    actions = quality_log.drop_duplicates(["source_file", "source_row", "check"])
    excluded = actions[actions["action"] == "excluded"]["check"].value_counts().sort_index()
    flagged = actions[actions["action"] == "flagged"]["check"].value_counts().sort_index()
    result = RoundResult(
        round_id=round_id,
        received=prepared.received,
        kept=len(responses),
        excluded={str(k): int(v) for k, v in excluded.items()},
        flagged={str(k): int(v) for k, v in flagged.items()},
        report=reports / STEERING_PAGE,
        warnings=prepared.warnings,
    )
    return result, RoundRender(
        report_data, tables, processed, staged[reports], partnership.party_ids
    )


# --- reports and workbooks ----------------------------------------------------------------------


@dataclass(frozen=True)
class RoundRender:
    """What a round's tables, report pages and workbook are made from, and where they go."""

    data: RoundReportData
    tables: dict[str, pd.DataFrame]
    processed: Path
    folder: Path
    parties: list[str]

    def pages(self) -> list[str | None]:
        """The party of each report page: None for the steering page, then each party."""
        return [None, *self.parties]


#: The kinds of task of :func:`_write_output`: a round's processed tables (CSV and Parquet, into
#: :attr:`RoundRender.processed`), some of its report pages, and its workbook.
TABLES, PAGES, WORKBOOK = "tables", "pages", "tables.xlsx"
#: The tables of a row per respondent or response: restricted data, which stays in
#: ``data/processed/``; the workbook in ``reports/`` holds the aggregates only.
RESPONDENT_TABLES = frozenset({"responses", "scores", "dont_know", "comments", "quality_log"})
#: A round with at most this many report pages has them written by as few tasks as keep every
#: process busy (one, when there are at least as many rounds as processes); a round with more
#: by one task per process.
_PAGES_TOGETHER = 16
#: A table of more cells than this is written (as CSV and Parquet) by a task of its own, so that a
#: large round's tables are shared among the processes; a round's smaller tables are one task. At
#: a million responses, ``responses`` took 6.6 s to write, ``dont_know`` and ``scores`` 2 s each
#: and the other tables 0.3 s together: one task for them all kept one process busy for 12.8 s
#: of the run's 34, and the other idle for 10.
_CELLS_APART = 2**20


def _write_tasks(
    renders: list[RoundRender], jobs: int
) -> list[tuple[int, str, tuple[str | None, ...]]]:
    """The tasks of :func:`_write_output`: each a round's index, kind, and tables or pages.

    The tables come first, then the pages, then the workbooks: the largest first, for a large
    round and for the example. Each table of more than :data:`_CELLS_APART` cells is a task,
    the largest of all rounds first; then each round's other tables are one. A process builds
    a round's report context (the labels, sorted tables and statements' agreement that its
    pages share: 60 ms of a page's 90 in the example) for each task of the round's pages it
    takes, so a round's pages are spread over no more tasks than balance the processes. Each
    task's pages (their parties, None for the steering page) are a share taken in turn.
    """
    large = sorted(
        (-table.size, index, name)
        for index, render in enumerate(renders)
        for name, table in render.tables.items()
        if table.size > _CELLS_APART
    )  # the largest first; equal sizes by round and name, a fixed order
    tasks: list[tuple[int, str, tuple[str | None, ...]]] = [
        (index, TABLES, (name,)) for _, index, name in large
    ]
    for index, render in enumerate(renders):
        together = tuple(n for n, table in render.tables.items() if table.size <= _CELLS_APART)
        if together:
            tasks.append((index, TABLES, together))
    for index, render in enumerate(renders):
        pages = render.pages()
        shares = math.ceil(jobs / len(renders)) if len(pages) <= _PAGES_TOGETHER else jobs
        shares = min(shares, len(pages))
        tasks += [(index, PAGES, tuple(pages[share::shares])) for share in range(shares)]
    return tasks + [(index, WORKBOOK, ()) for index in range(len(renders))]


def _write_output(task: tuple[int, str, tuple[str | None, ...]]) -> None:
    """Write some of a round's tables or pages, or its workbook (a task of :func:`in_parallel`).

    Each process keeps one report context per round, so the pages of a round it writes share
    what they have in common.
    """
    renders, contexts = shared()
    index, kind, names = task  # the tables' names, or the pages' parties
    render = renders[index]
    if kind == TABLES:
        for table_name in names:
            write_table(render.tables[table_name], render.processed, table_name)
    elif kind == WORKBOOK:
        released = {n: t for n, t in render.tables.items() if n not in RESPONDENT_TABLES}
        write_tables_workbook(released, render.folder / WORKBOOK)
    else:
        if index not in contexts:
            contexts[index] = Context(render.data)
        for party in names:
            page = report_page(contexts[index], party)
            write_bytes_atomic(render.folder / page_file(party), page.utf8())


def _response_counts(
    received_by_party: pd.Series, responses: pd.DataFrame, partnership: Partnership
) -> pd.DataFrame:
    """Per party: responses received, kept and excluded."""
    received = received_by_party.reindex(partnership.party_ids, fill_value=0)
    kept = responses["party"].value_counts().reindex(partnership.party_ids, fill_value=0)
    return pd.DataFrame(
        {
            "party": partnership.party_ids,
            "received": received.to_numpy(dtype="int64"),
            "kept": kept.to_numpy(dtype="int64"),
            "excluded": (received - kept).to_numpy(dtype="int64"),
        }
    )


def _generated_at() -> str:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    else:
        moment = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_versions(packages: Sequence[str], missing: str = "not installed") -> dict[str, str]:
    """The installed version of each package, ``missing`` for one that is not installed."""
    versions = {}
    for package in packages:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = missing
    return versions


@cache
def _software() -> dict[str, str]:
    """The versions a manifest names, looked up once per run (each lookup reads the disk)."""
    return {
        "collab-eval": __version__,
        "python": sys.version.split()[0],
        **package_versions(SOFTWARE),
    }


def _manifest(
    partnership: Partnership,
    round_id: str,
    instrument: Instrument,
    files: list[tuple[Path, str, int]],
) -> dict:
    """How the round's outputs were made: inputs with checksums, instrument, settings, software."""
    return {
        "generated_at": _generated_at(),
        "round": round_id,
        "inputs": [
            {
                "file": partnership.relative(path),
                "sha256": _sha256(path),
                "rows": rows,
                "tool": tool,
            }
            for path, tool, rows in files
        ],
        "instrument": {
            "file": partnership.relative(instrument.path),
            "form_id": instrument.form_id,
            "version": instrument.version,
            "sha256": instrument.sha256,
        },
        "settings": {
            "language": partnership.language,
            "min_group_size": partnership.min_group_size,
            "bands_shines": partnership.bands.shines,
            "bands_chafes": partnership.bands.chafes,
            "interval": "95% percentile bootstrap interval of the mean (2,000 seeded resamples)",
            "partnership_mean": "mean of party means (equal weight)",
        },
        "software": _software(),
    }


def _print_summary(partnership: Partnership, results: list[RoundResult], seconds: float) -> None:
    print(f"\n{partnership.name}: {len(results)} round(s) in {seconds:.1f} s")
    print(f"{'round':<8}{'received':>9}{'kept':>6}{'excluded':>10}  flagged / excluded by reason")
    for result in results:
        reasons = ", ".join(f"{k} {v}" for k, v in result.excluded.items()) or "-"
        flags = ", ".join(f"{k} {v}" for k, v in result.flagged.items())
        excluded_total = result.received - result.kept
        print(
            f"{result.round_id:<8}{result.received:>9}{result.kept:>6}{excluded_total:>10}  "
            f"{reasons}" + (f"; flagged: {flags}" if flags else "")
        )
    warnings = [w for r in results for w in r.warnings]
    for warning in warnings[:10]:
        print(f"warning: {warning}")
    if len(warnings) > 10:
        print(f"... and {len(warnings) - 10} more warnings")
    print("\nreports:")
    for result in results:
        print(f"  {result.report}")
    print(f"tables:  {partnership.root / 'data' / 'processed'}/<round>/ (CSV and Parquet)")


# --- validate -----------------------------------------------------------------------------------


def _command_validate(args: argparse.Namespace) -> int:
    partnership = load_partnership(args.project)
    for warning in partnership.warnings:
        print(f"warning: {warning}")
    problems = []
    warnings = 0
    for round_ in partnership.rounds:
        try:
            instrument = load_instrument(round_.instrument, language=partnership.language)
        except InputError as error:
            problems.extend(error.problems)
            continue
        exports, round_problems = load_files(partnership, round_.id, instrument, args.jobs)
        problems.extend(round_problems)
        print(f"round {round_.id} (instrument {instrument.path.name}, {instrument.version}):")
        for path, reason in partnership.skipped_files(round_.id):
            print(f"  {partnership.relative(path)}: skipped, {reason}")
        loaded = {export.path: export for export in exports}
        for path in partnership.export_files(round_.id):
            shown = partnership.relative(path)
            export = loaded.get(path)
            if export is None:
                print(f"  {shown}: cannot be loaded (the problems are listed below)")
                continue
            print(f"  {shown}: {_export_summary(export)}")
            print(f"      dimensions: {_coverage(export, instrument)}")
            for line in _unmatched(export, instrument):
                print(f"      {line}")
            if args.verbose:
                for line in _export_details(export):
                    print(f"      {line}")
        if not round_problems:
            check = check_round(partnership, round_.id, instrument, exports)
            problems.extend(check.problems)
            for warning in check.warnings:
                print(f"  warning: {warning}")
            warnings += len(check.warnings)
    if problems:
        raise InputError(problems)
    print(
        "valid: every file can be loaded"
        + (f"; {warnings} warning{'s' if warnings != 1 else ''} above" if warnings else "")
    )
    return EXIT_OK


def _export_summary(export: LoadedExport) -> str:
    """One line per file: tool, rows, parties, and how many columns went where."""
    responses = export.responses
    parties = sorted(responses["party"].dropna().unique())
    unsubmitted = int((~responses["submitted"]).sum())  # NA (the tool does not say) is not counted
    return (
        f"{export.tool}, {len(responses)} rows, party {', '.join(parties) or '?'},"
        f" {len(export.matched)} items matched, {len(export.identifiers)} identifier columns,"
        f" {len(export.metadata)} tool columns, {len(export.ignored)} ignored"
        + (f"; {unsubmitted} not submitted" if unsubmitted else "")
    )


def _coverage(export: LoadedExport, instrument: Instrument) -> str:
    """``VER 5/5, PRO 2/6``: the items of each dimension that the file matched."""
    return ", ".join(
        f"{code} {found}/{total}"
        for code, (found, total) in dimension_coverage(export, instrument).items()
    )


def _unmatched(export: LoadedExport, instrument: Instrument) -> list[str]:
    """The file's warnings; a column that matched nothing with the closest item and its aliases."""
    shown = f"{export.responses['source_file'].iloc[0]}: "
    unmatched = [f"{shown}column {header!r} matches no item and is ignored" for header in
                 export.ignored]  # fmt: skip
    lines = [
        f"warning: {warning.removeprefix(shown)}"
        for warning in export.warnings
        if warning not in unmatched
    ]
    for header, warning in zip(export.ignored, unmatched, strict=True):
        if warning not in export.warnings:  # ignored for a reason of its own, given above
            continue
        closest = closest_item(header, instrument)
        if closest is None:
            lines.append(f"ignored {header!r}: no item is like it")
        else:
            item, aliases = closest
            lines.append(
                f"ignored {header!r}: closest item {item}; to match it, set its aliases "
                f"(sheet 'survey', column 'aliases') to: {aliases}"
            )
    return lines


def _export_details(export: LoadedExport) -> list[str]:
    """With --verbose: which header went to which item, identifier kind or tool role."""
    lines = [f"{header!r} -> {item}" for header, item in export.matched.items()]
    lines += [f"{header!r} -> identifier ({kind})" for header, kind in export.identifiers.items()]
    lines += [f"{header!r} -> tool column ({role})" for header, role in export.metadata.items()]
    lines += [f"{header!r} -> ignored" for header in export.ignored]
    return lines


# --- init and example ----------------------------------------------------------------------------


def _command_init(args: argparse.Namespace) -> int:
    root: Path = args.directory
    round_id = str(args.round_id)
    if not valid_round_id(round_id):  # it names folders: "--round .." would write beside them
        raise InputError.single(
            f"--round {round_id!r} is not a valid round id",
            hint=f"use {ROUND_ID_RULE}, such as --round 2026",
        )
    if (root / CONFIG_FILENAME).exists():
        raise InputError.single(
            f"{CONFIG_FILENAME} exists already; init does not overwrite a project",
            file=root / CONFIG_FILENAME,
            hint="choose a new folder, or edit the existing partnership.toml",
        )
    root.mkdir(parents=True, exist_ok=True)
    with project_lock(root, "init"):
        return _init_locked(args, root, round_id)


def _init_locked(args: argparse.Namespace, root: Path, round_id: str) -> int:
    """``init`` holding the new project's lock: its folders, instrument and settings."""
    # imported here: the example's builders (and openpyxl) are not needed by a run
    from pipeline.example_instrument import INSTRUMENT_FILENAME, write_instrument

    (root / "data" / "raw" / round_id).mkdir(parents=True, exist_ok=True)
    for folder in ("data/processed", "reports"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    write_instrument(root / "questionnaires" / INSTRUMENT_FILENAME)
    name = args.name.replace("\\", "\\\\").replace('"', '\\"')
    toml = f"""# A partnership project for collab-eval. See the README for every key.

[partnership]
name = "{name}"
instrument = "questionnaires/{INSTRUMENT_FILENAME}"
language = "nl"            # report language: nl or en
min_group_size = 5         # anonymity threshold

# One table per partner organisation; id is the file name of its export (lisse.csv).
[[parties]]
id = "partij-a"
name = "Partij A"

[[parties]]
id = "partij-b"
name = "Partij B"

[[rounds]]
id = "{round_id}"          # folder data/raw/{round_id}/
"""
    write_bytes_atomic(root / CONFIG_FILENAME, toml.encode("utf-8"))
    (root / ".gitignore").write_text(
        f"data/processed/\nreports/\n{SECRET_FILENAME}\n{LOCK_FILENAME}\n", encoding="utf-8"
    )
    print(f"made a partnership project in {root}")
    print(f"  1. edit {root / CONFIG_FILENAME}: the name and one [[parties]] table per partner")
    print(f"  2. put each partner's export in {root / 'data' / 'raw' / round_id}/<party id>.csv")
    print(f"  3. collab-eval validate --project {root}   then   collab-eval run --project {root}")
    return EXIT_OK


def _command_example(args: argparse.Namespace) -> int:
    from pipeline.example import write_example  # only this command needs the example builders

    args.directory.mkdir(parents=True, exist_ok=True)
    with project_lock(args.directory, "example"):  # it rewrites a project's settings and exports
        written = write_example(args.directory)
    print(f"wrote the example partnership ({len(written)} files) to {args.directory}")
    print(f"run it with: collab-eval run --project {args.directory}")
    return EXIT_OK


def console() -> int:
    """:func:`main` with the libraries' objects frozen: ``collab-eval`` once they are loaded.

    :func:`pipeline.console`, the installed command, loads them and calls this. Python's
    garbage collector looks at every object the libraries made in each full collection: 45 ms a
    time in the example's run, two or three times in each process, and 0.1 s at exit (0.09 s
    for pandas' alone). Frozen after the imports, and again at exit, they are passed over, and
    the system frees the process's memory at once. Not in :func:`main`, which tests call
    in-process.
    """
    gc.freeze()
    code = main()
    gc.freeze()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(console())
