"""The report's Plotly figures. Every word comes in through the context's translation table.

Each builder takes a :class:`~pipeline.report.data.Context`, a title that states the finding
(made by the section) and what else it needs, and returns the figure and its height in pixels.
Figures are plain Plotly JSON dicts (``{"data": [...], "layout": {...}}``), rendered without
plotly.py's validation, which would take seconds per page; the browser tests check that every
figure draws. Colours are colour-blind safe: Okabe-Ito for categories, a diverging orange-blue
scale for scores (orange low, blue high, grey or white in the middle).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from pipeline.report.data import PARTNERSHIP, Context, records
from pipeline.report.formatting import (
    capitalised,
    esc_fig,
    fmt,
    fmt_int,
    fmt_pct,
    fmt_signed,
    is_missing,
    wrap,
    wrap_lines,
)

__all__ = [
    "BAND_COLOURS",
    "FONT_STACK",
    "OKABE_ITO",
    "Figure",
    "drivers_figure",
    "friction_heatmap",
    "give_take_figure",
    "levels_figure",
    "partnership_bars",
    "party_heatmap",
    "profile_figure",
    "statements_figure",
    "trends_figure",
]

#: A figure as Plotly JSON: ``{"data": [trace, ...], "layout": {...}}``.
Figure = dict[str, Any]

FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Liberation Sans", sans-serif'
)
#: Okabe-Ito colours for categories (parties); black is kept for the partnership.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
_LEVEL_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00"]
_DASHES = ["solid", "dash", "dot", "dashdot"]
_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "x", "star"]
#: Band colours (Okabe-Ito) and the text colour that reads on each.
BAND_COLOURS = {"shines": "#0072B2", "attention": "#E69F00", "chafes": "#D55E00"}
_BAND_TEXT = {"shines": "#ffffff", "attention": "#000000", "chafes": "#000000"}
_NO_BAND = "#999999"
_BANDS = ("shines", "attention", "chafes")
#: Diverging orange-white-blue scale for heatmaps, white in the middle.
DIVERGING = [
    [0.0, "#b35806"],
    [0.25, "#f1a340"],
    [0.5, "#f7f7f7"],
    [0.75, "#67a9cf"],
    [1.0, "#2166ac"],
]
_ORANGES = {1: ["#e08214"], 2: ["#b35806", "#f1a340"], 3: ["#b35806", "#e08214", "#fdb863"]}
_BLUES = {1: ["#4393c3"], 2: ["#67a9cf", "#2166ac"], 3: ["#92c5de", "#4393c3", "#2166ac"]}
_DARK = {"#b35806", "#e08214", "#2166ac", "#4393c3"}
_NEUTRAL = "#d9d9d9"
_DONT_KNOW = "#8c8c8c"
_HIDDEN = "#d9d9d9"
_GRID = "#e6e6e6"
_INK = "#1a1a1a"
_LINE = "rgb(36,36,36)"
#: Characters per line of a figure title in the 1100 px page, and the figure width.
TITLE_WIDTH = 100
PAGE_PX = 1060


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` updated with ``extra``, nested dicts merged."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def axis(**settings: Any) -> dict[str, Any]:
    """An axis in the plain white style: a dark line, ticks outside, no grid unless asked."""
    base = {
        "showline": True,
        "linecolor": _LINE,
        "ticks": "outside",
        "showgrid": False,
        "gridcolor": _GRID,
        "zeroline": False,
        "automargin": True,
        "fixedrange": True,
        "title": {"standoff": 12},
    }
    return _merge(base, settings)


def category_axis(keys: list[str], labels: list[str], **settings: Any) -> dict[str, Any]:
    """A category axis in the given order with the given (escaped) tick labels, top down."""
    return axis(
        type="category",
        categoryorder="array",
        categoryarray=keys,
        tickvals=keys,
        ticktext=labels,
        autorange="reversed",
        ticks="",
        **settings,
    )


def title_lines(title: str) -> int:
    """How many lines a figure title takes."""
    return len(wrap_lines(title, TITLE_WIDTH))


def legend_rows(names: Sequence[str], width: float = PAGE_PX - 40) -> int:
    """About how many rows a horizontal legend of ``names`` takes in ``width`` pixels."""
    rows, used = 1, 0.0
    for name in names:
        entry = 48 + 7.4 * len(name)
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


def figure_layout(
    ctx: Context,
    title: str,
    plot_px: int,
    *,
    legend: int = 0,
    extra_top: int = 0,
    bottom: int = 20,
    left: int = 10,
    right: int = 20,
) -> tuple[dict[str, Any], int]:
    """The layout every figure shares, and the figure's height.

    The title and (with ``legend`` rows) a horizontal legend sit at fixed places at the top of
    the figure, in pixels, so they can never overlap the plot or each other; ``extra_top``
    leaves room under them (for column labels on top of a heatmap, panel titles).
    """
    title_px = 14 + 22 * title_lines(title)
    legend_px = 8 + 22 * legend if legend else 0
    top = title_px + legend_px + extra_top + 8
    height = top + plot_px + bottom
    layout: dict[str, Any] = {
        "title": {
            "text": wrap(title, TITLE_WIDTH),
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": title_y(title, height),
            "yref": "container",
            "yanchor": "top",
            "pad": {"l": 10},
            "automargin": False,
            "font": {"size": 17},
        },
        "font": {"family": FONT_STACK, "size": 13, "color": _INK},
        "separators": ",." if ctx.language == "nl" else ".,",
        "height": height,
        "margin": {"t": top, "b": bottom, "l": left, "r": right},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "hoverlabel": {"font": {"family": FONT_STACK}, "align": "left"},
        "showlegend": bool(legend),
    }
    if legend:
        layout["legend"] = {
            "orientation": "h",
            "xref": "container",
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 1 - (title_px + 4) / height,
            "yanchor": "top",
            "traceorder": "normal",
        }
    return layout, height


def title_y(title: str, height: int) -> float:
    """The container y of a title's anchor, so its first line starts 10 px from the top.

    Plotly.js lifts a title of several lines by about 16 px against one of a single line.
    """
    return 1 - (10 if title_lines(title) == 1 else 26) / height


def paper_y(layout: dict[str, Any], pixels_from_top: float) -> float:
    """The paper y coordinate of a point ``pixels_from_top`` below the figure's top edge."""
    height, margin = layout["height"], layout["margin"]
    plot = height - margin["t"] - margin["b"]
    return 1 + (margin["t"] - pixels_from_top) / plot


