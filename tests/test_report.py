"""Tests for the steering report (pipeline.report)."""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from pathlib import Path

import pandas as pd
import plotly.offline
import pytest

from pipeline.report import RoundReportData, round_report_html

NAN = math.nan
EVIL_NAME = "Regio <script>alert(1)</script> & co"
EVIL_DETAIL = "kolom <b>E-mail</b> verwijderd"
PLOTLY_SIGNATURE = "* plotly.js v"
FIGURE_COUNT = 2


def _report_data(language: str = "nl") -> RoundReportData:
    """A small round: 3 parties, 3 dimensions, party 'hillegom' suppressed on ROL."""
    if language == "nl":
        labels = ["Vertrouwen en openheid", "Rolduidelijkheid", "Proceskwaliteit"]
    else:
        labels = ["Trust and openness", "Role clarity", "Process quality"]
    dimensions = pd.DataFrame({"code": ["VER", "ROL", "PRO"], "label": labels})
    parties = pd.DataFrame(
        {
            "id": ["lisse", "hillegom", "zorg"],
            "name": ["Gemeente Lisse", "Gemeente Hillegom", "Zorg & Welzijn <Noord>"],
        }
    )
    rows = [
        # party, dimension, n, mean, sd, ci_low, ci_high, pct_favourable, band, suppressed
        ("lisse", "VER", 20, 4.21, 0.6, 3.93, 4.49, 80.0, "shines", False),
        ("lisse", "ROL", 20, 3.40, 0.7, 3.07, 3.73, 55.0, "attention", False),
        ("lisse", "PRO", 19, 2.95, 0.8, 2.56, 3.34, 30.0, "chafes", False),
        ("hillegom", "VER", 12, 4.05, 0.5, 3.73, 4.37, 75.0, "shines", False),
        ("hillegom", "ROL", 4, NAN, NAN, NAN, NAN, NAN, None, True),
        ("hillegom", "PRO", 12, 2.60, 0.9, 2.03, 3.17, 20.0, "chafes", False),
        ("zorg", "VER", 15, 4.10, 0.6, 3.77, 4.43, 78.0, "shines", False),
        ("zorg", "ROL", 15, 3.55, 0.6, 3.22, 3.88, 60.0, "attention", False),
        ("zorg", "PRO", 15, 3.10, 0.7, 2.71, 3.49, 35.0, "attention", False),
    ]
    summary = pd.DataFrame(
        rows,
        columns=[
            "party",
            "dimension",
            "n",
            "mean",
            "sd",
            "ci_low",
            "ci_high",
            "pct_favourable",
            "band",
            "suppressed",
        ],
    )
    summary.insert(0, "round", "2025")
    partnership = pd.DataFrame(
        {
            "round": "2025",
            "dimension": ["VER", "ROL", "PRO"],
            "parties": [3, 3, 3],
            "n": [47, 39, 46],
            "mean_equal_weight": [4.12, 3.46, 2.88],
            "mean_respondent_weight": [4.14, 3.45, 2.90],
            "band": ["shines", "attention", "chafes"],
        }
    )
    reliability = pd.DataFrame(
        {
            "round": "2025",
            "dimension": ["VER", "ROL", "PRO"],
            "n_items": [4, 3, 5],
            "n_complete": [44, 35, 40],
            "alpha": [0.84, 0.62, NAN],
        }
    )
    quality_log = pd.DataFrame(
        {
            "round": "2025",
            "party": ["lisse", "lisse", "zorg", "hillegom"],
            "source_file": ["lisse.csv", "lisse.csv", "zorg.xlsx", "hillegom.sav"],
            "source_row": [3, 8, 2, 5],
            "check": ["empty_response", "empty_response", "identifiers_removed", "odd_check"],
            "action": ["excluded", "excluded", "changed", "flagged"],
            "detail": ["geen antwoorden", "geen antwoorden", EVIL_DETAIL, "iets vreemds"],
        }
    )
    response_counts = pd.DataFrame(
        {
            "party": ["lisse", "hillegom", "zorg"],
            "received": [22, 13, 15],
            "kept": [20, 12, 15],
            "excluded": [2, 1, 0],
        }
    )
    manifest = {
        "generated_at": "2025-06-01T12:00:00+00:00",
        "software": {"pandas": "3.1.1", "plotly": "7.1.0", "collab-eval": "0.1.0"},
        "settings": {"min_group_size": 5, "seed": 20250601},
        "instrument": {
            "file": "questionnaires/samenwerking-v1.xlsx",
            "version": "1",
            "sha256": "a" * 64,
        },
        "inputs": [
            {"file": "data/raw/2025/lisse.csv", "sha256": "b" * 64, "rows": 22},
            {"file": "data/raw/2025/zorg.xlsx", "sha256": "c" * 64, "rows": 15},
            {"file": "data/raw/2025/hillegom.sav", "sha256": "d" * 64, "rows": 13},
        ],
    }
    return RoundReportData(
        partnership_name=EVIL_NAME,
        round_id="2025",
        language=language,
        min_group_size=5,
        dimensions=dimensions,
        parties=parties,
        summary=summary,
        partnership=partnership,
        reliability=reliability,
        quality_log=quality_log,
        response_counts=response_counts,
        manifest=manifest,
    )


