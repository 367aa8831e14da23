"""The collab-eval command: help, exit codes, messages without tracebacks, and whole runs."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyarrow.parquet as pq
import pytest
from export_fixtures import run_cli, sha256, tree

import pipeline.cli
import pipeline.write
from pipeline.cli import (
    _batches,
    _Run,
    _table_tasks,
    _text_storage,
    _write_tasks,
    console,
    main,
    package_versions,
)
from pipeline.config import load_partnership
from pipeline.load import load_round
from pipeline.lock import project_lock
from pipeline.parallel import WorkerLostError
from pipeline.questionnaire import load_instrument
from pipeline.write import recover_replaced

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = ("2024", "2025", "2026")
PARTIES = ("lisse", "hillegom", "zorgpunt", "woonstede", "welzijn", "clientenraad")
DIMENSIONS = ["AMB", "BEL", "VER", "ROL", "PRO", "HAB", "DRA", "RES"]
ITEMS = (
    [f"AMB{i}" for i in range(1, 5)]
    + [f"BEL{i}" for i in range(1, 5)]
    + [f"VER{i}" for i in range(1, 6)]
    + [f"ROL{i}" for i in range(1, 5)]
    + [f"PRO{i}" for i in range(1, 7)]
    + [f"HAB{i}" for i in range(1, 5)]
    + [f"DRA{i}" for i in range(1, 5)]
    + [f"RES{i}" for i in range(1, 6)]
)
FRICTION = ["GS_ORG", "GS_BES", "GS_GELD", "GS_VOL", "GS_TEMPO"]
FIXED = ["round", "party", "respondent", "level"]
COLUMNS = {
    "responses": [*FIXED, "years", *ITEMS, *FRICTION],
    "quality_log": ["round", "party", "source_file", "source_row", "check", "action", "detail"],
    "scores": [*FIXED, *DIMENSIONS],
    "summary": [
        "round", "party", "dimension", "n", "mean", "sd", "ci_low", "ci_high",
        "pct_favourable", "band", "suppressed",
    ],
    "partnership": [
        "round", "dimension", "parties", "n", "mean_equal_weight", "mean_respondent_weight",
        "band",
    ],
    "reliability": ["round", "dimension", "n_items", "n_complete", "alpha"],
    "tests": [
        "round", "dimension", "comparison", "test", "statistic", "p_value", "p_adjusted",
        "effect_size", "effect_measure",
    ],
}  # fmt: skip
CHANGES = [
    "round", "previous_round", "party", "dimension", "mean", "previous_mean", "delta", "p_value",
    "effect_size",
]  # fmt: skip
# Respondents per party and round in the example (pipeline/example.py _PARTIES), summed by hand:
# 2024: 38+30+34+22+14+4, 2025: 41+29+36+24+15+9, 2026: 40+33+35+25+16+11. Each round's raw
# exports hold two more rows: an empty response (lisse) and a duplicate (hillegom). Kept are
# those less the partial responses that Qualtrics (lisse) and LimeSurvey (zorgpunt) mark as not
# finished: 2024: 4+1, 2025: 2+2, 2026: 7+0 (zorgpunt's 2026 .sav has none).
RECEIVED = {"2024": 144, "2025": 156, "2026": 162}
KEPT = {"2024": 137, "2025": 150, "2026": 153}
# The example's exports per round: file -> (tool, parties, items matched). The shared Google
# Forms file of 2025 has the party question too (46 items); the others every item but that one.
EXAMPLE_FILES = {
    round_id: {
        "lisse.csv": ("qualtrics", "lisse", 45),
        "hillegom.xlsx": ("msforms", "hillegom", 45),
        "zorgpunt.sav" if round_id == "2026" else "zorgpunt.csv": (
            "spss" if round_id == "2026" else "limesurvey", "zorgpunt", 45,
        ),
        "woonstede.xlsx": ("surveymonkey", "woonstede", 45),
        **(
            {"gezamenlijk.csv": ("googleforms", "clientenraad, welzijn", 46)}
            if round_id == "2025"
            else {"welzijn.csv": ("googleforms", "welzijn", 45),
                  "clientenraad.xlsx": ("kobo", "clientenraad", 45)}
        ),
    }
    for round_id in ROUNDS
}  # fmt: skip
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def _init(directory: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _ = run_cli(["init", directory, "--round", "2025"], capsys)
    assert code == 0
    assert "made a partnership project" in out
    return directory


# --- help -----------------------------------------------------------------------------------


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "usage: collab-eval" in out
    assert "survey exports" in out
    for command in ("run", "validate", "init", "example"):
        assert f"    {command} " in out


@pytest.mark.parametrize(
    ("command", "phrase"),
    [
        ("run", "Run load, clean, score, compare and report"),
        ("validate", "Writes nothing"),
        ("init", "Make a new partnership project"),
        ("example", "Write the example partnership"),
    ],
)
def test_subcommand_help(capsys: pytest.CaptureFixture[str], command: str, phrase: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"usage: collab-eval {command}" in out
    assert phrase in out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli([], capsys)
    assert code == 2
    assert "usage: collab-eval" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("collab-eval ")


# --- input errors: exit 2, a message, no traceback --------------------------------------------


def test_missing_project_folder_as_a_subprocess(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("collab-eval")
    assert script.is_file(), f"{script} is not installed"
    missing = tmp_path / "no-such-project"
    result = subprocess.run(
        [str(script), "run", "--project", str(missing)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert str(missing) in result.stderr
    assert "does not exist" in result.stderr
    assert "collab-eval init" in result.stderr
    assert not missing.exists()


def test_broken_partnership_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _init(tmp_path / "p", capsys)
    toml = project / "partnership.toml"
    lines = toml.read_text(encoding="utf-8").splitlines()
    broken_line = next(i for i, line in enumerate(lines, start=1) if line.startswith("language"))
    lines[broken_line - 1] = "language = nl"
    toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_cli(["run", "--project", project], capsys)
    assert code == 2
    assert "partnership.toml" in err
    assert "not valid TOML" in err
    assert f"line {broken_line}" in err


def test_unknown_answer_in_an_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _init(tmp_path / "p", capsys)
    export = project / "data" / "raw" / "2025" / "partij-a.csv"
    export.write_bytes(b"AMB1;AMB2\r\nMee eens;Neutraal\r\nMee eens;Mee eenss\r\n")
    before = sha256(export)
    code, _, err = run_cli(["run", "--project", project], capsys)
    assert code == 2
    assert "data/raw/2025/partij-a.csv, row 3, column 'AMB2'" in err
    assert "'Mee eenss'" in err
    assert "'Mee eens'" in err
    assert sha256(export) == before
    assert not (project / "reports" / "2025" / "index.html").exists()
    assert list((project / "data" / "processed").rglob("*.csv")) == []


def test_missing_round_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _init(tmp_path / "p", capsys)
    (project / "data" / "raw" / "2025").rmdir()
    code, _, err = run_cli(["run", "--project", project], capsys)
    assert code == 2
    assert "partnership.toml" in err
    assert "data/raw/2025" in err


def test_unknown_round_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _init(tmp_path / "p", capsys)
    code, _, err = run_cli(["run", "--project", project, "--round", "1999"], capsys)
    assert code == 2
    assert "'1999'" in err
    assert "2025" in err


# --- init -------------------------------------------------------------------------------------


def test_init_then_run_on_two_parties(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _init(tmp_path / "p", capsys)
    assert (project / "questionnaires" / "samenwerking-v1.xlsx").is_file()
    raw = project / "data" / "raw" / "2025"
    shutil.copy(ROOT / "data" / "raw" / "2025" / "lisse.csv", raw / "partij-a.csv")
    shutil.copy(ROOT / "data" / "raw" / "2025" / "hillegom.xlsx", raw / "partij-b.xlsx")
    raw_before = tree(raw)

    code, out, _ = run_cli(["run", "--project", project], capsys)
    assert code == 0
    assert tree(raw) == raw_before
    report = project / "reports" / "2025" / "index.html"
    assert report.is_file()
    assert str(report) in out
    assert (project / "reports" / "2025" / "tables.xlsx").is_file()
    processed = project / "data" / "processed" / "2025"
    for name, columns in COLUMNS.items():  # DESIGN section 5's columns come first, in order
        assert list(pd.read_csv(processed / f"{name}.csv").columns)[: len(columns)] == columns
        assert pq.read_schema(processed / f"{name}.parquet").names[: len(columns)] == columns

    # lisse 2025 (Qualtrics): 41 respondents, 2 of whom did not finish, and an empty test
    # response; hillegom (Microsoft Forms): 29 and one who sent the form again later that hour,
    # from the same e-mail address: the same person answering again, the later one kept.
    responses = pd.read_csv(processed / "responses.csv")
    assert responses["party"].value_counts().to_dict() == {"partij-a": 39, "partij-b": 29}
    log = pd.read_csv(processed / "quality_log.csv")
    excluded = log[log["action"] == "excluded"]
    assert sorted(zip(excluded["party"], excluded["check"], strict=True)) == [
        ("partij-a", "empty_response"),
        ("partij-a", "not_submitted"),
        ("partij-a", "not_submitted"),
        ("partij-b", "same_identifier"),
    ]
    for path in processed.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert "@lisse.nl" not in text and "@hillegom.nl" not in text, path.name


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_whole_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--project", str(tmp_path), "--jobs", jobs])
    assert exit_.value.code == 2
    message = f"argument --jobs: {jobs!r} is not a whole number of at least 1"
    assert message in capsys.readouterr().err


def test_init_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _init(tmp_path / "p", capsys)
    toml = project / "partnership.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    before = sha256(toml)
    code, _, err = run_cli(["init", project], capsys)
    assert code == 2
    assert "exists already" in err
    assert str(toml) in err
    assert sha256(toml) == before


# --- validate and the whole example -----------------------------------------------------------


def _check_validate_lists_every_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["validate", "--project", project], capsys)
    assert code == 0
    lines = out.splitlines()
    for round_id in ROUNDS:
        for file, (tool, parties, items) in EXAMPLE_FILES[round_id].items():
            name = f"data/raw/{round_id}/{file}: "
            line = next((line for line in lines if line.strip().startswith(name)), None)
            assert line is not None, name
            assert f": {tool}, " in line, line
            assert f"{items} items matched" in line, line
            assert f"party {parties}," in line, line
    assert "valid" in lines[-1]
    assert not (project / "data" / "processed").exists()
    assert not (project / "reports").exists()


def test_example_end_to_end_is_complete_and_reproducible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    project = tmp_path / "example"
    assert run_cli(["example", project], capsys)[0] == 0
    # validate (loads every export, writes nothing) here, so the example is loaded once more only
    _check_validate_lists_every_file(project, capsys)
    raw_before = tree(project / "data" / "raw")
    code, out, err = run_cli(["run", "--project", project, "--jobs", "2"], capsys)
    assert code == 0
    assert "scoring and comparing rounds 2024, 2025, 2026 in 2 processes" in err
    assert "writing tables, 24 report pages and workbooks in 2 processes" in err
    assert tree(project / "data" / "raw") == raw_before
    _check_no_identifier_in_outputs(project)

    for round_id in ROUNDS:
        processed = project / "data" / "processed" / round_id
        expected = {**COLUMNS, **({"changes": CHANGES} if round_id != ROUNDS[0] else {})}
        for name, columns in expected.items():  # DESIGN section 5's columns first, in order
            frame = pd.read_csv(processed / f"{name}.csv", dtype=str, keep_default_na=False)
            assert list(frame.columns)[: len(columns)] == columns, (round_id, name)
            assert pq.read_schema(processed / f"{name}.parquet").names[: len(columns)] == columns
            assert set(frame["round"]) == {round_id}, (round_id, name)
        if round_id != ROUNDS[0]:
            changes = pd.read_csv(processed / "changes.csv", dtype={"previous_round": str})
            assert set(changes["previous_round"]) == {ROUNDS[ROUNDS.index(round_id) - 1]}
        responses = pd.read_csv(processed / "responses.csv")
        assert len(responses) == KEPT[round_id]
        assert len(pd.read_csv(processed / "scores.csv")) == KEPT[round_id]
        assert len(pd.read_csv(processed / "summary.csv")) == len(PARTIES) * len(DIMENSIONS)
        assert list(pd.read_csv(processed / "partnership.csv")["dimension"]) == DIMENSIONS
        assert list(pd.read_csv(processed / "reliability.csv")["dimension"]) == DIMENSIONS
        manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["generated_at"] == "2026-01-01T00:00:00Z"
        assert (project / "reports" / round_id / "index.html").is_file()
        assert (project / "reports" / round_id / "tables.xlsx").is_file()
        assert f"{round_id:<8}{RECEIVED[round_id]:>9}{KEPT[round_id]:>6}" in out

    first = {
        **tree(project / "data" / "processed"),
        **{f"reports/{k}": v for k, v in tree(project / "reports").items()},
    }
    # one process, where the first run used two; so each round's tables in one task, where the
    # first run computed them in two parts; each round loaded, compared and written in a batch
    # of its own, where the first run did all three together; text in Arrow strings, where the
    # first run (a small one) kept it in Python strings: the same bytes
    monkeypatch.setattr("pipeline.cli._BATCH_BYTES", 1)
    monkeypatch.setattr("pipeline.cli._PYTHON_TEXT_BYTES", -1)
    code, _, err = run_cli(["run", "--project", project, "--jobs", "1"], capsys)
    assert code == 0
    assert err.count("loading round ") == 3
    second = {
        **tree(project / "data" / "processed"),
        **{f"reports/{k}": v for k, v in tree(project / "reports").items()},
    }
    assert second == first

    # the last batch's file is broken: the rounds written before it go back with it
    (project / "data" / "raw" / "2026" / "lisse.csv").write_text("AMB1\nnegen\n")
    code, _, err = run_cli(["run", "--project", project, "--jobs", "1"], capsys)
    assert code == 2
    assert "wrote data/processed/2025/" in err
    assert "data/raw/2026/lisse.csv, row 2, column 'AMB1'" in err
    third = {
        **tree(project / "data" / "processed"),
        **{f"reports/{k}": v for k, v in tree(project / "reports").items()},
    }
    assert third == first


def _identifiers_in_raw_exports(project: Path) -> set[str]:
    """Every value of every identifier column (names, e-mail, IP addresses, tokens) in the raw
    exports, as the loader recognises them."""
    partnership = load_partnership(project)
    values: set[str] = set()
    for round_ in partnership.rounds:
        loaded, _ = load_round(partnership, round_.id, load_instrument(round_.instrument))
        for column in [c for c in loaded.columns if c.startswith("id_")]:
            values |= {str(v) for v in loaded[column].dropna() if len(str(v)) >= 5}
    return values


def _output_texts(project: Path) -> dict[Path, str]:
    texts = {}
    for path in [*(project / "data" / "processed").rglob("*"), *(project / "reports").rglob("*")]:
        if path.suffix in (".csv", ".json", ".html", ".md"):
            texts[path] = path.read_text(encoding="utf-8")
        elif path.suffix == ".parquet":
            texts[path] = pd.read_parquet(path).to_csv()
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts[path] = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    return texts


def _check_no_identifier_in_outputs(project: Path) -> None:
    identifiers = _identifiers_in_raw_exports(project)
    assert any("@" in value for value in identifiers)  # the example has e-mail addresses
    assert any(" " in value for value in identifiers)  # and full names
    texts = _output_texts(project)
    assert any(p.suffix == ".parquet" for p in texts) and any(p.suffix == ".xlsx" for p in texts)
    leaks = [
        (path.name, value) for path, text in texts.items() for value in identifiers if value in text
    ]
    assert not leaks, leaks[:5]


def test_a_run_that_fails_while_writing_leaves_the_previous_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _init(tmp_path / "p", capsys)
    raw = project / "data" / "raw" / "2025"
    shutil.copy(ROOT / "data" / "raw" / "2025" / "lisse.csv", raw / "partij-a.csv")
    shutil.copy(ROOT / "data" / "raw" / "2025" / "hillegom.xlsx", raw / "partij-b.xlsx")
    assert run_cli(["run", "--project", project], capsys)[0] == 0
    before = {**tree(project / "data" / "processed"), **tree(project / "reports")}
    assert any(name.endswith("summary.parquet") for name in before)

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    # the processed tables are written by then; the workbook fails
    monkeypatch.setattr("pipeline.cli.write_tables_workbook", disk_full)
    code, _, err = run_cli(["run", "--project", project], capsys)
    assert code == 1
    assert "error: [Errno 28] No space left" in err
    assert "bug" not in err  # the machine's problem, not the code's
    after = {**tree(project / "data" / "processed"), **tree(project / "reports")}
    assert after == before

    def killed(*_args: object) -> None:
        raise WorkerLostError("a worker process ended unexpectedly (exit code -9)")

    monkeypatch.setattr("pipeline.cli.write_tables_workbook", killed)
    code, _, err = run_cli(["run", "--project", project], capsys)
    assert code == 1
    assert err.splitlines()[-1] == "error: a worker process ended unexpectedly (exit code -9)"
    assert {**tree(project / "data" / "processed"), **tree(project / "reports")} == before


# --- outputs that survive a kill, one run at a time, round ids (issue 27) ----------------------

#: The installed command, run as a subprocess where a test kills or stops it.
COMMAND = Path(sys.executable).with_name("collab-eval")
#: Two versions of a project's outputs: runs with other dates and pseudonymisation secrets, so
#: every output folder of one differs from the other's.
VERSIONS = {
    "A": ("1767225600", "aaaaaaaaaaaaaaaa"),
    "B": ("1798761600", "bbbbbbbbbbbbbbbb"),
}


def _start_run(project: Path, version: str) -> subprocess.Popen[str]:
    """``collab-eval run`` of ``version`` as a subprocess in a process group of its own."""
    epoch, secret = VERSIONS[version]
    (project / ".collab-eval-secret").write_text(secret + "\n", encoding="utf-8")
    return subprocess.Popen(
        [str(COMMAND), "run", "--project", str(project), "--jobs", "2"],
        env={**os.environ, "SOURCE_DATE_EPOCH": epoch},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that the run and its helper processes are killed together
    )


def _read_until(run: subprocess.Popen[str], phrase: str) -> list[str]:
    """The run's stderr lines up to the first with ``phrase``; fails if it ends first."""
    assert run.stderr is not None
    lines = []
    while line := run.stderr.readline():
        lines.append(line)
        if phrase in line:
            return lines
    run.wait()
    pytest.fail(f"the run ended (exit code {run.returncode}) before {phrase!r}:\n{''.join(lines)}")