def party_colour(index: int) -> tuple[str, str]:
    """The colour and dash of the ``index``-th party line (colours first, then dashes)."""
    return OKABE_ITO[index % len(OKABE_ITO)], _DASHES[(index // len(OKABE_ITO)) % len(_DASHES)]


def _value(value: object) -> float | None:
    """A float for a figure, None when missing; rounded so the page stays small."""
    return None if is_missing(value) else round(float(value), 4)


def _vline(x: float, xref: str = "x") -> dict[str, Any]:
    return {
        "type": "line",
        "xref": xref,
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": "#555555", "dash": "dot", "width": 1},
    }


def _score_range(values: Sequence[float], low: float = 1.0, high: float = 5.0) -> list[float]:
    """An axis range around the values, on half points, within the scale."""
    present = [v for v in values if v is not None]
    if not present:
        return [low, high]
    bottom = max(low, math.floor(min(present) * 2) / 2 - 0.25)
    top = min(high, math.ceil(max(present) * 2) / 2 + 0.25)
    return [bottom, top]


# --- 1. the partnership per dimension -----------------------------------------------------------


def partnership_bars(ctx: Context, title: str) -> tuple[Figure, int]:
    """Horizontal bars of the equal-weight partnership mean per dimension, coloured by band."""
    t, language = ctx.t, ctx.language
    rows = records(ctx.partnership)
    shines, chafes = ctx.thresholds
    words = {"hi": fmt(shines, language), "lo": fmt(chafes, language)}
    codes = [r["dimension"] for r in rows]
    custom = {
        r["dimension"]: [
            esc_fig(r["label"]),
            fmt(r["mean_equal_weight"], language, 2),
            fmt(r["mean_respondent_weight"], language, 2),
            fmt_int(r["n"], language),
            fmt_int(r["parties"], language),
        ]
        for r in rows
    }
    hover = (
        "<b>%{customdata[0]}</b><br>"
        f"{esc_fig(t['hover_equal'])}: %{{customdata[1]}}<br>"
        f"{esc_fig(t['hover_respondent'])}: %{{customdata[2]}}<br>"
        f"n = %{{customdata[3]}}, {esc_fig(t['hover_parties'])}: %{{customdata[4]}}"
        "<extra></extra>"
    )
    data = []
    for rank, band in enumerate((*_BANDS, None), start=1):
        chosen = [r for r in rows if (r["band"] if r["band"] in _BANDS else None) == band]
        if not chosen and band is None:
            continue
        x = [
            None if is_missing(r["mean_equal_weight"]) else _value(r["mean_equal_weight"] - 1)
            for r in chosen
        ]
        y = [r["dimension"] for r in chosen]
        if not y and codes:  # an empty band keeps its legend entry, from one empty bar
            x, y = [None], codes[:1]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "x": x,
                "base": 1,
                "y": y,
                "name": esc_fig(t[f"band_{band}"].format(**words) if band else t["band_none"]),
                "customdata": [custom[r["dimension"]] for r in chosen],
                "text": [fmt(r["mean_equal_weight"], language) for r in chosen],
                "textposition": "inside",
                "insidetextanchor": "start",
                "textfont": {"color": _BAND_TEXT.get(band, "#000000"), "size": 13},
                "marker": {"color": BAND_COLOURS.get(band, _NO_BAND)},
                "hovertemplate": hover,
                "legendrank": rank,
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": esc_fig(t["marker_respondent"]),
            "x": [_value(r["mean_respondent_weight"]) for r in rows],
            "y": codes,
            "customdata": [custom[c] for c in codes],
            "marker": {
                "symbol": "diamond",
                "size": 12,
                "color": _INK,
                "line": {"color": "#ffffff", "width": 1.5},
            },
            "hovertemplate": hover,
            "legendrank": 5,
        }
    )
    names = [trace["name"] for trace in data]
    layout, height = figure_layout(
        ctx, title, 44 * max(len(codes), 1) + 60, legend=legend_rows(names), bottom=10
    )
    layout.update(
        barmode="overlay",
        bargap=0.3,
        xaxis=axis(
            range=[1, 5],
            dtick=0.5,
            tickformat=".1f",
            showgrid=True,
            title={"text": esc_fig(t["axis_score"])},
        ),
        yaxis=category_axis(codes, [wrap(r["label"], 32) for r in rows]),
        shapes=[_vline(shines), _vline(chafes)],
    )
    return {"data": data, "layout": layout}, height


# --- 2. heatmaps ---------------------------------------------------------------------------------


