"""An attacker in the test suite: no hidden group's figures can be worked out from the release.

Two kinds of test. The *differential* ones prove it: change what a hidden group answered (its
answers, or which of its members is at which level) and every released table stays the same,
byte for byte, so no computation on the release, however clever, can recover it. The *attack*
ones try the derivations that recovered the example's hidden client council before (two
weightings, the next round's ``previous_mean``, levels against the partnership and the party
totals, frictions against statements, answer counts) on the released workbook, and fail if any
hidden mean comes out within 0.01 of the truth.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from generated_projects import ProjectSpec, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from small_instrument import write_small_instrument

from pipeline.cli import main
from pipeline.compare import round_tables
from pipeline.config import Bands
from pipeline.questionnaire import load_instrument
from pipeline.score import dimension_scores

ITEMS = ("X1", "X2", "X3", "Y1", "Y2", "Y3", "F1")
LEVELS = ("bestuur", "management", "uitvoering", None)
#: The round's tables that hold a row per respondent: restricted data, never released.
RESTRICTED = {"scores"}
CLOSE = 0.01
#: A SHA-256 in hex: the report names its inputs' checksums, which differ with their answers.
CHECKSUM = re.compile(r"[0-9a-f]{64}")


@pytest.fixture(scope="module")
def instrument(tmp_path_factory):
    return load_instrument(write_small_instrument(tmp_path_factory.mktemp("i") / "small.xlsx"))


def round_responses(rng: np.random.Generator, sizes: list[int], round_id: str) -> pd.DataFrame:
    """Generated responses: parties p0, p1, ... of the given sizes, levels and blanks at random."""
    rows = []
    for party, size in enumerate(sizes):
        for person in range(size):
            row = {"round": round_id, "party": f"p{party}", "respondent": f"p{party}-{person}"}
            row["level"] = LEVELS[rng.integers(len(LEVELS))]
            for item in ITEMS:
                low, high = (-2, 2) if item == "F1" else (1, 5)
                row[item] = None if rng.random() < 0.1 else int(rng.integers(low, high + 1))
            rows.append(row)
    frame = pd.DataFrame(rows, columns=["round", "party", "respondent", "level", *ITEMS])
    return frame.astype({item: "Int8" for item in ITEMS})


NO_DONT_KNOW = pd.DataFrame(columns=["round", "party", "respondent", "item"])


def released(
    now: pd.DataFrame, then: pd.DataFrame, instrument, parties: list[str], k: int
) -> dict[str, pd.DataFrame]:
    tables = round_tables(
        now, NO_DONT_KNOW, instrument, parties, Bands(), k, previous=(then, instrument)
    )
    return {name: table for name, table in tables.items() if name not in RESTRICTED}


def assert_same_release(first: dict[str, pd.DataFrame], second: dict[str, pd.DataFrame]) -> None:
    assert first.keys() == second.keys()
    for name, table in first.items():
        pd.testing.assert_frame_equal(table, second[name], obj=name)


def other_answers(frame: pd.DataFrame, rows: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """``frame`` with other answers in ``rows``: the same questions answered, other values."""
    changed = frame.copy()
    for item in ITEMS:
        low, high = (-2, 2) if item == "F1" else (1, 5)
        column = changed[item].to_numpy(dtype=object)
        answered = rows[pd.notna(frame[item].to_numpy(dtype=object)[rows])]
        column[answered] = rng.integers(low, high + 1, len(answered))
        changed[item] = pd.array(column, dtype="Int8")
    return changed


#: Generated partnerships per differential test: enough to meet hidden parties and levels often.
ATTACKS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
partnerships = st.tuples(
    st.lists(st.integers(1, 40), min_size=2, max_size=8),  # this round's party sizes
    st.integers(0, 2**32 - 1),
    st.integers(2, 8),  # min_group_size
)


@ATTACKS
@given(partnerships)
def test_a_hidden_party_s_answers_change_nothing_released(instrument, partnership):
    sizes, seed, k = partnership
    rng = np.random.default_rng(seed)
    parties = [f"p{n}" for n in range(len(sizes))]
    now, then = round_responses(rng, sizes, "2025"), round_responses(rng, sizes[::-1], "2024")
    small = [p for p, size in zip(parties, sizes, strict=True) if size < k]
    if not small:
        sizes[0], small = 1, ["p0"]
        now = pd.concat([now[now["party"] != "p0"], round_responses(rng, [1], "2025")])
        now = now.reset_index(drop=True)
    first = released(now, then, instrument, parties, k)
    rows = np.flatnonzero(now["party"].isin(small).to_numpy())
    assert_same_release(
        first, released(other_answers(now, rows, rng), then, instrument, parties, k)
    )
    # and a party small in the previous round: the next round's changes give nothing of it away
    counts = then["party"].value_counts()
    small_then = [p for p in parties if counts.get(p, 0) < k]
    rows = np.flatnonzero(then["party"].isin(small_then).to_numpy())
    changed = released(now, other_answers(then, rows, rng), instrument, parties, k)
    assert_same_release(first, changed)


@ATTACKS
@given(partnerships)
def test_who_is_at_which_hidden_level_changes_nothing_released(instrument, partnership):
    sizes, seed, k = partnership
    rng = np.random.default_rng(seed)
    parties = [f"p{n}" for n in range(len(sizes))]
    now, then = round_responses(rng, sizes, "2025"), round_responses(rng, sizes, "2024")
    first = released(now, then, instrument, parties, k)
    levels = first["levels"]
    # which dimensions each respondent has a score on: two who swap levels must agree there, or
    # the counts per level (released, also where hidden) would change
    scored = dimension_scores(now, instrument)[["D1", "D2"]].notna()
    pattern = scored["D1"].astype(int) * 2 + scored["D2"].astype(int)
    for party in parties:
        # the levels this party's line hides on both dimensions (no level: hidden always)
        rows = levels[(levels["party"] == party) & levels["suppressed"]]
        hidden = [lv for lv, group in rows.groupby("level") if len(group) == 2] + [None]
        members = now[(now["party"] == party) & now["level"].isin(hidden)]
        for _, group in members.groupby(pattern[members.index]):
            # the first member of each level, in turn given the next one's level
            firsts = group.groupby(group["level"].fillna("-"), sort=True).head(1).index
            if len(firsts) >= 2:
                now.loc[firsts, "level"] = np.roll(now.loc[firsts, "level"].to_numpy(), 1)
    assert_same_release(first, released(now, then, instrument, parties, k))


# --- attacks on the example's released workbook -----------------------------------------------


def workbook(path: Path) -> dict[str, pd.DataFrame]:
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        sheets[sheet.title] = pd.DataFrame(rows[1:], columns=rows[0])
    return sheets


def numbers(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    return frame.assign(**{c: pd.to_numeric(frame[c], errors="coerce") for c in columns})


@pytest.fixture(scope="module")
def example_release(example_project: Path) -> dict[str, dict[str, pd.DataFrame]]:
    return {
        round_id: workbook(example_project / "reports" / round_id / "tables.xlsx")
        for round_id in ("2024", "2025", "2026")
    }


@pytest.fixture(scope="module")
def example_truth(example_project: Path) -> dict[str, pd.DataFrame]:
    """Every respondent's scores, from the restricted tables (the attacker has not got them)."""
    return {
        round_id: pd.read_parquet(
            example_project / "data" / "processed" / round_id / "scores.parquet"
        )
        for round_id in ("2024", "2025", "2026")
    }


