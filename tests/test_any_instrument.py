"""Any valid instrument runs end to end (DESIGN section 5: not only ours).

Instruments and exports are generated (:mod:`generated_projects`): without a level, party,
friction, open or halen-en-brengen question, with one dimension or a dimension of two items,
parties of one respondent and more. Every run must exit 0 and write every contract table.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from generated_projects import CONTRACT_TABLES, ProjectSpec, item_codes, write_project
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.cli import main

BARE = ProjectSpec(
    dimensions=(2,), reverse_first=False, level=False, frictions=0, text=False,
    brings_gets=False, outcome=False,
)  # fmt: skip


def run(root: Path) -> tuple[int, str]:
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        code = main(["run", "--project", str(root), "--jobs", "1"])
    return code, output.getvalue()


def assert_complete(root: Path, spec: ProjectSpec) -> None:
    """Every contract table of every round, and every report page, was written."""
    rounds = [str(2024 + number) for number in range(len(spec.sizes))]
    for number, round_id in enumerate(rounds):
        processed = root / "data" / "processed" / round_id
        tables = [*CONTRACT_TABLES, *(["changes"] if number else [])]
        for table in tables:
            for suffix in ("csv", "parquet"):
                assert (processed / f"{table}.{suffix}").is_file(), f"{round_id}/{table}.{suffix}"
        responses = pd.read_parquet(processed / "responses.parquet")
        assert len(responses) == sum(spec.sizes[number])  # generated answers: nobody excluded
        items = [item for codes in item_codes(spec).values() for item in codes]
        assert set(items) <= set(responses.columns)
        reports = root / "reports" / round_id
        assert (reports / "index.html").is_file() and (reports / "tables.xlsx").is_file()
        for party, size in enumerate(spec.sizes[number]):
            if size:
                assert (reports / f"party-p{party + 1}.html").is_file()


CASES = {
    "no level": ProjectSpec(level=False),
    "no friction": ProjectSpec(frictions=0),
    "no open question": ProjectSpec(text=False),
    "no brings or gets": ProjectSpec(brings_gets=False),
    "no outcome dimension": ProjectSpec(outcome=False),
    "the party as a question": ProjectSpec(party_question=True),
    "one dimension of two items, nothing else": BARE,
    "one party of one respondent": ProjectSpec(sizes=((1,), (1,)), min_group_size=1),
    "one round": ProjectSpec(sizes=((4, 6, 3),)),
    "one label column, in the partnership's language": ProjectSpec(one_language=True),
}


@pytest.mark.parametrize("spec", CASES.values(), ids=CASES.keys())
def test_each_optional_part_can_be_left_out(tmp_path: Path, spec: ProjectSpec) -> None:
    root = write_project(spec, tmp_path / "project")
    code, output = run(root)
    assert code == 0, output
    assert_complete(root, spec)


specs = st.builds(
    ProjectSpec,
    dimensions=st.lists(st.integers(2, 4), min_size=1, max_size=3).map(tuple),
    reverse_first=st.booleans(),
    level=st.booleans(),
    party_question=st.booleans(),
    frictions=st.integers(0, 2),
    text=st.booleans(),
    brings_gets=st.booleans(),
    outcome=st.booleans(),
    sizes=st.integers(1, 3).flatmap(
        lambda parties: st.lists(
            st.lists(st.integers(0, 7), min_size=parties, max_size=parties).filter(any).map(tuple),
            min_size=1,
            max_size=2,
        ).map(tuple)
    ),
    min_group_size=st.integers(1, 5),
    one_language=st.booleans(),
    seed=st.integers(0, 2**16),
)


@settings(
    max_examples=int(__import__("os").environ.get("ANY_EXAMPLES", "6")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=specs)
@example(spec=ProjectSpec(dimensions=(4, 2, 3), level=False, frictions=2, sizes=((3, 0, 7),)))
def test_generated_instruments_run_end_to_end(tmp_path: Path, spec: ProjectSpec) -> None:
    root = tmp_path / "generated"
    shutil.rmtree(root, ignore_errors=True)
    write_project(spec, root)
    code, output = run(root)
    assert code == 0, output
    assert_complete(root, spec)


def test_a_bare_instrument_s_report_leaves_out_what_it_has_nothing_for(
    tmp_path: Path, open_page: Any
) -> None:
    root = write_project(BARE, tmp_path / "bare")
    code, output = run(root)
    assert code == 0, output
    for name in ("index.html", "party-p1.html"):
        page, errors, requests = open_page(root / "reports" / "2025" / name)
        try:
            assert errors == [] and requests == []
            text = page.inner_text("body")
            assert (
                "Niet in dit rapport, omdat de vragenlijst er niet naar vraagt: niveaus, halen en "
                "brengen, wat het meest telt, glanzen en schuren per gebied, open antwoorden."
            ) in text
            sections = page.eval_on_selector_all("section", "nodes => nodes.map(n => n.id)")
            assert not {"levels", "give-take", "drivers", "comments"} & set(sections)
            assert "Hiervoor zijn in deze ronde geen gegevens" not in text
        finally:
            page.close()
