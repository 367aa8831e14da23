"""Loading exports: formats, encodings, header and answer matching, and clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from export_fixtures import sha256
from export_fixtures import values as _values

from pipeline.config import Partnership, Party, Round
from pipeline.errors import InputError
from pipeline.load import LoadedExport, load_export, load_round, load_rounds
from pipeline.questionnaire import Instrument

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
LABELS_BOM = FIXTURES / "labels-semicolon-bom.csv"

# The answers of LABELS_BOM written as codes, one list per row.
HEADER = [
    "Naam",
    "E-mail",
    "IP-adres",
    "level",
    "AMB1",
    "AMB2",
    "AMB3",
    "GS_ORG",
    "GS_GLANS",
    "Notitie",
]
ROWS = [
    ["Anna de Vries", "anna@lisse.nl", "10.0.0.1", "bestuur", 4, "dk", 5, 1, "Goed overleg", "x"],
    ["Bram Jansen", "bram@lisse.nl", "10.0.0.2", "uitvoering", 1, 3, 2, -2, None, None],
    ["Chantal Bakker", "chantal@lisse.nl", "10.0.0.3", "management", None, 4, "dk", 0,
     "Cliëntenraad doet mee", None],
]  # fmt: skip
# What those answers are as codes, worked out from the instrument's choices by hand.
EXPECTED = {
    "level": ["bestuur", "uitvoering", "management"],
    "AMB1": [4, 1, None],
    "AMB2": [None, 3, 4],
    "AMB3": [5, 2, None],
    "GS_ORG": [1, -2, 0],
    "GS_GLANS": ["Goed overleg", None, "Cliëntenraad doet mee"],
}
LABELS_TEXT = (
    "Naam;E-mail;IP-adres;niveau;AMB1;Het is mij duidelijk wat we samen willen bereiken.;"
    "We regularly discuss whether we are still on the same course.;GS_ORG;GS_GLANS;Notitie\n"
    "Anna de Vries;anna@lisse.nl;10.0.0.1;Bestuur of toezicht;Mee eens;Weet niet / n.v.t.;"
    "Helemaal mee eens;Glanst;Goed overleg;x\n"
    "Bram Jansen;bram@lisse.nl;10.0.0.2;Uitvoering / professional;Helemaal mee oneens;Neutraal;"
    "Mee oneens;Schuurt sterk;;\n"
    "Chantal Bakker;chantal@lisse.nl;10.0.0.3;Management;;Mee eens;Weet niet;Neutraal;"
    "Cliëntenraad doet mee;\n"
)


def _delimited(separator: str) -> str:
    lines = [HEADER, *[["" if v is None else str(v) for v in row] for row in ROWS]]
    return "".join(separator.join(line) + "\n" for line in lines)


def _xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _problems(path: Path, instrument: Instrument, partnership: Partnership) -> list:
    with pytest.raises(InputError) as caught:
        load_export(path, instrument, partnership)
    for problem in caught.value.problems:
        assert str(path) in str(problem)
        assert problem.hint
    return caught.value.problems


@pytest.fixture
def partnership(tmp_path: Path, instrument: Instrument) -> Partnership:
    return Partnership(
        root=tmp_path,
        name="Testverband",
        language="nl",
        min_group_size=5,
        parties=(Party("lisse", "Gemeente Lisse"), Party("hillegom", "Gemeente Hillegom")),
        rounds=(Round("2025", instrument.path),),
    )


def _load(path: Path, instrument: Instrument, partnership: Partnership) -> LoadedExport:
    return load_export(path, instrument, partnership)


def test_semicolon_bom_dutch_labels(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    shutil.copy(LABELS_BOM, path)
    export = _load(path, instrument, partnership)
    responses = export.responses
    for item, expected in EXPECTED.items():
        assert _values(responses[item]) == expected, item
    assert responses["AMB1"].dtype == "Int8"
    assert responses["GS_ORG"].dtype == "Int8"
    assert _values(responses["party"]) == ["lisse"] * 3
    assert _values(responses["source_row"]) == [2, 3, 4]
    assert _values(responses["source_file"]) == [str(path)] * 3
    assert responses["BEL1"].isna().all()
    assert export.ignored == ["Notitie"]


def test_output_columns(tmp_path: Path, instrument: Instrument, partnership: Partnership) -> None:
    path = tmp_path / "lisse.csv"
    shutil.copy(LABELS_BOM, path)
    responses = _load(path, instrument, partnership).responses
    columns = list(responses.columns)
    fixed = ["party", "source_file", "source_row", "id_name", "id_email", "id_ip",
             "submitted_at", "submitted", "duration_seconds", "first_copy", "dont_know",
             "out_of_range"]  # fmt: skip
    assert columns[:12] == fixed
    assert columns[12:] == [item for item in instrument.items.index if item != "party"]
    assert responses["submitted"].isna().all()  # a plain table does not say
    assert responses["duration_seconds"].isna().all()
    assert _values(responses["dont_know"]) == ["AMB2", None, "AMB3"]
    assert _values(responses["first_copy"]) == [-1, -1, -1]  # no row repeats another


def test_plain_export_is_detected_as_plain(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    shutil.copy(LABELS_BOM, path)
    export = _load(path, instrument, partnership)
    assert export.tool == "plain"
    assert export.metadata == {}


def test_submission_time_is_iso_text(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text("Ingevuld op;AMB1\n3-10-2025 9:05;4\n;5\n", encoding="utf-8")
    export = _load(path, instrument, partnership)
    assert export.metadata == {"Ingevuld op": "submitted_at"}
    assert _values(export.responses["submitted_at"]) == ["2025-10-03 09:05:00", None]


def test_dont_know_lists_items_in_instrument_order(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text(
        "GS_TEMPO,AMB3,AMB1,level\ndk,dk,Weet niet,bestuur\n1,2,3,\n1,dk,3,\ndk,2,dk,\n", "utf-8"
    )
    responses = _load(path, instrument, partnership).responses
    assert _values(responses["dont_know"]) == ["AMB1;AMB3;GS_TEMPO", None, "AMB3", "AMB1;GS_TEMPO"]
    assert _values(responses["AMB1"]) == [None, 3, 3, None]


@pytest.mark.parametrize("variant", ["comma-codes", "tab-codes", "cp1252-labels", "xlsx-numbers"])
def test_same_answers_in_every_format(
    tmp_path: Path, instrument: Instrument, partnership: Partnership, variant: str
) -> None:
    if variant == "comma-codes":
        path = tmp_path / "lisse.csv"
        path.write_text(_delimited(","), encoding="utf-8")
    elif variant == "tab-codes":
        path = tmp_path / "lisse.tsv"
        path.write_text(_delimited("\t"), encoding="utf-8")
    elif variant == "cp1252-labels":
        path = tmp_path / "lisse.csv"
        path.write_bytes(LABELS_TEXT.encode("cp1252"))
        assert "ë".encode("cp1252") in path.read_bytes()
    else:
        path = _xlsx(tmp_path / "lisse.xlsx", HEADER, ROWS)
    export = _load(path, instrument, partnership)
    for item, expected in EXPECTED.items():
        assert _values(export.responses[item]) == expected, item
    assert _values(export.responses["source_row"]) == [2, 3, 4]

    reference = tmp_path / "reference" / "lisse.csv"
    reference.parent.mkdir()
    shutil.copy(LABELS_BOM, reference)
    items = [i for i in instrument.items.index if i != "party"]
    pd.testing.assert_frame_equal(
        export.responses[items], _load(reference, instrument, partnership).responses[items]
    )


def test_headers_matched_by_code_alias_and_labels(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    shutil.copy(LABELS_BOM, path)
    export = _load(path, instrument, partnership)
    assert export.matched == {
        "niveau": "level",
        "AMB1": "AMB1",
        "Het is mij duidelijk wat we samen willen bereiken.": "AMB2",
        "We regularly discuss whether we are still on the same course.": "AMB3",
        "GS_ORG": "GS_ORG",
        "GS_GLANS": "GS_GLANS",
    }


def test_header_matching_ignores_case_and_whitespace(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    header = [
        "  amb1 ",
        "NIVEAU",
        "het is mij   duidelijk wat we samen willen BEREIKEN",
        " WE REGULARLY DISCUSS whether we are still on the same course ",
        "Gs_Org",
    ]
    path = tmp_path / "lisse.csv"
    path.write_text(",".join(header) + "\n4,Bestuur,5,dk,-1\n", encoding="utf-8")
    export = _load(path, instrument, partnership)
    assert sorted(export.matched.values()) == ["AMB1", "AMB2", "AMB3", "GS_ORG", "level"]
    assert export.ignored == []
    row = export.responses.iloc[0]
    assert (row["AMB1"], row["level"], row["AMB2"], row["GS_ORG"]) == (4, "bestuur", 5, -1)
    assert pd.isna(row["AMB3"])


def test_identifier_columns(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    shutil.copy(LABELS_BOM, path)
    export = _load(path, instrument, partnership)
    assert export.identifiers == {"Naam": "name", "E-mail": "email", "IP-adres": "ip"}
    responses = export.responses
    assert _values(responses["id_name"]) == ["Anna de Vries", "Bram Jansen", "Chantal Bakker"]
    assert _values(responses["id_email"]) == ["anna@lisse.nl", "bram@lisse.nl", "chantal@lisse.nl"]
    assert _values(responses["id_ip"]) == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    assert "Naam" not in responses
    assert "E-mail" not in responses


def test_unmatched_column_is_ignored_with_a_warning(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text("AMB1,Opmerking intern,AMB2\n4,geheim,5\n", encoding="utf-8")
    export = _load(path, instrument, partnership)
    assert export.ignored == ["Opmerking intern"]
    assert len(export.warnings) == 1
    assert "'Opmerking intern'" in export.warnings[0]
    assert str(path) in export.warnings[0]
    assert "Opmerking intern" not in export.responses
    assert "geheim" not in export.responses.to_string()


def test_decimal_comma_codes(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text('AMB1;AMB2;GS_ORG\n"4,0";2.0;-2,0\n', encoding="utf-8")
    row = _load(path, instrument, partnership).responses.iloc[0]
    assert (row["AMB1"], row["AMB2"], row["GS_ORG"]) == (4, 2, -2)


def test_unknown_answer_names_file_row_column_value_and_closest(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    text = LABELS_TEXT.replace("Bram Jansen;bram@lisse.nl;10.0.0.2;Uitvoering / professional;"
                               "Helemaal mee oneens", "Bram Jansen;bram@lisse.nl;10.0.0.2;"
                               "Uitvoering / professional;Mee eenss")  # fmt: skip
    path.write_text(text, encoding="utf-8")
    problems = _problems(path, instrument, partnership)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.row == 3  # header row 1, Anna row 2, Bram row 3
    assert problem.column == "AMB1"
    assert "'Mee eenss'" in problem.message
    assert "'Mee eens'" in problem.hint
    text = str(problem)
    assert str(path) in text
    assert "row 3" in text
    assert "'AMB1'" in text


def test_two_bad_cells_give_two_problems(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text(
        "AMB1,AMB2,level\n4,5,bestuur\n4,veel,bestuur\n4,5,directie\n", encoding="utf-8"
    )
    problems = _problems(path, instrument, partnership)
    assert sorted((p.row, p.column) for p in problems) == [(3, "AMB2"), (4, "level")]
    assert any("'veel'" in p.message for p in problems)
    assert any("'directie'" in p.message for p in problems)


def test_repeated_bad_value_is_one_problem_at_its_first_row(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text("AMB1\n4\nveel\n3\nveel\n", encoding="utf-8")
    problems = _problems(path, instrument, partnership)
    assert len(problems) == 1
    assert problems[0].row == 3
    assert "2 rows" in problems[0].message


def test_empty_file(tmp_path: Path, instrument: Instrument, partnership: Partnership) -> None:
    path = tmp_path / "lisse.csv"
    path.write_bytes(b"")
    problems = _problems(path, instrument, partnership)
    assert len(problems) == 1
    assert "empty" in problems[0].message


def test_blank_lines_only_file(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_bytes(b"\r\n \r\n")
    assert "empty" in _problems(path, instrument, partnership)[0].message


def test_header_only_file(tmp_path: Path, instrument: Instrument, partnership: Partnership) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text("AMB1;AMB2\n", encoding="utf-8")
    problems = _problems(path, instrument, partnership)
    assert len(problems) == 1


def test_header_only_file_with_identifier_column(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text("Naam;E-mail;AMB1;AMB2\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_export(path, instrument, partnership)


def test_binary_data_in_csv(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4)
    problems = _problems(path, instrument, partnership)
    assert len(problems) == 1
    assert "binary" in problems[0].message


def test_corrupt_xlsx(tmp_path: Path, instrument: Instrument, partnership: Partnership) -> None:
    path = tmp_path / "lisse.xlsx"
    path.write_bytes(b"this is not a workbook at all\n" * 20)
    problems = _problems(path, instrument, partnership)
    assert len(problems) == 1
    assert "Excel workbook" in problems[0].message


def test_file_matching_no_item(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text("Vraag 1,Vraag 2,Naam\n4,5,Anna\n", encoding="utf-8")
    problems = _problems(path, instrument, partnership)
    assert len(problems) == 1
    assert "no column matches an item" in problems[0].message
    assert problems[0].row == 1
    assert "'Vraag 1'" in problems[0].hint
    assert "AMB1" in problems[0].hint


def test_file_stem_is_no_party_and_no_party_column(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "gemeente-lisse.csv"
    path.write_text("AMB1,AMB2\n4,5\n", encoding="utf-8")
    problems = _problems(path, instrument, partnership)
    assert len(problems) == 1
    assert "'gemeente-lisse'" in problems[0].message
    assert "lisse, hillegom" in problems[0].hint


def test_party_column_with_two_parties(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "alle-partijen.csv"
    path.write_text(
        "Organisatie;AMB1\nGemeente Lisse;4\nhillegom;2\nHillegom;3\n LISSE ;5\n", encoding="utf-8"
    )
    export = _load(path, instrument, partnership)
    assert export.matched["Organisatie"] == "party"
    assert _values(export.responses["party"]) == ["lisse", "hillegom", "hillegom", "lisse"]
    assert _values(export.responses["AMB1"]) == [4, 2, 3, 5]


def test_party_column_with_unknown_party(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "alle-partijen.csv"
    path.write_text("party,AMB1\nlisse,4\nZorgpunt Bollenstreek,2\n", encoding="utf-8")
    problems = _problems(path, instrument, partnership)
    assert len(problems) == 1
    assert problems[0].row == 3
    assert problems[0].column == "party"
    assert "'Zorgpunt Bollenstreek'" in problems[0].message


def test_source_row_after_a_multi_line_answer(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text('AMB1,GS_GLANS\n4,"eerste regel\ntweede regel"\n3,kort\nx,\n', encoding="utf-8")
    problems = _problems(path, instrument, partnership)
    assert [p.row for p in problems] == [4]  # spreadsheet rows: one record per row


def test_source_row_counts_blank_lines(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text("AMB1,AMB2\n4,5\n\n3,2\n", encoding="utf-8")
    responses = _load(path, instrument, partnership).responses
    assert _values(responses["source_row"])[-1] == 4


def test_trailing_separator_on_data_rows(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text("AMB1;AMB2\n4;5;\n3;2;\n", encoding="utf-8")
    responses = _load(path, instrument, partnership).responses
    assert _values(responses["AMB1"]) == [4, 3]
    assert _values(responses["AMB2"]) == [5, 2]


def test_raw_files_are_unchanged(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    csv_path = tmp_path / "lisse.csv"
    shutil.copy(LABELS_BOM, csv_path)
    xlsx_path = _xlsx(tmp_path / "hillegom.xlsx", HEADER, ROWS)
    bad_path = tmp_path / "bad" / "lisse.csv"
    bad_path.parent.mkdir()
    bad_path.write_text("AMB1\nMee eenss\n", encoding="utf-8")
    before = {path: sha256(path) for path in (csv_path, xlsx_path, bad_path)}
    mtimes = {path: path.stat().st_mtime_ns for path in before}
    _load(csv_path, instrument, partnership)
    _load(xlsx_path, instrument, partnership)
    with pytest.raises(InputError):
        _load(bad_path, instrument, partnership)
    assert {path: sha256(path) for path in before} == before
    assert {path: path.stat().st_mtime_ns for path in before} == mtimes
    assert sha256(csv_path) == sha256(LABELS_BOM)


@pytest.mark.parametrize("jobs", [1, 2])
def test_load_round_reads_every_export_of_the_round(
    tmp_path: Path, instrument: Instrument, partnership: Partnership, jobs: int
) -> None:
    folder = partnership.raw_dir("2025")
    folder.mkdir(parents=True)
    shutil.copy(LABELS_BOM, folder / "lisse.csv")
    (folder / "hillegom.csv").write_text("AMB1,level\n2,Management\n", encoding="utf-8")
    (folder / "~$lisse.xlsx").write_bytes(b"Excel lock file")
    (folder / ".hidden.csv").write_text("garbage\n", encoding="utf-8")
    (folder / "notes.md").write_text("# notes\n", encoding="utf-8")
    # with two processes the larger lisse.csv is loaded first; the results are in file order
    responses, exports = load_round(partnership, "2025", instrument, jobs)
    assert [e.path.name for e in exports] == ["hillegom.csv", "lisse.csv"]
    assert _values(responses["party"]) == ["hillegom", "lisse", "lisse", "lisse"]
    assert _values(responses["source_file"]) == [
        "data/raw/2025/hillegom.csv",
        *["data/raw/2025/lisse.csv"] * 3,
    ]
    assert _values(responses["source_row"]) == [2, 2, 3, 4]
    assert _values(responses["AMB1"]) == [2, 4, 1, None]
    assert _values(responses["level"]) == ["management", *EXPECTED["level"]]


@pytest.mark.parametrize("jobs", [1, 2])
def test_load_round_collects_problems_of_every_file(
    tmp_path: Path, instrument: Instrument, partnership: Partnership, jobs: int
) -> None:
    folder = partnership.raw_dir("2025")
    folder.mkdir(parents=True)
    (folder / "hillegom.csv").write_text("AMB1\nnegen\n", encoding="utf-8")
    (folder / "lisse.csv").write_text("AMB1,AMB2\n4,5\n4,zes\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_round(partnership, "2025", instrument, jobs)
    where = [(str(p.file), p.row, p.column) for p in caught.value.problems]
    assert where == [  # in file order, whichever process loaded which file
        ("data/raw/2025/hillegom.csv", 2, "AMB1"),
        ("data/raw/2025/lisse.csv", 3, "AMB2"),
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_load_rounds_loads_rounds_together_and_reports_every_round_s_problems(
    tmp_path: Path, instrument: Instrument, partnership: Partnership, jobs: int
) -> None:
    for round_id in ("2024", "2025", "2026"):
        partnership.raw_dir(round_id).mkdir(parents=True)
    shutil.copy(LABELS_BOM, partnership.raw_dir("2025") / "lisse.csv")  # the largest file
    (partnership.raw_dir("2024") / "hillegom.csv").write_text("AMB1\n3\n", encoding="utf-8")
    (partnership.raw_dir("2026") / "hillegom.csv").write_text("AMB1\n5\n1\n", encoding="utf-8")
    loaded = load_rounds(partnership, dict.fromkeys(["2024", "2025", "2026"], instrument), jobs)
    assert list(loaded) == ["2024", "2025", "2026"]
    assert _values(loaded["2024"][0]["AMB1"]) == [3]
    assert _values(loaded["2025"][0]["AMB1"]) == [4, 1, None]
    assert _values(loaded["2026"][0]["AMB1"]) == [5, 1]
    assert [e.path.name for e in loaded["2026"][1]] == ["hillegom.csv"]
    # a problem in the first and in the last round: both reported, in round order
    (partnership.raw_dir("2024") / "hillegom.csv").write_text("AMB1\nnegen\n", encoding="utf-8")
    (partnership.raw_dir("2026") / "lisse.csv").write_text("AMB1\ntien\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rounds(partnership, dict.fromkeys(["2024", "2025", "2026"], instrument), jobs)
    where = [(str(p.file), p.row) for p in caught.value.problems]
    assert where == [("data/raw/2024/hillegom.csv", 2), ("data/raw/2026/lisse.csv", 2)]


def test_load_round_on_an_empty_folder(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    folder = partnership.raw_dir("2025")
    folder.mkdir(parents=True)
    with pytest.raises(InputError) as caught:
        load_round(partnership, "2025", instrument)
    assert str(folder) in str(caught.value)
    assert "holds no export" in str(caught.value)


def test_value_under_a_column_without_header(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    path.write_text("AMB1;AMB2\n4;5\n3;Mee eens; met een puntkomma\n", encoding="utf-8")
    problems = _problems(path, instrument, partnership)
    assert len(problems) == 1
    assert problems[0].row == 3
    assert "column 3, which has no header" in problems[0].message
    assert "'met een puntkomma'" in problems[0].message  # cells are stripped
    assert "quotes" in problems[0].hint


def test_utf16_tab_separated(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.tsv"
    path.write_bytes("AMB1\tniveau\r\n4\tBestuur of toezicht\r\n".encode("utf-16"))
    responses = _load(path, instrument, partnership).responses
    assert _values(responses["AMB1"]) == [4]
    assert _values(responses["level"]) == ["bestuur"]


def test_placeholder_identifiers_are_no_identifier_in_any_case(
    tmp_path: Path, instrument: Instrument, partnership: Partnership
) -> None:
    path = tmp_path / "lisse.csv"
    cells = ["Anoniem", "ANONYMOUS", " n/A ", "-", "", "anoniem@lisse.nl", "Anoniempje", "ANONYM",
             "nvt", "N.v.t.", "geen", "Onbekend", "jan@lisse.nl"]  # fmt: skip
    path.write_text(
        "E-mail,Token,AMB1\n" + "".join(f"{cell},{cell},3\n" for cell in cells), "utf-8"
    )
    responses = _load(path, instrument, partnership).responses
    # an e-mail column's text without "@" is no address either
    assert _values(responses["id_email"]) == [None] * 5 + ["anoniem@lisse.nl"] + [None] * 6 + [
        "jan@lisse.nl"
    ]
    assert _values(responses["id_token"]) == [None] * 5 + [
        "anoniem@lisse.nl", "Anoniempje", *[None] * 5, "jan@lisse.nl"
    ]  # fmt: skip
