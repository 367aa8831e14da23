"""The report of one party: its figures beside the partnership's, the others only as a range.

Every suppression rule of the tables holds: a hidden cell stays hidden, and a party whose
figures are all hidden gets a report with the partnership's figures only and a notice why.
The other parties appear only as the lowest and highest of those shown (never by name).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.report.data import PARTNERSHIP, Context, records
from pipeline.report.figures import partnership_bars, profile_figure
from pipeline.report.formatting import (
    capitalised,
    esc,
    esc_fig,
    fmt,
    fmt_int,
    fmt_signed,
    html_table,
    is_missing,
    join_words,
)
from pipeline.report.page import Page, Section, figure_block, page
from pipeline.report.sections import (
    comment_groups,
    comments_html,
    manifest_html,
    party_comments,
    statement_html,
    statement_items,
    statement_parties,
    statements_block,
    statements_heading,
    trends_block,
    trends_heading,
)
from pipeline.report.steering import band_html, change_table, levels_section, statement_rows

__all__ = ["party_page"]

#: Statements listed as the party's highest and lowest.
TOP_STATEMENTS = 3
#: A party mean this close to the partnership's counts as the same (it rounds alike).
SAME = 0.05


def party_page(ctx: Context, party: str) -> Page:
    """The report page of ``party`` (an id of ``data.parties``)."""
    if party not in ctx.party_names:
        raise ValueError(f"party {party!r} is not one of {list(ctx.party_names)}")
    t, data = ctx.t, ctx.data
    rows = ctx.summary[ctx.summary["party"] == party]
    hidden = rows.empty or bool(rows["suppressed"].all())
    sections = [
        _summary_section(ctx, party, hidden),
        _trends_section(ctx, party, hidden),
        _statements_section(ctx, party),
        levels_section(ctx, party),
        *([] if "friction-areas" in ctx.not_asked else [_friction_section(ctx, party)]),
        _comments_section(ctx, party),
        _method_section(ctx, party),
    ]
    name = ctx.party_name(party)
    round_text = t["round"].format(round=data.round_id)
    subtitle = t["party_report_kind"].format(partnership=data.partnership_name)
    header = "\n".join(
        [
            f"<h1>{esc(name)}</h1>",
            f'<p class="subtitle">{esc(subtitle)}, {esc(round_text)}</p>',
        ]
    )
    return page(ctx, f"{name} – {data.partnership_name} – {round_text}", header, sections)


def _hidden_notice(ctx: Context, party: str) -> str:
    """Why the party's figures are hidden: too few of its people answered."""
    return ctx.t["party_hidden_small"].format(party=ctx.party_name(party), k=ctx.k)


def _others_range(ctx: Context, name: str, key: str, party: str) -> dict[str, tuple]:
    """Per key the lowest and highest mean of the other parties shown, and how many they are.

    ``name`` is the context's table (``summary``, ``friction``), ``key`` its column to group by.
    """
    shown = ctx.memo(("shown_means", name), lambda: _shown_means(_rows_by_party(ctx, name, key)))
    ranges = {}
    for code, means in shown.items():
        others = [mean for owner, mean in means if owner != party]
        if others:
            ranges[code] = (min(others), max(others), len(others))
    return ranges


def _shown_means(
    by_party: dict[str, dict[str, dict[str, Any]]],
) -> dict[str, list[tuple[str, float]]]:
    """Per key every party shown with its mean, from :func:`_rows_by_party`."""
    means: dict[str, list[tuple[str, float]]] = {}
    for party, rows in by_party.items():
        if party == PARTNERSHIP:
            continue
        for code, row in rows.items():
            if not row["suppressed"] and not is_missing(row["mean"]):
                means.setdefault(str(code), []).append((party, float(row["mean"])))
    return means


# --- summary ------------------------------------------------------------------------------------


def _rows_by_party(ctx: Context, name: str, key: str) -> dict[str, dict[str, dict[str, Any]]]:
    """Party -> ``key`` -> row of the context's table ``name``: once for all the pages."""

    def compute() -> dict[str, dict[str, dict[str, Any]]]:
        rows: dict[str, dict[str, dict[str, Any]]] = {}
        for row in records(getattr(ctx, name)):
            rows.setdefault(row["party"], {})[row[key]] = row
        return rows

    return ctx.memo(("rows_by_party", name), compute)