@pytest.fixture(scope="module")
def report_nl() -> str:
    return round_report_html(_report_data("nl"))


@pytest.fixture(scope="module")
def report_en() -> str:
    return round_report_html(_report_data("en"))


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory, report_nl: str) -> Path:
    path = tmp_path_factory.mktemp("report") / "index.html"
    path.write_text(report_nl, encoding="utf-8")
    return path


def _without_plotlyjs(page: str) -> str:
    """The page with the embedded plotly.js removed, i.e. everything this project wrote."""
    return page.replace(plotly.offline.get_plotlyjs(), "")


def _lead(page: str) -> str:
    match = re.search(r'<p class="lead">(.*?)</p>', page, re.S)
    assert match, "no lead paragraph"
    return match.group(1)


# (a) escaping ---------------------------------------------------------------------------------


def test_data_strings_are_escaped(report_nl: str) -> None:
    assert "Regio &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in report_nl
    assert "kolom &lt;b&gt;E-mail&lt;/b&gt; verwijderd" in report_nl
    assert "Zorg &amp; Welzijn &lt;Noord&gt;" in report_nl
    assert "<script>alert" not in report_nl
    assert "<b>E-mail" not in report_nl
    assert "<Noord>" not in report_nl


# (b) determinism -----------------------------------------------------------------------------


def test_two_renders_are_byte_identical(report_nl: str) -> None:
    again = round_report_html(_report_data("nl"))
    assert again.encode("utf-8") == report_nl.encode("utf-8")


def test_different_data_gives_a_different_page(report_nl: str) -> None:
    other = dataclasses.replace(_report_data("nl"), round_id="2026")
    assert round_report_html(other) != report_nl


# (c) plotly.js once, in the head, and self-contained -------------------------------------------


def test_plotlyjs_embedded_exactly_once_in_head(report_nl: str) -> None:
    assert report_nl.count(PLOTLY_SIGNATURE) == 1
    head_end = report_nl.index("</head>")
    assert report_nl.index(PLOTLY_SIGNATURE) < head_end
    large_scripts = [s for s in re.findall(r"<script[^>]*>(.*?)</script>", report_nl, re.S)]
    assert sum(len(s) > 1_000_000 for s in large_scripts) == 1


def test_no_external_reference_outside_plotlyjs(report_nl: str) -> None:
    own = _without_plotlyjs(report_nl)
    assert len(own) < len(report_nl)
    assert "http://" not in own
    assert "https://" not in own
    assert "<link" not in own
    assert "@import" not in own
    assert "@font-face" not in own
    assert '"showSendToCloud": false' in own
    assert '"displaylogo": false' in own


# (d) offline in chromium, no console errors ----------------------------------------------------


def test_opens_offline_without_requests_or_errors(open_report, report_file: Path) -> None:
    page, errors, requests = open_report(report_file)
    page.wait_for_function(
        f"document.querySelectorAll('.plotly-graph-div .main-svg').length >= {FIGURE_COUNT}"
    )
    assert requests == []
    assert errors == []


# (e) every figure drew an SVG ----------------------------------------------------------------


def test_every_figure_is_drawn(open_report, report_file: Path, report_nl: str) -> None:
    page, _, _ = open_report(report_file)
    page.wait_for_function(
        f"document.querySelectorAll('.plotly-graph-div .main-svg').length >= {FIGURE_COUNT}"
    )
    divs = page.locator(".plotly-graph-div")
    assert divs.count() == FIGURE_COUNT == report_nl.count('class="plotly-graph-div"')
    for i in range(divs.count()):
        assert divs.nth(i).locator(".main-svg").count() >= 1


