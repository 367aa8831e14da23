"""The steering report of a round: nine sections, each headed by its finding in words.

The headings are built from the tables (the highest and lowest, the significant changes, the
widest gaps), never written by hand, so they say what this round's data say.
"""

from __future__ import annotations

import pandas as pd

from pipeline.report.data import PARTNERSHIP, Context, records
from pipeline.report.figures import (
    drivers_figure,
    friction_heatmap,
    give_take_figure,
    levels_figure,
    partnership_bars,
    party_heatmap,
)
from pipeline.report.formatting import (
    capitalised,
    esc,
    fmt,
    fmt_int,
    fmt_p,
    fmt_pct,
    fmt_signed,
    html_table,
    is_missing,
    join_words,
)
from pipeline.report.page import Page, Section, figure_block, page
from pipeline.report.sections import (
    comments_html,
    effect_word,
    is_significant,
    manifest_html,
    statement_html,
    statement_items,
    statements_block,
    statements_heading,
    trends_block,
    trends_heading,
    trends_party_title,
    verb,
)
from pipeline.score import LOW_ALPHA

__all__ = [
    "band_html",
    "change_table",
    "levels_section",
    "statement_rows",
    "steering_page",
]

#: Individual quality-log events listed (the full log is in quality_log.csv).
MAX_LOG_ROWS = 100
#: Statements listed as shining most and chafing most, and at most as dividing the parties.
TOP_STATEMENTS = 5
MAX_DIVIDES = 8
#: Pairwise comparisons listed per dimension and comparison (those with the largest effects).
MAX_PAIRS = 5
#: Gaps (between levels, or between bringing in and getting back) below this read as equal.
SMALL_GAP = 0.25


def steering_page(ctx: Context) -> Page:
    """The whole steering report page."""
    t = ctx.t
    data = ctx.data
    sections = [
        summary_section(ctx),
        parties_section(ctx),
        friction_section(ctx),
        Section(
            "trends",
            t["sec_trends"],
            trends_heading(ctx, PARTNERSHIP),
            trends_block(
                ctx,
                "trends",
                [PARTNERSHIP, *ctx.party_names],
                trends_party_title(ctx, list(ctx.party_names)),
            ),
        ),
        statements_section(ctx),
        levels_section(ctx),
        give_take_section(ctx),
        drivers_section(ctx),
        method_section(ctx),
    ]
    round_text = t["round"].format(round=data.round_id)
    header = "\n".join(
        [
            f"<h1>{esc(data.partnership_name)}</h1>",
            f'<p class="subtitle">{esc(t["report_kind"])}, {esc(round_text)}</p>',
        ]
    )
    return page(ctx, f"{data.partnership_name} – {round_text}", header, sections)


# --- 1. summary --------------------------------------------------------------------------------


def _partnership_changes(ctx: Context) -> pd.DataFrame:
    changes = ctx.changes
    if changes.empty:
        return changes
    return changes[changes["party"] == PARTNERSHIP].set_index("dimension")


def summary_heading(ctx: Context) -> str:
    """'Vertrouwen groeit; Proceskwaliteit schuurt' from the partnership and changes tables."""
    t, language = ctx.t, ctx.language
    table = ctx.partnership[ctx.partnership["mean_equal_weight"].notna()]
    if table.empty:
        return t["summary_none"]
    changes = _partnership_changes(ctx)
    parts = []
    if not changes.empty:
        significant = changes[[is_significant(p) for p in changes["p_value"]]]
        ups = [ctx.dimension_label(c) for c in significant.index[significant["delta"] > 0]]
        downs = [ctx.dimension_label(c) for c in significant.index[significant["delta"] < 0]]
        if ups:
            parts.append(f"{join_words(ups, t['and'])} {verb(ctx, 'grows', len(ups))}")
        if downs:
            parts.append(f"{join_words(downs, t['and'])} {verb(ctx, 'falls', len(downs))}")
    ranked = table.sort_values("mean_equal_weight", kind="stable")
    highest, lowest = ranked.iloc[-1], ranked.iloc[0]
    if not parts:
        key = "summary_high_shines" if highest["band"] == "shines" else "summary_high"
        parts.append(
            t[key].format(dim=highest["label"], v=fmt(highest["mean_equal_weight"], language))
        )
    if len(table) > 1:
        key = "summary_low_chafes" if lowest["band"] == "chafes" else "summary_low"
        parts.append(
            t[key].format(dim=lowest["label"], v=fmt(lowest["mean_equal_weight"], language))
        )
    return capitalised("; ".join(parts))


def _lead(ctx: Context) -> str:
    t, language = ctx.t, ctx.language
    counts = ctx.data.response_counts
    table = ctx.partnership
    sentences = [
        t["lead_base"].format(
            kept=fmt_int(int(counts["kept"].sum()), language),
            parties=fmt_int(len(counts), language),
        )
    ]
    chafing = [str(label) for label in table.loc[table["band"] == "chafes", "label"]]
    shines, chafes = ctx.thresholds
    if chafing:
        sentences.append(
            t["lead_chafes"].format(t=fmt(chafes, language), dims=join_words(chafing, t["and"]))
        )
    elif len(table):
        sentences.append(t["lead_no_chafes"].format(t=fmt(chafes, language)))
    shining = [str(label) for label in table.loc[table["band"] == "shines", "label"]]
    if shining:
        sentences.append(
            t["lead_shines"].format(t=fmt(shines, language), dims=join_words(shining, t["and"]))
        )
    return " ".join(sentences)