def test_the_workbook_holds_aggregates_only(example_release) -> None:
    for sheets in example_release.values():
        assert not {"responses", "scores", "dont_know", "comments", "quality_log"} & set(sheets)
        for name, table in sheets.items():
            assert "respondent" not in table.columns, name


def assert_not_recovered(estimates: dict[str, float], truth: dict[str, float], attack: str):
    for group, estimate in estimates.items():
        true = truth.get(group, np.nan)
        if np.isfinite(estimate) and np.isfinite(true):
            assert abs(estimate - true) > CLOSE, f"{attack}: {group} recovered ({estimate:.4f})"


def test_two_weightings_do_not_give_the_hidden_parties_away(example_release, example_truth):
    attacked = 0
    for round_id, sheets in example_release.items():
        summary = numbers(sheets["summary"], "n", "mean")
        pooled = numbers(sheets["partnership"], "n", "parties", "mean_equal_weight",
                         "mean_respondent_weight").set_index("dimension")  # fmt: skip
        truth = example_truth[round_id]
        for dimension, rows in summary.groupby("dimension"):
            hidden = rows[rows["suppressed"].astype(str) == "True"]
            shown = rows.drop(hidden.index)
            if hidden.empty:
                continue
            attacked += 1
            row = pooled.loc[dimension]
            everyone = len(rows)
            # mean of all party means, and of all respondents: two equations in the hidden means
            a = np.vstack([np.ones(len(hidden)), hidden["n"].to_numpy(dtype=float)])
            b = np.array([
                everyone * row["mean_equal_weight"] - shown["mean"].sum(),
                rows["n"].sum() * row["mean_respondent_weight"]
                - (shown["n"] * shown["mean"]).sum(),
            ])  # fmt: skip
            solved = np.linalg.lstsq(a, b, rcond=None)[0]
            true = truth.groupby("party")[dimension].mean().to_dict()
            assert_not_recovered(dict(zip(hidden["party"], solved, strict=True)), true,
                                 f"{round_id} {dimension} two weightings")  # fmt: skip
    assert attacked  # the example has hidden parties to attack