def _round_folders(project: Path) -> list[Path]:
    return [
        project / parent / round_id
        for parent in ("data/processed", "reports")
        for round_id in ("2024", "2025")
    ]


def _versions(project: Path) -> dict[Path, dict[str, str]]:
    """Each round folder's files with their SHA-256 (an empty dict for a missing folder)."""
    return {folder: tree(folder) if folder.exists() else {} for folder in _round_folders(project)}


def _left_beside(project: Path) -> list[str]:
    """What is left beside the round folders: staging folders, old folders, journals."""
    return sorted(
        f"{parent}/{name}"
        for parent in ("data/processed", "reports")
        for name in os.listdir(project / parent)
        if name not in ("2024", "2025")
    )


def test_a_run_killed_at_any_moment_of_writing_leaves_every_round_folder_whole(
    tmp_path: Path,
) -> None:
    # the benchmark's generator (importable with the repository on the path: python -m pytest)
    from benchmarks.synthetic import Spec, write_project

    # a partnership whose outputs take a second or more to write: two rounds of 2,000
    # respondents in 10 parties (24 report pages of 4 MB, workbooks, tables of 60 items)
    project = tmp_path / "project"
    write_project(Spec(respondents=2_000, parties=10, rounds=2), "csv", project)
    reference: dict[str, dict[Path, dict[str, str]]] = {}
    for version in VERSIONS:
        with _start_run(project, version) as run:
            _read_until(run, "writing tables")
            started = time.monotonic()
            assert run.wait() == 0
            span = time.monotonic() - started  # the time the run takes to write (not asserted)
        reference[version] = _versions(project)
    for folder in _round_folders(project):  # so a folder of one run is told from the other's
        assert reference["A"][folder] != reference["B"][folder]
        assert reference["A"][folder].keys() == reference["B"][folder].keys()
    whole = [reference["A"][folder] for folder in _round_folders(project)]
    assert all(whole) and not _left_beside(project)
    exchange = _exchange_works(tmp_path)
    # a kill at moments spread over the writing, the last ones about when it ends, each run
    # writing the version the folders do not hold; where a run ended before its kill, it wrote
    now = "B"
    kills = 8
    for moment in range(kills):
        new = "A" if now == "B" else "B"
        with _start_run(project, new) as run:
            _read_until(run, "writing tables")  # the lock is free: the killed run's died with it
            time.sleep(span * 1.1 * moment / (kills - 1))
            with contextlib.suppress(ProcessLookupError):  # it has ended already
                os.killpg(run.pid, signal.SIGKILL)
            assert run.wait() in (0, -signal.SIGKILL)
        # every round folder holds the previous outputs or the new ones, whole
        for folder, files in _versions(project).items():
            if not files and not exchange:  # killed between two renames: its old folder beside
                (files,) = [tree(p) for p in folder.parent.glob(f".previous-*-{folder.name}")]
            assert files in (reference[now][folder], reference[new][folder]), (moment, folder)
        if moment == kills - 1:
            break
        # the next run's recovery (done here, before it writes): the folders are replaced
        # together, all the previous outputs or all the new ones, and nothing is left beside
        recover_replaced([project / "data" / "processed", project / "reports"])
        together = [v for v in VERSIONS if _versions(project) == reference[v]]
        assert len(together) == 1, moment  # every folder of one version
        now = together[0]
        assert not _left_beside(project)
    # the next run recovers what the last kill left, and writes its outputs whole
    with _start_run(project, "A") as run:
        err = run.communicate()[1]
    assert run.returncode == 0, err
    assert _versions(project) == reference["A"]
    assert not _left_beside(project)


