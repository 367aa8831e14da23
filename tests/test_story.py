"""The bundled example's story, found in the processed tables (issue 5's "done means").

The example (pipeline/example.py) is generated to tell a story; these tests name each effect and
check that the statistics find it, in the session's whole run of the example (conftest).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def tables(example_project: Path) -> dict[tuple[str, str], pd.DataFrame]:
    found = {}
    for path in (example_project / "data" / "processed").glob("*/*.parquet"):
        found[(path.parent.name, path.stem)] = pd.read_parquet(path)
    return found


def test_trust_grows_every_round(tables):
    for round_id in ("2025", "2026"):
        changes = tables[(round_id, "changes")]
        trust = changes[(changes["party"] == "partnership") & (changes["dimension"] == "VER")]
        assert trust["delta"].iloc[0] > 0.2, round_id
        assert trust["p_value"].iloc[0] < 0.05, round_id
        assert trust["effect_size"].iloc[0] > 0, round_id


def test_tempo_and_money_chafe_for_the_smaller_parties(tables):
    friction = tables[("2026", "friction")]
    for area in ("tempo", "geld"):
        rows = friction[friction["area"] == area].set_index("party")
        for party in ("welzijn", "clientenraad"):
            assert rows.at[party, "mean"] < -0.5, (area, party)
            assert rows.at[party, "pct_chafes"] > 50, (area, party)
        for party in ("lisse", "hillegom", "woonstede"):
            assert rows.at[party, "mean"] > 0, (area, party)


def test_board_and_work_floor_disagree_at_the_care_provider(tables):
    levels = tables[("2026", "levels")]
    care = levels[(levels["party"] == "zorgpunt") & levels["dimension"].isin(["AMB", "DRA"])]
    means = care.pivot(index="dimension", columns="level", values="mean")
    assert (means["bestuur"] - means["uitvoering"] >= 1.0).all(), means


def test_the_client_council_is_hidden_in_2024_only(tables):
    summary = tables[("2024", "summary")]
    council = summary[summary["party"] == "clientenraad"]
    assert (council["n"] == 4).all() and council["suppressed"].all()
    assert council["mean"].isna().all()
    later = tables[("2026", "summary")]
    assert not later.loc[later["party"] == "clientenraad", "suppressed"].any()


def test_the_process_chafes_and_divides_the_parties(tables):
    partnership = tables[("2024", "partnership")].set_index("dimension")
    assert partnership.at["PRO", "band"] == "chafes"
    verdicts = tables[("2026", "verdicts")].set_index("code")
    assert verdicts.at["PRO6", "verdict"] == "divides"  # the tempo statement
