"""Pieces both reports use: statements, trends, open answers, effect sizes in words, manifest.

Decisions taken here:

- effect sizes in words follow Cohen's rules of thumb: for a rank-biserial correlation ``|r|``
  .1 small, .3 medium, .5 large; for epsilon-squared .01, .06, .14; for Cohen's d (the change
  between rounds) .2, .5, .8 (below the first: negligible); the report says so where it uses
  them;
- a change is called significant at p < .05 (the ``changes`` table's own, unadjusted p);
- open answers are shown per party only for parties with at least
  ``min_group_size_comments`` kept respondents; the others are pooled without party or level.
  When exactly one party would be pooled, the smallest of the other parties joins the pool too,
  so the pool never belongs to one party. Levels
  are never shown with open answers. At most :data:`MAX_COMMENTS` answers per group and
  question are shown (fewer when a page has many groups: about :data:`TOTAL_COMMENTS` in
  all), picked by a hash of their text (the same every run, and not the first ones by an
  order that could favour a group), each cut at :data:`MAX_COMMENT_CHARS` characters; the page
  says how many there were, so its size does not grow with the number of respondents.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from pipeline.report.data import PARTNERSHIP, SIGNIFICANCE, Context, records
from pipeline.report.figures import statements_figure, trends_figure
from pipeline.report.formatting import (
    capitalised,
    esc,
    fmt,
    fmt_int,
    fmt_pct,
    html_table,
    is_missing,
    join_words,
)
from pipeline.report.page import figure_block

__all__ = [
    "MAX_COMMENTS",
    "comment_groups",
    "comments_html",
    "effect_word",
    "manifest_html",
    "party_comments",
    "statement_html",
    "statement_items",
    "statement_parties",
    "statements_block",
    "statements_heading",
    "statements_title",
    "trends_block",
    "trends_heading",
    "trends_party_title",
]

MAX_COMMENTS = 40
#: Open answers on one page at most (spread over its groups and questions, at least 10 each).
TOTAL_COMMENTS = 400
MAX_COMMENT_CHARS = 600
_R_THRESHOLDS = (0.1, 0.3, 0.5)
_EPSILON_THRESHOLDS = (0.01, 0.06, 0.14)
_D_THRESHOLDS = (0.2, 0.5, 0.8)


def effect_word(ctx: Context, measure: object, value: object) -> str:
    """Negligible, small, medium or large, by Cohen's rules of thumb for the measure."""
    if is_missing(value):
        return ctx.t["missing"]
    size = abs(float(value))
    thresholds = {"epsilon_squared": _EPSILON_THRESHOLDS, "cohens_d": _D_THRESHOLDS}.get(
        str(measure), _R_THRESHOLDS
    )
    words = ("effect_none", "effect_small", "effect_medium", "effect_large")
    level = sum(size >= threshold for threshold in thresholds)
    return ctx.t[words[level]]


def is_significant(p_value: object) -> bool:
    """Whether p is below :data:`~pipeline.report.data.SIGNIFICANCE`."""
    return not is_missing(p_value) and float(p_value) < SIGNIFICANCE


def verb(ctx: Context, key: str, count: int) -> str:
    """The singular or plural form of a verb from the translation table."""
    return ctx.t[f"{key}_one" if count == 1 else f"{key}_many"]


# --- trends ------------------------------------------------------------------------------------


def _first_and_last(ctx: Context, party: str) -> pd.DataFrame:
    """Per dimension the first and this round's shown mean of a party, with their rounds."""
    tables = ctx.memo(("first_and_last",), lambda: _first_and_last_tables(ctx))
    return tables.get(party, _FIRST_AND_LAST_EMPTY)


_FIRST_AND_LAST_COLUMNS = ["dimension", "first_round", "first", "last"]
_FIRST_AND_LAST_EMPTY = pd.DataFrame(columns=_FIRST_AND_LAST_COLUMNS)