def _exchange_works(folder: Path) -> bool:
    """Whether two folders in ``folder`` can be exchanged in one step (Linux's renameat2)."""
    first, second = folder / "probe-1", folder / "probe-2"
    first.mkdir()
    second.mkdir()
    try:
        return pipeline.write._exchanged(first, second)
    finally:
        first.rmdir()
        second.rmdir()


def test_a_second_run_on_a_project_stops_at_once_naming_the_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _init(tmp_path / "p", capsys)
    raw = project / "data" / "raw" / "2025"
    shutil.copy(ROOT / "data" / "raw" / "2025" / "lisse.csv", raw / "partij-a.csv")
    shutil.copy(ROOT / "data" / "raw" / "2025" / "hillegom.xlsx", raw / "partij-b.xlsx")
    with _start_run(project, "A") as alone:  # the outputs of a run that meets no other
        assert alone.wait() == 0
    expected = _versions_of(project)
    shutil.rmtree(project / "data" / "processed")
    shutil.rmtree(project / "reports")
    with _start_run(project, "A") as first:
        _read_until(first, "loading round 2025")  # it holds the lock from before it loads
        os.killpg(first.pid, signal.SIGSTOP)  # held still, so the second run surely meets it
        try:
            code, _, err = run_cli(["run", "--project", project], capsys)
        finally:
            os.killpg(first.pid, signal.SIGCONT)
        first_err = first.communicate()[1]
    assert first.returncode == 0, first_err
    assert code == 2
    assert str(project.resolve() / ".collab-eval.lock") in err
    assert f"another collab-eval command is working on this project (pid {first.pid} " in err
    assert "`collab-eval run`, started " in err
    assert f"kill {first.pid}" in err
    assert _versions_of(project) == expected  # the first run's outputs, whole


