"""The reports in a real browser: Debian's chromium, driven by playwright, with no network.

Every report of the example partnership (run once per session) is opened a few at a time; each
must load with no console error and no request outside the file, and draw every chart. The
statements chart's dropdown must switch the data shown. Set ``COLLAB_EVAL_SCREENSHOTS`` to a
folder to also save full-page screenshots at 1280 px wide.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.report import round_report_html

PARTIES = ["lisse", "hillegom", "zorgpunt", "woonstede", "welzijn", "clientenraad"]
ROUNDS = ["2024", "2025", "2026"]
REPORTS = [f"{r}/index.html" for r in ROUNDS] + [
    f"{r}/party-{p}.html" for r, p in itertools.product(ROUNDS, PARTIES)
]
#: Pages loading at once (plotly.js is parsed once per page; two or three keep both cores busy).
BATCH = 3
ALL_DRAWN = (
    "() => [...document.querySelectorAll('.plotly-graph-div')]"
    ".every(d => d.querySelector('.main-svg') !== null)"
)
EVIL = '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">'


@dataclasses.dataclass
class Opened:
    figures: int
    drawn: int
    errors: list[str]
    requests: list[str]


#: Pages the later tests use again, kept open (each load parses plotly.js, which is slow).
KEEP = ("2026/index.html", "2024/index.html", "evil.html")


@pytest.fixture(scope="module")
def browser_run(
    open_page: Any,
    example_project: Path,
    example_report_data: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, Opened], dict[str, tuple[Any, list[str], list[str]]]]]:
    """Every example report, and one with a hostile open answer, opened offline a few at a time.

    Gives what each page showed, and the pages of :data:`KEEP`, still open.
    """
    comments = pd.DataFrame(
        {
            "round": "2026",
            "party": ["lisse", "lisse"],
            "level": "uitvoering",
            "question": ["GS_GLANS", "GS_SCHUUR"],
            "text": [EVIL, "Gewoon een antwoord"],
        }
    )
    evil = tmp_path_factory.mktemp("evil") / "evil.html"
    data = dataclasses.replace(example_report_data("2026"), comments=comments)
    evil.write_text(round_report_html(data), encoding="utf-8")
    paths = {name: example_project / "reports" / name for name in REPORTS}
    paths["evil.html"] = evil
    results: dict[str, Opened] = {}
    kept: dict[str, tuple[Any, list[str], list[str]]] = {}
    screenshots = os.environ.get("COLLAB_EVAL_SCREENSHOTS")
    names = list(paths)
    for start in range(0, len(names), BATCH):
        pages = {name: open_page(paths[name], wait=False) for name in names[start : start + BATCH]}
        for name, (page, errors, requests) in pages.items():
            page.wait_for_load_state("load", timeout=120_000)
            page.wait_for_function(ALL_DRAWN, timeout=60_000)
            counts = page.evaluate(
                "() => { const divs = [...document.querySelectorAll('.plotly-graph-div')];"
                " return [divs.length, divs.filter(d => d.querySelector('.main-svg')).length]; }"
            )
            results[name] = Opened(counts[0], counts[1], list(errors), list(requests))
            if screenshots:
                shot = Path(screenshots) / name.replace("/", "-").replace(".html", ".png")
                shot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shot), full_page=True)
            if name in KEEP:
                kept[name] = (page, errors, requests)
            else:
                page.close()
    yield results, kept
    for page, _, _ in kept.values():
        page.close()


@pytest.mark.parametrize("name", REPORTS)
def test_report_opens_offline_and_draws_every_chart(browser_run: Any, name: str) -> None:
    result = browser_run[0][name]
    assert result.errors == []
    assert result.requests == []
    assert result.figures >= 3
    assert result.drawn == result.figures


def _statements_data(page: Any) -> Any:
    return page.evaluate(
        "() => { const gd = document.getElementById('fig-statements');"
        " return {x: gd.data.map(t => t.x), title: gd.layout.title.text}; }"
    )


def _menu_options(page: Any) -> Any:
    """Open the statements chart's dropdown; return the locator of its options."""
    page.locator("#fig-statements .updatemenu-header-group").click()
    page.wait_for_selector("#fig-statements .updatemenu-dropdown-button")
    return page.locator("#fig-statements .updatemenu-dropdown-button .updatemenu-item-text")


def test_party_dropdown_switches_the_statements_chart(browser_run: Any) -> None:
    page, errors, requests = browser_run[1]["2026/index.html"]
    before = _statements_data(page)
    assert before["title"].startswith("Samenwerking")
    options = _menu_options(page)
    assert options.all_text_contents() == [
        "Samenwerking",
        "Gemeente Lisse",
        "Gemeente Hillegom",
        "Zorgpunt Bollenstreek",
        "Woonstede",
        "Welzijn Duin- en Bollenstreek",
        "Cliëntenraad Sociaal Domein",
    ]
    options.nth(1).click()
    page.wait_for_function(
        "() => document.getElementById('fig-statements').layout.title.text"
        ".startsWith('Gemeente Lisse')"
    )
    after = _statements_data(page)
    assert after["x"] != before["x"]
    assert len(after["x"]) == len(before["x"])
    # back to the partnership: the first data again
    _menu_options(page).nth(0).click()
    page.wait_for_function(
        "() => document.getElementById('fig-statements').layout.title.text"
        ".startsWith('Samenwerking')"
    )
    assert _statements_data(page)["x"] == before["x"]
    assert errors == [] and requests == []


def test_suppressed_parties_are_not_in_the_dropdown(
    browser_run: Any, example_hidden_parties: dict[str, list[str]]
) -> None:
    page, errors, _ = browser_run[1]["2024/index.html"]
    texts = _menu_options(page).all_text_contents()
    assert "Cliëntenraad Sociaal Domein" not in texts  # 4 respondents
    hidden = example_hidden_parties["small"] + example_hidden_parties["secondary"]
    assert len(texts) == 1 + len(PARTIES) - len(hidden)
    assert texts[:2] == ["Samenwerking", "Gemeente Lisse"]
    assert errors == []


def test_open_answer_with_a_script_shows_as_text(browser_run: Any) -> None:
    page, errors, requests = browser_run[1]["evil.html"]
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    items = page.locator("ul.comments li").all_text_contents()
    assert EVIL in items
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("ul.comments img").count() == 0
    assert page.locator("ul.comments script").count() == 0
    assert errors == [] and requests == []