def _first_and_last_tables(ctx: Context) -> dict[str, pd.DataFrame]:
    """:func:`_first_and_last` of every party at once, from the history (ordered by round)."""
    history = ctx.history
    rows = history[
        ~history["suppressed"]
        & history["mean"].notna()
        & history["dimension"].isin(list(ctx.dimension_labels))
    ]
    now = rows["round"] == ctx.data.round_id
    first = rows[~now].drop_duplicates(["party", "dimension"])
    table = rows.loc[now, ["party", "dimension", "mean"]].merge(
        first[["party", "dimension", "round", "mean"]],
        on=["party", "dimension"],
        suffixes=("_last", "_first"),
    )
    names = {"round": "first_round", "mean_first": "first", "mean_last": "last"}
    table = table.rename(columns=names)
    return {
        str(party): group[_FIRST_AND_LAST_COLUMNS].reset_index(drop=True)
        for party, group in table.groupby("party", sort=False)
    }


def trends_heading(ctx: Context, party: str) -> str:
    """The trend in words: which dimension rose, and which fell, most since the first round."""
    t, language = ctx.t, ctx.language
    if len(ctx.rounds) < 2:
        return t["trends_first_round"].format(round=ctx.data.round_id)
    table = _first_and_last(ctx, party)
    if table.empty:
        return t["trends_none"]
    steps = table.assign(step=table["last"] - table["first"]).sort_values("step", kind="stable")
    rise, fall = steps.iloc[-1], steps.iloc[0]
    who = ctx.party_name(party) if party != PARTNERSHIP else t["the_partnership"]
    parts = [
        t[text].format(
            since=row["first_round"],
            dim=ctx.dimension_label(row["dimension"]),
            who=who,
            a=fmt(row["first"], language),
            b=fmt(row["last"], language),
        )
        for row, text, moved in (
            (rise, "trends_rise", rise["step"] >= 0.05),
            (fall, "trends_fall", fall["step"] <= -0.05),
        )
        if moved
    ]
    if not parts:
        return t["trends_flat"].format(since=table["first_round"].iloc[0], who=who)
    return capitalised("; ".join(parts))


def trends_party_title(ctx: Context, parties: list[str]) -> str:
    """The largest change of one party on one dimension since its first round shown."""
    t, language = ctx.t, ctx.language
    best = None
    for party in parties:
        if party == PARTNERSHIP:
            continue
        table = _first_and_last(ctx, party)
        for row in records(table):
            step = row["last"] - row["first"]
            if best is None or abs(step) > abs(best[0]):
                best = (step, party, row)
    if best is None or abs(best[0]) < 0.05:
        return trends_heading(ctx, PARTNERSHIP)
    step, party, row = best
    return t["trends_party_title"].format(
        party=ctx.party_name(party),
        dim=ctx.dimension_label(row["dimension"]),
        since=row["first_round"],
        a=fmt(row["first"], language),
        b=fmt(row["last"], language),
        verb=t["trends_rose"] if step > 0 else t["trends_fell"],
    )


def trends_block(ctx: Context, name: str, parties: list[str], title: str) -> str:
    """The small multiples of the dimensions over the rounds, with note and table."""
    t, language = ctx.t, ctx.language
    if len(ctx.rounds) < 2:
        return f"<p>{esc(t['trends_need_two'])}</p>"
    fig, height = trends_figure(ctx, title, parties)
    history = ctx.history[ctx.history["party"].isin(parties)]
    cells_of = {(r["party"], r["dimension"], r["round"]): r for r in records(history)}
    headers = [t["col_party"], t["col_dimension"], *ctx.rounds]
    rows = []
    for party in parties:
        for code in ctx.dimension_labels:
            cells = []
            for round_id in ctx.rounds:
                row = cells_of.get((party, code, round_id))
                if row is None:
                    cells.append(t["missing"])
                elif row["suppressed"]:
                    cells.append(esc(ctx.suppressed_reason(row["n"])))
                else:
                    cells.append(fmt(row["mean"], language, 2))
            if any(c != t["missing"] for c in cells):
                rows.append([esc(ctx.party_name(party)), esc(ctx.dimension_label(code)), *cells])
    table = html_table([esc(h) for h in headers], rows, [False, False, *[True] * len(ctx.rounds)])
    note = t["note_trends"].format(rounds=join_words(ctx.rounds, t["and"]), k=ctx.k)
    return figure_block(fig, name, height, note, table, t["table_caption"])