def _heatmap(
    ctx: Context,
    title: str,
    columns: list[str],
    column_labels: list[str],
    rows: list[str],
    row_labels: list[str],
    cells: dict[tuple[str, str], dict[str, Any]],
    scale: tuple[float, float, float],
    colorbar_title: str,
    hover_head: tuple[str, str],
) -> tuple[Figure, int]:
    """Values on the diverging scale, printed in the cells; hidden cells grey with their reason.

    ``cells`` maps (row, column) to ``value`` (or None), ``text`` (printed in the cell, escaped),
    ``hidden`` (bool), ``row_label``, ``column_label`` and ``detail`` (escaped hover lines).
    """
    z, z_hidden, text, text_hidden, custom = [], [], [], [], []
    for row in rows:
        z_row, h_row, t_row, th_row, c_row = [], [], [], [], []
        for column in columns:
            cell = cells.get((row, column))
            if cell is None:
                z_row.append(None)
                h_row.append(None)
                t_row.append("")
                th_row.append("")
                c_row.append(["", "", ""])
                continue
            hidden = bool(cell["hidden"])
            z_row.append(None if hidden else cell["value"])
            h_row.append(1 if hidden else None)
            t_row.append("" if hidden else cell["text"])
            th_row.append(cell["text"] if hidden else "")
            c_row.append(
                [esc_fig(cell["row_label"]), esc_fig(cell["column_label"]), cell["detail"]]
            )
        z.append(z_row)
        z_hidden.append(h_row)
        text.append(t_row)
        text_hidden.append(th_row)
        custom.append(c_row)
    low, mid, high = scale
    hover = (
        f"{esc_fig(hover_head[0])}: %{{customdata[0]}}<br>"
        f"{esc_fig(hover_head[1])}: %{{customdata[1]}}<br>%{{customdata[2]}}<extra></extra>"
    )
    common = {
        "type": "heatmap",
        "x": columns,
        "y": rows,
        "texttemplate": "%{text}",
        "customdata": custom,
        "hovertemplate": hover,
        "xgap": 3,
        "ygap": 3,
        "name": "",
    }
    data = [
        {
            **common,
            "z": z,
            "zmin": low,
            "zmax": high,
            "zmid": mid,
            "colorscale": DIVERGING,
            "text": text,
            "textfont": {"size": 14},
            "colorbar": {
                "title": {"text": esc_fig(colorbar_title), "side": "right"},
                "orientation": "h",
                "x": 1,
                "xanchor": "right",
                "y": 0,
                "yref": "container",
                "yanchor": "bottom",
                "len": 0.4,
                "thickness": 12,
                "outlinewidth": 0,
            },
        },
        {
            **common,
            "z": z_hidden,
            "zmin": 0,
            "zmax": 1,
            "showscale": False,
            "colorscale": [[0, _HIDDEN], [1, _HIDDEN]],
            "text": text_hidden,
            "textfont": {"size": 13, "color": "#333333"},
        },
    ]
    label_chars = max((len(line) for r in row_labels for line in wrap_lines(r, 26)), default=0)
    column_px = (PAGE_PX - 7 * label_chars - 40) / max(len(columns), 1)
    tick_size = 13 if column_px >= 120 else 11
    width = max(6, int(column_px / (0.56 * tick_size)))
    label_lines = max((len(wrap_lines(c, width)) for c in column_labels), default=1)
    layout, height = figure_layout(
        ctx, title, 52 * max(len(rows), 1), extra_top=18 * label_lines + 8, bottom=70, right=10
    )
    layout.update(
        xaxis=axis(
            type="category",
            tickvals=columns,
            ticktext=[wrap(c, width) for c in column_labels],
            tickfont={"size": tick_size},
            side="top",
            tickangle=0,
            showline=False,
            ticks="",
        ),
        yaxis=category_axis(rows, [wrap(r, 26) for r in row_labels], showline=False),
    )
    return {"data": data, "layout": layout}, height


def _hidden_cell(ctx: Context, n: object) -> dict[str, Any]:
    return {
        "value": None,
        "text": esc_fig(ctx.suppressed_reason(n)),
        "hidden": True,
        "detail": esc_fig(ctx.suppressed_hover(n)),
    }


def party_heatmap(ctx: Context, title: str) -> tuple[Figure, int]:
    """Party x dimension means, values printed, hidden cells grey with ``n < k``."""
    t, language = ctx.t, ctx.language
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for row in records(ctx.summary):
        if row["suppressed"]:
            cell = _hidden_cell(ctx, row["n"])
        else:
            cell = {
                "value": _value(row["mean"]),
                "text": fmt(row["mean"], language),
                "hidden": False,
                "detail": (
                    f"{esc_fig(t['hover_mean'])}: {fmt(row['mean'], language, 2)}<br>"
                    f"n = {fmt_int(row['n'], language)}<br>{esc_fig(t['hover_interval'])}: "
                    f"{fmt(row['ci_low'], language, 2)}–{fmt(row['ci_high'], language, 2)}"
                ),
            }
        cell.update(row_label=row["party_name"], column_label=row["label"])
        cells[(row["party"], row["dimension"])] = cell
    parties, codes = list(ctx.party_names), list(ctx.dimension_labels)
    return _heatmap(
        ctx,
        title,
        codes,
        [ctx.dimension_label(c) for c in codes],
        parties,
        [ctx.party_name(p) for p in parties],
        cells,
        (1, 3, 5),
        t["colorbar"],
        (t["col_party"], t["col_dimension"]),
    )