def _versions_of(project: Path) -> dict[str, str]:
    """Every output file of the project with its SHA-256."""
    return {
        **{f"data/processed/{k}": v for k, v in tree(project / "data" / "processed").items()},
        **{f"reports/{k}": v for k, v in tree(project / "reports").items()},
    }


def test_init_and_example_refuse_a_project_another_command_works_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _init(tmp_path / "p", capsys)
    assert (project / ".gitignore").read_text(encoding="utf-8").splitlines() == [
        "data/processed/", "reports/", ".collab-eval-secret", ".collab-eval.lock",
    ]  # fmt: skip
    before = tree(project)
    with project_lock(project, "run"):  # a run working on the project
        code, _, err = run_cli(["example", project], capsys)
        assert code == 2
        assert "another collab-eval command is working on this project" in err
        assert run_cli(["run", "--project", project], capsys)[0] == 2
    assert tree(project) == before  # nothing written, the lock file emptied again
    other = tmp_path / "q"
    other.mkdir()
    with project_lock(other, "example"):
        assert run_cli(["init", other], capsys)[0] == 2
    assert os.listdir(other) == [".collab-eval.lock"]


def test_ids_that_are_no_plain_names_are_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _init(tmp_path / "p", capsys)
    toml = project / "partnership.toml"
    text = toml.read_text(encoding="utf-8")
    for where, bad in itertools.product(("round", "party"), ("..", ".", "a/b", "lisse 2", "ë")):
        example = '"2025"' if where == "round" else '"partij-a"'
        toml.write_text(text.replace(f"id = {example}", f'id = "{bad}"'), encoding="utf-8")
        code, _, err = run_cli(["run", "--project", project], capsys)
        assert code == 2, (where, bad)
        assert f"has id {bad!r}, which is not a valid {where} id" in err
        assert str(toml) in err
        assert sorted(os.listdir(project / "data")) == ["processed", "raw"]
        assert os.listdir(project / "data" / "processed") == []
        assert os.listdir(project / "reports") == []
        assert sorted(os.listdir(project)) == [
            ".collab-eval.lock", ".gitignore", "data", "partnership.toml", "questionnaires",
            "reports",
        ]  # fmt: skip