# --- statements --------------------------------------------------------------------------------


def statement_items(ctx: Context) -> tuple[list[str], list[float]]:
    """The scored statements of the diverging bars, and the values of their scale.

    The statements are the items with a dimension that the ``distribution`` table has, in
    survey order; those whose choice list differs from the first one's are left out (one
    chart, one scale).
    """
    items, values = ctx.memo(("statement_items",), lambda: _statement_items(ctx))
    return list(items), list(values)


def _statement_items(ctx: Context) -> tuple[list[str], list[float]]:
    distribution = ctx.table("distribution")
    if distribution.empty or ctx.items.empty:
        return [], []
    present = set(distribution["item"].astype(str))
    questions = ctx.questions
    scored = [
        str(code)
        for code, dimension in zip(questions.index, questions["dimension"], strict=True)
        if not is_missing(dimension) and str(code) in present
    ]
    if not scored:
        scored = [
            i
            for i in dict.fromkeys(ctx.items["item"])
            if i in present
            and not is_missing(ctx.items.loc[ctx.items["item"] == i, "dimension"].iloc[0])
        ]
    if not scored:
        return [], []
    first = scored[0]
    same = [
        i
        for i in scored
        if first not in questions.index
        or questions.at[i, "list_name"] == questions.at[first, "list_name"]
    ]
    values = sorted(
        float(v) for v in distribution.loc[distribution["item"].astype(str) == first, "choice"]
    )
    return same, list(dict.fromkeys(values))


def statement_parties(ctx: Context) -> set[str]:
    """The parties (and the partnership) with any statement shown: not hidden, answered."""

    def compute() -> set[str]:
        items = ctx.items
        return set(items.loc[~items["suppressed"] & (items["n"] > 0), "party"].astype(str))

    return ctx.memo(("statement_parties",), compute)


def _agreement(
    ctx: Context, party: str, items: list[str], values: list[float]
) -> list[dict[str, Any]]:
    """Per statement shown for ``party``: the share agreeing and disagreeing (top, bottom half)."""
    key = ("agreement", tuple(items), tuple(values))
    return ctx.memo(key, lambda: _agreement_rows(ctx, items, values)).get(party, [])


def _agreement_rows(
    ctx: Context, items: list[str], values: list[float]
) -> dict[str, list[dict[str, Any]]]:
    """:func:`_agreement` of every party with a statement shown, from the choice percentages."""
    middle = (min(values) + max(values)) / 2
    pct = ctx.choice_pct
    agreeing = [v for v in values if v > middle]
    disagreeing = [v for v in values if v < middle]

    def share(party: str, item: str, side: list[float]) -> float:  # a hidden (NaN) share: 0
        shares = (pct.get((party, item, v), math.nan) for v in side)
        return sum((share for share in shares if share == share), 0.0)  # NaN != NaN

    shown = ctx.items[~ctx.items["suppressed"] & (ctx.items["n"] > 0)]
    rows = {}
    for party, shown_items in shown.groupby("party", sort=False)["item"]:
        shown_set = set(shown_items)
        rows[str(party)] = [
            {
                "item": item,
                "agree": share(party, item, agreeing),
                "disagree": share(party, item, disagreeing),
            }
            for item in items
            if item in shown_set
        ]
    return rows


def statement_html(ctx: Context, item: str) -> str:
    """A statement's text for a table cell, marked when it is reverse-keyed."""
    mark = f" <small>{esc(ctx.t['reverse_mark'])}</small>" if ctx.is_reverse(item) else ""
    return esc(ctx.question_label(item)) + mark


