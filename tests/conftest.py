"""Shared fixtures: a headless Debian chromium driven by playwright, kept offline, and the
example partnership run once per test session."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from export_fixtures import bundled_instrument

from pipeline.questionnaire import Instrument

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The date the example's run manifest carries (SOURCE_DATE_EPOCH).
EXAMPLE_EPOCH = "1700000000"


@pytest.fixture(scope="session")
def instrument(tmp_path_factory: pytest.TempPathFactory) -> Instrument:
    """The bundled instrument; a test module with an instrument of its own overrides it."""
    return bundled_instrument(tmp_path_factory.mktemp("instrument"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One chromium for the whole test session; fails (never skips) when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's chromium "
            "(apt-get install chromium)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:  # any launch failure is a test failure
        playwright.stop()
        pytest.fail(f"could not start {CHROMIUM}: {error}", pytrace=False)
    yield chromium
    chromium.close()
    playwright.stop()


def open_offline(
    browser: Any, path: Path, width: int = 1280, height: int = 900, wait: bool = True
) -> tuple[Any, list[str], list[str]]:
    """Open a local HTML file offline; return the page, its console errors and outside requests.

    Every request whose URL does not start with ``file:`` or ``data:`` is recorded and aborted,
    so a test never touches the network. With ``wait=False`` the call returns as soon as the
    page starts loading (to load several pages at once).
    """
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    requests: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    def on_route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            requests.append(url)
            route.abort()

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.route("**/*", on_route)
    page.goto(Path(path).resolve().as_uri(), wait_until="load" if wait else "commit")
    return page, errors, requests


@pytest.fixture(scope="session")
def open_page(browser: Any) -> Callable[..., tuple[Any, list[str], list[str]]]:
    """:func:`open_offline` with the session's browser; the caller closes the page."""
    return lambda path, **options: open_offline(browser, path, **options)


@pytest.fixture(scope="session")
def example_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example partnership after ``collab-eval run``, made once per session."""
    from pipeline.cli import main

    root = tmp_path_factory.mktemp("example") / "project"
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EXAMPLE_EPOCH
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            codes = [main(["example", str(root)]), main(["run", "--project", str(root)])]
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    if codes != [0, 0]:
        pytest.fail(f"the example did not run (exit codes {codes}):\n{output.getvalue()}")
    return root


@pytest.fixture(scope="session")
def example_report_data(example_project: Path) -> Callable[..., Any]:
    """:func:`report_data_from_tables` for the example project: ``(round_id, **changes)``."""
    return lambda round_id, **changes: report_data_from_tables(example_project, round_id, **changes)


def report_data_from_tables(project: Path, round_id: str, **changes: Any) -> Any:
    """The :class:`~pipeline.report.RoundReportData` of a round, read back from its tables.

    What cli passes is rebuilt from ``data/processed/<round>/``; ``changes`` replace fields.
    Received counts are kept plus the responses the quality log excluded.
    """
    from pipeline.config import load_partnership
    from pipeline.questionnaire import load_instrument
    from pipeline.report import REPORT_TABLES, RoundReportData, history_rows, report_labels

    partnership = load_partnership(project)
    language = changes.pop("language", partnership.language)
    by_id = {r.id: r for r in partnership.rounds}
    instrument = load_instrument(by_id[round_id].instrument)
    folder = partnership.processed_dir(round_id)
    tables = {
        name: pd.read_parquet(folder / f"{name}.parquet")
        for name in REPORT_TABLES
        if (folder / f"{name}.parquet").is_file()
    }
    order = [r.id for r in partnership.rounds]
    history = pd.concat(
        [
            history_rows(
                pd.read_parquet(partnership.processed_dir(r) / "summary.parquet"),
                pd.read_parquet(partnership.processed_dir(r) / "partnership.parquet"),
            )
            for r in order[: order.index(round_id) + 1]
        ],
        ignore_index=True,
    )
    kept = pd.read_parquet(folder / "responses.parquet")["party"].value_counts()
    log = tables["quality_log"]
    excluded = (
        log[log["action"] == "excluded"]
        .drop_duplicates(["source_file", "source_row", "check"])["party"]
        .value_counts()
    )
    ids = partnership.party_ids
    counts = pd.DataFrame(
        {
            "party": ids,
            "received": [int(kept.get(p, 0) + excluded.get(p, 0)) for p in ids],
            "kept": [int(kept.get(p, 0)) for p in ids],
            "excluded": [int(excluded.get(p, 0)) for p in ids],
        }
    )
    fields: dict[str, Any] = {
        "partnership_name": partnership.name,
        "round_id": round_id,
        "language": language,
        "min_group_size": partnership.min_group_size,
        "parties": pd.DataFrame({"id": ids, "name": [p.name for p in partnership.parties]}),
        "response_counts": counts,
        "manifest": json.loads((folder / "manifest.json").read_text(encoding="utf-8")),
        "history": history,
        **report_labels(instrument, language),
        **tables,
    }
    fields.update(changes)
    return RoundReportData(**fields)


@pytest.fixture(scope="session")
def example_hidden_parties() -> dict[str, list[str]]:
    """The example's 2024 parties whose figures are all hidden, as its story has it: ``small``
    (the client council: four respondents, under min_group_size) and ``secondary`` (none: a
    hidden party's answers enter no pooled figure, so no other party is hidden to protect it).
    ``test_report`` checks the run agrees."""
    return {"small": ["clientenraad"], "secondary": []}