def _bars_title(ctx: Context) -> str:
    t, language = ctx.t, ctx.language
    table = ctx.partnership[ctx.partnership["mean_equal_weight"].notna()]
    if table.empty:
        return t["fig_none"]
    ranked = table.sort_values("mean_equal_weight", kind="stable")
    return t["fig_partnership_title"].format(
        hi=ranked.iloc[-1]["label"],
        hi_v=fmt(ranked.iloc[-1]["mean_equal_weight"], language),
        lo=ranked.iloc[0]["label"],
        lo_v=fmt(ranked.iloc[0]["mean_equal_weight"], language),
    )


def band_html(ctx: Context, band: object) -> str:
    """A band as a coloured label (the word carries the meaning, the colour repeats it)."""
    if is_missing(band) or str(band) not in ("shines", "attention", "chafes"):
        return esc(ctx.t["missing"])
    return f'<span class="band band-{band}">{esc(ctx.t[f"band_word_{band}"])}</span>'


def change_html(ctx: Context, delta: object, p_value: object) -> str:
    """A change with an arrow when significant: '+0,55 ▲ significant'."""
    if is_missing(delta):
        return esc(ctx.t["missing"])
    text = esc(fmt_signed(delta, ctx.language, 2))
    if not is_significant(p_value):
        return text
    up = float(delta) > 0
    word = ctx.t["significant_up"] if up else ctx.t["significant_down"]
    return f'{text} <span class="{"up" if up else "down"}">{"▲" if up else "▼"} {esc(word)}</span>'


def change_table(ctx: Context, party: str) -> str:
    """The change of each dimension since the previous round, for the partnership or a party."""
    t, language = ctx.t, ctx.language
    changes = ctx.changes
    if changes.empty:
        return f"<p>{esc(t['changes_first_round'].format(round=ctx.data.round_id))}</p>"
    rows = []
    for row in records(changes[changes["party"] == party]):
        if row["suppressed"]:
            hidden = esc(ctx.suppressed_reason(min(row["n"], row["previous_n"])))
            rows.append([esc(ctx.dimension_label(row["dimension"])), hidden, "", "", "", ""])
            continue
        rows.append(
            [
                esc(ctx.dimension_label(row["dimension"])),
                fmt(row["mean"], language, 2),
                fmt(row["previous_mean"], language, 2),
                change_html(ctx, row["delta"], row["p_value"]),
                fmt_p(row["p_value"], language),
                esc(
                    effect_word(ctx, row.get("effect_measure", "rank_biserial"), row["effect_size"])
                ),
            ]
        )
    previous = ctx.previous_round or ""
    headers = [
        t["col_dimension"],
        ctx.data.round_id,
        previous,
        t["col_change"],
        "p",
        t["col_effect"],
    ]
    table = html_table([esc(h) for h in headers], rows, [False, True, True, True, True, False])
    note = t["note_changes"].format(previous=previous)
    return f'{table}\n<p class="note">{esc(note)}</p>'


def response_table(ctx: Context) -> str:
    """Received, kept, invited and the response rate per party, with a total row."""
    t, language = ctx.t, ctx.language
    counts = ctx.ordered(ctx.data.response_counts, [("party", list(ctx.party_names))])
    invited = ctx.invited
    rows = []
    for row in records(counts):
        n_invited = invited.get(row["party"])
        rate = fmt_pct(100 * row["kept"] / n_invited, language) if n_invited else t["missing"]
        rows.append(
            [
                esc(ctx.party_name(row["party"])),
                fmt_int(row["received"], language),
                fmt_int(row["kept"], language),
                fmt_int(row["excluded"], language),
                fmt_int(n_invited, language) if n_invited else t["missing"],
                rate,
            ]
        )
    total_invited = sum(invited.get(p, 0) for p in counts["party"])
    all_known = len(counts) and all(p in invited for p in counts["party"])
    total = [
        esc(t["total"]),
        *[fmt_int(int(counts[c].sum()), language) for c in ("received", "kept", "excluded")],
        fmt_int(total_invited, language) if all_known else t["missing"],
        fmt_pct(100 * counts["kept"].sum() / total_invited, language)
        if all_known and total_invited
        else t["missing"],
    ]
    headers = [
        t["col_party"],
        t["col_received"],
        t["col_kept"],
        t["col_excluded"],
        t["col_invited"],
        t["col_rate"],
    ]
    table = html_table([esc(h) for h in headers], rows, [False, *[True] * 5], total=total)
    note = t["note_response"] if invited else t["note_response_no_invited"]
    return f'{table}\n<p class="note">{esc(note)}</p>'


def summary_section(ctx: Context) -> Section:
    t, language = ctx.t, ctx.language
    fig, height = partnership_bars(ctx, _bars_title(ctx))
    table = ctx.partnership
    shines, chafes = ctx.thresholds
    note = t["note_partnership"].format(
        hi=fmt(shines, language),
        lo=fmt(chafes, language),
        n=_range_text([int(n) for n in table["n"] if not is_missing(n)], language),
        parties=_range_text([int(n) for n in table["parties"] if not is_missing(n)], language),
    )
    rows = [
        [
            esc(row["label"]),
            fmt(row["mean_equal_weight"], language, 2),
            fmt(row["mean_respondent_weight"], language, 2),
            band_html(ctx, row["band"]),
            fmt_int(row["n"], language),
            fmt_int(row["parties"], language),
        ]
        for row in records(table)
    ]
    headers = [
        t["col_dimension"],
        t["col_equal"],
        t["col_respondent"],
        t["col_band"],
        "n",
        t["col_parties"],
    ]
    table_html = html_table([esc(h) for h in headers], rows, [False, True, True, False, True, True])
    previous = ctx.previous_round
    changes_heading = t["h_changes"].format(previous=previous) if previous else t["h_changes_none"]
    body = "\n".join(
        [
            f'<p class="lead">{esc(_lead(ctx))}</p>',
            figure_block(fig, "partnership", height, note, table_html, t["table_caption"]),
            f"<h3>{esc(changes_heading)}</h3>",
            change_table(ctx, PARTNERSHIP),
            f"<h3>{esc(t['h_response'])}</h3>",
            response_table(ctx),
        ]
    )
    return Section("summary", t["sec_summary"], summary_heading(ctx), body)


