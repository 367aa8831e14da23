"""`collab-eval validate`: per file the tool, matched items, ignored columns; every problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from export_fixtures import FIXTURES, run_cli, tree, write_project

PARTIES = ("lisse", "hillegom", "clientenraad")
# AMB4's statement one word off: "De partners willen met de samenwerking elk iets anders bereiken."
ONE_WORD_OFF = "De partners willen met de samenwerking allemaal iets anders bereiken."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "project", parties=PARTIES)
    raw = root / "data" / "raw" / "2025"
    shutil.copy(FIXTURES / "qualtrics" / "choice-text.csv", raw / "lisse.csv")
    shutil.copy(FIXTURES / "kobo" / "clientenraad.csv", raw / "clientenraad.csv")
    (raw / "hillegom.csv").write_text(
        f"AMB1;AMB2;AMB3;{ONE_WORD_OFF};Opmerking intern\n4;4;3;2;geheim\n", encoding="utf-8"
    )
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
        "4 identifier columns, 8 tool columns, 0 ignored"
    )
    assert lines[2] == "      dimensions: AMB 4/4, BEL 0/4, VER 0/5, ROL 0/4, PRO 0/6, HAB 0/4, " \
        "DRA 0/4, RES 0/5"  # fmt: skip
    assert lines[3].startswith("  data/raw/2025/hillegom.csv: plain, 1 rows, party hillegom, ")
    assert lines[3].endswith("3 items matched, 0 identifier columns, 0 tool columns, 2 ignored")
    assert lines[4].startswith("      dimensions: AMB 3/4, BEL 0/4")
    # the closest item of each ignored column, and the aliases cell that would match it
    assert lines[5] == (
        f"      ignored {ONE_WORD_OFF!r}: closest item AMB4; to match it, set its aliases "
        f"(sheet 'survey', column 'aliases') to: {ONE_WORD_OFF}"
    )
    assert lines[6] == "      ignored 'Opmerking intern': no item is like it"
    assert lines[7] == (
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
    (raw / "hillegom.csv").write_text("AMB1;AMB2;AMB3\nMee eenss;4;4\n4;Heel erg eens;4\n", "utf-8")
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


def _problems(project: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    code, out, err = run_cli(["validate", "--project", project], capsys)
    assert code == 2, out + err
    return out, err


def test_a_file_missing_most_of_a_dimension_the_others_have_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = project / "data" / "raw" / "2025"
    (raw / "hillegom.csv").write_text("AMB1;AMB2;Opmerking\n4;4;x\n", encoding="utf-8")
    out, err = _problems(project, capsys)
    assert "dimensions: AMB 2/4" in out
    assert (
        "data/raw/2025/hillegom.csv, row 1: matches 2 of the 4 items of dimension AMB that the "
        "round's other files have (missing: AMB3, AMB4)"
    ) in err
    # and the run stops on it too, before anything is written
    code, _, err = run_cli(["run", "--project", project], capsys)
    assert code == 2 and "dimension AMB" in err
    assert not (project / "data" / "processed" / "2025").exists()


def test_a_party_without_a_file_is_a_warning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "data" / "raw" / "2025" / "hillegom.csv").unlink()
    code, out, _ = run_cli(["validate", "--project", project], capsys)
    assert code == 0
    assert (
        "  warning: party 'hillegom' has no responses in round 2025: no "
        "data/raw/2025/hillegom.csv (or .xlsx, .sav), and no row of a joint export names it"
    ) in out.splitlines()
    assert out.splitlines()[-1] == "valid: every file can be loaded; 1 warning above"


def test_more_responses_than_invited_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = project / "partnership.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('name = "Gemeente Lisse"', 'name = "Gemeente Lisse"\n'
                                   "invited = 2"), encoding="utf-8")  # fmt: skip
    _, err = _problems(project, capsys)
    # four rows, of which Qualtrics marks one as not finished: three submitted
    found = "party 'lisse' has 3 submitted responses in round 2025, more than the 2 it invited"
    assert found in err


def test_one_export_under_two_party_ids_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = project / "data" / "raw" / "2025"
    shutil.copy(raw / "lisse.csv", raw / "hillegom.csv")
    _, err = _problems(project, capsys)
    assert (
        "data/raw/2025/lisse.csv: holds the same 4 responses, row for row, as "
        "data/raw/2025/hillegom.csv"
    ) in err


def test_files_that_are_not_exports_are_skipped_with_a_note(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = project / "data" / "raw" / "2025"
    (raw / "LEESMIJ.txt").write_text("Exports van oktober\n", encoding="utf-8")
    (raw / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (raw / "~$hillegom.xlsx").write_bytes(b"lock")
    code, out, _ = run_cli(["validate", "--project", project], capsys)
    assert code == 0
    skipped = [line.strip() for line in out.splitlines() if "skipped" in line]
    assert [line.split(",")[0] for line in skipped] == [
        "data/raw/2025/.DS_Store: skipped",
        "data/raw/2025/LEESMIJ.txt: skipped",
        "data/raw/2025/~$hillegom.xlsx: skipped",
    ]
    assert "a hidden file" in skipped[0]
    assert "not an export" in skipped[1]
    assert "an Excel lock file" in skipped[2]
    assert out.splitlines()[-1] == "valid: every file can be loaded"


def test_a_column_ignored_for_a_stronger_one_says_why_and_no_closest_item(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    label = "De partners hebben een gezamenlijke ambitie voor de samenwerking."  # AMB1's
    (project / "data" / "raw" / "2025" / "hillegom.csv").write_text(
        f"AMB1;{label};AMB2;AMB3;AMB4\n4;4;3;2;1\n", encoding="utf-8"
    )
    code, out, _ = run_cli(["validate", "--project", project], capsys)
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    assert f"warning: column {label!r} matches item 'AMB1' by its label, but column 'AMB1' " \
        f"matches it by its code, so {label!r} is ignored" in lines  # fmt: skip
    assert not [line for line in lines if line.startswith(f"ignored {label!r}")]