def friction_heatmap(ctx: Context, title: str) -> tuple[Figure, int]:
    """Friction area per party (and the partnership) on -2..2, hidden cells grey."""
    t, language = ctx.t, ctx.language
    friction = ctx.friction
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for row in records(friction):
        if row["suppressed"]:
            cell = _hidden_cell(ctx, row["n"])
        else:
            cell = {
                "value": _value(row["mean"]),
                "text": fmt_signed(row["mean"], language),
                "hidden": is_missing(row["mean"]),
                "detail": (
                    f"{esc_fig(t['hover_mean'])}: {fmt_signed(row['mean'], language, 2)}<br>"
                    f"{esc_fig(t['pct_chafes'])}: {fmt_pct(row['pct_chafes'], language)}, "
                    f"{esc_fig(t['pct_shines'])}: {fmt_pct(row['pct_shines'], language)}<br>"
                    f"n = {fmt_int(row['n'], language)}"
                ),
            }
        cell.update(
            row_label=ctx.party_name(row["party"]),
            column_label=ctx.area_labels.get(row["area"], row["area"]),
        )
        cells[(row["party"], row["area"])] = cell
    present = set(friction["party"])
    rows = [p for p in ctx.party_order if p in present]
    areas = list(dict.fromkeys(friction["area"]))
    return _heatmap(
        ctx,
        title,
        areas,
        [capitalised(ctx.area_short.get(a, a)) for a in areas],
        rows,
        [ctx.party_name(p) for p in rows],
        cells,
        (-2, 0, 2),
        t["colorbar_friction"],
        (t["col_party"], t["col_area"]),
    )


# --- 4. trends ---------------------------------------------------------------------------------


