"""Bad input: exit 2 with a message naming the file and what to do; raw files stay unchanged.

And the other side of it: a partnership with one export from each tool runs end to end.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from export_fixtures import FIXTURES, run_cli, tree, write_msforms, write_project, write_sav

LISSE = FIXTURES / "qualtrics" / "choice-text.csv"


def _empty_workbook(path: Path) -> None:
    openpyxl.Workbook().save(path)


def _workbook_of_21_million_rows(path: Path) -> None:
    """A workbook of two rows whose sheet says it spans 21 million (its ``<dimension>``)."""
    workbook = openpyxl.Workbook()
    for row in (["AMB1", "AMB2"], [4, 5]):
        workbook.active.append(row)
    workbook.save(path.with_suffix(".tmp"))
    with zipfile.ZipFile(path.with_suffix(".tmp")) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:B2"' in data
                data = data.replace(b'ref="A1:B2"', b'ref="A1:B21000000"')
            out.writestr(info, data)
    path.with_suffix(".tmp").unlink()


# name of the bad file in data/raw/2025, how to make it, words the message must hold
BAD_FILES = {
    "corrupt xlsx": ("hillegom.xlsx", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 40),
                     "Excel workbook"),
    "zero-byte xlsx": ("hillegom.xlsx", lambda p: p.write_bytes(b""), "empty"),
    "xlsx with an empty sheet": ("hillegom.xlsx", _empty_workbook, "empty"),
    "empty file": ("hillegom.csv", lambda p: p.write_bytes(b""), "empty"),
    "binary data in a csv": ("hillegom.csv", lambda p: p.write_bytes(bytes(range(256)) * 8),
                             "binary"),
    "an xlsx renamed to csv": ("hillegom.csv", lambda p: p.write_bytes(b"PK\x03\x04\x14\x00\x00"),
                               "Excel workbook"),
    "unknown answer label": ("hillegom.csv",
                             lambda p: p.write_text("AMB1;AMB2\nMee eens;Mee eenss\n", "utf-8"),
                             "'Mee eenss' matches no choice"),
    "no item": ("hillegom.csv", lambda p: p.write_text("Vraag 1,Vraag 2\n4,5\n", "utf-8"),
                "no column matches an item"),
    "stem is no party": ("gemeente-hillegom.csv", lambda p: p.write_text("AMB1\n4\n", "utf-8"),
                         "no party id"),
    "damaged sav": ("hillegom.sav", lambda p: p.write_bytes(b"$FL2" + b"\x00" * 50), "SPSS"),
    "csv cut off inside a quoted answer": (
        "hillegom.csv", lambda p: p.write_text('AMB1;AMB2\n4;5\n"Mee eens;4\n3;4\n', "utf-8"),
        "row 3, column 'AMB1': the file ends inside a quoted answer that opens on line 3"),
    "csv text named xlsx": ("hillegom.xlsx", lambda p: p.write_bytes(b"AMB1;AMB2\n4;5\n"),
                            "extension .csv"),
    "xlsx whose sheet says it has 21 million rows": ("hillegom.xlsx", _workbook_of_21_million_rows,
                                                     "A1:B21000000"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_FILES)
@pytest.mark.parametrize("command", ["validate", "run"])
def test_bad_export_exits_2_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, command: str
) -> None:
    project = write_project(tmp_path / "project")
    raw = project / "data" / "raw" / "2025"
    shutil.copy(LISSE, raw / "lisse.csv")
    name, make, words = BAD_FILES[case]
    make(raw / name)
    before = tree(raw)
    code, _, err = run_cli([command, "--project", project], capsys)
    assert code == 2
    assert f"data/raw/2025/{name}" in err
    assert words in err
    assert "fix:" in err  # what to do
    assert tree(raw) == before
    assert not (project / "data" / "processed" / "2025").exists()


def test_a_symbolic_link_in_a_round_folder_is_refused_and_never_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_project(tmp_path / "project")
    raw = project / "data" / "raw" / "2025"
    shutil.copy(LISSE, raw / "lisse.csv")
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:geheime regel\ndaemon:x:1:1:nog een\n", encoding="utf-8")
    (raw / "hillegom.csv").symlink_to(secret)
    for command in ("validate", "run"):
        code, out, err = run_cli([command, "--project", project], capsys)
        assert code == 2
        assert "data/raw/2025/hillegom.csv: is a symbolic link" in err
        assert "fix: copy the export itself" in err
        assert "geheime" not in out + err
        assert "daemon" not in out + err
        assert str(secret) not in out + err
    assert not (project / "data" / "processed" / "2025").exists()


def test_malformed_partnership_toml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = write_project(tmp_path / "project")
    shutil.copy(LISSE, project / "data" / "raw" / "2025" / "lisse.csv")
    (project / "partnership.toml").write_text('[partnership\nname = "x"\n', encoding="utf-8")
    before = tree(project)
    code, _, err = run_cli(["validate", "--project", project], capsys)
    assert code == 2
    assert "partnership.toml" in err
    assert "fix:" in err
    assert tree(project) == before


def test_malformed_instrument(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = write_project(tmp_path / "project")
    shutil.copy(LISSE, project / "data" / "raw" / "2025" / "lisse.csv")
    workbook = openpyxl.Workbook()
    workbook.active.title = "survey"
    workbook.save(project / "questionnaires" / "samenwerking-v1.xlsx")
    before = {**tree(project / "data"), **tree(project / "questionnaires")}
    code, _, err = run_cli(["run", "--project", project], capsys)
    assert code == 2
    assert "samenwerking-v1.xlsx" in err
    assert "has no sheet 'choices'" in err
    assert {**tree(project / "data"), **tree(project / "questionnaires")} == before


def test_every_problem_of_every_file_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_project(tmp_path / "project", rounds=("2024", "2025"))
    raw = project / "data" / "raw"
    shutil.copy(LISSE, raw / "2024" / "lisse.csv")
    (raw / "2024" / "hillegom.csv").write_text("AMB1,AMB2\nnegen,4\n4,zes\n", encoding="utf-8")
    (raw / "2025" / "zorgpunt.csv").write_text("AMB1\nMee eenss\n", encoding="utf-8")
    (raw / "2025" / "woonstede.xlsx").write_bytes(b"not a workbook")
    code, out, err = run_cli(["validate", "--project", project], capsys)
    assert code == 2
    assert "4 problems" in err
    for where in ("2024/hillegom.csv, row 2, column 'AMB1'", "2024/hillegom.csv, row 3, column "
                  "'AMB2'", "2025/zorgpunt.csv, row 2", "2025/woonstede.xlsx"):  # fmt: skip
        assert where in err
    assert "data/raw/2024/lisse.csv: qualtrics, 4 rows" in out  # the good file is still shown


def test_one_export_from_each_tool_runs_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    files = {
        "lisse.csv": FIXTURES / "qualtrics" / "choice-text.csv",
        "bibliotheek.csv": FIXTURES / "qualtrics-legacy" / "legacy.csv",
        "hillegom.xlsx": write_msforms(tmp_path / "msforms"),
        "zorgpunt.csv": FIXTURES / "limesurvey" / "code-and-text.csv",
        "ggd.sav": write_sav(tmp_path / "spss" / "export.sav"),
        "woonstede.csv": FIXTURES / "surveymonkey" / "woonstede.csv",
        "welzijn.csv": FIXTURES / "googleforms" / "welzijn.csv",
        "clientenraad.csv": FIXTURES / "kobo" / "clientenraad.csv",
        "sportbedrijf.csv": FIXTURES / "plain" / "answers.csv",
    }
    parties = tuple(Path(name).stem for name in files)
    project = write_project(tmp_path / "project", parties=parties)
    raw = project / "data" / "raw" / "2025"
    for name, source in files.items():
        shutil.copy(source, raw / name)
    before = tree(raw)
    code, _, _ = run_cli(["run", "--project", project], capsys)
    assert code == 0
    assert tree(raw) == before
    processed = project / "data" / "processed" / "2025"
    manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    tools = {Path(entry["file"]).name: entry["tool"] for entry in manifest["inputs"]}
    assert tools == {
        "lisse.csv": "qualtrics", "bibliotheek.csv": "qualtrics-legacy",
        "hillegom.xlsx": "msforms", "zorgpunt.csv": "limesurvey", "ggd.sav": "spss",
        "woonstede.csv": "surveymonkey", "welzijn.csv": "googleforms",
        "clientenraad.csv": "kobo", "sportbedrijf.csv": "plain",
    }  # fmt: skip
    assert {entry["rows"] for entry in manifest["inputs"]} == {4}
    responses = pd.read_csv(processed / "responses.csv")
    assert len(responses) > 0
    assert "anna.devries" not in (processed / "responses.csv").read_text(encoding="utf-8")
    assert (project / "reports" / "2025" / "index.html").is_file()


def test_a_number_off_the_scale_is_kept_for_the_log_not_an_error(tmp_path: Path) -> None:
    from pipeline.config import load_partnership
    from pipeline.load import load_export
    from pipeline.questionnaire import load_instrument

    root = Path(__file__).resolve().parents[1]
    partnership = load_partnership(root)
    instrument = load_instrument(root / "questionnaires" / "samenwerking-v1.xlsx")
    path = tmp_path / "lisse.csv"
    path.write_text("AMB1;AMB2;AMB3\n7;4;0\n3;4;5\n", encoding="utf-8")
    responses = load_export(path, instrument, partnership).responses
    assert responses["AMB1"].isna().tolist() == [True, False]
    assert responses["AMB3"].isna().tolist() == [True, False]
    assert responses["out_of_range"].tolist()[0] == "AMB1=7;AMB3=0"
    assert pd.isna(responses["out_of_range"].tolist()[1])
