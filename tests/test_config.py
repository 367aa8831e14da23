"""partnership.toml: what a valid file gives, and a clear InputError for every kind of mistake."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.config import Bands, Party, load_partnership
from pipeline.errors import InputError

VALID = """\
[partnership]
name = "Samenwerkingsverband Testregio"
instrument = "questionnaires/test.xlsx"
language = "en"
min_group_size = 3

[bands]
shines = 4.5
chafes = 2.5

[[parties]]
id = "lisse"
name = "Gemeente Lisse"

[[parties]]
id = "client_raad-2"
name = "Cliëntenraad"

[[rounds]]
id = "2024"

[[rounds]]
id = 2025
instrument = "questionnaires/v2.xlsx"
"""

PARTIES = """
[[parties]]
id = "lisse"
name = "Gemeente Lisse"
"""


def _project(tmp_path: Path, toml: str, rounds: tuple[str, ...] = ("2024", "2025")) -> Path:
    for round_id in rounds:
        (tmp_path / "data" / "raw" / round_id).mkdir(parents=True)
    (tmp_path / "partnership.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def _error(root: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_partnership(root)
    text = str(caught.value)
    assert "fix:" in text, text
    return text


def test_valid_toml_gives_every_setting(tmp_path: Path) -> None:
    root = _project(tmp_path, VALID)
    partnership = load_partnership(root)
    assert partnership.name == "Samenwerkingsverband Testregio"
    assert partnership.language == "en"
    assert partnership.min_group_size == 3
    assert partnership.parties == (
        Party("lisse", "Gemeente Lisse"),
        Party("client_raad-2", "Cliëntenraad"),
    )
    assert partnership.party_ids == ["lisse", "client_raad-2"]
    assert [r.id for r in partnership.rounds] == ["2024", "2025"]
    root = root.resolve()
    assert partnership.rounds[0].instrument == root / "questionnaires" / "test.xlsx"
    assert partnership.rounds[1].instrument == root / "questionnaires" / "v2.xlsx"
    assert partnership.bands == Bands(shines=4.5, chafes=2.5)
    assert partnership.warnings == ()
    assert partnership.raw_dir("2024") == root / "data" / "raw" / "2024"
    assert partnership.processed_dir("2024") == root / "data" / "processed" / "2024"
    assert partnership.reports_dir("2024") == root / "reports" / "2024"


def test_defaults_language_nl_group_size_5_and_bands(tmp_path: Path) -> None:
    toml = '[partnership]\nname = "P"\ninstrument = "q.xlsx"\n' + PARTIES
    partnership = load_partnership(_project(tmp_path, toml))
    assert partnership.language == "nl"
    assert partnership.min_group_size == 5
    assert partnership.bands == Bands(shines=4.0, chafes=3.0)


def test_rounds_are_discovered_from_raw_folders_when_not_listed(tmp_path: Path) -> None:
    toml = '[partnership]\nname = "P"\ninstrument = "q.xlsx"\n' + PARTIES
    root = _project(tmp_path, toml, rounds=("2026", "2024", "2025"))
    (root / "data" / "raw" / "notes.txt").write_text("not a round", encoding="utf-8")
    partnership = load_partnership(root)
    assert [r.id for r in partnership.rounds] == ["2024", "2025", "2026"]
    assert all(r.instrument == root.resolve() / "q.xlsx" for r in partnership.rounds)


def test_hidden_raw_folders_are_not_rounds(tmp_path: Path) -> None:
    toml = '[partnership]\nname = "P"\ninstrument = "q.xlsx"\n' + PARTIES
    root = _project(tmp_path, toml, rounds=("2024", ".ipynb_checkpoints"))
    assert [r.id for r in load_partnership(root).rounds] == ["2024"]


def test_unknown_keys_are_warnings_not_errors(tmp_path: Path) -> None:
    toml = VALID.replace("min_group_size = 3", "min_group_size = 3\ncolour = 'blue'")
    toml += '\n[extra]\nfoo = 1\n[[parties]]\nid = "woonstede"\nwebsite = "x"\n'
    partnership = load_partnership(_project(tmp_path, toml))
    assert len(partnership.parties) == 3
    warnings = "\n".join(partnership.warnings)
    assert len(partnership.warnings) == 3
    assert "'colour'" in warnings
    assert "[extra]" in warnings
    assert "'website'" in warnings
    assert "partnership.toml" in warnings


def test_missing_partnership_name(tmp_path: Path) -> None:
    toml = VALID.replace('name = "Samenwerkingsverband Testregio"\n', "")
    text = _error(_project(tmp_path, toml))
    assert str(tmp_path / "partnership.toml") in text
    assert "has no name" in text
    assert 'name = "' in text


def test_missing_partnership_section(tmp_path: Path) -> None:
    text = _error(_project(tmp_path, PARTIES))
    assert "partnership.toml" in text
    assert "[partnership] section is missing" in text


def test_bad_language(tmp_path: Path) -> None:
    text = _error(_project(tmp_path, VALID.replace('language = "en"', 'language = "de"')))
    assert "partnership.toml" in text
    assert "'de'" in text
    assert 'language = "nl"' in text


@pytest.mark.parametrize(
    ("value", "shown"), [("0", "0"), ("-1", "-1"), ("2.5", "2.5"), ('"5"', "'5'"), ("true", "True")]
)
def test_bad_min_group_size(tmp_path: Path, value: str, shown: str) -> None:
    toml = VALID.replace("min_group_size = 3", f"min_group_size = {value}")
    text = _error(_project(tmp_path, toml))
    assert "partnership.toml" in text
    assert f"min_group_size = {shown} is not a whole number" in text
    assert "fix: use min_group_size = 5" in text


def test_duplicate_party_ids(tmp_path: Path) -> None:
    toml = VALID + '\n[[parties]]\nid = "lisse"\nname = "Lisse again"\n'
    text = _error(_project(tmp_path, toml))
    assert "partnership.toml" in text
    assert "'lisse' is listed twice" in text
    assert "unique" in text


@pytest.mark.parametrize("party_id", ["Gemeente Lisse", "Lisse", "-lisse", "", "a/b"])
def test_invalid_party_id(tmp_path: Path, party_id: str) -> None:
    toml = VALID.replace('id = "lisse"', f'id = "{party_id}"')
    text = _error(_project(tmp_path, toml))
    assert "partnership.toml" in text
    assert f"{party_id!r}, which is not a valid party id" in text
    assert "lower-case letters" in text


def test_no_parties(tmp_path: Path) -> None:
    toml = '[partnership]\nname = "P"\ninstrument = "q.xlsx"\n'
    text = _error(_project(tmp_path, toml))
    assert "no parties are listed" in text
    assert "[[parties]]" in text


def test_a_party_id_with_a_line_end_is_refused(tmp_path: Path) -> None:
    toml = VALID.replace('id = "lisse"', 'id = "lisse\\n"')
    text = _error(_project(tmp_path, toml))
    assert "'lisse\\n', which is not a valid party id" in text


BAD_ROUND_IDS = ("..", ".", "a/b", "lisse 2", "ë", "-1", "_2025", ".2025", "2025\n", "x" * 65)
GOOD_ROUND_IDS = ("2025-voorjaar", "Q1_2026", "y" * 64)


def test_round_ids_that_are_no_plain_folder_names_are_refused(tmp_path: Path) -> None:
    # ".." and "." name folders that exist (data/ and data/raw/): a run wrote its tables there
    ids = (*BAD_ROUND_IDS, *GOOD_ROUND_IDS)
    rounds = "".join(f"\n[[rounds]]\nid = {json.dumps(round_id)}\n" for round_id in ids)
    folders = [r for r in ids if r not in ("..", ".", "a/b", "2025\n")]
    root = _project(tmp_path, VALID.split("[[rounds]]")[0] + rounds, rounds=tuple(folders))
    text = _error(root)
    for number, round_id in enumerate(BAD_ROUND_IDS, start=1):
        assert f"round {number} has id {round_id!r}, which is not a valid round id" in text
    assert text.count("fix: use letters (a-z, A-Z), digits, - and _ only") == len(BAD_ROUND_IDS)
    assert "has no folder" not in text  # the id is refused, whether its folder exists or not
    for round_id in GOOD_ROUND_IDS:  # letters of either case, digits, - and _: not refused
        assert repr(round_id) not in text


def test_round_ids_differing_only_in_case_are_refused(tmp_path: Path) -> None:
    toml = VALID.split("[[rounds]]")[0] + '[[rounds]]\nid = "q1"\n\n[[rounds]]\nid = "Q1"\n'
    text = _error(_project(tmp_path, toml, rounds=("q1", "Q1")))
    assert "round ids 'q1' and 'Q1' differ only in upper and lower case" in text


def test_round_folders_found_in_data_raw_must_have_round_ids_for_names(tmp_path: Path) -> None:
    toml = '[partnership]\nname = "P"\ninstrument = "q.xlsx"\n' + PARTIES
    bad = ("lisse 2", "ë", "-1")
    root = _project(tmp_path, toml, rounds=("2024", *bad, "_oud"))
    text = _error(root)
    for name in bad:
        assert f"data/raw/{name}: this folder is a round" in text
        assert f"its name {name!r} is not a valid round id" in text
    assert text.count("fix: rename the folder (letters") == len(bad)
    assert "_oud" not in text  # a folder whose name starts with _ is passed over
    assert "no round folders" not in text


def test_round_whose_folder_is_missing(tmp_path: Path) -> None:
    root = _project(tmp_path, VALID, rounds=("2024",))
    text = _error(root)
    assert "partnership.toml" in text
    assert "round '2025' has no folder data/raw/2025" in text
    assert "create data/raw/2025/" in text


def test_round_without_instrument(tmp_path: Path) -> None:
    toml = '[partnership]\nname = "P"\n' + PARTIES + '\n[[rounds]]\nid = "2024"\n'
    text = _error(_project(tmp_path, toml, rounds=("2024",)))
    assert "round '2024' has no instrument" in text


def test_bands_in_wrong_order(tmp_path: Path) -> None:
    toml = VALID.replace("shines = 4.5", "shines = 2.0")
    text = _error(_project(tmp_path, toml))
    assert "[bands]" in text
    assert "chafes below shines" in text


def test_all_problems_come_at_once(tmp_path: Path) -> None:
    toml = VALID.replace('language = "en"', 'language = "fr"').replace(
        "min_group_size = 3", "min_group_size = 0"
    )
    with pytest.raises(InputError) as caught:
        load_partnership(_project(tmp_path, toml))
    assert len(caught.value.problems) == 2


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    toml = '[partnership]\nname = "P"\nlanguage = nl\n' + PARTIES
    text = _error(_project(tmp_path, toml))
    assert str(tmp_path / "partnership.toml") in text
    assert "not valid TOML" in text
    assert "line 3" in text


def test_non_utf8_file(tmp_path: Path) -> None:
    root = _project(tmp_path, "")
    toml = '[partnership]\nname = "Cliëntenraad"\ninstrument = "q.xlsx"\n' + PARTIES
    (root / "partnership.toml").write_bytes(toml.encode("cp1252"))
    text = _error(root)
    assert str(tmp_path / "partnership.toml") in text
    assert "not UTF-8" in text
    assert "save the file as UTF-8" in text


def test_no_partnership_toml(tmp_path: Path) -> None:
    text = _error(tmp_path)
    assert str(tmp_path / "partnership.toml") in text
    assert "no partnership.toml" in text
    assert "collab-eval init" in text


def test_project_folder_missing(tmp_path: Path) -> None:
    text = _error(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in text
    assert "does not exist" in text


def test_invited_is_optional_and_checked(tmp_path: Path) -> None:
    (tmp_path / "data" / "raw" / "2025").mkdir(parents=True)
    base = (
        '[partnership]\nname = "P"\ninstrument = "i.xlsx"\n'
        '[[rounds]]\nid = "2025"\n[[parties]]\nid = "a"\n'
    )
    (tmp_path / "partnership.toml").write_text(base + "invited = 40\n", encoding="utf-8")
    assert load_partnership(tmp_path).parties[0].invited == 40
    (tmp_path / "partnership.toml").write_text(base, encoding="utf-8")
    assert load_partnership(tmp_path).parties[0].invited is None
    (tmp_path / "partnership.toml").write_text(base + "invited = 0\n", encoding="utf-8")
    with pytest.raises(InputError, match="invited"):
        load_partnership(tmp_path)


def _round_folder(tmp_path: Path) -> tuple[Path, Path]:
    root = _project(tmp_path / "project", VALID)
    return root, root / "data" / "raw" / "2025"


def test_files_that_are_no_exports_are_skipped_with_the_reason(tmp_path: Path) -> None:
    root, raw = _round_folder(tmp_path)
    exports = ["lisse.csv", "gezamenlijk.xlsx", "client_raad-2.txt"]
    others = ["LEESMIJ.txt", "README.md", ".DS_Store", "~$lisse.xlsx", "Thumbs.db", "desktop.ini"]
    others.append(".~lock.lisse.xlsx#")  # LibreOffice's lock file
    for name in exports + others:
        (raw / name).write_text("x", encoding="utf-8")
    (raw / "archief").mkdir()
    partnership = load_partnership(root)
    # a .txt file is an export when it is named after a party (Excel's "Text (Tab delimited)")
    assert [p.name for p in partnership.export_files("2025")] == [
        "client_raad-2.txt",
        "gezamenlijk.xlsx",
        "lisse.csv",
    ]
    skipped = {path.name: why for path, why in partnership.skipped_files("2025")}
    assert all(path.parent == raw.resolve() for path, _ in partnership.skipped_files("2025"))
    assert set(skipped) == {*others, "archief"}
    assert skipped["README.md"] == "not an export (.csv, .xlsx, .sav)"
    assert skipped["Thumbs.db"] == skipped["desktop.ini"] == skipped["README.md"]
    assert skipped["LEESMIJ.txt"].startswith("not an export (.csv, .xlsx, .sav)")
    assert "named after a party" in skipped["LEESMIJ.txt"]
    assert skipped[".DS_Store"] == skipped[".~lock.lisse.xlsx#"] == "a hidden file"
    assert skipped["~$lisse.xlsx"].startswith("an Excel lock file")
    assert skipped["archief"] == "a folder"
    assert load_partnership(root).skipped_files("2024") == []


def test_links_pipes_and_folders_named_like_exports_are_problems_and_never_opened(
    tmp_path: Path,
) -> None:
    root, raw = _round_folder(tmp_path)
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:geheime regel\n", encoding="utf-8")
    (raw / "lisse.csv").write_text("AMB1\n4\n", encoding="utf-8")
    (raw / "hillegom.csv").symlink_to(secret)
    (raw / "oud.xlsx").symlink_to(raw / "weg.xlsx")  # dangling
    os.mkfifo(raw / "zorgpunt.sav")  # opened, a pipe without a writer would block
    (raw / "woonstede.xlsx").mkdir()
    (raw / "notities.md").symlink_to(secret)  # no export: skipped, not followed
    partnership = load_partnership(root)
    with pytest.raises(InputError) as caught:
        partnership.export_files("2025")
    problems = {str(p.file): p for p in caught.value.problems}
    refused = ("hillegom.csv", "oud.xlsx", "zorgpunt.sav", "woonstede.xlsx")
    assert set(problems) == {f"data/raw/2025/{name}" for name in refused}
    assert "symbolic link" in problems["data/raw/2025/hillegom.csv"].message
    assert "copy the export itself" in problems["data/raw/2025/hillegom.csv"].hint
    assert "symbolic link" in problems["data/raw/2025/oud.xlsx"].message
    assert "named pipe" in problems["data/raw/2025/zorgpunt.sav"].message
    assert "folder" in problems["data/raw/2025/woonstede.xlsx"].message
    assert "geheime" not in str(caught.value)
    assert str(secret) not in str(caught.value)
    assert [path.name for path, _ in partnership.skipped_files("2025")] == ["notities.md"]