def trends_figure(ctx: Context, title: str, parties: list[str]) -> tuple[Figure, int]:
    """Each dimension over the rounds: small multiples, one line per party and the partnership.

    The partnership is the thick black line; parties are Okabe-Ito colours (a legend click
    hides a party in every panel). Hidden cells leave a gap.
    """
    language = ctx.language
    history = ctx.history
    rounds = ctx.rounds
    present = set(history["dimension"])
    codes = [c for c in ctx.dimension_labels if c in present]
    columns = 4 if len(codes) > 4 else max(len(codes), 1)
    rows = max(1, math.ceil(len(codes) / columns))
    gap_x = 0.03
    width = (1 - gap_x * (columns - 1)) / columns
    cells = {
        (r["party"], r["dimension"], r["round"]): r
        for r in records(history[history["party"].isin(parties)])
    }
    layout_axes: dict[str, Any] = {}
    annotations = []
    data = []
    values_seen: list[float] = []
    for index, code in enumerate(codes):
        col = index % columns
        suffix = "" if index == 0 else str(index + 1)
        x0 = col * (width + gap_x)
        y1 = 1.0  # set below, when the plot's height is known
        layout_axes[f"xaxis{suffix}"] = axis(
            domain=[x0, x0 + width],
            anchor=f"y{suffix}",
            type="category",
            categoryorder="array",
            categoryarray=rounds,
            tickfont={"size": 11},
        )
        layout_axes[f"yaxis{suffix}"] = axis(
            domain=[0, 1],
            anchor=f"x{suffix}",
            showgrid=True,
            dtick=0.5,
            tickformat=".1f",
            showticklabels=col == 0,
            **({"matches": "y"} if index else {}),
        )
        annotations.append(
            {
                "text": wrap(ctx.dimension_label(code), 26),
                "x": x0 + width / 2,
                "y": y1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13},
            }
        )
    hover = "<b>%{customdata[0]}</b><br>%{x}: %{customdata[1]}<extra></extra>"
    party_index = {p: i for i, p in enumerate(ctx.party_names)}
    for position, party in enumerate(parties):
        pooled = party == PARTNERSHIP
        colour, dash = (_INK, "solid") if pooled else party_colour(party_index.get(party, 0))
        name = esc_fig(ctx.party_name(party))
        for index, code in enumerate(codes):
            suffix = "" if index == 0 else str(index + 1)
            y, custom = [], []
            for round_id in rounds:
                cell = cells.get((party, code, round_id))
                if cell is None:
                    y.append(None)
                    custom.append([name, ctx.t["missing"]])
                elif cell["suppressed"] or is_missing(cell["mean"]):
                    y.append(None)
                    custom.append([name, esc_fig(ctx.suppressed_reason(cell["n"]))])
                else:
                    y.append(_value(cell["mean"]))
                    values_seen.append(float(cell["mean"]))
                    custom.append(
                        [
                            name,
                            f"{fmt(cell['mean'], language, 2)} "
                            f"(n = {fmt_int(cell['n'], language)})",
                        ]
                    )
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": rounds,
                    "y": y,
                    "xaxis": f"x{suffix}",
                    "yaxis": f"y{suffix}",
                    "customdata": custom,
                    "name": name,
                    "legendgroup": party,
                    "showlegend": index == 0,
                    "line": {"color": colour, "width": 3.5 if pooled else 2, "dash": dash},
                    "marker": {"size": 8 if pooled else 6, "color": colour},
                    "hovertemplate": hover,
                    "legendrank": position + 1,
                }
            )
    y_range = _score_range(values_seen)
    for name, settings in layout_axes.items():
        if name.startswith("yaxis"):
            settings["range"] = y_range
    shines, chafes = ctx.thresholds
    shapes = [
        {
            "type": "line",
            "xref": f"x{'' if i == 0 else i + 1} domain",
            "yref": f"y{'' if i == 0 else i + 1}",
            "x0": 0,
            "x1": 1,
            "y0": v,
            "y1": v,
            "line": {"color": "#777777", "dash": "dot", "width": 1},
        }
        for i in range(len(codes))
        for v in (shines, chafes)
        if y_range[0] < v < y_range[1]
    ]
    names = [esc_fig(ctx.party_name(p)) for p in parties]
    panel_title_lines = max((len(wrap_lines(ctx.dimension_label(c), 26)) for c in codes), default=1)
    gap_px = 30 + 18 * panel_title_lines
    layout, height = figure_layout(
        ctx,
        title,
        230 * rows + gap_px * (rows - 1),
        legend=legend_rows(names),
        extra_top=18 * panel_title_lines + 6,
        bottom=30,
        right=10,
    )
    layout.update(annotations=annotations, shapes=shapes, **layout_axes)
    plot = height - layout["margin"]["t"] - layout["margin"]["b"]
    gap_y = gap_px / plot if rows > 1 else 0
    panel = (1 - gap_y * (rows - 1)) / rows
    for index in range(len(codes)):
        suffix = "" if index == 0 else str(index + 1)
        y1 = 1 - (index // columns) * (panel + gap_y)
        layout[f"yaxis{suffix}"]["domain"] = [max(0.0, y1 - panel), y1]
        layout["annotations"][index]["y"] = y1
    return {"data": data, "layout": layout}, height


# --- 5. statements: diverging stacked bars with a party dropdown -------------------------------


def _diverging_colours(values: list[float]) -> tuple[dict[float, str], float | None]:
    """Colour per choice value, and the neutral (middle) value if the scale has one."""
    low, high = min(values), max(values)
    middle = (low + high) / 2
    lows = [v for v in values if v < middle]
    highs = [v for v in values if v > middle]
    oranges = _ORANGES.get(len(lows), _ORANGES[3] + [_ORANGES[3][-1]] * len(lows))
    blues = _BLUES.get(len(highs), [_BLUES[3][0]] * len(highs) + _BLUES[3])
    colours = {v: oranges[i] for i, v in enumerate(sorted(lows))}
    colours.update({v: blues[len(blues) - len(highs) + i] for i, v in enumerate(sorted(highs))})
    neutral = middle if middle in values else None
    if neutral is not None:
        colours[neutral] = _NEUTRAL
    return colours, neutral


def statements_figure(
    ctx: Context,
    options: list[tuple[str, str]],
    items: list[str],
    values: list[float],
) -> tuple[Figure, int]:
    """Heiberger-Robbins diverging stacked bars per statement, with a dropdown per option.

    Parameters
    ----------
    ctx
        The report's context.
    options
        (party, title) per dropdown entry, the first shown at load; party ``partnership`` for
        the pooled rows. One option gives no dropdown.
    items
        The statements, in survey order (grouped by dimension).
    values
        The numeric choices of their scale, ascending.

    The neutral choice is centred on zero (half left, half right); disagreeing runs left,
    agreeing right. "Weet niet" is a separate panel on the right, as a share of everyone who
    was asked, and is not part of the percentages (which are of those who answered).
    """
    t, language = ctx.t, ctx.language
    colours, neutral = _diverging_colours(values)
    middle = (min(values) + max(values)) / 2
    labels = ctx.choice_labels(items[0]) if items else {}
    pct = ctx.choice_pct
    table = ctx.item_records

    # y categories: a header row per dimension, then its statements (labels, unique)
    categories: list[str] = []
    item_rows: list[tuple[str, str]] = []
    previous_dimension = None
    for item in items:
        dimension = ctx.item_dimension(item)
        if dimension != previous_dimension:
            categories.append(f"<b>{wrap(ctx.dimension_label(dimension), 56)}</b>")
            previous_dimension = dimension
        label = ctx.question_label(item)
        if ctx.is_reverse(item):
            label = f"{label} {t['reverse_mark']}"
        category = wrap(label, 56)
        while category in categories:
            category += " "
        categories.append(category)
        item_rows.append((category, item))
    ys = [c for c, _ in item_rows]

    def option_data(party: str) -> tuple[list[dict[str, list]], list[dict[str, Any]]]:
        """Per trace x and base (customdata for "weet niet") of one option, and its notes.

        The same for every page that offers the option (the partnership's on every party
        page), so worked out once per round.
        """
        key = ("statement_option", party, tuple(items), tuple(values))
        return ctx.memo(key, lambda: new_option_data(party))

    def new_option_data(party: str) -> tuple[list[dict[str, list]], list[dict[str, Any]]]:
        traces: list[dict[str, list]] = [{"x": [], "base": []} for _ in values]
        dk: dict[str, list] = {"x": [], "customdata": []}
        annotations = []
        for category, item in item_rows:
            row = table.get((party, item))
            hidden = row is None or bool(row["suppressed"])
            n = None if row is None else row["n"]
            if hidden or is_missing(n) or int(n) == 0:
                for trace in traces:
                    trace["x"].append(None)
                    trace["base"].append(0)
                dk["x"].append(None)
                dk["customdata"].append(["", "", ""])
                reason = ctx.suppressed_reason(n) if hidden else t["no_answers"]
                annotations.append(
                    {
                        "x": 0,
                        "y": category,
                        "xref": "x",
                        "yref": "y",
                        "showarrow": False,
                        "text": esc_fig(reason),
                        "font": {"size": 12, "color": "#444444"},
                    }
                )
                continue
            shares = {}
            for v in values:
                share = pct.get((party, item, float(v)))
                shares[v] = 0.0 if is_missing(share) else float(share)
            position = -sum(shares[v] for v in values if v < middle)
            if neutral is not None:
                position -= shares[neutral] / 2
            for trace, v in zip(traces, values, strict=True):
                trace["x"].append(round(shares[v], 1))
                trace["base"].append(round(position, 1))
                position += shares[v]
            dont_know = row["pct_dont_know"]
            n_dk = row["n_dont_know"]
            dk["x"].append(None if is_missing(dont_know) else round(float(dont_know), 1))
            dk["customdata"].append(
                [
                    fmt_pct(0 if is_missing(dont_know) else dont_know, language),
                    fmt_int(n, language),
                    fmt_int(0 if is_missing(n_dk) else n_dk, language),
                ]
            )
        return [*traces, dk], annotations

    first_traces, first_annotations = option_data(options[0][0])
    data = []
    for index, v in enumerate(values):
        label = esc_fig(labels.get(float(v), fmt(v, language, 0)))
        dark = colours[v] in _DARK
        trace = first_traces[index]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": label,
                "y": ys,
                "x": trace["x"],
                "base": trace["base"],
                "marker": {"color": colours[v], "line": {"color": "#ffffff", "width": 0.5}},
                "texttemplate": "%{x:.0f}%",
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textangle": 0,
                "textfont": {"size": 11, "color": "#ffffff" if dark else "#000000"},
                "hovertemplate": f"{label}: %{{x:.0f}}%<extra></extra>",
                "legendrank": index + 1,
            }
        )
    dk = first_traces[-1]
    dk_label = esc_fig(t["dont_know"])
    data.append(
        {
            "type": "bar",
            "orientation": "h",
            "name": dk_label,
            "y": ys,
            "x": dk["x"],
            "xaxis": "x2",
            "yaxis": "y",
            "customdata": dk["customdata"],
            "marker": {"color": _DONT_KNOW},
            "texttemplate": "%{customdata[0]}",
            "textposition": "outside",
            "cliponaxis": False,
            "textfont": {"size": 11},
            "hovertemplate": f"{dk_label}: %{{customdata[0]}} (n = %{{customdata[2]}})<br>"
            f"{esc_fig(t['answered'])}: n = %{{customdata[1]}}<extra></extra>",
            "legendrank": len(values) + 1,
        }
    )
    dk_top = ctx.memo(("statements_dk_top",), lambda: _dont_know_top(ctx))
    lines = sum(len(c.split("<br>")) for c in categories)
    names = [trace["name"] for trace in data]
    menu_px = 60 + 8 * max((len(ctx.party_name(p)) for p, _ in options), default=10)
    longest = max((title for _, title in options), key=title_lines)
    layout, height = figure_layout(
        ctx,
        longest,
        16 * lines + 16 * len(categories) + 10,
        legend=legend_rows(names, PAGE_PX - 40 - (menu_px if len(options) > 1 else 0)),
        extra_top=26,
        bottom=50,
        right=40,
    )
    layout["title"]["text"] = wrap(options[0][1], TITLE_WIDTH)
    layout["title"]["y"] = title_y(options[0][1], height)
    headers = [
        {"text": esc_fig(t["axis_statements"]), "x": 0.43, "xanchor": "center"},
        {"text": esc_fig(t["dont_know_short"]), "x": 0.945, "xanchor": "center"},
    ]
    header_annotations = [
        {
            **h,
            "xref": "paper",
            "yref": "paper",
            "y": 1,
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 12, "color": "#333333"},
        }
        for h in headers
    ]
    layout.update(
        barmode="overlay",
        bargap=0.22,
        uniformtext={"mode": "hide", "minsize": 10},
        annotations=header_annotations + first_annotations,
        hovermode="y unified",
        xaxis=axis(
            domain=[0, 0.86],
            range=[-100, 100],
            tickvals=[-100, -50, 0, 50, 100],
            ticktext=["100%", "50%", "0", "50%", "100%"],
            showgrid=True,
            zeroline=True,
            zerolinecolor="#555555",
        ),
        xaxis2=axis(
            domain=[0.89, 1],
            range=[0, dk_top],
            showgrid=True,
            tickvals=[dk_top / 2, dk_top],
            ticktext=[f"{dk_top / 2:g}%", f"{dk_top:g}%"],
            anchor="y",
        ),
        yaxis=axis(
            type="category",
            categoryorder="array",
            categoryarray=categories,
            tickvals=categories,
            ticktext=categories,
            range=[len(categories) - 0.5, -0.5],
            ticks="",
            tickfont={"size": 12},
            showline=False,
        ),
    )
    menu_top = 14 + 22 * title_lines(longest) + 4
    if len(options) > 1:
        buttons = []
        for party, option_title in options:
            traces, annotations = option_data(party)
            buttons.append(
                {
                    "label": esc_fig(ctx.party_name(party)),
                    "method": "update",
                    "args": [
                        {
                            "x": [tr["x"] for tr in traces],
                            "base": [tr.get("base") for tr in traces],
                            "customdata": [tr.get("customdata") for tr in traces],
                        },
                        {
                            "title.text": wrap(option_title, TITLE_WIDTH),
                            "title.y": title_y(option_title, height),
                            "annotations": header_annotations + annotations,
                        },
                    ],
                }
            )
        layout["updatemenus"] = [
            {
                "type": "dropdown",
                "buttons": buttons,
                "active": 0,
                "direction": "down",
                "x": 1,
                "xanchor": "right",
                "y": paper_y(layout, menu_top),
                "yanchor": "top",
                "showactive": True,
                "bgcolor": "#ffffff",
                "bordercolor": "#767676",
                "font": {"size": 13},
            }
        ]
    return {"data": data, "layout": layout}, height