def test_the_next_round_s_previous_mean_gives_nothing_away(example_release, example_truth):
    for previous, current in (("2024", "2025"), ("2025", "2026")):
        changes = numbers(example_release[current]["changes"], "previous_mean")
        summary = example_release[previous]["summary"]
        hidden = summary[summary["suppressed"].astype(str) == "True"]
        truth = example_truth[previous]
        for dimension, rows in changes.groupby("dimension"):
            rows = rows.set_index("party")
            true = truth.groupby("party")[dimension].mean().to_dict()
            parties = [p for p in rows.index if p != "partnership"]
            for party in hidden.loc[hidden["dimension"] == dimension, "party"]:
                direct = rows.at[party, "previous_mean"]
                others = rows.loc[[p for p in parties if p != party], "previous_mean"]
                by_difference = (
                    len(parties) * rows.at["partnership", "previous_mean"] - others.sum()
                )
                assert_not_recovered({party: direct}, true, f"{current} previous_mean")
                assert_not_recovered({party: by_difference}, true, f"{current} partnership minus")


def test_levels_give_no_hidden_level_away(example_release, example_truth, example_project):
    for round_id, sheets in example_release.items():
        levels = numbers(sheets["levels"], "n", "mean")
        summary = numbers(sheets["summary"], "n", "mean").set_index(["party", "dimension"])
        truth = example_truth[round_id]
        for (party, dimension), rows in levels[levels["party"] != "partnership"].groupby(
            ["party", "dimension"]
        ):
            true = truth[truth["party"] == party].groupby("level")[dimension].mean().to_dict()
            hidden = rows[(rows["suppressed"].astype(str) == "True") & (rows["n"] > 0)]
            shown = rows.drop(hidden.index)
            pooled = levels[(levels["party"] == "partnership") & (levels["dimension"] == dimension)]
            pooled = pooled.set_index("level")
            for _, row in hidden.iterrows():
                level = row["level"]
                # the party's total minus its other levels
                total = summary.loc[(party, dimension)]
                rest = (shown["n"] * shown["mean"]).sum()
                from_total = (total["n"] * total["mean"] - rest) / row["n"]
                # the partnership's level minus the other parties' level
                others = levels[
                    ~levels["party"].isin(["partnership", party])
                    & (levels["dimension"] == dimension)
                    & (levels["level"] == level)
                ]
                others = others[others["suppressed"].astype(str) != "True"]
                level_row = pooled.loc[level]
                from_pooled = (
                    level_row["n"] * level_row["mean"] - (others["n"] * others["mean"]).sum()
                ) / row["n"]
                assert_not_recovered({level: from_total}, true, f"{round_id} {party} total")
                assert_not_recovered({level: from_pooled}, true, f"{round_id} {party} pooled")