def _profile_rows(ctx: Context, party: str) -> list[dict[str, Any]]:
    ranges = _others_range(ctx, "summary", "dimension", party)
    own = _rows_by_party(ctx, "summary", "dimension").get(party, {})
    partnership = ctx.partnership
    pooled = dict(zip(partnership["dimension"], partnership["mean_equal_weight"], strict=True))
    return [
        {
            "key": code,
            "label": label,
            **_beside(ctx, own, pooled, ranges, code, lambda v: fmt(v, ctx.language, 2)),
        }
        for code, label in ctx.dimension_labels.items()
    ]


def _beside(
    ctx: Context,
    own: dict[str, dict[str, Any]],
    pooled: dict[str, Any],
    ranges: dict[str, tuple],
    key: str,
    shown_mean: Callable[[float], str],
) -> dict[str, Any]:
    """A party's mean (or why it is hidden) beside the partnership's and the others' range.

    ``own`` holds the party's rows (``n``, ``mean``, ``suppressed``) and ``pooled`` the
    partnership's means, both by ``key``'s kind (dimension, area).
    """
    row = own.get(key)
    n = row["n"] if row is not None else None
    shown = row is not None and not row["suppressed"] and not is_missing(row["mean"])
    low, high, _ = ranges.get(key, (None, None, 0))
    partnership = pooled.get(key)
    return {
        "party": float(row["mean"]) if shown else None,
        "party_text": (
            f"{shown_mean(row['mean'])} (n = {fmt_int(n, ctx.language)})"
            if shown
            else esc_fig(ctx.suppressed_hover(n))
        ),
        "hidden_text": "" if shown else ctx.suppressed_reason(n),
        "partnership": None if is_missing(partnership) else float(partnership),
        "low": low,
        "high": high,
    }


def _summary_heading(ctx: Context, party: str, rows: list[dict[str, Any]]) -> str:
    t, language = ctx.t, ctx.language
    shown = [r for r in rows if r["party"] is not None]
    if not shown:
        return t["party_hidden_heading"].format(party=ctx.party_name(party))
    ranked = sorted(shown, key=lambda r: r["party"])
    high, low = ranked[-1], ranked[0]
    above = sum(
        r["partnership"] is not None and r["party"] - r["partnership"] >= SAME for r in shown
    )
    below = sum(
        r["partnership"] is not None and r["partnership"] - r["party"] >= SAME for r in shown
    )
    text = t["party_high_low"].format(
        party=ctx.party_name(party),
        hi=high["label"],
        hi_v=fmt(high["party"], language),
        lo=low["label"],
        lo_v=fmt(low["party"], language),
    )
    text += t["party_above"].format(above=above, below=below, total=len(shown))
    return capitalised(text)


def _profile_title(ctx: Context, party: str, rows: list[dict[str, Any]]) -> str:
    """Where the party is the highest, or the lowest, of all parties shown."""
    t = ctx.t
    shown = [r for r in rows if r["party"] is not None and r["low"] is not None]
    highest = [r["label"] for r in shown if r["party"] > r["high"]]
    lowest = [r["label"] for r in shown if r["party"] < r["low"]]
    name = ctx.party_name(party)
    parts = []
    if highest:
        parts.append(t["profile_highest"].format(party=name, dims=join_words(highest, t["and"])))
    if lowest:
        key = "profile_lowest_too" if highest else "profile_lowest"
        parts.append(t[key].format(party=name, dims=join_words(lowest, t["and"])))
    if not parts:
        return t["profile_within"].format(party=name)
    return capitalised("; ".join(parts))