def test_init_refuses_a_round_id_that_is_no_plain_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for bad in ("..", ".", "a/b", "lisse 2", "ë"):
        code, _, err = run_cli(["init", tmp_path / "p", "--round", bad], capsys)
        assert code == 2, bad
        assert f"--round {bad!r} is not a valid round id" in err
        assert "fix: use letters" in err
        assert not (tmp_path / "p").exists()


def test_package_versions_name_the_installed_version_or_say_missing() -> None:
    versions = package_versions(["pandas", "no-such-package-collab-eval"], missing="-")
    assert versions == {"pandas": pd.__version__, "no-such-package-collab-eval": "-"}


def test_rounds_are_computed_whole_in_one_process_and_in_two_parts_in_more() -> None:
    rounds = [SimpleNamespace(cleaned=SimpleNamespace(responses=range(n))) for n in (3, 5, 4, 2)]
    pairs = [(round_, rounds[i - 1] if i else None) for i, round_ in enumerate(rounds)]
    whole = [(i, ("summary", "independent")) for i in range(4)]
    assert _table_tasks(pairs, 1) == whole
    assert _table_tasks(pairs, 2) == [
        (1, ("summary",)),  # the largest first
        (2, ("summary",)),
        (0, ("summary",)),
        (3, ("summary",)),
        (1, ("independent",)),  # compared with a previous round: larger than the first round's
        (2, ("independent",)),
        (3, ("independent",)),
        (0, ("independent",)),
    ]