def _range_text(values: list[int], language: str) -> str:
    if not values:
        return "–"
    low, high = min(values), max(values)
    if low == high:
        return fmt_int(low, language)
    return f"{fmt_int(low, language)}–{fmt_int(high, language)}"


# --- 2. parties ----------------------------------------------------------------------------------


def parties_heading(ctx: Context) -> str:
    """Where the parties lie furthest apart, and the lowest cell."""
    t, language = ctx.t, ctx.language
    shown = ctx.shown_summary
    if shown.empty:
        return t["parties_none"].format(k=ctx.k)
    spans = []
    for code, rows in shown.groupby("dimension", sort=False):
        if len(rows) >= 2:
            spans.append((rows["mean"].max() - rows["mean"].min(), code, rows))
    lowest = shown.sort_values("mean", kind="stable").iloc[0]
    low_text = t["parties_lowest"].format(
        party=lowest["party_name"], dim=lowest["label"], v=fmt(lowest["mean"], language)
    )
    if not spans:
        return capitalised(low_text)
    order = list(ctx.dimension_labels)
    spans.sort(key=lambda s: (-s[0], order.index(s[1]) if s[1] in order else len(order)))
    _, code, rows = spans[0]
    widest = t["parties_widest"].format(
        dim=ctx.dimension_label(code),
        lo=fmt(rows["mean"].min(), language),
        hi=fmt(rows["mean"].max(), language),
    )
    return capitalised(f"{widest}; {low_text}")


def _heat_title(ctx: Context) -> str:
    t, language = ctx.t, ctx.language
    shown = ctx.shown_summary
    if shown.empty:
        return t["fig_none"]
    ranked = shown.sort_values("mean", kind="stable")
    low, high = ranked.iloc[0], ranked.iloc[-1]
    return t["fig_heat_title"].format(
        party=low["party_name"],
        dim=low["label"],
        v=fmt(low["mean"], language),
        party2=high["party_name"],
        dim2=high["label"],
        v2=fmt(high["mean"], language),
    )


def parties_section(ctx: Context) -> Section:
    t, language = ctx.t, ctx.language
    fig, height = party_heatmap(ctx, _heat_title(ctx))
    counts = ", ".join(
        f"{ctx.party_name(p)} {fmt_int(ctx.kept[p], language)}"
        for p in ctx.party_names
        if p in ctx.kept
    )
    note = t["note_heat"].format(k=ctx.k, counts=counts or t["none"])
    rows = []
    for row in records(ctx.summary):
        if row["suppressed"]:
            rows.append(
                [
                    esc(row["party_name"]),
                    esc(row["label"]),
                    esc(ctx.suppressed_reason(row["n"])),
                    "",
                    "",
                    "",
                ]
            )
        else:
            rows.append(
                [
                    esc(row["party_name"]),
                    esc(row["label"]),
                    fmt(row["mean"], language, 2),
                    f"{fmt(row['ci_low'], language, 2)}–{fmt(row['ci_high'], language, 2)}",
                    fmt_pct(row["pct_favourable"], language),
                    fmt_int(row["n"], language),
                ]
            )
    headers = [
        t["col_party"],
        t["col_dimension"],
        t["hover_mean"],
        t["hover_interval"],
        t["col_favourable"],
        "n",
    ]
    table = html_table([esc(h) for h in headers], rows, [False, False, True, True, True, True])
    body = figure_block(fig, "parties", height, note, table, t["table_caption"])
    return Section("parties", t["sec_parties"], parties_heading(ctx), body)


# --- 3. glanzen en schuren ---------------------------------------------------------------------


def friction_heading(ctx: Context) -> str:
    """Which areas chafe for the partnership, and for which parties most."""
    t, language = ctx.t, ctx.language
    friction = ctx.friction
    if friction.empty:
        return _statements_heading(ctx)
    pooled = friction[(friction["party"] == PARTNERSHIP) & friction["mean"].notna()]
    if pooled.empty:
        return _statements_heading(ctx)
    chafing = pooled[pooled["mean"] < 0].sort_values("mean", kind="stable")
    if chafing.empty:
        best = pooled.sort_values("mean", kind="stable").iloc[-1]
        return capitalised(
            t["friction_none"].format(
                area=ctx.area_short.get(best["area"], best["area"]),
                v=fmt_signed(best["mean"], language),
            )
        )
    areas = [ctx.area_short.get(a, a) for a in chafing["area"]]
    shown = friction[(friction["party"] != PARTNERSHIP) & ~friction["suppressed"]]
    low = shown[shown["area"].isin(chafing["area"]) & (shown["mean"] < 0)]
    parties = [ctx.party_name(p) for p in ctx.party_names if (low["party"] == p).any()]
    text = f"{join_words(areas, t['and'])} {verb(ctx, 'chafes', len(areas))}"
    if parties and len(parties) <= 3:
        text += t["friction_mostly_at"].format(parties=join_words(parties, t["and"]))
    elif parties:
        text += t["friction_at_n"].format(n=len(parties))
    return capitalised(text)


def statement_rows(ctx: Context) -> pd.DataFrame:
    """Per statement the mean of the party means (verdicts) and its verdict, labelled.

    Worked out once per round: every page reads it, none changes it.
    """
    return ctx.memo(("statement_rows",), lambda: _statement_rows(ctx))


