"""Tests for the reports (pipeline.report) without a browser: content, rules, size, language.

The reports are made from the example partnership, run once per session (``example_project``
in conftest.py); the browser tests are in test_report_browser.py.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io
import plotly.offline
import pytest

from pipeline.compare import round_tables
from pipeline.config import load_partnership
from pipeline.questionnaire import load_instrument
from pipeline.report import (
    RoundReportData,
    party_report_html,
    round_report_html,
)
from pipeline.report import page as page_module
from pipeline.report.data import Context, records
from pipeline.report.sections import MAX_COMMENTS, comment_groups, effect_word
from pipeline.report.steering import _levels_title, levels_heading
from pipeline.report.text import TEXT

PLOTLYJS = plotly.offline.get_plotlyjs()
NAMES = {
    "lisse": "Gemeente Lisse",
    "hillegom": "Gemeente Hillegom",
    "zorgpunt": "Zorgpunt Bollenstreek",
    "woonstede": "Woonstede",
    "welzijn": "Welzijn Duin- en Bollenstreek",
    "clientenraad": "Cliëntenraad Sociaal Domein",
}
PARTIES = list(NAMES)
ROUNDS = ["2024", "2025", "2026"]
REPORT_PACKAGE = Path(__file__).resolve().parents[1] / "pipeline" / "report"
STEERING_SECTIONS = [
    "summary",
    "parties",
    "friction",
    "trends",
    "statements",
    "levels",
    "give-take",
    "drivers",
    "method",
]


def _own(page: str) -> str:
    """The page without the embedded plotly.js: everything this project wrote."""
    return page.replace(PLOTLYJS, "")


def _headings(page: str, level: int = 2) -> list[str]:
    """The text of the headings of a level, tags removed."""
    found = re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", page, re.S)
    return [re.sub(r"<[^>]+>", " ", text).strip() for text in found]


def _section(page: str, section_id: str) -> str:
    start = page.index(f'<section id="{section_id}"')
    return page[start : page.index("</section>", start)]


def _figure_json(page: str, name: str) -> str:
    """The script that draws one figure (its data and layout as JSON)."""
    start = page.index(f'id="fig-{name}"')
    return page[start : page.index("</script>", start)]


@pytest.fixture(scope="module")
def data_2026(example_report_data) -> RoundReportData:
    return example_report_data("2026")


@pytest.fixture(scope="module")
def steering_2026(example_project: Path) -> str:
    return (example_project / "reports" / "2026" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def steering_2024(example_project: Path) -> str:
    return (example_project / "reports" / "2024" / "index.html").read_text(encoding="utf-8")


# --- what cli writes ---------------------------------------------------------------------------


def test_cli_writes_a_steering_report_and_one_per_party(example_project: Path) -> None:
    for round_id in ROUNDS:
        folder = example_project / "reports" / round_id
        expected = {"index.html", "tables.xlsx", *(f"party-{p}.html" for p in PARTIES)}
        assert expected <= {path.name for path in folder.iterdir()}


def test_the_report_shows_the_same_page_as_cli_wrote(
    data_2026: RoundReportData, steering_2026: str
) -> None:
    """The tables on disk give the same report: the report shows the tables, nothing else.

    (Only the response counts differ: cli counts received from the loaded exports.)
    """
    page = round_report_html(data_2026)
    drop = re.compile(r'<section id="summary".*?</section>', re.S)
    assert drop.sub("", page) == drop.sub("", steering_2026)


def test_trends_read_earlier_rounds_from_disk(steering_2026: str, steering_2024: str) -> None:
    trends = _section(steering_2026, "trends")
    for round_id in ROUNDS:
        assert f'<th class="num" scope="col">{round_id}</th>' in trends
    assert '"2024","2025","2026"' in _figure_json(steering_2026, "trends")
    first = _section(steering_2024, "trends")
    assert "fig-trends" not in first
    assert "2024 is de eerste" in first


# --- page structure --------------------------------------------------------------------------


def test_nine_sections_each_headed_by_a_finding(steering_2026: str) -> None:
    own = _own(steering_2026)
    assert re.findall(r'<section id="([^"]+)"', own) == STEERING_SECTIONS
    names = [TEXT["nl"][f"sec_{key}"] for key in (
        "summary", "parties", "friction", "trends", "statements", "levels", "give_take",
        "drivers", "method")]  # fmt: skip
    headings = _headings(own)
    assert len(headings) == 9
    for heading, name in zip(headings, names, strict=True):
        assert heading.startswith(name)
        assert len(heading) > len(name) + 15, heading  # a finding, not only the name
    # the example's story (README): trust grows, the small partners chafe on tempo and money
    assert "Vertrouwen en openheid groeit" in headings[0]
    assert "Geld en tempo schuren" in headings[2]
    assert "Cliëntenraad Sociaal Domein" in headings[2]


def test_headings_are_nested_in_order(steering_2026: str, example_project: Path) -> None:
    party = (example_project / "reports" / "2026" / "party-lisse.html").read_text("utf-8")
    for page in (steering_2026, party):
        levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", _own(page))]
        assert levels[0] == 1 and levels.count(1) == 1
        for previous, current in itertools.pairwise(levels):
            assert current <= previous + 1, (previous, current)


def test_self_contained_plotlyjs_once_in_the_head(steering_2026: str) -> None:
    assert steering_2026.count(PLOTLYJS) == 1
    assert steering_2026.index(PLOTLYJS) < steering_2026.index("</head>")
    own = _own(steering_2026)
    for outside in ("http://", "https://", "<link", "@import", "@font-face", "cdn."):
        assert outside not in own, outside
    assert '"displaylogo": false' in own


def test_each_figure_is_the_html_plotly_writes_for_it(
    data_2026: RoundReportData, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = []
    own = page_module.figure_html

    def spy(fig: dict, name: str, height: int) -> str:
        drawn.append((fig, name, height, own(fig, name, height)))
        return drawn[-1][-1]

    monkeypatch.setattr(page_module, "figure_html", spy)
    round_report_html(data_2026)
    party_report_html(data_2026, "lisse")
    assert len(drawn) > 10
    for fig, name, height, html in drawn:
        assert html == plotly.io.to_html(
            fig,
            full_html=False,
            include_plotlyjs=False,
            div_id=f"fig-{name}",
            config=page_module._PLOTLY_CONFIG,
            default_height=f"{height}px",
            default_width="100%",
            validate=False,
        ), name


def test_figure_json_is_the_json_plotly_writes() -> None:
    from plotly.io.json import to_json_plotly

    values = {
        "x": [1.5, float("nan"), float("inf"), None, np.int64(3), np.float64(0.1), pd.NA],
        "text": ["</script><b>", "NaN is text", "a/b"],
        "when": pd.Timestamp("2025-10-01 09:30"),
        "array": np.array([1, 2]),
    }
    assert page_module._figure_json(values) == to_json_plotly(values)
    assert "</" not in page_module._figure_json(values)


def test_a_page_is_written_without_plotlys_figure_classes(example_project: Path) -> None:
    # plotly.io.to_html imports them first (0.13 s in each process that writes pages), and its
    # JSON encoder imports its validators (0.17 s)
    script = (
        "import sys\nfrom pathlib import Path\n"
        "from conftest import report_data_from_tables\n"
        "from pipeline.report import round_report_html\n"
        f"data = report_data_from_tables(Path({str(example_project)!r}), '2026')\n"
        "assert 'Plotly.newPlot' in round_report_html(data)\n"
        "print(any(m in sys.modules for m in ('plotly.basedatatypes', '_plotly_utils.utils')))\n"
    )
    tests = Path(__file__).parent
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tests, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_figure_ids_are_fixed_and_unique(steering_2026: str) -> None:
    ids = re.findall(r'<div id="(fig-[a-z-]+)" class="plotly-graph-div"', steering_2026)
    assert ids == [
        "fig-partnership", "fig-parties", "fig-friction", "fig-trends", "fig-statements",
        "fig-levels", "fig-give-take", "fig-drivers",
    ]  # fmt: skip


def test_print_css_breaks_pages_between_sections(steering_2026: str) -> None:
    css = steering_2026[steering_2026.index("@media print") :]
    assert "section { break-before: page; }" in css


def test_colour_blind_safe_palette(steering_2026: str) -> None:
    own = _own(steering_2026)
    for colour in ("#0072B2", "#E69F00", "#D55E00", "#b35806", "#2166ac"):  # Okabe-Ito, PuOr
        assert colour in own
    assert "#FF0000" not in own.upper() and "#00FF00" not in own.upper()


# --- determinism -------------------------------------------------------------------------------


def test_same_data_gives_the_same_bytes(data_2026: RoundReportData) -> None:
    assert round_report_html(data_2026) == round_report_html(data_2026)
    assert party_report_html(data_2026, "lisse") == party_report_html(data_2026, "lisse")


# --- sections ---------------------------------------------------------------------------------


def test_summary_shows_change_with_significance_and_response(steering_2026: str) -> None:
    summary = _section(steering_2026, "summary")
    changes = summary[summary.index("Verandering sinds 2025") :]
    row = re.search(r"<td>Vertrouwen en openheid</td>.*?</tr>", changes, re.S)
    assert row and "significant hoger" in row.group(0)
    assert "<td>Gemeente Lisse</td>" in summary  # response per party
    assert "Totaal" in summary


def test_response_rate_where_invited_is_known(data_2026: RoundReportData) -> None:
    parties = data_2026.parties.assign(invited=pd.array([80, None, 70, 50, 32, 22], "Int64"))
    page = round_report_html(dataclasses.replace(data_2026, parties=parties))
    kept = int(data_2026.response_counts.set_index("party").at["lisse", "kept"])
    row = re.search(r"<tr><td>Gemeente Lisse</td>.*?</tr>", _section(page, "summary"), re.S)
    rate = f'<td class="num">80</td><td class="num">{100 * kept / 80:.0f}%</td>'
    assert row and rate in row.group(0)
    hillegom = re.search(r"<tr><td>Gemeente Hillegom</td>.*?</tr>", page, re.S)
    assert hillegom and hillegom.group(0).endswith('<td class="num">–</td></tr>')


def test_heatmap_marks_suppressed_cells(steering_2024: str) -> None:
    figure = _figure_json(steering_2024, "parties")
    assert "n &lt; 5" in figure  # the client council: 4 respondents
    assert "afgeschermd" not in figure  # no party is hidden to protect another


def test_suppressed_parties_are_left_out_of_dropdown_and_map(
    steering_2024: str, example_hidden_parties: dict[str, list[str]]
) -> None:
    hidden = [NAMES[p] for p in example_hidden_parties["small"]]
    hidden += [NAMES[p] for p in example_hidden_parties["secondary"]]
    assert "Cliëntenraad Sociaal Domein" in hidden  # the story: 4 respondents in 2024
    statements = _figure_json(steering_2024, "statements")
    labels = re.findall(r'"label":"([^"]+)"', statements)
    assert labels[0] == "Samenwerking"
    assert "Gemeente Lisse" in labels
    give_take = _section(steering_2024, "give-take")
    for name in hidden:
        assert name not in labels
        assert f'"name":"{name}"' not in give_take
    assert "Cliëntenraad Sociaal Domein" in give_take  # named in the note, as left out


def test_statements_keep_dont_know_apart(steering_2026: str) -> None:
    figure = _figure_json(steering_2026, "statements")
    assert '"xaxis":"x2"' in figure and '"name":"Weet niet"' in figure
    assert '"updatemenus"' in figure and '"method":"update"' in figure


def test_method_section(steering_2026: str) -> None:
    method = _section(steering_2026, "method")
    assert "95%-interval (Feldt)" in method
    assert "Item-rest r" in method
    assert "p (gecorrigeerd)" in method
    assert re.search(r"<td>(klein|middelgroot|groot|verwaarloosbaar)</td>", method)
    assert "0,01 klein, 0,06 middelgroot, 0,14 groot" in method  # the thresholds are named
    assert "Lege vragenlijst" in method and "uitgesloten" in method
    assert "2023-11-14T22:13:20Z" in method  # the manifest's date (SOURCE_DATE_EPOCH)
    assert re.search(r"<code>[0-9a-f]{64}</code>", method)


def test_effect_words_follow_cohen() -> None:
    ctx = Context(RoundReportData("p", "1", "en", 5, *[pd.DataFrame()] * 7))
    r = [effect_word(ctx, "rank_biserial", v) for v in (0.05, -0.1, 0.29, 0.3, -0.5, 0.9)]
    assert r == ["negligible", "small", "small", "medium", "large", "large"]
    eps = [effect_word(ctx, "epsilon_squared", v) for v in (0.005, 0.01, 0.06, 0.14)]
    assert eps == ["negligible", "small", "medium", "large"]


def test_ordered_sorts_by_the_given_order_then_text_with_missing_last() -> None:
    ctx = Context(RoundReportData("p", "1", "en", 5, *[pd.DataFrame()] * 7))
    table = pd.DataFrame(
        {
            "party": ["b", "zz", "a", None, "b", "yy", "a", "b"],
            "dimension": ["D2", "D1", "D1", "D1", "D9", "D1", "D1", "D1"],
            "row": range(8),
        }
    )
    keys = [("party", ["b", "a"]), ("dimension", ["D1", "D2"])]
    out = ctx.ordered(table, keys)
    # b before a (given order); then the unknown parties by their text, the missing one last;
    # within b, D1 before D2 before the unknown D9; the two (a, D1) rows keep their order
    assert out["row"].tolist() == [7, 0, 4, 2, 6, 5, 1, 3]
    assert out.index.tolist() == list(range(8))
    assert table["row"].tolist() == list(range(8))  # the input is left as it was
    assert ctx.ordered(table.iloc[:0], keys).empty


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_records_are_the_rows_pandas_to_dict_gives(storage: str) -> None:
    with pd.option_context("mode.string_storage", storage):
        table = pd.DataFrame(
            {
                "float": [1.5, np.nan, -0.0],
                "int": np.array([1, 2, 3], dtype="int8"),
                "bool": [True, False, True],
                "object": [np.float64(2.5), np.int64(7), "x"],
                "object_missing": [None, np.nan, pd.NA],
                "object_numpy": [
                    np.bool_(True),
                    np.datetime64("2025-01-02"),
                    np.timedelta64(5, "s"),
                ],
                "str": pd.Series(["a", None, "c"], dtype="str"),
                "string": pd.Series(["a", None, "c"], dtype="string"),
                "Int64": pd.array([1, None, 3], dtype="Int64"),
                "Float64": pd.array([0.5, None, np.nan], dtype="Float64"),
                "boolean": pd.array([True, None, False], dtype="boolean"),
                "datetime": pd.to_datetime(["2025-01-01", None, "2025-03-01"]),
                "category": pd.Categorical(["x", None, "y"]),
            }
        )
        expected = table.to_dict("records")
        got = records(table)

    def same(a: object, b: object) -> bool:
        if type(a) is not type(b):
            return False
        if isinstance(a, float) and math.isnan(a):
            return math.isnan(b)  # type: ignore[arg-type]
        return a is b or a == b or (a is pd.NaT and b is pd.NaT)

    assert [list(row) for row in got] == [list(row) for row in expected]
    for row, (want, have) in enumerate(zip(expected, got, strict=True)):
        for column in table.columns:
            assert same(want[column], have[column]), (row, column, want[column], have[column])
    assert None in [row["Int64"] for row in got]  # pandas' NA becomes None, as in pandas
    assert records(table.iloc[:0]) == []


def test_levels_heading_and_title_read_only_the_shown_rows(data_2026: RoundReportData) -> None:
    ctx = Context(data_2026)
    a, b, c, d = list(ctx.dimension_labels)[:4]
    l1, l2, l3 = list(ctx.level_labels)[:3]

    def row(dimension: str, level: str, mean: float, suppressed: bool = False) -> dict:
        return {"dimension": dimension, "level": level, "mean": mean, "suppressed": suppressed}

    rows = [
        row(a, l1, 3.0),
        row(a, l2, 3.5),
        row(b, l3, 4.0),
        row(b, l2, 4.0),  # as high as l3: the first row counts as the highest
        row(c, l1, 3.0),
        row(c, l2, 5.0, suppressed=True),  # hidden: neither the highest nor in the gap
        row(c, l3, 3.9),
        row(d, l1, float("nan")),
    ]
    # the widest gap between shown means is c's, 3.9 - 3.0 (a's is 0.5, b's 0)
    gap = ctx.t["levels_gap"].format(
        dim=ctx.dimension_label(c),
        high=ctx.level_label(l3),
        a="3,9",
        low=ctx.level_label(l1).lower(),
        b="3,0",
    )
    assert levels_heading(ctx, rows, "lisse") == gap[:1].upper() + gap[1:]
    # highest per dimension: a l2, b l3, c l3; d has no mean shown
    title = ctx.t["levels_title"].format(level=ctx.level_label(l3), k=2, m=3)
    assert _levels_title(ctx, rows) == title
    alike = [row(a, l1, 3.0), row(a, l2, 3.2)]
    assert levels_heading(ctx, alike, "lisse") == ctx.t["levels_alike"]


# --- party reports -----------------------------------------------------------------------------


def test_party_report_names_no_other_party(example_project: Path) -> None:
    for round_id, party in itertools.product(ROUNDS, PARTIES):
        page = _own((example_project / "reports" / round_id / f"party-{party}.html").read_text())
        assert NAMES[party] in page
        for other, name in NAMES.items():
            if other != party:
                assert name not in page, (round_id, party, other)


def test_suppressed_party_report_shows_partnership_only(
    example_project: Path, example_hidden_parties: dict[str, list[str]]
) -> None:
    summary = pd.read_parquet(example_project / "data" / "processed" / "2024" / "summary.parquet")
    hidden = summary.groupby("party", sort=False).agg(all=("suppressed", "all"), n=("n", "max"))
    hidden = hidden[hidden["all"]]
    assert list(hidden.index[hidden["n"] < 5]) == example_hidden_parties["small"]
    assert list(hidden.index[hidden["n"] >= 5]) == example_hidden_parties["secondary"]
    page = (example_project / "reports" / "2024" / "party-clientenraad.html").read_text()
    own = _own(page)
    assert "antwoordden minder dan 5 mensen" in own
    assert "fig-profile" not in own  # no figure with the party's own numbers
    assert "fig-partnership" in own
    statements = _figure_json(page, "statements")
    assert '"updatemenus"' not in statements  # the partnership only, no choice
    for party in example_hidden_parties["secondary"]:  # hidden to protect a smaller party
        path = example_project / "reports" / "2024" / f"party-{party}.html"
        assert "te herleiden" in _own(path.read_text())


def test_party_report_shows_party_beside_partnership_and_range(example_project: Path) -> None:
    page = (example_project / "reports" / "2026" / "party-lisse.html").read_text()
    profile = _figure_json(page, "profile")
    for legend in ("andere partijen (laagste tot hoogste)", "samenwerking (partijen even zwaar)",
                   "Gemeente Lisse"):  # fmt: skip
        assert f'"name":"{legend}"' in profile
    assert re.findall(r'<section id="([^"]+)"', _own(page)) == [
        "summary", "trends", "statements", "levels", "friction", "comments", "method",
    ]  # fmt: skip


def test_unknown_party_and_language_are_refused(data_2026: RoundReportData) -> None:
    with pytest.raises(ValueError, match="party"):
        party_report_html(data_2026, "nobody")
    with pytest.raises(ValueError, match="language"):
        round_report_html(dataclasses.replace(data_2026, language="fr"))


# --- open answers ------------------------------------------------------------------------------

EVIL = '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">'


def _comments(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [("2026", party, "uitvoering", question, text) for party, question, text in rows],
        columns=["round", "party", "level", "question", "text"],
    )


def test_open_answers_are_escaped(data_2026: RoundReportData) -> None:
    comments = _comments([("lisse", "GS_GLANS", EVIL), ("lisse", "GS_SCHUUR", "Te <b>snel</b>")])
    data = dataclasses.replace(data_2026, comments=comments)
    for page in (round_report_html(data), party_report_html(data, "lisse")):
        own = _own(page)
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in own
        assert "<script>window.__pwned" not in own and "<img" not in own
        assert "Te &lt;b&gt;snel&lt;/b&gt;" in own


def test_open_answers_of_small_parties_are_pooled(data_2026: RoundReportData) -> None:
    kept = {"lisse": 40, "hillegom": 33, "zorgpunt": 35, "woonstede": 25, "welzijn": 9,
            "clientenraad": 4}  # fmt: skip
    counts = data_2026.response_counts.assign(kept=[kept[p] for p in PARTIES])
    comments = _comments([(p, "GS_GLANS", f"antwoord van {p}") for p in PARTIES])
    data = dataclasses.replace(data_2026, response_counts=counts, comments=comments)
    assert comment_groups(Context(data)) == ["lisse", "hillegom", "zorgpunt", "woonstede"]
    friction = _section(round_report_html(data), "friction")
    assert "Overige partijen samen (2 antwoorden)" in friction
    assert "<summary>Welzijn Duin- en Bollenstreek (" not in friction  # not a group of its own
    assert "<summary>Gemeente Lisse (1 antwoorden)</summary>" in friction
    assert "niveau" in friction  # the rule is stated
    assert "uitvoering" not in friction  # levels never shown with open answers
    assert "antwoord van welzijn" not in _own(party_report_html(data, "welzijn"))
    assert "antwoord van lisse" in _own(party_report_html(data, "lisse"))


def test_one_small_party_is_pooled_with_the_next_smallest(data_2026: RoundReportData) -> None:
    counts = data_2026.response_counts.assign(kept=[40, 33, 35, 25, 16, 9])
    comments = _comments([(p, "GS_GLANS", f"antwoord van {p}") for p in PARTIES])
    data = dataclasses.replace(data_2026, response_counts=counts, comments=comments)
    assert comment_groups(Context(data)) == ["lisse", "hillegom", "zorgpunt", "woonstede"]


def test_without_a_comments_table_the_report_says_none_were_collected(
    data_2026: RoundReportData,
) -> None:
    page = round_report_html(dataclasses.replace(data_2026, comments=None))
    assert "geen open antwoorden verzameld" in _section(page, "friction")


# --- language ----------------------------------------------------------------------------------


def test_both_languages_have_the_same_words() -> None:
    assert set(TEXT["nl"]) == set(TEXT["en"])
    for key in TEXT["nl"]:
        # the same placeholders, in any order (word order differs between the languages)
        placeholders = [sorted(re.findall(r"{(\w*)}", TEXT[lang][key])) for lang in ("nl", "en")]
        assert placeholders[0] == placeholders[1], key


def test_english_report_has_english_headings(example_report_data) -> None:
    data = example_report_data("2026", language="en")
    pages = [round_report_html(data), party_report_html(data, "lisse")]
    english = {value for value in TEXT["en"].values()}
    dutch_only = [
        fragment
        for value in TEXT["nl"].values()
        if value not in english
        for fragment in re.split(r"{\w*}", value)
        if len(fragment.strip()) >= 12
    ]
    assert "Trust and openness grows" in _headings(pages[0])[0]
    for page in pages:
        own = _own(page)
        assert '<html lang="en">' in own
        assert _headings(own)[0].startswith("Summary")
        for fragment in dutch_only:
            assert not re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", own), fragment
    assert "Where it shines and chafes" in pages[0]


def test_no_dutch_words_in_the_code() -> None:
    """Every word the reports say comes from text.py; the code only holds English and markup."""
    dutch = re.compile(r"\b(het|een|niet|wordt|zijn|partij|samenwerking|stelling)\b", re.I)
    for path in REPORT_PACKAGE.glob("*.py"):
        if path.name == "text.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and id(node) not in docstrings:
                assert not dutch.search(text), (path.name, text)


# --- size --------------------------------------------------------------------------------------


def _scaled(frame: pd.DataFrame, times: int) -> pd.DataFrame:
    """The rows ``times`` over, each copy with new respondents."""
    copies = []
    for copy in range(times):
        part = frame.copy()
        if "respondent" in part:
            part["respondent"] = part["respondent"].astype(str) + f"-{copy}"
        copies.append(part)
    return pd.concat(copies, ignore_index=True)


def test_size_is_small_and_does_not_grow_with_respondents(
    example_project: Path, example_report_data
) -> None:
    partnership = load_partnership(example_project)
    instrument = load_instrument(partnership.rounds[0].instrument)

    def read(round_id: str, name: str) -> pd.DataFrame:
        return pd.read_parquet(partnership.processed_dir(round_id) / f"{name}.parquet")

    # more open answers than a report shows (MAX_COMMENTS per party and question) already
    comments = _comments(
        [(p, q, f"Antwoord {i} van {p}: " + "tekst " * 30) for p in PARTIES
         for q in ("GS_GLANS", "GS_SCHUUR") for i in range(MAX_COMMENTS + 5)]
    )  # fmt: skip
    sizes = {}
    for times in (1, 10):
        tables = round_tables(
            _scaled(read("2026", "responses"), times),
            _scaled(read("2026", "dont_know"), times),
            instrument,
            partnership.party_ids,
            partnership.bands,
            partnership.min_group_size,
            (_scaled(read("2025", "responses"), times), instrument),
        )
        counts = example_report_data("2026").response_counts
        data = example_report_data(
            "2026",
            response_counts=counts.assign(
                received=counts["received"] * times, kept=counts["kept"] * times
            ),
            comments=_scaled(comments, times),
            **{k: v for k, v in tables.items() if k not in ("scores",)},
        )
        steering = round_report_html(data).encode("utf-8")
        party = party_report_html(data, "lisse").encode("utf-8")
        assert len(steering) < 6_000_000 and len(party) < 6_000_000
        sizes[times] = (len(steering), len(party))
    for before, after in zip(sizes[1], sizes[10], strict=True):
        assert abs(after - before) < 5_000, sizes


def test_example_reports_are_under_6_mb(example_project: Path) -> None:
    for path in (example_project / "reports").rglob("*.html"):
        assert path.stat().st_size < 6_000_000, path
        assert len(_own(path.read_text(encoding="utf-8")).encode()) < 600_000, path


# --- robustness --------------------------------------------------------------------------------


def test_reports_render_with_only_the_required_tables(data_2026: RoundReportData) -> None:
    optional = {
        field.name: None for field in dataclasses.fields(RoundReportData) if field.default is None
    }
    data = dataclasses.replace(data_2026, **optional)
    page = round_report_html(data)
    assert re.findall(r'<section id="([^"]+)"', _own(page)) == STEERING_SECTIONS
    assert "geen open antwoorden verzameld" in page
    assert "fig-partnership" in page and "fig-parties" in page
    party = party_report_html(data, "lisse")
    assert "fig-profile" in party


def test_a_party_hidden_on_one_dimension_shows_the_rest(data_2026: RoundReportData) -> None:
    summary = data_2026.summary.copy()
    hidden = (summary["party"] == "lisse") & (summary["dimension"] == "ROL")
    summary.loc[hidden, ["n", "suppressed"]] = [4, True]
    summary.loc[hidden, ["mean", "sd", "ci_low", "ci_high", "pct_favourable", "band"]] = None
    page = party_report_html(dataclasses.replace(data_2026, summary=summary), "lisse")
    summary_section = _section(page, "summary")
    assert "Niet getoond voor Rolduidelijkheid" in summary_section
    assert "n &lt; 5" in _figure_json(page, "profile")