def _dont_know_top(ctx: Context) -> float:
    """The end of the "weet niet" axis: room above the largest share of any party's item."""
    all_dk = [float(v) for v in ctx.items["pct_dont_know"] if not is_missing(v)]
    return max(20.0, math.ceil((max(all_dk, default=0) + 8) / 10) * 10)


# --- 6. levels ---------------------------------------------------------------------------------


def levels_figure(ctx: Context, title: str, rows: list[dict[str, Any]]) -> tuple[Figure, int]:
    """Per dimension the mean of each level (dot plot), a grey line from lowest to highest.

    ``rows`` are the ``levels`` rows of one party, ``suppressed`` a bool.
    """
    language = ctx.language
    present = {r["dimension"] for r in rows}
    codes = [c for c in ctx.dimension_labels if c in present]
    present_levels = {r["level"] for r in rows}
    levels = [lv for lv in ctx.level_labels if lv in present_levels]
    cells = {(r["level"], r["dimension"]): r for r in rows}
    span_x: list[float | None] = []
    span_y: list[str | None] = []
    for code in codes:
        shown = [
            cells[(lv, code)]["mean"]
            for lv in levels
            if (lv, code) in cells
            and not cells[(lv, code)]["suppressed"]
            and not is_missing(cells[(lv, code)]["mean"])
        ]
        if len(shown) >= 2:
            span_x += [_value(min(shown)), _value(max(shown)), None]
            span_y += [code, code, None]
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": span_x,
            "y": span_y,
            "showlegend": False,
            "hoverinfo": "skip",
            "line": {"color": "#bdbdbd", "width": 6},
        }
    ]
    for index, level in enumerate(levels):
        name = esc_fig(ctx.level_label(level))
        x, custom = [], []
        for code in codes:
            row = cells.get((level, code))
            if row is None or row["suppressed"] or is_missing(row["mean"]):
                x.append(None)
                reason = ctx.suppressed_hover(row["n"]) if row is not None else ctx.t["missing"]
                custom.append([name, esc_fig(reason)])
            else:
                x.append(_value(row["mean"]))
                custom.append(
                    [
                        name,
                        f"{fmt(row['mean'], language, 2)} (n = "
                        f"{fmt_int(row['n'], language)}; {fmt(row['ci_low'], language, 2)}"
                        f"–{fmt(row['ci_high'], language, 2)})",
                    ]
                )
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": x,
                "y": codes,
                "name": name,
                "customdata": custom,
                "marker": {
                    "size": 13,
                    "color": _LEVEL_COLOURS[index % len(_LEVEL_COLOURS)],
                    "symbol": _SYMBOLS[index % len(_SYMBOLS)],
                    "line": {"color": _INK, "width": 1},
                },
                "hovertemplate": "%{customdata[0]}: %{customdata[1]}<extra></extra>",
            }
        )
    values = [float(r["mean"]) for r in rows if not is_missing(r["mean"])]
    names = [trace["name"] for trace in data[1:]]
    layout, height = figure_layout(
        ctx, title, 46 * max(len(codes), 1) + 60, legend=legend_rows(names), bottom=10
    )
    layout.update(
        xaxis=axis(
            range=_score_range(values),
            dtick=0.5,
            tickformat=".1f",
            showgrid=True,
            title={"text": esc_fig(ctx.t["axis_score"])},
        ),
        yaxis=category_axis(
            codes,
            [wrap(ctx.dimension_label(c), 32) for c in codes],
            showgrid=True,
            gridcolor="#f2f2f2",
        ),
    )
    return {"data": data, "layout": layout}, height