def _statement_rows(ctx: Context) -> pd.DataFrame:
    verdicts = ctx.table("verdicts")
    if not verdicts.empty:
        rows = verdicts[(verdicts["kind"] == "item") & verdicts["mean"].notna()].copy()
        rows = rows.rename(columns={"code": "item"})
    else:
        items = ctx.items
        if items.empty:
            return pd.DataFrame(columns=["item", "dimension", "mean", "spread", "verdict"])
        rows = items[(items["party"] == PARTNERSHIP) & items["dimension"].notna()].copy()
        rows = rows.rename(columns={"mean_scored": "mean"})
        rows["spread"], rows["verdict"] = float("nan"), None
    rows["item"] = rows["item"].astype(str)
    order = {code: i for i, code in enumerate(ctx.questions.index)}
    rows["_o"] = [order.get(i, len(order)) for i in rows["item"]]
    return rows.sort_values(["_o", "item"], kind="stable").drop(columns="_o")


def _statements_heading(ctx: Context) -> str:
    t, language = ctx.t, ctx.language
    rows = statement_rows(ctx)
    if rows.empty:
        return t["friction_no_data"]
    ranked = rows.sort_values("mean", kind="stable")
    return t["friction_by_statements"].format(
        best=ctx.question_label(ranked.iloc[-1]["item"]),
        v=fmt(ranked.iloc[-1]["mean"], language),
        worst=ctx.question_label(ranked.iloc[0]["item"]),
        w=fmt(ranked.iloc[0]["mean"], language),
    )


def _verdict_table(ctx: Context, rows: pd.DataFrame) -> str:
    t, language = ctx.t, ctx.language
    body = [
        [
            statement_html(ctx, row["item"]),
            esc(ctx.dimension_label(row["dimension"])),
            fmt(row["mean"], language, 2),
            fmt(row.get("spread"), language, 2),
            esc(t.get(f"verdict_{row['verdict']}", t["missing"])),
        ]
        for row in records(rows)
    ]
    headers = [
        t["col_statement"],
        t["col_dimension"],
        t["col_score"],
        t["col_spread"],
        t["col_verdict"],
    ]
    return html_table([esc(h) for h in headers], body, [False, False, True, True, False])