def _summary_section(ctx: Context, party: str, hidden: bool) -> Section:
    t, language = ctx.t, ctx.language
    name = ctx.party_name(party)
    if hidden:
        fig, height = partnership_bars(ctx, t["party_partnership_only"])
        body = "\n".join(
            [
                f'<p class="notice">{esc(_hidden_notice(ctx, party))}</p>',
                figure_block(fig, "partnership", height, t["note_party_partnership_only"]),
            ]
        )
        heading = t["party_hidden_heading"].format(party=name)
        return Section("summary", t["sec_summary"], heading, body)
    rows = _profile_rows(ctx, party)
    heading = _summary_heading(ctx, party, rows)
    fig, height = profile_figure(ctx, _profile_title(ctx, party, rows), rows, (1, 5), party)
    summary = ctx.summary[ctx.summary["party"] == party].set_index("dimension")
    table_rows = []
    for row in rows:
        own = summary.loc[row["key"]] if row["key"] in summary.index else None
        if row["party"] is None:
            cells = [esc(row["hidden_text"]), "", "", ""]
        else:
            cells = [
                fmt(own["mean"], language, 2),
                f"{fmt(own['ci_low'], language, 2)}–{fmt(own['ci_high'], language, 2)}",
                band_html(ctx, own["band"]),
                fmt_int(own["n"], language),
            ]
        others = (
            f"{fmt(row['low'], language, 2)}–{fmt(row['high'], language, 2)}"
            if row["low"] is not None
            else t["missing"]
        )
        table_rows.append([esc(row["label"]), *cells, fmt(row["partnership"], language, 2), others])
    headers = [
        t["col_dimension"],
        name,
        t["hover_interval"],
        t["col_band"],
        "n",
        t["partnership"],
        t["col_others"],
    ]
    table = html_table(
        [esc(h) for h in headers], table_rows, [False, True, True, False, True, True, True]
    )
    note = t["note_profile"].format(party=name, k=ctx.k)
    previous = ctx.previous_round
    parts = [
        figure_block(fig, "profile", height, note),
        f"<h3>{esc(t['h_party_table'])}</h3>",
        table,
    ]
    partial = [r for r in rows if r["party"] is None]
    if partial:
        dims = join_words([r["label"] for r in partial], t["and"])
        text = t["party_partly_hidden"].format(dims=dims, k=ctx.k)
        parts.append(f'<p class="note">{esc(text)}</p>')
    if previous:
        parts += [
            f"<h3>{esc(t['h_changes'].format(previous=previous))}</h3>",
            change_table(ctx, party),
        ]
    return Section("summary", t["sec_summary"], heading, "\n".join(parts))


# --- trends, statements ---------------------------------------------------------------------------


def _trends_section(ctx: Context, party: str, hidden: bool) -> Section:
    t = ctx.t
    pooled = trends_heading(ctx, PARTNERSHIP)
    if len(ctx.rounds) < 2:
        return Section("trends", t["sec_trends"], pooled, trends_block(ctx, "trends", [], ""))
    if hidden:
        heading = t["party_trends_hidden"].format(party=ctx.party_name(party))
        body = trends_block(ctx, "trends", [PARTNERSHIP], pooled)
    else:
        heading = trends_heading(ctx, party)
        body = trends_block(ctx, "trends", [PARTNERSHIP, party], pooled)
    return Section("trends", t["sec_trends"], heading, body)


def _statements_section(ctx: Context, party: str) -> Section:
    t = ctx.t
    items, values = statement_items(ctx)
    if not items or len(values) < 2:
        return Section(
            "statements", t["sec_statements"], t["no_data"], f"<p>{esc(t['no_data'])}</p>"
        )
    shown = party in statement_parties(ctx)
    first = party if shown else PARTNERSHIP
    heading = statements_heading(ctx, first, items, values)
    body = statements_block(ctx, "statements", [party, PARTNERSHIP] if shown else [PARTNERSHIP])
    if not shown:
        body = f'<p class="notice">{esc(_hidden_notice(ctx, party))}</p>\n' + body
    return Section("statements", t["sec_statements"], heading, body)


# --- glanzen en schuren -------------------------------------------------------------------------


def _friction_rows(ctx: Context, party: str) -> list[dict[str, Any]]:
    friction = ctx.friction
    ranges = _others_range(ctx, "friction", "area", party)
    by_party = _rows_by_party(ctx, "friction", "area")
    own = by_party.get(party, {})
    pooled = {area: row["mean"] for area, row in by_party.get(PARTNERSHIP, {}).items()}
    return [
        {
            "key": area,
            "label": capitalised(ctx.area_short.get(area, area)),
            "short": ctx.area_short.get(area, area),
            "full": ctx.area_labels.get(area, area),
            **_beside(ctx, own, pooled, ranges, area, lambda v: fmt_signed(v, ctx.language, 2)),
        }
        for area in dict.fromkeys(friction["area"])
    ]


def _friction_title(ctx: Context, party: str, rows: list[dict[str, Any]]) -> str:
    """Where the party differs most from the partnership."""
    compared = [r for r in rows if r["party"] is not None and r["partnership"] is not None]
    if not compared:
        return ctx.t["party_friction_partnership"]
    row = max(compared, key=lambda r: abs(r["party"] - r["partnership"]))
    return capitalised(
        ctx.t["party_friction_title"].format(
            party=ctx.party_name(party),
            area=row["short"],
            v=fmt_signed(row["party"], ctx.language),
            p=fmt_signed(row["partnership"], ctx.language),
        )
    )