# --- 7. halen en brengen -----------------------------------------------------------------------


def give_take_figure(ctx: Context, title: str, table: pd.DataFrame) -> tuple[Figure, int]:
    """Brings (x) against gets (y) per party shown; the diagonal is balance."""
    t, language = ctx.t, ctx.language
    values = [float(v) for v in [*table["brings"], *table["gets"]] if not is_missing(v)]
    low, high = _score_range(values)
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": [low, high],
            "y": [low, high],
            "name": esc_fig(t["balance"]),
            "hoverinfo": "skip",
            "line": {"color": "#777777", "dash": "dash", "width": 1.5},
        }
    ]
    parties = list(ctx.party_names)
    hover = (
        f"<b>%{{customdata[0]}}</b><br>{esc_fig(t['axis_brings'])}: %{{customdata[1]}}<br>"
        f"{esc_fig(t['axis_gets'])}: %{{customdata[2]}}<br>n = %{{customdata[3]}}<extra></extra>"
    )
    for row in records(table):
        index = parties.index(row["party"]) if row["party"] in parties else 0
        name = esc_fig(ctx.party_name(row["party"]))
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [_value(row["brings"])],
                "y": [_value(row["gets"])],
                "name": name,
                "customdata": [
                    [
                        name,
                        fmt(row["brings"], language, 2),
                        fmt(row["gets"], language, 2),
                        fmt_int(row["n"], language),
                    ]
                ],
                "marker": {
                    "size": 15,
                    "color": OKABE_ITO[index % len(OKABE_ITO)],
                    "symbol": _SYMBOLS[index % len(_SYMBOLS)],
                    "line": {"color": _INK, "width": 1},
                },
                "hovertemplate": hover,
            }
        )
    margin = (high - low) * 0.03
    annotations = [
        {
            "x": low + margin,
            "y": high - margin,
            "xanchor": "left",
            "yanchor": "top",
            "text": esc_fig(t["gets_more"]),
            "showarrow": False,
            "font": {"size": 12, "color": "#555555"},
        },
        {
            "x": high - margin,
            "y": low + margin,
            "xanchor": "right",
            "yanchor": "bottom",
            "text": esc_fig(t["brings_more"]),
            "showarrow": False,
            "font": {"size": 12, "color": "#555555"},
        },
    ]
    layout, height = figure_layout(ctx, title, 500, bottom=20, right=10)
    layout["showlegend"] = True
    shared = {
        "range": [low, high],
        "dtick": 0.5,
        "tickformat": ".1f",
        "showgrid": True,
        "constrain": "domain",
    }
    layout.update(
        legend={"x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"},
        xaxis=axis(**shared, title={"text": esc_fig(t["axis_brings"])}),
        yaxis=axis(
            **shared, title={"text": esc_fig(t["axis_gets"])}, scaleanchor="x", scaleratio=1
        ),
        annotations=annotations,
    )
    return {"data": data, "layout": layout}, height