def statements_title(ctx: Context, party: str, items: list[str], values: list[float]) -> str:
    """What the statements of a party (or the partnership) say: most and least agreement."""
    t, language = ctx.t, ctx.language
    rows = _agreement(ctx, party, items, values)
    who = ctx.party_name(party)
    if not rows:
        return t["statements_none"].format(who=who)
    most = max(rows, key=lambda r: r["agree"])  # the first of equal shares
    least = max(rows, key=lambda r: r["disagree"])
    return t["statements_title"].format(
        who=who,
        most=ctx.question_label(most["item"]),
        p=fmt_pct(most["agree"], language),
        least=ctx.question_label(least["item"]),
        q=fmt_pct(least["disagree"], language),
    )


def statements_heading(ctx: Context, party: str, items: list[str], values: list[float]) -> str:
    """How many statements most agree with, and how many most disagree with."""
    t = ctx.t
    rows = _agreement(ctx, party, items, values)
    if not rows:
        return t["statements_none"].format(who=ctx.party_name(party))
    return t["statements_heading"].format(
        who=ctx.party_name(party) if party != PARTNERSHIP else t["partnership"],
        agree=sum(r["agree"] > 50 for r in rows),
        disagree=sum(r["disagree"] > 50 for r in rows),
        total=len(rows),
    )


def statements_block(ctx: Context, name: str, parties: list[str]) -> str:
    """The diverging bars with a dropdown over ``parties`` (those with any statement shown)."""
    t, language = ctx.t, ctx.language
    items, values = statement_items(ctx)
    if not items or len(values) < 2:
        return f"<p>{esc(t['no_data'])}</p>"
    shown = statement_parties(ctx)
    options = [p for p in parties if p == PARTNERSHIP or p in shown]
    if not options:
        options = [PARTNERSHIP]
    titled = [(p, statements_title(ctx, p, items, values)) for p in options]
    fig, height = statements_figure(ctx, titled, items, values)
    hidden = [ctx.party_name(p) for p in parties if p not in options]
    note = t["note_statements"]
    if len(options) > 1:
        note += " " + t["note_dropdown"]
    if hidden:
        note += " " + t["note_dropdown_hidden"].format(
            parties=join_words(hidden, t["and"]), k=ctx.k
        )
    # the table: the first option's percentages per statement
    party = options[0]
    labels = ctx.choice_labels(items[0])
    rows = []
    for item in items:
        row = ctx.item_records.get((party, item))
        if row is None:
            continue
        if row["suppressed"]:
            cells = [esc(ctx.suppressed_reason(row["n"]))] + [""] * len(values)
        else:
            cells = [fmt_int(row["n"], language)] + [
                fmt_pct(ctx.choice_pct.get((party, item, float(v))), language) for v in values
            ]
        rows.append(
            [esc(ctx.question_label(item)), *cells, fmt_pct(row["pct_dont_know"], language)]
        )
    headers = [
        t["col_statement"],
        "n",
        *[labels.get(v, fmt(v, language, 0)) for v in values],
        t["dont_know"],
    ]
    table = html_table([esc(h) for h in headers], rows, [False, True, *[True] * len(values), True])
    caption = t["table_caption_statements"].format(who=ctx.party_name(party))
    return figure_block(fig, name, height, note, table, caption)


# --- open answers -------------------------------------------------------------------------------


def comment_groups(ctx: Context) -> list[str]:
    """The parties whose open answers are shown as their own; the others are pooled."""
    return list(ctx.memo(("comment_groups",), lambda: _comment_groups(ctx)))


def party_comments(ctx: Context) -> pd.DataFrame:
    """The ``comments`` table with the party as text, made once for all the round's pages."""

    def compute() -> pd.DataFrame:
        comments = ctx.table("comments")
        return comments.assign(party=comments["party"].astype(str)) if len(comments) else comments

    return ctx.memo(("party_comments",), compute)


