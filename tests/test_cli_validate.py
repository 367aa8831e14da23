"""`collab-eval validate`: per file the tool, matched items, ignored columns; every problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from export_fixtures import FIXTURES, run_cli, tree, write_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "project")
    raw = root / "data" / "raw" / "2025"
    shutil.copy(FIXTURES / "qualtrics" / "choice-text.csv", raw / "lisse.csv")
    shutil.copy(FIXTURES / "kobo" / "clientenraad.csv", raw / "clientenraad.csv")
    (raw / "hillegom.csv").write_text("AMB1;Opmerking intern\n4;geheim\n", encoding="utf-8")
    return root


def test_each_file_with_its_tool_items_and_ignored_columns(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(project)
    code, out, _ = run_cli(["validate", "--project", project], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "round 2025 (instrument samenwerking-v1.xlsx, v1):"
    assert lines[1] == (
        "  data/raw/2025/clientenraad.csv: kobo, 4 rows, party clientenraad, 9 items matched, "
        "3 identifier columns, 9 tool columns, 0 ignored"
    )
    assert lines[2].startswith("  data/raw/2025/hillegom.csv: plain, 1 rows, party hillegom, ")
    assert lines[2].endswith("1 items matched, 0 identifier columns, 0 tool columns, 1 ignored "
                             "('Opmerking intern')")  # fmt: skip
    assert lines[3] == (
        "  data/raw/2025/lisse.csv: qualtrics, 4 rows, party lisse, 9 items matched, "
        "8 identifier columns, 9 tool columns, 0 ignored; 1 not submitted"
    )
    assert lines[-1] == "valid: every file can be loaded"
    assert tree(project) == before  # validate writes nothing


def test_verbose_lists_where_each_column_went(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["validate", "--verbose", "--project", project], capsys)
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    assert "'Q5_1' -> AMB1" in lines
    assert "'Q2' -> level" in lines
    assert "'glanzen_schuren/GS_TEMPO' -> GS_TEMPO" in lines
    assert "'RecipientEmail' -> identifier (email)" in lines
    assert "'Duration (in seconds)' -> tool column (duration)" in lines
    assert "'Opmerking intern' -> ignored" in lines


def test_problems_of_all_files_at_once_with_the_good_files_shown(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = project / "data" / "raw" / "2025"
    (raw / "hillegom.csv").write_text("AMB1;AMB2\nMee eenss;4\n4;Heel erg eens\n", "utf-8")
    (raw / "zorgpunt.csv").write_bytes(b"")
    code, out, err = run_cli(["validate", "--project", project], capsys)
    assert code == 2
    assert "data/raw/2025/hillegom.csv: cannot be loaded" in out
    assert "data/raw/2025/lisse.csv: qualtrics" in out
    assert "3 problems" in err
    assert "data/raw/2025/hillegom.csv, row 2, column 'AMB1': answer 'Mee eenss'" in err
    assert "data/raw/2025/hillegom.csv, row 3, column 'AMB2': answer 'Heel erg eens'" in err
    assert "closest: 'Mee eens'" in err
    assert "data/raw/2025/zorgpunt.csv: the file is empty" in err