# --- 8. what matters most ----------------------------------------------------------------------


def drivers_figure(ctx: Context, title: str, table: pd.DataFrame) -> tuple[Figure, int]:
    """Spearman's rho of each dimension with the outcome, strongest at the top."""
    language = ctx.language
    rows = records(table)
    codes = [r["dimension"] for r in rows]
    rho = [_value(r["rho"]) for r in rows]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": rho,
            "y": codes,
            "showlegend": False,
            "marker": {"color": "#0072B2"},
            "text": [fmt(r["rho"], language, 2) for r in rows],
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [
                [
                    esc_fig(ctx.dimension_label(r["dimension"])),
                    fmt(r["rho"], language, 2),
                    fmt_int(r["n"], language),
                ]
                for r in rows
            ],
            "hovertemplate": "<b>%{customdata[0]}</b><br>rho = %{customdata[1]}, "
            "n = %{customdata[2]}<extra></extra>",
        }
    ]
    negative = any(r is not None and r < 0 for r in rho)
    layout, height = figure_layout(ctx, title, 40 * max(len(codes), 1) + 60, bottom=10, right=40)
    layout.update(
        xaxis=axis(
            range=[-1 if negative else 0, 1],
            dtick=0.2,
            tickformat=".1f",
            showgrid=True,
            title={"text": esc_fig(ctx.t["axis_rho"])},
        ),
        yaxis=category_axis(codes, [wrap(ctx.dimension_label(c), 32) for c in codes]),
    )
    return {"data": data, "layout": layout}, height


# --- party report: the party beside the partnership and the range of the others -------------


def profile_figure(
    ctx: Context,
    title: str,
    rows: list[dict[str, Any]],
    scale: tuple[float, float],
    party: str,
) -> tuple[Figure, int]:
    """Per row (dimension or area): the others' range as a grey bar, partnership and party marks.

    ``rows`` hold ``key, label, party`` (mean or None), ``party_text`` (hover for the party:
    its value or why it is hidden), ``hidden_text`` (printed when the party is hidden, else
    ""), ``partnership``, ``low``, ``high`` (the other shown parties' range, or None).
    """
    t, language = ctx.t, ctx.language
    keys = [r["key"] for r in rows]
    friction = scale[0] < 0
    with_range = [r for r in rows if r["low"] is not None and r["high"] is not None]
    name = esc_fig(ctx.party_name(party))
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": esc_fig(t["legend_range"]),
            "y": [r["key"] for r in with_range],
            "x": [max(round(r["high"] - r["low"], 4), 0.02) for r in with_range],
            "base": [round(r["low"], 4) for r in with_range],
            "width": 0.45,
            "marker": {"color": "#d0d0d0"},
            "customdata": [
                [esc_fig(r["label"]), fmt(r["low"], language, 2), fmt(r["high"], language, 2)]
                for r in with_range
            ],
            "hovertemplate": "<b>%{customdata[0]}</b><br>"
            + esc_fig(t["legend_range"])
            + ": %{customdata[1]}–%{customdata[2]}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": esc_fig(t["legend_partnership"]),
            "y": keys,
            "x": [_value(r["partnership"]) for r in rows],
            "customdata": [[esc_fig(r["label"]), fmt(r["partnership"], language, 2)] for r in rows],
            "marker": {
                "symbol": "diamond",
                "size": 13,
                "color": _INK,
                "line": {"color": "#ffffff", "width": 1.5},
            },
            "hovertemplate": "<b>%{customdata[0]}</b><br>"
            + esc_fig(t["partnership"])
            + ": %{customdata[1]}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers+text",
            "name": name,
            "y": keys,
            "x": [_value(r["party"]) for r in rows],
            "text": [
                (fmt_signed if friction else fmt)(r["party"], language)
                if r["party"] is not None
                else ""
                for r in rows
            ],
            "textposition": "top center",
            "textfont": {"size": 12, "color": "#0b5394"},
            "customdata": [[esc_fig(r["label"]), r["party_text"]] for r in rows],
            "marker": {
                "symbol": "circle",
                "size": 14,
                "color": "#0072B2",
                "line": {"color": "#ffffff", "width": 1.5},
            },
            "hovertemplate": "<b>%{customdata[0]}</b><br>"
            + name
            + ": %{customdata[1]}<extra></extra>",
        },
    ]
    hidden = [r for r in rows if r["hidden_text"]]
    if hidden:
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                "y": [r["key"] for r in hidden],
                "x": [scale[1] for _ in hidden],
                "text": [esc_fig(r["hidden_text"]) for r in hidden],
                "textposition": "middle left",
                "textfont": {"size": 12, "color": "#444444"},
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
    names = [trace["name"] for trace in data[:3]]
    layout, height = figure_layout(
        ctx, title, 52 * max(len(keys), 1) + 60, legend=legend_rows(names), bottom=10
    )
    layout.update(
        barmode="overlay",
        xaxis=axis(
            range=list(scale),
            dtick=0.5,
            tickformat=".1f",
            showgrid=True,
            zeroline=friction,
            zerolinecolor="#555555",
            title={"text": esc_fig(t["axis_friction"] if friction else t["axis_score"])},
        ),
        yaxis=category_axis(keys, [wrap(r["label"], 32) for r in rows]),
    )
    return {"data": data, "layout": layout}, height