def _comment_groups(ctx: Context) -> list[str]:
    comments = party_comments(ctx)
    minimum = int(ctx.data.min_group_size_comments)
    with_comments = set(comments["party"].unique()) if len(comments) else set()
    own = [p for p in ctx.party_names if ctx.kept.get(p, 0) >= minimum]
    pooled = [p for p in ctx.party_names if p not in own and p in with_comments]
    if len(pooled) == 1:
        candidates = [p for p in own if p in with_comments]
        if candidates:
            order = list(ctx.party_names)
            own.remove(min(candidates, key=lambda p: (ctx.kept.get(p, 0), order.index(p))))
    return own


def _picked(texts: Sequence[str], limit: int) -> list[str]:
    """At most ``limit`` texts, picked by hash, shown in alphabetical order."""
    unique = [str(text) for text in texts]
    keyed = sorted(unique, key=lambda s: (hashlib.sha256(s.encode("utf-8")).hexdigest(), s))
    chosen = sorted(keyed[:limit], key=lambda s: (s.casefold(), s))
    return [s if len(s) <= MAX_COMMENT_CHARS else s[: MAX_COMMENT_CHARS - 1] + "…" for s in chosen]


def _comment_texts(ctx: Context) -> dict[tuple[str, str], pd.Series]:
    """(question, party) -> the texts of its open answers: grouped once for all the pages."""

    def compute() -> dict[tuple[str, str], pd.Series]:
        comments = party_comments(ctx)
        if comments.empty:
            return {}
        keys = [comments["question"].astype(str), comments["party"]]
        return {
            (str(question), str(party)): texts
            for (question, party), texts in comments["text"].groupby(keys, sort=False, dropna=False)
        }

    return ctx.memo(("comment_texts",), compute)


def _comment_list(ctx: Context, texts: Sequence[str], limit: int) -> str:
    picked = _picked(texts, limit)
    items = "\n".join(f"<li>{esc(text)}</li>" for text in picked)
    more = ""
    if len(texts) > len(picked):
        text = ctx.t["comments_capped"].format(
            k=fmt_int(len(picked), ctx.language), n=fmt_int(len(texts), ctx.language)
        )
        more = f'<p class="note">{esc(text)}</p>'
    return f'<ul class="comments">\n{items}\n</ul>{more}'


def _questions_in_order(ctx: Context, found: set[str]) -> list[str]:
    known = [str(c) for c in ctx.questions.index if str(c) in found]
    return known + sorted(c for c in found if c not in known)