def _ranked_statements(ctx: Context) -> dict[str, list[dict[str, Any]]]:
    """Per party its statements shown (of :func:`statement_rows`), lowest score first."""

    def compute() -> dict[str, list[dict[str, Any]]]:
        items = ctx.items
        shown = items[
            ~items["suppressed"]
            & items["mean_scored"].notna()
            & items["item"].isin(statement_rows(ctx)["item"])
        ]
        ranked: dict[str, list[dict[str, Any]]] = {}
        for row in records(shown.sort_values("mean_scored", kind="stable")):
            ranked.setdefault(row["party"], []).append(row)
        return ranked

    return ctx.memo(("ranked_statements",), compute)


def _friction_section(ctx: Context, party: str) -> Section:
    t, language = ctx.t, ctx.language
    name = ctx.party_name(party)
    parts = []
    friction = ctx.friction
    heading = t["friction_no_data"]
    if not friction.empty:
        rows = _friction_rows(ctx, party)
        shown = [r for r in rows if r["party"] is not None]
        if shown:
            chafing = sorted([r for r in shown if r["party"] < 0], key=lambda r: r["party"])
            if chafing:
                heading = t["party_friction_chafes"].format(
                    areas=join_words([r["short"] for r in chafing], t["and"]),
                    verb=t["chafes_one" if len(chafing) == 1 else "chafes_many"],
                    party=name,
                    v=fmt_signed(chafing[0]["party"], language),
                    p=fmt_signed(chafing[0]["partnership"], language),
                )
            else:
                best = max(shown, key=lambda r: r["party"])
                heading = t["party_friction_none"].format(
                    party=name, area=best["short"], v=fmt_signed(best["party"], language)
                )
            heading = capitalised(heading)
        else:
            heading = t["party_hidden_heading"].format(party=name)
            parts.append(f'<p class="notice">{esc(_hidden_notice(ctx, party))}</p>')
        fig, height = profile_figure(ctx, _friction_title(ctx, party, rows), rows, (-2, 2), party)
        parts.append(
            figure_block(
                fig, "friction", height, t["note_party_friction"].format(party=name, k=ctx.k)
            )
        )
    # the party's own highest and lowest statements
    ranked = _ranked_statements(ctx).get(party, [])
    if ranked:
        count = min(TOP_STATEMENTS, max(1, len(ranked) // 2))
        for title_key, block in (
            ("h_party_best", ranked[::-1][:count]),
            ("h_party_worst", ranked[:count]),
        ):
            rows_html = [
                [
                    statement_html(ctx, r["item"]),
                    esc(ctx.dimension_label(r["dimension"])),
                    fmt(r["mean_scored"], language, 2),
                    fmt_int(r["n"], language),
                ]
                for r in block
            ]
            parts += [
                f"<h3>{esc(t[title_key].format(party=name))}</h3>",
                html_table(
                    [esc(h) for h in (t["col_statement"], t["col_dimension"], t["col_score"], "n")],
                    rows_html,
                    [False, False, True, True],
                ),
            ]
        parts.append(f'<p class="note">{esc(t["note_party_statements"])}</p>')
    if not parts:
        parts.append(f"<p>{esc(t['no_data'])}</p>")
    return Section("friction", t["sec_friction"], heading, "\n".join(parts))


# --- open answers, method -----------------------------------------------------------------------


def _comments_section(ctx: Context, party: str) -> Section:
    t = ctx.t
    name = ctx.party_name(party)
    comments = ctx.data.comments
    if comments is None or comments.empty:
        heading = t["comments_not_collected"] if comments is None else t["comments_empty"]
    elif party not in comment_groups(ctx):
        heading = t["party_comments_pooled_heading"].format(party=name)
    else:
        n = int((party_comments(ctx)["party"] == party).sum())
        heading = t["party_comments_heading"].format(party=name, n=fmt_int(n, ctx.language))
    return Section("comments", t["sec_comments"], heading, comments_html(ctx, party, level=3))


def _method_section(ctx: Context, party: str) -> Section:
    t = ctx.t
    text = t["party_method_text"].format(k=ctx.k, m=ctx.data.min_group_size_comments)
    body = "\n".join(
        [
            f"<p>{esc(text)}</p>",
            manifest_html(ctx, full=False),
            f'<p><a href="index.html">{esc(t["party_method_link"])}</a></p>',
        ]
    )
    heading = t["party_method_heading"].format(k=ctx.k)
    return Section("method", t["sec_method_short"], heading, body)