def test_a_rounds_pages_are_written_by_as_few_tasks_as_keep_the_processes_busy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("pipeline.cli._PAGES_TOGETHER", 4)
    tables = {"summary": pd.DataFrame({"n": [1]})}
    few, many = (
        SimpleNamespace(tables=tables, pages=lambda: [None, "a", "b"]),
        SimpleNamespace(tables=tables, pages=lambda: [None, "a", "b", "c", "d"]),
    )
    # as many rounds as processes: each round's pages one task, between tables and workbooks
    assert _write_tasks([few, few], jobs=2) == [
        (0, "tables", ("summary",)),
        (1, "tables", ("summary",)),
        (0, "pages", (None, "a", "b")),
        (1, "pages", (None, "a", "b")),
        (0, "tables.xlsx", ()),
        (1, "tables.xlsx", ()),
    ]
    # fewer rounds than processes, or more pages than go together: a share for each process
    assert _write_tasks([few], jobs=2)[1:3] == [(0, "pages", (None, "b")), (0, "pages", ("a",))]
    assert _write_tasks([many, few], jobs=2)[2:5] == [
        (0, "pages", (None, "b", "d")),
        (0, "pages", ("a", "c")),
        (1, "pages", (None, "a", "b")),
    ]
    assert _write_tasks([few], jobs=8)[1:4] == [(0, "pages", (p,)) for p in (None, "a", "b")]