# (f) suppressed cell ---------------------------------------------------------------------------


def test_suppressed_cell_shows_threshold_text(open_report, report_file: Path) -> None:
    page, _, _ = open_report(report_file)
    page.wait_for_selector("#fig-parties .main-svg")
    texts = page.locator("#fig-parties text").all_text_contents()
    assert "n < 5" in texts
    assert texts.count("n < 5") == 1
    # the suppressed party's value is nowhere: its ROL mean would otherwise be a number
    heat = page.evaluate("() => document.getElementById('fig-parties').data.map(t => t.z)")
    hillegom_rol = heat[0][1][1]
    assert hillegom_rol is None


def test_suppressed_cell_in_figure_data(report_nl: str) -> None:
    figure = report_nl[report_nl.index('id="fig-parties"') :]
    assert "n &lt; 5" in figure.split("</script>")[0]


# (g) language --------------------------------------------------------------------------------


def test_english_report(report_en: str) -> None:
    assert '<html lang="en">' in report_en
    headings = re.findall(r"<h2>(.*?)</h2>", report_en)
    assert headings == [
        "At a glance",
        "Partnership scores per dimension",
        "Differences between parties",
        "Data quality",
        "How this report was made",
    ]
    lead = _lead(report_en)
    assert "highest on Trust and openness (4.1)" in lead
    assert "lowest on Process quality (2.9)" in lead


def test_dutch_report_uses_decimal_comma(report_nl: str) -> None:
    assert '<html lang="nl">' in report_nl
    lead = _lead(report_nl)
    assert "hoogst op Vertrouwen en openheid (4,1)" in lead
    assert "laagst op Proceskwaliteit (2,9)" in lead
    assert not re.search(r"\d\.\d", lead)
    headings = re.findall(r"<h2>(.*?)</h2>", report_nl)
    assert headings[-1] == "Hoe dit rapport is gemaakt"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="language"):
        round_report_html(dataclasses.replace(_report_data(), language="fr"))


# (h) size ------------------------------------------------------------------------------------


def test_report_stays_small(report_nl: str) -> None:
    assert len(report_nl.encode("utf-8")) < 6_000_000
    assert len(_without_plotlyjs(report_nl).encode("utf-8")) < 200_000


# content of the sections -----------------------------------------------------------------------


def test_headings_are_nested_in_order(report_nl: str) -> None:
    levels = [int(level) for level in re.findall(r"<h([1-6])", _without_plotlyjs(report_nl))]
    assert levels[0] == 1 and levels.count(1) == 1
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1
    assert report_nl.count("<section") == 5


def test_figure_titles_state_the_finding(report_nl: str) -> None:
    own = _without_plotlyjs(report_nl)
    assert "Hoogst op Vertrouwen en openheid (4,1), laagst op Proceskwaliteit (2,9)" in own
    assert "Laagst: Gemeente Hillegom op Proceskwaliteit (2,6)" in own


def test_band_colours_are_okabe_ito(report_nl: str) -> None:
    own = _without_plotlyjs(report_nl)
    for colour in ("#0072B2", "#E69F00", "#D55E00"):
        assert colour in own


def test_quality_section(report_nl: str) -> None:
    quality = report_nl[report_nl.index('<section id="quality">') :]
    quality = quality[: quality.index("</section>")]
    # events counted by check and action, known checks labelled, unknown ones by code
    assert '<td>Lege vragenlijst</td><td>uitgesloten</td><td class="num">2</td>' in quality
    assert "<td>odd_check</td><td>gemarkeerd</td>" in quality
    # response per party with a total row
    assert re.search(r"<td>Gemeente Lisse</td>(<td class=\"num\">\d+</td>){3}", quality)
    assert '<td class="num">50</td><td class="num">47</td><td class="num">3</td>' in quality
    # reliability: two decimals, flag below 0,70, missing alpha explained
    assert '<td class="num">0,84</td><td></td>' in quality
    assert '0,62</td><td><span class="flag">lager dan 0,70</span>' in quality
    assert "niet te berekenen" in quality


def test_method_section_lists_the_manifest(report_nl: str) -> None:
    method = report_nl[report_nl.index('<section id="method">') :]
    for text in (
        "2025-06-01T12:00:00+00:00",
        "a" * 64,
        "b" * 64,
        "samenwerking-v1.xlsx",
        "20250601",
        "7.1.0",
        "data/raw/2025/hillegom.sav",
    ):
        assert text in method