def friction_section(ctx: Context) -> Section:
    t, language = ctx.t, ctx.language
    parts = []
    rows = statement_rows(ctx)
    if rows.empty:
        parts.append(f"<p>{esc(t['no_data'])}</p>")
    else:
        count = min(TOP_STATEMENTS, max(1, len(rows) // 2))
        ranked = rows.sort_values("mean", kind="stable")
        parts += [
            f"<h3>{esc(t['h_shine_most'])}</h3>",
            _verdict_table(ctx, ranked.iloc[::-1].head(count)),
            f"<h3>{esc(t['h_chafe_most'])}</h3>",
            _verdict_table(ctx, ranked.head(count)),
        ]
        divides = rows[rows["verdict"] == "divides"].sort_values(
            "spread", ascending=False, kind="stable"
        )
        parts.append(f"<h3>{esc(t['h_divides'])}</h3>")
        if divides.empty:
            parts.append(f"<p>{esc(t['divides_none'])}</p>")
        else:
            parts.append(_verdict_table(ctx, divides.head(MAX_DIVIDES)))
            if len(divides) > MAX_DIVIDES:
                more = t["divides_more"].format(k=MAX_DIVIDES, n=len(divides))
                parts.append(f'<p class="note">{esc(more)}</p>')
        parts.append(f'<p class="note">{esc(t["note_verdicts"])}</p>')
    friction = ctx.friction
    areas = "friction-areas" not in ctx.not_asked  # the instrument has friction areas
    if areas:
        parts.append(f"<h3>{esc(t['h_friction'])}</h3>")
    if areas and friction.empty:
        parts.append(f"<p>{esc(t['no_data'])}</p>")
    elif areas:
        fig, height = friction_heatmap(ctx, _friction_title(ctx))
        table_rows = []
        for row in records(friction):
            label = esc(ctx.area_labels.get(row["area"], row["area"]))
            if row["suppressed"]:
                table_rows.append(
                    [
                        esc(ctx.party_name(row["party"])),
                        label,
                        esc(ctx.suppressed_reason(row["n"])),
                        "",
                        "",
                        "",
                    ]
                )
            else:
                table_rows.append(
                    [
                        esc(ctx.party_name(row["party"])),
                        label,
                        fmt_signed(row["mean"], language, 2),
                        fmt_pct(row["pct_chafes"], language),
                        fmt_pct(row["pct_shines"], language),
                        fmt_int(row["n"], language),
                    ]
                )
        headers = [
            t["col_party"],
            t["col_area"],
            t["hover_mean"],
            t["pct_chafes"],
            t["pct_shines"],
            "n",
        ]
        table = html_table(
            [esc(h) for h in headers], table_rows, [False, False, True, True, True, True]
        )
        parts.append(
            figure_block(
                fig,
                "friction",
                height,
                t["note_friction"].format(k=ctx.k),
                table,
                t["table_caption"],
            )
        )
    if "comments" not in ctx.not_asked:
        parts += [f"<h3>{esc(t['h_comments'])}</h3>", comments_html(ctx)]
    return Section("friction", t["sec_friction"], friction_heading(ctx), "\n".join(parts))


def _friction_title(ctx: Context) -> str:
    t, language = ctx.t, ctx.language
    shown = ctx.friction[~ctx.friction["suppressed"] & ctx.friction["mean"].notna()]
    parties = shown[shown["party"] != PARTNERSHIP]
    if parties.empty:
        return t["fig_none"]
    ranked = parties.sort_values("mean", kind="stable")
    low, high = ranked.iloc[0], ranked.iloc[-1]
    return t["fig_friction_title"].format(
        party=ctx.party_name(low["party"]),
        area=ctx.area_short.get(low["area"], low["area"]),
        v=fmt_signed(low["mean"], language),
        party2=ctx.party_name(high["party"]),
        area2=ctx.area_short.get(high["area"], high["area"]),
        v2=fmt_signed(high["mean"], language),
    )


# --- 5. statements -----------------------------------------------------------------------------


def statements_section(ctx: Context) -> Section:
    items, values = statement_items(ctx)
    heading = (
        statements_heading(ctx, PARTNERSHIP, items, values)
        if items and len(values) >= 2
        else ctx.t["no_data"]
    )
    body = statements_block(ctx, "statements", [PARTNERSHIP, *ctx.party_names])
    return Section("statements", ctx.t["sec_statements"], heading, body)


# --- 6. levels ---------------------------------------------------------------------------------


def _level_rows(ctx: Context, party: str = PARTNERSHIP) -> list[dict]:
    """The party's rows of :attr:`Context.levels` (dimension and level order), as dicts."""

    def by_party() -> dict[str, list[dict]]:
        rows: dict[str, list[dict]] = {}
        for row in records(ctx.levels):
            rows.setdefault(row["party"], []).append(row)
        return rows

    return ctx.memo(("level_rows",), by_party).get(party, [])


def _shown_levels(rows: list[dict]) -> list[dict]:
    return [r for r in rows if not r["suppressed"] and not is_missing(r["mean"])]


def levels_heading(ctx: Context, rows: list[dict], party: str = PARTNERSHIP) -> str:
    t, language = ctx.t, ctx.language
    shown = _shown_levels(rows)
    by_dimension: dict[str, list[dict]] = {}
    for row in shown:
        by_dimension.setdefault(row["dimension"], []).append(row)
    gaps = []
    order = list(ctx.dimension_labels)
    for code, group in by_dimension.items():
        if len(group) >= 2:
            ranked = sorted(group, key=lambda r: r["mean"])
            gaps.append((ranked[-1]["mean"] - ranked[0]["mean"], code, ranked))
    if not gaps:
        if not shown:
            return t["levels_none"]
        present = {r["level"] for r in shown}
        levels = [ctx.level_label(lv) for lv in ctx.level_labels if lv in present]
        return t["levels_one"].format(levels=join_words(levels, t["and"]), k=ctx.k)
    gaps.sort(key=lambda g: (-g[0], order.index(g[1]) if g[1] in order else len(order)))
    gap, code, ranked = gaps[0]
    if gap < SMALL_GAP:
        return t["levels_alike"]
    high, low = ranked[-1], ranked[0]
    text = t["levels_gap"].format(
        dim=ctx.dimension_label(code),
        high=ctx.level_label(high["level"]),
        a=fmt(high["mean"], language),
        low=ctx.level_label(low["level"]).lower(),
        b=fmt(low["mean"], language),
    )
    tests = ctx.table("tests") if party == PARTNERSHIP else pd.DataFrame()
    if not tests.empty:
        test = tests[
            (tests["dimension"] == code)
            & (tests["comparison"] == "levels")
            & (tests["test"] == "kruskal_wallis")
        ]
        if len(test) and is_significant(test["p_adjusted"].iloc[0]):
            text += t["levels_significant"]
    return capitalised(text)


def _levels_title(ctx: Context, rows: list[dict]) -> str:
    """Which level scores highest on the most dimensions."""
    shown = _shown_levels(rows)
    if not shown:
        return ctx.t["levels_none"]
    top: dict[str, str] = {}  # dimension -> its highest level; the first of equal means
    for row in sorted(shown, key=lambda r: -r["mean"]):
        top.setdefault(row["dimension"], row["level"])
    counts: dict[str, int] = {}
    for level in top.values():
        counts[level] = counts.get(level, 0) + 1
    order = list(ctx.level_labels)
    level = min(counts, key=lambda lv: (-counts[lv], order.index(lv) if lv in order else 99))
    return ctx.t["levels_title"].format(level=ctx.level_label(level), k=counts[level], m=len(top))


def levels_section(ctx: Context, party: str = PARTNERSHIP) -> Section:
    """Board, management and work floor per dimension: of the partnership, or of one party."""
    t, language = ctx.t, ctx.language
    rows = _level_rows(ctx, party)
    if not rows:
        return Section("levels", t["sec_levels"], t["levels_none"], f"<p>{esc(t['no_data'])}</p>")
    if not _shown_levels(rows):
        heading = t["levels_party_hidden"].format(party=ctx.party_name(party), k=ctx.k)
        return Section("levels", t["sec_levels"], heading, f"<p>{esc(heading)}.</p>")
    heading = levels_heading(ctx, rows, party)
    if party != PARTNERSHIP:
        heading = f"{ctx.party_name(party)}: {heading[:1].lower()}{heading[1:]}"
    fig, height = levels_figure(ctx, _levels_title(ctx, rows), rows)
    hidden = [r for r in rows if r["suppressed"]]
    note = t["note_levels" if party == PARTNERSHIP else "note_levels_party"].format(
        k=ctx.k, party=ctx.party_name(party)
    )
    if hidden:
        cells = [
            f"{ctx.level_label(r['level'])} – {ctx.dimension_label(r['dimension'])}" for r in hidden
        ]
        note += " " + t["note_levels_hidden"].format(cells="; ".join(cells), k=ctx.k)
    table_rows = []
    for row in rows:
        if row["suppressed"]:
            values = [esc(ctx.suppressed_reason(row["n"])), "", ""]
        else:
            values = [
                fmt(row["mean"], language, 2),
                f"{fmt(row['ci_low'], language, 2)}–{fmt(row['ci_high'], language, 2)}",
                fmt_int(row["n"], language),
            ]
        table_rows.append(
            [
                esc(ctx.dimension_label(row["dimension"])),
                esc(ctx.level_label(row["level"])),
                *values,
            ]
        )
    headers = [t["col_dimension"], t["col_level"], t["hover_mean"], t["hover_interval"], "n"]
    table_html = html_table([esc(h) for h in headers], table_rows, [False, False, True, True, True])
    body = figure_block(fig, "levels", height, note, table_html, t["table_caption"])
    return Section("levels", t["sec_levels"], heading, body)


# --- 7. halen en brengen -----------------------------------------------------------------------


def give_take_section(ctx: Context) -> Section:
    t, language = ctx.t, ctx.language
    table = ctx.table("give_take")
    if table.empty:
        return Section(
            "give-take", t["sec_give_take"], t["give_take_none"], f"<p>{esc(t['no_data'])}</p>"
        )
    table = ctx.ordered(table, [("party", list(ctx.party_names))])
    table["suppressed"] = [(not is_missing(s)) and bool(s) for s in table["suppressed"]]
    shown = table[~table["suppressed"] & table["brings"].notna() & table["gets"].notna()]
    hidden = table[table["suppressed"]]
    if shown.empty:
        heading = t["give_take_none"]
    else:
        gap = shown.assign(gap=shown["gets"] - shown["brings"]).sort_values("gap", kind="stable")
        least, most = gap.iloc[0], gap.iloc[-1]
        if max(abs(least["gap"]), abs(most["gap"])) < SMALL_GAP:
            heading = t["give_take_balanced"]
        else:
            parts = []
            if least["gap"] <= -SMALL_GAP:
                parts.append(
                    t["give_take_brings_more"].format(
                        party=ctx.party_name(least["party"]),
                        b=fmt(least["brings"], language),
                        g=fmt(least["gets"], language),
                    )
                )
            if most["gap"] >= SMALL_GAP:
                parts.append(
                    t["give_take_gets_more"].format(
                        party=ctx.party_name(most["party"]),
                        b=fmt(most["brings"], language),
                        g=fmt(most["gets"], language),
                    )
                )
            if not parts:
                parts.append(t["give_take_balanced"])
            heading = capitalised("; ".join(parts))
    parts = []
    if not shown.empty:
        most_in = shown.sort_values("brings", kind="stable").iloc[-1]
        most_back = shown.sort_values("gets", kind="stable").iloc[-1]
        title = t["give_take_title"].format(
            party=ctx.party_name(most_in["party"]),
            b=fmt(most_in["brings"], language),
            party2=ctx.party_name(most_back["party"]),
            g=fmt(most_back["gets"], language),
        )
        fig, height = give_take_figure(ctx, title, shown)
        note = t["note_give_take"].format(
            brings=ctx.question_label(_role_item(ctx, "brings")),
            gets=ctx.question_label(_role_item(ctx, "gets")),
        )
        if len(hidden):
            names = join_words([ctx.party_name(p) for p in hidden["party"]], t["and"])
            note += " " + t["note_give_take_hidden"].format(parties=names, k=ctx.k)
        rows = []
        for row in records(table):
            if row["suppressed"]:
                rows.append(
                    [
                        esc(ctx.party_name(row["party"])),
                        esc(ctx.suppressed_reason(row["n"])),
                        "",
                        "",
                    ]
                )
            else:
                rows.append(
                    [
                        esc(ctx.party_name(row["party"])),
                        fmt(row["brings"], language, 2),
                        fmt(row["gets"], language, 2),
                        fmt_int(row["n"], language),
                    ]
                )
        headers = [t["col_party"], t["axis_brings"], t["axis_gets"], "n"]
        table_html = html_table([esc(h) for h in headers], rows, [False, True, True, True])
        parts.append(figure_block(fig, "give-take", height, note, table_html, t["table_caption"]))
    else:
        parts.append(f"<p>{esc(t['no_data'])}</p>")
    return Section("give-take", t["sec_give_take"], heading, "\n".join(parts))


def _role_item(ctx: Context, role: str) -> str:
    """The statement behind the brings or gets axis (its code when the labels do not say)."""
    # the give_take table does not name its items; the instrument's HAB statements do
    questions = ctx.questions
    if "role" in questions:
        found = questions.index[questions["role"] == role]
        if len(found):
            return str(found[0])
    return ""


# --- 8. what matters most ----------------------------------------------------------------------


def drivers_section(ctx: Context) -> Section:
    t, language = ctx.t, ctx.language
    table = ctx.table("drivers")
    table = table[table["rho"].notna()] if not table.empty else table
    if table.empty:
        return Section(
            "drivers", t["sec_drivers"], t["drivers_none"], f"<p>{esc(t['no_data'])}</p>"
        )
    table = table.assign(dimension=table["dimension"].astype(str)).sort_values(
        "rho", ascending=False, kind="stable"
    )
    outcome = ctx.dimension_label(ctx.outcome or str(table["outcome"].iloc[0]))
    top = [ctx.dimension_label(c) for c in table["dimension"].head(2)]
    heading = capitalised(
        t["drivers_heading"].format(
            dims=join_words(top, t["and"]), outcome=outcome, verb=verb(ctx, "relates", len(top))
        )
    )
    weakest = table.iloc[-1]
    title = t["drivers_title"].format(
        dim=ctx.dimension_label(weakest["dimension"]),
        outcome=outcome,
        v=fmt(weakest["rho"], language, 2),
    )
    fig, height = drivers_figure(ctx, title, table)
    note = t["note_drivers"].format(
        outcome=outcome, n=_range_text([int(n) for n in table["n"]], language)
    )
    rows = [
        [
            esc(ctx.dimension_label(row["dimension"])),
            fmt(row["rho"], language, 2),
            fmt_p(row["p_value"], language),
            fmt_int(row["n"], language),
        ]
        for row in records(table)
    ]
    headers = [t["col_dimension"], "rho", "p", "n"]
    table_html = html_table([esc(h) for h in headers], rows, [False, True, True, True])
    body = figure_block(fig, "drivers", height, note, table_html, t["table_caption"])
    return Section("drivers", t["sec_drivers"], heading, body)


# --- 9. method and data quality ----------------------------------------------------------------


def _reliability_html(ctx: Context) -> tuple[str, int, int, list[float]]:
    """The reliability table; with the number of scales at or above .70, of all, and alphas."""
    t, language = ctx.t, ctx.language
    table = ctx.ordered(ctx.data.reliability, [("dimension", list(ctx.dimension_labels))])
    threshold = fmt(LOW_ALPHA, language, 2)
    rows, good, alphas = [], 0, []
    for row in records(table):
        alpha = row["alpha"]
        if is_missing(alpha):
            flag = esc(t["alpha_na"])
        else:
            alphas.append(float(alpha))
            if row["flag_low"]:  # set by the score stage: alpha under LOW_ALPHA
                flag = f'<span class="flag">{esc(t["alpha_low"].format(t=threshold))}</span>'
            else:
                good += 1
                flag = ""
        low_ci, high_ci = row.get("alpha_ci_low"), row.get("alpha_ci_high")
        interval = f"{fmt(low_ci, language, 2)}–{fmt(high_ci, language, 2)}"
        rows.append(
            [
                esc(ctx.dimension_label(row["dimension"])),
                fmt_int(row["n_items"], language),
                fmt_int(row["n_complete"], language),
                fmt(alpha, language, 2),
                interval,
                flag,
            ]
        )
    headers = [
        t["col_dimension"],
        t["col_items"],
        t["col_complete"],
        t["col_alpha"],
        t["col_alpha_interval"],
        t["col_flag"],
    ]
    html = "\n".join(
        [
            html_table([esc(h) for h in headers], rows, [False, True, True, True, True, False]),
            f'<p class="note">{esc(t["note_reliability"].format(t=threshold))}</p>',
        ]
    )
    return html, good, len(table), alphas


def _item_reliability_html(ctx: Context) -> str:
    t, language = ctx.t, ctx.language
    table = ctx.table("item_reliability")
    if table.empty:
        return ""
    table = ctx.ordered(
        table,
        [
            ("dimension", list(ctx.dimension_labels)),
            ("item", [str(c) for c in ctx.questions.index]),
        ],
    )
    alphas = ctx.data.reliability.assign(dimension=ctx.data.reliability["dimension"].astype(str))
    alpha_of = alphas.set_index("dimension")["alpha"]
    rows = []
    for row in records(table):
        alpha = alpha_of.get(row["dimension"])
        higher = (
            not is_missing(alpha)
            and not is_missing(row["alpha_if_deleted"])
            and float(row["alpha_if_deleted"]) > float(alpha)
        )
        deleted = fmt(row["alpha_if_deleted"], language, 2)
        if higher:
            deleted = f'<span class="flag">{deleted}</span>'
        rows.append(
            [
                esc(ctx.dimension_label(row["dimension"])),
                esc(ctx.question_label(row["item"])),
                fmt(row["item_rest"], language, 2),
                deleted,
            ]
        )
    headers = [t["col_dimension"], t["col_statement"], t["col_item_rest"], t["col_alpha_deleted"]]
    return "\n".join(
        [
            f"<details><summary>{esc(t['item_reliability_caption'])}</summary>",
            html_table([esc(h) for h in headers], rows, [False, False, True, True]),
            f'<p class="note">{esc(t["note_item_reliability"])}</p>',
            "</details>",
        ]
    )


def _comparison_label(ctx: Context, comparison: str) -> str:
    if comparison in ("parties", "levels"):
        return ctx.t[f"comparison_{comparison}"]
    names = []
    for part in comparison.split(" vs "):
        if part in ctx.party_names:
            names.append(ctx.party_name(part))
        else:
            names.append(ctx.level_label(part))
    return ctx.t["versus"].join(names)


def _tests_html(ctx: Context) -> str:
    t, language = ctx.t, ctx.language
    tests = ctx.table("tests")
    if tests.empty:
        return f"<p>{esc(t['no_data'])}</p>"
    tests = ctx.ordered(tests, [("dimension", list(ctx.dimension_labels))])
    omnibus = tests[tests["test"] == "kruskal_wallis"]
    omnibus = pd.concat(
        [omnibus[omnibus["comparison"] == "parties"], omnibus[omnibus["comparison"] != "parties"]]
    )
    rows = [
        [
            esc(ctx.dimension_label(row["dimension"])),
            esc(_comparison_label(ctx, row["comparison"])),
            fmt(row["statistic"], language, 1),
            fmt_p(row["p_value"], language),
            fmt_p(row["p_adjusted"], language),
            fmt(row["effect_size"], language, 3),
            esc(effect_word(ctx, row["effect_measure"], row["effect_size"])),
        ]
        for row in records(omnibus)
    ]
    headers = [
        t["col_dimension"],
        t["col_comparison"],
        "H",
        "p",
        t["col_p_adjusted"],
        "ε²",
        t["col_effect"],
    ]
    parts = [
        html_table([esc(h) for h in headers], rows, [False, False, True, True, True, True, False])
    ]
    all_pairs = tests[tests["test"] != "kruskal_wallis"]
    significant = all_pairs[[is_significant(p) for p in all_pairs["p_adjusted"]]]
    # per dimension and comparison the pairs with the largest effects, significant or not, so
    # the table has the same length however many parties and respondents there are
    rank = {code: i for i, code in enumerate(ctx.dimension_labels)}
    pairs = (
        all_pairs.assign(
            _dimension=[rank.get(str(code), len(rank)) for code in all_pairs["dimension"]],
            _levels=[c.split(" vs ")[0] not in ctx.party_names for c in all_pairs["comparison"]],
            _size=all_pairs["effect_size"].abs(),
        )
        .sort_values(
            ["_dimension", "_levels", "_size"], ascending=[True, True, False], kind="stable"
        )
        .groupby(["_dimension", "_levels"], sort=False)
        .head(MAX_PAIRS)
    )
    if len(all_pairs):
        pair_rows = [
            [
                esc(ctx.dimension_label(row["dimension"])),
                esc(_comparison_label(ctx, row["comparison"])),
                fmt(row["statistic"], language, 1),
                fmt_p(row["p_adjusted"], language),
                fmt(row["effect_size"], language, 2),
                esc(effect_word(ctx, row["effect_measure"], row["effect_size"])),
            ]
            for row in records(pairs)
        ]
        pair_headers = [
            t["col_dimension"],
            t["col_pair"],
            "U",
            t["col_p_adjusted"],
            "r",
            t["col_effect"],
        ]
        caption = t["pairs_caption"].format(
            n=fmt_int(len(all_pairs), language),
            s=fmt_int(len(significant), language),
            k=MAX_PAIRS,
        )
        parts += [
            f"<details><summary>{esc(caption)}</summary>",
            html_table(
                [esc(h) for h in pair_headers], pair_rows, [False, False, True, True, True, False]
            ),
            "</details>",
        ]
    parts.append(f'<p class="note">{esc(t["note_tests"])}</p>')
    return "\n".join(parts)


def _exclusions_html(ctx: Context) -> tuple[str, int]:
    """Quality-log events counted by check and action, and a capped list of the events."""
    t, language = ctx.t, ctx.language
    log = ctx.data.quality_log
    if log.empty:
        return f"<p>{esc(t['log_empty'])}</p>", 0
    counted = (
        log.assign(check=log["check"].astype(str), action=log["action"].astype(str))
        .groupby(["action", "check"], sort=True)
        .size()
        .reset_index(name="count")
    )
    action_order = {"excluded": 0, "changed": 1, "flagged": 2}
    counted["_o"] = [action_order.get(a, 3) for a in counted["action"]]
    counted = counted.sort_values(["_o", "action", "check"], kind="stable")
    rows = [
        [
            esc(t.get(f"check_{row['check']}", row["check"])),
            esc(t.get(f"action_{row['action']}", row["action"])),
            fmt_int(row["count"], language),
        ]
        for row in records(counted)
    ]
    headers = [t["col_check"], t["col_action"], t["col_count"]]
    parts = [html_table([esc(h) for h in headers], rows, [False, False, True])]
    shown = log.head(MAX_LOG_ROWS)
    summary_key = "log_details_all" if len(log) <= MAX_LOG_ROWS else "log_details_capped"
    summary = t[summary_key].format(
        n=fmt_int(len(log), language), k=fmt_int(MAX_LOG_ROWS, language)
    )

    def text(value: object) -> str:
        return t["missing"] if is_missing(value) else str(value)

    event_rows = [
        [
            esc(
                ctx.party_name(str(row["party"])) if not is_missing(row["party"]) else t["missing"]
            ),
            esc(text(row["source_file"])),
            fmt_int(row["source_row"], language),
            esc(t.get(f"check_{row['check']}", row["check"])),
            esc(t.get(f"action_{row['action']}", row["action"])),
            esc("" if is_missing(row["detail"]) else row["detail"]),
        ]
        for row in records(shown)
    ]
    event_headers = [
        t["col_party"],
        t["col_file"],
        t["col_row"],
        t["col_check"],
        t["col_action"],
        t["col_detail"],
    ]
    parts += [
        f"<details><summary>{esc(summary)}</summary>",
        html_table(
            [esc(h) for h in event_headers], event_rows, [False, False, True, False, False, False]
        ),
        f'<p class="note">{esc(t["log_full"])}</p>',
        "</details>",
    ]
    excluded = log[log["action"].astype(str) == "excluded"]
    return "\n".join(parts), len(excluded.drop_duplicates(["source_file", "source_row", "check"]))


def method_section(ctx: Context) -> Section:
    t, language = ctx.t, ctx.language
    reliability, good, total, alphas = _reliability_html(ctx)
    exclusions, excluded = _exclusions_html(ctx)
    received = int(ctx.data.response_counts["received"].sum())
    if total and good == total:
        first = (
            t["method_reliable_all"].format(
                lo=fmt(min(alphas), language, 2), hi=fmt(max(alphas), language, 2)
            )
            if alphas
            else t["method_reliable_none"]
        )
    else:
        threshold = fmt(LOW_ALPHA, language, 2)
        first = t["method_reliable_some"].format(good=good, total=total, t=threshold)
    heading = capitalised(
        first
        + "; "
        + t["method_excluded"].format(x=fmt_int(excluded, language), n=fmt_int(received, language))
    )
    body = "\n".join(
        [
            f"<h3>{esc(t['h_reliability'])}</h3>",
            reliability,
            _item_reliability_html(ctx),
            f"<h3>{esc(t['h_tests'])}</h3>",
            _tests_html(ctx),
            f"<h3>{esc(t['h_log'])}</h3>",
            exclusions,
            f"<h3>{esc(t['h_method'])}</h3>",
            f"<p>{esc(t['method_text'].format(k=ctx.k, m=ctx.data.min_group_size_comments))}</p>",
            manifest_html(ctx),
        ]
    )
    return Section("method", t["sec_method"], heading, body)