def test_a_large_table_is_written_by_a_task_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.cli._CELLS_APART", 6)
    rows = {
        "responses": pd.DataFrame({"a": range(4), "b": range(4)}),  # 8 cells
        "summary": pd.DataFrame({"n": range(6)}),  # 6: not more than the limit
        "scores": pd.DataFrame({"x": range(7)}),  # 7
        "comments": pd.DataFrame({"text": []}),
    }
    small = {"summary": rows["summary"]}
    large = SimpleNamespace(tables=rows, pages=lambda: [None])
    other = SimpleNamespace(
        tables={**small, "dont_know": pd.DataFrame({"i": range(8)})}, pages=lambda: [None]
    )
    tasks = [task for task in _write_tasks([large, other], jobs=2) if task[1] == "tables"]
    assert tasks == [
        (0, "tables", ("responses",)),  # the largest of all rounds first; equal: by round
        (1, "tables", ("dont_know",)),
        (0, "tables", ("scores",)),
        (0, "tables", ("summary", "comments")),  # each round's others together, in its order
        (1, "tables", ("summary",)),
    ]
    # every table of every round is written once
    written = sorted((i, name) for i, _, names in tasks for name in names)
    assert written == sorted([(0, n) for n in rows] + [(1, "summary"), (1, "dont_know")])