def comments_html(ctx: Context, party: str | None = None, level: int = 4) -> str:
    """The open answers: per question, per party shown, and the pool of the others.

    With ``party`` only that party's answers (when its group is large enough). ``level`` is
    the heading level of the questions.
    """
    t, language = ctx.t, ctx.language
    comments = ctx.data.comments
    if comments is None:
        return f"<p>{esc(t['comments_not_collected'])}</p>"
    if comments.empty:
        return f"<p>{esc(t['comments_empty'])}</p>"
    texts_of = _comment_texts(ctx)
    own = comment_groups(ctx)
    minimum = fmt_int(ctx.data.min_group_size_comments, language)
    parts = []
    if party is not None:
        if party not in own:
            text = t["comments_pooled_party"].format(party=ctx.party_name(party), m=minimum)
            return f'<p class="notice">{esc(text)}</p>'
        texts_of = {key: texts for key, texts in texts_of.items() if key[1] == party}
        if not texts_of:
            return f"<p>{esc(t['comments_none_party'].format(party=ctx.party_name(party)))}</p>"
    else:
        pooled = {p for p in ctx.party_names if p not in own}
        if any(p in pooled for _, p in texts_of):
            parts.append(f'<p class="note">{esc(t["comments_rule"].format(m=minimum))}</p>')
    questions = _questions_in_order(ctx, {question for question, _ in texts_of})
    groups_shown = 1 if party is not None else len(own) + 1
    limit = min(MAX_COMMENTS, max(10, TOTAL_COMMENTS // (groups_shown * max(len(questions), 1))))
    for question in questions:
        parts.append(f"<h{level}>{esc(ctx.question_label(question))}</h{level}>")
        if party is not None:
            parts.append(_comment_list(ctx, texts_of[question, party], limit))
            continue
        groups: list[tuple[str, Sequence[str]]] = [
            (ctx.party_name(p), texts_of.get((question, p), []))
            for p in ctx.party_names
            if p in own
        ]
        rest = [
            text
            for (asked, p), texts in texts_of.items()
            if asked == question and p not in own
            for text in texts
        ]
        groups.append((t["comments_pool"], rest))
        for label, texts in groups:
            if not len(texts):
                continue
            summary = t["comments_group"].format(group=label, n=fmt_int(len(texts), language))
            parts.append(f"<details><summary>{esc(summary)}</summary>")
            parts.append(_comment_list(ctx, texts, limit))
            parts.append("</details>")
    return "\n".join(parts)


# --- manifest ----------------------------------------------------------------------------------


def _setting_value(value: object) -> str:
    """A manifest setting as text: lists joined by commas, dicts as key=value pairs."""
    if isinstance(value, dict):
        return ", ".join(f"{k}={_setting_value(v)}" for k, v in sorted(value.items()))
    if isinstance(value, list | tuple):
        return ", ".join(_setting_value(v) for v in value)
    return str(value)


def manifest_html(ctx: Context, full: bool = True) -> str:
    """The run manifest: date, inputs with SHA-256, instrument, settings, software."""
    t, language = ctx.t, ctx.language
    manifest: dict[str, Any] = ctx.data.manifest or {}
    instrument = manifest.get("instrument", {}) or {}
    parts = [
        f"<p>{esc(t['generated_at'])}: {esc(manifest.get('generated_at', t['missing']))}. "
        f"{esc(t['instrument_version'])}: {esc(instrument.get('file', t['missing']))}, "
        f"{esc(instrument.get('version', t['missing']))}.</p>"
    ]
    if not full:
        return "\n".join(parts)
    inputs = sorted(manifest.get("inputs", []) or [], key=lambda item: str(item.get("file", "")))
    input_rows = [
        [
            esc(item.get("file", "")),
            esc(item.get("tool", "")),
            fmt_int(item.get("rows"), language),
            f"<code>{esc(item.get('sha256', ''))}</code>",
        ]
        for item in inputs
    ]
    settings = manifest.get("settings", {}) or {}
    setting_rows = [
        [f"<code>{esc(name)}</code>", esc(_setting_value(value))]
        for name, value in sorted(settings.items(), key=lambda kv: str(kv[0]))
    ]
    software = manifest.get("software", {}) or {}
    software_rows = [
        [esc(name), esc(version)]
        for name, version in sorted(software.items(), key=lambda kv: str(kv[0]))
    ]
    parts += [
        f"<h4>{esc(t['h_inputs'])}</h4>",
        html_table(
            [esc(t["col_file"]), esc(t["col_tool"]), esc(t["col_rows"]), esc(t["col_sha"])],
            input_rows,
            [False, False, True, False],
        ),
        f"<h4>{esc(t['h_instrument'])}</h4>",
        html_table(
            [esc(t["col_file"]), esc(t["col_version"]), esc(t["col_sha"])],
            [
                [
                    esc(instrument.get("file", "")),
                    esc(instrument.get("version", "")),
                    f"<code>{esc(instrument.get('sha256', ''))}</code>",
                ]
            ],
        ),
        f"<h4>{esc(t['h_settings'])}</h4>",
        html_table([esc(t["col_setting"]), esc(t["col_value"])], setting_rows),
        f"<h4>{esc(t['h_software'])}</h4>",
        html_table([esc(t["col_package"]), esc(t["col_version"])], software_rows),
    ]
    return "\n".join(parts)