def test_frictions_statements_and_answer_counts_give_no_party_away(
    example_release, example_project
):
    for round_id, sheets in example_release.items():
        responses = pd.read_parquet(
            example_project / "data" / "processed" / round_id / "responses.parquet"
        )
        friction = numbers(sheets["friction"], "n", "mean")
        items = numbers(sheets["items"], "n", "mean").set_index(["party", "item"])
        distribution = numbers(sheets["distribution"], "n", "choice")
        for item, rows in friction.groupby("item"):
            true = responses.groupby("party")[item].mean().to_dict()
            parties = rows[rows["party"] != "partnership"]
            hidden = parties[parties["suppressed"].astype(str) == "True"]
            shown = parties.drop(hidden.index)
            pooled = rows[rows["party"] == "partnership"].iloc[0]
            if hidden.empty:
                continue
            # equal weight (friction) and respondent weight (statements): two equations
            a = np.vstack([np.ones(len(hidden)), hidden["n"].to_numpy(dtype=float)])
            b = np.array([
                len(parties) * pooled["mean"] - shown["mean"].sum(),
                items.loc[("partnership", item), "n"] * items.loc[("partnership", item), "mean"]
                - (shown["n"] * shown["mean"]).sum(),
            ])  # fmt: skip
            solved = np.linalg.lstsq(a, b, rcond=None)[0]
            assert_not_recovered(dict(zip(hidden["party"], solved, strict=True)), true,
                                 f"{round_id} {item} friction and statements")  # fmt: skip
        for (party, item), rows in distribution.groupby(["party", "item"]):
            if party == "partnership" or not rows["n"].isna().all():
                continue  # a shown party's counts are released anyway
            of_item = distribution[distribution["item"] == item]
            pooled = of_item[of_item["party"] == "partnership"].set_index("choice")["n"]
            others = distribution[(distribution["party"] != "partnership")
                                  & (distribution["party"] != party)
                                  & (distribution["item"] == item)]  # fmt: skip
            counts = pooled - others.groupby("choice")["n"].sum().reindex(pooled.index).fillna(0)
            if counts.sum() > 0:
                estimate = float((counts * counts.index).sum() / counts.sum())
                true = responses.loc[responses["party"] == party, item].mean()
                assert_not_recovered({party: estimate}, {party: true}, f"{round_id} {item} counts")


def test_a_hidden_party_s_answers_change_no_report_page_or_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # p3 has 2 respondents in 2024 (hidden, min_group_size 3) and 3 in 2025 (shown)
    spec = ProjectSpec(sizes=((6, 5, 2), (6, 5, 3)), min_group_size=3)
    outputs = []
    for variant in ("as answered", "answered otherwise"):
        root = write_project(spec, tmp_path / variant.replace(" ", "-"))
        # one secret: the respondents in the same order, so sums in the same order
        (root / ".collab-eval-secret").write_text("0123456789abcdef\n", encoding="utf-8")
        if variant == "answered otherwise":
            path = root / "data" / "raw" / "2024" / "p3.csv"
            header, *lines = path.read_text(encoding="utf-8").splitlines()
            items = [n for n, name in enumerate(header.split(",")) if "I" in name]
            flipped = []
            for line in lines:
                cells = line.split(",")
                for n in items:
                    cells[n] = str(6 - int(cells[n])) if cells[n].isdigit() else cells[n]
                flipped.append(",".join(cells))
            assert flipped != lines
            path.write_text("\n".join([header, *flipped]) + "\n", encoding="utf-8")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert main(["run", "--project", str(root), "--jobs", "1"]) == 0
        outputs.append(
            {
                path.relative_to(root).as_posix(): CHECKSUM.sub(
                    "-", path.read_bytes().decode("latin-1")
                )
                for path in sorted((root / "reports").rglob("*"))
                if path.is_file()
            }
        )
    first, second = outputs
    assert first.keys() == second.keys() and any(name.endswith(".html") for name in first)
    for name in first:
        assert first[name] == second[name], name  # pages and workbooks, both rounds