def test_rounds_are_batched_by_the_size_of_their_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.cli._BATCH_BYTES", 10)
    files = {}
    for round_id, sizes in {"a": [4, 2], "b": [3], "c": [11], "d": [5], "e": [5]}.items():
        files[round_id] = []
        for i, size in enumerate(sizes):
            path = tmp_path / f"{round_id}{i}.csv"
            path.write_bytes(b"x" * size)
            files[round_id].append(path)
    run = _Run(None, 1, "", {}, files)  # type: ignore[arg-type]
    # 6 + 3 fit in 10; 11 alone is too large for any batch; 5 + 5 fit exactly
    assert _batches(run, list(files)) == [["a", "b"], ["c"], ["d", "e"]]


def test_a_small_run_keeps_its_text_in_python_strings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"x" * 100)
    run = _Run(None, 1, "", {}, {"a": [path], "b": []})  # type: ignore[arg-type]
    monkeypatch.setattr("pipeline.cli._PYTHON_TEXT_BYTES", 100)
    with _text_storage(run):
        assert pd.Series(["tekst"]).dtype.storage == "python"
    assert pd.Series(["tekst"]).dtype.storage == "pyarrow"  # set back after the run
    monkeypatch.setattr("pipeline.cli._PYTHON_TEXT_BYTES", 99)
    with _text_storage(run):
        assert pd.Series(["tekst"]).dtype.storage == "pyarrow"


_MALLOC_PROBE = """
import ctypes, sys
class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
if sys.argv[1] == "run":
    from pipeline.cli import _large_blocks_apart
    _large_blocks_apart()
libc.free(libc.malloc(16 << 20))  # glibc's own threshold rises to 16 MB
mapped = libc.mallinfo2().hblkhd
libc.malloc(4 << 20)
print((libc.mallinfo2().hblkhd - mapped) >> 20)
"""


@pytest.mark.skipif(not hasattr(ctypes.CDLL(None), "mallinfo2"), reason="glibc's malloc only")
@pytest.mark.parametrize(("setting", "mapped_mb"), [("glibc", 0), ("run", 4)])
def test_a_run_maps_large_blocks_apart_so_that_freeing_them_returns_the_memory(
    setting: str, mapped_mb: int
) -> None:
    # a fresh process: how glibc places a 4 MB block after a 16 MB one was freed
    probe = subprocess.run(
        [sys.executable, "-c", _MALLOC_PROBE, setting], capture_output=True, text=True, check=True
    )
    assert int(probe.stdout) == mapped_mb


def test_the_command_gives_mains_exit_code_with_the_libraries_objects_frozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["collab-eval", "run", "--project", str(tmp_path / "none")])
    frozen_in_main = []
    real_main = pipeline.cli.main

    def main() -> int:
        frozen_in_main.append(gc.get_freeze_count())
        return real_main()

    monkeypatch.setattr("pipeline.cli.main", main)
    gc.unfreeze()
    try:
        assert console() == 2  # no partnership.toml: the input needs fixing
        assert frozen_in_main[0] > 0  # the collector passes over the imports' objects in the run
        assert gc.get_freeze_count() > frozen_in_main[0]  # and over the run's at exit
    finally:
        gc.unfreeze()


def test_ctrl_c_while_the_libraries_load_ends_the_command_with_one_line(tmp_path: Path) -> None:
    # the installed command is pipeline.console; Ctrl-C comes here as the import of pipeline.cli
    script = (
        "import sys\n"
        "class Interrupted:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'pipeline.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupted())\n"
        "import pipeline\n"
        "sys.exit(pipeline.console())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr == "interrupted while starting; nothing was written\n"
    assert not list(tmp_path.iterdir())
